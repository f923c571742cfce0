/**
 * Keeps each log's denormalised LogSummary (thumb, rating, hasFeedback, corrected, tags) equal to
 * what its feedback events say. Called inside the transaction that added the events, so a log's
 * summary and its events can never disagree.
 */
import { deriveLogState, summarize } from '../core/feedback';
import type { FeedbackEvent, LogSummary } from '../core/types';
import type { AppDB } from './db';

/** Recomputes the summaries of these logs from all their stored events. Must run inside a rw
 * transaction over `logs` and `feedback`. Logs that do not exist are skipped. */
export async function refreshSummaries(db: AppDB, logIds: Iterable<string>): Promise<void> {
	const ids = [...new Set(logIds)];
	if (ids.length === 0) return;
	const events = await db.feedback.where('logId').anyOf(ids).toArray();
	const byLog = new Map<string, FeedbackEvent[]>();
	for (const event of events) {
		const list = byLog.get(event.logId) ?? [];
		list.push(event);
		byLog.set(event.logId, list);
	}
	await db.logs.bulkUpdate(
		ids.map((id) => {
			const summary: LogSummary = summarize(deriveLogState(byLog.get(id) ?? []));
			return { key: id, changes: { ...summary } };
		})
	);
}
