/** Small numeric helpers shared by the learner, calibration and metrics. */

/** The logistic function, written so it never overflows. */
export function sigmoid(z: number): number {
	if (z >= 0) return 1 / (1 + Math.exp(-z));
	const e = Math.exp(z);
	return e / (1 + e);
}

/** log(1 + exp(−z)) without overflow: the logistic loss of a score z on a positive label. */
export function softplusNeg(z: number): number {
	return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}

export function dot(a: Float64Array, b: Float64Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
	return sum;
}

/** y += alpha · x */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
	for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}
