/**
 * The model against the baselines on real human labels: the Open Assistant sample (754 ranked
 * pairs and 528 emoji thumbs over 100 conversation trees), 5-fold cross-validation by prompt.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossValidate } from './evaluate';
import { readPairFile } from './pair-files';

const OASST = '../shared/data/preference/oasst-sample/en_100_tree.jsonl';

describe('evaluation on the Open Assistant sample', () => {
	it('beats every baseline on thumbs AUC; beats majority and shorter on pairs and matches longer', async () => {
		const { data } = readPairFile(readFileSync(OASST, 'utf8'));
		const cv = await crossValidate(data, { folds: 5, seed: 0, yieldEvery: 0 });
		const { model, baselines } = cv;
		for (const name of ['majority', 'longer', 'shorter'] as const)
			expect(model.auc, `AUC vs ${name}`).toBeGreaterThan(baselines[name].auc ?? 1);
		expect(model.pairwiseAccuracy).toBeGreaterThan(baselines.majority.pairwiseAccuracy ?? 1);
		expect(model.pairwiseAccuracy).toBeGreaterThan(baselines.shorter.pairwiseAccuracy ?? 1);
		// "Longer answer wins" is 70% right on these pairs: length is most of the signal that a few
		// hundred labels can teach, and the model learns it, but does not clearly beat it here.
		expect(model.pairwiseAccuracy).toBeGreaterThan((baselines.longer.pairwiseAccuracy ?? 1) - 0.01);
		// Calibrated probabilities: better log loss than predicting the 👍 rate.
		expect(model.logLoss).toBeLessThan(baselines.majority.logLoss ?? 0);
	});
});
