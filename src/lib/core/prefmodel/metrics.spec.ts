import { describe, expect, it } from 'vitest';
import {
	accuracy,
	auc,
	brier,
	expectedCalibrationError,
	logLoss,
	pairwiseAccuracy,
	reliabilityBins
} from './metrics';

describe('auc', () => {
	it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 for a constant', () => {
		expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
		expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
		expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
	});
	it('counts ties as one half (the Mann–Whitney statistic)', () => {
		// Pairs (pos, neg): (0.8,0.1) right, (0.8,0.8) tie, (0.3,0.1) right, (0.3,0.8) wrong.
		expect(auc([0.1, 0.8, 0.8, 0.3], [0, 0, 1, 1])).toBeCloseTo(2.5 / 4, 12);
	});
	it('is null with one class', () => {
		expect(auc([0.1, 0.2], [1, 1])).toBeNull();
	});
});

describe('pairwise accuracy and friends', () => {
	it('scores margins, ties as one half', () => {
		expect(pairwiseAccuracy([1, -1, 0, 2])).toBeCloseTo(2.5 / 4, 12);
		expect(pairwiseAccuracy([])).toBeNull();
	});
	it('accuracy, log loss and Brier of known probabilities', () => {
		expect(accuracy([0.9, 0.4, 0.6], [1, 0, 0])).toBeCloseTo(2 / 3, 12);
		expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
		expect(brier([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 12);
	});
});

describe('reliability bins', () => {
	it('puts each probability in its bin and reports the observed share', () => {
		const bins = reliabilityBins([0.05, 0.15, 0.15, 0.95, 1], [0, 1, 0, 1, 1], 10);
		expect(bins).toHaveLength(10);
		expect(bins[0]).toMatchObject({ count: 1, observed: 0 });
		expect(bins[1]).toMatchObject({ count: 2, observed: 0.5 });
		expect(bins[1].meanPredicted).toBeCloseTo(0.15, 12);
		expect(bins[9]).toMatchObject({ count: 2, observed: 1 });
		expect(bins[5]).toMatchObject({ count: 0, observed: null, meanPredicted: null });
		// |0.05−0|·1 + |0.15−0.5|·2 + |0.975−1|·2, over 5.
		expect(expectedCalibrationError(bins)).toBeCloseTo((0.05 + 0.7 + 0.05) / 5, 12);
	});
});
