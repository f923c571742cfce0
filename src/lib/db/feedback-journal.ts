/**
 * A write-ahead journal for the user's small feedback writes, in localStorage.
 *
 * A judgement must survive a reload made right after its key, but writing it to IndexedDB inside
 * the key's handler delays the frame that shows the next item. localStorage writes are
 * synchronous and cheap for a few events, and survive a reload: the queue journals each write at
 * once, writes it to IndexedDB when the frame is painted, and clears the entry once committed.
 * At start-up, entries left over (a reload or a closed tab mid-write) are replayed. Replaying is
 * idempotent: every journaled event carries a unique `key`, and an event whose key is stored is
 * not added again (so a replay racing the original write, in another tab, adds nothing twice).
 */
import { appendMany, MissingLogError, type NewFeedbackEvent } from './feedback';

const PREFIX = 'tuneloop.feedback-journal.';

/** The part of the Web Storage API the journal uses (tests pass a Map-backed one). */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

function defaultStorage(): JournalStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null; // storage disabled by the browser's settings
	}
}

/** A dedupe key for one of the user's own events, so a replay cannot add it twice. */
export function newEventKey(): string {
	return `me:${crypto.randomUUID()}`;
}

export class FeedbackJournal {
	#storage: JournalStorage | null;
	#counter = 0;

	constructor(storage: JournalStorage | null = defaultStorage()) {
		this.#storage = storage;
	}

	/**
	 * Journals events (each must have a `key`); returns the entry's id, or null when the journal
	 * could not take them (no storage, or storage full): the caller then writes without one.
	 */
	write(events: readonly NewFeedbackEvent[]): string | null {
		if (!this.#storage) return null;
		// Ids sort in write order: time, then a counter for writes in the same millisecond.
		const id = `${Date.now().toString().padStart(15, '0')}.${(this.#counter++).toString().padStart(6, '0')}.${crypto.randomUUID().slice(0, 8)}`;
		try {
			this.#storage.setItem(PREFIX + id, JSON.stringify(events));
			return id;
		} catch {
			return null;
		}
	}

	remove(id: string): void {
		try {
			this.#storage?.removeItem(PREFIX + id);
		} catch {
			// nothing to do: a replay of a committed entry adds nothing
		}
	}

	/** The entries not yet cleared, oldest first; unreadable ones are dropped. */
	entries(): { id: string; events: NewFeedbackEvent[] }[] {
		const storage = this.#storage;
		if (!storage) return [];
		const ids: string[] = [];
		for (let i = 0; i < storage.length; i++) {
			const key = storage.key(i);
			if (key?.startsWith(PREFIX)) ids.push(key.slice(PREFIX.length));
		}
		ids.sort();
		const out: { id: string; events: NewFeedbackEvent[] }[] = [];
		for (const id of ids) {
			try {
				const events = JSON.parse(storage.getItem(PREFIX + id) ?? 'null') as unknown;
				if (Array.isArray(events)) out.push({ id, events: events as NewFeedbackEvent[] });
				else this.remove(id);
			} catch {
				this.remove(id);
			}
		}
		return out;
	}

	/**
	 * Writes every left-over entry to IndexedDB, oldest first, and clears it. An entry that cannot
	 * be written because its log is gone (deleted meanwhile) is cleared and counted as dropped;
	 * any other failure keeps it for the next start and is thrown.
	 */
	async replay(): Promise<{ replayed: number; dropped: number }> {
		let replayed = 0;
		let dropped = 0;
		for (const { id, events } of this.entries()) {
			try {
				await appendMany(events);
				replayed += events.length;
			} catch (error) {
				if (!(error instanceof MissingLogError)) throw error;
				dropped += events.length;
			}
			this.remove(id);
		}
		return { replayed, dropped };
	}
}
