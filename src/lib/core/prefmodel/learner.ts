/**
 * The learner: one linear model trained on both kinds of labels at once.
 *
 * - Pointwise (👍/👎): logistic loss on z = w·x + b.
 * - Pairs (A preferred over B, same input): Bradley–Terry loss on w·x_A − w·x_B, so pairs shape
 *   the same weights that score single outputs.
 *
 * The mean loss plus (λ/2)‖w‖² is minimised with L-BFGS over the features that occur in at least
 * two training items (every other weight's optimum is 0 under L2, or nearly), which keeps the
 * working set small. Early stopping happens along the regularisation path: λ walks down
 * `L2_PATH` with warm starts, the validation loss is checked after each step, the walk stops
 * after `patience` steps without improvement, and the one-standard-error rule picks the weights.
 * Each L-BFGS iteration is an "epoch" (one pass over the labels); between epochs the loop yields
 * to the event loop, so a worker can hear Cancel, and progress is reported.
 */
import { axpy, dot, sigmoid, softplusNeg } from './math';
import { fitPairCalibration, fitPointCalibration, IDENTITY_CALIBRATION } from './calibration';
import { denseOffset, featureDim, type FeatureConfig, type SparseVector } from './features';
import type { LabelIndex } from './split';
import type { LinearModel, PrefDataset } from './types';

export interface TrainOptions {
	/** A fixed L2 strength λ; default: chosen on the validation split along `L2_PATH`
	 * (without one: 1 / number of training labels, like scikit-learn's C = 1). */
	l2?: number;
	maxEpochs?: number;
	/** Steps of the regularisation path without a better validation loss before stopping. */
	patience?: number;
	/** Weight of a pair relative to a pointwise label. */
	pairWeight?: number;
	/** Labels held out for early stopping and calibration (undefined: no early stopping). */
	validation?: LabelIndex;
	signal?: AbortSignal;
	onProgress?: (progress: TrainProgress) => void;
	/** Yield to the event loop between epochs (workers: so Cancel gets through). */
	yieldEvery?: number;
}

export interface TrainProgress {
	epoch: number;
	maxEpochs: number;
	/** Training objective (mean loss + L2). */
	loss: number;
	/** Mean validation loss, null without a validation split. */
	validationLoss: number | null;
	/** Labels processed per second so far (every loss evaluation is a pass over them). */
	rowsPerSecond: number;
	elapsedMs: number;
	/** The L2 strength being fitted (the regularisation path's current step). */
	lambda: number;
}

export interface TrainResult {
	model: LinearModel;
	epochs: number;
	bestEpoch: number;
	/** The L2 strength the kept weights were fitted with. */
	lambda: number;
	/** Whether the text-only variant won on validation (length features left at zero). */
	textOnly: boolean;
	history: TrainProgress[];
	trainMs: number;
}

export class TrainingCancelled extends Error {
	override name = 'AbortError';
	constructor() {
		super('Training was cancelled');
	}
}

/** Training labels mapped onto a compact feature space (only the features they touch). */
interface Problem {
	/** Compact index of each feature, -1 when unused. */
	compactOf: Int32Array;
	/** Feature index of each compact slot. */
	featureOf: Uint32Array;
	/** Vectors, in compact indices, of the items some label uses; labels point into this list. */
	items: SparseVector[];
	points: { item: number; label: number; weight: number }[];
	pairs: { chosen: number; rejected: number; weight: number }[];
	totalWeight: number;
	/** L2 multiplier of each compact slot: 1 for hashed n-grams, less for the dense block. */
	penalty: Float64Array;
	/** Compact slots of the dense block (held at zero when fitting the text-only variant). */
	denseSlots: Uint32Array;
	/** Whether the dense block is held at zero in the current fit. */
	freezeDense: boolean;
}

function buildProblem(
	data: PrefDataset,
	vectors: readonly SparseVector[],
	labels: LabelIndex,
	config: FeatureConfig,
	pairWeight: number
): Problem {
	const dim = featureDim(config);
	const local = new Map<number, number>();
	const localOf = (item: number) => {
		let index = local.get(item);
		if (index === undefined) {
			index = local.size;
			local.set(item, index);
		}
		return index;
	};
	const points = labels.points.map((i) => {
		const p = data.points[i];
		return { item: localOf(p.item), label: p.label, weight: p.weight ?? 1 };
	});
	const pairs = labels.pairs.map((i) => {
		const p = data.pairs[i];
		return {
			chosen: localOf(p.chosen),
			rejected: localOf(p.rejected),
			weight: (p.weight ?? 1) * pairWeight
		};
	});
	// Features seen in fewer than MIN_ITEMS training items are left out: a weight learned from
	// one output alone cannot generalise, and dropping them shrinks the working set several-fold.
	const dense = denseOffset(config);
	const seenIn = new Uint8Array(dim);
	for (const item of local.keys()) {
		const { indices } = vectors[item];
		for (let k = 0; k < indices.length; k++) if (seenIn[indices[k]] < 255) seenIn[indices[k]]++;
	}
	const compactOf = new Int32Array(dim).fill(-1);
	const featureOf: number[] = [];
	const items: SparseVector[] = [];
	for (const item of local.keys()) {
		const vector = vectors[item];
		const indices: number[] = [];
		const values: number[] = [];
		for (let k = 0; k < vector.indices.length; k++) {
			const feature = vector.indices[k];
			if (feature < dense && seenIn[feature] < MIN_ITEMS) continue;
			let slot = compactOf[feature];
			if (slot < 0) {
				slot = featureOf.length;
				compactOf[feature] = slot;
				featureOf.push(feature);
			}
			indices.push(slot);
			values.push(vector.values[k]);
		}
		items.push({ indices: Uint32Array.from(indices), values: Float32Array.from(values) });
	}
	let totalWeight = 0;
	for (const p of points) totalWeight += p.weight;
	for (const p of pairs) totalWeight += p.weight;
	const penalty = new Float64Array(featureOf.length);
	const denseSlots: number[] = [];
	featureOf.forEach((feature, slot) => {
		penalty[slot] = feature >= dense ? DENSE_PENALTY : 1;
		if (feature >= dense) denseSlots.push(slot);
	});
	return {
		compactOf,
		featureOf: Uint32Array.from(featureOf),
		items,
		points,
		pairs,
		totalWeight,
		penalty,
		denseSlots: Uint32Array.from(denseSlots),
		freezeDense: false
	};
}

function sparseDot(w: Float64Array, x: SparseVector): number {
	let sum = 0;
	for (let k = 0; k < x.indices.length; k++) sum += w[x.indices[k]] * x.values[k];
	return sum;
}

/**
 * Objective and gradient at `w` (the last slot is the bias). Scores are computed once per item
 * and gradients accumulated per item, so an item in many pairs costs one sparse pass.
 */
function evaluate(problem: Problem, w: Float64Array, lambda: number, grad: Float64Array): number {
	const bias = w[w.length - 1];
	const items = problem.items;
	const scores = new Float64Array(items.length);
	for (let i = 0; i < items.length; i++) scores[i] = sparseDot(w, items[i]);
	const coef = new Float64Array(items.length);
	const norm = problem.totalWeight > 0 ? 1 / problem.totalWeight : 0;
	let loss = 0;
	let gradBias = 0;
	for (const p of problem.points) {
		const z = scores[p.item] + bias;
		loss += p.weight * (p.label === 1 ? softplusNeg(z) : softplusNeg(-z));
		const c = p.weight * (sigmoid(z) - p.label) * norm;
		coef[p.item] += c;
		gradBias += c;
	}
	for (const p of problem.pairs) {
		const m = scores[p.chosen] - scores[p.rejected];
		loss += p.weight * softplusNeg(m);
		const c = p.weight * sigmoid(-m) * norm;
		coef[p.chosen] -= c;
		coef[p.rejected] += c;
	}
	grad.fill(0);
	for (let i = 0; i < items.length; i++) {
		const c = coef[i];
		if (c === 0) continue;
		const x = items[i];
		for (let k = 0; k < x.indices.length; k++) grad[x.indices[k]] += c * x.values[k];
	}
	let reg = 0;
	const last = w.length - 1;
	const penalty = problem.penalty;
	for (let i = 0; i < last; i++) {
		reg += penalty[i] * w[i] * w[i];
		grad[i] += lambda * penalty[i] * w[i];
	}
	grad[last] = gradBias;
	if (problem.freezeDense) for (const slot of problem.denseSlots) grad[slot] = 0;
	return loss * norm + 0.5 * lambda * reg;
}

/** Mean loss of held-out labels under full-size weights (no L2 term). */
export function labelLoss(
	data: PrefDataset,
	vectors: readonly SparseVector[],
	labels: LabelIndex,
	weights: Float32Array | Float64Array,
	bias: number,
	pairWeight = 1
): number {
	const score = (item: number) => fullDot(weights, vectors[item]);
	let loss = 0;
	let total = 0;
	for (const i of labels.points) {
		const p = data.points[i];
		const z = score(p.item) + bias;
		const w = p.weight ?? 1;
		loss += w * (p.label === 1 ? softplusNeg(z) : softplusNeg(-z));
		total += w;
	}
	for (const i of labels.pairs) {
		const p = data.pairs[i];
		const w = (p.weight ?? 1) * pairWeight;
		loss += w * softplusNeg(score(p.chosen) - score(p.rejected));
		total += w;
	}
	return total > 0 ? loss / total : 0;
}

export function fullDot(weights: Float32Array | Float64Array, x: SparseVector): number {
	let sum = 0;
	for (let k = 0; k < x.indices.length; k++) sum += weights[x.indices[k]] * x.values[k];
	return sum;
}

/** Expands compact weights (bias last) to the full feature space. */
function expand(problem: Problem, w: Float64Array, dim: number): Float32Array {
	const full = new Float32Array(dim);
	for (let slot = 0; slot < problem.featureOf.length; slot++)
		full[problem.featureOf[slot]] = w[slot];
	return full;
}

const HISTORY = 6;
/** A hashed feature must occur in this many training items to get a weight. */
const MIN_ITEMS = 2;
/** The dense block's L2 multiplier: a dozen standardised features cannot overfit, so they are
 * barely shrunk and length-like signals keep their full weight next to thousands of n-grams. */
const DENSE_PENALTY = 0.01;
/** The regularisation path: λ from strong to weak, each solve warm-started from the last. */
export const L2_PATH = [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001];
/** L-BFGS iterations per λ at most, and the gradient size that counts as converged. */
const MAX_ITERATIONS = 30;
/** Relative decrease of the objective below which an iteration counts as no progress. */
const RELATIVE_TOLERANCE = 1e-5;
const GRADIENT_TOLERANCE = 1e-5;

interface Minimizer {
	problem: Problem;
	lambda: number;
	signal?: AbortSignal;
	onIteration: (loss: number, evaluations: number) => Promise<void>;
}

/** Minimises the objective at one λ with L-BFGS (Armijo backtracking), from `w` in place. */
async function minimize(
	w: Float64Array,
	{ problem, lambda, signal, onIteration }: Minimizer
): Promise<void> {
	const n = w.length;
	let g = new Float64Array(n);
	let f = evaluate(problem, w, lambda, g);
	const s: Float64Array[] = [];
	const y: Float64Array[] = [];
	const rho: number[] = [];
	const direction = new Float64Array(n);
	const alpha = new Float64Array(HISTORY);
	const wNext = new Float64Array(n);
	for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
		if (signal?.aborted) throw new TrainingCancelled();
		let gMax = 0;
		for (let i = 0; i < n; i++) gMax = Math.max(gMax, Math.abs(g[i]));
		if (gMax < GRADIENT_TOLERANCE) break;
		// Two-loop recursion: direction = −H·g.
		direction.set(g);
		for (let i = s.length - 1; i >= 0; i--) {
			alpha[i] = rho[i] * dot(s[i], direction);
			axpy(-alpha[i], y[i], direction);
		}
		const last = s.length - 1;
		const gamma =
			last >= 0
				? dot(s[last], y[last]) / dot(y[last], y[last])
				: 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
		for (let i = 0; i < n; i++) direction[i] *= gamma;
		for (let i = 0; i < s.length; i++) {
			const beta = rho[i] * dot(y[i], direction);
			axpy(alpha[i] - beta, s[i], direction);
		}
		for (let i = 0; i < n; i++) direction[i] = -direction[i];
		let slope = dot(g, direction);
		if (slope >= 0) {
			// Not a descent direction (numerical trouble): restart from steepest descent.
			s.length = y.length = rho.length = 0;
			for (let i = 0; i < n; i++) direction[i] = -g[i];
			slope = -dot(g, g);
		}
		let step = 1;
		const gNext = new Float64Array(n);
		let fNext = f;
		let evaluations = 0;
		for (let tries = 0; tries < 30; tries++) {
			for (let i = 0; i < n; i++) wNext[i] = w[i] + step * direction[i];
			fNext = evaluate(problem, wNext, lambda, gNext);
			evaluations++;
			if (fNext <= f + 1e-4 * step * slope) break;
			step *= 0.5;
		}
		const sk = new Float64Array(n);
		const yk = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			sk[i] = wNext[i] - w[i];
			yk[i] = gNext[i] - g[i];
		}
		const sy = dot(sk, yk);
		if (sy > 1e-12) {
			if (s.length === HISTORY) {
				s.shift();
				y.shift();
				rho.shift();
			}
			s.push(sk);
			y.push(yk);
			rho.push(1 / sy);
		}
		const improvement = f - fNext;
		w.set(wNext);
		g = gNext;
		f = fNext;
		await onIteration(f, evaluations);
		if (improvement <= RELATIVE_TOLERANCE * Math.max(1e-3, Math.abs(f))) break;
	}
}

/**
 * Trains a model on `labels`. `vectors` are the items' features with the dense block already
 * scaled by `denseScale` (stored in the model so scoring applies the same).
 *
 * With a validation split, λ walks down `L2_PATH` (warm starts) and the weights with the best
 * validation loss are kept; the walk stops after `patience` steps without improvement. This is
 * early stopping along the regularisation path: every candidate is a converged optimum, so the
 * choice does not depend on where an optimiser happened to be after k iterations.
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
	const problem = buildProblem(data, vectors, labels, config, pairWeight);
	const rows = labels.points.length + labels.pairs.length;
	const validation = options.validation;
	const hasValidation =
		validation !== undefined && validation.points.length + validation.pairs.length > 0;
	const lambdas =
		options.l2 !== undefined
			? [options.l2]
			: hasValidation
				? L2_PATH
				: [1 / Math.max(1, problem.totalWeight)];
	// Two variants when there is a validation split: n-grams with the length block, and n-grams
	// alone. Length is most of the signal in some data (Open Assistant rankings) and misleads in
	// other data (Orca DPO pairs, where n-grams alone are right 98% of the time); the validation
	// split decides which this user's labels are like.
	const variants =
		hasValidation && config.relative && problem.denseSlots.length > 0 ? [false, true] : [false];
	const maxEpochs = options.maxEpochs ?? variants.length * lambdas.length * MAX_ITERATIONS;
	const patience = options.patience ?? 2;
	const yieldEvery = options.yieldEvery ?? 1;

	interface Candidate {
		w: Float64Array;
		lambda: number;
		epoch: number;
		mean: number;
		se: number;
		textOnly: boolean;
	}
	const chosenPerVariant: Candidate[] = [];
	const history: TrainProgress[] = [];
	let epoch = 0;
	let evaluations = 0;

	for (const textOnly of variants) {
		problem.freezeDense = textOnly;
		const w = new Float64Array(problem.featureOf.length + 1);
		const candidates: Candidate[] = [];
		let bestMean = Number.POSITIVE_INFINITY;
		let sinceBest = 0;
		for (let step = 0; step < lambdas.length && epoch < maxEpochs; step++) {
			const lambda = lambdas[step];
			await minimize(w, {
				problem,
				lambda,
				signal: options.signal,
				onIteration: async (loss, used) => {
					epoch++;
					evaluations += used;
					const elapsedMs = performance.now() - started;
					const progress: TrainProgress = {
						epoch,
						maxEpochs,
						loss,
						validationLoss: null,
						rowsPerSecond: (rows * evaluations) / Math.max(1e-3, elapsedMs / 1000),
						elapsedMs,
						lambda
					};
					history.push(progress);
					options.onProgress?.(progress);
					if (yieldEvery > 0 && epoch % yieldEvery === 0)
						await new Promise((r) => setTimeout(r, 0));
				}
			});
			const held = hasValidation
				? compactValidationLoss(problem, data, vectors, validation, w, pairWeight)
				: { mean: 0, se: 0 };
			if (hasValidation && history.length > 0)
				history[history.length - 1].validationLoss = held.mean;
			candidates.push({ w: Float64Array.from(w), lambda, epoch, textOnly, ...held });
			if (held.mean < bestMean - 1e-9) {
				bestMean = held.mean;
				sinceBest = 0;
			} else if (++sinceBest >= patience) break;
		}
		if (candidates.length === 0) continue;
		// One-standard-error rule: the most regularised candidate whose validation loss is within
		// one standard error of the best. Small validation splits are noisy, and the simpler model
		// generalises better when the data cannot tell the two apart.
		const best = candidates.reduce((a, b) => (b.mean < a.mean ? b : a));
		chosenPerVariant.push(candidates.find((c) => c.mean <= best.mean + best.se) ?? best);
	}
	// The text-only variant must win clearly (by more than a standard error) to drop length.
	const [withLength, textOnly] = chosenPerVariant;
	const chosen = textOnly && textOnly.mean + textOnly.se < withLength.mean ? textOnly : withLength;
	problem.freezeDense = false;
	const best = chosen.w;
	const bestEpoch = chosen.epoch;
	const bestLambda = chosen.lambda;
	if (options.signal?.aborted) throw new TrainingCancelled();

	const weights = expand(problem, best, dim);
	const bias = best[best.length - 1];
	let calibration = IDENTITY_CALIBRATION;
	if (hasValidation) {
		const pointScores = validation.points.map(
			(i) => fullDot(weights, vectors[data.points[i].item]) + bias
		);
		const pointLabels = validation.points.map((i) => data.points[i].label);
		const margins = validation.pairs.map((i) => {
			const p = data.pairs[i];
			return fullDot(weights, vectors[p.chosen]) - fullDot(weights, vectors[p.rejected]);
		});
		const point = fitPointCalibration(pointScores, pointLabels);
		calibration = {
			pointA: point?.a ?? 1,
			pointB: point?.b ?? 0,
			points: point !== null,
			pairA: fitPairCalibration(margins) ?? 1
		};
	}
	calibration = { ...calibration, points: calibration.points || labels.points.length > 0 };
	return {
		model: { features: config, weights, bias, denseScale, calibration },
		epochs: epoch,
		bestEpoch,
		lambda: bestLambda,
		textOnly: chosen.textOnly,
		history,
		trainMs: performance.now() - started
	};
}

function compactValidationLoss(
	problem: Problem,
	data: PrefDataset,
	vectors: readonly SparseVector[],
	labels: LabelIndex,
	w: Float64Array,
	pairWeight: number
): { mean: number; se: number } {
	const bias = w[w.length - 1];
	const score = (item: number) => {
		const x = vectors[item];
		let sum = 0;
		for (let k = 0; k < x.indices.length; k++) {
			const slot = problem.compactOf[x.indices[k]];
			if (slot >= 0) sum += w[slot] * x.values[k];
		}
		return sum;
	};
	let loss = 0;
	let lossSq = 0;
	let total = 0;
	const add = (weight: number, value: number) => {
		loss += weight * value;
		lossSq += weight * value * value;
		total += weight;
	};
	for (const i of labels.points) {
		const p = data.points[i];
		const z = score(p.item) + bias;
		add(p.weight ?? 1, p.label === 1 ? softplusNeg(z) : softplusNeg(-z));
	}
	for (const i of labels.pairs) {
		const p = data.pairs[i];
		add((p.weight ?? 1) * pairWeight, softplusNeg(score(p.chosen) - score(p.rejected)));
	}
	if (total === 0) return { mean: 0, se: 0 };
	const mean = loss / total;
	const variance = Math.max(0, lossSq / total - mean * mean);
	const count = labels.points.length + labels.pairs.length;
	return { mean, se: Math.sqrt(variance / Math.max(1, count)) };
}
