/**
 * Restores a backup file (format in backup-format.ts), streamed line by line. Every row is
 * validated against its table's schema; a bad row is reported with its line number and skipped,
 * and the good rows still land. Rows are written in batched transactions, one table per batch.
 *
 * Modes:
 * - 'replace': after the header checks out, every table is cleared (secret settings excepted:
 *   they are never cleared, never overwritten), then rows are written as they are, ids included.
 *   Clearing cannot wait for the end of a one-pass stream, so a damaged file leaves only its
 *   good part: the UI should first run validateBackup on the file (it can be read twice) and
 *   replace only when the report is clean.
 * - 'merge': nothing is overwritten; rows whose key already exists are kept as they are. Feedback
 *   events get new ids (undo events are re-pointed), an event identical to one already stored is
 *   not added again, and the logs that received events get their summaries recomputed. Merging
 *   the same file twice changes nothing the second time.
 */
import * as v from 'valibot';
import { Dexie, type IndexableType, type Table } from 'dexie';
import { canonicalJson } from '../core/feedback';
import type { FeedbackEvent, LogRecord } from '../core/types';
import {
	boundTables,
	getDb,
	sparseLog,
	TABLE_NAMES,
	type AppDB,
	type StoredFeedbackEvent,
	type TableName,
	type Tables
} from './db';
import {
	backupEndSchema,
	backupEntrySchema,
	backupHeaderSchema,
	type BackupHeader
} from './backup-format';
import { withStorageErrors } from './errors';
import { addEventsInTransaction, type NewFeedbackEvent } from './feedback';
import { applySummaries } from './summaries';
import {
	describeIssues,
	feedbackEventSchema,
	importRecordSchema,
	logRecordSchema,
	datasetSchema,
	datasetVersionSchema,
	prefModelSchema,
	jobSchema,
	projectSchema,
	rejectedLineSchema,
	settingRowSchema
} from './row-schemas';
import { SCHEMA_VERSION } from './schema';
import { eraseAllData } from './erase';
import { isKnownSetting, isSecretSetting, settingSchemas } from './settings';
import { decodeJson } from './typed-json';

export interface RestoreProgress {
	/** Lines read so far. */
	line: number;
	/** Rows read so far, and the total the header announced. */
	rows: number;
	totalRows: number | null;
}

export interface RestoreOptions {
	mode: 'replace' | 'merge';
	/** Check the whole file, write nothing (see validateBackup). */
	dryRun?: boolean;
	signal?: AbortSignal;
	onProgress?: (progress: RestoreProgress) => void;
	/** Rows per transaction. */
	batchRows?: number;
}

export interface RestoreReport {
	/** The header was valid, the end line was there and matched, and no line had an error. */
	ok: boolean;
	/** The end line was read and every table's row count matched it (the file is whole). */
	complete: boolean;
	header: BackupHeader | null;
	/** Rows written per table (in a dry run: valid rows that would be written). */
	restored: Record<TableName, number>;
	/** Merge only: rows already present, left as they were. */
	unchanged: Record<TableName, number>;
	/** "line N: why", the first MAX_ERRORS of them. */
	errors: string[];
	errorCount: number;
}

const MAX_ERRORS = 100;

const rowSchemas: Record<TableName, v.GenericSchema<unknown, unknown>> = {
	settings: settingRowSchema,
	projects: projectSchema,
	imports: importRecordSchema,
	importRejects: rejectedLineSchema,
	logs: logRecordSchema,
	feedback: feedbackEventSchema,
	datasets: datasetSchema,
	datasetVersions: datasetVersionSchema,
	models: prefModelSchema,
	jobs: jobSchema
};

interface PendingRow {
	line: number;
	row: unknown;
}

function perTable(): Record<TableName, number> {
	return Object.fromEntries(TABLE_NAMES.map((name) => [name, 0])) as Record<TableName, number>;
}

/** Text of a byte stream or string chunks, split into lines ('\n' or '\r\n'). */
async function* readLines(
	source: ReadableStream<Uint8Array> | AsyncIterable<string>
): AsyncGenerator<string> {
	let buffer = '';
	const emit = function* (): Generator<string> {
		let start = 0;
		for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
			const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
			yield buffer.slice(start, end);
			start = nl + 1;
		}
		buffer = buffer.slice(start);
	};
	if ('getReader' in source) {
		// Not `for await`: Safari's ReadableStream is not async-iterable.
		const reader = source.getReader();
		const decoder = new TextDecoder();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				buffer += decoder.decode(value, { stream: true });
				yield* emit();
			}
			buffer += decoder.decode();
		} finally {
			reader.releaseLock();
		}
	} else {
		for await (const chunk of source) {
			buffer += chunk;
			yield* emit();
		}
	}
	yield* emit();
	if (buffer.length > 0) yield buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer;
}

/** Why a row cannot be restored, or null when it can. */
function rowProblem(table: TableName, row: unknown): string | null {
	const parsed = v.safeParse(rowSchemas[table], row);
	if (!parsed.success) return `invalid ${table} row: ${describeIssues(parsed.issues)}`;
	if (table === 'settings') {
		const { key, value } = row as { key: string; value: unknown };
		if (isSecretSetting(key)) return `secret setting "${key}" is never restored`;
		if (isKnownSetting(key)) {
			const setting = v.safeParse(settingSchemas[key], value);
			if (!setting.success) return `invalid setting "${key}": ${describeIssues(setting.issues)}`;
		}
	}
	return null;
}

/** Identity of a feedback event for merge dedupe: everything but its id. */
function eventSignature(event: Omit<FeedbackEvent, 'id'>): string {
	const { logId, projectId, at, actor, body, key } = event;
	return canonicalJson({ logId, projectId, at, actor, body, key: key ?? null });
}

function keyString(key: unknown): string {
	return JSON.stringify(key);
}

class Restorer {
	readonly report: RestoreReport = {
		ok: false,
		complete: false,
		header: null,
		restored: perTable(),
		unchanged: perTable(),
		errors: [],
		errorCount: 0
	};
	/** Merge: backup feedback id → id in this database, for re-pointing undo events. */
	readonly #eventIds = new Map<number, number>();

	constructor(
		readonly db: AppDB,
		readonly options: RestoreOptions
	) {}

	error(line: number, why: string): void {
		this.report.errorCount++;
		if (this.report.errors.length < MAX_ERRORS) this.report.errors.push(`line ${line}: ${why}`);
	}

	/** Replace mode: empty every table but the secret settings, in one transaction. */
	async clear(): Promise<void> {
		await eraseAllData({ keepSecrets: true });
	}

	/**
	 * Writes one batch of valid rows of one table, in one transaction: if it fails (full storage)
	 * none of the batch is written and the error ends the restore.
	 */
	async flush(table: TableName, pending: PendingRow[]): Promise<void> {
		if (pending.length === 0) return;
		// Logs are stored with their 0 flags left out (schema version 4), whatever the backup has.
		const rows =
			table === 'logs'
				? pending.map((entry) => ({ ...entry, row: sparseLog(entry.row as LogRecord) }))
				: pending;
		if (this.options.dryRun) {
			this.report.restored[table] += rows.length;
			return;
		}
		const db = this.db;
		if (this.options.mode === 'replace') {
			await withStorageErrors(() =>
				db.transaction('rw', db.table(table), (tx) =>
					tx.table(table).bulkPut(rows.map(({ row }) => row))
				)
			);
			this.report.restored[table] += rows.length;
		} else if (table === 'feedback') {
			await withStorageErrors(() =>
				db.transaction('rw', db.feedback, db.logs, (tx) =>
					this.#mergeFeedback(boundTables(tx), rows)
				)
			);
		} else {
			await withStorageErrors(() =>
				db.transaction('rw', db.table(table), (tx) =>
					this.#mergeRows(tx.table<unknown, IndexableType>(table), table, rows)
				)
			);
		}
	}

	/** Adds the rows whose primary key is not taken; rows already here stay as they are. */
	async #mergeRows(
		target: Table<unknown, IndexableType>,
		table: TableName,
		rows: PendingRow[]
	): Promise<void> {
		const keyPath = target.schema.primKey.keyPath ?? '';
		const keys = rows.map(({ row }) => Dexie.getByKeyPath(row as object, keyPath) as IndexableType);
		const stored = await target.bulkGet(keys);
		const taken = new Set(
			keys.filter((_, index) => stored[index] !== undefined).map((key) => keyString(key))
		);
		const fresh: unknown[] = [];
		keys.forEach((key, index) => {
			const id = keyString(key);
			if (taken.has(id)) return;
			taken.add(id);
			fresh.push(rows[index].row);
		});
		await target.bulkAdd(fresh);
		this.report.restored[table] += fresh.length;
		this.report.unchanged[table] += rows.length - fresh.length;
	}

	async #mergeFeedback(t: Tables, rows: PendingRow[]): Promise<void> {
		const events = rows.map(({ line, row }) => ({ line, event: row as StoredFeedbackEvent }));
		const logIds = [...new Set(events.map(({ event }) => event.logId))];
		const logs = await t.logs.bulkGet(logIds);
		const present = new Set(logIds.filter((_, index) => logs[index] !== undefined));
		const stored = new Map<string, number>();
		const storedEvents = await Promise.all(
			logIds.map((id) => t.feedback.where('logId').equals(id).toArray())
		);
		for (const event of storedEvents.flat()) stored.set(eventSignature(event), event.id);

		let pending: { oldId: number; event: NewFeedbackEvent }[] = [];
		const pendingIds = new Set<number>();
		const commit = async () => {
			const { summaries, ...added } = await addEventsInTransaction(
				t,
				pending.map(({ event }) => event)
			);
			await applySummaries(t, summaries);
			pending.forEach(({ oldId }, index) => this.#eventIds.set(oldId, added.ids[index]));
			this.report.restored.feedback += added.added;
			this.report.unchanged.feedback += added.skipped;
			pending = [];
			pendingIds.clear();
		};

		for (const { line, event } of events) {
			if (!present.has(event.logId)) {
				this.error(line, `feedback about log ${event.logId}, which is not in the database`);
				continue;
			}
			const { id: oldId, ...rest } = event;
			let body = rest.body;
			if (body.kind === 'undo') {
				// The target must have its new id first.
				if (pendingIds.has(body.eventId)) await commit();
				const target = this.#eventIds.get(body.eventId);
				if (target === undefined) {
					this.error(line, `undo of event ${body.eventId}, which is not in the backup`);
					continue;
				}
				body = { kind: 'undo', eventId: target };
			}
			const incoming: NewFeedbackEvent = { ...rest, body };
			const same = stored.get(eventSignature(incoming));
			if (same !== undefined) {
				this.#eventIds.set(oldId, same);
				this.report.unchanged.feedback++;
				continue;
			}
			pending.push({ oldId, event: incoming });
			pendingIds.add(oldId);
		}
		await commit();
	}
}

/**
 * Restores a backup (see the module comment for the modes). Resolves with a report listing every
 * bad line; rejects only when writing fails (StorageFullError when the disk is full, the batch
 * in flight not written) or on abort.
 */
export async function restoreBackup(
	source: ReadableStream<Uint8Array> | AsyncIterable<string>,
	options: RestoreOptions
): Promise<RestoreReport> {
	const restorer = new Restorer(getDb(), options);
	const { report } = restorer;
	const batchRows = options.batchRows ?? 500;
	const seen = perTable();
	let lineNo = 0;
	let rowsRead = 0;
	let ended = false;
	let countsMatch = false;
	let pendingTable: TableName | null = null;
	let pending: PendingRow[] = [];

	const flush = async () => {
		if (pendingTable) await restorer.flush(pendingTable, pending);
		pending = [];
		options.onProgress?.({
			line: lineNo,
			rows: rowsRead,
			totalRows: report.header
				? Object.values(report.header.counts).reduce((sum, n) => sum + n, 0)
				: null
		});
	};

	for await (const text of readLines(source)) {
		lineNo++;
		if (lineNo === 1) {
			const header = v.safeParse(backupHeaderSchema, safeJson(text.replace(/^\uFEFF/, '')));
			if (!header.success) {
				restorer.error(1, `not a Tuneloop backup (${describeIssues(header.issues)})`);
				return report;
			}
			if (header.output.schemaVersion > SCHEMA_VERSION) {
				restorer.error(
					1,
					`made by a newer Tuneloop (data version ${header.output.schemaVersion}, this app ` +
						`reads up to ${SCHEMA_VERSION}); update the app first`
				);
				return report;
			}
			// Rows written by an older schema version would be upgraded here, row by row, once
			// a version 2 exists (see schema.ts).
			report.header = header.output;
			if (options.mode === 'replace' && !options.dryRun) await restorer.clear();
			continue;
		}
		if (text.trim() === '') continue;
		if (lineNo % 1000 === 0) options.signal?.throwIfAborted();
		if (ended) {
			restorer.error(lineNo, 'text after the end line');
			continue;
		}
		let value: unknown;
		try {
			value = decodeJson(text);
		} catch (error) {
			restorer.error(lineNo, `not valid JSON (${error instanceof Error ? error.message : error})`);
			continue;
		}
		const end = v.safeParse(backupEndSchema, value);
		if (end.success) {
			ended = true;
			countsMatch = true;
			for (const name of TABLE_NAMES) {
				const expected = end.output.counts[name] ?? 0;
				if (expected !== seen[name]) {
					countsMatch = false;
					restorer.error(
						lineNo,
						`the end line counts ${expected} ${name} rows, ${seen[name]} were read`
					);
				}
			}
			continue;
		}
		const entry = v.safeParse(backupEntrySchema, value);
		if (!entry.success) {
			restorer.error(lineNo, `not a table row (${describeIssues(entry.issues)})`);
			continue;
		}
		const { table, row } = entry.output;
		seen[table]++;
		rowsRead++;
		const problem = rowProblem(table, row);
		if (problem) {
			restorer.error(lineNo, problem);
			continue;
		}
		if (table !== pendingTable || pending.length >= batchRows) {
			await flush();
			options.signal?.throwIfAborted();
			pendingTable = table;
		}
		pending.push({ line: lineNo, row });
	}
	await flush();

	if (lineNo === 0) restorer.error(1, 'the file is empty');
	else if (!ended && report.header) {
		restorer.error(lineNo, 'the backup ends early (no end line): the file is probably cut short');
	}
	report.complete = report.header !== null && ended && countsMatch;
	report.ok = report.complete && report.errorCount === 0;
	return report;
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Reads and checks a whole backup without writing anything: the report a restore would give
 * about the file itself. */
export async function validateBackup(
	source: ReadableStream<Uint8Array> | AsyncIterable<string>
): Promise<RestoreReport> {
	return restoreBackup(source, { mode: 'merge', dryRun: true });
}
