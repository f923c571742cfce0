import { describe, expect, it } from 'vitest';
import { applyMapping, guessMapping, missingFields } from './mapping';

describe('guessMapping', () => {
	it('maps common column names, whatever their case and punctuation', () => {
		expect(guessMapping(['Prompt', 'Completion'])).toEqual({
			input: 'Prompt',
			output: 'Completion'
		});
		expect(
			guessMapping([
				'id',
				'question',
				'answer',
				'Thumbs Up',
				'stars',
				'notes',
				'ideal_output',
				'model_name',
				'system prompt'
			])
		).toEqual({
			input: 'question',
			output: 'answer',
			system: 'system prompt',
			label: 'Thumbs Up',
			rating: 'stars',
			comment: 'notes',
			correction: 'ideal_output',
			model: 'model_name'
		});
		expect(guessMapping(['user', 'assistant', 'label'])).toEqual({
			input: 'user',
			output: 'assistant',
			label: 'label'
		});
	});

	it('returns null without both an input and an output', () => {
		expect(guessMapping(['text', 'category'])).toBeNull();
		expect(guessMapping(['prompt'])).toBeNull();
		expect(guessMapping([])).toBeNull();
	});
});

describe('missingFields', () => {
	it('lists the names a mapping uses that the file lacks', () => {
		expect(missingFields({ input: 'a', output: 'b', rating: 'r' }, ['a', 'b'])).toEqual(['r']);
	});
});

describe('applyMapping', () => {
	it('builds a log with system message, feedback, model and extra', () => {
		const result = applyMapping(
			{
				q: 'Hi',
				a: 'Hello',
				s: 'Be brief',
				thumb: '👎',
				m: 'gpt-4o',
				fix: 'Hey',
				id: '7',
				empty: ''
			},
			{ input: 'q', output: 'a', system: 's', label: 'thumb', model: 'm', correction: 'fix' },
			'column',
			'csv'
		);
		expect(result).toEqual({
			ok: true,
			record: {
				format: 'csv',
				logs: [
					{
						input: [
							{ role: 'system', content: 'Be brief' },
							{ role: 'user', content: 'Hi' }
						],
						output: { role: 'assistant', content: 'Hello' },
						model: 'gpt-4o',
						extra: { id: '7' }
					}
				],
				feedback: [
					{ logIndex: 0, body: { kind: 'thumb', value: -1 } },
					{
						logIndex: 0,
						body: { kind: 'correction', output: { role: 'assistant', content: 'Hey' } }
					}
				]
			}
		});
	});

	it('names the column in its reasons', () => {
		const mapping = { input: 'q', output: 'a', label: 'ok' };
		expect(applyMapping({ q: ' ', a: 'x' }, mapping, 'column', 'csv')).toMatchObject({
			reason: 'column "q" is empty (it holds the input)'
		});
		expect(applyMapping({ q: 'x', a: 'y', ok: 'maybe' }, mapping, 'column', 'csv')).toMatchObject({
			reason: expect.stringMatching(/^column "ok": "maybe" is not a thumbs label/)
		});
		expect(applyMapping({ q: 'x' }, mapping, 'field', 'mapped')).toMatchObject({
			reason: 'field "a" is missing (it holds the output)'
		});
	});

	it('takes messages when the input field holds them', () => {
		const result = applyMapping(
			{ conv: [{ role: 'user', content: 'Hi' }], reply: 'Yo' },
			{ input: 'conv', output: 'reply' },
			'field',
			'mapped'
		);
		expect(result.ok && result.record.logs[0].input).toEqual([{ role: 'user', content: 'Hi' }]);
	});
});
