/**
 * Writing and reading logs. An import lands as a series of batches; each batch (its new logs,
 * their feedback, its rejected lines and the import record's progress) commits in one
 * transaction, so a crash or a full disk mid-import leaves whole batches only and the import's
 * `committedLine` always matches what is stored.
 */
import { Dexie } from 'dexie';
import { emptySummary, feedbackKey } from '../core/feedback';
import type { ImportRecord, LogRecord, RejectedLine } from '../core/types';
import { boundTables, getDb, sparseLog, type SparseField, type Tables } from './db';
import { withStorageErrors } from './errors';
import { addEventsInTransaction, type NewFeedbackEvent } from './feedback';
import { projectIds } from './log-query';
import { applySummaries } from './summaries';

// The log browser's queries live in log-query.ts; callers know them as part of the logs API.
export {
	distinctModels,
	projectIds,
	facetCounts,
	logMatchesText,
	queryLogIds,
	warmFilterCache,
	type FacetCounts,
	type QueryOptions,
	type TextSearchProgress
} from './log-query';
export type { LogFilter, LogSort } from '../core/types';

export interface BatchOutcome {
	/** Logs written by this batch. */
	newLogs: number;
	/** Logs skipped because a log with the same id (same content, same project) exists, or
	 * appeared earlier in the batch. */
	duplicateLogs: number;
	/** Aligned with the batch's `logs`: true where that log was written. */
	isNew: boolean[];
	/** Source lines (`source.line`) of this batch none of whose logs were new. */
	duplicateLines: number;
	feedbackAdded: number;
	/** Imported feedback already stored (same dedupe key), e.g. when a file is imported again. */
	feedbackSkipped: number;
}

export interface ImportBatch {
	importId: string;
	logs: NewLog[];
	/**
	 * Feedback about logs of this batch (logIds resolved). Each event gets `key =
	 * feedbackKey(event)` unless it has one, so replaying a batch adds no event twice.
	 */
	feedback: NewFeedbackEvent[];
	rejects: RejectedLine[];
	/**
	 * Progress to store on the import record (counts, committedLine, status…), in the same
	 * transaction. A function receives the batch outcome (to count duplicates) and the record
	 * as stored before this batch; it runs before the commit, so it should not change the
	 * caller's state (or the caller must undo that when writeImportBatch rejects).
	 */
	importPatch:
		| Partial<ImportRecord>
		| ((outcome: BatchOutcome, current: ImportRecord) => Partial<ImportRecord>);
}

export interface BatchResult extends BatchOutcome {
	/** The import record as stored after this batch. */
	record: ImportRecord;
}

/**
 * A log to add. What is stored sparse (see sparseLog in db.ts) may be left out: the summary flags
 * and rating when 0, no tags, createdAt and importedAt when they are the time the id spells;
 * imports build their rows so, and nothing has to be copied to drop them.
 */
export type NewLog = Omit<LogRecord, SparseField> & Partial<Pick<LogRecord, SparseField>>;

/** Whether a log carries the summary of no feedback already (imports build them so). */
function hasEmptySummary(log: NewLog): boolean {
	return (
		!log.thumb &&
		!log.rating &&
		!log.hasFeedback &&
		!log.corrected &&
		!log.tags?.length &&
		log.reviewed === undefined &&
		log.userFeedback === undefined
	);
}

/**
 * Adds the logs whose content is not stored yet and tells, for every log given, whether it was
 * added and which stored log it is (a log whose content is already there is that stored log).
 * It adds first and lets the store refuse duplicates (a ConstraintError per refused row from the
 * id or the unique [projectId+inputHash+hash] index, caught so the transaction goes on) rather
 * than reading first: a fresh import has almost no duplicates. Only refused rows are looked up.
 * A new log goes in with an empty summary; the caller then writes the summaries its events give.
 * The rows go to IndexedDB before this function first awaits (see writeImportBatch).
 */
async function addNew(t: Tables, logs: readonly NewLog[]) {
	// The first log of each content in the list stands for its repeats.
	const firstOfContent = new Map<string, number>();
	const unique: NewLog[] = [];
	const uniqueSlot: number[] = [];
	const representative = logs.map((log, index) => {
		const content = `${log.projectId}\u0000${log.hash}`;
		const first = firstOfContent.get(content);
		if (first !== undefined) return first;
		firstOfContent.set(content, unique.length);
		unique.push(sparseLog(hasEmptySummary(log) ? log : { ...log, ...emptySummary() }));
		uniqueSlot.push(index);
		return unique.length - 1;
	});
	const refused = new Set<number>();
	try {
		await t.logs.bulkAdd(unique as LogRecord[]);
	} catch (error) {
		if (!(error instanceof Dexie.BulkError)) throw error;
		for (const [position, failure] of Object.entries(error.failuresByPos)) {
			if (failure.name !== 'ConstraintError') throw failure;
			refused.add(Number(position));
		}
	}
	// Where a log was refused, find the stored log with its content.
	const storedIds = await Promise.all(
		unique.map((log, position) =>
			refused.has(position)
				? t.logs
						.where('[projectId+inputHash+hash]')
						.equals([log.projectId, log.inputHash, log.hash])
						.primaryKeys()
				: Promise.resolve([log.id])
		)
	);
	const idOf = new Map<string, string>();
	const isNew = logs.map((log, index) => {
		const position = representative[index];
		const stored = storedIds[position][0];
		if (stored === undefined)
			throw new Error(`Log ${log.id} was refused but nothing holds its content`);
		idOf.set(log.id, stored);
		return uniqueSlot[position] === index && !refused.has(position);
	});
	const fresh = unique.filter((_, position) => !refused.has(position));
	return { isNew, fresh, idOf };
}

/** Points feedback at the stored logs (a duplicate's events belong to the log already there). */
function remapFeedback(events: readonly NewFeedbackEvent[], idOf: Map<string, string>) {
	const remap = (id: string) => idOf.get(id) ?? id;
	return events.map((event) => {
		const body =
			event.body.kind === 'pairwise'
				? { ...event.body, otherLogId: remap(event.body.otherLogId) }
				: event.body;
		const moved = { ...event, logId: remap(event.logId), body };
		return { ...moved, key: event.key ?? feedbackKey(moved) };
	});
}

function countDuplicateLines(logs: readonly NewLog[], isNew: readonly boolean[]): number {
	const lineHasNew = new Map<number, boolean>();
	logs.forEach((log, index) => {
		const line = log.source.line;
		if (line !== undefined) lineHasNew.set(line, (lineHasNew.get(line) ?? false) || isNew[index]);
	});
	let duplicates = 0;
	for (const hasNew of lineHasNew.values()) if (!hasNew) duplicates++;
	return duplicates;
}

/**
 * Writes one import batch: new logs (existing ids skipped), their feedback (deduped by key, log
 * summaries updated), rejected lines (a replayed line overwrites its earlier entry), and the
 * import record's progress.
 *
 * One rw transaction over logs, feedback, imports and importRejects: if anything fails (full
 * storage → StorageFullError, a missing import record, a bug in the patch function) the whole
 * batch is rolled back and the import record still says where the last good batch ended.
 */
export async function writeImportBatch(batch: ImportBatch): Promise<BatchResult> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', [db.logs, db.feedback, db.imports, db.importRejects], async (tx) => {
			const t = boundTables(tx);
			// The rows go to IndexedDB first, in this first tick: cloning them happens inside the
			// add calls, and this way it overlaps the commit of the batch before (this
			// transaction queues behind it) instead of waiting for it.
			const adding = addNew(t, batch.logs);
			const addingRejects = t.importRejects.bulkPut(batch.rejects);
			const current = await t.imports.get(batch.importId);
			if (!current) throw new Error(`Import ${batch.importId} does not exist`);

			const { isNew, fresh, idOf } = await adding;
			const events = remapFeedback(batch.feedback, idOf);
			const newLogIds = new Set(fresh.map((log) => log.id));
			const { summaries, ...added } = await addEventsInTransaction(t, events, { newLogIds });
			// Every log that got events (new or stored) gets the summary they give.
			await applySummaries(t, summaries);

			await addingRejects;

			const outcome: BatchOutcome = {
				newLogs: fresh.length,
				duplicateLogs: batch.logs.length - fresh.length,
				isNew,
				duplicateLines: countDuplicateLines(batch.logs, isNew),
				feedbackAdded: added.added,
				feedbackSkipped: added.skipped
			};
			const patch =
				typeof batch.importPatch === 'function'
					? batch.importPatch(outcome, current)
					: batch.importPatch;
			const record: ImportRecord = { ...current, ...patch, id: current.id };
			await t.imports.put(record);
			return { ...outcome, record };
		})
	);
}

/**
 * Adds logs made outside an import (playground, API pulls); existing ids are skipped and their
 * summaries left alone. One transaction: on failure nothing is added.
 */
export async function addLogs(logs: LogRecord[]): Promise<{ added: number; duplicates: number }> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', db.logs, async (tx) => {
			const t = boundTables(tx);
			const { fresh } = await addNew(t, logs);
			return { added: fresh.length, duplicates: logs.length - fresh.length };
		})
	);
}

/** The logs with these ids, aligned with `ids` (undefined where a log no longer exists). */
export async function getLogs(ids: string[]): Promise<(LogRecord | undefined)[]> {
	return getDb().logs.bulkGet(ids);
}

export async function getLog(id: string): Promise<LogRecord | undefined> {
	return getDb().logs.get(id);
}

export async function countLogs(projectId: string): Promise<number> {
	return projectIds(getDb().logs, projectId).count();
}
