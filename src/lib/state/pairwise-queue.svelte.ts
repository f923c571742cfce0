/**
 * The pairwise view: outputs that answer the same input, two at a time, side by side. Pairs come
 * from the project's input groups (a DPO import, regenerated outputs, two models); a group of n
 * outputs gives its first output against each other one (n − 1 pairs), enough to order them
 * without asking for every combination.
 */
import { pairState, verdictBody, type PairState, type PairVerdict } from '$lib/core/pairwise';
import { inputGroups } from '$lib/db/review';
import { FeedbackCache } from './feedback-cache.svelte';
import { handleError } from './handle-error';

const AHEAD = 6;

export class PairwiseQueue {
	pairs = $state.raw<[string, string][]>([]);
	index = $state(0);
	isLoading = $state(false);
	autoAdvance = $state(true);
	#projectId = '';
	#cache = new FeedbackCache();
	#run = 0;

	get current(): [string, string] | null {
		return this.pairs[this.index] ?? null;
	}

	/** The verdict in effect for a pair (null while its logs load). */
	verdictOf(pair: [string, string]): PairState | null {
		const [a, b] = pair;
		const stateA = this.#cache.state(a);
		const stateB = this.#cache.state(b);
		if (!stateA || !stateB) return null;
		return pairState(a, stateA, b, stateB);
	}

	log(id: string) {
		return this.#cache.log(id);
	}

	/** How many pairs the user has decided themselves, among those loaded. */
	get decidedByMe(): number {
		let n = 0;
		for (const pair of this.pairs) if (this.verdictOf(pair)?.by === 'me') n++;
		return n;
	}

	async start(projectId: string, focusLogId?: string | null): Promise<void> {
		const run = ++this.#run;
		this.#projectId = projectId;
		this.isLoading = true;
		try {
			const groups = await inputGroups(projectId);
			if (run !== this.#run) return;
			const pairs: [string, string][] = [];
			for (const group of groups) {
				for (let i = 1; i < group.length; i++) pairs.push([group[0], group[i]]);
			}
			this.#cache.clear();
			this.pairs = pairs;
			const focus = focusLogId ? pairs.findIndex((pair) => pair.includes(focusLogId)) : -1;
			this.index = Math.max(0, focus);
			// Verdicts are counted over all pairs, so load every pair's logs (pairs are few next to
			// logs: only inputs with two or more outputs make them).
			await this.#cache.load(pairs.slice(0, 2000).flat());
			await this.#prefetch();
		} catch (error) {
			handleError(error, 'Could not find outputs to compare');
		} finally {
			if (run === this.#run) this.isLoading = false;
		}
	}

	go(index: number): void {
		if (this.pairs.length === 0) return;
		this.index = Math.max(0, Math.min(this.pairs.length - 1, index));
		void this.#prefetch();
	}

	/** Records the user's verdict on the current pair (undoable), then moves on. */
	choose(verdict: PairVerdict): void {
		const pair = this.current;
		if (!pair) return;
		const [a, b] = pair;
		const host = this.verdictOf(pair)?.host ?? 'a';
		const logId = host === 'a' ? a : b;
		const other = host === 'a' ? b : a;
		const label = verdict === 'tie' ? 'tie' : `${verdict.toUpperCase()} is better`;
		void this.#cache.record(label, this.#projectId, [
			{ logId, body: verdictBody(verdict, host, other) }
		]);
		if (this.autoAdvance) this.go(this.index + 1);
	}

	async #prefetch(): Promise<void> {
		await this.#cache.load(this.pairs.slice(this.index, this.index + AHEAD).flat());
	}
}

export const pairwiseQueue = new PairwiseQueue();
