/**
 * Embeddings cached in IndexedDB by (embedding model, content hash of the text): retraining,
 * rescoring and ranking embed each distinct text once per model, ever. Runs in the model worker
 * (and in node tests on fake-indexeddb).
 */
import { hashString } from '$lib/core/hash';
import { TrainingCancelled } from '$lib/core/prefmodel/learner';
import type { EmbeddingRow } from '$lib/core/prefmodel/types';
import { getDb } from '$lib/db/db';
import type { Embedder } from './embeddings';

/** Texts embedded (and written) per step; Cancel is heard between steps. */
export const EMBED_STEP = 64;

export interface EmbedProgress {
	/** Distinct texts ready so far (cached or computed) and in all. */
	done: number;
	total: number;
	/** Of those, how many came from the cache. */
	cached: number;
	/** Texts embedded per second by the model (cache hits excluded). */
	textsPerSecond: number;
}

export interface EmbedAllOptions {
	signal?: AbortSignal;
	onProgress?: (progress: EmbedProgress) => void;
}

export interface EmbedAllResult {
	vectors: Float32Array[];
	cached: number;
	computed: number;
	/** Model throughput over the texts it embedded (0 when all were cached). */
	textsPerSecond: number;
}

/** Embeddings of `texts` (same order), from the cache where possible. */
export async function embedAll(
	embedder: Pick<Embedder, 'key' | 'dim' | 'embed'>,
	texts: readonly string[],
	options: EmbedAllOptions = {}
): Promise<EmbedAllResult> {
	const db = getDb();
	const hashes = texts.map(hashString);
	const unique = [...new Set(hashes)];
	const textOf = new Map<string, string>();
	texts.forEach((text, i) => textOf.set(hashes[i], text));
	const found = new Map<string, Float32Array>();
	const rows = await db.embeddings.bulkGet(unique.map((hash) => [embedder.key, hash]));
	for (const row of rows)
		if (row && row.vector.length === embedder.dim) found.set(row.hash, row.vector);
	const cached = found.size;
	const missing = unique.filter((hash) => !found.has(hash));
	let computeMs = 0;
	const report = () =>
		options.onProgress?.({
			done: found.size,
			total: unique.length,
			cached,
			textsPerSecond: (found.size - cached) / Math.max(1e-3, computeMs / 1000)
		});
	report();
	for (let start = 0; start < missing.length; start += EMBED_STEP) {
		if (options.signal?.aborted) throw new TrainingCancelled();
		const step = missing.slice(start, start + EMBED_STEP);
		const begun = performance.now();
		const vectors = await embedder.embed(step.map((hash) => textOf.get(hash) ?? ''));
		computeMs += performance.now() - begun;
		const fresh: EmbeddingRow[] = step.map((hash, i) => ({
			model: embedder.key,
			hash,
			vector: vectors[i]
		}));
		await db.embeddings.bulkPut(fresh);
		for (const row of fresh) found.set(row.hash, row.vector);
		report();
	}
	const computed = missing.length;
	return {
		vectors: hashes.map((hash) => found.get(hash) as Float32Array),
		cached,
		computed,
		textsPerSecond: computed / Math.max(1e-3, computeMs / 1000)
	};
}
