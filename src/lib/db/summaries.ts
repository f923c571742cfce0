/**
 * Keeps each log's denormalised LogSummary (thumb, rating, hasFeedback, corrected, tags) equal to
 * what its feedback events say. Used inside the transaction that adds the events, so a log's
 * summary and its events can never disagree.
 */
import { deriveLogState, summarize } from '../core/feedback';
import type { UpdateSpec } from 'dexie';
import type { FeedbackEvent, LogRecord, LogSummary } from '../core/types';
import { dropped, SPARSE_SUMMARY, type Tables } from './db';
import { logFacets, projectOfLogId, type FacetKey } from './facets';

export function summaryOf(events: readonly FeedbackEvent[]): LogSummary {
	return summarize(deriveLogState(events));
}

/**
 * Summaries of these logs from all their stored events. One index query per log, issued
 * together: IndexedDB pipelines them, where one `anyOf` cursor would step key by key.
 */
export async function storedSummaries(
	t: Tables,
	logIds: Iterable<string>
): Promise<Map<string, LogSummary>> {
	const ids = [...new Set(logIds)];
	const events = await Promise.all(ids.map((id) => t.feedback.where('logId').equals(id).toArray()));
	return new Map(ids.map((id, index) => [id, summaryOf(events[index])]));
}

/** Writes summaries onto their logs (tables bound to the caller's rw transaction). */
export async function applySummaries(t: Tables, summaries: Map<string, LogSummary>): Promise<void> {
	await t.logs.bulkUpdate(
		[...summaries].map(([key, summary]) => ({ key, changes: stored(key, summary) }))
	);
}

/**
 * The changes a summary makes to its stored log: a sparse flag or rating that is 0 and empty tags
 * are removed (an undefined change deletes the property; see sparseLog), and its facets follow
 * the summary (facets.ts), so the log leaves the facets it no longer has.
 */
function stored(logId: string, summary: LogSummary): UpdateSpec<LogRecord> {
	const changes: UpdateSpec<LogRecord & { facets: FacetKey[] }> = { ...summary };
	for (const field of SPARSE_SUMMARY)
		if (dropped(field, changes[field], undefined)) changes[field] = undefined;
	changes.facets = logFacets(projectOfLogId(logId), summary);
	return changes as UpdateSpec<LogRecord>;
}
