/**
 * Datasets and their versions. A version is written once and never changed: an export made from
 * it can always be made again, and a one-click fix makes a new version rather than editing one.
 * Loading a dataset's candidates (the filtered logs with their feedback state) and the logs of a
 * version for export both read in chunks, so 100,000 logs never sit in one request.
 */
import { deriveLogState } from '../core/feedback';
import type { Candidate } from '../core/dataset/build';
import type { BuildResult } from '../core/dataset/build';
import type { DatasetRecord, DatasetRules, DatasetVersionRecord } from '../core/dataset/types';
import type { ExportLog } from '../core/export/resolve';
import type { LogFilter, LogRecord } from '../core/types';
import { getDb, type StoredFeedbackEvent } from './db';
import { withStorageErrors } from './errors';
import { queryLogIds } from './log-query';

/** Logs read per step. */
export const CHUNK = 2000;

export interface LoadProgress {
	loaded: number;
	total: number;
}

export interface LoadOptions {
	signal?: AbortSignal;
	onProgress?: (progress: LoadProgress) => void;
}

export async function createDataset(
	projectId: string,
	name: string,
	filter: LogFilter,
	rules: DatasetRules
): Promise<DatasetRecord> {
	const dataset: DatasetRecord = {
		id: crypto.randomUUID(),
		projectId,
		name: name.trim() || 'Untitled dataset',
		createdAt: Date.now(),
		filter: { ...filter, projectId },
		rules: { ...rules }
	};
	await withStorageErrors(() => getDb().datasets.add(dataset));
	return dataset;
}

/** Changes a dataset's name, filter or rules (its versions keep what they were built with). */
export async function updateDataset(
	id: string,
	changes: Partial<Pick<DatasetRecord, 'name' | 'filter' | 'rules'>>
): Promise<void> {
	const updated = await withStorageErrors(() => getDb().datasets.update(id, changes));
	if (updated === 0) throw new Error(`No dataset ${id}`);
}

export async function listDatasets(projectId: string): Promise<DatasetRecord[]> {
	const rows = await getDb().datasets.where('projectId').equals(projectId).toArray();
	return rows.sort((a, b) => a.createdAt - b.createdAt);
}

export async function getDataset(id: string): Promise<DatasetRecord | undefined> {
	return getDb().datasets.get(id);
}

/** Deletes a dataset and all its versions, in one transaction (both or neither). */
export async function deleteDataset(id: string): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', [db.datasets, db.datasetVersions], async () => {
			await db.datasetVersions.where('datasetId').equals(id).delete();
			await db.datasets.delete(id);
		})
	);
}

/** A dataset's versions, newest first. */
export async function listVersions(datasetId: string): Promise<DatasetVersionRecord[]> {
	const rows = await getDb().datasetVersions.where('datasetId').equals(datasetId).toArray();
	return rows.sort((a, b) => b.number - a.number);
}

export async function getVersion(id: string): Promise<DatasetVersionRecord | undefined> {
	return getDb().datasetVersions.get(id);
}

/**
 * Saves a built version under the next number. Reading the highest number and adding happen in
 * one transaction, so two saves (two tabs) never get the same number.
 */
export async function saveVersion(
	dataset: DatasetRecord,
	result: BuildResult,
	fixedFrom?: DatasetVersionRecord['fixedFrom']
): Promise<DatasetVersionRecord> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', db.datasetVersions, async () => {
			const existing = await db.datasetVersions.where('datasetId').equals(dataset.id).toArray();
			const number = existing.reduce((max, v) => Math.max(max, v.number), 0) + 1;
			const version: DatasetVersionRecord = {
				id: crypto.randomUUID(),
				datasetId: dataset.id,
				projectId: dataset.projectId,
				number,
				createdAt: Date.now(),
				rules: { ...dataset.rules },
				filter: { ...dataset.filter },
				train: result.train,
				validation: result.validation,
				pairs: result.pairs,
				counts: result.counts
			};
			if (fixedFrom) version.fixedFrom = fixedFrom;
			await db.datasetVersions.add(version);
			return version;
		})
	);
}

/**
 * A new version without the given examples and pairs (a one-click fix): the old version stays
 * as it was. `dropped` holds log ids (SFT examples) and pair indexes are matched by identity.
 */
export async function saveFixedVersion(
	version: DatasetVersionRecord,
	fix: string,
	drop: { logIds?: ReadonlySet<string>; pairs?: ReadonlySet<number>; split: 'train' | 'validation' }
): Promise<DatasetVersionRecord> {
	const dataset = await getDataset(version.datasetId);
	if (!dataset) throw new Error('The dataset of this version was deleted');
	const logIds = drop.logIds ?? new Set<string>();
	const pairIndexes = drop.pairs ?? new Set<number>();
	const keep = (ids: string[], split: 'train' | 'validation') =>
		split === drop.split ? ids.filter((id) => !logIds.has(id)) : ids;
	const keepPairs = (split: 'train' | 'validation') =>
		split === drop.split
			? version.pairs[split].filter((_, index) => !pairIndexes.has(index))
			: version.pairs[split];
	const train = keep(version.train, 'train');
	const validation = keep(version.validation, 'validation');
	const dropped = logIds.size + pairIndexes.size;
	return saveVersion(
		{ ...dataset, rules: version.rules, filter: version.filter },
		{
			train,
			validation,
			pairs: { train: keepPairs('train'), validation: keepPairs('validation') },
			counts: { ...version.counts, train: train.length, validation: validation.length }
		},
		{ versionId: version.id, fix, dropped }
	);
}

/** Feedback state of logs that have any, from their events (one query per chunk). */
async function statesOf(logs: LogRecord[]) {
	const withFeedback = logs.filter((log) => log.hasFeedback === 1).map((log) => log.id);
	const events = withFeedback.length
		? await getDb().feedback.where('logId').anyOf(withFeedback).toArray()
		: [];
	const byLog = new Map<string, StoredFeedbackEvent[]>();
	for (const event of events) {
		const list = byLog.get(event.logId);
		if (list) list.push(event);
		else byLog.set(event.logId, [event]);
	}
	return new Map([...byLog].map(([id, list]) => [id, deriveLogState(list)]));
}

function toCandidate(
	log: LogRecord,
	state: ReturnType<typeof deriveLogState> | undefined
): Candidate {
	return {
		id: log.id,
		log: {
			input: log.input,
			output: log.output,
			tools: log.tools,
			parallelToolCalls: log.parallelToolCalls
		},
		thumb: state?.thumb ?? log.thumb,
		correction: state?.correction ?? null,
		pairwise: (state?.pairwise ?? []).map(({ otherLogId, choice }) => ({ otherLogId, choice }))
	};
}

/** Reads logs and their feedback state by id, chunk by chunk, in the ids' order. */
export async function* readCandidates(
	ids: readonly string[],
	options: LoadOptions = {}
): AsyncGenerator<Candidate[]> {
	const db = getDb();
	for (let start = 0; start < ids.length; start += CHUNK) {
		options.signal?.throwIfAborted();
		const chunk = ids.slice(start, start + CHUNK);
		const logs = (await db.logs.bulkGet(chunk)).filter((log): log is LogRecord => !!log);
		const states = await statesOf(logs);
		yield logs.map((log) => toCandidate(log, states.get(log.id)));
		options.onProgress?.({ loaded: Math.min(start + CHUNK, ids.length), total: ids.length });
	}
}

/** The logs a filter selects, oldest first, with their feedback state: what the rules build from. */
export async function loadCandidates(
	filter: LogFilter,
	options: LoadOptions = {}
): Promise<Candidate[]> {
	const ids = await queryLogIds(filter, 'oldest', { signal: options.signal });
	options.onProgress?.({ loaded: 0, total: ids.length });
	const out: Candidate[] = [];
	for await (const chunk of readCandidates(ids, options)) out.push(...chunk);
	return out;
}

/** The logs of a version's examples (and of its pairs), as the exporters take them. */
export async function loadExportLogs(
	ids: readonly string[],
	options: LoadOptions = {}
): Promise<Map<string, ExportLog>> {
	const out = new Map<string, ExportLog>();
	for await (const chunk of readCandidates([...new Set(ids)], options))
		for (const candidate of chunk) out.set(candidate.id, candidate);
	return out;
}
