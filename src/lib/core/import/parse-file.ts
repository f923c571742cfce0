/**
 * A whole file to parse events: the entry point of the import, shared by the import worker and
 * the CLI. It never throws on the file's bytes (only on a failing stream): every line (array
 * item, CSV data row) yields exactly one record, blank or rejected event, so
 * accepted + rejected + blank = lines read, or the file as a whole yields one file-error.
 */
import { parseDelimited } from './csv';
import type { ParseEvent } from './events';
import { detectRecord } from './formats';
import { describeJsonError } from './json-error';
import { JsonItemScanner, type JsonItem } from './json-items';
import { chunksOf, readLineBatches, type ByteSource } from './lines';
import { applyMapping, type FieldMapping } from './mapping';
import { peek, replay } from './peek';
import { classify, SNIFF_BYTES } from './sniff';
import { decodeLine } from './utf8';

export type { FieldMapping } from './mapping';
export { guessMapping } from './mapping';
export type { SniffResult, FileKind } from './sniff';
export { sniffFile, SNIFF_BYTES } from './sniff';
export type { ByteSource } from './lines';

export type { ParseEvent } from './events';

export interface ParseOptions {
	/** Its extension helps tell JSON Lines, JSON and CSV/TSV apart. */
	fileName: string;
	/** Columns (CSV/TSV) or fields (JSON records of an unknown shape) to read logs from. */
	mapping?: FieldMapping;
	/** Overrides the delimiter of a CSV/TSV file (and makes the file read as one). */
	csv?: { delimiter: string };
}

/**
 * Parses a file as the app's import does: sniffs its first 64 KB to pick JSON Lines, JSON array,
 * pretty-printed JSON or CSV/TSV, then streams it, one event per line (item, row).
 */
export async function* parseFile(
	stream: ByteSource,
	options: ParseOptions
): AsyncGenerator<ParseEvent> {
	const chunks = chunksOf(stream);
	const { head, buffered, done } = await peek(chunks, SNIFF_BYTES);
	let kind = classify(head, options.fileName, done);
	if (options.csv && kind.kind !== 'error')
		kind = {
			kind: options.csv.delimiter === '\t' ? 'tsv' : 'csv',
			delimiter: options.csv.delimiter
		};
	if (kind.kind === 'error') {
		await chunks.return(undefined);
		yield { type: 'file-error', reason: kind.reason };
		return;
	}
	const source = replay(buffered, chunks, done);
	switch (kind.kind) {
		case 'jsonl':
			// Inlined rather than delegated with yield*: one await less per line on the hot path.
			for await (const { firstLine, lines } of readLineBatches(source)) {
				for (let k = 0; k < lines.length; k++)
					yield parseJsonBytes(lines[k], firstLine + k, options.mapping);
			}
			return;
		case 'json-array':
		case 'json-values':
			yield* parseJsonItems(source, options.mapping);
			return;
		case 'csv':
		case 'tsv':
			yield* parseDelimited(source, {
				delimiter: kind.delimiter ?? (kind.kind === 'tsv' ? '\t' : ','),
				mapping: options.mapping
			});
			return;
	}
}

async function* parseJsonItems(
	source: ByteSource,
	mapping: FieldMapping | undefined
): AsyncGenerator<ParseEvent> {
	const scanner = new JsonItemScanner();
	for await (const chunk of chunksOf(source)) {
		for (const item of scanner.push(chunk)) yield itemEvent(item, mapping);
	}
	for (const item of scanner.end()) yield itemEvent(item, mapping);
}

function itemEvent(item: JsonItem, mapping: FieldMapping | undefined): ParseEvent {
	const { line, bytes, kind } = item;
	if (kind === 'trailing') {
		const decoded = decodeLine(bytes);
		const raw = (decoded.ok ? decoded.text : decoded.raw).trim();
		return { type: 'rejected', line, reason: 'text after the end of the JSON array', raw };
	}
	if (bytes.length === 0 || isBlankBytes(bytes))
		return {
			type: 'rejected',
			line,
			reason: 'an empty item in the JSON array (two commas in a row?)',
			raw: ''
		};
	const event = parseJsonBytes(bytes, line, mapping);
	if (kind === 'unterminated' && event.type === 'rejected')
		return {
			...event,
			reason: 'the file ends inside this item: the JSON is not closed (is the file cut short?)'
		};
	return event;
}

function isBlankBytes(bytes: Uint8Array): boolean {
	for (let i = 0; i < bytes.length; i++) {
		const c = bytes[i];
		if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
	}
	return true;
}

/** Whether a decoded line holds nothing but whitespace. */
function isBlankText(text: string): boolean {
	if (text.length === 0) return true;
	// The common case, a record, is answered without scanning.
	if (text.charCodeAt(0) === 0x7b) return false;
	return text.trim() === '';
}

/** One line or array item: decode, parse, detect (or map), each failure a located reason. */
export function parseJsonBytes(
	bytes: Uint8Array,
	line: number,
	mapping?: FieldMapping
): ParseEvent {
	if (bytes.length === 0) return { type: 'blank', line };
	const decoded = decodeLine(bytes);
	if (!decoded.ok) return { type: 'rejected', line, reason: decoded.reason, raw: decoded.raw };
	const text = decoded.text;
	if (isBlankText(text)) return { type: 'blank', line };
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { type: 'rejected', line, reason: describeJsonError(text, error, line), raw: text };
	}
	let result = detectRecord(value);
	if (!result.ok && result.unknownShape && mapping)
		result = applyMapping(value as Record<string, unknown>, mapping, 'field', 'mapped');
	return result.ok
		? { type: 'record', line, record: result.record, size: bytes.length }
		: { type: 'rejected', line, reason: result.reason, raw: text };
}
