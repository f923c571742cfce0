/**
 * Feedback writes from fast typing, coalesced: while one transaction is in flight, the events
 * that arrive meanwhile wait and then go together in the next one. A reviewer pressing keys
 * faster than IndexedDB commits never builds a backlog of transactions (which a reload would
 * abort, losing judgements); at most one transaction is in flight and one batch waits.
 * Order is kept: events commit in the order they were queued, and each caller gets its ids.
 *
 * Each write is journaled first (feedback-journal.ts, synchronous), so it survives a reload
 * before it commits; that lets the transaction itself start later, when `schedule` says (the
 * review queue's history passes "after the next paint", so the write never delays the frame
 * that shows the judgement).
 */
import { appendMany, type NewFeedbackEvent } from './feedback';
import { FeedbackJournal, newEventKey } from './feedback-journal';

interface Waiting {
	events: readonly NewFeedbackEvent[];
	/** The journal entry holding these events until they commit (null: not journaled). */
	entry: string | null;
	resolve: (ids: number[]) => void;
	reject: (error: unknown) => void;
}

export interface FeedbackQueueOptions {
	journal?: FeedbackJournal;
	/** When to start a write; by default at once (in a microtask). */
	schedule?: (start: () => void) => void;
}

export class FeedbackQueue {
	#waiting: Waiting[] = [];
	#running: Promise<void> | null = null;
	#journal: FeedbackJournal;
	#schedule: (start: () => void) => void;

	constructor(options: FeedbackQueueOptions = {}) {
		this.#journal = options.journal ?? new FeedbackJournal();
		this.#schedule = options.schedule ?? queueMicrotask;
	}

	/** Events queued or being written, not yet committed. */
	get pending(): number {
		return this.#waiting.reduce((n, w) => n + w.events.length, 0) + this.#inFlight;
	}
	#inFlight = 0;

	/**
	 * Queues events (journaled before this returns); resolves with their ids once they are
	 * committed. Events without a dedupe key get one, so a replayed journal adds nothing twice.
	 */
	add(events: readonly NewFeedbackEvent[]): Promise<number[]> {
		const keyed = events.map((event) => (event.key ? event : { ...event, key: newEventKey() }));
		const entry = this.#journal.write(keyed);
		return new Promise((resolve, reject) => {
			this.#waiting.push({ events: keyed, entry, resolve, reject });
			this.#running ??= new Promise<void>((start) => this.#schedule(start)).then(() =>
				this.#drain()
			);
		});
	}

	/** Resolves when everything queued so far is committed (or failed). */
	async idle(): Promise<void> {
		while (this.#running) await this.#running;
	}

	#settled(waiting: Waiting): void {
		if (waiting.entry) this.#journal.remove(waiting.entry);
	}

	async #writeAlone(waiting: Waiting): Promise<void> {
		try {
			waiting.resolve((await appendMany(waiting.events)).ids);
		} catch (error) {
			waiting.reject(error);
		}
		this.#settled(waiting);
	}

	async #drain(): Promise<void> {
		try {
			while (this.#waiting.length > 0) {
				const batch = this.#waiting;
				this.#waiting = [];
				const events = batch.flatMap((w) => w.events);
				this.#inFlight = events.length;
				try {
					const { ids } = await appendMany(events);
					let at = 0;
					for (const waiting of batch) {
						waiting.resolve(ids.slice(at, at + waiting.events.length));
						at += waiting.events.length;
						this.#settled(waiting);
					}
				} catch (error) {
					// The whole transaction rolled back. One caller's bad event (a log deleted
					// meanwhile) must not sink the others: write each on its own.
					if (batch.length === 1) {
						batch[0].reject(error);
						this.#settled(batch[0]);
					} else for (const waiting of batch) await this.#writeAlone(waiting);
				} finally {
					this.#inFlight = 0;
				}
			}
		} finally {
			this.#running = null;
		}
	}
}
