/**
 * Duplicate and near-duplicate detection that stays linear at 100,000 examples and costs little
 * next to tokenizing. One pass over an example's text (fed piece by piece, never concatenated)
 * gives:
 * - the hash of its normalized text (ASCII case folded, whitespace runs collapsed, ends trimmed), for
 *   duplicates "up to case and whitespace", and snapshots of it (the input part, for overlap);
 * - a MinHash signature of its word pairs by one-permutation hashing (each pair lands in one of
 *   32 bins and keeps the bin's minimum; empty bins borrow from their neighbour), from which the
 *   Jaccard similarity of two examples is estimated. LSH over bands of the signature finds
 *   candidate pairs without comparing every pair; a candidate is a near-duplicate when its
 *   estimated similarity reaches NEAR_SIMILARITY.
 */

/** Estimated Jaccard similarity of word pairs at which two examples count as near-duplicates. */
export const NEAR_SIMILARITY = 0.7;
const BINS = 32;
const BANDS = 8;
const ROWS = BINS / BANDS;
const EMPTY = 0xffffffff;
/** Bins that may differ between near-duplicates. */
const MAX_MISSES = Math.floor(BINS * (1 - NEAR_SIMILARITY));
/** Examples under this many word pairs are too short to compare meaningfully. */
const MIN_PAIRS = 6;
/** Candidates checked per band bucket: bounds the work when many examples look alike. */
const BUCKET_SCAN = 4;

const WHITESPACE = 0;
const PUNCTUATION = 1;
/**
 * Per ASCII character: WHITESPACE, PUNCTUATION, or (letters and digits) the character itself,
 * case folded. One lookup in place of a chain of range tests per character. Every character
 * from 128 up counts as a letter.
 */
const ASCII = new Uint8Array(128).map((_, c) => {
	if (c === 32 || (c >= 9 && c <= 13)) return WHITESPACE;
	if (c >= 65 && c <= 90) return c + 32;
	return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? c : PUNCTUATION;
});

/** The running fingerprint of one example; `reset` between examples. */
export class Fingerprint {
	readonly signature = new Uint32Array(BINS);
	pairs = 0;
	characters = 0;
	// Normalized-text hash (two 32-bit lanes, cyrb53-style).
	#h1 = 0xdeadbeef;
	#h2 = 0x41c6ce57;
	// Word-pair state.
	#word = 0x811c9dc5;
	#inWord = false;
	#prev = 0;

	reset(): void {
		this.signature.fill(EMPTY);
		this.pairs = 0;
		this.characters = 0;
		this.#h1 = 0xdeadbeef;
		this.#h2 = 0x41c6ce57;
		this.#word = 0x811c9dc5;
		this.#inWord = false;
		this.#prev = 0;
	}

	/**
	 * Feeds text; `feedBreak` between pieces keeps words of two pieces apart. The normalized hash
	 * takes words (ASCII case folded) and punctuation characters in order, whitespace not at all,
	 * so it equals for texts that differ only in case and spacing. One multiply per character.
	 */
	feed(text: string): void {
		this.characters += text.length;
		// Everything in locals for the loop; written back at the end.
		const signature = this.signature;
		let h1 = this.#h1;
		let h2 = this.#h2;
		let prev = this.#prev;
		let pairs = this.pairs;
		let word = this.#word;
		let inWord = this.#inWord;
		const n = text.length;
		for (let i = 0; i < n; i++) {
			const c = text.charCodeAt(i);
			const k = c < 128 ? ASCII[c] : c;
			if (k > PUNCTUATION) {
				word = Math.imul(word ^ k, 0x01000193);
				inWord = true;
				continue;
			}
			if (inWord) {
				// End of a word: into the normalized hash, and a word pair into the signature.
				h1 = Math.imul(h1 ^ word, 2654435761);
				h2 = Math.imul(h2 ^ word, 1597334677);
				if (prev !== 0) {
					let h = Math.imul(prev, 31) ^ word;
					h ^= h >>> 16;
					h = Math.imul(h, 0x85ebca6b);
					h ^= h >>> 13;
					h = Math.imul(h, 0xc2b2ae35);
					h ^= h >>> 16;
					const bin = h >>> 27;
					const value = h & 0x07ffffff;
					if (value < signature[bin]) signature[bin] = value;
					pairs++;
				}
				prev = word | 1;
				word = 0x811c9dc5;
				inWord = false;
			}
			if (k === PUNCTUATION) {
				h1 = Math.imul(h1 ^ c, 2654435761);
				h2 = Math.imul(h2 ^ c, 1597334677);
			}
		}
		this.#h1 = h1;
		this.#h2 = h2;
		this.#prev = prev;
		this.pairs = pairs;
		this.#word = word;
		this.#inWord = inWord;
	}

	/** A boundary between two pieces of text (a message, a field): whitespace. */
	feedBreak(): void {
		if (this.#inWord) {
			this.#endWord(this.#word);
			this.#word = 0x811c9dc5;
			this.#inWord = false;
		}
	}

	#mix(value: number): void {
		this.#h1 = Math.imul(this.#h1 ^ value, 2654435761);
		this.#h2 = Math.imul(this.#h2 ^ value, 1597334677);
	}

	#endWord(word: number): void {
		this.#mix(word);
		if (this.#prev !== 0) {
			let h = Math.imul(this.#prev, 31) ^ word;
			h ^= h >>> 16;
			h = Math.imul(h, 0x85ebca6b);
			h ^= h >>> 13;
			h = Math.imul(h, 0xc2b2ae35);
			h ^= h >>> 16;
			const bin = h >>> 27;
			const value = h & 0x07ffffff;
			if (value < this.signature[bin]) this.signature[bin] = value;
			this.pairs++;
		}
		this.#prev = word | 1;
	}

	/**
	 * The normalized text's hash so far: `lo` returned, `hashHi` set (two 32-bit lanes). A word
	 * still open at this point counts as ended (the state is left as it is, so more text may
	 * continue it).
	 */
	hash(): number {
		let h1 = this.#h1;
		let h2 = this.#h2;
		if (this.#inWord) {
			h1 = Math.imul(h1 ^ this.#word, 2654435761);
			h2 = Math.imul(h2 ^ this.#word, 1597334677);
		}
		h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
		h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
		this.hashHi = h2 | 0;
		return h1 | 0;
	}

	/** The high lane of the last `hash()`. */
	hashHi = 0;

	/** Ends the example: flushes the last word and fills empty bins; false when too short to compare. */
	finish(): boolean {
		this.feedBreak();
		if (this.pairs < MIN_PAIRS) return false;
		const s = this.signature;
		for (let i = 0; i < BINS; i++) {
			if (s[i] !== EMPTY) continue;
			for (let d = 1; d < BINS; d++) {
				const j = (i + d) % BINS;
				if (s[j] !== EMPTY && s[j] <= 0x07ffffff) {
					s[i] = (Math.imul(s[j] ^ d, 0x9e3779b1) >>> 0) | 0x80000000;
					break;
				}
			}
		}
		return true;
	}
}

/** FNV-1a of a string (its length is the other lane): the key for lines written exactly alike. */
export function exactKey(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h | 0;
}

/**
 * The same kind of key from a line's UTF-8 bytes (their count is the other lane), for lines read
 * from a file: two lines decode to the same text exactly when their bytes are the same (less a
 * leading BOM, which the decoder drops: see withoutBom), and the bytes go four to a multiply in
 * two independent lanes, where the text goes one character to a multiply in one chain (at 60 MB
 * that chain alone cost a tenth of tokenizing). A validator keys all its lines one way.
 */
export function exactKeyOfBytes(bytes: Uint8Array): number {
	const n = bytes.length;
	let h = 0x811c9dc5;
	let g = 0x01000193;
	let i = 0;
	for (; i + 8 <= n; i += 8) {
		h = Math.imul(
			h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)),
			0x01000193
		);
		g = Math.imul(
			g ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24)),
			0x01000193
		);
	}
	for (; i < n; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
	return (h ^ Math.imul(g ^ (g >>> 15), 0x9e3779b1)) | 0;
}

/** A line's bytes less one leading BOM, as the decoder reads them. */
export function withoutBom(bytes: Uint8Array): Uint8Array {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
		? bytes.subarray(3)
		: bytes;
}

/**
 * Finds near-duplicates: each example is matched to the earlier one it resembles. For each band
 * (ROWS bins of the signature), examples with the same band key share a bucket; an example's
 * candidates in a band are the (up to BUCKET_SCAN) latest earlier examples in its bucket, and
 * the first candidate, band by band, whose estimated similarity reaches NEAR_SIMILARITY is its
 * match.
 *
 * Examples are only collected as they arrive (signature, band keys); the buckets are formed
 * when the pairs are first asked for, one band at a time. At 100,000 examples one growing hash
 * table of all 800,000 band keys was megabytes of random reads and writes, most of them cache
 * misses; a table per band, sized once, stays in the cache. The pairs are the same as matching
 * each example on arrival against the buckets so far.
 *
 * A 64-bit sketch per example (two bits per bin) turns down most candidates without reading
 * their signature: equal bins give equal sketch bits, so the sketch only turns down pairs the
 * full comparison would turn down too.
 */
export class NearDuplicates {
	#signatures = new Uint32Array(BINS * 1024);
	/** Per example: its band keys. */
	#keys = new Uint32Array(BANDS * 1024);
	/** Per example: sketch (two words). */
	#sketches = new Int32Array(2 * 1024);
	#lines = new Int32Array(1024);
	#count = 0;
	#pairs: [number, number][] | null = null;

	add(line: number, signature: Uint32Array): void {
		const index = this.#count++;
		if (index === this.#lines.length) this.#grow();
		this.#pairs = null;
		// A plain loop: TypedArray#set's native call costs more than 32 stores.
		const signatures = this.#signatures;
		const base = index * BINS;
		let lo = 0;
		let hi = 0;
		for (let k = 0; k < BINS / 2; k++) {
			const a = signature[k];
			const b = signature[k + BINS / 2];
			signatures[base + k] = a;
			signatures[base + k + BINS / 2] = b;
			lo |= (a & 3) << (2 * k);
			hi |= (b & 3) << (2 * k);
		}
		this.#sketches[2 * index] = lo;
		this.#sketches[2 * index + 1] = hi;
		this.#lines[index] = line;
		const keys = this.#keys;
		for (let band = 0; band < BANDS; band++) {
			let key = band + 1;
			for (let r = 0; r < ROWS; r++) key = Math.imul(key ^ signature[band * ROWS + r], 0x01000193);
			keys[index * BANDS + band] = key;
		}
	}

	/** [line, earlier line it nearly repeats], in file order. */
	get pairs(): [number, number][] {
		this.#pairs ??= this.#match();
		return this.#pairs;
	}

	#match(): [number, number][] {
		const n = this.#count;
		const pairs: [number, number][] = [];
		if (n < 2) return pairs;
		const earlier = this.#buckets(n);
		const signatures = this.#signatures;
		const sketches = this.#sketches;
		for (let i = 0; i < n; i++) {
			const lo = sketches[2 * i];
			const hi = sketches[2 * i + 1];
			let match = -1;
			for (let band = 0; band < BANDS && match === -1; band++) {
				for (
					let k = earlier[i * BANDS + band], seen = 0;
					k !== -1 && seen < BUCKET_SCAN;
					k = earlier[k * BANDS + band], seen++
				) {
					if (
						binsApart(sketches[2 * k] ^ lo) + binsApart(sketches[2 * k + 1] ^ hi) <= MAX_MISSES &&
						near(signatures, k * BINS, i * BINS)
					) {
						match = k;
						break;
					}
				}
			}
			if (match !== -1) pairs.push([this.#lines[i], this.#lines[match]]);
		}
		return pairs;
	}

	/**
	 * Per example and band: the latest earlier example with the same band key, or -1. One band
	 * at a time, through an open-addressed table from key to the latest example: sized for the
	 * examples there are (no growing), it stays in the cache where a table of every band's keys
	 * at once did not.
	 */
	#buckets(n: number): Int32Array {
		const earlier = new Int32Array(n * BANDS);
		const keys = this.#keys;
		let size = 1024;
		while (size < 2 * n) size *= 2;
		const mask = size - 1;
		/** Per slot: band key, example index + 1 (0 = empty). */
		const table = new Int32Array(2 * size);
		for (let band = 0; band < BANDS; band++) {
			if (band > 0) table.fill(0);
			for (let i = 0, at = band; i < n; i++, at += BANDS) {
				const key = keys[at] | 0;
				for (let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask; ; slot = (slot + 1) & mask) {
					const head = table[2 * slot + 1];
					if (head === 0) {
						table[2 * slot] = key;
						table[2 * slot + 1] = i + 1;
						earlier[at] = -1;
						break;
					}
					if (table[2 * slot] === key) {
						table[2 * slot + 1] = i + 1;
						earlier[at] = head - 1;
						break;
					}
				}
			}
		}
		return earlier;
	}

	#grow(): void {
		const size = this.#lines.length * 2;
		const signatures = new Uint32Array(size * BINS);
		signatures.set(this.#signatures);
		this.#signatures = signatures;
		const keys = new Uint32Array(size * BANDS);
		keys.set(this.#keys);
		this.#keys = keys;
		const sketches = new Int32Array(size * 2);
		sketches.set(this.#sketches);
		this.#sketches = sketches;
		const lines = new Int32Array(size);
		lines.set(this.#lines);
		this.#lines = lines;
	}
}

/** Whether two signatures' estimated similarity reaches NEAR_SIMILARITY (stops at the first bins
 * that rule it out). */
function near(signatures: Uint32Array, a: number, b: number): boolean {
	let misses = 0;
	for (let k = 0; k < BINS; k++) {
		if (signatures[a + k] !== signatures[b + k] && ++misses > MAX_MISSES) return false;
	}
	return true;
}

/** How many of the 16 two-bit groups of `x` (two sketches XORed) are not zero. */
function binsApart(x: number): number {
	let y = (x | (x >>> 1)) & 0x55555555;
	y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
	y = (y + (y >>> 4)) & 0x0f0f0f0f;
	return Math.imul(y, 0x01010101) >>> 24;
}
