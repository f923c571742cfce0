/**
 * Preference models as stored: every trained model is a version with its feature configuration,
 * weights and honest held-out metrics; scores are P(👍) per log under one model.
 */
export interface PrefModelRecord {
	id: string;
	projectId: string;
	createdAt: number;
	/** Feature configuration (built-in hashed n-grams, optional embedding model id). */
	features: Record<string, unknown>;
	weights: Float32Array;
	/** Calibration and any other learned parameters. */
	params: Record<string, unknown>;
	metrics: Record<string, unknown>;
	active: 0 | 1;
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
