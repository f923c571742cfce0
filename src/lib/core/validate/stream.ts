/**
 * Validating a whole file from its byte stream, as the CLI, the validator page's worker and the
 * tests do. Lines are split on bytes (as the importer does), so memory stays bounded by the
 * longest line; the model (hence the tokenizer) is chosen from the first lines before counting.
 * A JSON array is validated item by item but reported as not JSON Lines, which OpenAI requires.
 */
import { JsonItemScanner } from '../import/json-items';
import { chunksOf, readLineBatches, type ByteSource } from '../import/lines';
import { peek, replay } from '../import/peek';
import { classify, SNIFF_BYTES } from '../import/sniff';
import { decodeLine } from '../import/utf8';
import type { LineFormat } from './models';
import { loadTokenCounter, type CountTokens } from './tokens';
import {
	resolveModel,
	sniffLineFormat,
	Validator,
	type ValidationReport,
	type ValidatorOptions
} from './validator';

export interface ValidateProgress {
	bytesRead: number;
	lines: number;
}

export interface StreamOptions extends ValidatorOptions {
	fileName: string;
	signal?: AbortSignal;
	/** Called after each chunk. */
	onProgress?: (progress: ValidateProgress) => void;
	/** Loads a tokenizer (tests and benchmarks can pass one in). */
	loadCounter?: (encoding: 'o200k_base' | 'cl100k_base') => Promise<CountTokens>;
}

const decoder = new TextDecoder();

/** The format of the first recognisable line in the file's head. */
function headFormat(head: Uint8Array): LineFormat | undefined {
	const text = decoder.decode(head);
	let start = 0;
	for (let i = 0; i < 50 && start < text.length; i++) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		const format = sniffLineFormat(text.slice(start, end));
		if (format) return format;
		start = end + 1;
	}
	return undefined;
}

function lineEndings(head: Uint8Array): 'lf' | 'crlf' | 'mixed' | undefined {
	let crlf = 0;
	let lf = 0;
	for (let i = 0; i < head.length; i++) {
		if (head[i] !== 0x0a) continue;
		if (i > 0 && head[i - 1] === 0x0d) crlf++;
		else lf++;
	}
	if (crlf === 0 && lf === 0) return undefined;
	return crlf === 0 ? 'lf' : lf === 0 ? 'crlf' : 'mixed';
}

export async function validateStream(
	source: ByteSource,
	options: StreamOptions
): Promise<ValidationReport> {
	const chunks = chunksOf(source);
	const { head, buffered, done } = await peek(chunks, SNIFF_BYTES);
	const kind = classify(head, options.fileName, done);
	const format = options.format ?? (kind.kind === 'error' ? undefined : headFormat(head));
	const spec = resolveModel(options.model, format);
	const count = await (options.loadCounter ?? loadTokenCounter)(spec.encoding);
	const validator = new Validator(count, {
		...options,
		model: spec.id,
		format,
		file: options.file ?? options.fileName
	});
	validator.lineEndings = lineEndings(head);
	if (kind.kind === 'error') {
		await chunks.return(undefined);
		validator.fileError('unreadable-file', kind.reason);
		return validator.finish();
	}
	if (kind.kind === 'csv' || kind.kind === 'tsv') {
		await chunks.return(undefined);
		validator.fileError(
			'not-jsonl',
			`a ${kind.kind.toUpperCase()} file: OpenAI takes JSON Lines (one JSON example per line); import it into Tuneloop and export a dataset`
		);
		return validator.finish();
	}
	const stream = replay(buffered, chunks, done);
	let bytesRead = 0;
	const counted = (async function* () {
		for await (const chunk of stream) {
			bytesRead += chunk.byteLength;
			yield chunk;
		}
	})();
	if (kind.kind === 'jsonl') {
		for await (const { firstLine, lines } of readLineBatches(counted)) {
			options.signal?.throwIfAborted();
			addBatch(validator, firstLine, lines);
			options.onProgress?.({ bytesRead, lines: firstLine + lines.length - 1 });
		}
	} else {
		validator.fileError(
			'not-jsonl',
			kind.kind === 'json-array'
				? 'a JSON array, not JSON Lines: OpenAI takes one JSON example per line (items are checked below by the line they start on)'
				: 'JSON values spread over several lines, not JSON Lines: put each example on one line (e.g. `jq -c . file`)'
		);
		const scanner = new JsonItemScanner();
		let lines = 0;
		for await (const chunk of counted) {
			options.signal?.throwIfAborted();
			for (const item of scanner.push(chunk)) {
				addItem(validator, item.line, item.bytes, item.kind);
				lines = item.line;
			}
			options.onProgress?.({ bytesRead, lines });
		}
		for (const item of scanner.end()) addItem(validator, item.line, item.bytes, item.kind);
	}
	return validator.finish();
}

const lenient = new TextDecoder();
/**
 * Bytes decoded in one call at most: the run's text stays an ordinary young string that dies
 * with the run (a chunk-sized one is a large object, promoted whole to the old generation).
 */
const RUN_BYTES = 1 << 15;
const REPLACEMENT = '\ufffd';
const BOM = 0xfeff;
const LF = 0x0a;
const CR = 0x0d;

/**
 * A batch of lines, decoded a run at a time: lines that lie one after the other in the same
 * chunk (up to RUN_BYTES) are decoded in one call and then cut at their newlines, where a call
 * per line cost more than the decoding itself. The result is the same as
 * decoding each line strictly: a line whose text has a U+FFFD (broken bytes, or one written in
 * the file) is decoded again on its own, and a BOM at the start of a line is dropped, as the
 * strict decoder drops it.
 */
function addBatch(validator: Validator, firstLine: number, lines: Uint8Array[]): void {
	let k = 0;
	while (k < lines.length) {
		const first = lines[k];
		const all = new Uint8Array(first.buffer);
		// The run: following lines that start right after the previous one's \n or \r\n.
		let end = k + 1;
		let stop = first.byteOffset + first.byteLength;
		while (end < lines.length) {
			const next = lines[end];
			if (
				next.buffer !== first.buffer ||
				next.byteOffset + next.byteLength - first.byteOffset > RUN_BYTES
			)
				break;
			const gap = next.byteOffset - stop;
			const newline =
				(gap === 1 && all[stop] === LF) || (gap === 2 && all[stop] === CR && all[stop + 1] === LF);
			if (!newline) break;
			stop = next.byteOffset + next.byteLength;
			end++;
		}
		if (end - k < 2) {
			addBytes(validator, firstLine + k, first);
			k++;
			continue;
		}
		const text = lenient.decode(all.subarray(first.byteOffset, stop));
		let from = 0;
		for (let j = k; j < end; j++) {
			const bytes = lines[j];
			const next = text.indexOf('\n', from);
			let to = next === -1 ? text.length : next;
			// The \r of a \r\n belongs to neither line.
			if (j < end - 1 && all[bytes.byteOffset + bytes.byteLength] === CR) to--;
			let lineText = text.slice(from, to);
			from = next + 1;
			if (bytes.byteLength === 0) validator.addBlank(firstLine + j);
			else if (lineText.includes(REPLACEMENT)) addBytes(validator, firstLine + j, bytes);
			else {
				// The decoder dropped a BOM at the start of the run only.
				if (j > k && lineText.charCodeAt(0) === BOM) lineText = lineText.slice(1);
				validator.addLine(firstLine + j, lineText, bytes);
			}
		}
		k = end;
	}
}

function addBytes(validator: Validator, line: number, bytes: Uint8Array): void {
	if (bytes.byteLength === 0) {
		validator.addBlank(line);
		return;
	}
	const decoded = decodeLine(bytes);
	if (!decoded.ok) validator.addUnreadable(line, 'invalid-utf8', decoded.reason);
	else validator.addLine(line, decoded.text, bytes);
}

function addItem(validator: Validator, line: number, bytes: Uint8Array, kind: string): void {
	if (kind === 'trailing') {
		validator.addUnreadable(line, 'invalid-json', 'text after the end of the JSON array');
		return;
	}
	if (kind === 'unterminated') {
		validator.addUnreadable(
			line,
			'invalid-json',
			'the file ends inside this item: the JSON is not closed'
		);
		return;
	}
	addBytes(validator, line, bytes);
}

/**
 * Validates lines already in memory or produced by an exporter (strings, no newlines), e.g. a
 * dataset version's export. The format must be given (the exporter knows it).
 */
export async function validateLines(
	lines: Iterable<string> | AsyncIterable<string>,
	options: ValidatorOptions & { format: LineFormat; loadCounter?: StreamOptions['loadCounter'] }
): Promise<{ report: ValidationReport; validator: Validator }> {
	const spec = resolveModel(options.model, options.format);
	const count = await (options.loadCounter ?? loadTokenCounter)(spec.encoding);
	const validator = new Validator(count, options);
	let line = 0;
	for await (const text of lines) validator.addLine(++line, text);
	return { report: validator.finish(), validator };
}
