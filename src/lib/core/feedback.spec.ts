import { describe, expect, it } from 'vitest';
import { canonicalJson, deriveLogState, feedbackKey, summarize } from './feedback';
import type { Actor, FeedbackBody, FeedbackEvent } from './types';

let nextId = 1;
function ev(at: number, body: FeedbackBody, actor: Actor = 'me', id = nextId++): FeedbackEvent {
	return { id, logId: 'p:log', projectId: 'p', at, actor, body };
}

describe('deriveLogState', () => {
	it('is empty without events', () => {
		const state = deriveLogState([]);
		expect(state.thumb).toBe(0);
		expect(state.rating).toBeNull();
		expect(state.myThumb).toBeNull();
		expect(summarize(state)).toEqual({
			thumb: 0,
			rating: 0,
			hasFeedback: 0,
			corrected: 0,
			tags: []
		});
	});

	it('applies plain events, later beats earlier, in `at` order whatever the input order', () => {
		const correction = { role: 'assistant' as const, content: 'Better answer' };
		const events = [
			ev(30, { kind: 'thumb', value: -1 }),
			ev(10, { kind: 'thumb', value: 1 }),
			ev(20, { kind: 'rating', value: 4 }),
			ev(25, { kind: 'comment', text: 'too long' }),
			ev(26, { kind: 'comment', text: 'wrong tone' }),
			ev(40, { kind: 'correction', output: correction })
		];
		const state = deriveLogState(events);
		expect(state.thumb).toBe(-1);
		expect(state.myThumb).toBe(-1);
		expect(state.rating).toBe(4);
		expect(state.correction).toEqual(correction);
		expect(state.comments.map((c) => c.text)).toEqual(['too long', 'wrong tone']);
		expect(state.lastAt).toBe(40);
		expect(summarize(state)).toEqual({
			thumb: -1,
			rating: 4,
			hasFeedback: 1,
			corrected: 1,
			tags: [],
			reviewed: 1
		});
		expect(summarize(state).userFeedback).toBeUndefined();
	});

	it('clears with null values', () => {
		const state = deriveLogState([
			ev(1, { kind: 'thumb', value: 1 }),
			ev(2, { kind: 'rating', value: 5 }),
			ev(3, { kind: 'correction', output: { role: 'assistant', content: 'x' } }),
			ev(4, { kind: 'thumb', value: null }),
			ev(5, { kind: 'rating', value: null }),
			ev(6, { kind: 'correction', output: null })
		]);
		expect(state.thumb).toBe(0);
		expect(state.myThumb).toBe(0);
		expect(state.rating).toBeNull();
		expect(state.correction).toBeNull();
		expect(summarize(state).hasFeedback).toBe(0);
	});

	it('undo cancels its target and the earlier value comes back', () => {
		const first = ev(1, { kind: 'thumb', value: 1 });
		const second = ev(2, { kind: 'thumb', value: -1 });
		const comment = ev(3, { kind: 'comment', text: 'oops' });
		const undoSecond = ev(4, { kind: 'undo', eventId: second.id! });
		const undoComment = ev(5, { kind: 'undo', eventId: comment.id! });
		const state = deriveLogState([first, second, comment, undoSecond, undoComment]);
		expect(state.thumb).toBe(1);
		expect(state.comments).toEqual([]);
		expect(state.activeEvents).toBe(1);
	});

	it('undo of an undo redoes, and a third undo undoes again', () => {
		const thumb = ev(1, { kind: 'thumb', value: -1 });
		const undo = ev(2, { kind: 'undo', eventId: thumb.id! });
		const redo = ev(3, { kind: 'undo', eventId: undo.id! });
		expect(deriveLogState([thumb]).thumb).toBe(-1);
		expect(deriveLogState([thumb, undo]).thumb).toBe(0);
		expect(deriveLogState([thumb, undo, redo]).thumb).toBe(-1);
		const undoRedo = ev(4, { kind: 'undo', eventId: redo.id! });
		expect(deriveLogState([thumb, undo, redo, undoRedo]).thumb).toBe(0);
	});

	it("a 'me' event overrides imported feedback, which stays visible", () => {
		const imported = ev(100, { kind: 'thumb', value: 1 }, 'imported');
		const importedRating = ev(100, { kind: 'rating', value: 2 }, 'imported');
		// The user's verdict is older than the import, and still wins: actor beats time.
		const mine = ev(50, { kind: 'thumb', value: -1 });
		const state = deriveLogState([imported, importedRating, mine]);
		expect(state.thumb).toBe(-1);
		expect(state.by.thumb).toBe('me');
		expect(state.importedThumb).toBe(1);
		expect(state.myThumb).toBe(-1);
		expect(state.rating).toBe(2);
		expect(state.by.rating).toBe('imported');

		// Clearing my thumb is still my verdict: no thumb, imported one still shown apart.
		const clear = ev(60, { kind: 'thumb', value: null });
		const cleared = deriveLogState([imported, mine, clear]);
		expect(cleared.thumb).toBe(0);
		expect(cleared.importedThumb).toBe(1);

		// Undoing my events falls back to the imported verdict.
		const undoMine = ev(70, { kind: 'undo', eventId: mine.id! });
		const undoClear = ev(71, { kind: 'undo', eventId: clear.id! });
		const reverted = deriveLogState([imported, mine, clear, undoMine, undoClear]);
		expect(reverted.thumb).toBe(1);
		expect(reverted.by.thumb).toBe('imported');
		expect(reverted.myThumb).toBeNull();
	});

	it('conflicting events at the same time: the higher id wins', () => {
		const a = ev(10, { kind: 'thumb', value: 1 }, 'me', 7);
		const b = ev(10, { kind: 'thumb', value: -1 }, 'me', 8);
		expect(deriveLogState([a, b]).thumb).toBe(-1);
		expect(deriveLogState([b, a]).thumb).toBe(-1);
		const tagOn = ev(10, { kind: 'tag', tag: 'x', on: true }, 'me', 21);
		const tagOff = ev(10, { kind: 'tag', tag: 'x', on: false }, 'me', 20);
		expect(deriveLogState([tagOn, tagOff]).tags).toEqual(['x']);
	});

	it('turns tags on and off, sorted, with me overriding imported per tag', () => {
		const state = deriveLogState([
			ev(1, { kind: 'tag', tag: 'tone', on: true }),
			ev(2, { kind: 'tag', tag: 'format', on: true }),
			ev(3, { kind: 'tag', tag: 'tone', on: false }),
			ev(4, { kind: 'tag', tag: 'accuracy', on: true }),
			ev(5, { kind: 'tag', tag: 'spam', on: true }, 'imported'),
			ev(6, { kind: 'tag', tag: 'legal', on: true }, 'imported'),
			ev(1, { kind: 'tag', tag: 'legal', on: false })
		]);
		expect(state.tags).toEqual(['accuracy', 'format', 'spam']);
		expect(summarize(state).tags).toEqual(['accuracy', 'format', 'spam']);
	});

	it('keeps one pairwise verdict per other log and the latest review', () => {
		const state = deriveLogState([
			ev(1, { kind: 'pairwise', otherLogId: 'p:b', choice: 'this' }, 'imported'),
			ev(2, { kind: 'pairwise', otherLogId: 'p:b', choice: 'tie' }),
			ev(3, { kind: 'pairwise', otherLogId: 'p:c', choice: 'other' }),
			ev(4, { kind: 'review', decision: 'confirmed' }),
			ev(5, { kind: 'review', decision: 'overridden' })
		]);
		expect(state.pairwise).toEqual([
			{ otherLogId: 'p:b', choice: 'tie', actor: 'me', at: 2 },
			{ otherLogId: 'p:c', choice: 'other', actor: 'me', at: 3 }
		]);
		expect(state.review).toEqual({ decision: 'overridden', actor: 'me', at: 5 });
	});

	it('orders events without ids (not yet stored) after stored ones at the same time', () => {
		const stored = ev(5, { kind: 'thumb', value: 1 }, 'me', 3);
		const pending: FeedbackEvent = { ...ev(5, { kind: 'thumb', value: -1 }), id: undefined };
		expect(deriveLogState([pending, stored]).thumb).toBe(-1);
	});
});

describe('feedbackKey', () => {
	it('is the same for the same statement, whatever the key order or time', () => {
		const a = feedbackKey({ logId: 'p:1', actor: 'imported', body: { kind: 'thumb', value: 1 } });
		const b = feedbackKey({ logId: 'p:1', actor: 'imported', body: { value: 1, kind: 'thumb' } });
		expect(a).toBe(b);
		expect(a).not.toBe(
			feedbackKey({ logId: 'p:1', actor: 'imported', body: { kind: 'thumb', value: -1 } })
		);
		expect(a).not.toBe(
			feedbackKey({ logId: 'p:2', actor: 'imported', body: { kind: 'thumb', value: 1 } })
		);
	});
});

describe('canonicalJson', () => {
	it('sorts keys and keeps every key, "__proto__" included', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
		const withProto = JSON.parse('{"z":1,"__proto__":{"x":1}}');
		expect(canonicalJson(withProto)).toBe('{"__proto__":{"x":1},"z":1}');
		expect(canonicalJson(withProto)).not.toBe(canonicalJson({ z: 1 }));
	});
});
