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
			let c = text.charCodeAt(i);
			// ASCII case folding only: per-character toLowerCase would cost more than it finds.
			if (c >= 65 && c <= 90) c += 32;
			if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128) {
				word = Math.imul(word ^ c, 0x01000193);
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
			if (c !== 32 && (c < 9 || c > 13)) {
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

	/** The normalized text's hash so far: `lo` returned, `hashHi` set (two 32-bit lanes). */
	hash(): number {
		let h1 = this.#h1;
		let h2 = this.#h2;
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
 * from a file: two lines decode to the same text exactly when their bytes are the same, and the
 * bytes go four to a multiply in two independent lanes, where the text goes one character to a
 * multiply in one chain (at 60 MB that chain alone costs a tenth of tokenizing). A leading BOM is
 * left out, as the decoder drops it. A validator keys all its lines one way (see Validator).
 */
export function exactKeyOfBytes(bytes: Uint8Array): number {
	const n = bytes.length;
	let i = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	let h = 0x811c9dc5;
	let g = 0x01000193;
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

/**
 * Finds near-duplicates as examples arrive; each is matched to the earlier one it resembles.
 * Band buckets are linked lists in typed arrays: an open-addressed table from band key to the
 * latest example in that bucket, and a "next" slot per example and band. Adding an example
 * allocates nothing.
 *
 * Memory is laid out for the cache (at 100,000 examples these tables are megabytes, and each
 * random read is a miss): a bucket's key and head share one table slot; an example's record
 * holds its "next" links together with a 64-bit sketch of its signature (two bits per bin), so
 * walking a bucket reads one cache line per candidate, and a candidate whose sketch already
 * differs in more bins than a near-duplicate may is turned down without reading its signature.
 * Equal bins give equal sketch bits, so the sketch only ever turns down pairs that the full
 * comparison would turn down too: the pairs found are the same.
 */
const RECORD = 16;
/** Where in an example's record: its next links are 0..BANDS-1. */
const SKETCH_LO = BANDS;
const SKETCH_HI = BANDS + 1;
const LINE = BANDS + 2;

export class NearDuplicates {
	#signatures = new Uint32Array(BINS * 1024);
	/** Per example: next link per band (example index, -1 = end), sketch (2 words), line. */
	#records = new Int32Array(RECORD * 1024);
	#count = 0;
	/** Per slot: band key, example index + 1 at the head of its bucket (0 = empty slot). */
	#table = new Int32Array(2 << 14);
	#used = 0;
	/** [line, earlier line it nearly repeats]. */
	readonly pairs: [number, number][] = [];

	add(line: number, signature: Uint32Array): void {
		const index = this.#count++;
		if ((index + 1) * RECORD > this.#records.length) this.#growExamples();
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
		const records = this.#records;
		const record = index * RECORD;
		records[record + SKETCH_LO] = lo;
		records[record + SKETCH_HI] = hi;
		records[record + LINE] = line;
		if ((this.#used + BANDS) * 4 > this.#table.length) this.#growTable();
		let match = -1;
		for (let band = 0; band < BANDS; band++) {
			let key = band + 1;
			for (let r = 0; r < ROWS; r++) key = Math.imul(key ^ signature[band * ROWS + r], 0x01000193);
			const head = this.#swapHead(key, index);
			records[record + band] = head;
			if (match !== -1) continue;
			for (
				let k = head, seen = 0;
				k !== -1 && seen < BUCKET_SCAN;
				k = records[k * RECORD + band], seen++
			) {
				const at = k * RECORD;
				if (
					binsApart(records[at + SKETCH_LO] ^ lo) + binsApart(records[at + SKETCH_HI] ^ hi) <=
						MAX_MISSES &&
					this.#near(k, signature)
				) {
					match = k;
					break;
				}
			}
		}
		if (match !== -1) this.pairs.push([line, records[match * RECORD + LINE]]);
	}

	/** Makes `index` the head of the bucket `key`; returns the previous head, or -1. */
	#swapHead(key: number, index: number): number {
		const table = this.#table;
		const mask = table.length / 2 - 1;
		for (let i = (Math.imul(key, 0x9e3779b1) >>> 0) & mask; ; i = (i + 1) & mask) {
			const at = 2 * i;
			const head = table[at + 1];
			if (head === 0) {
				table[at] = key;
				table[at + 1] = index + 1;
				this.#used++;
				return -1;
			}
			if (table[at] === key) {
				table[at + 1] = index + 1;
				return head - 1;
			}
		}
	}

	#growExamples(): void {
		const signatures = new Uint32Array(this.#signatures.length * 2);
		signatures.set(this.#signatures);
		this.#signatures = signatures;
		const records = new Int32Array(this.#records.length * 2);
		records.set(this.#records);
		this.#records = records;
	}

	#growTable(): void {
		const old = this.#table;
		const table = new Int32Array(old.length * 2);
		const mask = table.length / 2 - 1;
		for (let j = 0; j < old.length; j += 2) {
			if (old[j + 1] === 0) continue;
			let i = (Math.imul(old[j], 0x9e3779b1) >>> 0) & mask;
			while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
			table[2 * i] = old[j];
			table[2 * i + 1] = old[j + 1];
		}
		this.#table = table;
	}

	/** Whether the estimated similarity reaches NEAR_SIMILARITY (stops at the first bins that rule it out). */
	#near(other: number, signature: Uint32Array): boolean {
		const signatures = this.#signatures;
		const base = other * BINS;
		let misses = 0;
		for (let k = 0; k < BINS; k++) {
			if (signatures[base + k] !== signature[k] && ++misses > MAX_MISSES) return false;
		}
		return true;
	}
}

/** How many of the 16 two-bit groups of `x` (two sketches XORed) are not zero. */
function binsApart(x: number): number {
	let y = (x | (x >>> 1)) & 0x55555555;
	y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
	y = (y + (y >>> 4)) & 0x0f0f0f0f;
	return Math.imul(y, 0x01010101) >>> 24;
}
