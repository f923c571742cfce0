/**
 * Probability calibration (Platt scaling): a raw linear score is rarely a good probability once
 * L2 and early stopping have shrunk it, so a one-dimensional logistic fit on held-out scores maps
 * it to one. Fitted with Newton's method; a tiny ridge keeps it finite on separable data.
 */
import { sigmoid, softplusNeg } from './math';
import type { Calibration, LinearModel } from './types';

export const IDENTITY_CALIBRATION: Calibration = { pointA: 1, pointB: 0, pairA: 1, points: false };

const RIDGE = 1e-2;
/** Fewer held-out labels than this: calibration would be noise, keep the raw scores. */
export const MIN_CALIBRATION_LABELS = 10;

/** Fits P(1 | z) = σ(a·z + b) on held-out scores; null with too few labels or one class. */
export function fitPointCalibration(
	scores: readonly number[],
	labels: readonly number[]
): { a: number; b: number } | null {
	const positives = labels.filter((label) => label === 1).length;
	if (scores.length < MIN_CALIBRATION_LABELS || positives === 0 || positives === labels.length)
		return null;
	// Platt's smoothed targets keep a separable validation set from pushing a to infinity.
	const hi = (positives + 1) / (positives + 2);
	const lo = 1 / (labels.length - positives + 2);
	const targets = labels.map((label) => (label === 1 ? hi : lo));
	// Damped Newton: a step is halved until the objective goes down, so nearly separable scores
	// (a flat likelihood, a near-singular Hessian) cannot throw the fit off to huge values.
	const objective = (a: number, b: number) => {
		let sum = 0.5 * RIDGE * ((a - 1) ** 2 + b * b);
		for (let i = 0; i < scores.length; i++) {
			const z = a * scores[i] + b;
			sum += targets[i] * softplusNeg(z) + (1 - targets[i]) * softplusNeg(-z);
		}
		return sum;
	};
	let a = 1;
	let b = 0;
	let current = objective(a, b);
	for (let iteration = 0; iteration < 100; iteration++) {
		let gA = RIDGE * (a - 1);
		let gB = RIDGE * b;
		let hAA = RIDGE;
		let hAB = 0;
		let hBB = RIDGE;
		for (let i = 0; i < scores.length; i++) {
			const p = sigmoid(a * scores[i] + b);
			const d = p - targets[i];
			const v = p * (1 - p);
			gA += d * scores[i];
			gB += d;
			hAA += v * scores[i] * scores[i];
			hAB += v * scores[i];
			hBB += v;
		}
		const det = hAA * hBB - hAB * hAB;
		if (!(Math.abs(det) > 1e-15)) break;
		const dA = (hBB * gA - hAB * gB) / det;
		const dB = (hAA * gB - hAB * gA) / det;
		let step = 1;
		let next = objective(a - dA, b - dB);
		while (next > current && step > 1e-6) {
			step /= 2;
			next = objective(a - step * dA, b - step * dB);
		}
		if (next > current) break;
		a -= step * dA;
		b -= step * dB;
		const gain = current - next;
		current = next;
		if (gain < 1e-10) break;
	}
	return Number.isFinite(a) && Number.isFinite(b) ? { a, b } : null;
}

/**
 * Fits P(chosen wins) = σ(a·m) on held-out margins m (no intercept: swapping the two answers
 * must give 1 − p). Null with too few pairs.
 */
export function fitPairCalibration(margins: readonly number[]): number | null {
	if (margins.length < MIN_CALIBRATION_LABELS) return null;
	let a = 1;
	for (let iteration = 0; iteration < 50; iteration++) {
		let grad = RIDGE * (a - 1);
		let hess = RIDGE;
		for (const m of margins) {
			const p = sigmoid(a * m);
			grad += (p - 1) * m;
			hess += p * (1 - p) * m * m;
		}
		const delta = grad / hess;
		a -= delta;
		if (Math.abs(delta) < 1e-9) break;
	}
	return Number.isFinite(a) ? Math.min(100, Math.max(0, a)) : null;
}

/** P(👍) of a raw score under a model's calibration. */
export function calibratedPoint(model: Pick<LinearModel, 'calibration'>, z: number): number {
	return sigmoid(model.calibration.pointA * z + model.calibration.pointB);
}

/** P(first wins) from two raw scores (bias cancels). */
export function calibratedPair(
	model: Pick<LinearModel, 'calibration'>,
	zA: number,
	zB: number
): number {
	return sigmoid(model.calibration.pairA * (zA - zB));
}
