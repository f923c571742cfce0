/**
 * Feedback events: append-only. Appending updates the log's summary in the same transaction.
 */
import { deriveLogState, orderEvents, type LogState } from '../core/feedback';
import type { FeedbackEvent } from '../core/types';
import { getDb, type AppDB, type StoredFeedbackEvent } from './db';
import { withStorageErrors } from './errors';
import { refreshSummaries } from './summaries';

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

/**
 * Adds events and refreshes the summaries of their logs. Must run inside a rw transaction over
 * `logs` and `feedback` (the caller's), so events and summaries commit together or not at all.
 * Throws (aborting that transaction) when an event names a log that does not exist.
 */
export async function addEventsInTransaction(
	db: AppDB,
	events: readonly NewFeedbackEvent[]
): Promise<AddedEvents> {
	if (events.length === 0) return { ids: [], added: 0, skipped: 0 };
	const logIds = [...new Set(events.map((event) => event.logId))];
	const present = new Set(await db.logs.where(':id').anyOf(logIds).primaryKeys());
	const missing = logIds.find((id) => !present.has(id));
	if (missing !== undefined) throw new Error(`Feedback names a log that does not exist: ${missing}`);

	const keys = events.map((event) => event.key).filter((key): key is string => key !== undefined);
	const idByKey = new Map<string, number>();
	if (keys.length > 0) {
		for (const row of await db.feedback.where('key').anyOf(keys).toArray()) {
			if (row.key !== undefined) idByKey.set(row.key, row.id);
		}
	}

	// Slots of the input that become new rows; keyed duplicates point at their first occurrence.
	const fresh: NewFeedbackEvent[] = [];
	const freshSlot: number[] = [];
	const pendingByKey = new Map<string, number>();
	const ids: number[] = new Array<number>(events.length);
	const laterFrom = new Map<number, number>();
	events.forEach((event, slot) => {
		const key = event.key;
		if (key !== undefined) {
			const stored = idByKey.get(key);
			if (stored !== undefined) {
				ids[slot] = stored;
				return;
			}
			const first = pendingByKey.get(key);
			if (first !== undefined) {
				laterFrom.set(slot, first);
				return;
			}
			pendingByKey.set(key, slot);
		}
		fresh.push(event);
		freshSlot.push(slot);
	});

	const newIds = await db.feedback.bulkAdd(fresh as StoredFeedbackEvent[], { allKeys: true });
	newIds.forEach((id, index) => (ids[freshSlot[index]] = id));
	for (const [slot, first] of laterFrom) ids[slot] = ids[first];

	await refreshSummaries(db, fresh.map((event) => event.logId));
	return { ids, added: fresh.length, skipped: events.length - fresh.length };
}

/**
 * Appends events (the user's own, or keyed imported ones) and updates their logs' summaries.
 * One rw transaction over feedback + logs: if anything fails (a missing log, full storage) the
 * transaction aborts and no event and no summary is written.
 */
export async function appendMany(events: readonly NewFeedbackEvent[]): Promise<AddedEvents> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', [db.feedback, db.logs], () => addEventsInTransaction(db, events))
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
