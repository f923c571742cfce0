/**
 * The one Dexie database. Repositories get it through `getDb()`, which creates it on first use:
 * importing this module never touches IndexedDB (node tests, the CLI and SSR builds import it).
 * Tests point the repositories at a fresh fake-indexeddb database with `setDb()`.
 */
import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie';
import type { FeedbackEvent, ImportRecord, LogRecord, Project, RejectedLine } from '../core/types';
import { declareSchema } from './schema';

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

	constructor(name = DB_NAME, options?: DexieOptions) {
		super(name, options);
		declareSchema(this);
	}
}

/** Names of the tables, in the order a backup writes them (parents before children). */
export const TABLE_NAMES = [
	'settings',
	'projects',
	'imports',
	'importRejects',
	'logs',
	'feedback'
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

let current: AppDB | undefined;

/** The app's database, created (not yet opened: Dexie opens on first query) on first call. */
export function getDb(): AppDB {
	current ??= new AppDB(DB_NAME);
	return current;
}

/** Points every repository at another database (tests); `undefined` goes back to the default. */
export function setDb(db: AppDB | undefined): void {
	current = db;
}
