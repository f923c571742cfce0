import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffFile, SNIFF_BYTES } from './sniff';

const FORMATS = '/work/shared/data/formats';
const encoder = new TextEncoder();

function sniffData(name: string) {
	const bytes = new Uint8Array(readFileSync(`${FORMATS}/${name}`)).subarray(0, SNIFF_BYTES);
	return sniffFile(bytes, name, statSync(`${FORMATS}/${name}`).size);
}

function sniffText(text: string, name: string) {
	return sniffFile(encoder.encode(text), name);
}

describe('sniffFile', () => {
	it('recognises the shared data files', () => {
		expect(sniffData('cookbook-drone_training.jsonl')).toMatchObject({
			kind: 'jsonl',
			unknownShare: 0,
			formats: { 'openai-chat': expect.any(Number) }
		});
		expect(sniffData('llama-factory-kto_en_demo.json')).toMatchObject({
			kind: 'json-array',
			keys: ['messages', 'label'],
			unknownShare: 0
		});
		expect(sniffData('foundry-orca_dpo_pairs.validation.jsonl')).toMatchObject({
			kind: 'jsonl',
			keys: ['input', 'preferred_output', 'non_preferred_output']
		});
		expect(sniffData('self-instruct-trec_ABBR.empty.jsonl')).toMatchObject({
			kind: 'jsonl',
			sampled: 0
		});
	});

	it('gives keys, a sample and the unknown share for a shape it does not know', () => {
		const result = sniffData('cookbook-dbpedia_samples.wrong-schema.jsonl');
		expect(result).toMatchObject({
			kind: 'jsonl',
			keys: ['text', 'category'],
			unknownShare: 1,
			suggestedMapping: null
		});
		expect(result.sampled).toBe(200);
		expect(result.sampleRows).toHaveLength(5);
		expect(result.sampleRows[0]).toHaveProperty('category', 'Company');
		const qa = sniffText('{"question": "Q", "answer": "A", "id": 1}\n', 'qa.jsonl');
		expect(qa).toMatchObject({
			unknownShare: 1,
			suggestedMapping: { input: 'question', output: 'answer' }
		});
	});

	it('reads CSV and TSV by extension or content, with columns and sample rows', () => {
		const csv = sniffText('prompt,completion,rating\n"a, b",c,5\nd,e,\n', 'data.csv');
		expect(csv).toMatchObject({
			kind: 'csv',
			delimiter: ',',
			columns: ['prompt', 'completion', 'rating'],
			sampleRows: [
				{ prompt: 'a, b', completion: 'c', rating: '5' },
				{ prompt: 'd', completion: 'e', rating: '' }
			],
			suggestedMapping: { input: 'prompt', output: 'completion', rating: 'rating' }
		});
		expect(sniffText('question\tanswer\nQ\tA\n', 'export.txt')).toMatchObject({
			kind: 'tsv',
			columns: ['question', 'answer']
		});
		expect(sniffText('a;b\n1;2\n', 'export')).toMatchObject({ kind: 'csv', delimiter: ';' });
		// A column named like an object's built-in property is a column like any other.
		const odd = sniffText('prompt,__proto__,constructor\nq,x,y\n', 'odd.csv');
		expect(odd.kind === 'csv' && Object.keys(odd.sampleRows[0])).toEqual([
			'prompt',
			'__proto__',
			'constructor'
		]);
	});

	it('leaves out a last CSV row cut off by the end of the sample', () => {
		const text = 'input,output\n' + 'x,y\n'.repeat(3) + '"cut';
		expect(sniffFile(encoder.encode(text), 'a.csv', text.length + 1000).sampleRows).toHaveLength(3);
	});

	it('says what is wrong with files that cannot be imported', () => {
		expect(sniffFile(new Uint8Array([0xff, 0xfe, 0x7b, 0]), 'x.jsonl')).toMatchObject({
			kind: 'error',
			reason: 'this file is UTF-16; save it as UTF-8'
		});
		expect(sniffFile(new Uint8Array([0x1f, 0x8b, 8, 0]), 'logs.jsonl.gz')).toMatchObject({
			kind: 'error',
			reason: 'this file is gzip-compressed: decompress it first'
		});
		expect(sniffFile(encoder.encode('PK\x03\x04....'), 'sheet.xlsx')).toMatchObject({
			kind: 'error'
		});
		const pretty = sniffText(
			'{\n  "messages": [\n    {"role": "user", "content": "x"}\n  ]\n}\n',
			'x.jsonl'
		);
		expect(pretty).toMatchObject({
			kind: 'error',
			reason: expect.stringContaining('one pretty-printed JSON object')
		});
	});

	it('does not mistake JSON Lines with a broken first line for pretty-printed JSON', () => {
		const text = '{"messages": [\n{"messages": []}\n{"messages": []}\n';
		expect(sniffText(text, 'x.jsonl').kind).toBe('jsonl');
	});

	it('tells a one-line JSON array from JSON Lines of arrays', () => {
		expect(sniffText('[{"prompt": "a", "completion": "b"}]', 'x.jsonl').kind).toBe('json-array');
		expect(sniffText('[1, 2]\n[3, 4]\n', 'x.jsonl').kind).toBe('jsonl');
	});
});
