import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPairFile, splitHhTranscript } from './pair-files';

const OASST = '../shared/data/preference/oasst-sample/en_100_tree.jsonl';

describe('readPairFile', () => {
	it('reads HH-RLHF transcripts: the last Assistant turn is the output', () => {
		const line = JSON.stringify({
			chosen: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Name a fruit\n\nAssistant: An apple.',
			rejected: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Name a fruit\n\nAssistant: No.'
		});
		const { data, formats, errors } = readPairFile(line);
		expect(errors).toEqual([]);
		expect(formats).toEqual({ 'hh-rlhf': 1 });
		const [pair] = data.pairs;
		expect(data.items[pair.chosen]).toEqual({
			input: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Name a fruit',
			output: 'An apple.'
		});
		expect(data.items[pair.rejected].output).toBe('No.');
		expect(data.items[pair.rejected].input).toBe(data.items[pair.chosen].input);
		expect(() => splitHhTranscript('Human: no turn', 'chosen')).toThrow(/Assistant/);
	});

	it('reads OpenAI DPO and TRL lines (text and conversational)', () => {
		const text = [
			JSON.stringify({
				input: { messages: [{ role: 'user', content: 'Say hi' }] },
				preferred_output: [{ role: 'assistant', content: 'Hi there!' }],
				non_preferred_output: [{ role: 'assistant', content: 'Go away.' }]
			}),
			JSON.stringify({ prompt: 'Capital of France?', chosen: 'Paris.', rejected: 'Lyon.' }),
			JSON.stringify({
				prompt: [{ role: 'user', content: 'Two plus two?' }],
				chosen: [{ role: 'assistant', content: 'Four.' }],
				rejected: [{ role: 'assistant', content: 'Five.' }]
			})
		].join('\n');
		const { data, formats, errors } = readPairFile(text);
		expect(errors).toEqual([]);
		expect(formats).toEqual({ 'openai-dpo': 1, trl: 2 });
		const outputs = data.pairs.map((p) => [
			data.items[p.chosen].output,
			data.items[p.rejected].output
		]);
		expect(outputs).toEqual([
			['Hi there!', 'Go away.'],
			['Paris.', 'Lyon.'],
			['Four.', 'Five.']
		]);
		expect(data.items[data.pairs[0].chosen].input).toBe('user: Say hi');
	});

	it('reports each bad line with its number and reason, and keeps the good ones', () => {
		const text = [
			JSON.stringify({ prompt: 'q', chosen: 'a', rejected: 'b' }),
			'{not json',
			JSON.stringify({ hello: 1 }),
			'',
			JSON.stringify({ chosen: 'no transcript', rejected: 'x' }),
			JSON.stringify([1, 2])
		].join('\n');
		const { data, errors, lines } = readPairFile(text);
		expect(lines).toBe(5);
		expect(data.pairs).toHaveLength(1);
		expect(errors.map((e) => e.line)).toEqual([2, 3, 5, 6]);
		expect(errors[0].message).toMatch(/not valid JSON/);
		expect(errors[1].message).toMatch(/not a preference line/);
		expect(errors[2].message).toMatch(/Assistant/);
		expect(errors[3].message).toMatch(/not a JSON object/);
	});

	it('reads the Open Assistant sample: 754 ranked pairs and 528 thumbs (374 👍, 154 👎)', () => {
		const { data, formats, errors } = readPairFile(readFileSync(OASST, 'utf8'));
		expect(errors).toEqual([]);
		expect(formats).toEqual({ oasst: 100 });
		expect(data.pairs).toHaveLength(754);
		expect(data.points).toHaveLength(528);
		expect(data.points.filter((p) => p.label === 1)).toHaveLength(374);
	});
});
