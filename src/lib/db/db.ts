/**
 * The one Dexie database. Repositories get it through `getDb()`, which creates it on first use:
 * importing this module never touches IndexedDB (node tests, the CLI and SSR builds import it).
 * Tests point the repositories at a fresh fake-indexeddb database with `setDb()`.
 */
import {
	Dexie,
	RangeSet,
	type DexieOptions,
	type EntityTable,
	type Table,
	type Transaction
} from 'dexie';
import type { FeedbackEvent, ImportRecord, LogRecord, Project, RejectedLine } from '../core/types';
import type { DatasetRecord, DatasetVersionRecord } from '../core/dataset/types';
import type { JobRecord } from '../core/finetune/types';
import type { EmbeddingRow, PrefModelRecord, ScoreRow } from '../core/prefmodel/types';
import { logIdTime } from '../core/log-id';
import { logFacets, projectOfLogId, type FacetKey } from './facets';
import { declareSchema, SPARSE_FLAGS, type SparseFlag } from './schema';

/** A feedback event as stored: the auto-incremented id is always there when read back. */
export type StoredFeedbackEvent = FeedbackEvent & { id: number };

/** One setting; values are validated against their schema when read (see settings.ts). */
export interface SettingRow {
	key: string;
	value: unknown;
}

export const DB_NAME = 'tuneloop';

export class AppDB extends Dexie {
	declare projects: EntityTable<Project, 'id'>;
	declare logs: EntityTable<LogRecord, 'id'>;
	declare feedback: EntityTable<StoredFeedbackEvent, 'id'>;
	declare imports: EntityTable<ImportRecord, 'id'>;
	declare importRejects: Table<RejectedLine, [string, number]>;
	declare settings: EntityTable<SettingRow, 'key'>;
	declare datasets: EntityTable<DatasetRecord, 'id'>;
	declare datasetVersions: EntityTable<DatasetVersionRecord, 'id'>;
	declare models: EntityTable<PrefModelRecord, 'id'>;
	declare scores: Table<ScoreRow, [string, string]>;
	declare embeddings: Table<EmbeddingRow, [string, string]>;
	declare jobs: EntityTable<JobRecord, 'id'>;

	constructor(name = DB_NAME, options?: DexieOptions) {
		super(name, options);
		declareSchema(this);
		// Schema version 4 stores the 0 flags and a createdAt the id spells sparse: reads fill them in.
		this.logs.hook('reading', denseLog);
	}
}

/**
 * What a log row may leave out (see sparseLog): the summary flags that are 0, a rating of 0 and
 * no tags (what a log without feedback has), and a `createdAt` or `importedAt` that is the time
 * its id spells.
 */
export type SparseField = SparseFlag | 'rating' | 'tags' | 'createdAt' | 'importedAt';

/** A log as read: what its row leaves out is filled back in, its facets left out (see sparseLog). */
function denseLog(log: LogRecord): LogRecord {
	if (!log) return log;
	delete (log as StoredFacets).facets;
	for (const flag of SPARSE_FLAGS) log[flag] ??= 0;
	log.rating ??= 0;
	log.tags ??= [];
	if (log.createdAt === undefined || log.importedAt === undefined) {
		const time = logIdTime(log.id) ?? 0;
		log.createdAt ??= time;
		log.importedAt ??= time;
	}
	return log;
}

/** A log row that may leave out what reads fill back in. */
type Sparse = Partial<Pick<LogRecord, SparseField | 'reviewed' | 'userFeedback' | 'projectId'>> & {
	id: string;
};

type StoredFacets = { facets?: FacetKey[] };

/**
 * A log as written: without the summary flags that are 0 (version 4) and the other fields reads
 * fill back in (a rating of 0, no tags, a `createdAt` or `importedAt` that is the time the id
 * spells), so there is less to clone and store per imported log; with the `facets` its summary
 * gives (version 5, see facets.ts), when it has any. A copy only when something changes.
 */
export function sparseLog<T extends Sparse>(log: T): T {
	const time = logIdTime(log.id);
	const facets = logFacets(log.projectId ?? projectOfLogId(log.id), log);
	const stale = (log as StoredFacets).facets !== undefined;
	if (!facets && !stale && !SPARSE_FIELDS.some((field) => dropped(field, log[field], time)))
		return log;
	const row: T & StoredFacets = { ...log };
	for (const field of SPARSE_FIELDS) if (dropped(field, row[field], time)) delete row[field];
	if (facets) row.facets = facets;
	else delete row.facets;
	return row;
}

/** The fields of a log's summary that its row leaves out at their default (see `dropped`). */
export const SPARSE_SUMMARY = [...SPARSE_FLAGS, 'rating', 'tags'] as const;
const SPARSE_FIELDS = [...SPARSE_SUMMARY, 'createdAt', 'importedAt'] as const;

/** Whether a row leaves out `field` with this value, given the time its id spells. */
export function dropped(field: SparseField, value: unknown, idTime: number | undefined): boolean {
	if (field === 'createdAt' || field === 'importedAt')
		return value !== undefined && value === idTime;
	if (field === 'tags') return Array.isArray(value) && value.length === 0;
	return value === 0;
}

/** Names of the tables, in the order a backup writes them (parents before children). */
export const TABLE_NAMES = [
	'settings',
	'projects',
	'imports',
	'importRejects',
	'logs',
	'feedback',
	'datasets',
	'datasetVersions',
	'models',
	'jobs'
] as const;

/**
 * Tables of derived data, left out of backups and remade on demand: scores come from re-scoring
 * logs with the active model, embeddings from re-embedding texts. Erasing clears them too.
 */
export const CACHE_TABLES = ['scores', 'embeddings'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** The app's tables; inside a transaction, get them from `boundTables(tx)`. */
export type Tables = Pick<AppDB, TableName | (typeof CACHE_TABLES)[number]>;

/**
 * The tables of a transaction, bound to it. Queries on `db.logs` find their transaction through
 * Dexie's zone, which it follows across native `await`s only for a few microtasks after each
 * request; a chain of async helpers can outlive that, and the next query then runs in its own
 * implicit transaction, silently breaking all-or-nothing (Dexie.js issue #1186). Tables from
 * `tx.table()` carry their transaction, so helpers that take these never lose it.
 */
export function boundTables(tx: Transaction): Tables {
	return {
		get settings() {
			return tx.table('settings') as AppDB['settings'];
		},
		get projects() {
			return tx.table('projects') as AppDB['projects'];
		},
		get imports() {
			return tx.table('imports') as AppDB['imports'];
		},
		get importRejects() {
			return tx.table('importRejects') as AppDB['importRejects'];
		},
		get logs() {
			return tx.table('logs') as AppDB['logs'];
		},
		get feedback() {
			return tx.table('feedback') as AppDB['feedback'];
		},
		get datasets() {
			return tx.table('datasets') as AppDB['datasets'];
		},
		get datasetVersions() {
			return tx.table('datasetVersions') as AppDB['datasetVersions'];
		},
		get models() {
			return tx.table('models') as AppDB['models'];
		},
		get jobs() {
			return tx.table('jobs') as AppDB['jobs'];
		},
		get scores() {
			return tx.table('scores') as AppDB['scores'];
		},
		get embeddings() {
			return tx.table('embeddings') as AppDB['embeddings'];
		}
	};
}

let current: AppDB | undefined;

/** The app's database, created (not yet opened: Dexie opens on first query) on first call. */
export function getDb(): AppDB {
	// Relaxed durability (Chromium): a commit is reported once the browser has it, without waiting
	// for the OS to flush it to disk. Transactions stay atomic, so a crash can only lose the last
	// whole transactions (an import then resumes from its record's committedLine), never leave
	// half of one; and imports write several times faster.
	current ??= new AppDB(DB_NAME, { chromeTransactionDurability: 'relaxed' });
	return current;
}

/** Points every repository at another database (tests); `undefined` goes back to the default. */
export function setDb(db: AppDB | undefined): void {
	current = db;
}

/**
 * For the import worker: stops Dexie from working out, row by row and index by index, which key
 * ranges each write touched (a quarter of an import's time), and returns `announce`, which tells
 * every page, tab and worker once per batch that the data changed. Live queries elsewhere then
 * re-run as they would have; only this database instance writes quietly.
 */
export function quietWrites(db: AppDB = getDb()): () => void {
	db.unuse({ stack: 'dbcore', name: 'Observability' });
	// The parts a full change of these tables would touch: primary keys and every index.
	const parts = (tables: string[]) => {
		const changed: Record<string, RangeSet> = {};
		for (const name of tables) {
			const table = db.table(name);
			const indexes = ['', ...table.schema.indexes.map((index) => index.name)];
			for (const index of indexes)
				changed[`idb://${db.name}/${name}/${index}`] = new RangeSet(-Infinity, [[]]);
		}
		return changed;
	};
	return () =>
		Dexie.on.storagemutated.fire(parts(['logs', 'feedback', 'imports', 'importRejects']));
}
