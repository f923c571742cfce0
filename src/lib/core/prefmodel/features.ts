/**
 * Built-in features: no weights, always available offline. An output becomes a sparse vector of
 * three blocks:
 *
 * - word 1…2-grams of the output, hashed (signed) into 2^bits slots, l2-normalised;
 * - character 3…5-grams inside words (padded with a space each side, like scikit-learn's
 *   `char_wb`), hashed into another 2^bits slots, l2-normalised;
 * - a few dense features of the output against its input, standardised at training time (see
 *   `fitDenseScale`): its length, and (since `style`) cheap signs of how it is written.
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
	 * Whether the dense block is the length pair plus the style features (`LENGTH_FEATURES`,
	 * `STYLE_FEATURES`); models saved before it have the three `LEGACY_DENSE_FEATURES` and keep
	 * scoring with them.
	 */
	style?: boolean;
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
	style: true
};

/**
 * The length part of the dense block. For two answers to one input both features differ by the
 * same Δ log length, so a model of these alone orders every pair exactly as "longer answer wins"
 * does: the learner's fallback where nothing else generalises (on the Open Assistant sample
 * length is most of what a few hundred labels can teach). The ratio to the input matters for
 * 👍/👎, which compare answers across inputs.
 */
export const LENGTH_FEATURES = ['log length (chars)', 'log length ratio output/input'] as const;

/**
 * Cheap signs of how an output is written, relative to its input, that people reward or punish
 * across tasks: structure, refusals, asking back, parroting the prompt, a cut-off start or end,
 * answering in another script, links. Each is a count or share, not a rule: the learner fits them
 * on top of length and keeps them only when held-out loss inside the training labels improves.
 */
export const STYLE_FEATURES = [
	'log length (words)',
	'list items',
	'headings',
	'code blocks',
	'refusal or apology',
	'ends asking back',
	'share of words from the input',
	'ends unfinished',
	'starts mid-sentence',
	'script unlike the input',
	'links'
] as const;

/** The dense block of models saved before the style features. */
export const LEGACY_DENSE_FEATURES = [
	'log length (chars)',
	'log length (words)',
	'log length ratio output/input'
] as const;

/** Names of a configuration's dense features, in slot order. */
export function denseFeatureNames(config: FeatureConfig): readonly string[] {
	if (!config.relative) return [];
	return config.style ? [...LENGTH_FEATURES, ...STYLE_FEATURES] : LEGACY_DENSE_FEATURES;
}

/** Number of dense features of a configuration. */
export function denseCount(config: FeatureConfig): number {
	if (!config.relative) return 0;
	return config.style
		? LENGTH_FEATURES.length + STYLE_FEATURES.length
		: LEGACY_DENSE_FEATURES.length;
}

/** How many of the dense block's first slots are length (the rest are style features). */
export function lengthCount(config: FeatureConfig): number {
	if (!config.relative) return 0;
	return config.style ? LENGTH_FEATURES.length : LEGACY_DENSE_FEATURES.length;
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

/** The dense output-vs-input features, raw (before standardisation). */
export function denseFeatures(
	example: Example,
	outputWords: readonly number[],
	config: FeatureConfig = DEFAULT_FEATURES
): Float64Array {
	const { input, output } = example;
	const chars = Math.log1p(output.length);
	const ratio = Math.log((output.length + 1) / (input.length + 1));
	const words = Math.log1p(outputWords.length);
	if (!config.style) return Float64Array.of(chars, words, ratio);
	return Float64Array.of(chars, ratio, words, ...styleFeatures(input, output, outputWords));
}

const LIST_ITEM = /^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+\S/gm;
const HEADING = /^[ \t]{0,3}#{1,6}[ \t]+\S/gm;
const FENCE = /^[ \t]*(?:```|~~~)/gm;
const REFUSAL =
	/\b(?:sorry|apologi[sz]e|apologies|as an ai|as a language model|i cannot|i can't|i can not|i am unable|i'm unable|i am not able|i'm not able|i won't be able)\b/i;
/** Characters an answer that was not cut off usually ends with (sentence ends, closers, code). */
const FINISHED_END = /[.!?…。！？)\]}"'`*_:;>|\p{Extended_Pictographic}]$/u;
const LINK = /\bhttps?:\/\/\S/g;
const LETTER = /\p{L}/u;
const LOWER_START = /^\p{Ll}/u;

function count(text: string, pattern: RegExp): number {
	pattern.lastIndex = 0;
	let n = 0;
	while (pattern.exec(text) !== null) n++;
	return n;
}

/** Share of an output's words (hashes, as featurised) that also occur in the input. */
function sharedWordShare(input: string, outputWords: readonly number[]): number {
	if (outputWords.length === 0) return 0;
	const inputWords = new Set(wordHashes(hasUpper(input) ? input.toLowerCase() : input));
	let shared = 0;
	for (const word of outputWords) if (inputWords.has(word)) shared++;
	return shared / outputWords.length;
}

/** Share of the letters of `text` outside the Latin script's basic range (A–Z and accents). */
function nonLatinShare(text: string): number {
	let letters = 0;
	let other = 0;
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (code < 128) {
			if ((code | 32) >= 97 && (code | 32) <= 122) letters++;
			continue;
		}
		if (!LETTER.test(ch)) continue;
		letters++;
		if (code > 0x24f) other++;
	}
	return letters > 0 ? other / letters : 0;
}

/** The style features (see `STYLE_FEATURES`), after the length pair and log words. */
function styleFeatures(input: string, output: string, outputWords: readonly number[]): number[] {
	const text = output.trim();
	const fences = count(text, FENCE);
	return [
		Math.log1p(count(text, LIST_ITEM)),
		Math.log1p(count(text, HEADING)),
		Math.log1p(Math.floor(fences / 2)),
		REFUSAL.test(text) ? 1 : 0,
		text.endsWith('?') ? 1 : 0,
		sharedWordShare(input, outputWords),
		text.length > 0 && !FINISHED_END.test(text) ? 1 : 0,
		LOWER_START.test(text) ? 1 : 0,
		Math.abs(nonLatinShare(text) - nonLatinShare(input)),
		Math.log1p(count(text, LINK))
	];
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
	const dense = denseCount(config);
	const scale = new Float32Array(dense).fill(1);
	if (dense === 0 || vectors.length < 2) return scale;
	const offset = denseOffset(config);
	const sum = new Float64Array(dense);
	const sumSq = new Float64Array(dense);
	for (const vector of vectors) {
		for (let k = 0; k < vector.indices.length; k++) {
			const slot = vector.indices[k] - offset;
			if (slot < 0) continue;
			sum[slot] += vector.values[k];
			sumSq[slot] += vector.values[k] * vector.values[k];
		}
	}
	for (let k = 0; k < dense; k++) {
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
