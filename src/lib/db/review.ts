/** Key-only reads for the review queue and the pairwise view. */
import type { LogRecord } from '../core/types';
import { Dexie } from 'dexie';
import { getDb } from './db';
import { facetIds } from './facets';

/** The logs answering the same input: a prefix range of the unique content index. */
function sameInput(log: Pick<LogRecord, 'projectId' | 'inputHash'>) {
	return getDb()
		.logs.where('[projectId+inputHash+hash]')
		.between(
			[log.projectId, log.inputHash, Dexie.minKey],
			[log.projectId, log.inputHash, Dexie.maxKey]
		);
}

/** Ids of a project's logs the user has judged (their `reviewed` facet). */
export async function reviewedIds(projectId: string): Promise<Set<string>> {
	const ids = await facetIds(getDb().logs, projectId, 'reviewed', 1);
	return new Set(ids);
}

/** The other logs answering the same input as this one (oldest first). */
export async function siblingsOf(
	log: Pick<LogRecord, 'id' | 'projectId' | 'inputHash'>
): Promise<LogRecord[]> {
	const logs = await sameInput(log).toArray();
	return logs.filter((other) => other.id !== log.id).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Groups of logs that answer the same input (two or more outputs), for the pairwise queue: ids in
 * each group oldest first, groups in order of their first log. One key-only index read.
 */
export async function inputGroups(projectId: string): Promise<string[][]> {
	const db = getDb();
	const keys: string[][] = [];
	let current: string | null = null;
	let group: string[] = [];
	await db.logs
		.where('[projectId+inputHash+hash]')
		.between([projectId, Dexie.minKey, Dexie.minKey], [projectId, Dexie.maxKey, Dexie.maxKey])
		.eachKey((key, cursor) => {
			const hash = (key as string[])[1];
			if (hash !== current) {
				if (group.length > 1) keys.push(group);
				current = hash;
				group = [];
			}
			group.push(cursor.primaryKey as string);
		});
	if (group.length > 1) keys.push(group);
	return keys.map((ids) => ids.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** How many other logs answer the same input (one index count). */
/**
 * `countSiblings` for many logs in one read transaction (the review queue counts the logs it
 * prefetches together, rather than one query per item shown).
 */
export async function countSiblingsMany(
	logs: readonly Pick<LogRecord, 'projectId' | 'inputHash'>[]
): Promise<number[]> {
	const db = getDb();
	return db.transaction('r', db.logs, () => Promise.all(logs.map((log) => countSiblings(log))));
}

export async function countSiblings(
	log: Pick<LogRecord, 'projectId' | 'inputHash'>
): Promise<number> {
	if (!log.inputHash) return 0;
	const same = await sameInput(log).count();
	return Math.max(0, same - 1);
}
