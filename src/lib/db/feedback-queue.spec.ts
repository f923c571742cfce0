import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDB } from './db';
import * as feedback from './feedback';
import { FeedbackQueue } from './feedback-queue';
import { makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
const logs = Array.from({ length: 30 }, (_, n) => makeLog('p', n));
beforeEach(async () => {
	db = useTestDb();
	await db.logs.bulkAdd(logs);
});

const thumb = (logId: string, value: 1 | -1): feedback.NewFeedbackEvent => ({
	logId,
	projectId: 'p',
	at: 1,
	actor: 'me',
	body: { kind: 'thumb', value }
});

describe('FeedbackQueue', () => {
	it('coalesces events that arrive while a write is in flight, keeping order and ids', async () => {
		const spy = vi.spyOn(feedback, 'appendMany');
		const queue = new FeedbackQueue();
		const calls = logs.map((log, n) => queue.add([thumb(log.id, n % 2 ? 1 : -1)]));
		expect(queue.pending).toBe(30);
		const ids = await Promise.all(calls);
		// The first event goes alone; the other 29 arrived meanwhile and go together.
		expect(spy).toHaveBeenCalledTimes(2);
		expect(ids.flat()).toEqual([...ids.flat()].sort((a, b) => a - b));
		const stored = await db.feedback.bulkGet(ids.flat());
		expect(stored.map((event) => event?.logId)).toEqual(logs.map((log) => log.id));
		expect(queue.pending).toBe(0);
		spy.mockRestore();
	});

	it('a bad event fails alone; the others of its batch and later ones still land', async () => {
		const queue = new FeedbackQueue();
		const first = queue.add([thumb(logs[0].id, 1)]);
		const bad = queue.add([thumb('p:missing', 1)]);
		const good = queue.add([thumb(logs[1].id, -1)]);
		await expect(first).resolves.toHaveLength(1);
		// bad and good went as one batch, which rolled back; each is then written on its own.
		await expect(bad).rejects.toThrow('does not exist');
		await expect(good).resolves.toHaveLength(1);
		const later = await queue.add([thumb(logs[2].id, 1)]);
		expect(later).toHaveLength(1);
		await queue.idle();
		expect((await db.feedback.toArray()).map((event) => event.logId)).toEqual([
			logs[0].id,
			logs[1].id,
			logs[2].id
		]);
	});
});
