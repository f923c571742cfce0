/**
 * Training with honest held-out evaluation, shared by the worker (Model page), the CLI and the
 * tests: featurise once, split by group, train (shape and λ chosen by cross-validation inside the
 * training labels), then measure the model and the baselines on labels it never saw.
 */
import { calibratedPoint, MIN_CALIBRATION_LABELS } from './calibration';
import { BASELINES, baselineScore, type BaselineName } from './baselines';
import {
	applyDenseScale,
	DEFAULT_FEATURES,
	Featurizer,
	fitDenseScale,
	type FeatureConfig,
	type SparseVector
} from './features';
import {
	fullDot,
	train,
	type Stage,
	type TrainOptions,
	type TrainProgress,
	type TrainResult
} from './learner';
import {
	accuracy,
	auc,
	expectedCalibrationError,
	logLoss,
	pairwiseAccuracy,
	reliabilityBins
} from './metrics';
import type { LearningCurvePoint, ModelReport, ScoreSet } from './report';
import { groupFolds, selectLabels, splitByGroup, type LabelIndex } from './split';
import type { Example, LinearModel, PrefDataset } from './types';

/** Raw features of every item (dense block unscaled). */
export function featurizeAll(
	items: readonly Example[],
	config: FeatureConfig = DEFAULT_FEATURES
): SparseVector[] {
	const featurizer = new Featurizer(config);
	return items.map((item) => featurizer.featurize(item));
}

/** Copies of the vectors with the dense block scaled (raw vectors are shared across folds). */
function scaled(
	config: FeatureConfig,
	raw: readonly SparseVector[],
	scale: Float32Array
): SparseVector[] {
	const copies = raw.map((v) => ({ indices: v.indices, values: Float32Array.from(v.values) }));
	applyDenseScale(config, scale, copies);
	return copies;
}

function itemsOf(data: PrefDataset, labels: LabelIndex): number[] {
	const items = new Set<number>();
	for (const i of labels.points) items.add(data.points[i].item);
	for (const i of labels.pairs) {
		items.add(data.pairs[i].chosen);
		items.add(data.pairs[i].rejected);
	}
	return [...items];
}

export type FitOptions = TrainOptions;

export interface Fitted extends TrainResult {
	vectors: SparseVector[];
}

/** Share of the training labels held out to calibrate P(👍) when there are thumbs. */
export const CALIBRATION_FRACTION = 0.15;

/**
 * Trains on `labels`: fits the dense scaling on their items only, then trains (the learner
 * chooses its shape and λ by cross-validation inside the labels it trains on). With enough
 * 👍/👎 labels, a share of the labels (by group) is kept out to calibrate P(👍) on the final
 * model itself; pairs alone are calibrated on the selection's out-of-fold scores, and then
 * every label trains.
 */
export async function fit(
	data: PrefDataset,
	raw: readonly SparseVector[],
	config: FeatureConfig,
	labels: LabelIndex,
	options: FitOptions = {}
): Promise<Fitted> {
	let fitLabels = labels;
	let calibration: LabelIndex | undefined;
	if (labels.points.length >= MIN_POINTS_FOR_CALIBRATION_SPLIT) {
		const [first, second] = splitByGroup(
			data,
			labels,
			CALIBRATION_FRACTION,
			(options.seed ?? 0) + 101
		);
		if (
			second.points.length >= MIN_CALIBRATION_LABELS &&
			first.points.length + first.pairs.length > 0
		) {
			fitLabels = first;
			calibration = second;
		}
	}
	const scale = fitDenseScale(
		config,
		itemsOf(data, fitLabels).map((i) => raw[i])
	);
	const vectors = scaled(config, raw, scale);
	const result = await train(data, vectors, config, scale, fitLabels, { ...options, calibration });
	return { ...result, vectors };
}

/** Fewer 👍/👎 than this: no calibration split (out-of-fold scores calibrate instead). */
export const MIN_POINTS_FOR_CALIBRATION_SPLIT = 30;

/** Held-out figures of any scorer (raw score per item, plus P(👍) when it has one). */
function scoreSet(
	data: PrefDataset,
	test: LabelIndex,
	score: (item: number) => number,
	probability: ((item: number) => number) | null
): ScoreSet {
	const pointScores = test.points.map((i) => score(data.points[i].item));
	const labels = test.points.map((i) => data.points[i].label);
	const margins = test.pairs.map(
		(i) => score(data.pairs[i].chosen) - score(data.pairs[i].rejected)
	);
	const probabilities = probability
		? test.points.map((i) => probability(data.points[i].item))
		: null;
	return {
		auc: auc(pointScores, labels),
		pairwiseAccuracy: pairwiseAccuracy(margins),
		accuracy: probabilities ? accuracy(probabilities, labels) : null,
		logLoss: probabilities ? logLoss(probabilities, labels) : null
	};
}

export function positiveRate(data: PrefDataset, labels: LabelIndex): number {
	if (labels.points.length === 0) return 0.5;
	let positives = 0;
	for (const i of labels.points) positives += data.points[i].label;
	return positives / labels.points.length;
}

export function baselineScores(data: PrefDataset, train: LabelIndex, test: LabelIndex) {
	const rate = positiveRate(data, train);
	return BASELINES.map(({ name, label }) => ({
		name,
		label,
		scores: scoreSet(
			data,
			test,
			(item) => baselineScore(name, data.items[item], rate),
			// Only the majority class is a probability (the training share of 👍).
			name === 'majority' ? () => rate : null
		)
	}));
}

/** Raw model score of an item (features already scaled). */
export function rawScore(model: LinearModel, vector: SparseVector): number {
	return fullDot(model.weights, vector) + model.bias;
}

export function modelScores(data: PrefDataset, fitted: Fitted, test: LabelIndex): ScoreSet {
	const { model, vectors } = fitted;
	const cache = new Map<number, number>();
	const score = (item: number) => {
		let z = cache.get(item);
		if (z === undefined) {
			z = rawScore(model, vectors[item]);
			cache.set(item, z);
		}
		return z;
	};
	return scoreSet(
		data,
		test,
		score,
		model.calibration.points ? (item) => calibratedPoint(model, score(item)) : null
	);
}

export interface BuildOptions extends FitOptions {
	/** Share of labels (by group) held out for the report. */
	testFraction?: number;
	/** Training-set sizes for the learning curve, as fractions of the training labels. */
	curveFractions?: number[];
	onStage?: (stage: string) => void;
}

export interface Built {
	model: LinearModel;
	report: ModelReport;
	trainMs: number;
}

export const MIN_TEST_LABELS = 5;

/**
 * What the Model page's Train does: hold out a test split by group, train on the rest (shape and
 * λ chosen by cross-validation inside it, then calibrated), and report the model and the baselines
 * on the test split, with a calibration table and a learning curve.
 */
export async function buildModel(
	data: PrefDataset,
	config: FeatureConfig = DEFAULT_FEATURES,
	options: BuildOptions = {}
): Promise<Built> {
	const seed = options.seed ?? 0;
	const all = selectLabels(data, () => true);
	const total = all.points.length + all.pairs.length;
	if (total === 0) throw new Error('There are no labels to learn from yet.');
	options.onStage?.('Computing features');
	const raw = featurizeAll(data.items, config);
	let [trainLabels, test] = splitByGroup(data, all, options.testFraction ?? 0.2, seed);
	const notes: string[] = [];
	if (
		test.points.length + test.pairs.length < MIN_TEST_LABELS ||
		trainLabels.points.length + trainLabels.pairs.length === 0
	) {
		trainLabels = all;
		test = { points: [], pairs: [] };
		notes.push(
			`Only ${total} labels: too few to hold any out, so there are no held-out figures yet. Label more and train again.`
		);
	}
	options.onStage?.('Training');
	const fitted = await fit(data, raw, config, trainLabels, options);
	const { model } = fitted;
	const modelSet = modelScores(data, fitted, test);
	const probabilities = model.calibration.points
		? test.points.map((i) =>
				calibratedPoint(model, rawScore(model, fitted.vectors[data.points[i].item]))
			)
		: [];
	const labels = model.calibration.points ? test.points.map((i) => data.points[i].label) : [];
	const reliability = reliabilityBins(probabilities, labels);
	if (!model.calibration.points)
		notes.push('No 👍/👎 labels: scores rank outputs but are not calibrated probabilities.');
	const testCount = test.points.length + test.pairs.length;
	if (testCount > 0 && testCount < 50)
		notes.push(
			`Held-out figures come from ${testCount} labels only: expect them to move a lot as you label more.`
		);

	options.onStage?.('Learning curve');
	const learningCurve: LearningCurvePoint[] = [];
	if (testCount > 0) {
		for (const fraction of options.curveFractions ?? [0.125, 0.25, 0.5]) {
			if (options.signal?.aborted) break;
			const subset = subsetByGroup(data, trainLabels, fraction, seed + 7);
			const size = subset.points.length + subset.pairs.length;
			if (size < 4 || size >= trainLabels.points.length + trainLabels.pairs.length) continue;
			const small = await fit(data, raw, config, subset, { seed, signal: options.signal });
			const set = modelScores(data, small, test);
			learningCurve.push({ labels: size, auc: set.auc, pairwiseAccuracy: set.pairwiseAccuracy });
		}
		learningCurve.push({
			labels: trainLabels.points.length + trainLabels.pairs.length,
			auc: modelSet.auc,
			pairwiseAccuracy: modelSet.pairwiseAccuracy
		});
	}
	const report: ModelReport = {
		train: { points: trainLabels.points.length, pairs: trainLabels.pairs.length },
		test: { points: test.points.length, pairs: test.pairs.length },
		model: modelSet,
		baselines: testCount > 0 ? baselineScores(data, trainLabels, test) : [],
		reliability,
		ece: expectedCalibrationError(reliability),
		learningCurve,
		lossCurve: fitted.history.map(({ epoch, loss, validationLoss }) => ({
			epoch,
			loss,
			validationLoss
		})),
		epochs: fitted.epochs,
		bestEpoch: fitted.bestEpoch,
		notes
	};
	return { model, report, trainMs: fitted.trainMs };
}

/** About `fraction` of the labels, whole groups at a time. */
function subsetByGroup(
	data: PrefDataset,
	labels: LabelIndex,
	fraction: number,
	seed: number
): LabelIndex {
	return splitByGroup(data, labels, fraction, seed)[1];
}

export interface FoldResult {
	fold: number;
	train: number;
	test: number;
	model: ScoreSet;
	baselines: Record<BaselineName, ScoreSet>;
	trainMs: number;
	epochs: number;
	/** What the fold's model was built from (length, n-grams, one stacked on the other). */
	stages: Stage[];
}

export interface CrossValidation {
	folds: FoldResult[];
	/** Mean over folds (folds without the figure are skipped). */
	model: ScoreSet;
	baselines: Record<BaselineName, ScoreSet>;
	/** Featurising every item once (shared by all folds). */
	featureMs: number;
	/** Sum of the folds' training times (dense scaling + L-BFGS + calibration). */
	trainMs: number;
	/** Fold of each group, so a peer can be run on the very same folds. */
	foldOf: Map<string, number>;
}

function meanSet(sets: ScoreSet[]): ScoreSet {
	const mean = (key: keyof ScoreSet) => {
		const values = sets.map((s) => s[key]).filter((v): v is number => v !== null);
		return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
	};
	return {
		auc: mean('auc'),
		pairwiseAccuracy: mean('pairwiseAccuracy'),
		accuracy: mean('accuracy'),
		logLoss: mean('logLoss')
	};
}

export interface CrossValidateOptions extends FitOptions {
	folds?: number;
	config?: FeatureConfig;
	onFold?: (fold: FoldResult) => void;
}

/** k-fold cross-validation by group (what `prefmodel-eval` prints). */
export async function crossValidate(
	data: PrefDataset,
	options: CrossValidateOptions = {}
): Promise<CrossValidation> {
	const k = options.folds ?? 5;
	const seed = options.seed ?? 0;
	const config = options.config ?? DEFAULT_FEATURES;
	const featureStart = performance.now();
	const raw = featurizeAll(data.items, config);
	const featureMs = performance.now() - featureStart;
	const foldOf = groupFolds(data, k, seed);
	const results: FoldResult[] = [];
	for (let fold = 0; fold < k; fold++) {
		const test = selectLabels(data, (g) => foldOf.get(g) === fold);
		const trainLabels = selectLabels(data, (g) => foldOf.get(g) !== fold);
		if (test.points.length + test.pairs.length === 0) continue;
		const fitted = await fit(data, raw, config, trainLabels, { ...options, seed: seed + fold });
		const baselines = Object.fromEntries(
			baselineScores(data, trainLabels, test).map(({ name, scores }) => [name, scores])
		) as Record<BaselineName, ScoreSet>;
		const result: FoldResult = {
			fold,
			train: trainLabels.points.length + trainLabels.pairs.length,
			test: test.points.length + test.pairs.length,
			model: modelScores(data, fitted, test),
			baselines,
			trainMs: fitted.trainMs,
			epochs: fitted.epochs,
			stages: fitted.stages
		};
		options.onFold?.(result);
		results.push(result);
	}
	const names = BASELINES.map((b) => b.name);
	return {
		folds: results,
		model: meanSet(results.map((r) => r.model)),
		baselines: Object.fromEntries(
			names.map((name) => [name, meanSet(results.map((r) => r.baselines[name]))])
		) as Record<BaselineName, ScoreSet>,
		featureMs,
		trainMs: results.reduce((sum, r) => sum + r.trainMs, 0),
		foldOf
	};
}

export type { TrainProgress };
