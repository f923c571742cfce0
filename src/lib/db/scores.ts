/**
 * Orders by the active model's score, for the log browser ("sort/filter by score") and the
 * review queue ("most uncertain first", "model disagrees with your label"). Scores are P(👍)
 * under one model; logs the model has not scored yet have no score and come last.
 */
import { Dexie } from 'dexie';
import type { ScoreRow } from '../core/prefmodel/types';
import { getDb } from './db';
import { activeModel } from './models';
import { facetIds } from './facets';

export type ScoreOrder = 'high' | 'low';

/** Scores of a model for some logs (missing ones absent from the map). */
export async function scoresFor(
	modelId: string,
	logIds: readonly string[]
): Promise<Map<string, number>> {
	const rows = await getDb().scores.bulkGet(logIds.map((id) => [modelId, id] as [string, string]));
	const map = new Map<string, number>();
	for (const row of rows) if (row) map.set(row.logId, row.score);
	return map;
}

/** A log's score under the project's active model, or null (no model, or not scored yet). */
export async function scoreOf(projectId: string, logId: string): Promise<number | null> {
	const model = await activeModel(projectId);
	if (!model) return null;
	const row = await getDb().scores.get([model.id, logId]);
	return row?.score ?? null;
}

/**
 * Ids of a project's logs by score under its active model, from the [modelId+score] index
 * (key-only, no rows loaded); `min`/`max` keep only scores in that range. Empty without a model.
 */
export async function logIdsByScore(
	projectId: string,
	order: ScoreOrder = 'high',
	range: { min?: number; max?: number } = {}
): Promise<string[]> {
	const model = await activeModel(projectId);
	if (!model) return [];
	const keys = getDb()
		.scores.where('[modelId+score]')
		.between(
			[model.id, range.min ?? Dexie.minKey],
			[model.id, range.max ?? Dexie.maxKey],
			true,
			true
		);
	const rows: ScoreRow[] = await (order === 'high' ? keys.reverse() : keys).toArray();
	return rows.map((row) => row.logId);
}

/**
 * Reorders ids (a filtered list from the log browser) by score; ids without a score keep their
 * order after the scored ones. With `range`, ids whose score falls outside it are dropped.
 */
export async function orderIdsByScore(
	projectId: string,
	ids: readonly string[],
	order: ScoreOrder,
	range: { min?: number; max?: number } = {}
): Promise<string[]> {
	const model = await activeModel(projectId);
	if (!model) return [...ids];
	const scores = await scoresFor(model.id, ids);
	const filtering = range.min !== undefined || range.max !== undefined;
	const inRange = (s: number) => (range.min ?? 0) <= s && s <= (range.max ?? 1);
	const scored = ids.filter(
		(id) => scores.has(id) && (!filtering || inRange(scores.get(id) as number))
	);
	const sign = order === 'high' ? -1 : 1;
	scored.sort((a, b) => sign * ((scores.get(a) as number) - (scores.get(b) as number)));
	const rest = filtering ? [] : ids.filter((id) => !scores.has(id));
	return [...scored, ...rest];
}

/**
 * "Most uncertain first" (active learning): ids ordered by |P(👍) − ½|, closest to ½ first. With
 * `ids`, orders those (e.g. the unreviewed ones); otherwise every scored log of the project.
 */
export async function uncertaintyOrder(
	projectId: string,
	ids?: readonly string[]
): Promise<string[]> {
	const model = await activeModel(projectId);
	if (!model) return ids ? [...ids] : [];
	const rows: { logId: string; score: number }[] = ids
		? [...(await scoresFor(model.id, ids))].map(([logId, score]) => ({ logId, score }))
		: await getDb()
				.scores.where('[modelId+logId]')
				.between([model.id, ''], [model.id, '\uffff'])
				.toArray();
	rows.sort((a, b) => Math.abs(a.score - 0.5) - Math.abs(b.score - 0.5));
	const ordered = rows.map((r) => r.logId);
	if (!ids) return ordered;
	const seen = new Set(ordered);
	return [...ordered, ...ids.filter((id) => !seen.has(id))];
}

/**
 * "Model disagrees with your label": labelled logs whose 👍/👎 the model contradicts, most
 * confident disagreement first (a 👍 the model gives 0.05 comes before one it gives 0.45).
 */
export async function disagreements(
	projectId: string
): Promise<{ logId: string; thumb: 1 | -1; score: number }[]> {
	const model = await activeModel(projectId);
	if (!model) return [];
	const db = getDb();
	const [up, down] = await Promise.all([
		facetIds(db.logs, projectId, 'thumb', 1),
		facetIds(db.logs, projectId, 'thumb', -1)
	]);
	const scores = await scoresFor(model.id, [...up, ...down]);
	const found: { logId: string; thumb: 1 | -1; score: number }[] = [];
	for (const id of up) {
		const s = scores.get(id);
		if (s !== undefined && s < 0.5) found.push({ logId: id, thumb: 1, score: s });
	}
	for (const id of down) {
		const s = scores.get(id);
		if (s !== undefined && s > 0.5) found.push({ logId: id, thumb: -1, score: s });
	}
	const confidence = (d: { thumb: 1 | -1; score: number }) =>
		d.thumb === 1 ? 0.5 - d.score : d.score - 0.5;
	return found.sort((a, b) => confidence(b) - confidence(a));
}

/** The score filter choices of the log browser, as score ranges. */
export const SCORE_RANGES = {
	any: {},
	'likely-up': { min: 0.5 },
	'likely-down': { max: 0.5 },
	uncertain: { min: 0.35, max: 0.65 }
} as const satisfies Record<string, { min?: number; max?: number }>;

export type ScoreFilter = keyof typeof SCORE_RANGES;

/**
 * The log browser's score view of a filtered id list: sorted by score ('none' keeps the
 * list's order) and/or narrowed to a score range. Without an active model the list is unchanged.
 */
export async function applyScoreView(
	projectId: string,
	ids: readonly string[],
	order: ScoreOrder | 'none',
	filter: ScoreFilter
): Promise<string[]> {
	if (order === 'none' && filter === 'any') return [...ids];
	const range: { min?: number; max?: number } = SCORE_RANGES[filter];
	if (order !== 'none') return orderIdsByScore(projectId, ids, order, range);
	const model = await activeModel(projectId);
	if (!model) return [...ids];
	const scores = await scoresFor(model.id, ids);
	return ids.filter((id) => {
		const s = scores.get(id);
		return s !== undefined && (range.min ?? 0) <= s && s <= (range.max ?? 1);
	});
}
