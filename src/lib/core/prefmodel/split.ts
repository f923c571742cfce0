/**
 * Splits that respect groups: every label about the same input lands on the same side, so a
 * model is never tested on an answer whose siblings (often near-copies) it trained on.
 */
import { mulberry32 } from '../random';
import type { PrefDataset } from './types';

export interface LabelIndex {
	points: number[];
	pairs: number[];
}

/** The groups of a dataset in a seeded random order. */
export function shuffledGroups(data: PrefDataset, seed: number): string[] {
	const groups = new Set<string>();
	for (const point of data.points) groups.add(point.group);
	for (const pair of data.pairs) groups.add(pair.group);
	const list = [...groups].sort();
	const rng = mulberry32(seed);
	for (let i = list.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[list[i], list[j]] = [list[j], list[i]];
	}
	return list;
}

/**
 * Assigns groups to k folds so that folds hold about the same number of labels (greedy: each
 * group, in seeded random order, goes to the fold with the fewest labels so far).
 */
export function groupFolds(data: PrefDataset, k: number, seed: number): Map<string, number> {
	const sizes = new Map<string, number>();
	for (const point of data.points) sizes.set(point.group, (sizes.get(point.group) ?? 0) + 1);
	for (const pair of data.pairs) sizes.set(pair.group, (sizes.get(pair.group) ?? 0) + 1);
	const load = new Array<number>(k).fill(0);
	const fold = new Map<string, number>();
	for (const group of shuffledGroups(data, seed)) {
		let best = 0;
		for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
		fold.set(group, best);
		load[best] += sizes.get(group) ?? 0;
	}
	return fold;
}

/** Labels whose group satisfies `keep`. */
export function selectLabels(data: PrefDataset, keep: (group: string) => boolean): LabelIndex {
	const points: number[] = [];
	const pairs: number[] = [];
	data.points.forEach((point, i) => keep(point.group) && points.push(i));
	data.pairs.forEach((pair, i) => keep(pair.group) && pairs.push(i));
	return { points, pairs };
}

/** How many of `labels` (points and pairs) each group holds. */
function groupSizes(data: PrefDataset, labels: LabelIndex): Map<string, number> {
	const sizes = new Map<string, number>();
	const count = (group: string) => sizes.set(group, (sizes.get(group) ?? 0) + 1);
	for (const i of labels.points) count(data.points[i].group);
	for (const i of labels.pairs) count(data.pairs[i].group);
	return sizes;
}

/** Splits labels into two parts, about `fraction` of the labels (by group) in the second. */
export function splitByGroup(
	data: PrefDataset,
	labels: LabelIndex,
	fraction: number,
	seed: number
): [LabelIndex, LabelIndex] {
	const sizes = groupSizes(data, labels);
	const total = labels.points.length + labels.pairs.length;
	const target = Math.round(total * fraction);
	const held = new Set<string>();
	let taken = 0;
	const order = shuffledGroups(data, seed).filter((g) => sizes.has(g));
	for (const group of order) {
		if (taken >= target) break;
		held.add(group);
		taken += sizes.get(group) ?? 0;
	}
	const first: LabelIndex = { points: [], pairs: [] };
	const second: LabelIndex = { points: [], pairs: [] };
	for (const i of labels.points) (held.has(data.points[i].group) ? second : first).points.push(i);
	for (const i of labels.pairs) (held.has(data.pairs[i].group) ? second : first).pairs.push(i);
	return [first, second];
}

/**
 * k folds of `labels` by group, balanced by label count like `groupFolds`: for each fold, the
 * labels to fit on and the labels held out. Empty when the labels span fewer than k groups.
 */
export function groupFoldsOf(
	data: PrefDataset,
	labels: LabelIndex,
	k: number,
	seed: number
): [LabelIndex, LabelIndex][] {
	const sizes = groupSizes(data, labels);
	if (k < 2 || sizes.size < k) return [];
	const load = new Array<number>(k).fill(0);
	const foldOf = new Map<string, number>();
	for (const group of shuffledGroups(data, seed)) {
		const size = sizes.get(group);
		if (size === undefined) continue;
		let best = 0;
		for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
		foldOf.set(group, best);
		load[best] += size;
	}
	return Array.from({ length: k }, (_, fold): [LabelIndex, LabelIndex] => {
		const fit: LabelIndex = { points: [], pairs: [] };
		const held: LabelIndex = { points: [], pairs: [] };
		for (const i of labels.points)
			(foldOf.get(data.points[i].group) === fold ? held : fit).points.push(i);
		for (const i of labels.pairs)
			(foldOf.get(data.pairs[i].group) === fold ? held : fit).pairs.push(i);
		return [fit, held];
	});
}
