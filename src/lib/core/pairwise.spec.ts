import { describe, expect, it } from 'vitest';
import { deriveLogState } from './feedback';
import { pairState, verdictBody } from './pairwise';
import type { Actor, FeedbackBody, FeedbackEvent } from './types';

let nextId = 1;
const ev = (logId: string, at: number, actor: Actor, body: FeedbackBody): FeedbackEvent => ({
	id: nextId++,
	logId,
	projectId: 'p',
	at,
	actor,
	body
});
const state = (events: FeedbackEvent[]) => deriveLogState(events);

describe('pairwise verdicts', () => {
	it('reads an imported DPO preference stored on either log', () => {
		const onB = state([
			ev('B', 1, 'imported', { kind: 'pairwise', otherLogId: 'A', choice: 'this' })
		]);
		expect(pairState('A', state([]), 'B', onB)).toEqual({
			verdict: 'b',
			by: 'imported',
			host: 'b'
		});
		expect(pairState('B', onB, 'A', state([]))).toEqual({
			verdict: 'a',
			by: 'imported',
			host: 'a'
		});
		expect(pairState('A', null, 'B', null)).toEqual({ verdict: null, by: null, host: null });
	});

	it('my verdict overrides the imported one, wherever each is stored', () => {
		const onB = state([
			ev('B', 5, 'imported', { kind: 'pairwise', otherLogId: 'A', choice: 'this' })
		]);
		const onA = state([ev('A', 1, 'me', { kind: 'pairwise', otherLogId: 'B', choice: 'this' })]);
		expect(pairState('A', onA, 'B', onB)).toMatchObject({ verdict: 'a', by: 'me', host: 'a' });
	});

	it('writes verdicts relative to the host log', () => {
		expect(verdictBody('a', 'a', 'B')).toEqual({
			kind: 'pairwise',
			otherLogId: 'B',
			choice: 'this'
		});
		expect(verdictBody('a', 'b', 'A')).toEqual({
			kind: 'pairwise',
			otherLogId: 'A',
			choice: 'other'
		});
		expect(verdictBody('tie', 'b', 'A').choice).toBe('tie');
		// Round trip: a verdict written on the host reads back as the same verdict.
		for (const verdict of ['a', 'b', 'tie'] as const) {
			for (const host of ['a', 'b'] as const) {
				const hostId = host === 'a' ? 'A' : 'B';
				const otherId = host === 'a' ? 'B' : 'A';
				const hostState = state([ev(hostId, 1, 'me', verdictBody(verdict, host, otherId))]);
				const a = host === 'a' ? hostState : state([]);
				const b = host === 'b' ? hostState : state([]);
				expect(pairState('A', a, 'B', b).verdict).toBe(verdict);
			}
		}
	});
});
