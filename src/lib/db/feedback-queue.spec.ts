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
		let start = () => {};
		const queue = new FeedbackQueue({ schedule: (run) => (start = run) });
		const first = queue.add([thumb(logs[0].id, -1)]);
		start(); // the first write starts (as after a paint)…
		await Promise.resolve();
		// …and the other 29 arrive while it is in flight.
		const calls = [
			first,
			...logs.slice(1).map((log, n) => queue.add([thumb(log.id, (n + 1) % 2 ? 1 : -1)]))
		];
		expect(queue.pending).toBe(30);
		const ids = await Promise.all(calls);
		// The first event goes alone; the other 29 go together in the next transaction.
		expect(spy).toHaveBeenCalledTimes(2);
		expect(spy.mock.calls[1][0]).toHaveLength(29);
		expect(ids.flat()).toEqual([...ids.flat()].sort((a, b) => a - b));
		const stored = await db.feedback.bulkGet(ids.flat());
		expect(stored.map((event) => event?.logId)).toEqual(logs.map((log) => log.id));
		expect(queue.pending).toBe(0);
		spy.mockRestore();
	});

	it('waits for its schedule before writing; events queued meanwhile go in one transaction', async () => {
		const spy = vi.spyOn(feedback, 'appendMany');
		let start = () => {};
		const queue = new FeedbackQueue({ schedule: (run) => (start = run) });
		const calls = logs.slice(0, 5).map((log) => queue.add([thumb(log.id, 1)]));
		await Promise.resolve();
		expect(spy).not.toHaveBeenCalled();
		start();
		await Promise.all(calls);
		expect(spy).toHaveBeenCalledTimes(1);
		expect(await db.feedback.count()).toBe(5);
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
