/**
 * Import records (one per file) and their rejected lines. Batches of an import are written by
 * logs.ts writeImportBatch; this module creates, finds, resumes and cleans up the records.
 */
import { Dexie } from 'dexie';
import {
	emptyCounts,
	type ImportRecord,
	type ImportStatus,
	type RejectedLine
} from '../core/types';
import { boundTables, getDb } from './db';
import { withStorageErrors } from './errors';
import { randomId } from '../core/random-id';

export interface NewImport {
	projectId: string;
	name: string;
	size: number;
	lastModified: number;
	hash: string;
}

/** Statuses an import can be resumed from: it stopped before the end of its file. */
const RESUMABLE: readonly ImportStatus[] = ['incomplete', 'cancelled'];

/** Rejected lines read per step when streaming them out. */
const REJECTS_CHUNK = 1000;

/**
 * Name of the Web Lock an import worker holds while it runs (`navigator.locks.request(name, …)`
 * for the whole import). Locks are released when the worker or its tab dies, which is how
 * markInterrupted tells a crashed import from one still running in another tab.
 */
export function importLockName(importId: string): string {
	return `tuneloop-import:${importId}`;
}

/**
 * Creates a `running` import record. Its start time is unique within the project (a millisecond
 * later than another import's if need be): log ids carry it, and one import's logs are found as
 * the id range of its start time (core/log-id.ts). One transaction: on failure nothing is written.
 */
export async function createImport(input: NewImport): Promise<ImportRecord> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', db.imports, async (tx) => {
			const { imports } = boundTables(tx);
			const taken = new Set(
				(await imports.where('projectId').equals(input.projectId).toArray()).map(
					(record) => record.startedAt
				)
			);
			let startedAt = Date.now();
			while (taken.has(startedAt)) startedAt++;
			const record: ImportRecord = {
				id: randomId(),
				...input,
				startedAt,
				status: 'running',
				counts: emptyCounts(),
				committedLine: 0
			};
			await imports.add(record);
			return record;
		})
	);
}

export async function getImport(id: string): Promise<ImportRecord | undefined> {
	return getDb().imports.get(id);
}

/** Sets fields of an import record (status, finishedAt…); batch progress goes through
 * writeImportBatch instead. Throws when the record does not exist; a failed write changes
 * nothing. */
export async function updateImport(id: string, patch: Partial<ImportRecord>): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', db.imports, async (tx) => {
			const { imports } = boundTables(tx);
			const current = await imports.get(id);
			if (!current) throw new Error(`Import ${id} does not exist`);
			await imports.put({ ...current, ...patch, id });
		})
	);
}

/** A project's imports, newest first. */
export async function listImports(projectId: string): Promise<ImportRecord[]> {
	const records = await getDb().imports.where('projectId').equals(projectId).toArray();
	return records.sort((a, b) => b.startedAt - a.startedAt);
}

/**
 * The latest import of the same file (project, name, size and content hash) that stopped before
 * its end, or undefined. Resuming it re-reads the file and writes after its committedLine.
 */
export async function findResumable(
	projectId: string,
	name: string,
	size: number,
	hash: string
): Promise<ImportRecord | undefined> {
	const candidates = await listImports(projectId);
	return candidates.find(
		(record) =>
			record.name === name &&
			record.size === size &&
			record.hash === hash &&
			RESUMABLE.includes(record.status)
	);
}

/** Ids of imports whose worker holds its lock right now, in any tab of this origin. */
async function heldImportIds(): Promise<Set<string>> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return new Set();
	const snapshot = await locks.query();
	const prefix = importLockName('');
	return new Set(
		(snapshot.held ?? [])
			.map((lock) => lock.name ?? '')
			.filter((name) => name.startsWith(prefix))
			.map((name) => name.slice(prefix.length))
	);
}

/**
 * Called at app start: every import still `running` whose worker is gone (the tab crashed or
 * closed mid-import) becomes `incomplete`, keeping its counts and committedLine so it can be
 * resumed. `isAlive` defaults to "its Web Lock is held" (see importLockName).
 * One rw transaction: on failure no record changes. Returns the ids marked.
 *
 * An import whose lock is still held may belong to another tab, or to the worker of the page
 * this one replaced, which the browser is still tearing down (a reload right after a big batch
 * began). Unless `isAlive` is given, each such import is watched: when its lock is let go, it is
 * marked `incomplete` if it is still `running` (a finished import says `done` before that).
 */
export async function markInterrupted(
	options: { isAlive?: (importId: string) => boolean } = {}
): Promise<string[]> {
	const held = options.isAlive ? undefined : await heldImportIds();
	const isAlive = options.isAlive ?? ((id: string) => held?.has(id) ?? false);
	const db = getDb();
	const { stale, alive } = await withStorageErrors(() =>
		db.transaction('rw', db.imports, async (tx) => {
			const { imports } = boundTables(tx);
			const running = await imports.where('status').equals('running').toArray();
			const stale = running.filter((record) => !isAlive(record.id));
			await imports.bulkPut(stale.map((record) => ({ ...record, status: 'incomplete' as const })));
			return {
				stale: stale.map((record) => record.id),
				alive: running.filter((record) => isAlive(record.id)).map((record) => record.id)
			};
		})
	);
	// A failure here leaves the record `running` until the next start checks again.
	if (!options.isAlive) for (const id of alive) markWhenReleased(id).catch(() => undefined);
	return stale;
}

/** Waits for an import's lock, then marks it `incomplete` if it is still `running`. */
async function markWhenReleased(importId: string): Promise<void> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return;
	await locks.request(importLockName(importId), () => {
		const db = getDb();
		return withStorageErrors(() =>
			db.transaction('rw', db.imports, async (tx) => {
				const { imports } = boundTables(tx);
				const record = await imports.get(importId);
				if (record?.status === 'running') await imports.put({ ...record, status: 'incomplete' });
			})
		);
	});
}

/** Up to `limit` rejected lines of an import, in line order, after line `afterLine` (from the
 * first when omitted). */
export async function rejectsPage(
	importId: string,
	afterLine?: number,
	limit = REJECTS_CHUNK
): Promise<RejectedLine[]> {
	return getDb()
		.importRejects.where('[importId+line]')
		.between(
			[importId, afterLine ?? Dexie.minKey],
			[importId, Dexie.maxKey],
			afterLine === undefined,
			true
		)
		.limit(limit)
		.toArray();
}

export async function countRejects(importId: string): Promise<number> {
	return getDb()
		.importRejects.where('[importId+line]')
		.between([importId, Dexie.minKey], [importId, Dexie.maxKey], true, true)
		.count();
}

/**
 * The "download rejected lines" file as text chunks, in line order: one JSON line
 * `{"line":n,"reason":"…","raw":"…"}` per rejected line. Reads a page at a time, so a file
 * with 100k rejects never sits in memory whole.
 */
export async function* rejectsFor(importId: string): AsyncGenerator<string> {
	let afterLine: number | undefined;
	for (;;) {
		const page = await rejectsPage(importId, afterLine);
		if (page.length === 0) return;
		yield page
			.map(({ line, reason, raw }) => JSON.stringify({ line, reason, raw }) + '\n')
			.join('');
		afterLine = page[page.length - 1].line;
		if (page.length < REJECTS_CHUNK) return;
	}
}

/**
 * Deletes an import record and its rejected lines. Its logs stay: they are the user's data, and
 * the same logs may have come from other files too. One rw transaction: all or nothing.
 */
export async function deleteImport(id: string): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction('rw', db.imports, db.importRejects, async (tx) => {
			const { imports, importRejects } = boundTables(tx);
			await importRejects
				.where('[importId+line]')
				.between([id, Dexie.minKey], [id, Dexie.maxKey], true, true)
				.delete();
			await imports.delete(id);
		})
	);
}
