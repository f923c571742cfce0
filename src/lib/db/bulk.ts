/**
 * Actions over many logs at once (the log browser's bulk bar): feedback for thousands of logs,
 * and deleting logs in a way that can be undone. Work is split into transactions of CHUNK logs so
 * progress can be shown and the page never waits on one huge transaction; each chunk is
 * all-or-nothing (its events and its logs' summaries commit together).
 */
import type { LogRecord } from '../core/types';
import { boundTables, getDb, sparseLog, type StoredFeedbackEvent } from './db';
import { withStorageErrors } from './errors';
import { appendMany, type NewFeedbackEvent } from './feedback';

/** Logs per transaction. */
export const CHUNK = 500;

export type Progress = (done: number, total: number) => void;

/**
 * Appends events in chunks and returns the new event ids in input order. Events for the same log
 * must be adjacent (they are, when built per log), so a log's events never straddle two chunks.
 */
export async function appendInChunks(
	events: readonly NewFeedbackEvent[],
	onProgress?: Progress,
	signal?: AbortSignal
): Promise<number[]> {
	const ids: number[] = [];
	for (let start = 0; start < events.length; start += CHUNK) {
		signal?.throwIfAborted();
		const { ids: chunkIds } = await appendMany(events.slice(start, start + CHUNK));
		ids.push(...chunkIds);
		onProgress?.(Math.min(start + CHUNK, events.length), events.length);
	}
	return ids;
}

/** What a deletion removed, exactly as stored, so `restoreDeleted` can put it back. */
export interface DeletedLogs {
	logs: LogRecord[];
	feedback: StoredFeedbackEvent[];
}

/**
 * Deletes logs with all their feedback events, in chunks, returning what was removed. The caller
 * keeps it for undo; nothing else refers to a log (imports count lines, not logs).
 */
export async function deleteLogs(
	ids: readonly string[],
	onProgress?: Progress
): Promise<DeletedLogs> {
	const db = getDb();
	const removed: DeletedLogs = { logs: [], feedback: [] };
	for (let start = 0; start < ids.length; start += CHUNK) {
		const chunk = ids.slice(start, start + CHUNK);
		await withStorageErrors(() =>
			db.transaction('rw', [db.logs, db.feedback], async (tx) => {
				const t = boundTables(tx);
				const logs = (await t.logs.bulkGet(chunk)).filter((log) => log !== undefined);
				const events = await t.feedback.where('logId').anyOf(chunk).toArray();
				await t.feedback.bulkDelete(events.map((event) => event.id));
				await t.logs.bulkDelete(logs.map((log) => log.id));
				removed.logs.push(...logs);
				removed.feedback.push(...(events as StoredFeedbackEvent[]));
			})
		);
		onProgress?.(Math.min(start + CHUNK, ids.length), ids.length);
	}
	return removed;
}

/**
 * Puts deleted logs and their events back with their original ids (in chunks). A log imported
 * again since the deletion (same content, so the same `[projectId+inputHash+hash]`) is kept as it is; the
 * deleted copy and its events are then skipped rather than duplicated.
 */
export async function restoreDeleted(deleted: DeletedLogs, onProgress?: Progress): Promise<number> {
	const db = getDb();
	const eventsByLog = new Map<string, StoredFeedbackEvent[]>();
	for (const event of deleted.feedback) {
		const list = eventsByLog.get(event.logId);
		if (list) list.push(event);
		else eventsByLog.set(event.logId, [event]);
	}
	let restored = 0;
	for (let start = 0; start < deleted.logs.length; start += CHUNK) {
		const chunk = deleted.logs.slice(start, start + CHUNK);
		await withStorageErrors(() =>
			db.transaction('rw', [db.logs, db.feedback], async (tx) => {
				const t = boundTables(tx);
				const taken = await Promise.all(
					chunk.map((log) =>
						t.logs
							.where('[projectId+inputHash+hash]')
							.equals([log.projectId, log.inputHash, log.hash])
							.count()
					)
				);
				const free = chunk.filter((_, index) => taken[index] === 0);
				await t.logs.bulkAdd(free.map((log) => sparseLog(log)));
				await t.feedback.bulkAdd(free.flatMap((log) => eventsByLog.get(log.id) ?? []));
				restored += free.length;
			})
		);
		onProgress?.(Math.min(start + CHUNK, deleted.logs.length), deleted.logs.length);
	}
	return restored;
}
