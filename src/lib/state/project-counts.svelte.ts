/** Live per-project counts (logs, 👍, 👎, corrected, unjudged) from indexed counts, not scans. */
import { facetCounts, type FacetCounts } from '$lib/db/logs';
import { throttledState, type LiveQuery } from './live-query.svelte';

export function projectCounts(projectId: () => string): LiveQuery<FacetCounts | null> {
	return throttledState(() => facetCounts(projectId()), null, ['logs'], projectId);
}
