/**
 * Full backup of every table into one JSON Lines file (format in backup-format.ts), produced as
 * text chunks so 100k logs never sit in memory at once: each table is read a page at a time in
 * primary-key order. Secret settings (API key…) are left out.
 *
 * Pages are separate read transactions (a transaction cannot stay open while the consumer
 * writes a chunk to disk), so writes made while a backup runs may or may not be in it; the
 * end line counts what was actually written.
 */
import { Dexie, type IndexableType, type Table } from 'dexie';
import { getDb, TABLE_NAMES, type AppDB, type TableName } from './db';
import { BACKUP_FORMAT_VERSION, type BackupEnd, type BackupHeader } from './backup-format';
import { SCHEMA_VERSION } from './schema';
import { isSecretSetting } from './settings';
import { encodeJson } from './typed-json';

export { restoreBackup, validateBackup, type RestoreOptions, type RestoreReport } from './restore';

export interface BackupOptions {
	/** Rows per page (and per yielded chunk). */
	chunkRows?: number;
	signal?: AbortSignal;
}

function table(db: AppDB, name: TableName): Table<unknown, IndexableType> {
	return db.table<unknown, IndexableType>(name);
}

/** Rows that may leave the database: everything but secret settings. */
function exportable(name: TableName, row: unknown): boolean {
	if (name !== 'settings') return true;
	const key = (row as { key?: unknown }).key;
	return typeof key !== 'string' || !isSecretSetting(key);
}

async function exportableCount(db: AppDB, name: TableName): Promise<number> {
	if (name !== 'settings') return table(db, name).count();
	const keys = await db.settings.toCollection().primaryKeys();
	return keys.filter((key) => !isSecretSetting(key)).length;
}

/** A table's rows, a page at a time, in primary-key order. */
async function* pages(
	source: Table<unknown, IndexableType>,
	chunkRows: number
): AsyncGenerator<unknown[]> {
	const keyPath = source.schema.primKey.keyPath;
	if (keyPath === undefined) throw new Error(`Table ${source.name} has no inline key`);
	let last: IndexableType | undefined;
	for (;;) {
		const collection = last === undefined ? source.toCollection() : source.where(':id').above(last);
		const rows = await collection.limit(chunkRows).toArray();
		if (rows.length === 0) return;
		yield rows;
		if (rows.length < chunkRows) return;
		last = Dexie.getByKeyPath(rows[rows.length - 1] as object, keyPath) as IndexableType;
	}
}

/** The whole backup file as text chunks: the header, pages of rows, then the end line. */
export async function* backupChunks(options: BackupOptions = {}): AsyncGenerator<string> {
	const db = getDb();
	const chunkRows = options.chunkRows ?? 500;
	const startCounts: Record<string, number> = {};
	for (const name of TABLE_NAMES) startCounts[name] = await exportableCount(db, name);
	const header: BackupHeader = {
		tuneloop: 'backup',
		version: BACKUP_FORMAT_VERSION,
		schemaVersion: SCHEMA_VERSION,
		createdAt: Date.now(),
		counts: startCounts
	};
	yield JSON.stringify(header) + '\n';

	const written: Record<string, number> = {};
	for (const name of TABLE_NAMES) {
		written[name] = 0;
		for await (const rows of pages(table(db, name), chunkRows)) {
			options.signal?.throwIfAborted();
			const lines = rows
				.filter((row) => exportable(name, row))
				.map((row) => encodeJson({ table: name, row }) + '\n');
			written[name] += lines.length;
			if (lines.length > 0) yield lines.join('');
		}
	}
	const end: BackupEnd = { tuneloop: 'end', counts: written };
	yield JSON.stringify(end) + '\n';
}

/** The whole backup as one string: for tests and small databases only. */
export async function backupText(options: BackupOptions = {}): Promise<string> {
	let text = '';
	for await (const chunk of backupChunks(options)) text += chunk;
	return text;
}
