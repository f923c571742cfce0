/**
 * The review queue: one log at a time over a log-browser filter, driven by the keyboard.
 *
 * Built to feel the same on 100 and 100,000 logs: the ordered ids are computed once when the
 * queue starts (key-only index reads), moving is an index change, and the logs and events around
 * the current position are prefetched, so the next item paints in the same frame as the key.
 * A judgement updates the view at once (the pending event joins the log's events before it is
 * stored) and persists once that frame is painted (journaled meanwhile: see feedback-journal.ts).
 * The prefetch and the sibling counts also wait for the paint, so a key's frame does only the
 * key's own work.
 */
import { untrack } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { LogState } from '$lib/core/feedback';
import { mulberry32 } from '$lib/core/random';
import type { FeedbackBody, LogFilter, LogRecord } from '$lib/core/types';
import { queryLogIds } from '$lib/db/logs';
import { countSiblingsMany, reviewedIds } from '$lib/db/review';
import { activeModel } from '$lib/db/models';
import { disagreements, uncertaintyOrder } from '$lib/db/scores';
import { afterPaint } from './after-paint';
import { FeedbackCache } from './feedback-cache.svelte';
import { feedbackHistory } from './feedback-history.svelte';
import { handleError } from './handle-error';

export type ReviewOrder = 'unreviewed' | 'oldest' | 'newest' | 'random' | 'uncertain' | 'disagree';

export const REVIEW_ORDERS: { value: ReviewOrder; label: string }[] = [
	{ value: 'unreviewed', label: 'Unreviewed first' },
	{ value: 'oldest', label: 'Oldest first' },
	{ value: 'newest', label: 'Newest first' },
	{ value: 'random', label: 'Random' },
	{ value: 'uncertain', label: 'Most uncertain first (model)' },
	{ value: 'disagree', label: 'Model disagrees with your label' }
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
	/** For the model's orders: whether the project has an active preference model. */
	hasModel = $state(true);
	/** How many logs of the queue the user has judged (their own feedback in effect). */
	reviewedCount = $state(0);
	#projectId = '';
	// Not read by views: a plain set.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#inQueue = new Set<string>();
	#reviewed = new SvelteSet<string>();
	#cache = new FeedbackCache((logIds) => this.#recount(logIds));
	/** How many other logs answer each cached log's input (counted with the prefetch). */
	#siblings = new SvelteMap<string, number>();
	#prefetchQueued = false;
	#run = 0;

	get projectId(): string {
		return this.#projectId;
	}

	get currentId(): string | null {
		return this.ids[this.index] ?? null;
	}

	get current(): LogRecord | null {
		const id = this.currentId;
		return id ? this.#cache.log(id) : null;
	}

	/** The current log's derived feedback state (its stored events plus pending ones). */
	get state(): LogState | null {
		const id = this.currentId;
		return id ? this.#cache.state(id) : null;
	}

	/** How many other logs share the current log's input (0 until counted). */
	get siblingCount(): number {
		const id = this.currentId;
		return id ? (this.#siblings.get(id) ?? 0) : 0;
	}

	isReviewed(id: string): boolean {
		return this.#reviewed.has(id);
	}

	/** Builds the queue for a filter. Keeps the position on `keepId` when it is still there. */
	async start(filter: LogFilter, order: ReviewOrder, keepId?: string | null): Promise<void> {
		const run = ++this.#run;
		this.#projectId = filter.projectId;
		this.order = order;
		this.isLoading = true;
		try {
			// Judgements a reload interrupted are stored first, so they count as reviewed.
			await feedbackHistory.ready();
			const sort = order === 'newest' ? 'newest' : 'oldest';
			const [matching, reviewed] = await Promise.all([
				queryLogIds(filter, sort),
				reviewedIds(filter.projectId)
			]);
			if (run !== this.#run) return;
			let ids = matching;
			if (order === 'uncertain' || order === 'disagree') {
				this.hasModel = (await activeModel(filter.projectId)) !== null;
			}
			if (order === 'random') ids = shuffled(matching, this.seed);
			if (order === 'uncertain') {
				// Active learning: of what is left to review, the logs the model is least sure of
				// first (scores closest to ½); then the rest.
				const left = matching.filter((id) => !reviewed.has(id));
				const done = matching.filter((id) => reviewed.has(id));
				ids = [...(await uncertaintyOrder(filter.projectId, left)), ...done];
			}
			if (order === 'disagree') {
				// Only the labelled logs of this filter whose label the model contradicts, the most
				// confident disagreement first.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
				const inFilter = new Set(matching);
				ids = (await disagreements(filter.projectId))
					.map((d) => d.logId)
					.filter((id) => inFilter.has(id));
			}
			if (run !== this.#run) return;
			if (order === 'unreviewed') {
				// Stable partition: what is left to do first, in age order, then the rest.
				ids = [
					...matching.filter((id) => !reviewed.has(id)),
					...matching.filter((id) => reviewed.has(id))
				];
			}
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.#inQueue = new Set(ids);
			this.#reviewed.clear();
			for (const id of ids) if (reviewed.has(id)) this.#reviewed.add(id);
			this.#cache.clear();
			this.#siblings.clear();
			this.ids = ids;
			this.reviewedCount = this.#reviewed.size;
			const kept = keepId ? ids.indexOf(keepId) : -1;
			this.index = kept >= 0 ? kept : 0;
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
		this.#schedulePrefetch();
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
		if (!this.#reviewed.has(logId)) {
			this.#reviewed.add(logId);
			this.reviewedCount = this.#reviewed.size;
		}
		void this.#cache.record(label, this.#projectId, [{ logId, body }]);
		if (advance && this.autoAdvance) this.next();
	}

	/** After an undo or redo: whether each re-read log still carries the user's own feedback. */
	#recount(logIds: string[]): void {
		for (const id of logIds) {
			if (!this.#inQueue.has(id)) continue;
			if (this.#cache.state(id)?.hasMine) this.#reviewed.add(id);
			else this.#reviewed.delete(id);
		}
		this.reviewedCount = this.#reviewed.size;
	}

	/**
	 * Loads around the new position. When the item on screen is already cached (the usual case:
	 * the prefetch runs ahead of the reviewer) this waits until the key's frame is painted, so
	 * the reads never compete with it; otherwise it starts at once. Several moves within one
	 * frame share one prefetch.
	 */
	#schedulePrefetch(): void {
		const id = this.currentId;
		if (id && !this.#cache.has(id)) return void this.#prefetch();
		if (this.#prefetchQueued) return;
		this.#prefetchQueued = true;
		afterPaint(() => {
			this.#prefetchQueued = false;
			void this.#prefetch();
		});
	}

	async #prefetch(): Promise<void> {
		const from = Math.max(0, this.index - BEHIND);
		const run = this.#run;
		if (this.#cache.size > 400) {
			const keep = this.ids.slice(Math.max(0, this.index - 50), this.index + 100);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
			const kept = new Set(keep);
			this.#cache.retain(kept);
			for (const id of [...untrack(() => this.#siblings.keys())])
				if (!kept.has(id)) this.#siblings.delete(id);
		}
		const around = this.ids.slice(from, this.index + AHEAD + 1);
		await this.#cache.load(around);
		await this.#countSiblings(around, run);
	}

	/** Counts, in one read, the siblings of the loaded logs of `ids` not counted yet. */
	async #countSiblings(ids: readonly string[], run: number): Promise<void> {
		const logs = untrack(() =>
			ids
				.filter((id) => !this.#siblings.has(id))
				.map((id) => this.#cache.log(id))
				.filter((log): log is LogRecord => log !== null)
		);
		if (logs.length === 0) return;
		try {
			const counts = await countSiblingsMany(logs);
			if (run !== this.#run) return;
			logs.forEach((log, i) => this.#siblings.set(log.id, counts[i]));
		} catch (error) {
			handleError(error, 'Could not count the other outputs for these inputs');
		}
	}
}

export const reviewQueue = new ReviewQueue();
