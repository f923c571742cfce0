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
}
