/**
 * Bytes to lines. Splitting happens on 0x0A in the bytes, before any decoding, so one line with
 * broken UTF-8 costs that line only; memory stays bounded by the longest line (plus a chunk),
 * however large the file.
 */

/** A browser `File.stream()`, node's `Readable.toWeb(…)`, or any async source of bytes. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface Line {
	/** 1-based line number. */
	line: number;
	/** The line without its \n (or \r\n); a view into the chunk it came in, valid until the next. */
	bytes: Uint8Array;
}

export interface LineBatch {
	/** Number of `lines[0]`; the rest follow on. */
	firstLine: number;
	lines: Uint8Array[];
}

const LF = 0x0a;
const CR = 0x0d;

/** The source's chunks; a stream left early (break, error) is cancelled so its file is let go. */
export async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
	if (!('getReader' in source)) {
		for await (const chunk of source) if (chunk.byteLength > 0) yield chunk;
		return;
	}
	const reader = source.getReader();
	let finished = false;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) {
				finished = true;
				return;
			}
			if (value.byteLength > 0) yield value;
		}
	} finally {
		if (!finished) await reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
	const out = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.byteLength;
	}
	return out;
}

function withoutCR(line: Uint8Array): Uint8Array {
	const n = line.byteLength;
	return n > 0 && line[n - 1] === CR ? line.subarray(0, n - 1) : line;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
	return bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Lines in batches (one per chunk that ends at least one line), so a caller that handles
 * lines synchronously pays one await per chunk rather than per line.
 */
export async function* readLineBatches(source: ByteSource): AsyncGenerator<LineBatch> {
	let pending: Uint8Array[] = [];
	let pendingBytes = 0;
	let next = 1;
	for await (const chunk of chunksOf(source)) {
		const lines: Uint8Array[] = [];
		let start = 0;
		for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
			let line = chunk.subarray(start, nl);
			if (pendingBytes > 0) {
				pending.push(line);
				line = concat(pending, pendingBytes + line.byteLength);
				pending = [];
				pendingBytes = 0;
			}
			lines.push(withoutCR(line));
			start = nl + 1;
		}
		if (start < chunk.byteLength) {
			pending.push(chunk.subarray(start));
			pendingBytes += chunk.byteLength - start;
		}
		if (lines.length > 0) {
			if (next === 1 && hasUtf8Bom(lines[0])) lines[0] = lines[0].subarray(3);
			yield { firstLine: next, lines };
			next += lines.length;
		}
	}
	if (pendingBytes > 0) {
		// The last line, without a final newline.
		let last = withoutCR(concat(pending, pendingBytes));
		if (next === 1 && hasUtf8Bom(last)) {
			last = last.subarray(3);
			if (last.byteLength === 0) return; // a file that is only a BOM is empty
		}
		yield { firstLine: next, lines: [last] };
	}
}

/** Lines one by one: `{ line, bytes }`, with CRLF and a leading UTF-8 BOM taken off. */
export async function* readLines(source: ByteSource): AsyncGenerator<Line> {
	for await (const batch of readLineBatches(source)) {
		for (let i = 0; i < batch.lines.length; i++) {
			yield { line: batch.firstLine + i, bytes: batch.lines[i] };
		}
	}
}
