import { beforeAll, describe, expect, it } from 'vitest';
import type { LogFilter, LogRecord, LogSort } from '../core/types';
import {
	clearQueryCache,
	distinctModels,
	facetCounts,
	logMatchesText,
	queryLogIds,
	TEXT_SCAN_CHUNK
} from './log-query';
import { importLogId } from '../core/log-id';
import { getDb, sparseLog } from './db';
import { BASE_TIME, makeImport, makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

const COUNT = 5000;
const IMP_1_START = BASE_TIME + 2_000_000;
const IMP_2_START = BASE_TIME + 1_000_000;
let logs: LogRecord[];

/** A deterministic shuffle of createdAt, so creation order differs from import order. */
function scrambled(n: number): number {
	return (n * 7919) % COUNT;
}

function generate(): LogRecord[] {
	const rows: LogRecord[] = [];
	for (let n = 0; n < COUNT; n++) {
		const thumb = ([1, -1, 0] as const)[n % 3];
		const corrected = n % 7 === 0 ? 1 : 0;
		const tags = n % 11 === 0 ? ['tone', 'length'] : n % 13 === 0 ? ['tone'] : [];
		const hasFeedback = thumb !== 0 || corrected === 1 || tags.length > 0 ? 1 : 0;
		// Sparse flags: present only when 1.
		const flags = {
			...(n % 4 === 1 ? { reviewed: 1 as const } : {}),
			...(n % 6 === 1 || n % 6 === 2 ? { userFeedback: 1 as const } : {})
		};
		// Two imports, the second one earlier in time and in reverse line order on disk, and
		// playground logs made between them. Ids are made as the app makes them (they carry the
		// import's start and the line: source order and one import's logs are id ranges).
		const importedAt = n < 3000 ? IMP_1_START : n < 4990 ? IMP_2_START : BASE_TIME + 1_500_000 + n;
		const source: LogRecord['source'] =
			n < 3000
				? { kind: 'file', importId: 'imp-1', file: 'one.jsonl', line: n + 1 }
				: n < 4990
					? { kind: 'file', importId: 'imp-2', file: 'two.jsonl', line: COUNT - n }
					: { kind: 'playground' };
		const log = makeLog('a', n, {
			...flags,
			id: importLogId('a', importedAt, source.line ?? 0, 0),
			createdAt: BASE_TIME + scrambled(n) * 1000,
			importedAt,
			source,
			thumb,
			rating: 0,
			corrected,
			hasFeedback,
			tags
		});
		if (n % 500 === 3) log.input[1] = { role: 'user', content: 'Where is my NeEdLe?' };
		if (n % 500 === 7)
			log.output = { role: 'assistant', content: [{ type: 'text', text: 'a needle here' }] };
		if (n % 500 === 11) {
			log.output = {
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'c', type: 'function', function: { name: 'find_NEEDLE', arguments: '{}' } }
				]
			};
		}
		if (n % 500 === 13) {
			log.output = {
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"q":"needle"}' } }
				]
			};
		}
		if (n === 42) log.model = undefined;
		rows.push(log);
	}
	return rows;
}

function expected(filter: LogFilter, sort: LogSort): string[] {
	const rows = logs.filter(
		(log) =>
			log.projectId === filter.projectId &&
			(filter.importId === undefined || log.source.importId === filter.importId) &&
			(filter.thumb === undefined || log.thumb === filter.thumb) &&
			(filter.hasFeedback === undefined || log.hasFeedback === (filter.hasFeedback ? 1 : 0)) &&
			(filter.corrected === undefined || log.corrected === (filter.corrected ? 1 : 0)) &&
			(filter.model === undefined || log.model === filter.model) &&
			(filter.tag === undefined || log.tags.includes(filter.tag)) &&
			(filter.reviewed === undefined || (log.reviewed === 1) === filter.reviewed) &&
			(filter.userFeedback === undefined || (log.userFeedback === 1) === filter.userFeedback) &&
			(filter.from === undefined || log.createdAt >= filter.from) &&
			(filter.to === undefined || log.createdAt <= filter.to) &&
			(filter.text === undefined || logMatchesText(log, filter.text))
	);
	const line = (log: LogRecord) => log.source.line ?? 0;
	const byId = (a: LogRecord, b: LogRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	const compare: Record<LogSort, (a: LogRecord, b: LogRecord) => number> = {
		newest: (a, b) => b.createdAt - a.createdAt || byId(b, a),
		oldest: (a, b) => a.createdAt - b.createdAt || byId(a, b),
		imported: (a, b) => a.importedAt - b.importedAt || line(a) - line(b) || byId(a, b)
	};
	return rows.sort(compare[sort]).map((log) => log.id);
}

beforeAll(async () => {
	const db = useTestDb();
	logs = generate();
	// Another project's logs must never leak into project a's results.
	const other = Array.from({ length: 50 }, (_, n) =>
		makeLog('b', n, {
			id: importLogId('b', IMP_1_START, n + 1, 0),
			source: { kind: 'file', importId: 'imp-b', file: 'b.jsonl', line: n + 1 },
			thumb: 1,
			hasFeedback: 1,
			tags: ['tone']
		})
	);
	await db.logs.bulkAdd([...logs, ...other].map((log) => sparseLog(log)));
	await db.imports.bulkAdd([
		makeImport('imp-1', 'a', { startedAt: IMP_1_START }),
		makeImport('imp-2', 'a', { startedAt: IMP_2_START }),
		// Another project's import in the very same millisecond: its logs are not imp-1's.
		makeImport('imp-b', 'b', { startedAt: IMP_1_START })
	]);
});

describe('queryLogIds', () => {
	const filters: [string, Omit<LogFilter, 'projectId'>][] = [
		['no filter', {}],
		['import', { importId: 'imp-2' }],
		['thumb up', { thumb: 1 }],
		['thumb down', { thumb: -1 }],
		['no thumb', { thumb: 0 }],
		['with feedback', { hasFeedback: true }],
		['without feedback', { hasFeedback: false }],
		['corrected', { corrected: true }],
		['model', { model: 'model-2' }],
		['tag', { tag: 'tone' }],
		['date range', { from: BASE_TIME + 1_000_000, to: BASE_TIME + 2_000_000 }],
		['from only', { from: BASE_TIME + 4_000_000 }],
		['combined', { thumb: -1, model: 'model-1', importId: 'imp-1', from: BASE_TIME + 500_000 }],
		['nothing matches', { thumb: 1, corrected: true, model: 'nope' }],
		['reviewed', { reviewed: true }],
		['not reviewed', { reviewed: false }],
		['unreviewed user feedback', { userFeedback: true, reviewed: false }],
		['no user feedback, thumb down', { userFeedback: false, thumb: -1 }]
	];
	const sorts: LogSort[] = ['newest', 'oldest', 'imported'];

	for (const [name, filter] of filters) {
		for (const sort of sorts) {
			it(`${name}, ${sort}`, async () => {
				const full = { projectId: 'a', ...filter };
				const ids = await queryLogIds(full, sort);
				expect(ids).toEqual(expected(full, sort));
			});
		}
	}

	it('imported order is import time, then source line, with playground logs at their time', async () => {
		const numberOf = new Map(logs.map((log, n) => [log.id, n]));
		const order = (await queryLogIds({ projectId: 'a' }, 'imported')).map((id) => numberOf.get(id));
		// imp-2 came first in time and its lines run backwards from the end of the numbering.
		expect(order[0]).toBe(4989);
		expect(order[1989]).toBe(3000);
		expect(order.slice(1990, 2000)).toEqual(Array.from({ length: 10 }, (_, i) => 4990 + i));
		expect(order[2000]).toBe(0);
		expect(order[4999]).toBe(2999);
	});

	it("finds an import's logs without its record, by their source", async () => {
		const db = getDb();
		const record = await db.imports.get('imp-2');
		await db.imports.delete('imp-2');
		clearQueryCache(); // the filter's ids are remembered while the logs do not change
		try {
			const full = { projectId: 'a', importId: 'imp-2' };
			expect(await queryLogIds(full, 'oldest')).toEqual(expected(full, 'oldest'));
		} finally {
			if (record) await db.imports.add(record);
		}
	});

	it('finds text case-insensitively in content, content parts, tool names and arguments', async () => {
		const progress: number[] = [];
		const filter = { projectId: 'a', text: 'needle' };
		const ids = await queryLogIds(filter, 'oldest', {
			onProgress: (p) => progress.push(p.scanned)
		});
		expect(ids).toEqual(expected(filter, 'oldest'));
		expect(ids).toHaveLength(40);
		expect(progress).toEqual([TEXT_SCAN_CHUNK, 2 * TEXT_SCAN_CHUNK, COUNT]);
		const narrowed = { projectId: 'a', text: 'NEEDLE', importId: 'imp-1', thumb: 1 as const };
		expect(await queryLogIds(narrowed, 'newest')).toEqual(expected(narrowed, 'newest'));
		expect(await queryLogIds({ projectId: 'a', text: 'no such (text' }, 'newest')).toEqual([]);
	});

	it('stops a text search when aborted', async () => {
		const controller = new AbortController();
		const search = queryLogIds({ projectId: 'a', text: 'needle' }, 'newest', {
			signal: controller.signal,
			onProgress: () => controller.abort()
		});
		await expect(search).rejects.toMatchObject({ name: 'AbortError' });
	});
});

describe('facets', () => {
	it('counts by index', async () => {
		const own = logs.filter((log) => log.projectId === 'a');
		expect(await facetCounts('a')).toEqual({
			total: COUNT,
			up: own.filter((log) => log.thumb === 1).length,
			down: own.filter((log) => log.thumb === -1).length,
			unjudged: own.filter((log) => log.thumb === 0).length,
			corrected: own.filter((log) => log.corrected === 1).length,
			withFeedback: own.filter((log) => log.hasFeedback === 1).length,
			reviewed: own.filter((log) => log.reviewed === 1).length,
			userFeedback: own.filter((log) => log.userFeedback === 1).length,
			unreviewedUserFeedback: own.filter((log) => log.userFeedback === 1 && log.reviewed !== 1)
				.length
		});
		expect(await facetCounts('b')).toMatchObject({ total: 50, up: 50 });
		expect(await facetCounts('empty')).toEqual({
			total: 0,
			up: 0,
			down: 0,
			unjudged: 0,
			corrected: 0,
			withFeedback: 0,
			reviewed: 0,
			userFeedback: 0,
			unreviewedUserFeedback: 0
		});
	});

	it('lists distinct models', async () => {
		expect(await distinctModels('a')).toEqual(['model-0', 'model-1', 'model-2', 'model-3']);
	});
});
