import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDB } from './db';
import {
	countRejects,
	createImport,
	deleteImport,
	findResumable,
	getImport,
	importLockName,
	listImports,
	markInterrupted,
	rejectsFor,
	rejectsPage,
	updateImport
} from './imports';
import { makeImport, makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
beforeEach(() => {
	db = useTestDb();
});

const file = { projectId: 'p', name: 'logs.jsonl', size: 1234, lastModified: 5, hash: 'abc' };

describe('imports', () => {
	it('creates running records and lists them newest first', async () => {
		const first = await createImport(file);
		await db.imports.update(first.id, { startedAt: 1 });
		const second = await createImport({ ...file, name: 'other.jsonl' });
		expect(second).toMatchObject({ status: 'running', committedLine: 0, counts: { lines: 0 } });
		expect((await listImports('p')).map((r) => r.id)).toEqual([second.id, first.id]);
		expect(await listImports('q')).toEqual([]);
		await updateImport(first.id, { status: 'done', finishedAt: 9 });
		expect(await getImport(first.id)).toMatchObject({ status: 'done', finishedAt: 9 });
		await expect(updateImport('nope', { status: 'done' })).rejects.toThrow('does not exist');
	});

	it('gives imports of one project distinct start times (log ids carry them)', async () => {
		vi.spyOn(Date, 'now').mockReturnValue(1_000);
		try {
			const starts = [];
			for (let i = 0; i < 3; i++) starts.push((await createImport(file)).startedAt);
			const elsewhere = await createImport({ ...file, projectId: 'q' });
			expect(starts).toEqual([1_000, 1_001, 1_002]);
			expect(elsewhere.startedAt).toBe(1_000);
		} finally {
			vi.restoreAllMocks();
		}
	});

	it('finds the latest resumable import of the same file only', async () => {
		await db.imports.bulkAdd([
			makeImport('done', 'p', { ...file, status: 'done', startedAt: 10 }),
			makeImport('old', 'p', { ...file, status: 'incomplete', startedAt: 20, committedLine: 50 }),
			makeImport('new', 'p', { ...file, status: 'cancelled', startedAt: 30, committedLine: 80 }),
			makeImport('other-hash', 'p', { ...file, hash: 'zzz', status: 'incomplete', startedAt: 40 }),
			makeImport('other-project', 'q', {
				...file,
				projectId: 'q',
				status: 'incomplete',
				startedAt: 50
			})
		]);
		expect((await findResumable('p', file.name, file.size, file.hash))?.id).toBe('new');
		expect(await findResumable('p', file.name, 999, file.hash)).toBeUndefined();
	});

	it('markInterrupted turns running imports with no live worker into incomplete ones', async () => {
		const counts = {
			lines: 300,
			blank: 0,
			accepted: 290,
			rejected: 10,
			duplicates: 0,
			logs: 290,
			formats: {}
		};
		await db.imports.bulkAdd([
			makeImport('crashed', 'p', { status: 'running', committedLine: 300, counts }),
			makeImport('alive', 'p', { status: 'running' }),
			makeImport('finished', 'p', { status: 'done' })
		]);
		const marked = await markInterrupted({ isAlive: (id) => id === 'alive' });
		expect(marked).toEqual(['crashed']);
		expect(await getImport('crashed')).toMatchObject({
			status: 'incomplete',
			committedLine: 300,
			counts
		});
		expect((await getImport('alive'))?.status).toBe('running');
		expect((await getImport('finished'))?.status).toBe('done');
		// Without Web Locks (node), no worker counts as alive.
		expect(await markInterrupted()).toEqual(['alive']);
		expect(importLockName('x')).toBe('tuneloop-import:x');
	});

	it('streams rejected lines in line order as JSONL, a page at a time', async () => {
		await db.imports.add(makeImport('i', 'p'));
		const rejects = Array.from({ length: 2500 }, (_, n) => ({
			importId: 'i',
			line: 2500 - n,
			reason: `bad ${2500 - n}`,
			raw: `{"broken": "line\n${n}"`
		}));
		await db.importRejects.bulkAdd(rejects);
		await db.importRejects.add({ importId: 'j', line: 1, reason: 'other import', raw: '' });

		const chunks: string[] = [];
		for await (const chunk of rejectsFor('i')) chunks.push(chunk);
		expect(chunks).toHaveLength(3);
		const lines = chunks.join('').trimEnd().split('\n');
		expect(lines).toHaveLength(2500);
		const parsed = lines.map(
			(line) => JSON.parse(line) as { line: number; reason: string; raw: string }
		);
		expect(parsed.map((row) => row.line)).toEqual(Array.from({ length: 2500 }, (_, n) => n + 1));
		expect(parsed[0]).toEqual({ line: 1, reason: 'bad 1', raw: '{"broken": "line\n2499"' });
		expect(Object.keys(parsed[0])).toEqual(['line', 'reason', 'raw']);

		expect((await rejectsPage('i', 0, 3)).map((r) => r.line)).toEqual([1, 2, 3]);
		expect((await rejectsPage('i', 2498)).map((r) => r.line)).toEqual([2499, 2500]);
		expect(await countRejects('i')).toBe(2500);
	});

	it('deleteImport removes the record and its rejects but keeps its logs', async () => {
		await db.imports.bulkAdd([makeImport('i', 'p'), makeImport('j', 'p')]);
		await db.importRejects.bulkAdd([
			{ importId: 'i', line: 1, reason: 'r', raw: '' },
			{ importId: 'i', line: 2, reason: 'r', raw: '' },
			{ importId: 'j', line: 1, reason: 'r', raw: '' }
		]);
		await db.logs.add(makeLog('p', 1, { source: { kind: 'file', importId: 'i', line: 3 } }));
		await deleteImport('i');
		expect(await getImport('i')).toBeUndefined();
		expect(await countRejects('i')).toBe(0);
		expect(await countRejects('j')).toBe(1);
		expect(await db.logs.count()).toBe(1);
	});
});
