/**
 * What a thumb or rating key means given the log's current state: pressing the value already in
 * effect (the user's own) clears it; anything else sets it. Shared by the feedback editor's
 * buttons and the review queue's keys so both behave the same.
 */
import type { LogState } from './feedback';
import type { FeedbackBody } from './types';

export interface Judgement {
	/** For the undo history ("Undone: 👍"). */
	label: string;
	body: FeedbackBody;
	/** True when it sets a value: the review queue then moves on (when it auto-advances). */
	sets: boolean;
}

export function thumbJudgement(state: LogState, value: 1 | -1): Judgement {
	const clear = state.myThumb === value;
	return {
		label: clear ? 'clear label' : value === 1 ? '👍' : '👎',
		body: { kind: 'thumb', value: clear ? null : value },
		sets: !clear
	};
}

export function ratingJudgement(state: LogState, value: number): Judgement {
	const clear = state.rating === value && state.by.rating === 'me';
	return {
		label: clear ? 'clear rating' : `rating ${value}`,
		body: { kind: 'rating', value: clear ? null : value },
		sets: !clear
	};
}
