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
/** Examples under this many word pairs are too short to compare meaningfully. */
const MIN_PAIRS = 6;
/** Candidates checked per band bucket: bounds the work when many examples look alike. */
const BUCKET_SCAN = 16;

function isWordChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;
}

/** The running fingerprint of one example; `reset` between examples. */
export class Fingerprint {
	readonly signature = new Uint32Array(BINS);
	pairs = 0;
	characters = 0;
	// Normalized-text hash (two 32-bit lanes, cyrb53-style), and whether a space is pending.
	#h1 = 0xdeadbeef;
	#h2 = 0x41c6ce57;
	#started = false;
	#space = false;
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
		this.#started = false;
		this.#space = false;
		this.#word = 0x811c9dc5;
		this.#inWord = false;
		this.#prev = 0;
	}

	/** Feeds text; `feedBreak` between pieces keeps words of two pieces apart. */
	feed(text: string): void {
		this.characters += text.length;
		let h1 = this.#h1;
		let h2 = this.#h2;
		let word = this.#word;
		let inWord = this.#inWord;
		for (let i = 0; i < text.length; i++) {
			let c = text.charCodeAt(i);
			if (c === 32 || (c >= 9 && c <= 13)) {
				if (this.#started) this.#space = true;
				if (inWord) {
					this.#pair(word);
					word = 0x811c9dc5;
					inWord = false;
				}
				continue;
			}
			// ASCII case folding only: per-character toLowerCase would cost more than it finds.
			if (c >= 65 && c <= 90) c += 32;
			if (this.#space) {
				h1 = Math.imul(h1 ^ 32, 2654435761);
				h2 = Math.imul(h2 ^ 32, 1597334677);
				this.#space = false;
			}
			this.#started = true;
			h1 = Math.imul(h1 ^ c, 2654435761);
			h2 = Math.imul(h2 ^ c, 1597334677);
			if (isWordChar(c)) {
				word = Math.imul(word ^ c, 0x01000193);
				inWord = true;
			} else if (inWord) {
				this.#pair(word);
				word = 0x811c9dc5;
				inWord = false;
			}
		}
		this.#h1 = h1;
		this.#h2 = h2;
		this.#word = word;
		this.#inWord = inWord;
	}

	/** A boundary between two pieces of text (a message, a field): whitespace. */
	feedBreak(): void {
		if (this.#started) this.#space = true;
		if (this.#inWord) {
			this.#pair(this.#word);
			this.#word = 0x811c9dc5;
			this.#inWord = false;
		}
	}

	#pair(word: number): void {
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

	/** The normalized text's hash so far (53 bits, as cyrb53 finishes it). */
	hash(): number {
		let h1 = this.#h1;
		let h2 = this.#h2;
		h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
		h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
		return 4294967296 * (2097151 & h2) + (h1 >>> 0);
	}

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

/** FNV-1a of a string plus its length: the key for lines written exactly alike. */
export function exactKey(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return (h >>> 0) * 2097152 + (text.length & 0x1fffff);
}

/**
 * Finds near-duplicates as examples arrive; each is matched to the earlier one it resembles.
 * Band buckets are linked lists in typed arrays (one map from band key to the latest example,
 * a "next" slot per example and band), so adding an example allocates nothing.
 */
export class NearDuplicates {
	#signatures = new Uint32Array(BINS * 1024);
	#next = new Int32Array(BANDS * 1024);
	#lines: number[] = [];
	#heads = new Map<number, number>();
	/** [line, earlier line it nearly repeats]. */
	readonly pairs: [number, number][] = [];

	add(line: number, signature: Uint32Array): void {
		const index = this.#lines.length;
		if ((index + 1) * BINS > this.#signatures.length) {
			const signatures = new Uint32Array(this.#signatures.length * 2);
			signatures.set(this.#signatures);
			this.#signatures = signatures;
			const next = new Int32Array(this.#next.length * 2);
			next.set(this.#next);
			this.#next = next;
		}
		this.#signatures.set(signature, index * BINS);
		this.#lines.push(line);
		let match = -1;
		for (let band = 0; band < BANDS; band++) {
			let key = band + 1;
			for (let r = 0; r < ROWS; r++) key = Math.imul(key ^ signature[band * ROWS + r], 0x01000193);
			// Small integers (Smi) hash fastest in a Map: 27 bits of hash, 3 of band.
			key = ((key >>> 5) & 0x07ffffff) | (band << 27);
			const head = this.#heads.get(key);
			this.#next[index * BANDS + band] = head ?? -1;
			this.#heads.set(key, index);
			if (match !== -1 || head === undefined) continue;
			for (
				let k = head, seen = 0;
				k !== -1 && seen < BUCKET_SCAN;
				k = this.#next[k * BANDS + band], seen++
			) {
				if (this.#similarity(k, signature) >= NEAR_SIMILARITY) {
					match = k;
					break;
				}
			}
		}
		if (match !== -1) this.pairs.push([line, this.#lines[match]]);
	}

	#similarity(other: number, signature: Uint32Array): number {
		const base = other * BINS;
		let same = 0;
		for (let k = 0; k < BINS; k++) if (this.#signatures[base + k] === signature[k]) same++;
		return same / BINS;
	}
}
