import { beforeEach, describe, expect, it } from 'vitest';
import { importLogId } from '../core/log-id';
import type { RejectedLine } from '../core/types';
import type { AppDB } from './db';
import { StorageFullError } from './errors';
import { appendFeedback, eventsFor, type NewFeedbackEvent } from './feedback';
import { addLogs, countLogs, getLogs, writeImportBatch, type ImportBatch } from './logs';
import { makeImport, makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
beforeEach(async () => {
	db = useTestDb();
	await db.imports.add(makeImport('imp-1', 'p'));
});

function batch(from: number, to: number, extra: Partial<ImportBatch> = {}): ImportBatch {
	const logs = [];
	const feedback: NewFeedbackEvent[] = [];
	for (let n = from; n < to; n++) {
		const log = makeLog('p', n);
		logs.push(log);
		if (n % 2 === 0) {
			feedback.push({
				logId: log.id,
				projectId: 'p',
				at: 1000 + n,
				actor: 'imported',
				body: { kind: 'thumb', value: n % 4 === 0 ? 1 : -1 }
			});
		}
	}
	const rejects: RejectedLine[] = [
		{ importId: 'imp-1', line: to + 1, reason: 'not JSON', raw: '{' }
	];
	return {
		importId: 'imp-1',
		logs,
		feedback,
		rejects,
		importPatch: (outcome, current) => ({
			committedLine: to + 1,
			counts: {
				...current.counts,
				logs: current.counts.logs + outcome.newLogs,
				duplicates: current.counts.duplicates + outcome.duplicateLines
			}
		}),
		...extra
	};
}

async function tableSizes() {
	return {
		logs: await db.logs.count(),
		feedback: await db.feedback.count(),
		rejects: await db.importRejects.count()
	};
}

describe('writeImportBatch', () => {
	it('writes logs, feedback, rejects and the import progress together', async () => {
		const result = await writeImportBatch(batch(0, 10));
		expect(result).toMatchObject({
			newLogs: 10,
			duplicateLogs: 0,
			duplicateLines: 0,
			feedbackAdded: 5,
			feedbackSkipped: 0
		});
		expect(result.record.committedLine).toBe(11);
		expect(result.record.counts.logs).toBe(10);
		expect(await tableSizes()).toEqual({ logs: 10, feedback: 5, rejects: 1 });
		expect(await db.imports.get('imp-1')).toEqual(result.record);

		// Summaries follow the feedback written in the same batch.
		const [zero, one, two] = await getLogs(['p:h000000', 'p:h000001', 'p:h000002']);
		expect(zero).toMatchObject({ thumb: 1, hasFeedback: 1 });
		expect(one).toMatchObject({ thumb: 0, hasFeedback: 0 });
		expect(two).toMatchObject({ thumb: -1, hasFeedback: 1 });
		const [event] = await eventsFor('p:h000000');
		expect(event.key).toMatch(/^p:h000000\|imported\|/);
	});

	it('ignores the summary a caller puts on a new log: it is derived from events', async () => {
		const log = { ...makeLog('p', 1), thumb: 1 as const, hasFeedback: 1 as const, tags: ['x'] };
		await writeImportBatch({
			importId: 'imp-1',
			logs: [log],
			feedback: [],
			rejects: [],
			importPatch: {}
		});
		expect(await db.logs.get(log.id)).toMatchObject({ thumb: 0, hasFeedback: 0, tags: [] });
	});

	it('stores what a log without feedback has by default sparse, and reads it back whole', async () => {
		const at = 1_700_000_000_000;
		const id = importLogId('p', at, 7, 0);
		const log = { ...makeLog('p', 7), id, createdAt: at, importedAt: at };
		const { thumb, rating, hasFeedback, corrected, tags, ...imported } = log;
		expect([thumb, rating, hasFeedback, corrected, tags]).toEqual([0, 0, 0, 0, []]);
		await writeImportBatch({
			importId: 'imp-1',
			logs: [imported],
			feedback: [],
			rejects: [],
			importPatch: {}
		});

		const [row] = await db.logs.where('id').equals(id).raw().toArray();
		for (const field of [
			'thumb',
			'rating',
			'hasFeedback',
			'corrected',
			'tags',
			'createdAt',
			'importedAt'
		])
			expect(row, field).not.toHaveProperty(field);
		expect(await db.logs.get(id)).toEqual(log);

		// A rating is stored once given, and left out again once cleared.
		const rate = (value: number | null) =>
			appendFeedback({
				logId: id,
				projectId: 'p',
				at: at + 1,
				actor: 'me',
				body: { kind: 'rating', value }
			});
		await rate(4);
		expect((await db.logs.where('id').equals(id).raw().toArray())[0]).toMatchObject({ rating: 4 });
		await rate(null);
		expect((await db.logs.where('id').equals(id).raw().toArray())[0]).not.toHaveProperty('rating');
		expect(await db.logs.get(id)).toMatchObject({ rating: 0, tags: [] });
	});

	it('is all-or-nothing: a batch that fails midway leaves nothing behind', async () => {
		await writeImportBatch(batch(0, 4));
		const before = await tableSizes();
		const record = await db.imports.get('imp-1');

		// Fails after logs, feedback and rejects were written inside the transaction.
		const failing = batch(4, 20, {
			importPatch: () => {
				throw new Error('boom');
			}
		});
		await expect(writeImportBatch(failing)).rejects.toThrow('boom');
		expect(await tableSizes()).toEqual(before);
		expect(await db.imports.get('imp-1')).toEqual(record);
		expect(await db.logs.get('p:h000010')).toBeUndefined();

		// Feedback about a log that is neither stored nor in the batch also aborts everything.
		const orphan = batch(20, 30);
		orphan.feedback.push({
			logId: 'p:nope',
			projectId: 'p',
			at: 1,
			actor: 'imported',
			body: { kind: 'comment', text: 'x' }
		});
		await expect(writeImportBatch(orphan)).rejects.toThrow('p:nope');
		expect(await tableSizes()).toEqual(before);
	});

	it('surfaces a full disk as StorageFullError and writes nothing', async () => {
		const full = batch(0, 10, {
			importPatch: () => {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			}
		});
		const error = await writeImportBatch(full).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StorageFullError);
		expect((error as Error).message).toMatch(/^Browser storage is full: /);
		expect(await tableSizes()).toEqual({ logs: 0, feedback: 0, rejects: 0 });
	});

	it('fails without writing when the import record does not exist', async () => {
		await expect(writeImportBatch(batch(0, 3, { importId: 'missing' }))).rejects.toThrow(
			'does not exist'
		);
		expect(await tableSizes()).toEqual({ logs: 0, feedback: 0, rejects: 0 });
	});

	it('replaying the same batch adds no duplicate logs, feedback or rejects', async () => {
		const first = await writeImportBatch(batch(0, 10));
		const replay = await writeImportBatch(batch(0, 10));
		expect(replay).toMatchObject({
			newLogs: 0,
			duplicateLogs: 10,
			duplicateLines: 10,
			feedbackAdded: 0,
			feedbackSkipped: 5
		});
		expect(replay.isNew).toEqual(new Array(10).fill(false));
		expect(await tableSizes()).toEqual({ logs: 10, feedback: 5, rejects: 1 });
		expect(first.record.counts.logs).toBe(10);
		expect(replay.record.counts.logs).toBe(10);
		expect(replay.record.counts.duplicates).toBe(10);
	});

	it('counts repeats within a batch and adds new feedback to an existing log', async () => {
		await writeImportBatch(batch(0, 2));
		const again = makeLog('p', 0);
		const fresh = makeLog('p', 5);
		const result = await writeImportBatch({
			importId: 'imp-1',
			logs: [again, fresh, { ...fresh, source: { ...fresh.source, line: 99 } }],
			feedback: [
				{
					logId: again.id,
					projectId: 'p',
					at: 5,
					actor: 'imported',
					body: { kind: 'comment', text: 'new' }
				},
				{
					logId: again.id,
					projectId: 'p',
					at: 6,
					actor: 'imported',
					body: { kind: 'tag', tag: 'b', on: true }
				},
				// Same statement twice in one batch: stored once.
				{
					logId: fresh.id,
					projectId: 'p',
					at: 7,
					actor: 'imported',
					body: { kind: 'rating', value: 4 }
				},
				{
					logId: fresh.id,
					projectId: 'p',
					at: 8,
					actor: 'imported',
					body: { kind: 'rating', value: 4 }
				}
			],
			rejects: [],
			importPatch: {}
		});
		expect(result).toMatchObject({
			newLogs: 1,
			duplicateLogs: 2,
			duplicateLines: 2,
			feedbackAdded: 3,
			feedbackSkipped: 1
		});
		expect(result.isNew).toEqual([false, true, false]);
		expect(await db.logs.get(again.id)).toMatchObject({ thumb: 1, tags: ['b'], hasFeedback: 1 });
		expect(await db.logs.get(fresh.id)).toMatchObject({ rating: 4 });
		expect(await countLogs('p')).toBe(3);
	});
});

describe('addLogs', () => {
	it('adds playground logs once', async () => {
		const log = makeLog('p', 1, { source: { kind: 'playground' } });
		expect(await addLogs([log, log])).toEqual({ added: 1, duplicates: 1 });
		expect(await addLogs([log])).toEqual({ added: 0, duplicates: 1 });
		expect(await getLogs([log.id, 'p:none'])).toEqual([log, undefined]);
	});
});

describe('content identity', () => {
	it('refuses a log whose content is stored under another id, and moves its feedback there', async () => {
		const stored = makeLog('p', 7);
		await addLogs([stored]);
		const again = { ...makeLog('p', 7), id: 'p:another-id' };
		const result = await writeImportBatch({
			importId: 'imp-1',
			logs: [again],
			feedback: [
				{
					logId: again.id,
					projectId: 'p',
					at: 5,
					actor: 'imported',
					body: { kind: 'thumb', value: -1 }
				}
			],
			rejects: [],
			importPatch: {}
		});
		expect(result.newLogs).toBe(0);
		expect(result.isNew).toEqual([false]);
		expect(await countLogs('p')).toBe(1);
		expect((await getLogs([stored.id]))[0]?.thumb).toBe(-1);
		expect(await eventsFor('p:another-id')).toEqual([]);
	});
});
