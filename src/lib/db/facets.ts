/**
 * The `facets` index (schema version 5): one multi-entry index of `[projectId, name, value]`
 * keys in place of an index per summary flag ([projectId+thumb], [projectId+hasFeedback],
 * [projectId+corrected], [projectId+reviewed], [projectId+userFeedback]) and the tags index.
 *
 * Why: IndexedDB works out every index's key for every row it writes, whether the row has that
 * field or not. A log without feedback (nearly every imported log) has no facets at all, so one
 * index instead of six is five key evaluations fewer per imported row; bench:import's limit run
 * with and without those indexes took about a tenth longer with them.
 *
 * A log's facets are stored only when it has some, and are derived from its summary wherever the
 * summary is written (sparseLog in db.ts, applySummaries); reads drop them, so code outside the db
 * layer never sees them.
 */
import type { EntityTable } from 'dexie';
import type { LogRecord, LogSummary } from '../core/types';

export const FACETS = 'facets';

export type FacetName = 'thumb' | 'hasFeedback' | 'corrected' | 'reviewed' | 'userFeedback' | 'tag';

export type FacetKey = [projectId: string, name: FacetName, value: number | string];

/** The summary flags with a facet, stored (and indexed) only when set. */
const FLAGS = ['thumb', 'hasFeedback', 'corrected', 'reviewed', 'userFeedback'] as const;

/** The facets of a log of `projectId` with this summary; undefined when it has none. */
export function logFacets(
	projectId: string,
	summary: Partial<Pick<LogSummary, (typeof FLAGS)[number] | 'tags'>>
): FacetKey[] | undefined {
	const facets: FacetKey[] = [];
	for (const flag of FLAGS) {
		const value = summary[flag];
		if (value) facets.push([projectId, flag, value]);
	}
	for (const tag of summary.tags ?? []) facets.push([projectId, 'tag', tag]);
	return facets.length > 0 ? facets : undefined;
}

/** The project a log id belongs to: log ids are `${projectId}:…` (core/log-id.ts). */
export function projectOfLogId(id: string): string {
	return id.slice(0, id.lastIndexOf(':'));
}

export function facetKey(projectId: string, name: FacetName, value: number | string): FacetKey {
	return [projectId, name, value];
}

/** Ids of the project's logs with this facet (a key-only read of the index). */
export function facetIds(
	logs: EntityTable<LogRecord, 'id'>,
	projectId: string,
	name: FacetName,
	value: number | string
): Promise<string[]> {
	return logs
		.where(FACETS)
		.equals(facetKey(projectId, name, value))
		.primaryKeys();
}
