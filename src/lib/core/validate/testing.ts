/** Helpers for the validator specs: a report on a file from ../shared/data or on given lines. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { streamOf } from '../import/testing';
import { validateStream, type StreamOptions } from './stream';
import type { ValidationReport } from './validator';

export const FORMATS = '/work/shared/data/formats';

export function reportOnFile(
	path: string,
	options: Partial<StreamOptions> = {}
): Promise<ValidationReport> {
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
	return validateStream(stream, { fileName: basename(path), ...options });
}

/** A report on JSONL made of these values (objects are JSON-encoded, strings kept as-is). */
export function reportOnLines(
	lines: unknown[],
	options: Partial<StreamOptions> = {}
): Promise<ValidationReport> {
	const text = lines
		.map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
		.join('\n');
	return validateStream(streamOf(text), { fileName: 'test.jsonl', ...options });
}

/** `line: code` for each error, for compact assertions. */
export function errorsOf(report: ValidationReport): string[] {
	return report.errors.map((e) => `${e.line ?? 'file'}: ${e.code}`);
}

export function warningCodes(report: ValidationReport): string[] {
	return report.warnings.map((w) => w.code);
}

/** A valid chat example (with a distinct user text, so examples are not duplicates). */
export function chat(i: number, extra: Record<string, unknown> = {}) {
	return {
		messages: [
			{ role: 'system', content: 'You are terse.' },
			{
				role: 'user',
				content: `Question number ${i}: what is ${i} plus ${i * 7}? Explain the steps carefully.`
			},
			{
				role: 'assistant',
				content: `It is ${i + i * 7}, since adding ${i} and ${i * 7} gives that sum.`
			}
		],
		...extra
	};
}
