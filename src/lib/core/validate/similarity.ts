/**
 * Duplicate and near-duplicate detection that stays linear at 100,000 examples.
 * - exact: the example's text as written (hashed);
 * - normalized: the same after case folding and whitespace collapsing;
 * - near: a 64-bit SimHash over word pairs; examples whose hashes differ in at most
 *   NEAR_BITS bits are near-duplicates. Candidates are found by LSH: split the hash into
 *   NEAR_BITS + 1 bands, so two hashes that close share at least one band exactly.
 */
import { hash53 } from '../feedback';

export const NEAR_BITS = 3;
const BANDS = NEAR_BITS + 1;
/** Examples under this many word pairs are too short for a meaningful SimHash. */
const MIN_PAIRS = 8;
/** Candidates checked per band bucket: bounds the work when many examples look alike. */
const BUCKET_SCAN = 24;

export function normalizeText(text: string): string {
	return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export const exactKey = (text: string) => hash53(text);

function isWordChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;
}

/** SimHash of a normalized (lower-case) text as two 32-bit halves; null when too short. */
export function simHash(text: string): [number, number] | null {
	const counts = new Int32Array(64);
	let pairs = 0;
	let prev = 0;
	let word = 0x811c9dc5;
	let inWord = false;
	const add = (h: number) => {
		// Two 32-bit hashes of the word pair, mixed (murmur3 finalizer).
		let a = h;
		a ^= a >>> 16;
		a = Math.imul(a, 0x85ebca6b);
		a ^= a >>> 13;
		a = Math.imul(a, 0xc2b2ae35);
		a ^= a >>> 16;
		let b = Math.imul(h ^ 0x9e3779b9, 0x27d4eb2f);
		b ^= b >>> 15;
		b = Math.imul(b, 0x165667b1);
		b ^= b >>> 13;
		for (let bit = 0; bit < 32; bit++) {
			counts[bit] += (a >>> bit) & 1 ? 1 : -1;
			counts[bit + 32] += (b >>> bit) & 1 ? 1 : -1;
		}
		pairs++;
	};
	for (let i = 0; i <= text.length; i++) {
		const c = i < text.length ? text.charCodeAt(i) : 32;
		if (isWordChar(c)) {
			word = Math.imul(word ^ c, 0x01000193);
			inWord = true;
		} else if (inWord) {
			if (prev !== 0) add(Math.imul(prev, 31) ^ word);
			prev = word | 1;
			word = 0x811c9dc5;
			inWord = false;
		}
	}
	if (pairs < MIN_PAIRS) return null;
	let hi = 0;
	let lo = 0;
	for (let bit = 0; bit < 32; bit++) {
		if (counts[bit] > 0) lo |= 1 << bit;
		if (counts[bit + 32] > 0) hi |= 1 << bit;
	}
	return [hi >>> 0, lo >>> 0];
}

function popcount(x: number): number {
	x -= (x >>> 1) & 0x55555555;
	x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
	return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bands of a 64-bit hash: 4 × 16 bits. */
function bands(hi: number, lo: number): number[] {
	return [lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16];
}

/** Finds near-duplicate pairs as examples arrive; each example is matched to an earlier one. */
export class NearDuplicates {
	#hi: number[] = [];
	#lo: number[] = [];
	#lines: number[] = [];
	#buckets: Map<number, number[]>[] = Array.from({ length: BANDS }, () => new Map());
	/** line → the earlier line it nearly repeats. */
	readonly pairs: [number, number][] = [];

	add(line: number, hash: [number, number]): void {
		const [hi, lo] = hash;
		const index = this.#hi.length;
		this.#hi.push(hi);
		this.#lo.push(lo);
		this.#lines.push(line);
		const keys = bands(hi, lo);
		let match = -1;
		for (let band = 0; band < BANDS; band++) {
			const bucket = this.#buckets[band].get(keys[band]);
			if (!bucket) {
				this.#buckets[band].set(keys[band], [index]);
				continue;
			}
			if (match === -1) {
				for (let k = bucket.length - 1; k >= 0 && k >= bucket.length - BUCKET_SCAN; k--) {
					const other = bucket[k];
					if (popcount(this.#hi[other] ^ hi) + popcount(this.#lo[other] ^ lo) <= NEAR_BITS) {
						match = other;
						break;
					}
				}
			}
			bucket.push(index);
		}
		if (match !== -1) this.pairs.push([line, this.#lines[match]]);
	}
}
