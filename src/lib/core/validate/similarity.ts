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
 * Finds near-duplicates as examples arrive; each is matched to the earlier one it resembles.
 * Band buckets are linked lists in typed arrays: an open-addressed table from band key to the
 * latest example in that bucket, and a "next" slot per example and band. Adding an example
 * allocates nothing.
 */
export class NearDuplicates {
	#signatures = new Uint32Array(BINS * 1024);
	#next = new Int32Array(BANDS * 1024);
	#lines = new Int32Array(1024);
	#count = 0;
	#keys = new Int32Array(1 << 14);
	/** Example index + 1 at the head of each bucket; 0 = empty slot. */
	#heads = new Int32Array(1 << 14);
	#used = 0;
	/** [line, earlier line it nearly repeats]. */
	readonly pairs: [number, number][] = [];

	add(line: number, signature: Uint32Array): void {
		const index = this.#count++;
		if (index >= this.#lines.length) this.#growExamples();
		// A plain loop: TypedArray#set's native call costs more than 32 stores.
		const signatures = this.#signatures;
		const base = index * BINS;
		for (let k = 0; k < BINS; k++) signatures[base + k] = signature[k];
		this.#lines[index] = line;
		if ((this.#used + BANDS) * 2 > this.#heads.length) this.#growTable();
		let match = -1;
		for (let band = 0; band < BANDS; band++) {
			let key = band + 1;
			for (let r = 0; r < ROWS; r++) key = Math.imul(key ^ signature[band * ROWS + r], 0x01000193);
			const head = this.#swapHead(key, index);
			this.#next[index * BANDS + band] = head;
			if (match !== -1) continue;
			for (
				let k = head, seen = 0;
				k !== -1 && seen < BUCKET_SCAN;
				k = this.#next[k * BANDS + band], seen++
			) {
				if (this.#near(k, signature)) {
					match = k;
					break;
				}
			}
		}
		if (match !== -1) this.pairs.push([line, this.#lines[match]]);
	}

	/** Makes `index` the head of the bucket `key`; returns the previous head, or -1. */
	#swapHead(key: number, index: number): number {
		const keys = this.#keys;
		const heads = this.#heads;
		const mask = heads.length - 1;
		for (let i = (Math.imul(key, 0x9e3779b1) >>> 0) & mask; ; i = (i + 1) & mask) {
			if (heads[i] === 0) {
				keys[i] = key;
				heads[i] = index + 1;
				this.#used++;
				return -1;
			}
			if (keys[i] === key) {
				const previous = heads[i] - 1;
				heads[i] = index + 1;
				return previous;
			}
		}
	}

	#growExamples(): void {
		const size = this.#lines.length * 2;
		const signatures = new Uint32Array(size * BINS);
		signatures.set(this.#signatures);
		this.#signatures = signatures;
		const next = new Int32Array(size * BANDS);
		next.set(this.#next);
		this.#next = next;
		const lines = new Int32Array(size);
		lines.set(this.#lines);
		this.#lines = lines;
	}

	#growTable(): void {
		const keys = this.#keys;
		const heads = this.#heads;
		this.#keys = new Int32Array(keys.length * 2);
		this.#heads = new Int32Array(heads.length * 2);
		const mask = this.#heads.length - 1;
		for (let j = 0; j < heads.length; j++) {
			if (heads[j] === 0) continue;
			let i = (Math.imul(keys[j], 0x9e3779b1) >>> 0) & mask;
			while (this.#heads[i] !== 0) i = (i + 1) & mask;
			this.#keys[i] = keys[j];
			this.#heads[i] = heads[j];
		}
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
