/** The honest report a trained model carries: held-out figures for it and for the baselines. */
import type { BaselineName } from './baselines';
import type { ReliabilityBin } from './metrics';

export interface ScoreSet {
	/** Held-out AUC on 👍/👎 (null without both classes in the test split). */
	auc: number | null;
	/** Held-out share of pairs ordered right (null without test pairs). */
	pairwiseAccuracy: number | null;
	/** Held-out accuracy of P(👍) ≥ 0.5 (null for scorers that give no probability). */
	accuracy: number | null;
	logLoss: number | null;
}

export interface LearningCurvePoint {
	/** Training labels used (points + pairs). */
	labels: number;
	auc: number | null;
	pairwiseAccuracy: number | null;
}

export interface ModelReport {
	train: { points: number; pairs: number };
	test: { points: number; pairs: number };
	model: ScoreSet;
	baselines: { name: BaselineName; label: string; scores: ScoreSet }[];
	/** Held-out P(👍) against the observed share of 👍. */
	reliability: ReliabilityBin[];
	ece: number | null;
	learningCurve: LearningCurvePoint[];
	/** Loss per epoch of the final training run. */
	lossCurve: { epoch: number; loss: number; validationLoss: number | null }[];
	epochs: number;
	bestEpoch: number;
	/** Plain-language caveats (too few labels, uncalibrated scores…). */
	notes: string[];
	/** Present when the run used sentence embeddings (opt-in): which, and how fast. */
	embeddings?: EmbeddingReport;
}

/** How a run with sentence embeddings went, and the built-in-only model on the same split. */
export interface EmbeddingReport {
	/** Cache key of the embedding model (hub id or `folder:…`). */
	model: string;
	/** What the user picked, for display. */
	label: string;
	backend: string;
	dim: number;
	/** Distinct outputs embedded by the model in this run, and found in the cache. */
	computed: number;
	cached: number;
	/** Model throughput (texts/s) over the outputs it embedded (0 when all were cached). */
	textsPerSecond: number;
	/** The default model (built-in features only), trained and tested on the very same split. */
	builtinOnly: ScoreSet;
	builtinTrainMs: number;
}
