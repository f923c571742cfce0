/**
 * Each round's own ratio, next to the ratio of the best times a benchmark reports: on a shared
 * machine the speed drifts between rounds, so the best times can pair a quick round of one part
 * with a slow round of the other. The line shows how much a single figure can be trusted.
 */
export function pairedRatiosLine(label: string, ratios: readonly number[]): string[] {
	if (ratios.length < 2) return [];
	const sorted = [...ratios].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return [`${label} ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median.toFixed(2)})`];
}
