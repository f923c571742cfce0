/**
 * Feedback writes from fast typing, coalesced: while one transaction is in flight, the events
 * that arrive meanwhile wait and then go together in the next one. A reviewer pressing keys
 * faster than IndexedDB commits never builds a backlog of transactions (which a reload would
 * abort, losing judgements); at most one transaction is in flight and one batch waits.
 * Order is kept: events commit in the order they were queued, and each caller gets its ids.
 */
import { appendMany, type NewFeedbackEvent } from './feedback';

interface Waiting {
	events: readonly NewFeedbackEvent[];
	resolve: (ids: number[]) => void;
	reject: (error: unknown) => void;
}

export class FeedbackQueue {
	#waiting: Waiting[] = [];
	#running: Promise<void> | null = null;

	/** Events queued or being written, not yet committed. */
	get pending(): number {
		return this.#waiting.reduce((n, w) => n + w.events.length, 0) + this.#inFlight;
	}
	#inFlight = 0;

	/** Queues events; resolves with their ids once they are committed. */
	add(events: readonly NewFeedbackEvent[]): Promise<number[]> {
		return new Promise((resolve, reject) => {
			this.#waiting.push({ events, resolve, reject });
			this.#running ??= this.#drain();
		});
	}

	/** Resolves when everything queued so far is committed (or failed). */
	async idle(): Promise<void> {
		while (this.#running) await this.#running;
	}

	async #writeAlone(waiting: Waiting): Promise<void> {
		try {
			waiting.resolve((await appendMany(waiting.events)).ids);
		} catch (error) {
			waiting.reject(error);
		}
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
					}
				} catch (error) {
					// The whole transaction rolled back. One caller's bad event (a log deleted
					// meanwhile) must not sink the others: write each on its own.
					if (batch.length === 1) batch[0].reject(error);
					else for (const waiting of batch) await this.#writeAlone(waiting);
				} finally {
					this.#inFlight = 0;
				}
			}
		} finally {
			this.#running = null;
		}
	}
}
