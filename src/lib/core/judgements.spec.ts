import { describe, expect, it } from 'vitest';
import { deriveLogState } from './feedback';
import { ratingJudgement, thumbJudgement } from './judgements';
import type { Actor, FeedbackBody } from './types';

const state = (...bodies: [Actor, FeedbackBody][]) =>
	deriveLogState(
		bodies.map(([actor, body], i) => ({
			id: i + 1,
			logId: 'l',
			projectId: 'p',
			at: i,
			actor,
			body
		}))
	);

describe('judgements', () => {
	it('sets a thumb, clears my own on a second press, overrides an imported one', () => {
		expect(thumbJudgement(state(), 1)).toEqual({
			label: '👍',
			body: { kind: 'thumb', value: 1 },
			sets: true
		});
		const mine = state(['me', { kind: 'thumb', value: 1 }]);
		expect(thumbJudgement(mine, 1)).toMatchObject({ body: { value: null }, sets: false });
		expect(thumbJudgement(mine, -1)).toMatchObject({ body: { value: -1 }, sets: true });
		const imported = state(['imported', { kind: 'thumb', value: -1 }]);
		expect(thumbJudgement(imported, -1)).toMatchObject({ label: '👎', body: { value: -1 } });
	});

	it('clears only my own rating', () => {
		expect(ratingJudgement(state(['me', { kind: 'rating', value: 4 }]), 4).body).toEqual({
			kind: 'rating',
			value: null
		});
		expect(ratingJudgement(state(['imported', { kind: 'rating', value: 4 }]), 4).body).toEqual({
			kind: 'rating',
			value: 4
		});
	});
});
