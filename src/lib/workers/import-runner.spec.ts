import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDB } from '$lib/db/db';
import { useTestDb } from '$lib/db/test-db';
import type { ImportProgress } from './import.api';
import { runImport, type ImportFile } from './import-runner';

const FORMATS = resolve(import.meta.dirname, '../../../../shared/data/formats');

function fileOf(name: string, bytes: Uint8Array<ArrayBuffer> | string): ImportFile {
	return new File([bytes], name, { lastModified: 1 });
}

function dataFile(name: string): ImportFile {
	return fileOf(name, new Uint8Array(readFileSync(resolve(FORMATS, name))));
}

let db: AppDB;
beforeEach(() => {
	db = useTestDb();
});

function chatLines(n: number): string {
	const lines: string[] = [];
	for (let i = 0; i < n; i++) {
		lines.push(
			JSON.stringify({
				messages: [
					{ role: 'user', content: `question ${i}` },
					{ role: 'assistant', content: `answer ${i}` }
				]
			})
		);
		if (i % 10 === 5) lines.push('{"broken": ');
		if (i % 10 === 7) lines.push('');
	}
	return lines.join('\n');
}

describe('runImport', () => {
	it('imports a real DPO file as two logs per line plus a pairwise preference', async () => {
		const result = await runImport({
			file: dataFile('foundry-orca_dpo_pairs.validation.jsonl'),
			projectId: 'p'
		});
		expect(result.kind).toBe('finished');
		if (result.kind !== 'finished') return;
		expect(result.record.status).toBe('done');
		expect(result.record.counts).toMatchObject({
			lines: 284,
			accepted: 284,
			rejected: 0,
			blank: 0,
			logs: 568,
			formats: { 'openai-dpo': 284 }
		});
		expect(await db.logs.count()).toBe(568);
		const pairs = await db.feedback.filter((e) => e.body.kind === 'pairwise').count();
		expect(pairs).toBe(284);
	});

	it('counts lines that repeat earlier ones as already present and stores them once', async () => {
		const result = await runImport({
			file: dataFile('autograding-validation_set.crlf.jsonl'),
			projectId: 'p'
		});
		if (result.kind !== 'finished') throw new Error('expected a finished import');
		expect(result.record.counts).toMatchObject({
			lines: 60,
			accepted: 60,
			duplicates: 35,
			logs: 25
		});
		expect(await db.logs.count()).toBe(25);
	});

	it('keeps imported labels as feedback and summarises them on the log', async () => {
		const result = await runImport({
			file: dataFile('llama-factory-kto_en_demo.json'),
			projectId: 'p'
		});
		expect(result.kind === 'finished' && result.record.counts.accepted).toBe(300);
		const up = await db.logs.where('facets').equals(['p', 'thumb', 1]).count();
		const down = await db.logs.where('facets').equals(['p', 'thumb', -1]).count();
		expect(up + down).toBe(300);
		expect(up).toBeGreaterThan(0);
		expect(down).toBeGreaterThan(0);
	});

	it('counts add up, rejected lines are kept with their reason, and a re-import adds nothing', async () => {
		const file = fileOf('mixed.jsonl', chatLines(1000));
		const first = await runImport({ file, projectId: 'p', batchLines: 128 });
		if (first.kind !== 'finished') throw new Error('expected a finished import');
		const c = first.record.counts;
		expect(c.accepted).toBe(1000);
		expect(c.rejected).toBe(100);
		expect(c.blank).toBe(100);
		expect(c.accepted + c.rejected + c.blank).toBe(c.lines);
		const rejects = await db.importRejects.where('importId').equals(first.record.id).toArray();
		expect(rejects).toHaveLength(100);
		expect(rejects[0].raw).toBe('{"broken": ');
		expect(rejects[0].reason).toMatch(/JSON/);

		const again = await runImport({
			file: fileOf('mixed-copy.jsonl', chatLines(1000)),
			projectId: 'p'
		});
		if (again.kind !== 'finished') throw new Error('expected a finished import');
		expect(again.record.counts.duplicates).toBe(1000);
		expect(again.record.counts.logs).toBe(0);
		expect(await db.logs.count()).toBe(1000);
	});

	it('a cancelled import keeps whole batches, and dropping the file again resumes after them', async () => {
		const text = chatLines(3000);
		const controller = new AbortController();
		const seen: ImportProgress[] = [];
		const first = await runImport({
			file: fileOf('big.jsonl', text),
			projectId: 'p',
			batchLines: 200,
			signal: controller.signal,
			now: (() => {
				let t = 0;
				return () => (t += 1000);
			})(),
			onProgress: (p) => {
				seen.push(p);
				if (p.counts.lines >= 1000) controller.abort();
			}
		});
		if (first.kind !== 'finished') throw new Error('expected a finished import');
		expect(first.record.status).toBe('cancelled');
		const stopped = first.record.counts;
		expect(stopped.lines).toBeGreaterThanOrEqual(1000);
		expect(stopped.lines).toBeLessThan(3600);
		expect(stopped.accepted + stopped.rejected + stopped.blank).toBe(stopped.lines);
		expect(first.record.committedLine).toBe(stopped.lines);
		expect(await db.logs.count()).toBe(stopped.accepted);
		expect(seen.at(-1)?.rowsPerSecond).toBeGreaterThan(0);

		const resumed: ImportProgress[] = [];
		const second = await runImport({
			file: fileOf('big.jsonl', text),
			projectId: 'p',
			batchLines: 200,
			onProgress: (p) => resumed.push(p)
		});
		if (second.kind !== 'finished') throw new Error('expected a finished import');
		expect(second.record.id).toBe(first.record.id);
		expect(second.record.status).toBe('done');
		expect(resumed[0].resumedFromLine).toBe(first.record.committedLine);
		expect(second.record.counts).toMatchObject({
			lines: 3600,
			accepted: 3000,
			rejected: 300,
			blank: 300
		});
		expect(second.record.counts.duplicates).toBe(0);
		expect(await db.logs.count()).toBe(3000);
		expect(await db.imports.count()).toBe(1);
	});

	it('cuts batches by source bytes as well as by lines, so huge lines keep memory bounded', async () => {
		const long = 'x'.repeat(20_000);
		const lines = Array.from({ length: 40 }, (_, i) =>
			JSON.stringify({
				messages: [
					{ role: 'user', content: `question ${i}` },
					{ role: 'assistant', content: `${long} ${i}` }
				]
			})
		);
		let commits = 0;
		const result = await runImport({
			file: fileOf('long.jsonl', lines.join('\n')),
			projectId: 'p',
			batchLines: 1000,
			batchBytes: 100_000,
			onCommitted: () => commits++
		});
		expect(result.kind === 'finished' && result.record.counts.accepted).toBe(40);
		expect(await db.logs.count()).toBe(40);
		// 800 KB in batches of about 100 KB: eight transactions or so, not one.
		expect(commits).toBeGreaterThanOrEqual(5);
	});

	it('stops for a mapping on CSV, then imports with one', async () => {
		const csv = 'question,answer\n"Hi, there",Hello\nBye,See you\n';
		const stop = await runImport({ file: fileOf('chat.csv', csv), projectId: 'p' });
		expect(stop.kind).toBe('needs-mapping');
		if (stop.kind !== 'needs-mapping') return;
		expect(stop.sniff.columns).toEqual(['question', 'answer']);
		expect(await db.imports.count()).toBe(0);
		const done = await runImport({
			file: fileOf('chat.csv', csv),
			projectId: 'p',
			mapping: { input: 'question', output: 'answer' }
		});
		expect(done.kind === 'finished' && done.record.counts.accepted).toBe(2);
		const logs = await db.logs.toArray();
		expect(logs.map((l) => l.input.at(-1)?.content).sort()).toEqual(['Bye', 'Hi, there']);
	});

	it('explains a file it cannot import and records it as failed', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		const result = await runImport({ file: fileOf('x.jsonl', png), projectId: 'p' });
		if (result.kind !== 'finished') throw new Error('expected a finished import');
		expect(result.record.status).toBe('failed');
		expect(result.record.fileError).toMatch(/PNG/);
		expect(result.record.counts.lines).toBe(0);
	});
});
