/**
 * Queries for the log browser, built to stay fast at 100,000 logs: every filter is a key-only
 * query (`primaryKeys()`, no rows loaded) on one index scoped by project; the sorted id list
 * comes from the sort index and is narrowed by the other filters' id sets in memory. Only a text
 * search reads rows, in chunks, and it can be cancelled.
 */
import { Dexie } from 'dexie';
import type { ChatMessage, LogFilter, LogRecord, LogSort } from '../core/types';
import { boundTables, getDb, type AppDB } from './db';

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

/** One part of a compound index key. */
function keyPart(key: unknown, index: number): unknown {
	return Array.isArray(key) ? (key as unknown[])[index] : undefined;
}

/** Ids in the given order: by createdAt (newest/oldest) or source order (imported). */
async function sortedIds(logs: AppDB['logs'], filter: LogFilter, sort: LogSort): Promise<string[]> {
	const { projectId } = filter;
	if (sort !== 'imported') {
		const range = logs
			.where('[projectId+createdAt]')
			.between([projectId, filter.from ?? MIN], [projectId, filter.to ?? MAX], true, true);
		return sort === 'newest' ? range.reverse().primaryKeys() : range.primaryKeys();
	}
	return importedOrder(logs, projectId);
}

/**
 * Source order: import time, then line in the source file. Two key-only reads, no cursor over
 * index keys (slow at 100k): `all` is every log by import time (ties by id); `lined` is the logs
 * that have a line, by import time then line. Both order the import-time groups alike and hold
 * the same lined ids per group, so walking `all` and filling each lined slot with the next id of
 * `lined` puts every group in line order. Logs without a line (playground, API) keep their place
 * by import time; they can only meet lined logs imported in the very same millisecond.
 */
async function importedOrder(logs: AppDB['logs'], projectId: string): Promise<string[]> {
	const [all, lined] = await Promise.all([
		logs
			.where('[projectId+importedAt]')
			.between([projectId, MIN], [projectId, MAX], true, true)
			.primaryKeys(),
		logs
			.where('[projectId+importedAt+source.line]')
			.between([projectId, MIN, MIN], [projectId, MAX, MAX], true, true)
			.primaryKeys()
	]);
	if (lined.length === all.length) return lined;
	const hasLine = new Set(lined);
	let next = 0;
	return all.map((id) => (hasLine.has(id) ? lined[next++] : id));
}

/** One filter's ids; `exclude` keeps the logs NOT in the set (sparse indexes hold only the 1s). */
interface FilterSet {
	ids: string[];
	exclude: boolean;
}

/** A sparse flag's filter: the flagged ids, kept or excluded. */
function flagSet(
	logs: AppDB['logs'],
	index: string,
	projectId: string,
	wanted: boolean
): Promise<FilterSet> {
	return logs
		.where(index)
		.equals([projectId, 1])
		.primaryKeys()
		.then((ids) => ({ ids, exclude: !wanted }));
}

/** The id sets of the filters other than the sort's own range, each from one index. */
function filterSets(logs: AppDB['logs'], filter: LogFilter, sort: LogSort): Promise<FilterSet>[] {
	const { projectId } = filter;
	const included: Promise<string[]>[] = [];
	const sets: Promise<FilterSet>[] = [];
	if (filter.reviewed !== undefined) {
		sets.push(flagSet(logs, '[projectId+reviewed]', projectId, filter.reviewed));
	}
	if (filter.userFeedback !== undefined) {
		sets.push(flagSet(logs, '[projectId+userFeedback]', projectId, filter.userFeedback));
	}
	addIncluded(logs, filter, sort, included);
	for (const ids of included) sets.push(ids.then((list) => ({ ids: list, exclude: false })));
	return sets;
}

function addIncluded(
	logs: AppDB['logs'],
	filter: LogFilter,
	sort: LogSort,
	sets: Promise<string[]>[]
): void {
	const { projectId } = filter;
	const equals = (index: string, key: (string | number)[]) =>
		logs.where(index).equals(key).primaryKeys();
	if (filter.importId !== undefined) {
		sets.push(logs.where('source.importId').equals(filter.importId).primaryKeys());
	}
	if (filter.thumb !== undefined) sets.push(equals('[projectId+thumb]', [projectId, filter.thumb]));
	if (filter.hasFeedback !== undefined) {
		sets.push(equals('[projectId+hasFeedback]', [projectId, filter.hasFeedback ? 1 : 0]));
	}
	if (filter.corrected !== undefined) {
		sets.push(equals('[projectId+corrected]', [projectId, filter.corrected ? 1 : 0]));
	}
	if (filter.model !== undefined) sets.push(equals('[projectId+model]', [projectId, filter.model]));
	if (filter.tag !== undefined) sets.push(logs.where('tags').equals(filter.tag).primaryKeys());
	if (sort === 'imported' && (filter.from !== undefined || filter.to !== undefined)) {
		sets.push(
			logs
				.where('[projectId+createdAt]')
				.between([projectId, filter.from ?? MIN], [projectId, filter.to ?? MAX], true, true)
				.primaryKeys()
		);
	}
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
	// One read transaction so the sort order and the filter sets see the same data.
	const [ordered, ...sets] = await db.transaction('r', db.logs, (tx) => {
		const logs = boundTables(tx).logs;
		return Promise.all([sortedIds(logs, filter, sort), ...filterSets(logs, filter, sort)]);
	});
	options.signal?.throwIfAborted();
	let ids = ordered;
	const keep = sets.filter((set) => !set.exclude);
	const drop = sets.filter((set) => set.exclude && set.ids.length > 0);
	if (keep.length > 0 || drop.length > 0) {
		// Smallest set first so most ids are rejected by the first lookup.
		const lookups = keep.sort((a, b) => a.ids.length - b.ids.length).map((s) => new Set(s.ids));
		const excluded = drop.map((s) => new Set(s.ids));
		ids =
			lookups.length > 0 && lookups[0].size === 0
				? []
				: ordered.filter(
						(id) => lookups.every((set) => set.has(id)) && !excluded.some((set) => set.has(id))
					);
	}
	const text = filter.text?.trim();
	if (!text) return ids;
	return searchText(db, ids, text, options);
}

/** Models used in a project, sorted (logs without a model are not listed). */
export async function distinctModels(projectId: string): Promise<string[]> {
	const keys = await getDb()
		.logs.where('[projectId+model]')
		.between([projectId, MIN], [projectId, MAX], true, true)
		.uniqueKeys();
	return keys.map((key) => String(keyPart(key, 1)));
}

/** Counts for the browser's facet badges; each is one index count, fast at 100k logs. */
export async function facetCounts(projectId: string): Promise<FacetCounts> {
	const db = getDb();
	return db.transaction('r', db.logs, async (tx) => {
		const logs = boundTables(tx).logs;
		const count = (index: string, value: number) =>
			logs.where(index).equals([projectId, value]).count();
		const flagged = (index: string) => logs.where(index).equals([projectId, 1]).primaryKeys();
		const [total, up, down, unjudged, corrected, withFeedback, reviewedIds, userIds] =
			await Promise.all([
				logs
					.where('[projectId+createdAt]')
					.between([projectId, MIN], [projectId, MAX], true, true)
					.count(),
				count('[projectId+thumb]', 1),
				count('[projectId+thumb]', -1),
				count('[projectId+thumb]', 0),
				count('[projectId+corrected]', 1),
				count('[projectId+hasFeedback]', 1),
				flagged('[projectId+reviewed]'),
				flagged('[projectId+userFeedback]')
			]);
		const reviewed = new Set(reviewedIds);
		const unreviewedUserFeedback = userIds.filter((id) => !reviewed.has(id)).length;
		return {
			total,
			up,
			down,
			unjudged,
			corrected,
			withFeedback,
			reviewed: reviewed.size,
			userFeedback: userIds.length,
			unreviewedUserFeedback
		};
	});
}
