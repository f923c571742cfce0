/**
 * The model against the baselines and scikit-learn's peer on real human labels, 5-fold
 * cross-validation by prompt (seeded, so the figures are deterministic):
 *
 * - the Open Assistant sample (754 ranked pairs and 528 emoji thumbs over 100 conversation trees),
 *   where "longer answer wins" is right 70% of the time and nothing built in adds to it on pairs:
 *   length alone orders pairs exactly as that baseline does, so the model never falls below it;
 * - Orca DPO pairs (284), where scikit-learn's L2 logistic regression over the same hashed n-grams
 *   (scripts/sklearn-peer.py on the very same folds) is right 98.2% of the time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossValidate } from './evaluate';
import { readPairFile } from './pair-files';

const OASST = '../shared/data/preference/oasst-sample/en_100_tree.jsonl';
const ORCA = '../shared/data/formats/foundry-orca_dpo_pairs.validation.jsonl';
/** `python3 scripts/sklearn-peer.py` on the folds `prefmodel-eval --export-folds` writes. */
const ORCA_PEER_ACCURACY = 0.9823;

describe('evaluation on the Open Assistant sample', () => {
	it('beats every baseline on thumbs AUC and on pairs; never below longer on any fold', async () => {
		const { data } = readPairFile(readFileSync(OASST, 'utf8'));
		const cv = await crossValidate(data, { folds: 5, seed: 0, yieldEvery: 0 });
		const { model, baselines } = cv;
		for (const name of ['majority', 'longer', 'shorter'] as const)
			expect(model.auc, `AUC vs ${name}`).toBeGreaterThan(baselines[name].auc ?? 1);
		for (const name of ['majority', 'longer', 'shorter'] as const)
			expect(model.pairwiseAccuracy, `pairs vs ${name}`).toBeGreaterThan(
				baselines[name].pairwiseAccuracy ?? 1
			);
		// "Longer answer wins" is 70% right on these pairs: length is most of the signal that a few
		// hundred labels can teach (Universal Sentence Encoder embeddings, tried offline, add nothing). With
		// the thumbs the model is ahead of it by a hair (69.9% against 69.7%), and never below it
		// on a fold.
		for (const fold of cv.folds)
			expect(fold.model.pairwiseAccuracy, `fold ${fold.fold}`).toBeGreaterThanOrEqual(
				fold.baselines.longer.pairwiseAccuracy ?? 1
			);
		// Calibrated probabilities: better log loss than predicting the 👍 rate.
		expect(model.logLoss).toBeLessThan(baselines.majority.logLoss ?? 0);
	});

	it('on the pairs alone (what prefmodel-eval measures) it is never below longer on a fold, built on length', async () => {
		const { data } = readPairFile(readFileSync(OASST, 'utf8'));
		const cv = await crossValidate({ ...data, points: [] }, { folds: 5, seed: 0, yieldEvery: 0 });
		for (const fold of cv.folds) {
			// Every fold's model is built on length first (n-grams alone lose on held-out loss here),
			// which orders pairs exactly as longer does; n-grams on top move no held-out pair today.
			expect(fold.stages[0].blocks).toBe('dense');
			expect(fold.model.pairwiseAccuracy, `fold ${fold.fold}`).toBeGreaterThanOrEqual(
				fold.baselines.longer.pairwiseAccuracy ?? 1
			);
		}
	});
});

describe('evaluation on Orca DPO pairs', () => {
	it('reaches scikit-learn’s peer on the same folds, with n-grams as the base', async () => {
		const { data } = readPairFile(readFileSync(ORCA, 'utf8'));
		const cv = await crossValidate(data, { folds: 5, seed: 0, yieldEvery: 0 });
		expect(cv.model.pairwiseAccuracy).toBeGreaterThanOrEqual(ORCA_PEER_ACCURACY);
		expect(cv.model.pairwiseAccuracy).toBeGreaterThan(cv.baselines.shorter.pairwiseAccuracy ?? 1);
		for (const fold of cv.folds) expect(fold.stages[0].blocks).toBe('content');
	});
});
