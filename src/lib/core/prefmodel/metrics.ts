/**
 * Held-out figures the Model page and the CLI report: AUC for thumbs, pairwise accuracy for
 * pairs, log loss, Brier score and reliability bins (the calibration plot's data).
 */

/**
 * Area under the ROC curve by the rank-sum (Mann–Whitney) statistic; tied scores count one half,
 * so a constant scorer gets exactly 0.5. Null when one class is missing.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
	const order = scores
		.map((score, i) => ({ score, label: labels[i] }))
		.sort((a, b) => a.score - b.score);
	let positives = 0;
	let negatives = 0;
	let rankSum = 0;
	let i = 0;
	while (i < order.length) {
		let j = i;
		while (j + 1 < order.length && order[j + 1].score === order[i].score) j++;
		const midRank = (i + j) / 2 + 1;
		for (let k = i; k <= j; k++) {
			if (order[k].label === 1) {
				positives++;
				rankSum += midRank;
			} else negatives++;
		}
		i = j + 1;
	}
	if (positives === 0 || negatives === 0) return null;
	return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Share of pairs whose chosen answer scores higher (margin > 0); a tie counts one half. */
export function pairwiseAccuracy(margins: readonly number[]): number | null {
	if (margins.length === 0) return null;
	let right = 0;
	for (const m of margins) right += m > 0 ? 1 : m === 0 ? 0.5 : 0;
	return right / margins.length;
}

/** Share of labels a threshold of 0.5 gets right. */
export function accuracy(
	probabilities: readonly number[],
	labels: readonly number[]
): number | null {
	if (probabilities.length === 0) return null;
	let right = 0;
	probabilities.forEach((p, i) => (right += (p >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0));
	return right / probabilities.length;
}

const EPS = 1e-12;

export function logLoss(
	probabilities: readonly number[],
	labels: readonly number[]
): number | null {
	if (probabilities.length === 0) return null;
	let sum = 0;
	probabilities.forEach((p, i) => {
		const q = Math.min(1 - EPS, Math.max(EPS, p));
		sum -= labels[i] === 1 ? Math.log(q) : Math.log(1 - q);
	});
	return sum / probabilities.length;
}

export function brier(probabilities: readonly number[], labels: readonly number[]): number | null {
	if (probabilities.length === 0) return null;
	let sum = 0;
	probabilities.forEach((p, i) => (sum += (p - labels[i]) ** 2));
	return sum / probabilities.length;
}

export interface ReliabilityBin {
	lo: number;
	hi: number;
	count: number;
	/** Mean predicted probability in the bin (null when empty). */
	meanPredicted: number | null;
	/** Share of positives in the bin (null when empty). */
	observed: number | null;
}

/** Equal-width probability bins: predicted vs observed, the calibration plot's points. */
export function reliabilityBins(
	probabilities: readonly number[],
	labels: readonly number[],
	bins = 10
): ReliabilityBin[] {
	const sums = new Array<number>(bins).fill(0);
	const positives = new Array<number>(bins).fill(0);
	const counts = new Array<number>(bins).fill(0);
	probabilities.forEach((p, i) => {
		const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
		sums[bin] += p;
		positives[bin] += labels[i] === 1 ? 1 : 0;
		counts[bin]++;
	});
	return counts.map((count, bin) => ({
		lo: bin / bins,
		hi: (bin + 1) / bins,
		count,
		meanPredicted: count > 0 ? sums[bin] / count : null,
		observed: count > 0 ? positives[bin] / count : null
	}));
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number | null {
	const total = bins.reduce((sum, bin) => sum + bin.count, 0);
	if (total === 0) return null;
	let sum = 0;
	for (const bin of bins)
		if (bin.count > 0)
			sum += (bin.count / total) * Math.abs((bin.meanPredicted ?? 0) - (bin.observed ?? 0));
	return sum;
}
