import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { wordDiff } from './word-diff';

const joined = (parts: { kind: string; text: string }[], skip: string) =>
	parts
		.filter((p) => p.kind !== skip)
		.map((p) => p.text)
		.join('');

describe('wordDiff', () => {
	it('marks changed words and keeps both texts recoverable', () => {
		const before = 'Thanks for reaching out. Your refund is on its way.';
		const after = 'Thanks for writing. Your refund arrives within 5 days.';
		const diff = wordDiff(before, after);
		expect(diff.granularity).toBe('words');
		expect(joined(diff.parts, 'added')).toBe(before);
		expect(joined(diff.parts, 'removed')).toBe(after);
		expect(diff.parts).toContainEqual({ kind: 'removed', text: 'reaching out' });
		expect(diff.parts.some((p) => p.kind === 'added' && p.text.includes('writing'))).toBe(true);
		expect(diff.added).toBeGreaterThan(0);
		expect(diff.removed).toBeGreaterThan(0);
	});

	it('reports no change for equal texts, and whole additions for an empty original', () => {
		expect(wordDiff('same text', 'same text')).toMatchObject({
			parts: [{ kind: 'same', text: 'same text' }],
			added: 0,
			removed: 0
		});
		expect(wordDiff('', 'new answer').parts).toEqual([{ kind: 'added', text: 'new answer' }]);
	});

	it('handles a 20 KB output with a few edits, by word', () => {
		const paragraph = 'The quick brown fox jumps over the lazy dog near the river bank. ';
		const before = paragraph.repeat(320);
		const after = before.replace('lazy dog', 'sleepy cat').replace(/river bank\. $/, 'sea.');
		const diff = wordDiff(before, after);
		expect(diff.granularity).toBe('words');
		expect(joined(diff.parts, 'added')).toBe(before);
		expect(joined(diff.parts, 'removed')).toBe(after);
		expect(diff.removed).toBe(4);
	});

	it('falls back to a coarser diff instead of hanging on unrelated long texts', () => {
		// Independent random words: the word diff would need thousands of edits.
		const words = (seed: number) => {
			const random = mulberry32(seed);
			return Array.from({ length: 6000 }, () => `w${Math.floor(random() * 5000)}`).join(' ');
		};
		const before = words(1);
		const after = words(2);
		// A 1 ms budget is far too short to diff 6,000 unrelated words by word.
		const diff = wordDiff(before, after, 1);
		expect(diff.granularity).not.toBe('words');
		expect(joined(diff.parts, 'added')).toBe(before);
		expect(joined(diff.parts, 'removed')).toBe(after);
	});
});
