import { beforeEach, describe, expect, it } from 'vitest';
import { appendInChunks, CHUNK, deleteLogs, restoreDeleted } from './bulk';
import type { AppDB } from './db';
import type { NewFeedbackEvent } from './feedback';
import { queryLogIds } from './log-query';
import { makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
const COUNT = CHUNK * 2 + 17;
const logs = Array.from({ length: COUNT }, (_, n) => makeLog('p', n));

beforeEach(async () => {
	db = useTestDb();
	await db.logs.bulkAdd(logs);
});

const thumb = (logId: string, value: 1 | -1): NewFeedbackEvent => ({
	logId,
	projectId: 'p',
	at: 100,
	actor: 'me',
	body: { kind: 'thumb', value }
});

describe('bulk actions', () => {
	it('appends feedback for many logs in chunks, reporting progress, ids in input order', async () => {
		const seen: number[] = [];
		const ids = await appendInChunks(
			logs.map((log) => thumb(log.id, -1)),
			(done) => seen.push(done)
		);
		expect(ids).toHaveLength(COUNT);
		expect(new Set(ids).size).toBe(COUNT);
		expect(seen).toEqual([CHUNK, CHUNK * 2, COUNT]);
		expect(await db.logs.where('facets').equals(['p', 'thumb', -1]).count()).toBe(COUNT);
		expect(await db.logs.where('facets').equals(['p', 'reviewed', 1]).count()).toBe(COUNT);
		const first = await db.feedback.get(ids[0]);
		expect(first?.logId).toBe(logs[0].id);
	});

	it('deletes logs with their feedback and restores them exactly', async () => {
		const chosen = logs.filter((_, n) => n % 3 === 0).map((log) => log.id);
		await appendInChunks(chosen.map((id) => thumb(id, 1)));
		const before = await db.logs.bulkGet(chosen);
		const eventsBefore = await db.feedback.where('logId').anyOf(chosen).sortBy('id');

		const deleted = await deleteLogs(chosen);
		expect(deleted.logs).toHaveLength(chosen.length);
		expect(deleted.feedback).toHaveLength(chosen.length);
		expect(await db.logs.count()).toBe(COUNT - chosen.length);
		expect(await db.feedback.count()).toBe(0);

		expect(await restoreDeleted(deleted)).toBe(chosen.length);
		expect(await db.logs.bulkGet(chosen)).toEqual(before);
		expect(await db.feedback.where('logId').anyOf(chosen).sortBy('id')).toEqual(eventsBefore);
	});

	it('does not duplicate a log imported again after it was deleted', async () => {
		const [victim] = logs;
		const deleted = await deleteLogs([victim.id]);
		await db.logs.add({ ...victim, id: 'p:reimported' });
		expect(await restoreDeleted(deleted)).toBe(0);
		expect(
			await db.logs
				.where('[projectId+inputHash+hash]')
				.equals(['p', victim.inputHash, victim.hash])
				.primaryKeys()
		).toEqual(['p:reimported']);
	});

	it('queries see every change at once: cached reads are dropped when logs change', async () => {
		const down = () => queryLogIds({ projectId: 'p', thumb: -1 }, 'newest');
		const unreviewed = () => queryLogIds({ projectId: 'p', reviewed: false }, 'oldest');
		expect(await down()).toEqual([]);
		expect(await unreviewed()).toHaveLength(COUNT);
		const ids = await appendInChunks([thumb(logs[0].id, -1), thumb(logs[1].id, -1)]);
		expect((await down()).sort()).toEqual([logs[0].id, logs[1].id].sort());
		expect(await unreviewed()).toHaveLength(COUNT - 2);
		await appendInChunks([{ ...thumb(logs[0].id, -1), body: { kind: 'undo', eventId: ids[0] } }]);
		expect(await down()).toEqual([logs[1].id]);
		await deleteLogs([logs[1].id]);
		expect(await down()).toEqual([]);
		expect(await queryLogIds({ projectId: 'p' }, 'oldest')).toHaveLength(COUNT - 1);
	});
});
