/**
 * Duplicate and near-duplicate detection that stays linear at 100,000 examples.
 * - exact: the example's line as written (hashed);
 * - normalized: the same conversation after case folding and whitespace collapsing;
 * - near: MinHash over word pairs estimates the Jaccard similarity of two examples; LSH (bands
 *   of the signature) finds candidate pairs without comparing every pair, and a candidate is a
 *   near-duplicate when its estimated similarity reaches NEAR_SIMILARITY.
 */
import { hash53 } from '../feedback';

/** Estimated Jaccard similarity of word pairs at which two examples count as near-duplicates. */
export const NEAR_SIMILARITY = 0.7;
const HASHES = 32;
const BANDS = 8;
const ROWS = HASHES / BANDS;
/** Examples under this many word pairs are too short to compare meaningfully. */
const MIN_PAIRS = 6;
/** Candidates checked per band bucket: bounds the work when many examples look alike. */
const BUCKET_SCAN = 16;

/** Odd multipliers that derive the HASHES hash functions from one word-pair hash. */
const SEEDS = Uint32Array.from(
	{ length: HASHES },
	(_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0
);

export function normalizeText(text: string): string {
	return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export const exactKey = (text: string) => hash53(text);

function isWordChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;
}

/** MinHash signature of a normalized (lower-case) text into `out`; false when too short. */
export function minHash(text: string, out: Uint32Array): boolean {
	out.fill(0xffffffff);
	let pairs = 0;
	let prev = 0;
	let word = 0x811c9dc5;
	let inWord = false;
	for (let i = 0; i <= text.length; i++) {
		const c = i < text.length ? text.charCodeAt(i) : 32;
		if (isWordChar(c)) {
			word = Math.imul(word ^ c, 0x01000193);
			inWord = true;
			continue;
		}
		if (!inWord) continue;
		if (prev !== 0) {
			let h = Math.imul(prev, 31) ^ word;
			h ^= h >>> 16;
			h = Math.imul(h, 0x85ebca6b);
			h ^= h >>> 13;
			for (let k = 0; k < HASHES; k++) {
				let x = Math.imul(h, SEEDS[k]);
				x ^= x >>> 15;
				x >>>= 0;
				if (x < out[k]) out[k] = x;
			}
			pairs++;
		}
		prev = word | 1;
		word = 0x811c9dc5;
		inWord = false;
	}
	return pairs >= MIN_PAIRS;
}

/** Finds near-duplicates as examples arrive; each is matched to the earlier one it resembles. */
export class NearDuplicates {
	#signatures = new Uint32Array(HASHES * 1024);
	#lines: number[] = [];
	#buckets: Map<number, number[]>[] = Array.from({ length: BANDS }, () => new Map());
	#scratch = new Uint32Array(HASHES);
	/** [line, earlier line it nearly repeats]. */
	readonly pairs: [number, number][] = [];

	add(line: number, normalized: string): void {
		const signature = this.#scratch;
		if (!minHash(normalized, signature)) return;
		const index = this.#lines.length;
		if ((index + 1) * HASHES > this.#signatures.length) {
			const grown = new Uint32Array(this.#signatures.length * 2);
			grown.set(this.#signatures);
			this.#signatures = grown;
		}
		this.#signatures.set(signature, index * HASHES);
		this.#lines.push(line);
		let match = -1;
		for (let band = 0; band < BANDS; band++) {
			let key = band;
			for (let r = 0; r < ROWS; r++) key = Math.imul(key ^ signature[band * ROWS + r], 0x01000193);
			const bucket = this.#buckets[band].get(key);
			if (!bucket) {
				this.#buckets[band].set(key, [index]);
				continue;
			}
			if (match === -1) {
				for (let k = bucket.length - 1; k >= 0 && k >= bucket.length - BUCKET_SCAN; k--) {
					if (this.#similarity(bucket[k], signature) >= NEAR_SIMILARITY) {
						match = bucket[k];
						break;
					}
				}
			}
			bucket.push(index);
		}
		if (match !== -1) this.pairs.push([line, this.#lines[match]]);
	}

	#similarity(other: number, signature: Uint32Array): number {
		const base = other * HASHES;
		let same = 0;
		for (let k = 0; k < HASHES; k++) if (this.#signatures[base + k] === signature[k]) same++;
		return same / HASHES;
	}
}
