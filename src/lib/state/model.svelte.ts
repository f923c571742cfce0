/**
 * The Model page's state: label counts and versions (live), and one training run at a time in
 * the model worker with its progress, Cancel and outcome. Training survives leaving the page:
 * the run belongs to this singleton, not to the component.
 */
import * as Comlink from 'comlink';
import type { RankedCandidate } from '$lib/core/prefmodel/score';
import type { LabelCounts, PrefModelRecord } from '$lib/core/prefmodel/types';
import { deleteModel, listModels, setActiveModel } from '$lib/db/models';
import type {
	ModelApi,
	TrainOutcome,
	TrainProgressEvent,
	TrainRunOptions
} from '$lib/workers/model.api';
import ModelWorker from '$lib/workers/model.worker?worker';
import { errorMessage, isAbort } from './handle-error';
import { liveState, throttledState, type LiveQuery } from './live-query.svelte';
import { toasts } from './toasts.svelte';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

class ModelTraining {
	status = $state<RunStatus>('idle');
	progress = $state.raw<TrainProgressEvent | null>(null);
	outcome = $state.raw<TrainOutcome | null>(null);
	error = $state<string | null>(null);
	projectId = $state<string | null>(null);
	#api: Comlink.Remote<ModelApi> | null = null;

	get running(): boolean {
		return this.status === 'running';
	}

	#worker(): Comlink.Remote<ModelApi> {
		this.#api ??= Comlink.wrap<ModelApi>(new ModelWorker());
		return this.#api;
	}

	/** The model worker (shared with the sentence-embeddings state, which loads models in it). */
	get worker(): Comlink.Remote<ModelApi> {
		return this.#worker();
	}

	/** Trains a new version on the project's labels; resolves when it is stored and scored. */
	async train(projectId: string, options: TrainRunOptions = {}): Promise<void> {
		if (this.running) return;
		this.status = 'running';
		this.projectId = projectId;
		this.progress = null;
		this.outcome = null;
		this.error = null;
		try {
			const outcome = await this.#worker().train(
				projectId,
				Comlink.proxy((progress: TrainProgressEvent) => {
					this.progress = progress;
				}),
				options
			);
			this.outcome = outcome;
			this.status = 'done';
			toasts.show(`Model v${outcome.version} trained and ${outcome.scored} logs scored`, 'success');
		} catch (error) {
			if (isAbort(error)) {
				this.status = 'cancelled';
			} else {
				this.status = 'failed';
				this.error = errorMessage(error);
			}
		}
	}

	cancel(): void {
		if (this.running) void this.#worker().cancel();
	}

	/**
	 * Candidates for one input, best first, under a model (the playground's best-of-n, and
	 * evaluation). Runs in the worker; works while nothing is training.
	 */
	rank(modelId: string, input: string, candidates: string[]): Promise<RankedCandidate[]> {
		return this.#worker().rank(modelId, input, candidates);
	}

	/** Label counts of a project, worked out in the worker (see ModelApi.labelCounts). */
	labelCounts(projectId: string): Promise<LabelCounts> {
		return this.#worker().labelCounts(projectId);
	}

	/** Re-scores the project's logs under a model (new logs arrived since it was trained). */
	async rescore(projectId: string, modelId: string): Promise<void> {
		if (this.running) return;
		this.status = 'running';
		this.projectId = projectId;
		this.progress = null;
		this.error = null;
		try {
			const { scored } = await this.#worker().scoreProject(
				projectId,
				modelId,
				Comlink.proxy((progress: TrainProgressEvent) => {
					this.progress = progress;
				})
			);
			this.status = 'done';
			toasts.show(`${scored} logs scored`, 'success');
		} catch (error) {
			if (isAbort(error)) this.status = 'cancelled';
			else {
				this.status = 'failed';
				this.error = errorMessage(error);
			}
		}
	}
}

export const modelTraining = new ModelTraining();

/** Label counts of a project, re-counted (throttled, in the worker) as feedback changes. */
export function labelCounts(projectId: () => string | null): LiveQuery<LabelCounts | null> {
	return throttledState(
		async () => {
			const id = projectId();
			return id ? await modelTraining.labelCounts(id) : null;
		},
		null,
		['feedback', 'logs'],
		projectId
	);
}

/** A project's model versions, newest first. */
export function modelVersions(projectId: () => string | null): LiveQuery<PrefModelRecord[]> {
	return liveState(
		async () => {
			const id = projectId();
			return id ? listModels(id) : [];
		},
		[],
		projectId
	);
}

export function activateModel(projectId: string, modelId: string): Promise<void> {
	return setActiveModel(projectId, modelId);
}

export function removeModel(modelId: string): Promise<void> {
	return deleteModel(modelId);
}
