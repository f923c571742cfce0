/**
 * The learner: one linear model trained on both kinds of labels at once (logistic loss on
 * 👍/👎, Bradley–Terry loss on pairs; see `objective.ts`), its shape and L2 strength chosen by
 * cross-validation inside the training labels.
 *
 * What generalises differs between users' data. In Open Assistant rankings length is nearly the
 * whole learnable signal and n-grams only add noise; in Orca DPO pairs length misleads and the
 * n-grams alone are right 98% of the time. Fitting both blocks under one penalty lets the
 * misleading block in, so the learner builds the model in two stages and lets held-out loss
 * decide each:
 *
 * 1. a base: the `dense` block alone (a learned "longer/shorter wins", with the input-length
 *    ratio: on pairs it orders exactly as "longer answer wins", so that baseline is the worst
 *    case where nothing else generalises) or the `content` block alone (hashed n-grams, and embeddings when on), each along a
 *    regularisation path (λ from strong to weak, warm-started);
 * 2. the other block fitted on top of the chosen base (the base's scores as fixed offsets), along
 *    its own path, kept only if it lowers the held-out loss further.
 *
 * Held-out loss is measured on `INNER_FOLDS` folds of the training labels, by group (answers to
 * one prompt never straddle), so every training label judges every candidate once: early
 * stopping along the path, judged by far more labels than one small split. The final model is
 * then fitted on all the training labels the same way, and the out-of-fold scores of the chosen
 * model calibrate it (Platt scaling for P(👍), a slope for P(chosen wins)).
 *
 * Each L-BFGS iteration is an "epoch"; between epochs the loop yields to the event loop, so a
 * worker hears Cancel, and progress is reported.
 */
import { fitPairCalibration, fitPointCalibration, IDENTITY_CALIBRATION } from './calibration';
import { featureDim, type FeatureConfig, type SparseVector } from './features';
import { softplusNeg } from './math';
import {
	addExpanded,
	buildProblem,
	compactScore,
	MAX_ITERATIONS,
	minimize,
	TrainingCancelled,
	type Blocks,
	type Problem
} from './objective';
import { groupFoldsOf, type LabelIndex } from './split';
import type { LinearModel, PrefDataset } from './types';

export { TrainingCancelled, type Blocks };

export interface TrainOptions {
	/** A fixed L2 strength λ instead of the path (the shape is still chosen when selecting). */
	l2?: number;
	/** Steps of the regularisation path without a better out-of-fold loss before stopping
	 * (default 1: a whole decade of λ that does worse ends the walk). */
	patience?: number;
	/** Weight of a pair relative to a pointwise label. */
	pairWeight?: number;
	/** Folds of the training labels for choosing shape and λ (0: no selection, a fixed fit). */
	innerFolds?: number;
	/** Seed of the inner folds. */
	seed?: number;
	/**
	 * Labels kept out of training to calibrate the final model on (else the out-of-fold scores
	 * of the selection calibrate it).
	 */
	calibration?: LabelIndex;
	signal?: AbortSignal;
	onProgress?: (progress: TrainProgress) => void;
	/** Yield to the event loop between epochs (workers: so Cancel gets through). */
	yieldEvery?: number;
}

export interface TrainProgress {
	epoch: number;
	maxEpochs: number;
	/** Training objective (mean loss + L2) of the fit in progress. */
	loss: number;
	/** Mean out-of-fold loss after a path step of the selection, else null. */
	validationLoss: number | null;
	/** Labels processed per second so far (every loss evaluation is a pass over them). */
	rowsPerSecond: number;
	elapsedMs: number;
	/** The L2 strength being fitted (the regularisation path's current step). */
	lambda: number;
}

/** One candidate of the selection: a block at a λ (on top of the base, or not), and its mean
 * out-of-fold loss. */
export interface SelectionStep {
	blocks: Blocks;
	/** Whether this block was fitted on top of the chosen base. */
	stacked: boolean;
	lambda: number;
	loss: number;
}

/** One stage of the model: a block at an L2 strength. */
export interface Stage {
	blocks: Blocks;
	lambda: number;
}

/** Says in words what a model was built from, e.g. "length, then n-grams on top". */
export function describeStages(stages: readonly Stage[]): string {
	const name = (blocks: Blocks) => (blocks === 'dense' ? 'length' : 'n-grams');
	return stages.map((s, i) => (i === 0 ? name(s.blocks) : `${name(s.blocks)} on top`)).join(' + ');
}

export interface TrainResult {
	model: LinearModel;
	epochs: number;
	/** Epoch at which the kept weights were reached (the final fit's last). */
	bestEpoch: number;
	/** The stages of the kept model: a base, and possibly the other block on top of it. */
	stages: Stage[];
	/** Every candidate the selection measured, in order (empty without selection). */
	selection: SelectionStep[];
	history: TrainProgress[];
	trainMs: number;
}

/**
 * The regularisation path: λ from strong to weak by decades, each solve warm-started from the
 * last. Its weak end matters where n-grams separate well (on Orca pairs the held-out loss keeps
 * falling down to 1e-5); decades rather than half decades cost a third fewer iterations, and
 * the one-standard-error rule could rarely tell neighbouring half decades apart anyway.
 */
export const L2_PATH = [0.1, 0.01, 0.001, 0.0001, 0.00001];
/**
 * The dense block walks the path two decades lower: standardised length features cannot
 * overfit, and at n-gram strengths the one-standard-error rule would shrink them towards each
 * other (log length, and against the input), which costs ranking quality across prompts.
 */
export const DENSE_PATH_SCALE = 0.01;
/** Folds of the training labels used to choose shape and λ. */
export const INNER_FOLDS = 3;
/** Below this many training labels (or groups) there is no selection: one fixed fit. */
export const MIN_LABELS_FOR_SELECTION = 30;

/** Mean held-out loss (and its standard error) plus the out-of-fold scores for calibration. */
interface HeldOut {
	loss: number;
	/** Weighted sum of squared losses (for the standard error of the mean). */
	lossSq: number;
	weight: number;
	count: number;
	pointScores: number[];
	pointLabels: number[];
	margins: number[];
}

/** Adds the held-out loss of `labels` (and their scores) under a scorer to `into`. */
function heldOut(
	score: (item: number) => number,
	bias: number,
	data: PrefDataset,
	labels: LabelIndex,
	pairWeight: number,
	into: HeldOut
): void {
	for (const i of labels.points) {
		const p = data.points[i];
		const z = score(p.item) + bias;
		const weight = p.weight ?? 1;
		const loss = p.label === 1 ? softplusNeg(z) : softplusNeg(-z);
		into.loss += weight * loss;
		into.lossSq += weight * loss * loss;
		into.weight += weight;
		into.count++;
		into.pointScores.push(z);
		into.pointLabels.push(p.label);
	}
	for (const i of labels.pairs) {
		const p = data.pairs[i];
		const m = score(p.chosen) - score(p.rejected);
		const weight = (p.weight ?? 1) * pairWeight;
		const loss = softplusNeg(m);
		into.loss += weight * loss;
		into.lossSq += weight * loss * loss;
		into.weight += weight;
		into.count++;
		into.margins.push(m);
	}
}

const emptyHeldOut = (): HeldOut => ({
	loss: 0,
	lossSq: 0,
	weight: 0,
	count: 0,
	pointScores: [],
	pointLabels: [],
	margins: []
});

/** A fit of one block on some labels: its problem and compact weights (bias last). */
interface Fit {
	problem: Problem;
	w: Float64Array;
}

/** Score of an item under a fit, without bias. */
const fitScore = (fit: Fit, vectors: readonly SparseVector[]) => {
	// Memoised: an item is in many pairs, and a base's scores are read at every step on top of it.
	const cache = new Map<number, number>();
	return (item: number) => {
		let score = cache.get(item);
		if (score === undefined) {
			score = compactScore(fit.problem, fit.w, vectors[item]);
			cache.set(item, score);
		}
		return score;
	};
};

/** Sets `target`'s weights (bias included) to the mean of `fits`' weights, feature by feature. */
function averageInto(fits: readonly Fit[], target: Fit): void {
	const { w, problem } = target;
	w.fill(0);
	for (const fit of fits) {
		for (let slot = 0; slot < fit.problem.featureOf.length; slot++) {
			const into = problem.compactOf[fit.problem.featureOf[slot]];
			if (into >= 0) w[into] += fit.w[slot] / fits.length;
		}
		w[w.length - 1] += fit.w[fit.w.length - 1] / fits.length;
	}
}

/**
 * Trains a model on `labels`. `vectors` are the items' features with the dense block already
 * scaled by `denseScale` (stored in the model so scoring applies the same).
 */
export async function train(
	data: PrefDataset,
	vectors: readonly SparseVector[],
	config: FeatureConfig,
	denseScale: Float32Array,
	labels: LabelIndex,
	options: TrainOptions = {}
): Promise<TrainResult> {
	const started = performance.now();
	const dim = featureDim(config);
	const pairWeight = options.pairWeight ?? 1;
	const rows = labels.points.length + labels.pairs.length;
	const folds =
		rows >= MIN_LABELS_FOR_SELECTION
			? groupFoldsOf(data, labels, options.innerFolds ?? INNER_FOLDS, (options.seed ?? 0) + 101)
			: [];
	const selecting = folds.length >= 2;
	const path = options.l2 !== undefined ? [options.l2] : L2_PATH;
	/** λ of a block at a step: the dense block's path lies `DENSE_PATH_SCALE` lower. */
	const lambdaOf = (blocks: Blocks, step: number) =>
		blocks === 'dense' ? path[step] * DENSE_PATH_SCALE : path[step];
	const bases: Blocks[] = config.relative ? ['dense', 'content'] : ['content'];
	/** An upper bound for progress displays (fits usually converge well before it). */
	const maxEpochs = (selecting ? 3 * (folds.length + 1) : 2) * path.length * MAX_ITERATIONS;
	const patience = options.patience ?? 1;
	const yieldEvery = options.yieldEvery ?? 1;
	const history: TrainProgress[] = [];
	let epoch = 0;
	let evaluations = 0;

	const solve = async (fit: Fit, lambda: number, labelCount: number) =>
		minimize(fit.w, {
			problem: fit.problem,
			lambda,
			signal: options.signal,
			onIteration: async (loss, used) => {
				epoch++;
				evaluations += used * labelCount;
				const elapsedMs = performance.now() - started;
				const progress: TrainProgress = {
					epoch,
					maxEpochs,
					loss,
					validationLoss: null,
					rowsPerSecond: evaluations / Math.max(1e-3, elapsedMs / 1000),
					elapsedMs,
					lambda
				};
				history.push(progress);
				options.onProgress?.(progress);
				if (yieldEvery > 0 && epoch % yieldEvery === 0) await new Promise((r) => setTimeout(r, 0));
			}
		});

	/** Problems by labels and block: a block stacked on a base reuses its own base's problem,
	 * with the base's scores as offsets. */
	const problems = new Map<LabelIndex, Map<Blocks, Problem>>();
	const newFit = (fitLabels: LabelIndex, blocks: Blocks, base?: Fit): Fit => {
		let byBlock = problems.get(fitLabels);
		if (!byBlock) problems.set(fitLabels, (byBlock = new Map()));
		let plain = byBlock.get(blocks);
		if (!plain) {
			plain = buildProblem(data, vectors, fitLabels, config, blocks, pairWeight);
			byBlock.set(blocks, plain);
		}
		let problem = plain;
		if (base) {
			const offsetOf = fitScore(base, vectors);
			problem = { ...plain, offsets: Float64Array.from(plain.itemOf, offsetOf) };
		}
		const w = new Float64Array(problem.featureOf.length + 1);
		// On top of a base the bias starts at the base's (it is the model's one bias).
		if (base) w[w.length - 1] = base.w[base.w.length - 1];
		return { problem, w };
	};

	const selection: SelectionStep[] = [];
	interface Walk {
		blocks: Blocks;
		step: number;
		loss: number;
		held: HeldOut;
		/** Per inner fold, a copy of the weights at the best step. */
		fits: Fit[];
	}
	/**
	 * Walks one block down the path on every inner fold (on top of `bases`' fits when given) and
	 * returns the step to keep, judged by the mean out-of-fold loss with the one-standard-error
	 * rule: the most regularised step within one standard error of the best. Out-of-fold losses
	 * of neighbouring λ differ by less than their noise, and the simpler model generalises
	 * better when the labels cannot tell them apart.
	 */
	const walk = async (blocks: Blocks, bases?: Fit[]): Promise<Walk> => {
		const fits = folds.map(([fitLabels], f) => newFit(fitLabels, blocks, bases?.[f]));
		const baseScores = bases?.map((base) => fitScore(base, vectors));
		const steps: (Walk & { se: number })[] = [];
		let best: (Walk & { se: number }) | null = null;
		let sinceBest = 0;
		for (let step = 0; step < path.length; step++) {
			const held = emptyHeldOut();
			for (let f = 0; f < folds.length; f++) {
				const [fitLabels, testLabels] = folds[f];
				await solve(
					fits[f],
					lambdaOf(blocks, step),
					fitLabels.points.length + fitLabels.pairs.length
				);
				const own = fitScore(fits[f], vectors);
				const base = baseScores?.[f];
				const score = base ? (item: number) => base(item) + own(item) : own;
				heldOut(score, fits[f].w[fits[f].w.length - 1], data, testLabels, pairWeight, held);
			}
			const loss = held.weight > 0 ? held.loss / held.weight : 0;
			selection.push({
				blocks,
				stacked: bases !== undefined,
				lambda: lambdaOf(blocks, step),
				loss
			});
			if (history.length > 0) history[history.length - 1].validationLoss = loss;
			const variance = held.weight > 0 ? Math.max(0, held.lossSq / held.weight - loss * loss) : 0;
			const se = Math.sqrt(variance / Math.max(1, held.count));
			const copies = fits.map((fit) => ({ problem: fit.problem, w: Float64Array.from(fit.w) }));
			const result = { blocks, step, loss, held, fits: copies, se };
			steps.push(result);
			if (!best || loss < best.loss - 1e-9) {
				best = result;
				sinceBest = 0;
			} else if (++sinceBest >= patience) break;
		}
		const limit = best!.loss + best!.se;
		return steps.find((s) => s.loss <= limit) ?? best!;
	};

	// Selection on the inner folds: the best base, then the other block on top of it. Without
	// enough labels to select, length first and n-grams on top, at scikit-learn's default C = 1.
	let stages: { blocks: Blocks; step: number; start?: Fit[] }[] = bases.map((blocks) => ({
		blocks,
		step: 0
	}));
	let chosen: Walk | null = null;
	if (selecting) {
		let base: Walk | null = null;
		for (const blocks of bases) {
			const result = await walk(blocks);
			if (!base || result.loss < base.loss) base = result;
		}
		chosen = base!;
		stages = [{ blocks: base!.blocks, step: base!.step, start: base!.fits }];
		if (bases.length > 1) {
			const other: Blocks = base!.blocks === 'dense' ? 'content' : 'dense';
			const top = await walk(other, base!.fits);
			if (top.loss < base!.loss - 1e-9) {
				chosen = top;
				stages.push({ blocks: other, step: top.step, start: top.fits });
			}
		}
	}

	// The final fit on every training label, each stage at its chosen λ, warm-started from the
	// mean of its inner-fold weights there (close to the answer: a few iterations instead of a
	// walk down the path).
	const weights = new Float32Array(dim);
	let below: Fit | undefined;
	let bias = 0;
	const kept: Stage[] = [];
	for (const { blocks, step, start } of stages) {
		const fit = newFit(labels, blocks, below);
		if (start) averageInto(start, fit);
		const lambda = selecting ? lambdaOf(blocks, step) : 1 / Math.max(1, fit.problem.totalWeight);
		await solve(fit, lambda, rows);
		addExpanded(fit.problem, fit.w, weights);
		bias = fit.w[fit.w.length - 1];
		kept.push({ blocks, lambda });
		below = fit;
	}
	if (options.signal?.aborted) throw new TrainingCancelled();

	let calibration = IDENTITY_CALIBRATION;
	const calibrationLabels = options.calibration;
	if (calibrationLabels && calibrationLabels.points.length + calibrationLabels.pairs.length > 0) {
		// Held-out labels scored by the final model itself: P(👍) is shown as a probability, so it
		// is calibrated on the very model that will be used.
		const held = emptyHeldOut();
		const score = (item: number) => fullDot(weights, vectors[item]);
		heldOut(score, bias, data, calibrationLabels, pairWeight, held);
		const point = fitPointCalibration(held.pointScores, held.pointLabels);
		calibration = {
			pointA: point?.a ?? 1,
			pointB: point?.b ?? 0,
			points: point !== null,
			pairA: fitPairCalibration(held.margins) ?? 1
		};
	} else if (chosen) {
		const point = fitPointCalibration(chosen.held.pointScores, chosen.held.pointLabels);
		calibration = {
			pointA: point?.a ?? 1,
			pointB: point?.b ?? 0,
			points: point !== null,
			pairA: fitPairCalibration(chosen.held.margins) ?? 1
		};
	}
	calibration = { ...calibration, points: calibration.points || labels.points.length > 0 };
	return {
		model: { features: config, weights, bias, denseScale, calibration },
		epochs: epoch,
		bestEpoch: epoch,
		stages: kept,
		selection,
		history,
		trainMs: performance.now() - started
	};
}

export function fullDot(weights: Float32Array | Float64Array, x: SparseVector): number {
	let sum = 0;
	for (let k = 0; k < x.indices.length; k++) sum += weights[x.indices[k]] * x.values[k];
	return sum;
}
