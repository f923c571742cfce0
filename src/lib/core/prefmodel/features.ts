/**
 * Built-in features: no weights, always available offline. An output becomes a sparse vector of
 * three blocks:
 *
 * - word 1…2-grams of the output, hashed (signed) into 2^bits slots, l2-normalised;
 * - character 3…5-grams inside words (padded with a space each side, like scikit-learn's
 *   `char_wb`), hashed into another 2^bits slots, l2-normalised;
 * - two dense features of the output against its input (log length, and its ratio to the
 *   input's), standardised at training time (see `fitDenseScale`).
 *
 * Signed hashing (the sign comes from another bit of the hash) makes collisions cancel on
 * average instead of piling up, which matters at 2^18 slots.
 */
import type { Example } from './example';

export interface FeatureConfig {
	kind: 'hashed';
	/** Each hashed block has 2^bits slots. */
	bits: number;
	wordNgrams: [number, number];
	charNgrams: [number, number];
	/** Whether to add the dense output-vs-input block. */
	relative: boolean;
	/**
	 * Optional sentence embeddings of the output (opt-in per training run), a dense block placed
	 * between the hashed blocks and the relative block. Examples must then carry `embedding`.
	 */
	embedding?: EmbeddingFeatures;
	/**
	 * Layout of the dense block: 2 is `DENSE_FEATURES`; models saved before it (no version) have
	 * `LEGACY_DENSE_FEATURES`, with log length in words too, and keep scoring with them.
	 */
	denseVersion?: 2;
}

/** Which embedding model a feature configuration expects, and its vector length. */
export interface EmbeddingFeatures {
	/** Cache key of the embedding model (hub id, or `folder:…` for a dropped folder). */
	model: string;
	dim: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
	kind: 'hashed',
	bits: 18,
	wordNgrams: [1, 2],
	charNgrams: [3, 5],
	relative: true,
	denseVersion: 2
};

/**
 * Names of the dense features, in slot order. For two answers to one input both differ by the
 * same Δ log length, so a model of the dense block alone orders every pair exactly as "longer
 * answer wins" does: the learner's fallback where nothing else generalises (the ratio to the
 * input still matters for 👍/👎, which compare answers across inputs).
 *
 * Deliberately nothing else. On the Open Assistant sample every extra dense feature tried (word
 * overlap with the input, lists, headings, code, refusals, asking back, cut-off endings, script,
 * links, vocabulary richness…) flipped held-out pairs away from "longer wins" no better than a
 * coin, and as a block stacked on length they lowered thumbs AUC on LLaMA-Factory's KTO demo
 * (0.62 → 0.57); log length in words (the legacy third feature) only turned a few pairs against
 * longer-wins, none for the better. Length is the signal that generalises from a few hundred
 * labels; n-grams carry the rest.
 */
export const DENSE_FEATURES = ['log length (chars)', 'log length ratio output/input'] as const;

/** The dense block of models saved before `denseVersion` 2. */
export const LEGACY_DENSE_FEATURES = [
	'log length (chars)',
	'log length (words)',
	'log length ratio output/input'
] as const;

/** Number of dense features of a configuration (0 without the dense block). */
export function denseCount(config: FeatureConfig): number {
	if (!config.relative) return 0;
	return config.denseVersion === 2 ? DENSE_FEATURES.length : LEGACY_DENSE_FEATURES.length;
}

export interface SparseVector {
	indices: Uint32Array;
	values: Float32Array;
}

/** Total number of features (weights) for a configuration. */
export function featureDim(config: FeatureConfig): number {
	return denseOffset(config) + denseCount(config);
}

/** First slot of the embedding block (right after the two hashed blocks). */
export function embeddingOffset(config: FeatureConfig): number {
	return 2 * (1 << config.bits);
}

/** First slot of the dense (relative) block: always last, after any embedding block. */
export function denseOffset(config: FeatureConfig): number {
	return embeddingOffset(config) + (config.embedding?.dim ?? 0);
}

/** Final avalanche of a 32-bit hash (murmur3's fmix32), so low bits are well mixed. */
function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function isWordCode(code: number): boolean {
	if (code < 128) {
		return (
			(code >= 48 && code <= 57) ||
			(code >= 97 && code <= 122) ||
			(code >= 65 && code <= 90) ||
			code === 95
		);
	}
	return wordCharCache(code);
}

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;
const nonAsciiCache = new Map<number, boolean>();
function wordCharCache(code: number): boolean {
	let known = nonAsciiCache.get(code);
	if (known === undefined) {
		known = NON_ASCII_WORD.test(String.fromCharCode(code));
		nonAsciiCache.set(code, known);
	}
	return known;
}

function isSpaceCode(code: number): boolean {
	return (
		code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x2028 || code === 0x3000
	);
}

/** Hashes of the words (2+ word characters, like scikit-learn's default token pattern). */
export function wordHashes(text: string): number[] {
	const hashes: number[] = [];
	let h = FNV_OFFSET;
	let len = 0;
	for (let i = 0; i <= text.length; i++) {
		const code = i < text.length ? text.charCodeAt(i) : 32;
		if (isWordCode(code)) {
			// Lower-case ASCII letters on the fly; other scripts were lower-cased by the caller.
			const lower = code >= 65 && code <= 90 ? code + 32 : code;
			h = Math.imul(h ^ lower, FNV_PRIME);
			len++;
		} else {
			if (len >= 2) hashes.push(h >>> 0);
			h = FNV_OFFSET;
			len = 0;
		}
	}
	return hashes;
}

/**
 * Accumulates signed hashed counts into one block and reads it back l2-normalised. The scratch
 * arrays are reused across calls (featurising thousands of outputs allocates almost nothing).
 */
class BlockAccumulator {
	readonly #counts: Float64Array;
	readonly #seen: Uint8Array;
	#touched: number[] = [];
	readonly #mask: number;

	constructor(bits: number) {
		this.#counts = new Float64Array(1 << bits);
		this.#seen = new Uint8Array(1 << bits);
		this.#mask = (1 << bits) - 1;
	}

	add(hash: number): void {
		const mixed = fmix(hash);
		const slot = mixed & this.#mask;
		if (this.#seen[slot] === 0) {
			this.#seen[slot] = 1;
			this.#touched.push(slot);
		}
		this.#counts[slot] += mixed & 0x80000000 ? -1 : 1;
	}

	/** Appends the block (slots shifted by `offset`) to the output lists, then resets. */
	flush(offset: number, indices: number[], values: number[]): void {
		let norm = 0;
		for (const slot of this.#touched) norm += this.#counts[slot] * this.#counts[slot];
		const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
		for (const slot of this.#touched) {
			const value = this.#counts[slot];
			if (value !== 0) {
				indices.push(offset + slot);
				values.push(value * scale);
			}
			this.#counts[slot] = 0;
			this.#seen[slot] = 0;
		}
		this.#touched = [];
	}
}

/** The dense output-vs-input features, raw (before standardisation), in `config`'s layout. */
export function denseFeatures(
	example: Example,
	outputWords: readonly number[],
	config: FeatureConfig = DEFAULT_FEATURES
): Float64Array {
	const chars = Math.log1p(example.output.length);
	const ratio = Math.log((example.output.length + 1) / (example.input.length + 1));
	if (config.denseVersion === 2) return Float64Array.of(chars, ratio);
	return Float64Array.of(chars, Math.log1p(outputWords.length), ratio);
}

/** Turns examples into sparse feature vectors; reuse one for many examples. */
export class Featurizer {
	readonly config: FeatureConfig;
	readonly #words: BlockAccumulator;
	readonly #chars: BlockAccumulator;

	constructor(config: FeatureConfig = DEFAULT_FEATURES) {
		this.config = config;
		this.#words = new BlockAccumulator(config.bits);
		this.#chars = new BlockAccumulator(config.bits);
	}

	/** The features of one output; the dense block is raw (apply the model's `denseScale`). */
	featurize(example: Example): SparseVector {
		const { config } = this;
		const text = hasUpper(example.output) ? example.output.toLowerCase() : example.output;
		const words = wordHashes(text);
		const [wMin, wMax] = config.wordNgrams;
		for (let n = wMin; n <= wMax; n++) {
			for (let i = 0; i + n <= words.length; i++) {
				let h = Math.imul(FNV_OFFSET ^ n, FNV_PRIME);
				for (let k = 0; k < n; k++) h = Math.imul(h ^ words[i + k], FNV_PRIME);
				this.#words.add(h);
			}
		}
		this.#addCharNgrams(text);
		const indices: number[] = [];
		const values: number[] = [];
		this.#words.flush(0, indices, values);
		this.#chars.flush(1 << config.bits, indices, values);
		if (config.embedding) {
			const { embedding } = example;
			if (!embedding)
				throw new Error(
					`This model uses sentence embeddings from ${config.embedding.model}, but an output came without one.`
				);
			if (embedding.length !== config.embedding.dim)
				throw new Error(
					`Sentence embeddings from ${config.embedding.model} have ${config.embedding.dim} dimensions, got ${embedding.length}.`
				);
			const offset = embeddingOffset(config);
			for (let k = 0; k < embedding.length; k++) {
				if (embedding[k] !== 0) {
					indices.push(offset + k);
					values.push(embedding[k]);
				}
			}
		}
		if (config.relative) {
			const dense = denseFeatures(example, words, config);
			const offset = denseOffset(config);
			for (let k = 0; k < dense.length; k++) {
				if (dense[k] !== 0) {
					indices.push(offset + k);
					values.push(dense[k]);
				}
			}
		}
		return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
	}

	/** char_wb n-grams: inside each whitespace-separated token padded with one space each side. */
	#addCharNgrams(text: string): void {
		const [nMin, nMax] = this.config.charNgrams;
		const padded: number[] = [];
		let i = 0;
		while (i < text.length) {
			while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
			if (i >= text.length) break;
			padded.length = 0;
			padded.push(32);
			while (i < text.length && !isSpaceCode(text.charCodeAt(i))) padded.push(text.charCodeAt(i++));
			padded.push(32);
			const len = padded.length;
			if (len < nMin) {
				this.#chars.add(ngramHash(padded, 0, len));
				continue;
			}
			for (let start = 0; start < len; start++) {
				let h = FNV_OFFSET;
				for (let n = 1; n <= nMax && start + n <= len; n++) {
					h = Math.imul(h ^ padded[start + n - 1], FNV_PRIME);
					if (n >= nMin) this.#chars.add(Math.imul(h ^ n, FNV_PRIME));
				}
			}
		}
	}
}

function ngramHash(codes: number[], start: number, end: number): number {
	let h = FNV_OFFSET;
	for (let k = start; k < end; k++) h = Math.imul(h ^ codes[k], FNV_PRIME);
	return Math.imul(h ^ (end - start), FNV_PRIME);
}

function hasUpper(text: string): boolean {
	return text !== text.toLowerCase();
}

/**
 * Standardisation of the dense block: one multiplier per dense feature, 1/std over the training
 * items (1 where a feature does not vary). Centring is left out on purpose: pair differences
 * cancel any shift, and the pointwise bias absorbs it.
 */
export function fitDenseScale(
	config: FeatureConfig,
	vectors: readonly SparseVector[]
): Float32Array {
	const count = denseCount(config);
	const scale = new Float32Array(count).fill(1);
	if (count === 0 || vectors.length < 2) return scale;
	const offset = denseOffset(config);
	const sum = new Float64Array(count);
	const sumSq = new Float64Array(count);
	for (const vector of vectors) {
		for (let k = 0; k < vector.indices.length; k++) {
			const slot = vector.indices[k] - offset;
			if (slot < 0) continue;
			sum[slot] += vector.values[k];
			sumSq[slot] += vector.values[k] * vector.values[k];
		}
	}
	for (let k = 0; k < count; k++) {
		const mean = sum[k] / vectors.length;
		const variance = sumSq[k] / vectors.length - mean * mean;
		scale[k] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
	}
	return scale;
}

/** Multiplies the dense block of each vector by `scale`, in place. */
export function applyDenseScale(
	config: FeatureConfig,
	scale: Float32Array,
	vectors: readonly SparseVector[]
): void {
	if (!config.relative) return;
	const offset = denseOffset(config);
	for (const vector of vectors) {
		for (let k = vector.indices.length - 1; k >= 0; k--) {
			const slot = vector.indices[k] - offset;
			if (slot < 0) break; // the dense block is always last
			vector.values[k] *= scale[slot];
		}
	}
}
