/**
 * Word-level diff of an original output and its correction, for the diff view. Built on jsdiff
 * (`diffWordsWithSpace`, so whitespace changes show too). jsdiff's Myers diff is quadratic in the
 * worst case; for long, heavily rewritten texts a time budget makes it fall back to a line diff,
 * then to "all removed, all added", so the view never hangs.
 */
import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';

export interface DiffPart {
	kind: 'same' | 'added' | 'removed';
	text: string;
}

export interface WordDiff {
	parts: DiffPart[];
	/** 'words' normally; 'lines' or 'whole' when the texts were too different to diff by word. */
	granularity: 'words' | 'lines' | 'whole';
	added: number;
	removed: number;
}

/** Milliseconds a word diff may take before the coarser fallback is used. */
const WORD_BUDGET_MS = 60;

function toParts(changes: ChangeObject<string>[]): DiffPart[] {
	const parts: DiffPart[] = [];
	for (const change of changes) {
		const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
		const last = parts[parts.length - 1];
		if (last && last.kind === kind) last.text += change.value;
		else if (change.value) parts.push({ kind, text: change.value });
	}
	return parts;
}

function countWords(parts: DiffPart[], kind: DiffPart['kind']): number {
	let n = 0;
	for (const part of parts)
		if (part.kind === kind) n += part.text.split(/\s+/).filter(Boolean).length;
	return n;
}

function result(parts: DiffPart[], granularity: WordDiff['granularity']): WordDiff {
	return {
		parts,
		granularity,
		added: countWords(parts, 'added'),
		removed: countWords(parts, 'removed')
	};
}

/** `budgetMs`: how long the word diff may take before the coarser fallback (tests shorten it). */
export function wordDiff(before: string, after: string, budgetMs = WORD_BUDGET_MS): WordDiff {
	if (before === after) return result(before ? [{ kind: 'same', text: before }] : [], 'words');
	const words = diffWordsWithSpace(before, after, { timeout: budgetMs });
	if (words) return result(toParts(words), 'words');
	const lines = diffLines(before, after, { timeout: budgetMs });
	if (lines) return result(toParts(lines), 'lines');
	const whole: DiffPart[] = [];
	if (before) whole.push({ kind: 'removed', text: before });
	if (after) whole.push({ kind: 'added', text: after });
	return result(whole, 'whole');
}
