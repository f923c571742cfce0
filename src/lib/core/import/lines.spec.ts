import { describe, expect, it } from 'vitest';
import { readLines } from './lines';
import { streamOf } from './testing';

const decoder = new TextDecoder();

async function lines(content: string | Uint8Array, chunkSize?: number) {
	const out: { line: number; text: string }[] = [];
	for await (const { line, bytes } of readLines(streamOf(content, chunkSize)))
		out.push({ line, text: decoder.decode(bytes) });
	return out;
}

describe('readLines', () => {
	it('numbers lines from 1 and yields the last line without a final newline', async () => {
		expect(await lines('a\nb\nc')).toEqual([
			{ line: 1, text: 'a' },
			{ line: 2, text: 'b' },
			{ line: 3, text: 'c' }
		]);
		expect(await lines('a\nb\n')).toHaveLength(2);
	});

	it('yields nothing for an empty file, or a file that is only a BOM', async () => {
		expect(await lines('')).toEqual([]);
		expect(await lines(new Uint8Array([0xef, 0xbb, 0xbf]))).toEqual([]);
	});

	it('keeps blank lines as lines', async () => {
		expect((await lines('\n\nx\n')).map((l) => l.text)).toEqual(['', '', 'x']);
	});

	it('strips CRLF and a BOM at the start of the file only, even split across chunks', async () => {
		const bytes = new Uint8Array([
			0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x0a, 0x63, 0x0d
		]);
		for (const size of [1, 2, 3, 64]) {
			expect((await lines(bytes, size)).map((l) => l.text)).toEqual(['a', 'b', 'c']);
		}
	});

	it('splits at the byte level: a broken UTF-8 line does not touch its neighbours', async () => {
		const bytes = new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a, 0xc3, 0xa9, 0x0a]);
		const out: Uint8Array[] = [];
		for await (const { bytes: line } of readLines(streamOf(bytes, 1))) out.push(line);
		expect(out.map((b) => [...b])).toEqual([[0x61], [0xff, 0xfe], [0xc3, 0xa9]]);
	});

	it('assembles a 5 MB line from 1 KB chunks', async () => {
		const long = 'x'.repeat(5 * 1024 * 1024);
		const result = await lines(`first\n${long}\nlast`, 1024);
		expect(result.map((l) => l.text.length)).toEqual([5, long.length, 4]);
		expect(result[2]).toEqual({ line: 3, text: 'last' });
	});

	it('cancels the stream when the reader stops early', async () => {
		let cancelled = false;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				controller.enqueue(new TextEncoder().encode('line\n'));
			},
			cancel() {
				cancelled = true;
			}
		});
		for await (const { line } of readLines(stream)) if (line === 3) break;
		expect(cancelled).toBe(true);
	});
});
