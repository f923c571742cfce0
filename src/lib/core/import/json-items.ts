/**
 * Streams the items of a JSON array (or of a run of top-level JSON values, as `jq .` writes
 * them) out of a file, without parsing it whole: a byte-level scanner tracks strings, escapes and
 * depth and hands out each item's bytes with the line it starts on. Memory stays bounded by the
 * largest item. Working on bytes (all JSON punctuation is ASCII, and UTF-8 never reuses ASCII
 * bytes inside a multi-byte character) lets each item be decoded on its own, so broken UTF-8
 * costs one item, as it costs one line in JSON Lines.
 */

export interface JsonItem {
	/** 1-based file line where the item's first byte is. */
	line: number;
	bytes: Uint8Array;
	/**
	 * item: a whole item; unterminated: the file ended inside it (or before the array's `]`);
	 * trailing: text after the array's closing `]`.
	 */
	kind: 'item' | 'unterminated' | 'trailing';
}

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const BOM = [0xef, 0xbb, 0xbf];

/** Trailing text is one rejected item; past this much of it, the rest is not kept. */
const TRAILING_LIMIT = 1024 * 1024;

function isWs(c: number): boolean {
	return c === 0x20 || c === LF || c === 0x0d || c === 0x09;
}

type Phase = 'start' | 'between' | 'value' | 'after' | 'done' | 'trailing';

export class JsonItemScanner {
	/** array: the file is one JSON array; values: top-level values one after another. */
	mode: 'array' | 'values' | undefined;
	#phase: Phase = 'start';
	/** Open brackets of the item in hand, `{` or `[` (as bytes). */
	#stack: number[] = [];
	#inString = false;
	#escape = false;
	/** Whether the item in hand started with `{` or `[` (else it ends at a line end). */
	#container = false;
	#line = 1;
	#itemLine = 1;
	#pieces: Uint8Array[] = [];
	#pieceBytes = 0;
	#bomSeen = 0;

	/** The items that end in this chunk; the rest of a split item waits for the next. */
	push(chunk: Uint8Array): JsonItem[] {
		const out: JsonItem[] = [];
		const n = chunk.length;
		let i = 0;
		// A UTF-8 BOM at the start of the file, which may arrive split across chunks.
		while (this.#bomSeen < 3 && i < n) {
			if (chunk[i] !== BOM[this.#bomSeen]) {
				this.#bomSeen = 3;
				break;
			}
			this.#bomSeen++;
			i++;
		}
		// Lines are counted lazily: `nextLF` is the next newline not yet counted.
		let nextLF = chunk.indexOf(LF, i);
		if (nextLF === -1) nextLF = n;
		const syncLine = (to: number) => {
			while (nextLF < to) {
				this.#line++;
				nextLF = chunk.indexOf(LF, nextLF + 1);
				if (nextLF === -1) nextLF = n;
			}
		};
		let nextBackslash = -2;
		let itemStart = this.#phase === 'value' || this.#phase === 'trailing' ? 0 : -1;

		const begin = (at: number) => {
			syncLine(at);
			this.#itemLine = this.#line;
			itemStart = at;
			this.#stack.length = 0;
			this.#inString = false;
			this.#escape = false;
			this.#container = chunk[at] === 0x7b || chunk[at] === 0x5b;
		};
		const emit = (end: number, kind: JsonItem['kind']) => {
			out.push({ line: this.#itemLine, bytes: this.#take(chunk, itemStart, end), kind });
			itemStart = -1;
		};

		while (i < n) {
			const c = chunk[i];
			switch (this.#phase) {
				case 'start':
					if (isWs(c)) {
						i++;
					} else if (c === 0x5b) {
						this.mode = 'array';
						this.#phase = 'between';
						i++;
					} else {
						this.mode = 'values';
						this.#phase = 'value';
						begin(i);
					}
					break;
				case 'between':
				case 'after':
					if (isWs(c)) i++;
					else if (this.mode === 'array' && c === 0x5d) {
						// `]` right after `[` or after a trailing comma: nothing to emit.
						this.#phase = 'done';
						i++;
					} else if (this.mode === 'array' && c === COMMA) {
						// An empty item (`[a,,b]`): handed out empty, so it is rejected in place.
						begin(i);
						emit(i, 'item');
						i++;
					} else {
						this.#phase = 'value';
						begin(i);
					}
					break;
				case 'value': {
					if (this.#inString) {
						if (this.#escape) {
							this.#escape = false;
							i++;
							break;
						}
						const quote = chunk.indexOf(QUOTE, i);
						if (nextBackslash < i && nextBackslash !== -1)
							nextBackslash = chunk.indexOf(BACKSLASH, i);
						const end = quote === -1 ? n : quote;
						if (nextBackslash !== -1 && nextBackslash < end) {
							i = nextBackslash + 1;
							this.#escape = true;
						} else if (quote === -1) {
							i = n;
						} else {
							this.#inString = false;
							i = quote + 1;
						}
						break;
					}
					if (c === QUOTE) {
						this.#inString = true;
						i++;
					} else if (c === 0x7b || c === 0x5b) {
						this.#stack.push(c);
						i++;
					} else if (c === 0x7d || c === 0x5d) {
						const stack = this.#stack;
						if (stack.length === 0 && this.mode === 'array' && c === 0x5d) {
							emit(i, 'item');
							this.#phase = 'done';
						} else if (stack.length > 0) {
							const opener = c === 0x7d ? 0x7b : 0x5b;
							if (stack[stack.length - 1] === opener) stack.pop();
							else {
								// A mismatched closer (`[1, 2}`): close up to its opener if there is one,
								// so the item still ends near where its author meant, else ignore it.
								const at = stack.lastIndexOf(opener);
								if (at !== -1) stack.length = at;
							}
						}
						i++;
						if (
							this.mode === 'values' &&
							this.#container &&
							stack.length === 0 &&
							itemStart !== -1
						) {
							emit(i, 'item');
							this.#phase = 'after';
						}
					} else if (c === COMMA && this.#stack.length === 0 && this.mode === 'array') {
						emit(i, 'item');
						this.#phase = 'between';
						i++;
					} else if (c === LF && this.mode === 'values' && !this.#container) {
						emit(i, 'item');
						this.#phase = 'after';
						i++;
					} else i++;
					break;
				}
				case 'done':
					if (isWs(c)) i++;
					else {
						this.#phase = 'trailing';
						begin(i);
						i = n;
					}
					break;
				case 'trailing':
					i = n;
					break;
			}
		}
		syncLine(n);
		if (itemStart !== -1) this.#keep(chunk.subarray(itemStart));
		return out;
	}

	/** What is left when the file ends: an unfinished item, or text after the array. */
	end(): JsonItem[] {
		if (this.#pieceBytes === 0) return [];
		const bytes = this.#take(new Uint8Array(0), 0, 0);
		if (this.#phase === 'trailing') return [{ line: this.#itemLine, bytes, kind: 'trailing' }];
		const open = this.mode === 'array' || this.#container;
		return [{ line: this.#itemLine, bytes, kind: open ? 'unterminated' : 'item' }];
	}

	#keep(piece: Uint8Array) {
		if (this.#phase === 'trailing' && this.#pieceBytes >= TRAILING_LIMIT) return;
		this.#pieces.push(piece);
		this.#pieceBytes += piece.byteLength;
	}

	/** The item's bytes: pieces kept from earlier chunks plus this chunk's part. */
	#take(chunk: Uint8Array, start: number, end: number): Uint8Array {
		const tail = chunk.subarray(start, end);
		if (this.#pieces.length === 0) return tail;
		const out = new Uint8Array(this.#pieceBytes + tail.byteLength);
		let offset = 0;
		for (const piece of this.#pieces) {
			out.set(piece, offset);
			offset += piece.byteLength;
		}
		out.set(tail, offset);
		this.#pieces = [];
		this.#pieceBytes = 0;
		return out;
	}
}
