/**
 * Pairwise verdicts between two logs that answer the same input. A verdict is stored as a
 * `pairwise` event on one of the two logs (the imported DPO pair puts it on the preferred log),
 * so reading the verdict for a pair looks at both logs' states, and the user's own verdict wins
 * over an imported one, the later over the earlier.
 */
import type { LogState, PairwiseEntry } from './feedback';
import type { Actor } from './types';

export type PairVerdict = 'a' | 'b' | 'tie';

export interface PairState {
	verdict: PairVerdict | null;
	by: Actor | null;
	/** The log whose events hold the verdict in effect (new verdicts go there too). */
	host: 'a' | 'b' | null;
}

function fromEntry(entry: PairwiseEntry, host: 'a' | 'b'): PairState {
	const preferred =
		entry.choice === 'tie' ? 'tie' : (entry.choice === 'this') === (host === 'a') ? 'a' : 'b';
	return { verdict: preferred, by: entry.actor, host };
}

/** The verdict in effect for the pair (A, B) from both logs' derived states. */
export function pairState(
	aId: string,
	a: LogState | null,
	bId: string,
	b: LogState | null
): PairState {
	const onA = a?.pairwise.find((entry) => entry.otherLogId === bId);
	const onB = b?.pairwise.find((entry) => entry.otherLogId === aId);
	const candidates = [...(onA ? [fromEntry(onA, 'a')] : []), ...(onB ? [fromEntry(onB, 'b')] : [])];
	if (candidates.length === 0) return { verdict: null, by: null, host: null };
	if (candidates.length === 1) return candidates[0];
	const [first, second] = [onA as PairwiseEntry, onB as PairwiseEntry];
	const rank = (entry: PairwiseEntry) => (entry.actor === 'me' ? 1 : 0);
	const pickA = rank(first) !== rank(second) ? rank(first) > rank(second) : first.at >= second.at;
	return pickA ? candidates[0] : candidates[1];
}

/** The event body that records `verdict` on the host log (`host` 'a' when none exists yet). */
export function verdictBody(
	verdict: PairVerdict,
	host: 'a' | 'b',
	otherLogId: string
): { kind: 'pairwise'; otherLogId: string; choice: 'this' | 'other' | 'tie' } {
	const choice = verdict === 'tie' ? 'tie' : verdict === host ? 'this' : 'other';
	return { kind: 'pairwise', otherLogId, choice };
}
