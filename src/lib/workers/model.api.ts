/**
 * The typed interface of model.worker.ts: training, scoring and ranking run in the worker so the
 * page never freezes. The page wraps it with Comlink.wrap<ModelApi>().
 */
import type { ModelReport } from '$lib/core/prefmodel/report';
import type { RankedCandidate } from '$lib/core/prefmodel/score';
import type { LabelCounts } from '$lib/core/prefmodel/types';

export type TrainStage = 'labels' | 'features' | 'training' | 'curve' | 'saving' | 'scoring';

export interface TrainProgressEvent {
	stage: TrainStage;
	/** Training: epoch (L-BFGS iteration) of the run so far. */
	epoch: number;
	loss: number | null;
	validationLoss: number | null;
	/** Labels per second while training; logs per second while scoring. */
	rowsPerSecond: number;
	/** Scoring: logs scored so far and in all. */
	scored: number;
	toScore: number;
	elapsedMs: number;
}

export interface TrainOutcome {
	modelId: string;
	version: number;
	report: ModelReport;
	labels: LabelCounts;
	trainMs: number;
	scored: number;
	/** Logs scored per second (featurise + score + write). */
	logsPerSecond: number;
}

export interface ModelApi {
	/** Trains a new model on a project's labels, keeps it as the active version, scores every log. */
	train(
		projectId: string,
		onProgress: (progress: TrainProgressEvent) => void
	): Promise<TrainOutcome>;
	/** Stops a training run at its next epoch (or scoring at its next batch); nothing is saved. */
	cancel(): void;
	/** (Re)scores a project's logs under a model (e.g. after picking another active version). */
	scoreProject(
		projectId: string,
		modelId: string,
		onProgress?: (progress: TrainProgressEvent) => void
	): Promise<{ scored: number; logsPerSecond: number }>;
	/** How many labels of each kind a project has (derived from every labelled log's feedback:
	 * heavy at tens of thousands of labels, so it runs here, not on the page). */
	labelCounts(projectId: string): Promise<LabelCounts>;
	/** Candidates for one input, best first. */
	rank(modelId: string, input: string, candidates: string[]): Promise<RankedCandidate[]>;
}
