/**
 * The preference model worker: training, scoring and ranking off the main thread. One run at a
 * time; Cancel aborts it at its next epoch or scoring batch (the loop yields between them).
 * It also holds the optional sentence-embedding model (one at a time), so its weights load once
 * and stay off the main thread.
 */
import * as Comlink from 'comlink';
import type { FeatureConfig } from '$lib/core/prefmodel/features';
import { Scorer } from '$lib/core/prefmodel/score';
import { getModel, projectLabels } from '$lib/db/models';
import { embedAll } from './embeddings-cache';
import { configureOnnxWasm } from './embeddings-wasm';
import { loadEmbedder, type Embedder } from './embeddings';
import type { EmbeddingInfo, ModelApi } from './model.api';
import { rescoreProject, trainProject } from './model-runner';

configureOnnxWasm();

let controller: AbortController | null = null;
const scorers = new Map<string, Scorer>();
let embedder: Embedder | null = null;

function begin(): AbortController {
	if (controller)
		throw new Error('The model is already training or scoring; wait for it or cancel it.');
	controller = new AbortController();
	return controller;
}

function infoOf(e: Embedder): EmbeddingInfo {
	return { key: e.key, label: e.label, backend: e.backend, dim: e.dim, loadMs: e.loadMs };
}

/**
 * The embedder a model needs: the loaded one, or its hub model loaded again (from the browser's
 * cache when offline). A dropped folder cannot be reloaded without the user.
 */
async function embedderFor(features: FeatureConfig): Promise<Embedder | undefined> {
	const needed = features.embedding?.model;
	if (!needed || embedder?.key === needed) return embedder ?? undefined;
	if (needed.startsWith('folder:')) return undefined; // the runner says what to do
	await replaceEmbedder(await loadEmbedder({ kind: 'hub', model: needed }, { backends: BACKENDS }));
	return embedder ?? undefined;
}

const BACKENDS: Embedder['backend'][] = ['webgpu', 'wasm'];

async function replaceEmbedder(next: Embedder | null): Promise<void> {
	const previous = embedder;
	embedder = next;
	if (previous && previous !== next) await previous.dispose();
}

const api: ModelApi = {
	async train(projectId, onProgress, options = {}) {
		const own = begin();
		try {
			if (options.embeddings && !embedder)
				throw new Error('Load a sentence-embedding model first, or train without embeddings.');
			return await trainProject(projectId, {
				signal: own.signal,
				onProgress,
				embedder: options.embeddings ? (embedder ?? undefined) : undefined
			});
		} finally {
			controller = null;
		}
	},

	cancel() {
		controller?.abort();
	},

	async scoreProject(projectId, modelId, onProgress) {
		const own = begin();
		try {
			const model = await getModel(modelId);
			if (!model) throw new Error(`No model ${modelId}`);
			return await rescoreProject(projectId, modelId, {
				signal: own.signal,
				onProgress,
				embedder: await embedderFor(model.features)
			});
		} finally {
			controller = null;
		}
	},

	async labelCounts(projectId) {
		return (await projectLabels(projectId)).counts;
	},

	async rank(modelId, input, candidates) {
		let scorer = scorers.get(modelId);
		if (!scorer) {
			const model = await getModel(modelId);
			if (!model) throw new Error(`No model ${modelId}`);
			scorer = new Scorer(model);
			scorers.set(modelId, scorer);
		}
		const features = scorer.model.features;
		if (!features.embedding) return scorer.rank(input, candidates);
		const current = await embedderFor(features);
		if (!current)
			throw new Error(
				'This model was trained with sentence embeddings from a dropped folder: load that folder on the Model page first.'
			);
		const { vectors } = await embedAll(current, candidates);
		return scorer.rank(input, candidates, vectors);
	},

	async loadEmbeddings(source, onProgress, options = {}) {
		if (controller) throw new Error('Wait for training or scoring to finish first.');
		const loaded = await loadEmbedder(source, {
			backends: options.backends ?? BACKENDS,
			allowSoftwareWebgpu: options.allowSoftwareWebgpu,
			onProgress: onProgress ? (message) => onProgress(message) : undefined
		});
		await replaceEmbedder(loaded);
		return infoOf(loaded);
	},

	async unloadEmbeddings() {
		await replaceEmbedder(null);
	},

	async embeddingStatus() {
		return embedder ? infoOf(embedder) : null;
	},

	async measureEmbeddings(texts) {
		if (!embedder) throw new Error('No sentence-embedding model is loaded.');
		const started = performance.now();
		await embedder.embed(texts);
		const seconds = (performance.now() - started) / 1000;
		return { backend: embedder.backend, textsPerSecond: texts.length / Math.max(1e-3, seconds) };
	}
};

Comlink.expose(api);
