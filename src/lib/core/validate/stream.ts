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
			for (let k = 0; k < lines.length; k++) addBytes(validator, firstLine + k, lines[k]);
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
