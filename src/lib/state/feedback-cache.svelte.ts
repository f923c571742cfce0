/**
 * Logs and their feedback events held in memory by a page that judges them (the review queue,
 * the pairwise view). Reads are synchronous, so an item paints in the same frame as the key that
 * asked for it; writes show at once (the pending event joins the log's events before it is
 * stored) and persist right after through the undo history. Undo and redo re-read the logs they
 * touched.
 */
import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { deriveLogState, type LogState } from '$lib/core/feedback';
import type { FeedbackBody, FeedbackEvent, LogRecord } from '$lib/core/types';
import { eventsFor } from '$lib/db/feedback';
import { getLogs } from '$lib/db/logs';
import { feedbackHistory } from './feedback-history.svelte';
import { handleError } from './handle-error';

export interface Judgement {
	logId: string;
	body: FeedbackBody;
}

export class FeedbackCache {
	// Reactive per log: a reader of one log's entry updates when that entry changes, not when the
	// prefetch loads the next ones (which would re-render the item on screen for nothing).
	#logs = new SvelteMap<string, LogRecord>();
	#events = new SvelteMap<string, FeedbackEvent[]>();
	// Not read by views: a plain set.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#loading = new Set<string>();
	#onReloaded: (logIds: string[]) => void;

	/** `onReloaded` hears which cached logs were re-read after an undo or redo. */
	constructor(onReloaded: (logIds: string[]) => void = () => {}) {
		this.#onReloaded = onReloaded;
		feedbackHistory.listen((logIds) => void this.reload(logIds));
	}

	log(id: string): LogRecord | null {
		return this.#logs.get(id) ?? null;
	}

	/** The log's derived feedback state, or null while its events are not loaded. */
	state(id: string): LogState | null {
		const events = this.#events.get(id);
		return events ? deriveLogState(events) : null;
	}

	has(id: string): boolean {
		return untrack(() => this.#logs.has(id) && this.#events.has(id));
	}

	get size(): number {
		return untrack(() => this.#logs.size);
	}

	clear(): void {
		this.#logs.clear();
		this.#events.clear();
	}

	/** Drops everything not in `keep` (long sessions must not hold every log they passed). */
	retain(keep: ReadonlySet<string>): void {
		for (const id of [...untrack(() => this.#logs.keys())])
			if (!keep.has(id)) this.#logs.delete(id);
		for (const id of [...untrack(() => this.#events.keys())])
			if (!keep.has(id)) this.#events.delete(id);
	}

	/** Loads logs and their events not cached yet (one bulk read plus one index read per log). */
	async load(ids: readonly string[]): Promise<void> {
		const wanted = ids.filter((id) => !this.has(id) && !this.#loading.has(id));
		if (wanted.length === 0) return;
		for (const id of wanted) this.#loading.add(id);
		try {
			// Judgements a reload interrupted are written back first, so they show.
			await feedbackHistory.ready();
			const [logs, events] = await Promise.all([
				getLogs(wanted),
				Promise.all(wanted.map((id) => eventsFor(id)))
			]);
			wanted.forEach((id, index) => {
				const log = logs[index];
				if (log) this.#logs.set(id, log);
				// A judgement made while this read ran is already in the cached list (and maybe not
				// yet in the stored one): keep the longer list.
				const cached = untrack(() => this.#events.get(id));
				if (!cached || cached.length <= events[index].length) this.#events.set(id, events[index]);
			});
		} catch (error) {
			handleError(error, 'Could not load logs');
		} finally {
			for (const id of wanted) this.#loading.delete(id);
		}
	}

	/**
	 * Records the user's statements: visible at once, persisted right after as one undoable action.
	 * Returns when they are stored (callers need not wait).
	 */
	async record(label: string, projectId: string, judgements: readonly Judgement[]): Promise<void> {
		const at = Date.now();
		const pending: FeedbackEvent[] = judgements.map(({ logId, body }) => ({
			logId,
			projectId,
			at,
			actor: 'me',
			body
		}));
		for (const event of pending) {
			const before = untrack(() => this.#events.get(event.logId)) ?? [];
			this.#events.set(event.logId, [...before, event]);
		}
		try {
			const ids = await feedbackHistory.record(label, projectId, judgements);
			// The stored ids let later undo events target these events.
			pending.forEach((event, index) => (event.id = ids[index]));
		} catch (error) {
			handleError(error, `Could not save ${label}`);
			await this.reload(judgements.map((j) => j.logId));
		}
	}

	/** Re-reads cached logs whose events changed elsewhere (undo, redo, a failed write). */
	async reload(logIds: readonly string[]): Promise<void> {
		const cached = untrack(() => logIds.filter((id) => this.#events.has(id) || this.#logs.has(id)));
		if (cached.length === 0) return;
		for (const id of cached) {
			this.#events.delete(id);
			this.#logs.delete(id);
		}
		await this.load(cached);
		this.#onReloaded(cached);
	}
}
