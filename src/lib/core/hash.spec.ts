import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteHasher, canonicalJson, contentHash, hashString, inputHash, logHashes } from './hash';
import { collect } from './import/testing';
import type { ParsedLog } from './types';

describe('hashString', () => {
	it('gives 16 hex characters, the same for the same text', () => {
		expect(hashString('hello')).toMatch(/^[0-9a-f]{16}$/);
		expect(hashString('hello')).toBe(hashString('hello'));
		expect(hashString('')).toMatch(/^[0-9a-f]{16}$/);
	});

	it('tells apart texts that differ by one character, in either half', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 20_000; i++) seen.add(hashString(`log ${i}`));
		expect(seen.size).toBe(20_000);
		const a = hashString('abc');
		const b = hashString('abd');
		expect(a.slice(0, 8)).not.toBe(b.slice(0, 8));
		expect(a.slice(8)).not.toBe(b.slice(8));
	});
});

describe('ByteHasher', () => {
	it('hashes the same bytes the same however they are sliced', () => {
		const bytes = new TextEncoder().encode(
			'the quick brown fox jumps over the lazy dog'.repeat(50)
		);
		const whole = new ByteHasher().update(bytes).digest();
		const sliced = new ByteHasher();
		for (let i = 0; i < bytes.length; i += 7) sliced.update(bytes.subarray(i, i + 7));
		expect(sliced.digest()).toBe(whole);
		expect(whole).toMatch(/^[0-9a-f]{16}$/);
	});

	it('can digest along the way, and trailing zero bytes change the hash', () => {
		const hasher = new ByteHasher().update(new Uint8Array([1, 2, 3]));
		const first = hasher.digest();
		expect(hasher.digest()).toBe(first);
		expect(hasher.update(new Uint8Array([0])).digest()).not.toBe(first);
	});
});

describe('canonicalJson', () => {
	it('sorts keys at every depth and leaves out undefined like JSON.stringify', () => {
		expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
			'{"a":{"d":[1,{"y":2,"z":1}]},"b":1}'
		);
		expect(canonicalJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
	});
});

describe('contentHash', () => {
	const log: ParsedLog = {
		input: [{ role: 'user', content: 'Hi' }],
		output: { role: 'assistant', content: 'Hello!' },
		model: 'gpt-4o-mini'
	};

	it('depends on input, output and tools only, not on key order or model', () => {
		const reordered = {
			output: { content: 'Hello!', role: 'assistant' },
			input: [{ content: 'Hi', role: 'user' }],
			model: 'another'
		} as ParsedLog;
		expect(contentHash(reordered)).toBe(contentHash(log));
		expect(contentHash({ ...log, tools: [] })).toBe(contentHash(log));
		expect(contentHash({ ...log, tools: [{ type: 'function' }] })).not.toBe(contentHash(log));
		expect(contentHash({ ...log, output: { role: 'assistant', content: 'Hello' } })).not.toBe(
			contentHash(log)
		);
	});
});

describe('logHashes', () => {
	it('gives contentHash and inputHash of every log in the real format files', async () => {
		const dir = join(__dirname, '../../../../shared/data/formats');
		let logs = 0;
		for (const name of readdirSync(dir)) {
			const events = await collect(readFileSync(join(dir, name)), { fileName: name });
			for (const event of events) {
				if (event.type !== 'record') continue;
				for (const log of event.record.logs) {
					expect(logHashes(log), `${name} line ${event.line}`).toEqual({
						hash: contentHash(log),
						inputHash: inputHash(log)
					});
					logs++;
				}
			}
		}
		expect(logs).toBeGreaterThan(100);
	});

	it('agrees with and without tools', () => {
		const log: ParsedLog = {
			input: [{ role: 'user', content: 'Hi' }],
			output: { role: 'assistant', content: 'Hello!' }
		};
		for (const tools of [undefined, [], [{ type: 'function', function: { name: 'f' } }]]) {
			const withTools = { ...log, tools };
			expect(logHashes(withTools)).toEqual({
				hash: contentHash(withTools),
				inputHash: inputHash(withTools)
			});
		}
	});
});
