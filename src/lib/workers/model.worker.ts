/**
 * The preference model worker: training, scoring and ranking off the main thread. One run at a
 * time; Cancel aborts it at its next epoch or scoring batch (the loop yields between them).
 */
import * as Comlink from 'comlink';
import { Scorer } from '$lib/core/prefmodel/score';
import { getModel, projectLabels } from '$lib/db/models';
import type { ModelApi, TrainProgressEvent } from './model.api';
import { rescoreProject, trainProject } from './model-runner';

let controller: AbortController | null = null;
const scorers = new Map<string, Scorer>();

function begin(): AbortController {
	if (controller)
		throw new Error('The model is already training or scoring; wait for it or cancel it.');
	controller = new AbortController();
	return controller;
}

const api: ModelApi = {
	async train(projectId: string, onProgress: (progress: TrainProgressEvent) => void) {
		const own = begin();
		try {
			return await trainProject(projectId, { signal: own.signal, onProgress });
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
			return await rescoreProject(projectId, modelId, { signal: own.signal, onProgress });
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
		return scorer.rank(input, candidates);
	}
};

Comlink.expose(api);
