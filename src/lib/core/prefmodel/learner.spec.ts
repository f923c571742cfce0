import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { fitPairCalibration, fitPointCalibration } from './calibration';
import { buildModel, crossValidate, featurizeAll, fit } from './evaluate';
import { DEFAULT_FEATURES, Featurizer } from './features';
import { Scorer } from './score';
import { sigmoid } from './math';
import { expectedCalibrationError, reliabilityBins } from './metrics';
import { selectLabels } from './split';
import { lengthPairs, plantedThumbs, separablePairs } from './testing';
import { TrainingCancelled } from './learner';

describe('learner on synthetic data with a known answer', () => {
	it('finds a planted word: its n-grams carry the largest weights and held-out AUC is ≈ 1', async () => {
		const { model, report } = await buildModel(plantedThumbs(400, 1), DEFAULT_FEATURES, {
			seed: 3
		});
		expect(report.model.auc).toBeGreaterThan(0.98);
		// The word unigram of the planted word is among the very largest weights.
		const featurizer = new Featurizer(DEFAULT_FEATURES);
		const withWord = featurizer.featurize({ input: '', output: 'zebraword' });
		const plantedSlots = new Set(withWord.indices);
		const wordBlock = 1 << DEFAULT_FEATURES.bits;
		const top = [...model.weights.slice(0, wordBlock).keys()]
			.sort((a, b) => Math.abs(model.weights[b]) - Math.abs(model.weights[a]))
			.slice(0, 3);
		expect(top.some((slot) => plantedSlots.has(slot))).toBe(true);
		// The baselines know nothing here.
		const longer = report.baselines.find((b) => b.name === 'longer');
		expect(longer?.scores.auc).toBeLessThan(0.65);
	});

	it('orders separable pairs right (held-out pairwise accuracy ≈ 1) though length says nothing', async () => {
		const data = separablePairs(300, 2);
		const cv = await crossValidate(data, { folds: 5, seed: 0, yieldEvery: 0 });
		expect(cv.model.pairwiseAccuracy).toBeGreaterThan(0.97);
		expect(cv.baselines.longer.pairwiseAccuracy).toBeLessThan(0.65);
		expect(cv.baselines.majority.pairwiseAccuracy).toBe(0.5);
	});

	it('is calibrated on a known distribution: P(👍) ≈ 0.8 with the planted word, ≈ 0.3 without', async () => {
		const data = plantedThumbs(3000, 4, { pWith: 0.8, pWithout: 0.3 });
		const { model, report } = await buildModel(data, DEFAULT_FEATURES, {
			seed: 1,
			curveFractions: []
		});
		// Fresh outputs from the same distribution, never seen in training.
		const fresh = plantedThumbs(2000, 99, { pWith: 0.8, pWithout: 0.3 });
		const scorer = new Scorer(model);
		const mean = (planted: boolean) => {
			const probabilities = fresh.items
				.filter((item) => item.output.includes('zebraword') === planted)
				.map((item) => scorer.probability(item));
			return probabilities.reduce((a, b) => a + b, 0) / probabilities.length;
		};
		// The means are pulled a little towards the 👍 rate: the planted word's n-grams are
		// l2-normalised with the rest of the output, so its evidence fades in long outputs and the
		// model cannot isolate it perfectly. Calibrated, the pull is small (measured: 0.72 and 0.34).
		expect(Math.abs(mean(true) - 0.8)).toBeLessThan(0.1);
		expect(Math.abs(mean(false) - 0.3)).toBeLessThan(0.1);
		expect(mean(true) - mean(false)).toBeGreaterThan(0.35);
		expect(report.ece).toBeLessThan(0.08);
	});

	it('chooses its shape on held-out loss: length where only length speaks, n-grams where only words do', async () => {
		const fitAll = async (data: ReturnType<typeof lengthPairs>) =>
			fit(
				data,
				featurizeAll(data.items),
				DEFAULT_FEATURES,
				selectLabels(data, () => true),
				{
					yieldEvery: 0
				}
			);
		const byLength = await fitAll(lengthPairs(300, 11));
		expect(byLength.stages[0].blocks).toBe('dense');
		// Every candidate was measured on the inner folds, n-grams alone included, and lost.
		const best = (blocks: string) =>
			Math.min(
				...byLength.selection.filter((s) => s.blocks === blocks && !s.stacked).map((s) => s.loss)
			);
		expect(best('dense')).toBeLessThan(best('content'));
		const byWords = await fitAll(separablePairs(300, 12));
		expect(byWords.stages[0].blocks).toBe('content');
		expect(byWords.stages[0].lambda).toBeLessThan(0.1);
	});

	it('Platt scaling recovers a known slope and intercept', () => {
		const rng = mulberry32(5);
		const scores: number[] = [];
		const labels: number[] = [];
		for (let i = 0; i < 20000; i++) {
			const z = (rng() - 0.5) * 6;
			scores.push(z);
			labels.push(rng() < sigmoid(2 * z - 0.5) ? 1 : 0);
		}
		const fitted = fitPointCalibration(scores, labels);
		expect(fitted?.a).toBeCloseTo(2, 1);
		expect(fitted?.b).toBeCloseTo(-0.5, 1);
		const probabilities = scores.map((z) => sigmoid((fitted?.a ?? 0) * z + (fitted?.b ?? 0)));
		expect(expectedCalibrationError(reliabilityBins(probabilities, labels))).toBeLessThan(0.02);
		// Pairs: margins whose chosen side wins with σ(1.5·m).
		const margins: number[] = [];
		for (let i = 0; i < 20000; i++) {
			const m = (rng() - 0.5) * 4;
			margins.push(rng() < sigmoid(1.5 * m) ? m : -m);
		}
		expect(fitPairCalibration(margins)).toBeCloseTo(1.5, 1);
		expect(fitPointCalibration([1, 2], [0, 1])).toBeNull();
	});

	it('reports progress every epoch and stops on Cancel', async () => {
		const data = plantedThumbs(200, 6);
		const raw = featurizeAll(data.items);
		const labels = selectLabels(data, () => true);
		const controller = new AbortController();
		const epochs: number[] = [];
		const run = fit(data, raw, DEFAULT_FEATURES, labels, {
			signal: controller.signal,
			onProgress: (p) => {
				epochs.push(p.epoch);
				expect(p.rowsPerSecond).toBeGreaterThan(0);
				expect(Number.isFinite(p.loss)).toBe(true);
				if (p.epoch === 2) controller.abort();
			}
		});
		await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
		expect(epochs).toEqual([1, 2]);
	});

	it('refuses to train on nothing, and says why when labels are too few to hold any out', async () => {
		await expect(buildModel({ items: [], points: [], pairs: [] })).rejects.toThrow(/no labels/);
		const tiny = plantedThumbs(4, 7);
		const { report } = await buildModel(tiny);
		expect(report.test).toEqual({ points: 0, pairs: 0 });
		expect(report.notes.join(' ')).toMatch(/too few to hold any out/);
	});
});

describe('rank', () => {
	it('puts the candidate with the learned good word first, with a calibrated P(win)', async () => {
		const { model } = await buildModel(separablePairs(200, 8), DEFAULT_FEATURES, {
			seed: 0,
			curveFractions: []
		});
		const ranked = new Scorer(model).rank('prompt', [
			'w1x7919 terrible w2x841',
			'w1x7919 excellent w2x841',
			'w3x1 w4x2'
		]);
		expect(ranked.map((r) => r.index)).toEqual([1, 2, 0]);
		expect(ranked[0].beatsNext).toBeGreaterThan(0.5);
		expect(ranked[2].beatsNext).toBeNull();
	});
});
