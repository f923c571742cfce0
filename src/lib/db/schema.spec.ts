/**
 * Migration harness: for every schema version the app has shipped, a database written by that
 * version must open with today's AppDB with every row intact (or upgraded as intended) and its
 * indexes usable.
 *
 * When you append version N+1 to schema.ts:
 * 1. add `{ from: N + 1, rows: VN_PLUS_1_ROWS, expected: … }` to `cases` (rows as that version
 *    writes them, as frozen literals: never built from today's types or fixtures);
 * 2. update the `expected` of older cases to what the upgrade makes of their rows;
 * 3. add version N+1's stores to SHIPPED_STORES.
 */
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { inputHash } from '../core/hash';
import type { LogRecord } from '../core/types';
import { AppDB, setDb, TABLE_NAMES } from './db';
import { facetCounts, queryLogIds } from './log-query';
import { countSiblings } from './review';
import { declareSchema, SCHEMA_VERSION, schemaVersions } from './schema';
import { freshFactory } from './test-db';

/** The stores of each shipped version, copied here so an edit of a shipped version fails. */
const SHIPPED_STORES: Record<number, Record<string, string | null>> = {
	1: {
		projects: 'id, createdAt',
		logs:
			'id, &[projectId+hash], [projectId+createdAt], [projectId+importedAt], ' +
			'[projectId+importedAt+source.line], ' +
			'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
			'source.importId, *tags',
		feedback: '++id, logId, [projectId+at], &key',
		imports: 'id, projectId, startedAt, status',
		importRejects: '[importId+line]',
		settings: 'key'
	},
	2: {
		logs:
			'id, &[projectId+hash], [projectId+createdAt], [projectId+importedAt], ' +
			'[projectId+importedAt+source.line], ' +
			'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
			'[projectId+reviewed], [projectId+userFeedback], [projectId+inputHash], source.importId, ' +
			'*tags',
		datasets: 'id, projectId',
		datasetVersions: 'id, datasetId, projectId',
		models: 'id, projectId',
		scores: '[modelId+logId], [modelId+score]',
		embeddings: '[model+hash]',
		jobs: 'id, projectId, createdAt'
	},
	3: {
		logs:
			'id, &[projectId+hash], [projectId+createdAt], ' +
			'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
			'[projectId+reviewed], [projectId+userFeedback], [projectId+inputHash], *tags'
	},
	4: {
		logs:
			'id, &[projectId+inputHash+hash], [projectId+createdAt], ' +
			'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
			'[projectId+reviewed], [projectId+userFeedback], *tags'
	},
	5: {
		logs: 'id, &[projectId+inputHash+hash], [projectId+createdAt], [projectId+model], *facets'
	}
};

type Rows = Record<string, object[]>;

/**
 * Rows exactly as version 1 writes them. Log ids are as core/log-id.ts makes them (project, then
 * the import's start time and the line in base 36): version 3 reads source order and one
 * import's logs from them.
 */
const V1_ROWS: Rows = {
	settings: [{ key: 'theme', value: 'dark' }],
	projects: [
		{
			id: 'p1',
			name: 'Support',
			createdAt: 1_700_000_000_000,
			labels: { ratings: true, tags: ['tone'] }
		}
	],
	imports: [
		{
			id: 'i1',
			projectId: 'p1',
			name: 'logs.jsonl',
			size: 2048,
			lastModified: 1_700_000_000_000,
			hash: 'f00d',
			startedAt: 1_700_000_100_000,
			finishedAt: 1_700_000_200_000,
			status: 'done',
			counts: {
				lines: 3,
				blank: 0,
				accepted: 2,
				rejected: 1,
				duplicates: 0,
				logs: 2,
				formats: { 'openai-chat': 2 }
			},
			committedLine: 3
		}
	],
	importRejects: [{ importId: 'i1', line: 2, reason: 'Line is not JSON', raw: '{"messages": [' }],
	logs: [
		{
			id: 'p1:0loyw6080-0000001-0',
			projectId: 'p1',
			hash: 'aaa',
			format: 'openai-chat',
			source: { kind: 'file', importId: 'i1', file: 'logs.jsonl', line: 1 },
			createdAt: 1_699_000_000_000,
			importedAt: 1_700_000_100_000,
			input: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Where is order 42?' }
			],
			output: {
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":42}' } }
				]
			},
			tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
			model: 'gpt-4o-mini',
			thumb: 1,
			rating: 0,
			hasFeedback: 1,
			corrected: 0,
			tags: ['tone']
		},
		{
			id: 'p1:0loyw6080-0000003-0',
			projectId: 'p1',
			hash: 'bbb',
			format: 'openai-chat',
			source: { kind: 'file', importId: 'i1', file: 'logs.jsonl', line: 3 },
			createdAt: 1_699_000_500_000,
			importedAt: 1_700_000_100_000,
			input: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
			output: { role: 'assistant', content: 'Hello!' },
			thumb: 0,
			rating: 0,
			hasFeedback: 0,
			corrected: 0,
			tags: []
		}
	],
	feedback: [
		{
			id: 1,
			logId: 'p1:0loyw6080-0000001-0',
			projectId: 'p1',
			at: 1_700_000_100_000,
			actor: 'imported',
			body: { kind: 'thumb', value: 1 },
			key: 'p1:0loyw6080-0000001-0|imported|0000000abcd'
		},
		{
			id: 2,
			logId: 'p1:0loyw6080-0000001-0',
			projectId: 'p1',
			at: 1_700_000_300_000,
			actor: 'me',
			body: { kind: 'tag', tag: 'tone', on: true }
		}
	]
};

interface MigrationCase {
	/** The version that wrote the database. */
	from: number;
	rows: Rows;
	/** What today's app must read back. */
	expected: Rows;
}

/**
 * What version 2's upgrade makes of V1_ROWS: every log gets its inputHash; log aaa has imported
 * feedback and a tag of mine.
 */
const V1_UPGRADED: Rows = {
	...V1_ROWS,
	logs: V1_ROWS.logs.map((row) => {
		const log = row as LogRecord;
		const withHash = { ...log, inputHash: inputHash(log) };
		return log.id === 'p1:0loyw6080-0000001-0'
			? { ...withHash, reviewed: 1, userFeedback: 1 }
			: withHash;
	})
};

/** Rows exactly as version 2 writes them (the summary flags are stored only when 1). */
const V2_ROWS: Rows = {
	...V1_UPGRADED,
	logs: [
		...V1_UPGRADED.logs,
		{
			id: 'p1:0loywn5i8-0000000-0',
			projectId: 'p1',
			hash: 'ccc',
			format: 'legacy',
			source: { kind: 'playground' },
			createdAt: 1_699_000_900_000,
			importedAt: 1_700_000_900_000,
			input: [{ role: 'user', content: 'Summarise' }],
			output: { role: 'assistant', content: 'Short.' },
			thumb: -1,
			rating: 0,
			hasFeedback: 1,
			corrected: 0,
			tags: [],
			reviewed: 1,
			inputHash: 'f1e2d3c4b5a69788'
		}
	],
	feedback: [
		...V1_UPGRADED.feedback,
		{
			id: 3,
			logId: 'p1:0loywn5i8-0000000-0',
			projectId: 'p1',
			at: 1_700_000_950_000,
			actor: 'me',
			body: { kind: 'thumb', value: -1 }
		}
	]
};

/**
 * Rows as version 3 writes them: the same shapes as version 2 (it only dropped indexes), plus a
 * second import, whose one log the import filter must find by the id range of its start time.
 */
const V3_ROWS: Rows = {
	...V2_ROWS,
	imports: [
		...V2_ROWS.imports,
		{
			id: 'i2',
			projectId: 'p1',
			name: 'more.jsonl',
			size: 512,
			lastModified: 1_700_000_950_000,
			hash: 'beef',
			startedAt: 1_700_001_000_000,
			finishedAt: 1_700_001_000_500,
			status: 'done',
			counts: {
				lines: 1,
				blank: 0,
				accepted: 1,
				rejected: 0,
				duplicates: 0,
				logs: 1,
				formats: { 'openai-chat': 1 }
			},
			committedLine: 1
		}
	],
	logs: [
		...V2_ROWS.logs,
		{
			id: 'p1:0loywpao0-0000001-0',
			projectId: 'p1',
			hash: 'ddd',
			format: 'openai-chat',
			source: { kind: 'file', importId: 'i2', file: 'more.jsonl', line: 1 },
			createdAt: 1_699_001_000_000,
			importedAt: 1_700_001_000_000,
			input: [{ role: 'user', content: 'Hello again' }],
			output: { role: 'assistant', content: 'Hi.' },
			thumb: 0,
			rating: 0,
			hasFeedback: 0,
			corrected: 0,
			tags: [],
			inputHash: '0123456789abcdef'
		}
	]
};

/** A version-3 log row as version 4 stores it: thumb, hasFeedback and corrected only when set. */
function withoutZeroFlags(row: object): object {
	const copy: Record<string, unknown> = { ...row };
	for (const flag of ['thumb', 'hasFeedback', 'corrected']) if (copy[flag] === 0) delete copy[flag];
	return copy;
}

/** A log of a version-4 database, as stored (sparse), and as the app reads it back. */
const V4_CORRECTED = {
	id: 'p1:0loywpao0-0000002-0',
	projectId: 'p1',
	hash: 'eee',
	format: 'openai-chat',
	source: { kind: 'file', importId: 'i2', file: 'more.jsonl', line: 2 },
	// Its own time, after the import's start: the untimed log below sorts before it.
	createdAt: 1_700_002_000_000,
	importedAt: 1_700_001_000_000,
	// The same input as log ddd: the two answer one input.
	input: [{ role: 'user', content: 'Hello again' }],
	output: { role: 'assistant', content: 'Hello!' },
	rating: 0,
	hasFeedback: 1,
	corrected: 1,
	tags: [],
	reviewed: 1,
	inputHash: '0123456789abcdef'
};

/**
 * A line of the second import with no time of its own: version 4 stores no createdAt for it, as
 * its id spells its import's start (0loywpao0 = 1_700_001_000_000), which dates it.
 */
const V4_UNTIMED = {
	id: 'p1:0loywpao0-0000003-0',
	projectId: 'p1',
	hash: 'fff',
	format: 'openai-chat',
	source: { kind: 'file', importId: 'i2', file: 'more.jsonl', line: 3 },
	importedAt: 1_700_001_000_000,
	input: [{ role: 'user', content: 'Any news?' }],
	output: { role: 'assistant', content: 'None yet.' },
	rating: 0,
	tags: [],
	inputHash: '00112233445566ff'
};

/** Rows as version 4 writes them: the 0s of the sparse flags and derivable createdAt not stored. */
const V4_ROWS: Rows = {
	...V3_ROWS,
	logs: [...V3_ROWS.logs.map(withoutZeroFlags), V4_CORRECTED, V4_UNTIMED]
};

/** What the app reads from V4_ROWS: every flag there, 0 where the row has none; every date. */
const V4_READ: Rows = {
	...V3_ROWS,
	logs: [
		...V3_ROWS.logs,
		{ ...V4_CORRECTED, thumb: 0 },
		{ ...V4_UNTIMED, createdAt: 1_700_001_000_000, thumb: 0, hasFeedback: 0, corrected: 0 }
	]
};

/** A version-4 log row as version 5 stores it: with a [projectId, name, value] facet per set
 * flag and per tag. */
function withFacets(row: object): object {
	const log = row as Record<string, unknown> & { projectId: string; tags?: string[] };
	const facets: unknown[] = [];
	for (const flag of ['thumb', 'hasFeedback', 'corrected', 'reviewed', 'userFeedback'])
		if (log[flag]) facets.push([log.projectId, flag, log[flag]]);
	for (const tag of log.tags ?? []) facets.push([log.projectId, 'tag', tag]);
	return facets.length > 0 ? { ...log, facets } : log;
}

/**
 * A log of a version-5 database as stored: besides the 0 flags, no rating of 0, no empty tags,
 * no createdAt or importedAt its id spells (its import's start); its facets.
 */
const V5_TAGGED = {
	id: 'p1:0loywpao0-0000004-0',
	projectId: 'p1',
	hash: 'ggg',
	format: 'openai-chat',
	source: { kind: 'file', importId: 'i2', file: 'more.jsonl', line: 4 },
	input: [{ role: 'user', content: 'Are you late?' }],
	output: { role: 'assistant', content: 'Never.' },
	thumb: -1,
	hasFeedback: 1,
	tags: ['tone', 'late'],
	inputHash: '0011223344556677',
	facets: [
		['p1', 'thumb', -1],
		['p1', 'hasFeedback', 1],
		['p1', 'tag', 'tone'],
		['p1', 'tag', 'late']
	]
};

const V5_ROWS: Rows = { ...V4_ROWS, logs: [...V4_ROWS.logs.map(withFacets), V5_TAGGED] };

/** What the app reads from V5_ROWS: everything filled in, no facets. */
const V5_READ: Rows = {
	...V4_READ,
	logs: [
		...V4_READ.logs,
		{
			...V5_TAGGED,
			facets: undefined,
			createdAt: 1_700_001_000_000,
			importedAt: 1_700_001_000_000,
			rating: 0,
			corrected: 0
		}
	].map((log) => {
		const { facets: _facets, ...read } = log as { facets?: unknown };
		return read;
	})
};

const cases: MigrationCase[] = [
	{ from: 1, rows: V1_ROWS, expected: V1_UPGRADED },
	{ from: 2, rows: V2_ROWS, expected: V2_ROWS },
	{ from: 3, rows: V3_ROWS, expected: V3_ROWS },
	{ from: 4, rows: V4_ROWS, expected: V4_READ },
	{ from: 5, rows: V5_ROWS, expected: V5_READ }
];

async function writeWithVersion(
	version: number,
	rows: Rows,
	deps: ReturnType<typeof freshFactory>
) {
	const old = new Dexie('tuneloop', deps);
	declareSchema(old, version);
	await old.open();
	await old.transaction('rw', Object.keys(rows), async (tx) => {
		for (const [table, list] of Object.entries(rows)) await tx.table(table).bulkAdd(list);
	});
	old.close();
}

describe('schema versions', () => {
	it('has a migration case for every shipped version', () => {
		expect(cases.map((c) => c.from)).toEqual(schemaVersions.map((v) => v.version));
	});

	it('never edits a shipped version', () => {
		for (const { version, stores } of schemaVersions) {
			expect(stores, `version ${version}`).toEqual(SHIPPED_STORES[version]);
		}
	});

	for (const migration of cases) {
		it(`opens a database written by version ${migration.from} with every row intact`, async () => {
			const deps = freshFactory();
			await writeWithVersion(migration.from, migration.rows, deps);

			const db = new AppDB('tuneloop', deps);
			await db.open();
			expect(db.verno).toBe(SCHEMA_VERSION);
			for (const table of TABLE_NAMES) {
				expect(await db.table(table).toArray(), table).toEqual(migration.expected[table] ?? []);
			}

			// The indexes the app queries answer on the upgraded data.
			setDb(db);
			const project = (migration.expected.projects[0] as { id: string }).id;
			const logIds = migration.expected.logs.map((log) => (log as { id: string }).id);
			expect(await queryLogIds({ projectId: project }, 'imported')).toEqual(logIds);
			// One import's logs (an id range since version 3).
			for (const record of migration.expected.imports as { id: string }[]) {
				const own = (migration.expected.logs as LogRecord[])
					.filter((log) => log.source.importId === record.id)
					.map((log) => log.id);
				expect(await queryLogIds({ projectId: project, importId: record.id }, 'imported')).toEqual(
					own
				);
			}
			expect((await facetCounts(project)).total).toBe(logIds.length);
			const reviewed = migration.expected.logs.filter((log) => 'reviewed' in log).length;
			expect(await db.logs.where('facets').equals([project, 'reviewed', 1]).count()).toBe(reviewed);
			// Since version 5 the flags and tags are indexed as facets, one per set flag and per tag,
			// never a 0 (stored only when set since version 4): the filters for 0 find the logs by
			// complement.
			const expectedLogs = migration.expected.logs as LogRecord[];
			const facetKeys = (await db.logs
				.where('facets')
				.between([project, Dexie.minKey, Dexie.minKey], [project, Dexie.maxKey, Dexie.maxKey])
				.keys()) as unknown as [string, string, number | string][];
			const flags = ['thumb', 'hasFeedback', 'corrected', 'reviewed', 'userFeedback'] as const;
			expect(facetKeys.length).toBe(
				expectedLogs.reduce(
					(sum, log) => sum + flags.filter((flag) => log[flag]).length + log.tags.length,
					0
				)
			);
			expect(facetKeys.filter(([, , value]) => value === 0)).toEqual([]);
			expect(await queryLogIds({ projectId: project, tag: 'tone' }, 'imported')).toEqual(
				expectedLogs.filter((log) => log.tags.includes('tone')).map((log) => log.id)
			);
			const ids = (keep: (log: LogRecord) => boolean) =>
				expectedLogs.filter(keep).map((log) => log.id);
			expect(await queryLogIds({ projectId: project, thumb: 0 }, 'imported')).toEqual(
				ids((log) => log.thumb === 0)
			);
			expect(await queryLogIds({ projectId: project, thumb: 1 }, 'imported')).toEqual(
				ids((log) => log.thumb === 1)
			);
			expect(await queryLogIds({ projectId: project, hasFeedback: false }, 'imported')).toEqual(
				ids((log) => log.hasFeedback === 0)
			);
			expect(await queryLogIds({ projectId: project, corrected: true }, 'imported')).toEqual(
				ids((log) => log.corrected === 1)
			);
			// Dates: logs dated by their import (no createdAt stored) are merged with the others.
			const byDate = [...expectedLogs]
				.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
				.map((log) => log.id);
			expect(await queryLogIds({ projectId: project }, 'oldest')).toEqual(byDate);
			expect(await queryLogIds({ projectId: project }, 'newest')).toEqual([...byDate].reverse());
			const from = 1_699_000_400_000;
			const to = 1_700_001_000_000;
			const inRange = expectedLogs
				.filter((log) => log.createdAt >= from && log.createdAt <= to)
				.map((log) => log.id);
			expect(await queryLogIds({ projectId: project, from, to }, 'imported')).toEqual(inRange);
			expect(await queryLogIds({ projectId: project, from, to }, 'oldest')).toEqual(
				byDate.filter((id) => inRange.includes(id))
			);
			// Every log is in the unique content index, and logs answering one input are found.
			expect(
				await db.logs
					.where('[projectId+inputHash+hash]')
					.between([project, Dexie.minKey, Dexie.minKey], [project, Dexie.maxKey, Dexie.maxKey])
					.count()
			).toBe(logIds.length);
			for (const log of expectedLogs) {
				const siblings = expectedLogs.filter(
					(other) => other.inputHash === log.inputHash && other.id !== log.id
				);
				expect(await countSiblings(log), log.id).toBe(siblings.length);
			}
			db.close();
			setDb(undefined);
		});
	}
});
