/**
 * Queries for the log browser, built to stay fast at 100,000 logs: every filter is a key-only
 * query (`primaryKeys()`, no rows loaded) on one index scoped by project; the sorted id list
 * comes from the sort index and is narrowed by the other filters' id sets in memory. Only a text
 * search reads rows, in chunks, and it can be cancelled.
 */
import { Dexie } from 'dexie';
import { importLogIdRange, logIdTime, logIdTimeRange, projectLogIdRange } from '../core/log-id';
import type { ChatMessage, ImportRecord, LogFilter, LogRecord, LogSort } from '../core/types';
import { boundTables, getDb, type AppDB } from './db';
import { FACETS, facetIds, facetKey, type FacetName } from './facets';

export interface TextSearchProgress {
	scanned: number;
	total: number;
	matched: number;
}

export interface QueryOptions {
	signal?: AbortSignal;
	/** Called after each chunk of a text search. */
	onProgress?: (progress: TextSearchProgress) => void;
}

export interface FacetCounts {
	total: number;
	up: number;
	down: number;
	/** No 👍/👎 in effect. */
	unjudged: number;
	corrected: number;
	withFeedback: number;
	/** Logs the user has judged themselves. */
	reviewed: number;
	/** Logs with imported end-user feedback, and those of them the user has not reviewed yet. */
	userFeedback: number;
	unreviewedUserFeedback: number;
}

/** Rows read per step of a text search. */
export const TEXT_SCAN_CHUNK = 2000;

const MIN = Dexie.minKey;
const MAX = Dexie.maxKey;

/**
 * Results of key-only reads (the sort order, each filter's id set), kept until the logs table
 * changes. Dexie announces every committed change, from this tab, other tabs and the import
 * worker (see quietWrites), through `storagemutated`; any change to `logs` clears the cache. A
 * filter change then costs set intersections in memory instead of index reads over 100,000 keys.
 */
const cache = new Map<string, Promise<string[]>>();
const setCache = new Map<string, Promise<Set<string>>>();
const CACHE_LIMIT = 24;

Dexie.on('storagemutated', (parts) => {
	if (Object.keys(parts).some((part) => part.includes('/logs/'))) clearQueryCache();
});

/** Forgets every cached read (also called when the database is swapped, e.g. in tests). */
export function clearQueryCache(): void {
	cache.clear();
	setCache.clear();
}

function remember<T>(
	store: Map<string, Promise<T>>,
	key: string,
	read: () => Promise<T>
): Promise<T> {
	const known = store.get(key);
	if (known) return known;
	if (store.size >= CACHE_LIMIT) store.delete(store.keys().next().value as string);
	const pending = read();
	store.set(key, pending);
	// A failed read is not remembered.
	pending.catch(() => store.delete(key));
	return pending;
}

/** One part of a compound index key. */
function keyPart(key: unknown, index: number): unknown {
	return Array.isArray(key) ? (key as unknown[])[index] : undefined;
}

/** Ids in the given order: by createdAt (newest/oldest) or source order (imported). */
async function sortedIds(logs: AppDB['logs'], filter: LogFilter, sort: LogSort): Promise<string[]> {
	const { projectId } = filter;
	if (sort !== 'imported') {
		const ids = await idsByTime(logs, projectId, filter.from, filter.to);
		return sort === 'newest' ? ids.reverse() : ids;
	}
	// Source order (import time, then line in the file) is the order of the ids themselves
	// (core/log-id.ts); logs made outside an import sit at their time with line 0.
	return projectIds(logs, projectId).primaryKeys();
}

/** Every id of a project, in source order (a key-only range of the ids themselves). */
export function projectIds(logs: AppDB['logs'], projectId: string) {
	const [lower, upper] = projectLogIdRange(projectId);
	return logs.where(':id').between(lower, upper, true, true);
}

/**
 * A project's ids by createdAt (then id), oldest first, within [from, to] when given. Logs with
 * a time of their own are in [projectId+createdAt]; the others are dated by the time their id
 * spells and are not stored with a createdAt (schema version 4), so they come from the id range
 * of those times, less the logs that have a time of their own. Where both kinds meet, the two
 * sorted lists are merged (the timed logs' times read from their index keys).
 */
async function idsByTime(
	logs: AppDB['logs'],
	projectId: string,
	from?: number,
	to?: number
): Promise<string[]> {
	const whole = from === undefined && to === undefined;
	const timedRange = () =>
		logs
			.where('[projectId+createdAt]')
			.between([projectId, from ?? MIN], [projectId, to ?? MAX], true, true);
	const [lower, upper] = logIdTimeRange(projectId, from ?? -Infinity, to ?? Infinity);
	const [allTimed, timedInRange, byId] = await Promise.all([
		logs
			.where('[projectId+createdAt]')
			.between([projectId, MIN], [projectId, MAX], true, true)
			.primaryKeys(),
		whole ? null : timedRange().primaryKeys(),
		logs.where(':id').between(lower, upper, true, true).primaryKeys()
	]);
	const timed = timedInRange ?? allTimed;
	const hasTime = new Set(allTimed);
	const untimed = allTimed.length === 0 ? byId : byId.filter((id) => !hasTime.has(id));
	if (untimed.length === 0) return timed;
	if (timed.length === 0) return untimed;
	const times: number[] = [];
	const timedIds: string[] = [];
	await timedRange().eachKey((key, cursor) => {
		times.push((key as [string, number])[1]);
		timedIds.push(cursor.primaryKey as string);
	});
	const merged: string[] = [];
	let i = 0;
	let j = 0;
	while (i < timedIds.length && j < untimed.length) {
		const id = untimed[j];
		const time = logIdTime(id) ?? 0;
		if (times[i] < time || (times[i] === time && timedIds[i] < id)) merged.push(timedIds[i++]);
		else merged.push(untimed[j++]);
	}
	while (i < timedIds.length) merged.push(timedIds[i++]);
	while (j < untimed.length) merged.push(untimed[j++]);
	return merged;
}

/**
 * The logs one import wrote: the id range of its project and start time. Should its record be
 * gone, the project's logs are read and their `source.importId` compared (slow, but right).
 */
async function importedBy(logs: AppDB['logs'], importId: string): Promise<string[]> {
	const record = await logs.db.table<ImportRecord, string>('imports').get(importId);
	if (record) {
		const [lower, upper] = importLogIdRange(record.projectId, record.startedAt);
		return logs.where(':id').between(lower, upper, true, true).primaryKeys();
	}
	return logs.filter((log) => log.source.importId === importId).primaryKeys();
}

/** One filter: how to read its ids (key-only), and whether to keep them or exclude them
 * (the facets index holds only set flags, so "not reviewed" excludes the reviewed set). */
interface FilterPart {
	key: string;
	read: (logs: AppDB['logs']) => Promise<string[]>;
	exclude: boolean;
}

/** The filters other than the sort's own range, each one index read. */
function filterParts(filter: LogFilter, sort: LogSort): FilterPart[] {
	const { projectId } = filter;
	const parts: FilterPart[] = [];
	const equals = (index: string, value: string | number, exclude = false) =>
		parts.push({
			key: `${index}=${projectId}|${value}`,
			read: (logs) => logs.where(index).equals([projectId, value]).primaryKeys(),
			exclude
		});
	const facet = (name: FacetName, value: string | number, exclude = false) =>
		parts.push({
			key: `${name}=${projectId}|${value}`,
			read: (logs) => facetIds(logs, projectId, name, value),
			exclude
		});
	if (filter.reviewed !== undefined) facet('reviewed', 1, !filter.reviewed);
	if (filter.userFeedback !== undefined) facet('userFeedback', 1, !filter.userFeedback);
	if (filter.importId !== undefined) {
		const importId = filter.importId;
		parts.push({
			key: `import=${importId}`,
			read: (logs) => importedBy(logs, importId),
			exclude: false
		});
	}
	// Facets are stored only when set (facets.ts): a 0 is the complement of what the index holds.
	if (filter.thumb === 0) {
		facet('thumb', 1, true);
		facet('thumb', -1, true);
	} else if (filter.thumb !== undefined) facet('thumb', filter.thumb);
	if (filter.hasFeedback !== undefined) facet('hasFeedback', 1, !filter.hasFeedback);
	if (filter.corrected !== undefined) facet('corrected', 1, !filter.corrected);
	if (filter.model !== undefined) equals('[projectId+model]', filter.model);
	if (filter.tag !== undefined) facet('tag', filter.tag);
	if (sort === 'imported' && (filter.from !== undefined || filter.to !== undefined)) {
		parts.push({
			key: `created=${projectId}|${String(filter.from)}|${String(filter.to)}`,
			read: (logs) => idsByTime(logs, projectId, filter.from, filter.to),
			exclude: false
		});
	}
	return parts;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function messageMatches(message: ChatMessage, pattern: RegExp): boolean {
	const { content } = message;
	if (typeof content === 'string') {
		if (pattern.test(content)) return true;
	} else if (Array.isArray(content)) {
		for (const part of content)
			if (typeof part.text === 'string' && pattern.test(part.text)) return true;
	}
	for (const call of message.tool_calls ?? []) {
		if (pattern.test(call.function.name) || pattern.test(call.function.arguments)) return true;
	}
	return false;
}

/** True when the text occurs (ignoring case) in any input or output message content, or in a
 * tool call's name or arguments. */
export function logMatchesText(log: LogRecord, text: string): boolean {
	return logMatches(log, textPattern(text));
}

function textPattern(text: string): RegExp {
	// 'u' so case folding and surrogate pairs follow Unicode; no 'g' (test() must not keep state).
	return new RegExp(escapeRegExp(text), 'iu');
}

function logMatches(log: LogRecord, pattern: RegExp): boolean {
	return (
		log.input.some((message) => messageMatches(message, pattern)) ||
		messageMatches(log.output, pattern)
	);
}

async function searchText(
	db: AppDB,
	ids: string[],
	text: string,
	options: QueryOptions
): Promise<string[]> {
	const pattern = textPattern(text);
	const matched: string[] = [];
	for (let start = 0; start < ids.length; start += TEXT_SCAN_CHUNK) {
		options.signal?.throwIfAborted();
		const chunk = ids.slice(start, start + TEXT_SCAN_CHUNK);
		const logs = await db.logs.bulkGet(chunk);
		logs.forEach((log, index) => {
			if (log && logMatches(log, pattern)) matched.push(chunk[index]);
		});
		options.onProgress?.({
			scanned: Math.min(start + TEXT_SCAN_CHUNK, ids.length),
			total: ids.length,
			matched: matched.length
		});
	}
	return matched;
}

/**
 * The ids of a project's logs that pass every filter, in the requested order. Cheap enough to
 * re-run on every filter change; the list feeds a virtualized view that loads rows with getLogs.
 * A text filter scans the candidate rows (progress reported, cancel through `signal`, which
 * rejects with the signal's reason, an AbortError).
 */
export async function queryLogIds(
	filter: LogFilter,
	sort: LogSort,
	options: QueryOptions = {}
): Promise<string[]> {
	const db = getDb();
	options.signal?.throwIfAborted();
	const scope = `${db.name}|`;
	const orderKey = `${scope}${filter.projectId}|${sort}|${String(filter.from)}|${String(filter.to)}`;
	const parts = filterParts(filter, sort);
	const [ordered, ...sets] = await Promise.all([
		remember(cache, orderKey, () => sortedIds(db.logs, filter, sort)),
		...parts.map((part) =>
			remember(setCache, scope + part.key, () => part.read(db.logs).then((ids) => new Set(ids)))
		)
	]);
	options.signal?.throwIfAborted();
	let ids = ordered;
	const keep = sets.filter((_, index) => !parts[index].exclude);
	const drop = sets.filter((set, index) => parts[index].exclude && set.size > 0);
	if (keep.length > 0 || drop.length > 0) {
		// Smallest set first so most ids are rejected by the first lookup.
		keep.sort((a, b) => a.size - b.size);
		ids =
			keep.length > 0 && keep[0].size === 0
				? []
				: ordered.filter(
						(id) => keep.every((set) => set.has(id)) && !drop.some((set) => set.has(id))
					);
	}
	const text = filter.text?.trim();
	if (!text) return ids;
	return searchText(db, ids, text, options);
}

/**
 * Reads the common filters' id sets (labels, feedback, corrected, reviewed) and both date orders
 * into the cache ahead of use, one after another, so the first change of a filter menu is as
 * quick as the next. Stops early when `signal` aborts.
 */
export async function warmFilterCache(projectId: string, signal?: AbortSignal): Promise<void> {
	const db = getDb();
	const scope = `${db.name}|`;
	const filters: LogFilter[] = [
		{ projectId, thumb: -1 },
		{ projectId, thumb: 1 },
		{ projectId, thumb: 0 },
		{ projectId, hasFeedback: true },
		{ projectId, hasFeedback: false },
		{ projectId, corrected: true },
		{ projectId, reviewed: true },
		{ projectId, userFeedback: true }
	];
	// The label menu's sets first (the filter a reviewer changes most), then the other sets,
	// then the other date order.
	for (const part of filters.flatMap((filter) => filterParts(filter, 'newest'))) {
		if (signal?.aborted) return;
		await remember(setCache, scope + part.key, () =>
			part.read(db.logs).then((ids) => new Set(ids))
		);
	}
	for (const sort of ['newest', 'oldest'] as const) {
		if (signal?.aborted) return;
		const orderKey = `${scope}${projectId}|${sort}|undefined|undefined`;
		await remember(cache, orderKey, () => sortedIds(db.logs, { projectId }, sort));
	}
}

/** Models used in a project, sorted (logs without a model are not listed). */
export async function distinctModels(projectId: string): Promise<string[]> {
	const keys = await getDb()
		.logs.where('[projectId+model]')
		.between([projectId, MIN], [projectId, MAX], true, true)
		.uniqueKeys();
	return keys.map((key) => String(keyPart(key, 1)));
}

/**
 * Counts for the browser's facet badges; each is one index count, fast at 100k logs. Only the
 * total walks the whole project's index keys; "unjudged" is what 👍 and 👎 leave, as every log's
 * thumb is one of 1, -1 and 0. The page re-counts while an import writes, so each
 * walk saved is time the import's own transactions get.
 */
export async function facetCounts(projectId: string): Promise<FacetCounts> {
	const db = getDb();
	return db.transaction('r', db.logs, async (tx) => {
		const logs = boundTables(tx).logs;
		const count = (name: FacetName, value: number) =>
			logs
				.where(FACETS)
				.equals(facetKey(projectId, name, value))
				.count();
		const [total, up, down, corrected, withFeedback, reviewedIds, userIds] = await Promise.all([
			projectIds(logs, projectId).count(),
			count('thumb', 1),
			count('thumb', -1),
			count('corrected', 1),
			count('hasFeedback', 1),
			facetIds(logs, projectId, 'reviewed', 1),
			facetIds(logs, projectId, 'userFeedback', 1)
		]);
		const reviewed = new Set(reviewedIds);
		const unreviewedUserFeedback = userIds.filter((id) => !reviewed.has(id)).length;
		return {
			total,
			up,
			down,
			unjudged: total - up - down,
			corrected,
			withFeedback,
			reviewed: reviewed.size,
			userFeedback: userIds.length,
			unreviewedUserFeedback
		};
	});
}
