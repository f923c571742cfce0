import { describe, expect, it } from 'vitest';
import { JsonItemScanner, type JsonItem } from './json-items';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function scan(text: string | Uint8Array, chunkSize = 1 << 20) {
	const bytes = typeof text === 'string' ? encoder.encode(text) : text;
	const scanner = new JsonItemScanner();
	const items: JsonItem[] = [];
	for (let i = 0; i < bytes.length; i += chunkSize)
		items.push(...scanner.push(bytes.slice(i, i + chunkSize)));
	items.push(...scanner.end());
	return {
		mode: scanner.mode,
		items: items.map((item) => ({
			line: item.line,
			text: decoder.decode(item.bytes).trim(),
			kind: item.kind
		}))
	};
}

const tricky = [
	{ s: 'a "quoted" ] } , [ { string', t: '\\' },
	[1, [2, [3, {}]]],
	'back\\slash\\',
	{ 'k"ey': ['\\"', '\\\\"', 'ünïcødé ✓ 🎉'] },
	null,
	-1.5e3
];

describe('JsonItemScanner', () => {
	it('splits an array into its items at any chunk boundary, strings and escapes included', () => {
		const text = `\uFEFF[\n${tricky.map((item) => JSON.stringify(item, null, 1)).join(',\n')}\n]\n`;
		const expected = tricky.map((item) => JSON.stringify(item));
		for (const size of [1, 2, 3, 5, 8, 13, 64, 10_000]) {
			const { mode, items } = scan(text, size);
			expect(mode).toBe('array');
			expect(items.map((i) => JSON.stringify(JSON.parse(i.text)))).toEqual(expected);
			expect(items.every((i) => i.kind === 'item')).toBe(true);
		}
	});

	it('gives each item the line it starts on', () => {
		const { items } = scan('[\n  {"a": 1},\n\n  {"b":\n 2}, 3]');
		expect(items.map((i) => [i.line, i.text])).toEqual([
			[2, '{"a": 1}'],
			[4, '{"b":\n 2}'],
			[5, '3']
		]);
	});

	it('reads top-level values one after another (jq output)', () => {
		const { mode, items } = scan('{\n "a": "}"\n}\n{"b": [1]}\n\nnot json\n', 3);
		expect(mode).toBe('values');
		expect(items).toEqual([
			{ line: 1, text: '{\n "a": "}"\n}', kind: 'item' },
			{ line: 4, text: '{"b": [1]}', kind: 'item' },
			{ line: 6, text: 'not json', kind: 'item' }
		]);
	});

	it('hands out empty items, ignores a trailing comma, and reports text after the array', () => {
		expect(scan('[1,,2,]').items.map((i) => i.text)).toEqual(['1', '', '2']);
		expect(scan('[]').items).toEqual([]);
		expect(scan('[1] [2]').items).toEqual([
			{ line: 1, text: '1', kind: 'item' },
			{ line: 1, text: '[2]', kind: 'trailing' }
		]);
	});

	it('marks an item the file ends inside', () => {
		expect(scan('[{"a": 1}, {"b": "unterminated').items.at(-1)).toEqual({
			line: 1,
			text: '{"b": "unterminated',
			kind: 'unterminated'
		});
	});

	it('recovers from a mismatched bracket at the next item', () => {
		expect(scan('[{"a": [1}, 2, {"c": 3}]').items.map((i) => i.text)).toEqual([
			'{"a": [1}',
			'2',
			'{"c": 3}'
		]);
	});

	it('tracks 100,000 levels of nesting without recursion', () => {
		const deep = `[${'['.repeat(100_000)}${']'.repeat(100_000)}, 1]`;
		expect(scan(deep, 4096).items.map((i) => i.text.length)).toEqual([200_000, 1]);
	});
});
