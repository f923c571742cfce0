/**
 * Datasets as stored: a dataset is a log filter plus build rules; a version is an immutable,
 * numbered snapshot of what the rules selected (log ids, their split, and the preference pairs
 * found among the filtered logs), so an export made from it can always be made again.
 */
import type { LogFilter } from '../types';

export interface DatasetRules {
	includeUp: boolean;
	/** 👎 logs (and unjudged ones) enter only through their correction, which replaces the output. */
	includeDownViaCorrection: boolean;
	includeUnjudged: boolean;
	dedupe: 'none' | 'exact' | 'normalized';
	systemPrompt?: string;
	/** Percent of examples (by input) held out for validation, 0–50. */
	validationPercent: number;
	seed: number;
}

export function defaultRules(): DatasetRules {
	return {
		includeUp: true,
		includeDownViaCorrection: true,
		includeUnjudged: false,
		dedupe: 'normalized',
		validationPercent: 10,
		seed: 1
	};
}

/** Which message of a log a pair side uses: the log's output, or the user's correction of it. */
export interface PairSide {
	logId: string;
	use: 'output' | 'correction';
}

export type PairSource = 'correction' | 'thumbs' | 'pairwise';

/** One preference pair: the preferred reply over the other, for the same input. */
export interface PreferencePair {
	preferred: PairSide;
	rejected: PairSide;
	source: PairSource;
}

export interface DatasetRecord {
	id: string;
	projectId: string;
	name: string;
	createdAt: number;
	filter: LogFilter;
	rules: DatasetRules;
}

export interface BuildCounts {
	/** Logs the filter selected. */
	candidates: number;
	up: number;
	/** 👎 (or unjudged) logs that enter through their correction. */
	corrected: number;
	unjudged: number;
	/** Logs the rules left out (👎 without correction, unjudged when not included, 👍 when not). */
	excluded: number;
	duplicates: number;
	train: number;
	validation: number;
	pairs: { correction: number; thumbs: number; pairwise: number };
}

export interface DatasetVersionRecord {
	id: string;
	datasetId: string;
	projectId: string;
	/** 1, 2, 3… per dataset. */
	number: number;
	createdAt: number;
	rules: DatasetRules;
	filter: LogFilter;
	/** SFT examples by log id (the log's correction, if any, replaces its output). */
	train: string[];
	validation: string[];
	/** Preference pairs, split as their input is. */
	pairs: { train: PreferencePair[]; validation: PreferencePair[] };
	counts: BuildCounts;
	/** Set when this version was made by a one-click fix of another. */
	fixedFrom?: { versionId: string; fix: string; dropped: number };
}
