/** The current feedback state of one log, derived from its event history, live. */
import type { LogState } from '$lib/core/feedback';
import { logState } from '$lib/db/feedback';
import { liveState, type LiveQuery } from './live-query.svelte';

export function logFeedback(logId: () => string): LiveQuery<LogState | null> {
	return liveState(() => logState(logId()), null, logId);
}
