/**
 * What a file is, from its first bytes: JSON Lines, a JSON array, pretty-printed JSON values,
 * CSV or TSV, or something that cannot be imported at all (binary, UTF-16, one pretty-printed
 * object in a .jsonl) and why. `sniffFile` also samples the first records for the mapping dialog.
 */
import type { FormatId } from '../types';
import { headerNames, RowAssembler, splitRow } from './csv';
import { isPlainObject } from './describe';
import { detectRecord } from './formats';
import { JsonItemScanner } from './json-items';
import { guessMapping, type FieldMapping } from './mapping';

/** How much of a file `sniffFile` wants to see. */
export const SNIFF_BYTES = 64 * 1024;

export type FileKind = 'jsonl' | 'json-array' | 'json-values' | 'csv' | 'tsv';

export type Classification =
	{ kind: FileKind; delimiter?: string } | { kind: 'error'; reason: string };

interface SniffDetails {
	/** Union of the top-level field names of the sampled JSON records (CSV: the columns). */
	keys: string[];
	/** Share of sampled JSON records whose shape no format knows (they need a mapping). */
	unknownShare: number;
	/** CSV/TSV header; empty for JSON. */
	columns: string[];
	/** First records of an unknown shape (JSON) or first rows (CSV), for the mapping preview. */
	sampleRows: Record<string, unknown>[];
	suggestedMapping: FieldMapping | null;
	/** Formats of the sampled records that were recognised. */
	formats: Partial<Record<FormatId, number>>;
	/** Records (lines, items, rows) sampled. */
	sampled: number;
	delimiter?: string;
}

export type SniffResult =
	(SniffDetails & { kind: FileKind }) | (SniffDetails & { kind: 'error'; reason: string });

const SAMPLE_RECORDS = 200;
const SAMPLE_ROWS = 5;

function extensionOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot === -1 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	if (bytes.length < prefix.length) return false;
	for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
	return true;
}

function ascii(text: string): number[] {
	return [...text].map((c) => c.charCodeAt(0));
}

/** Files people drop by mistake, by their magic numbers, with what to do instead. */
const MAGIC: { bytes: number[]; reason: string }[] = [
	{ bytes: [0x89, 0x50, 0x4e, 0x47], reason: 'this is a PNG image, not a log file' },
	{ bytes: [0xff, 0xd8, 0xff], reason: 'this is a JPEG image, not a log file' },
	{ bytes: ascii('GIF8'), reason: 'this is a GIF image, not a log file' },
	{ bytes: ascii('%PDF'), reason: 'this is a PDF, not a log file' },
	{
		bytes: [0x50, 0x4b, 0x03, 0x04],
		reason: 'this is a ZIP archive (or an Excel/Word file): unzip it, or export the sheet as CSV'
	},
	{ bytes: [0x1f, 0x8b], reason: 'this file is gzip-compressed: decompress it first' },
	{ bytes: ascii('BZh'), reason: 'this file is bzip2-compressed: decompress it first' },
	{
		bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
		reason: 'this file is xz-compressed: decompress it first'
	},
	{ bytes: [0x28, 0xb5, 0x2f, 0xfd], reason: 'this file is zstd-compressed: decompress it first' },
	{ bytes: ascii('7z'), reason: 'this is a 7-Zip archive: extract it first' },
	{ bytes: ascii('PAR1'), reason: 'this is a Parquet file: convert it to JSON Lines first' },
	{ bytes: ascii('SQLite format 3'), reason: 'this is an SQLite database, not a log file' }
];

const UTF16 = 'this file is UTF-16; save it as UTF-8';
const BINARY = 'this looks like a binary file, not text (JSON Lines, JSON or CSV)';

/** Binary and UTF-16 checks; null when the bytes look like UTF-8 (or ASCII) text. */
function encodingProblem(head: Uint8Array): string | null {
	if (startsWith(head, [0xff, 0xfe, 0, 0]) || startsWith(head, [0, 0, 0xfe, 0xff]))
		return 'this file is UTF-32; save it as UTF-8';
	if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return UTF16;
	for (const magic of MAGIC) if (startsWith(head, magic.bytes)) return magic.reason;

	// UTF-16 without a BOM: ASCII text has a NUL in every other byte.
	const probe = Math.min(head.length, 4096) & ~1;
	if (probe >= 4) {
		let evenNul = 0;
		let oddNul = 0;
		for (let i = 0; i < probe; i += 2) {
			if (head[i] === 0) evenNul++;
			if (head[i + 1] === 0) oddNul++;
		}
		const pairs = probe / 2;
		if (
			(evenNul > pairs * 0.4 && oddNul < pairs * 0.05) ||
			(oddNul > pairs * 0.4 && evenNul < pairs * 0.05)
		)
			return UTF16;
	}

	// Text has almost no control characters and valid UTF-8; binary data has plenty of both.
	// A few stray bytes are left to the line parser, which rejects just their lines.
	let suspicious = 0;
	const end = head.length;
	let i = 0;
	while (i < end) {
		const c = head[i];
		if (c < 0x80) {
			if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b)
				suspicious++;
			i++;
			continue;
		}
		const need =
			c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
		let ok = need > 0;
		for (let k = 1; ok && k <= need; k++) {
			if (i + k >= end) break; // cut off by the end of the sample: not evidence
			if ((head[i + k] & 0xc0) !== 0x80) ok = false;
		}
		if (ok) i += need + 1;
		else {
			suspicious++;
			i++;
		}
	}
	return suspicious >= 8 && suspicious > end * 0.1 ? BINARY : null;
}

/** Positions of the first non-blank line: its trimmed text and the next non-blank line's. */
function firstLines(text: string): [string, string | undefined] {
	const lines = text.split('\n');
	const nonBlank = lines.map((l) => l.trim()).filter((l) => l !== '');
	return [nonBlank[0] ?? '', nonBlank[1]];
}

const lenient = new TextDecoder('utf-8');

/**
 * What the file is, from its first bytes (`complete`: they are the whole file). The cheap part
 * of `sniffFile`, which `parseFile` uses to pick its parser.
 */
export function classify(head: Uint8Array, fileName: string, complete: boolean): Classification {
	const problem = encodingProblem(head);
	if (problem) return { kind: 'error', reason: problem };
	const ext = extensionOf(fileName);
	const text = lenient.decode(head).replace(/^\uFEFF/, '');
	const [first, second] = firstLines(text);
	const firstChar = first[0];
	const firstIsJson = firstChar === '{' || firstChar === '[';

	if (!firstIsJson || (ext === 'csv' && !isJsonLine(first)) || ext === 'tsv' || ext === 'tab') {
		if (ext === 'csv') return { kind: 'csv', delimiter: ',' };
		if (ext === 'tsv' || ext === 'tab') return { kind: 'tsv', delimiter: '\t' };
		if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json' || first === '')
			return { kind: 'jsonl' };
		const delimiter = guessDelimiter(first, second);
		if (delimiter) return { kind: delimiter === '\t' ? 'tsv' : 'csv', delimiter };
		return { kind: 'jsonl' };
	}

	// JSON: one value per line, or values spread over lines (an array, pretty-printed objects)?
	const scanner = new JsonItemScanner();
	const items = [...scanner.push(head), ...(complete ? scanner.end() : [])];
	if (scanner.mode === 'array') {
		const topEndsOnFirstLine = isJsonLine(first);
		return topEndsOnFirstLine && second !== undefined && second[0] === '['
			? { kind: 'jsonl' }
			: { kind: 'json-array' };
	}
	const firstItem = items[0];
	const lineDelimited = firstItem
		? !bytesContain(firstItem.bytes, 0x0a)
		: !text.slice(text.indexOf('{')).includes('\n');
	if (lineDelimited) return { kind: 'jsonl' };
	// Pretty-printed: the next line is a key or the closing brace, not another record.
	const pretty = first === '{' || second === undefined || /^["}]/.test(second);
	if (!pretty) return { kind: 'jsonl' };
	if (ext === 'jsonl' || ext === 'ndjson') {
		const one = complete && items.length === 1;
		return {
			kind: 'error',
			reason: `${one ? 'this is one pretty-printed JSON object' : 'this is pretty-printed JSON spread over many lines'}, not JSON Lines: put each record on one line (e.g. \`jq -c . file > file.jsonl\`)`
		};
	}
	return { kind: 'json-values' };
}

function bytesContain(bytes: Uint8Array, byte: number): boolean {
	return bytes.indexOf(byte) !== -1;
}

function isJsonLine(line: string): boolean {
	try {
		JSON.parse(line);
		return true;
	} catch {
		return false;
	}
}

/** A delimiter both of the first two lines use the same number of times, tab first. */
function guessDelimiter(first: string, second: string | undefined): string | undefined {
	for (const delimiter of ['\t', ',', ';', '|']) {
		const count = first.split(delimiter).length - 1;
		if (count === 0) continue;
		if (second === undefined || second.split(delimiter).length - 1 >= count) return delimiter;
	}
	return undefined;
}

/**
 * Decides from the first ~64 KB (`SNIFF_BYTES`) what the file is and samples it for the mapping
 * dialog. `fileSize` tells whether `firstBytes` is the whole file (a cut-off last record is then
 * not sampled); without it, fewer than SNIFF_BYTES bytes are taken to be the whole file.
 */
export function sniffFile(
	firstBytes: Uint8Array,
	fileName: string,
	fileSize?: number
): SniffResult {
	const head = firstBytes.length > SNIFF_BYTES ? firstBytes.subarray(0, SNIFF_BYTES) : firstBytes;
	const whole =
		fileSize !== undefined ? firstBytes.length >= fileSize : firstBytes.length < SNIFF_BYTES;
	const complete = whole && head.length === firstBytes.length;
	const classification = classify(head, fileName, complete);
	const details: SniffDetails = {
		keys: [],
		unknownShare: 0,
		columns: [],
		sampleRows: [],
		suggestedMapping: null,
		formats: {},
		sampled: 0
	};
	if (classification.kind === 'error')
		return { ...details, kind: 'error', reason: classification.reason };
	if (classification.kind === 'csv' || classification.kind === 'tsv') {
		const delimiter = classification.delimiter ?? (classification.kind === 'tsv' ? '\t' : ',');
		sampleDelimited(head, complete, delimiter, details);
		return { ...details, kind: classification.kind, delimiter };
	}
	sampleJson(head, complete, classification.kind, details);
	return { ...details, kind: classification.kind };
}

/** The texts of the first complete records in the head. */
function jsonSamples(head: Uint8Array, complete: boolean, kind: FileKind): string[] {
	if (kind === 'jsonl') {
		let text = lenient.decode(head).replace(/^\uFEFF/, '');
		if (!complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
		return text.split('\n').filter((line) => line.trim() !== '');
	}
	const scanner = new JsonItemScanner();
	const items = [...scanner.push(head), ...(complete ? scanner.end() : [])];
	return items.filter((item) => item.kind !== 'trailing').map((item) => lenient.decode(item.bytes));
}

function sampleJson(head: Uint8Array, complete: boolean, kind: FileKind, details: SniffDetails) {
	const keys = new Set<string>();
	let unknown = 0;
	let sampled = 0;
	for (const text of jsonSamples(head, complete, kind).slice(0, SAMPLE_RECORDS)) {
		sampled++;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			continue;
		}
		if (isPlainObject(value)) for (const key of Object.keys(value)) keys.add(key);
		const result = detectRecord(value);
		if (result.ok) {
			const format = result.record.format;
			details.formats[format] = (details.formats[format] ?? 0) + 1;
		} else if (result.unknownShape) {
			unknown++;
			if (details.sampleRows.length < SAMPLE_ROWS)
				details.sampleRows.push(value as Record<string, unknown>);
		}
	}
	details.keys = [...keys];
	details.sampled = sampled;
	details.unknownShare = sampled > 0 ? unknown / sampled : 0;
	details.suggestedMapping = unknown > 0 ? guessMapping(details.keys) : null;
}

function sampleDelimited(
	head: Uint8Array,
	complete: boolean,
	delimiter: string,
	details: SniffDetails
) {
	let text = lenient.decode(head).replace(/^\uFEFF/, '');
	if (!complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	const assembler = new RowAssembler();
	let columns: string[] | undefined;
	let sampled = 0;
	const take = (row: { text: string } | undefined) => {
		if (!row || row.text.trim() === '') return;
		for (const split of splitRow(row.text, delimiter)) {
			if (!columns) {
				columns = headerNames(split.fields);
				continue;
			}
			sampled++;
			if (details.sampleRows.length >= SAMPLE_ROWS) continue;
			const record: Record<string, string> = Object.fromEntries(
				columns.map((name, i) => [name, split.fields[i] ?? ''])
			);
			details.sampleRows.push(record);
		}
	};
	lines.forEach((line, i) => take(assembler.push(i + 1, line.replace(/\r$/, ''))));
	if (complete) take(assembler.end());
	details.columns = columns ?? [];
	details.keys = details.columns;
	details.sampled = sampled;
	details.unknownShare = sampled > 0 ? 1 : 0;
	details.suggestedMapping = guessMapping(details.columns);
}
