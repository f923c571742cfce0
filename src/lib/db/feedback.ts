/**
 * Feedback events: append-only. Appending updates the log's summary in the same transaction.
 */
import { deriveLogState, orderEvents, type LogState } from '../core/feedback';
import type { FeedbackEvent, LogSummary } from '../core/types';
import { boundTables, getDb, type StoredFeedbackEvent, type Tables } from './db';
import { withStorageErrors } from './errors';
import { applySummaries, storedSummaries, summaryOf } from './summaries';

export type NewFeedbackEvent = Omit<FeedbackEvent, 'id'>;

export interface AddedEvents {
	/** Id of each input event, aligned with the input; a keyed event already stored gives the
	 * stored event's id. */
	ids: number[];
	added: number;
	/** Keyed events not added because an event with that key was already stored (or earlier in
	 * the same call). */
	skipped: number;
}

export interface AddEventsOptions {
	/**
	 * Logs being added in the same transaction (an import batch's new logs). They have no
	 * stored events, so no stored key can collide and their summaries come from the new events
	 * alone: no lookups for them.
	 */
	newLogIds?: ReadonlySet<string>;
}

/** Ids of stored events with these keys (one index lookup per key, pipelined). */
async function storedKeys(t: Tables, keys: string[]): Promise<Map<string, number>> {
	const found = await Promise.all(
		keys.map((key) => t.feedback.where('key').equals(key).primaryKeys())
	);
	const ids = new Map<string, number>();
	keys.forEach((key, index) => {
		const [id] = found[index];
		if (id !== undefined) ids.set(key, id);
	});
	return ids;
}

/** Feedback for a log that is not stored (deleted meanwhile, or never imported). */
export class MissingLogError extends Error {
	constructor(readonly logId: string) {
		super(`Feedback names a log that does not exist: ${logId}`);
		this.name = 'MissingLogError';
	}
}

/**
 * Adds events and works out the new summaries of the logs they touch; the caller writes the
 * summaries (applySummaries, or onto new logs before adding them). Takes the tables of the
 * caller's rw transaction over `logs` and `feedback` (boundTables), so events and summaries
 * commit together or not at all. Throws (aborting that transaction) when an event names a log
 * that neither exists nor is in `newLogIds`.
 */
export async function addEventsInTransaction(
	t: Tables,
	events: readonly NewFeedbackEvent[],
	options: AddEventsOptions = {}
): Promise<AddedEvents & { summaries: Map<string, LogSummary> }> {
	const newLogIds = options.newLogIds ?? new Set<string>();
	const storedLogIds = [...new Set(events.map((event) => event.logId))].filter(
		(id) => !newLogIds.has(id)
	);
	const storedLogs = await t.logs.bulkGet(storedLogIds);
	const missing = storedLogIds.find((_, index) => storedLogs[index] === undefined);
	if (missing !== undefined) throw new MissingLogError(missing);

	const keysToCheck = events
		.filter((event) => event.key !== undefined && !newLogIds.has(event.logId))
		.map((event) => event.key as string);
	const idByKey = await storedKeys(t, keysToCheck);

	// Slots of the input that become new rows; keyed repeats point at their first occurrence.
	const fresh: NewFeedbackEvent[] = [];
	const freshSlot: number[] = [];
	const firstSlotOfKey = new Map<string, number>();
	const repeatOf = new Map<number, number>();
	const ids: number[] = new Array<number>(events.length);
	events.forEach((event, slot) => {
		const key = event.key;
		if (key !== undefined) {
			const stored = idByKey.get(key);
			if (stored !== undefined) {
				ids[slot] = stored;
				return;
			}
			const first = firstSlotOfKey.get(key);
			if (first !== undefined) {
				repeatOf.set(slot, first);
				return;
			}
			firstSlotOfKey.set(key, slot);
		}
		fresh.push(event);
		freshSlot.push(slot);
	});

	const newIds = await t.feedback.bulkAdd(fresh as StoredFeedbackEvent[], { allKeys: true });
	newIds.forEach((id, index) => (ids[freshSlot[index]] = id));
	for (const [slot, first] of repeatOf) ids[slot] = ids[first];

	// New logs: their only events are the ones just added. Stored logs: read all their events.
	const freshByNewLog = new Map<string, FeedbackEvent[]>();
	const touchedStored = new Set<string>();
	fresh.forEach((event, index) => {
		if (!newLogIds.has(event.logId)) {
			touchedStored.add(event.logId);
			return;
		}
		const list = freshByNewLog.get(event.logId) ?? [];
		list.push({ ...event, id: newIds[index] });
		freshByNewLog.set(event.logId, list);
	});
	const summaries = await storedSummaries(t, touchedStored);
	for (const [logId, list] of freshByNewLog) summaries.set(logId, summaryOf(list));
	return { ids, added: fresh.length, skipped: events.length - fresh.length, summaries };
}

/**
 * Appends events (the user's own, or keyed imported ones) and updates their logs' summaries.
 * One rw transaction over feedback + logs: if anything fails (a missing log, full storage) the
 * transaction aborts and no event and no summary is written.
 */
export async function appendMany(events: readonly NewFeedbackEvent[]): Promise<AddedEvents> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', [db.feedback, db.logs], async (tx) => {
			const t = boundTables(tx);
			const { summaries, ...added } = await addEventsInTransaction(t, events);
			await applySummaries(t, summaries);
			return added;
		})
	);
}

/** Appends one event and returns its id (see appendMany for failure behaviour). */
export async function appendFeedback(event: NewFeedbackEvent): Promise<number> {
	const { ids } = await appendMany([event]);
	return ids[0];
}

/** A log's events in application order (by time, then id). */
export async function eventsFor(logId: string): Promise<StoredFeedbackEvent[]> {
	const events = await getDb().feedback.where('logId').equals(logId).toArray();
	return orderEvents(events);
}

/** A log's full derived state (comments, pairwise verdicts, imported vs own values…). */
export async function logState(logId: string): Promise<LogState> {
	return deriveLogState(await eventsFor(logId));
}
