/**
 * The preference model's shapes: what it learns from (texts with thumbs and pairs), what it
 * stores (a versioned model with weights, calibration and honest held-out metrics) and what it
 * writes per log (a score, P(👍)).
 */
import type { FeatureConfig } from './features';
import type { ModelReport } from './report';

import type { Example } from './example';

export type { Example };

/** A pointwise label: 👍 (1) or 👎 (0) on items[item]. */
export interface PointLabel {
	item: number;
	label: 0 | 1;
	/** Items answering the same input share a group, and a group never straddles a split. */
	group: string;
	weight?: number;
}

/** A pairwise label: items[chosen] is preferred over items[rejected] (same input). */
export interface PairLabel {
	chosen: number;
	rejected: number;
	group: string;
	weight?: number;
}

/** Everything a model learns from: unique items, and labels that point into them. */
export interface PrefDataset {
	items: Example[];
	points: PointLabel[];
	pairs: PairLabel[];
}

/** Platt scaling fitted on held-out scores (a calibration split, or out-of-fold scores). */
export interface Calibration {
	/** P(👍) = σ(pointA · z + pointB), z the raw score; identity when `points` was false. */
	pointA: number;
	pointB: number;
	/** P(chosen wins) = σ(pairA · (z_chosen − z_rejected)). */
	pairA: number;
	/** Whether pointwise labels were there to calibrate P(👍) on (else scores only rank). */
	points: boolean;
}

/** A trained linear model over a feature configuration. */
export interface LinearModel {
	features: FeatureConfig;
	/** One weight per feature; the bias is separate. */
	weights: Float32Array;
	bias: number;
	/** Multipliers of the dense (relative) feature block, learned from the training items. */
	denseScale: Float32Array;
	calibration: Calibration;
}

/**
 * Preference models as stored: every trained model is a version with its feature configuration,
 * weights and honest held-out metrics; scores are P(👍) per log under one model.
 */
export interface PrefModelRecord {
	id: string;
	projectId: string;
	createdAt: number;
	/** Shown in the versions list ("v3"). */
	version: number;
	features: FeatureConfig;
	weights: Float32Array;
	bias: number;
	denseScale: Float32Array;
	calibration: Calibration;
	/** Held-out metrics, baselines, calibration bins and learning curve. */
	report: ModelReport;
	/** Label counts the model was trained from. */
	labels: LabelCounts;
	trainMs: number;
	active: 0 | 1;
}

export interface LabelCounts {
	thumbsUp: number;
	thumbsDown: number;
	ratings: number;
	corrections: number;
	pairs: number;
}

export interface ScoreRow {
	modelId: string;
	logId: string;
	/** P(👍), 0…1. */
	score: number;
}

export interface EmbeddingRow {
	/** Embedding model id. */
	model: string;
	/** Content hash of the embedded text. */
	hash: string;
	vector: Float32Array;
}
