/**
 * CSV/TSV rows to records through a column mapping. Rows are cut out of the line stream by
 * counting quotes (a row ends at a line end with every quote closed), so a quoted field may hold
 * newlines while each physical line is still decoded on its own; papaparse then splits each
 * row's text into fields. Each line goes through papaparse once: no re-scanning, whatever the
 * quoting, so time stays linear.
 */
import Papa from 'papaparse';
import { applyMapping, guessMapping, missingFields, type FieldMapping } from './mapping';
import { readLineBatches, type ByteSource } from './lines';
import type { ParseEvent } from './events';
import { decodeLine } from './utf8';
import { listFields } from './describe';

/** A row that never closes its quote is cut here, so one stray quote cannot swallow the file. */
const MAX_ROW_BYTES = 8 * 1024 * 1024;

/** Physical lines that make one row: quotes balanced at the end of the last. */
export interface RowText {
	line: number;
	text: string;
	/** Set when a line of the row is not valid UTF-8: the row is rejected for it. */
	badUtf8?: string;
}

function countQuotes(text: string): number {
	let count = 0;
	for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
	return count;
}

/** Joins physical lines into rows by quote parity. */
export class RowAssembler {
	#lines: string[] = [];
	#bytes = 0;
	#quotes = 0;
	#first = 0;
	#bad: string | undefined;

	/** Adds a line; returns the row it completes, if it completes one. */
	push(line: number, text: string, badUtf8?: string): RowText | undefined {
		if (this.#lines.length === 0) {
			this.#first = line;
			this.#quotes = 0;
			this.#bad = undefined;
		}
		this.#lines.push(text);
		this.#bytes += text.length;
		this.#quotes += countQuotes(text);
		this.#bad ??= badUtf8;
		if (this.#quotes % 2 === 0 || this.#bytes > MAX_ROW_BYTES) return this.#take();
		return undefined;
	}

	/** The unfinished row at the end of the file, if any. */
	end(): RowText | undefined {
		return this.#lines.length > 0 ? this.#take() : undefined;
	}

	#take(): RowText {
		const row: RowText = { line: this.#first, text: this.#lines.join('\n') };
		if (this.#bad) row.badUtf8 = this.#bad;
		this.#lines = [];
		this.#bytes = 0;
		return row;
	}
}

export interface SplitRow {
	/** Line offset of this row within the row text (papaparse may see two rows where quote
	 * counting saw one, when a quote stands inside an unquoted field). */
	lineOffset: number;
	fields: string[];
	text: string;
	error?: string;
}

function quoteError(code: string): string {
	return code === 'MissingQuotes'
		? 'a quoted field is never closed (a " opens it and no " ends it)'
		: 'malformed quotes: a " inside a quoted field must be doubled ("")';
}

/** Splits a row's text into fields with papaparse. */
export function splitRow(text: string, delimiter: string): SplitRow[] {
	const rows: SplitRow[] = [];
	let start = 0;
	const parser = new Papa.Parser({
		delimiter,
		newline: '\n',
		step: (result: Papa.ParseStepResult<string[][]>) => {
			const end = result.meta.cursor;
			const slice = text.slice(start, end);
			const error = result.errors[0];
			rows.push({
				lineOffset: countLines(text, start),
				fields: result.data[0] ?? [''],
				text: slice.endsWith('\n') ? slice.slice(0, -1) : slice,
				error: error ? quoteError(error.code) : undefined
			});
			start = end;
		}
	});
	parser.parse(text, 0, false);
	return rows;
}

function countLines(text: string, end: number): number {
	let count = 0;
	for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count++;
	return count;
}

/** Header cells as column names: trimmed, blanks named by position, repeats numbered. */
export function headerNames(fields: string[]): string[] {
	const seen = new Set<string>();
	return fields.map((field, i) => {
		let name = field.trim() || `column ${i + 1}`;
		if (seen.has(name)) {
			let k = 2;
			while (seen.has(`${name}_${k}`)) k++;
			name = `${name}_${k}`;
		}
		seen.add(name);
		return name;
	});
}

function isBlankRow(fields: string[]): boolean {
	for (const field of fields) if (field.trim() !== '') return false;
	return true;
}

export interface DelimitedOptions {
	delimiter: string;
	mapping?: FieldMapping;
}

/**
 * Events for a CSV/TSV file: its first non-blank row is the header; each later row is a
 * record, a blank or a rejection, located on the line where it starts.
 */
export async function* parseDelimited(
	source: ByteSource,
	options: DelimitedOptions
): AsyncGenerator<ParseEvent> {
	const { delimiter } = options;
	const assembler = new RowAssembler();
	const separator = delimiter === '\t' ? 'a tab' : `a ${JSON.stringify(delimiter)}`;
	let columns: string[] | undefined;
	let mapping = options.mapping;
	let fileError: string | undefined;
	// Blank lines before the header wait, so a file error can still come first and alone.
	const leadingBlanks: number[] = [];

	function* rowEvents(row: RowText): Generator<ParseEvent> {
		if (row.text.trim() === '') {
			if (columns) yield { type: 'blank', line: row.line };
			else leadingBlanks.push(row.line);
			return;
		}
		// A header with broken UTF-8 is still read (its names get U+FFFD); a data row is rejected.
		if (row.badUtf8 && columns) {
			yield { type: 'rejected', line: row.line, reason: row.badUtf8, raw: row.text };
			return;
		}
		for (const split of splitRow(row.text, delimiter)) {
			const line = row.line + split.lineOffset;
			if (!columns || !mapping) {
				columns = headerNames(split.fields);
				mapping = checkMapping(columns);
				if (!mapping) {
					yield { type: 'file-error', reason: fileError as string };
					return;
				}
				for (const blank of leadingBlanks) yield { type: 'blank', line: blank };
				continue;
			}
			if (split.error) {
				yield { type: 'rejected', line, reason: split.error, raw: split.text };
			} else if (isBlankRow(split.fields)) {
				yield { type: 'blank', line };
			} else if (split.fields.length > columns.length) {
				yield {
					type: 'rejected',
					line,
					reason: `this row has ${split.fields.length} fields but the header has ${columns.length} (a field with ${separator} in it must be quoted)`,
					raw: split.text
				};
			} else {
				// fromEntries, not assignment: a column named "__proto__" stays a column.
				const record: Record<string, string> = Object.fromEntries(
					columns.map((name, i) => [name, split.fields[i] ?? ''])
				);
				const result = applyMapping(record, mapping, 'column', 'csv');
				yield result.ok
					? { type: 'record', line, record: result.record }
					: { type: 'rejected', line, reason: result.reason, raw: split.text };
			}
		}
	}

	/** The mapping to use with these columns, or undefined with `fileError` set. */
	function checkMapping(names: string[]): FieldMapping | undefined {
		const chosen = mapping ?? guessMapping(names) ?? undefined;
		if (!chosen) {
			fileError = `which column holds the input and which the output? Map the columns in the import dialog (columns: ${listFields(names)})`;
			return undefined;
		}
		const missing = missingFields(chosen, names);
		if (missing.length > 0) {
			fileError = `the mapping names ${missing.length === 1 ? 'a column' : 'columns'} the file does not have: ${listFields(missing)} (columns: ${listFields(names)})`;
			return undefined;
		}
		return chosen;
	}

	for await (const batch of readLineBatches(source)) {
		for (let k = 0; k < batch.lines.length; k++) {
			const decoded = decodeLine(batch.lines[k]);
			const row = decoded.ok
				? assembler.push(batch.firstLine + k, decoded.text)
				: assembler.push(batch.firstLine + k, decoded.raw, decoded.reason);
			if (!row) continue;
			yield* rowEvents(row);
			if (fileError) return;
		}
	}
	const last = assembler.end();
	if (last) yield* rowEvents(last);
}
