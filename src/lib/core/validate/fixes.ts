/**
 * One-click fixes. A fix never changes its input: it yields a new file's lines (or, for a
 * dataset version, the report's lines to drop, which the caller maps to log ids for a new
 * version). Lines are numbered as the report numbered them.
 */
import { isPlainObject } from '../import/describe';
import { fixArguments } from './tool-calls';
import type { ValidationReport } from './validator';

export type FixId = 'drop-duplicates' | 'drop-over-length' | 'reencode-arguments';

export const FIXES: readonly { id: FixId; label: string; describe: (n: number) => string }[] = [
	{
		id: 'drop-duplicates',
		label: 'Drop duplicates',
		describe: (n) => `drop ${n} repeated example${n === 1 ? '' : 's'} (the first of each stays)`
	},
	{
		id: 'drop-over-length',
		label: 'Drop over-length examples',
		describe: (n) => `drop ${n} example${n === 1 ? '' : 's'} over the context limit`
	},
	{
		id: 'reencode-arguments',
		label: 'Re-encode tool arguments',
		describe: (n) => `JSON-encode the function arguments on ${n} line${n === 1 ? '' : 's'}`
	}
];

/** The lines a fix changes, from the report. */
export function fixLines(report: ValidationReport, fix: FixId): number[] {
	switch (fix) {
		case 'drop-duplicates':
			return report.fixes.dropDuplicates;
		case 'drop-over-length':
			return report.fixes.dropOverLength;
		case 'reencode-arguments':
			return report.fixes.reencodeArguments;
	}
}

/** Lines the chosen fixes drop. */
export function droppedLines(report: ValidationReport, fixes: readonly FixId[]): Set<number> {
	const drop = new Set<number>();
	for (const fix of fixes) {
		if (fix === 'reencode-arguments') continue;
		for (const line of fixLines(report, fix)) drop.add(line);
	}
	return drop;
}

function reencodeMessage(message: unknown): void {
	if (!isPlainObject(message) || !Array.isArray(message.tool_calls)) return;
	for (const call of message.tool_calls as unknown[]) {
		if (isPlainObject(call) && isPlainObject(call.function))
			call.function.arguments = fixArguments(call.function.arguments);
	}
}

/** A line with every fixable `arguments` JSON-encoded once (objects) or decoded once (strings encoded twice). */
export function reencodeLine(text: string): string {
	const value: unknown = JSON.parse(text);
	if (!isPlainObject(value)) return text;
	const lists: unknown[] = [];
	if (Array.isArray(value.messages)) lists.push(...(value.messages as unknown[]));
	if (isPlainObject(value.input) && Array.isArray(value.input.messages))
		lists.push(...(value.input.messages as unknown[]));
	for (const key of ['preferred_output', 'non_preferred_output'])
		if (Array.isArray(value[key])) lists.push(...(value[key] as unknown[]));
	for (const message of lists) reencodeMessage(message);
	return JSON.stringify(value);
}

/**
 * The fixed file's lines: numbered input lines in, the kept (and rewritten) lines out. Blank
 * lines go too, as they would make the file fail.
 */
export async function* applyFixes(
	lines: AsyncIterable<{ line: number; text: string }> | Iterable<{ line: number; text: string }>,
	report: ValidationReport,
	fixes: readonly FixId[]
): AsyncGenerator<string> {
	const drop = droppedLines(report, fixes);
	const reencode = new Set(
		fixes.includes('reencode-arguments') ? report.fixes.reencodeArguments : []
	);
	for await (const { line, text } of lines) {
		if (drop.has(line) || text.trim() === '') continue;
		yield reencode.has(line) ? reencodeLine(text) : text;
	}
}
