/**
 * Preference model versions and their scores. Every trained model is kept with its report; one
 * per project is active, and the log browser and review queue read scores under that one.
 */
import { deriveLogState } from '../core/feedback';
import { collectLabels, type LabeledLog } from '../core/prefmodel/labels';
import type { LabelCounts, PrefDataset, PrefModelRecord, ScoreRow } from '../core/prefmodel/types';
import type { LogRecord } from '../core/types';
import { getDb } from './db';
import { withStorageErrors } from './errors';
import { facetIds } from './facets';

/** Labels of a project's logs, from the feedback in effect (see core/prefmodel/labels.ts). */
export async function projectLabels(
	projectId: string
): Promise<{ data: PrefDataset; counts: LabelCounts }> {
	const db = getDb();
	const ids = await facetIds(db.logs, projectId, 'hasFeedback', 1);
	const [logs, events] = await Promise.all([
		db.logs.bulkGet(ids),
		db.feedback.where('logId').anyOf(ids).toArray()
	]);
	const byLog = new Map<string, typeof events>();
	for (const event of events) {
		const list = byLog.get(event.logId);
		if (list) list.push(event);
		else byLog.set(event.logId, [event]);
	}
	const labeled: LabeledLog[] = [];
	const known = new Map<string, LogRecord>();
	for (const log of logs) {
		if (!log) continue;
		known.set(log.id, log);
		labeled.push({ log, state: deriveLogState(byLog.get(log.id) ?? []) });
	}
	// Other logs of pairwise choices that have no feedback of their own.
	const missing = new Set<string>();
	for (const { state } of labeled)
		for (const entry of state.pairwise)
			if (!known.has(entry.otherLogId)) missing.add(entry.otherLogId);
	if (missing.size > 0) {
		const extra = await db.logs.bulkGet([...missing]);
		for (const log of extra) if (log) known.set(log.id, log);
	}
	return collectLabels(labeled, (id) => known.get(id) ?? null);
}

/** A project's models, newest first. */
export async function listModels(projectId: string): Promise<PrefModelRecord[]> {
	const models = await getDb().models.where('projectId').equals(projectId).toArray();
	return models.sort((a, b) => b.createdAt - a.createdAt);
}

export async function getModel(id: string): Promise<PrefModelRecord | undefined> {
	return getDb().models.get(id);
}

export async function activeModel(projectId: string): Promise<PrefModelRecord | null> {
	const models = await getDb().models.where('projectId').equals(projectId).toArray();
	return models.find((m) => m.active === 1) ?? null;
}

/** Next version number of a project's models (1 for the first). */
export async function nextVersion(projectId: string): Promise<number> {
	const models = await listModels(projectId);
	return models.reduce((max, m) => Math.max(max, m.version), 0) + 1;
}

/**
 * Stores a new model and makes it the project's active one. One transaction: the previous
 * active model is switched off in the same commit, so there is never zero or two active.
 */
export async function saveModel(record: PrefModelRecord): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', db.models, async () => {
			if (record.active === 1)
				await db.models
					.where('projectId')
					.equals(record.projectId)
					.modify((m) => {
						m.active = 0;
					});
			await db.models.put(record);
		})
	);
}

/** Makes one model the project's active one (the others inactive), in one transaction. */
export async function setActiveModel(projectId: string, modelId: string): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', db.models, async () => {
			const model = await db.models.get(modelId);
			if (!model || model.projectId !== projectId)
				throw new Error(`No model ${modelId} in this project`);
			await db.models
				.where('projectId')
				.equals(projectId)
				.modify((m) => {
					m.active = m.id === modelId ? 1 : 0;
				});
		})
	);
}

/** Deletes a model and its scores together. */
export async function deleteModel(modelId: string): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', [db.models, db.scores], async () => {
			await db.scores.where('[modelId+logId]').between([modelId, ''], [modelId, '\uffff']).delete();
			await db.models.delete(modelId);
		})
	);
}

/** Writes a batch of scores (one transaction; a later batch for the same log replaces it). */
export async function writeScores(rows: ScoreRow[]): Promise<void> {
	const db = getDb();
	await withStorageErrors(() => db.scores.bulkPut(rows));
}

/** How many logs have a score under a model. */
export async function countScores(modelId: string): Promise<number> {
	return getDb()
		.scores.where('[modelId+logId]')
		.between([modelId, ''], [modelId, '\uffff'])
		.count();
}
