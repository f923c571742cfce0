/**
 * The review queue: one log at a time over a log-browser filter, driven by the keyboard.
 *
 * Built to feel the same on 100 and 100,000 logs: the ordered ids are computed once when the
 * queue starts (key-only index reads), moving is an index change, and the logs and events around
 * the current position are prefetched, so the next item paints in the same frame as the key.
 * A judgement updates the view at once (the pending event joins the log's events before it is
 * stored) and persists in its own transaction right after.
 */
import { deriveLogState, type LogState } from '$lib/core/feedback';
import { mulberry32 } from '$lib/core/random';
import type { FeedbackBody, FeedbackEvent, LogFilter, LogRecord } from '$lib/core/types';
import { eventsFor } from '$lib/db/feedback';
import { getLogs, queryLogIds } from '$lib/db/logs';
import { reviewedIds } from '$lib/db/review';
import { feedbackHistory } from './feedback-history.svelte';
import { handleError } from './handle-error';

export type ReviewOrder = 'unreviewed' | 'oldest' | 'newest' | 'random';

export const REVIEW_ORDERS: { value: ReviewOrder; label: string }[] = [
	{ value: 'unreviewed', label: 'Unreviewed first' },
	{ value: 'oldest', label: 'Oldest first' },
	{ value: 'newest', label: 'Newest first' },
	{ value: 'random', label: 'Random' }
];

/** How many items ahead (and behind) are kept loaded. */
const AHEAD = 12;
const BEHIND = 3;

/** Seeded Fisher–Yates: the same seed gives the same order (a reload keeps the queue). */
function shuffled(ids: string[], seed: number): string[] {
	const out = [...ids];
	const random = mulberry32(seed);
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

export class ReviewQueue {
	ids = $state.raw<string[]>([]);
	index = $state(0);
	order = $state<ReviewOrder>('unreviewed');
	seed = $state(1);
	isLoading = $state(false);
	/** Move to the next item after a thumb or an accept. */
	autoAdvance = $state(true);
	/** How many logs of the queue the user has judged (their own feedback in effect). */
	reviewedCount = $state(0);
	/** Bumped whenever cached logs or events change, so derived views recompute. */
	#version = $state(0);
	#projectId = '';
	#reviewed = new Set<string>();
	#logs = new Map<string, LogRecord>();
	#events = new Map<string, FeedbackEvent[]>();
	#loading = new Set<string>();
	#stopListening: (() => void) | null = null;
	#run = 0;

	get projectId(): string {
		return this.#projectId;
	}

	get currentId(): string | null {
		return this.ids[this.index] ?? null;
	}

	get current(): LogRecord | null {
		void this.#version;
		const id = this.currentId;
		return id ? (this.#logs.get(id) ?? null) : null;
	}

	/** The current log's derived feedback state (its stored events plus pending ones). */
	get state(): LogState | null {
		void this.#version;
		const id = this.currentId;
		const events = id ? this.#events.get(id) : undefined;
		return events ? deriveLogState(events) : null;
	}

	isReviewed(id: string): boolean {
		void this.#version;
		return this.#reviewed.has(id);
	}

	/** Builds the queue for a filter. Keeps the position on `keepId` when it is still there. */
	async start(filter: LogFilter, order: ReviewOrder, keepId?: string | null): Promise<void> {
		const run = ++this.#run;
		this.#projectId = filter.projectId;
		this.order = order;
		this.isLoading = true;
		this.#stopListening ??= feedbackHistory.listen((logIds) => void this.#reload(logIds));
		try {
			const sort = order === 'newest' ? 'newest' : 'oldest';
			const [matching, reviewed] = await Promise.all([
				queryLogIds(filter, sort),
				reviewedIds(filter.projectId)
			]);
			if (run !== this.#run) return;
			let ids = matching;
			if (order === 'random') ids = shuffled(matching, this.seed);
			if (order === 'unreviewed') {
				// Stable partition: what is left to do first, in age order, then the rest.
				ids = [
					...matching.filter((id) => !reviewed.has(id)),
					...matching.filter((id) => reviewed.has(id))
				];
			}
			this.#reviewed = new Set(ids.filter((id) => reviewed.has(id)));
			this.#logs.clear();
			this.#events.clear();
			this.ids = ids;
			this.reviewedCount = this.#reviewed.size;
			const kept = keepId ? ids.indexOf(keepId) : -1;
			this.index = kept >= 0 ? kept : 0;
			this.#version++;
			await this.#prefetch();
		} catch (error) {
			handleError(error, 'Could not build the review queue');
		} finally {
			if (run === this.#run) this.isLoading = false;
		}
	}

	go(index: number): void {
		if (this.ids.length === 0) return;
		this.index = Math.max(0, Math.min(this.ids.length - 1, index));
		void this.#prefetch();
	}

	next(): void {
		this.go(this.index + 1);
	}

	previous(): void {
		this.go(this.index - 1);
	}

	/** Jumps to the next log the user has not judged yet (wrapping around). */
	nextUnreviewed(): void {
		const n = this.ids.length;
		for (let step = 1; step <= n; step++) {
			const at = (this.index + step) % n;
			if (!this.#reviewed.has(this.ids[at])) return this.go(at);
		}
	}

	/**
	 * Records a statement about the current log: shown at once, stored right after, undoable.
	 * `advance` moves on in the same frame (thumbs and accept, when auto-advance is on).
	 */
	judge(label: string, body: FeedbackBody, advance = false): void {
		const logId = this.currentId;
		if (!logId) return;
		this.#judgeLogs(label, [{ logId, body }]);
		if (advance && this.autoAdvance) this.next();
	}

	/** Records several statements about one log as one undoable action (e.g. a pairwise pick). */
	judgeMany(label: string, judgements: { logId: string; body: FeedbackBody }[]): void {
		this.#judgeLogs(label, judgements);
	}

	/** The events of a log in the cache (loading them if needed), for side-by-side views. */
	stateOf(logId: string): LogState | null {
		void this.#version;
		const events = this.#events.get(logId);
		if (!events) {
			void this.#load([logId]);
			return null;
		}
		return deriveLogState(events);
	}

	logOf(logId: string): LogRecord | null {
		void this.#version;
		const log = this.#logs.get(logId);
		if (!log) void this.#load([logId]);
		return log ?? null;
	}

	#judgeLogs(label: string, judgements: { logId: string; body: FeedbackBody }[]): void {
		const at = Date.now();
		const pending: FeedbackEvent[] = [];
		for (const { logId, body } of judgements) {
			const event: FeedbackEvent = { logId, projectId: this.#projectId, at, actor: 'me', body };
			pending.push(event);
			this.#events.set(logId, [...(this.#events.get(logId) ?? []), event]);
			if (this.ids.includes(logId) && !this.#reviewed.has(logId)) {
				this.#reviewed.add(logId);
				this.reviewedCount = this.#reviewed.size;
			}
		}
		this.#version++;
		feedbackHistory
			.record(label, this.#projectId, judgements)
			.then((ids) => {
				// The stored ids let later undo events target these events.
				pending.forEach((event, index) => (event.id = ids[index]));
			})
			.catch((error: unknown) => {
				handleError(error, `Could not save ${label}`);
				void this.#reload(judgements.map((j) => j.logId));
			});
	}

	/** Re-reads logs whose events changed outside the queue's own writes (undo, redo). */
	async #reload(logIds: readonly string[]): Promise<void> {
		const cached = logIds.filter((id) => this.#events.has(id) || this.#logs.has(id));
		if (cached.length === 0) return;
		for (const id of cached) {
			this.#events.delete(id);
			this.#logs.delete(id);
		}
		await this.#load(cached);
		for (const id of cached) {
			if (!this.ids.includes(id)) continue;
			const events = this.#events.get(id);
			const mine = events ? deriveLogState(events).hasMine : false;
			if (mine) this.#reviewed.add(id);
			else this.#reviewed.delete(id);
		}
		this.reviewedCount = this.#reviewed.size;
		this.#version++;
	}

	async #prefetch(): Promise<void> {
		const from = Math.max(0, this.index - BEHIND);
		const window = this.ids.slice(from, this.index + AHEAD + 1);
		// Forget what is far behind so a long session does not hold every log it passed.
		if (this.#logs.size > 400) {
			const keep = new Set(this.ids.slice(Math.max(0, this.index - 50), this.index + 100));
			for (const id of this.#logs.keys()) if (!keep.has(id)) this.#logs.delete(id);
			for (const id of this.#events.keys()) if (!keep.has(id)) this.#events.delete(id);
		}
		await this.#load(window.filter((id) => !this.#logs.has(id) || !this.#events.has(id)));
	}

	async #load(ids: string[]): Promise<void> {
		const wanted = ids.filter((id) => !this.#loading.has(id));
		if (wanted.length === 0) return;
		for (const id of wanted) this.#loading.add(id);
		try {
			const [logs, events] = await Promise.all([
				getLogs(wanted),
				Promise.all(wanted.map((id) => eventsFor(id)))
			]);
			wanted.forEach((id, index) => {
				const log = logs[index];
				if (log) this.#logs.set(id, log);
				// Pending events written meanwhile are already in the stored list or still on their
				// way: keep the cached list when it is longer.
				const cached = this.#events.get(id);
				if (!cached || cached.length <= events[index].length) this.#events.set(id, events[index]);
			});
			this.#version++;
		} catch (error) {
			handleError(error, 'Could not load logs');
		} finally {
			for (const id of wanted) this.#loading.delete(id);
		}
	}
}

export const reviewQueue = new ReviewQueue();
