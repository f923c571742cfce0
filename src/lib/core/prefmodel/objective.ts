/**
 * The training objective and its solver, shared by every fit the learner makes (inner
 * cross-validation folds and the final fit): labels mapped onto a compact feature space, the
 * mean logistic + Bradley–Terry loss with per-block L2, and L-BFGS over it.
 *
 * - Pointwise (👍/👎): logistic loss on z = w·x + b.
 * - Pairs (A preferred over B, same input): Bradley–Terry loss on w·x_A − w·x_B, so pairs shape
 *   the same weights that score single outputs.
 */
import { axpy, dot, sigmoid, softplusNeg } from './math';
import { denseOffset, featureDim, type FeatureConfig, type SparseVector } from './features';
import type { LabelIndex } from './split';
import type { PrefDataset } from './types';

/**
 * Which feature blocks a fit uses: the content blocks (hashed n-grams and any embeddings) or the
 * dense block (length features of the output and against its input).
 */
export type Blocks = 'content' | 'dense';

/** Training labels mapped onto a compact feature space (only the features they touch). */
export interface Problem {
	/** Compact index of each feature, -1 when unused. */
	compactOf: Int32Array;
	/** Feature index of each compact slot. */
	featureOf: Uint32Array;
	/** Vectors, in compact indices, of the items some label uses; labels point into this list. */
	items: SparseVector[];
	/** The dataset item of each entry of `items`. */
	itemOf: Uint32Array;
	points: { item: number; label: number; weight: number }[];
	pairs: { chosen: number; rejected: number; weight: number }[];
	totalWeight: number;
	/**
	 * A fixed score added to each item's (another model's score, when this fit learns the
	 * residual on top of it), or null.
	 */
	offsets: Float64Array | null;
}

/** A hashed feature must occur in this many training items to get a weight. */
const MIN_ITEMS = 2;

export function buildProblem(
	data: PrefDataset,
	vectors: readonly SparseVector[],
	labels: LabelIndex,
	config: FeatureConfig,
	blocks: Blocks,
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
	const keep = (feature: number) =>
		feature >= dense ? blocks === 'dense' : blocks === 'content' && seenIn[feature] >= MIN_ITEMS;
	const compactOf = new Int32Array(dim).fill(-1);
	const featureOf: number[] = [];
	const items: SparseVector[] = [];
	for (const item of local.keys()) {
		const vector = vectors[item];
		const indices: number[] = [];
		const values: number[] = [];
		for (let k = 0; k < vector.indices.length; k++) {
			const feature = vector.indices[k];
			if (!keep(feature)) continue;
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
	return {
		compactOf,
		featureOf: Uint32Array.from(featureOf),
		items,
		itemOf: Uint32Array.from(local.keys()),
		points,
		pairs,
		totalWeight,
		offsets: null
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
function objective(problem: Problem, w: Float64Array, lambda: number, grad: Float64Array): number {
	const bias = w[w.length - 1];
	const items = problem.items;
	const scores = new Float64Array(items.length);
	for (let i = 0; i < items.length; i++) scores[i] = sparseDot(w, items[i]);
	if (problem.offsets) for (let i = 0; i < items.length; i++) scores[i] += problem.offsets[i];
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
	for (let i = 0; i < last; i++) {
		reg += w[i] * w[i];
		grad[i] += lambda * w[i];
	}
	grad[last] = gradBias;
	return loss * norm + 0.5 * lambda * reg;
}

export class TrainingCancelled extends Error {
	override name = 'AbortError';
	constructor() {
		super('Training was cancelled');
	}
}

const HISTORY = 6;
/** L-BFGS iterations per λ at most. */
export const MAX_ITERATIONS = 30;
/** Relative decrease of the objective below which an iteration counts as no progress. */
const RELATIVE_TOLERANCE = 1e-5;
const GRADIENT_TOLERANCE = 1e-5;

export interface Minimizer {
	problem: Problem;
	lambda: number;
	signal?: AbortSignal;
	/** Called after every iteration (one "epoch": a pass over the labels, or a few). */
	onIteration: (loss: number, evaluations: number) => Promise<void>;
}

/**
 * Minimises the objective at one λ with L-BFGS (Armijo backtracking), from `w` in place. The
 * correction pairs live in a ring of preallocated arrays: at tens of thousands of features a
 * fresh allocation per iteration would cost more than the arithmetic.
 */
export async function minimize(
	w: Float64Array,
	{ problem, lambda, signal, onIteration }: Minimizer
): Promise<void> {
	const n = w.length;
	let g = new Float64Array(n);
	let gNext = new Float64Array(n);
	let f = objective(problem, w, lambda, g);
	const s = Array.from({ length: HISTORY }, () => new Float64Array(n));
	const y = Array.from({ length: HISTORY }, () => new Float64Array(n));
	const rho = new Float64Array(HISTORY);
	/** Ring order: `order[0]` is the oldest stored pair. */
	const order: number[] = [];
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
		for (let k = order.length - 1; k >= 0; k--) {
			const j = order[k];
			alpha[j] = rho[j] * dot(s[j], direction);
			axpy(-alpha[j], y[j], direction);
		}
		const newest = order.length > 0 ? order[order.length - 1] : -1;
		const gamma =
			newest >= 0
				? dot(s[newest], y[newest]) / dot(y[newest], y[newest])
				: 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
		for (let i = 0; i < n; i++) direction[i] *= gamma;
		for (const j of order) {
			const beta = rho[j] * dot(y[j], direction);
			axpy(alpha[j] - beta, s[j], direction);
		}
		for (let i = 0; i < n; i++) direction[i] = -direction[i];
		let slope = dot(g, direction);
		if (slope >= 0) {
			// Not a descent direction (numerical trouble): restart from steepest descent.
			order.length = 0;
			for (let i = 0; i < n; i++) direction[i] = -g[i];
			slope = -dot(g, g);
		}
		let step = 1;
		let fNext = f;
		let evaluations = 0;
		for (let tries = 0; tries < 30; tries++) {
			for (let i = 0; i < n; i++) wNext[i] = w[i] + step * direction[i];
			fNext = objective(problem, wNext, lambda, gNext);
			evaluations++;
			if (fNext <= f + 1e-4 * step * slope) break;
			step *= 0.5;
		}
		// A free slot of the ring, else the oldest pair's.
		let slot = 0;
		while (slot < HISTORY && order.includes(slot)) slot++;
		if (slot === HISTORY) slot = order.shift()!;
		const sk = s[slot];
		const yk = y[slot];
		let sy = 0;
		for (let i = 0; i < n; i++) {
			sk[i] = wNext[i] - w[i];
			yk[i] = gNext[i] - g[i];
			sy += sk[i] * yk[i];
		}
		if (sy > 1e-12) {
			rho[slot] = 1 / sy;
			order.push(slot);
		}
		const improvement = f - fNext;
		w.set(wNext);
		[g, gNext] = [gNext, g];
		f = fNext;
		await onIteration(f, evaluations);
		if (improvement <= RELATIVE_TOLERANCE * Math.max(1e-3, Math.abs(f))) break;
	}
}

/** Score of an item (full feature indices) under compact weights; unknown features count 0. */
export function compactScore(problem: Problem, w: Float64Array, x: SparseVector): number {
	let sum = 0;
	for (let k = 0; k < x.indices.length; k++) {
		const slot = problem.compactOf[x.indices[k]];
		if (slot >= 0) sum += w[slot] * x.values[k];
	}
	return sum;
}

/** Adds compact weights (bias last, not copied) into full-size weights. */
export function addExpanded(problem: Problem, w: Float64Array, full: Float32Array): void {
	for (let slot = 0; slot < problem.featureOf.length; slot++)
		full[problem.featureOf[slot]] += w[slot];
}
