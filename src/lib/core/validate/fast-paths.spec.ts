/**
 * The validator's fast paths give what the plain ones would: token counts deferred into batches,
 * exact duplicates keyed on bytes, near-duplicate buckets formed at the end.
 */
import { describe, expect, it } from 'vitest';
import { streamOf } from '../import/testing';
import { BATCH_CHARS } from './deferred-counts';
import { NearDuplicates } from './similarity';
import { validateStream } from './stream';
import { errorsOf, warningCodes } from './testing';
import {
	TOKENS_PER_MESSAGE,
	TOKENS_PER_NAME,
	TOKENS_PER_ROLE,
	TOKENS_REPLY_PRIMING,
	type CountTokens
} from './tokens';

/** A counter whose counts are easy to add up by hand: one token per character. */
const chars: CountTokens = (text) => text.length;
const byChars = { loadCounter: () => Promise.resolve(chars) };

const encoder = new TextEncoder();
const bytesOf = (...parts: (string | number[])[]) =>
	new Uint8Array(
		parts.flatMap((part) => (typeof part === 'string' ? [...encoder.encode(part)] : part))
	);

describe('deferred token counts', () => {
	it('add up per example as counting on the spot would, across several batches', async () => {
		// Each line: a user message with a name, an assistant tool call, the tool's answer and a
		// reply; long texts, so the file holds several batches.
		const long = (i: number, n: number) => `${i} `.repeat(n);
		const lines = Array.from({ length: 120 }, (_, i) => {
			const user = `question ${i}: ${long(i, 7000 + i)}`;
			const args = JSON.stringify({ q: long(i, 10) });
			const reply = `answer ${i}: ${long(i, 3000 + 3 * i)}`;
			return {
				line: JSON.stringify({
					messages: [
						{ role: 'user', name: 'ann', content: user },
						{
							role: 'assistant',
							tool_calls: [
								{ id: `c${i}`, type: 'function', function: { name: 'look', arguments: args } }
							]
						},
						{ role: 'tool', tool_call_id: `c${i}`, content: `result ${i}` },
						{ role: 'assistant', content: reply }
					]
				}),
				// Framing, then every text: the name, contents, the call's id, name and arguments, the
				// tool message's id.
				tokens:
					TOKENS_REPLY_PRIMING +
					4 * (TOKENS_PER_MESSAGE + TOKENS_PER_ROLE) +
					'ann'.length +
					TOKENS_PER_NAME +
					user.length +
					`c${i}`.length +
					'look'.length +
					args.length +
					`c${i}`.length +
					`result ${i}`.length +
					reply.length,
				assistant: `c${i}`.length + 'look'.length + args.length + reply.length
			};
		});
		const total = lines.reduce((sum, l) => sum + l.line.length, 0);
		expect(total).toBeGreaterThan(2 * BATCH_CHARS);
		const report = await validateStream(streamOf(lines.map((l) => l.line).join('\n')), {
			fileName: 'long.jsonl',
			...byChars
		});
		expect(report.errors).toEqual([]);
		expect(report.tokens.total).toBe(lines.reduce((sum, l) => sum + l.tokens, 0));
		expect(report.tokens.assistant).toBe(lines.reduce((sum, l) => sum + l.assistant, 0));
		expect(report.tokens.perExample.min).toBe(lines[0].tokens);
		expect(report.tokens.perExample.max).toBe(lines[119].tokens);
		expect(report.tokens.assistantPerExample.max).toBe(lines[119].assistant);
	});
});

describe('lines read from bytes', () => {
	const line = (i: number, text = `question ${i} ünï 日本`) =>
		JSON.stringify({
			messages: [
				{ role: 'user', content: text },
				{ role: 'assistant', content: `answer ${i}` }
			]
		});

	it('BOMs, CRLF, broken and replacement characters, in chunks of any size', async () => {
		const file = bytesOf(
			line(1) + '\n', // 1
			[0xef, 0xbb, 0xbf], // 2: a BOM, then the same example as line 1
			line(1) + '\r\n',
			line(3, 'literal \ufffd') + '\n', // 3: a U+FFFD written in the file is fine
			line(4).slice(0, 20), // 4: broken bytes
			[0xff],
			line(4).slice(20) + '\n',
			'\r\n', // 5: blank
			line(6) + '\r\r\n', // 6: a stray \r before the \r\n is whitespace after the JSON
			[0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], // 7: two BOMs: the second is text
			line(7) + '\n',
			line(8).slice(0, 30), // 8: a character cut short
			[0xe6, 0x97],
			'\n',
			line(9) + '\n'
		);
		for (const chunk of [5, 64, 1 << 16]) {
			const report = await validateStream(streamOf(file, chunk), {
				fileName: 'mixed.jsonl',
				...byChars
			});
			expect(errorsOf(report), `chunks of ${chunk}`).toEqual([
				'file: too-few-examples',
				'4: invalid-utf8',
				'7: invalid-json',
				'8: invalid-utf8'
			]);
			expect(report.warnings.find((w) => w.code === 'duplicate')?.lines).toEqual([1, 2]);
			expect(warningCodes(report)).toContain('blank-line');
			expect(report.stats.lineEndings).toBe('mixed');
		}
	});

	it('a line that only differs by its BOM repeats the line exactly', async () => {
		const file = bytesOf(
			...Array.from({ length: 10 }, (_, i) => line(i) + '\n'),
			[0xef, 0xbb, 0xbf],
			line(3) + '\r\n'
		);
		const report = await validateStream(streamOf(file, 7), { fileName: 'bom.jsonl', ...byChars });
		expect(report.warnings.find((w) => w.code === 'duplicate')?.lines).toEqual([4, 11]);
		expect(report.stats.duplicates).toBe(1);
	});
});

describe('near-duplicate buckets', () => {
	/** Matching each example on arrival, with a Map per band: the plain way. */
	function reference(signatures: Uint32Array[]): [number, number][] {
		const buckets = Array.from({ length: 8 }, () => new Map<number, number[]>());
		const pairs: [number, number][] = [];
		signatures.forEach((signature, index) => {
			let match = -1;
			for (let band = 0; band < 8; band++) {
				let key = band + 1;
				for (let r = 0; r < 4; r++) key = Math.imul(key ^ signature[band * 4 + r], 0x01000193);
				const bucket = buckets[band].get(key) ?? [];
				if (match === -1)
					for (const k of bucket.slice(-4).reverse()) {
						const misses = signature.filter((v, bin) => v !== signatures[k][bin]).length;
						if (misses <= 9) {
							match = k;
							break;
						}
					}
				bucket.push(index);
				buckets[band].set(key, bucket);
			}
			if (match !== -1) pairs.push([index + 1, match + 1]);
		});
		return pairs;
	}

	it('pair the same examples as matching each one on arrival', () => {
		let seed = 7;
		const random = () => {
			seed = (Math.imul(seed, 1103515245) + 12345) | 0;
			return (seed >>> 8) & 0x7ffffff;
		};
		const signatures: Uint32Array[] = [];
		for (let i = 0; i < 3000; i++) {
			const signature = new Uint32Array(32);
			// A third are copies of an earlier example with a few bins changed (some too many).
			const base = i > 10 && i % 3 === 0 ? signatures[random() % i] : null;
			for (let bin = 0; bin < 32; bin++)
				signature[bin] = base && random() % 32 >= i % 14 ? base[bin] : random() % 64;
			signatures.push(signature);
		}
		const near = new NearDuplicates();
		signatures.forEach((signature, i) => near.add(i + 1, signature));
		const expected = reference(signatures);
		expect(expected.length).toBeGreaterThan(500);
		expect(near.pairs).toEqual(expected);
	});
});
