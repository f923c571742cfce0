/** How many other logs answer the same input as a given log (for "compare outputs" links). */
import type { LogRecord } from '$lib/core/types';
import { countSiblings } from '$lib/db/review';
import { liveState, type LiveQuery } from './live-query.svelte';

export function siblingCount(log: () => LogRecord | null): LiveQuery<number> {
	return liveState(
		() => {
			const current = log();
			return current ? countSiblings(current) : 0;
		},
		0,
		() => log()?.id
	);
}
