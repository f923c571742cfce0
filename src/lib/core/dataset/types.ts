/**
 * Datasets as stored: a dataset is a log filter plus build rules; a version is an immutable,
 * numbered snapshot of what the rules selected (log ids and their split), so an export made from
 * it can always be made again.
 */
import type { LogFilter } from '../types';

export interface DatasetRules {
	includeUp: boolean;
	/** 👎 logs enter only through their correction (the correction replaces the output). */
	includeDownViaCorrection: boolean;
	includeUnjudged: boolean;
	dedupe: 'none' | 'exact' | 'normalized';
	systemPrompt?: string;
	/** Percent of examples (by input) held out for validation, 0–50. */
	validationPercent: number;
	seed: number;
}

export interface DatasetRecord {
	id: string;
	projectId: string;
	name: string;
	createdAt: number;
	filter: LogFilter;
	rules: DatasetRules;
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
	train: string[];
	validation: string[];
	/** Set when this version was made by a one-click fix of another. */
	fixedFrom?: { versionId: string; fix: string };
}
