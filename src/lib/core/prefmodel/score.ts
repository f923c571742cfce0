/**
 * Scoring with a trained model: P(👍) of outputs, and `rank(input, candidates)` for best-of-n
 * and evaluation. The same code runs in the worker, the CLI and tests.
 */
import { calibratedPair, calibratedPoint } from './calibration';
import { applyDenseScale, Featurizer } from './features';
import { fullDot } from './learner';
import type { Example, LinearModel } from './types';

/** Scores examples with one featurizer (reuse a Scorer for many calls). */
export class Scorer {
	readonly model: LinearModel;
	readonly #featurizer: Featurizer;

	constructor(model: LinearModel) {
		this.model = model;
		this.#featurizer = new Featurizer(model.features);
	}

	/** The raw linear score w·x + b (what rankings compare). */
	raw(example: Example): number {
		const vector = this.#featurizer.featurize(example);
		applyDenseScale(this.model.features, this.model.denseScale, [vector]);
		return fullDot(this.model.weights, vector) + this.model.bias;
	}

	/** P(👍) under the model's calibration. */
	probability(example: Example): number {
		return calibratedPoint(this.model, this.raw(example));
	}

	/**
	 * Candidates for one input, best first, each with its P(👍) and its probability of beating
	 * the runner-up (Bradley–Terry, calibrated on held-out pairs when the model had them).
	 * A model trained with sentence embeddings needs the candidates' embeddings, in order.
	 */
	rank(
		input: string,
		candidates: readonly string[],
		embeddings?: readonly Float32Array[]
	): RankedCandidate[] {
		const scored = candidates.map((output, index) => ({
			index,
			output,
			raw: this.raw({ input, output, embedding: embeddings?.[index] })
		}));
		scored.sort((a, b) => b.raw - a.raw || a.index - b.index);
		return scored.map((entry, position) => {
			const next = scored[position + 1];
			return {
				index: entry.index,
				output: entry.output,
				score: calibratedPoint(this.model, entry.raw),
				beatsNext: next ? calibratedPair(this.model, entry.raw, next.raw) : null
			};
		});
	}
}

export interface RankedCandidate {
	/** Position in the input list. */
	index: number;
	output: string;
	/** P(👍). */
	score: number;
	/** P(this beats the next one down), null for the last. */
	beatsNext: number | null;
}
