import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDB } from './db';
import type { NewFeedbackEvent } from './feedback';
import { FeedbackJournal, newEventKey, type JournalStorage } from './feedback-journal';
import { FeedbackQueue } from './feedback-queue';
import { makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

/** localStorage's behaviour over a Map; `full` makes every write throw as a full disk does. */
class MemoryStorage implements JournalStorage {
	items = new Map<string, string>();
	full = false;
	get length(): number {
		return this.items.size;
	}
	key(index: number): string | null {
		return [...this.items.keys()][index] ?? null;
	}
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		if (this.full) throw new DOMException('full', 'QuotaExceededError');
		this.items.set(key, value);
	}
	removeItem(key: string): void {
		this.items.delete(key);
	}
}

let db: AppDB;
const logs = Array.from({ length: 5 }, (_, n) => makeLog('p', n));
beforeEach(async () => {
	db = useTestDb();
	await db.logs.bulkAdd(logs);
});

const thumb = (logId: string, value: 1 | -1): NewFeedbackEvent => ({
	logId,
	projectId: 'p',
	at: 1,
	actor: 'me',
	body: { kind: 'thumb', value },
	key: newEventKey()
});

/** A queue whose writes never start: the page went away before the frame was painted. */
const neverStarts = () => {};

describe('FeedbackJournal', () => {
	it('keeps writes a reload interrupted and stores them on the next start, in order', async () => {
		const storage = new MemoryStorage();
		const queue = new FeedbackQueue({
			journal: new FeedbackJournal(storage),
			schedule: neverStarts
		});
		void queue.add([thumb(logs[0].id, 1)]);
		void queue.add([thumb(logs[1].id, -1)]);
		void queue.add([thumb(logs[0].id, -1)]);
		expect(await db.feedback.count()).toBe(0);
		expect(storage.length).toBe(3);

		// The next page load.
		const result = await new FeedbackJournal(storage).replay();
		expect(result).toEqual({ replayed: 3, dropped: 0 });
		expect(storage.length).toBe(0);
		const stored = await db.feedback.orderBy('id').toArray();
		expect(stored.map((e) => [e.logId, (e.body as { value: number }).value])).toEqual([
			[logs[0].id, 1],
			[logs[1].id, -1],
			[logs[0].id, -1]
		]);
		const summary = await db.logs.get(logs[0].id);
		expect([summary?.thumb, summary?.reviewed]).toEqual([-1, 1]);
	});

	it('clears an entry once its write commits, and a replay after that adds nothing', async () => {
		const storage = new MemoryStorage();
		const journal = new FeedbackJournal(storage);
		const queue = new FeedbackQueue({ journal });
		const event = thumb(logs[2].id, 1);
		// A copy of the entry, as if the tab closed between the commit and the clearing.
		const copy = journal.write([event]);
		await queue.add([event]);
		expect(storage.length).toBe(1);
		expect(copy).not.toBeNull();
		await new FeedbackJournal(storage).replay();
		expect(await db.feedback.count()).toBe(1);
		expect(storage.length).toBe(0);
	});

	it('gives every event without a key one, so replays are idempotent', async () => {
		const storage = new MemoryStorage();
		const queue = new FeedbackQueue({
			journal: new FeedbackJournal(storage),
			schedule: neverStarts
		});
		const { key: _drop, ...unkeyed } = thumb(logs[0].id, 1);
		void _drop;
		void queue.add([unkeyed]);
		const [{ events }] = new FeedbackJournal(storage).entries();
		expect(events[0].key).toMatch(/^me:/);
		await new FeedbackJournal(storage).replay();
		await new FeedbackJournal(storage).replay();
		expect(await db.feedback.count()).toBe(1);
	});

	it('drops, and counts, events for logs deleted before the replay; keeps the rest', async () => {
		const storage = new MemoryStorage();
		const journal = new FeedbackJournal(storage);
		journal.write([thumb(logs[3].id, 1)]);
		journal.write([thumb('p:gone', 1)]);
		const result = await new FeedbackJournal(storage).replay();
		expect(result).toEqual({ replayed: 1, dropped: 1 });
		expect(storage.length).toBe(0);
		expect(await db.feedback.count()).toBe(1);
	});

	it('still writes when storage is full or missing (without a journal entry)', async () => {
		const storage = new MemoryStorage();
		storage.full = true;
		const full = new FeedbackQueue({ journal: new FeedbackJournal(storage) });
		await expect(full.add([thumb(logs[0].id, 1)])).resolves.toHaveLength(1);
		const none = new FeedbackQueue({ journal: new FeedbackJournal(null) });
		await expect(none.add([thumb(logs[1].id, 1)])).resolves.toHaveLength(1);
		expect(await db.feedback.count()).toBe(2);
	});

	it('drops unreadable entries instead of failing the start', async () => {
		const storage = new MemoryStorage();
		storage.setItem('tuneloop.feedback-journal.000000000000001.000000.x', '{not json');
		expect(await new FeedbackJournal(storage).replay()).toEqual({ replayed: 0, dropped: 0 });
		expect(storage.length).toBe(0);
	});
});
