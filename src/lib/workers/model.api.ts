/**
 * The typed interface of model.worker.ts: training, scoring and ranking run in the worker so the
 * page never freezes. The page wraps it with Comlink.wrap<ModelApi>().
 */
import type { ModelReport } from '$lib/core/prefmodel/report';
import type { RankedCandidate } from '$lib/core/prefmodel/score';
import type { LabelCounts } from '$lib/core/prefmodel/types';
import type { EmbeddingBackend, EmbeddingSource } from './embeddings';

export type TrainStage =
	'labels' | 'embedding' | 'features' | 'training' | 'curve' | 'baseline' | 'saving' | 'scoring';

export interface TrainProgressEvent {
	stage: TrainStage;
	/** Training: epoch (L-BFGS iteration) of the run so far. */
	epoch: number;
	loss: number | null;
	validationLoss: number | null;
	/** Labels per second while training; logs per second while scoring; texts per second while
	 * embedding. */
	rowsPerSecond: number;
	/** Scoring: logs scored so far and in all (embedding: distinct outputs embedded). */
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

/** The sentence-embedding model loaded in the worker. */
export interface EmbeddingInfo {
	/** Cache key: the hub id, or `folder:<name>@<hash>` for a dropped folder. */
	key: string;
	label: string;
	backend: EmbeddingBackend;
	dim: number;
	loadMs: number;
}

export interface TrainRunOptions {
	/** Add the loaded sentence embeddings to the built-in features (off by default). */
	embeddings?: boolean;
}

export interface ModelApi {
	/** Trains a new model on a project's labels, keeps it as the active version, scores every log. */
	train(
		projectId: string,
		onProgress: (progress: TrainProgressEvent) => void,
		options?: TrainRunOptions
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
	/**
	 * Loads a sentence-embedding model (hub id, or a dropped folder's files) on the first backend
	 * that works, WebGPU (a hardware adapter) then WASM unless `backends` says otherwise; replaces
	 * any loaded one.
	 */
	loadEmbeddings(
		source: EmbeddingSource,
		onProgress?: (message: string) => void,
		options?: { backends?: EmbeddingBackend[]; allowSoftwareWebgpu?: boolean }
	): Promise<EmbeddingInfo>;
	unloadEmbeddings(): Promise<void>;
	embeddingStatus(): Promise<EmbeddingInfo | null>;
	/** Embeds `texts` with the loaded model, uncached: its raw throughput (texts/s). */
	measureEmbeddings(
		texts: string[]
	): Promise<{ backend: EmbeddingBackend; textsPerSecond: number }>;
}
