/**
 * The bar the app's import is measured against (see import.bench.ts): read a File, `JSON.parse`
 * every line and `bulkAdd` the parsed rows with Dexie, in batches, with no detection, validation,
 * hashing or bookkeeping. Bundled by esbuild as an IIFE and run in a dedicated Worker created
 * from a Blob URL, on the same origin (so the same IndexedDB) as the app.
 *
 * It is meant to be fast: lines are cut with indexOf on the decoded text, rows keep the parsed
 * object, and the next batch is parsed while the previous one commits (at most one bulkAdd in
 * flight, so memory stays bounded). `pipeline: false` awaits every bulkAdd before parsing on.
 */
import Dexie from 'dexie';

export interface LimitRequest {
	file: File;
	dbName: string;
	batchLines: number;
	pipeline: boolean;
	/** Primary keys: the line number (ascending, the cheapest for IndexedDB) or a random UUID. */
	ids: 'line' | 'uuid';
}

export type LimitReply =
	| {
			type: 'done';
			lines: number;
			rows: number;
			parseErrors: number;
			blank: number;
			batches: number;
			/** From the first read to the last committed batch; excludes deleting/opening the db. */
			ms: number;
			setupMs: number;
			/** Time spent reading + splitting + parsing (all but waiting for commits). */
			parseMs: number;
			/** Time spent inside bulkAdd calls (synchronous part: cloning the rows into IDB requests). */
			addCallMs: number;
			/** Time spent waiting for batches to commit. */
			waitMs: number;
	  }
	| { type: 'error'; message: string };

type Row = { id: number | string } & Record<string, unknown>;

// The bench type-checks with the DOM lib; this is the slice of the worker scope it needs.
const scope = self as unknown as {
	onmessage: ((event: MessageEvent<LimitRequest>) => void) | null;
	postMessage(message: LimitReply): void;
};

async function run(request: LimitRequest): Promise<LimitReply> {
	const { file, dbName, batchLines, pipeline, ids } = request;
	const uuid = ids === 'uuid';
	const setupStart = performance.now();
	await Dexie.delete(dbName);
	// The same durability as the app's database (src/lib/db/db.ts), so only the work differs.
	const db = new Dexie(dbName, { chromeTransactionDurability: 'relaxed' });
	db.version(1).stores({ rows: 'id' });
	await db.open();
	const table = db.table<Row, number | string>('rows');
	const setupMs = performance.now() - setupStart;

	const started = performance.now();
	let lines = 0;
	let rows = 0;
	let parseErrors = 0;
	let blank = 0;
	let batches = 0;
	let batch: Row[] = [];
	let inFlight: Promise<unknown> | null = null;
	let addCallMs = 0;
	let waitMs = 0;
	const addBatch = (rowsToAdd: Row[]) => {
		const t = performance.now();
		const promise = table.bulkAdd(rowsToAdd);
		addCallMs += performance.now() - t;
		return promise;
	};
	const wait = async (promise: Promise<unknown>) => {
		const t = performance.now();
		await promise;
		waitMs += performance.now() - t;
	};

	const flush = async () => {
		if (batch.length === 0) return;
		const rowsToAdd = batch;
		batch = [];
		batches++;
		if (pipeline) {
			if (inFlight) await wait(inFlight);
			inFlight = addBatch(rowsToAdd);
		} else {
			await wait(addBatch(rowsToAdd));
		}
	};

	const take = (line: string) => {
		lines++;
		if (line.length === 0 || line === '\r') {
			blank++;
			return;
		}
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			parseErrors++;
			return;
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			parseErrors++;
			return;
		}
		batch.push({ id: uuid ? crypto.randomUUID() : lines, ...(value as Record<string, unknown>) });
		rows++;
	};

	const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
	let rest = '';
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		const text = rest.length > 0 ? rest + value : value;
		let start = 0;
		for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
			take(text.slice(start, nl));
			start = nl + 1;
			if (batch.length >= batchLines) await flush();
		}
		rest = text.slice(start);
	}
	if (rest.length > 0) take(rest);
	await flush();
	if (inFlight) await wait(inFlight);
	const ms = performance.now() - started;

	const stored = await table.count();
	db.close();
	await Dexie.delete(dbName);
	if (stored !== rows) throw new Error(`limit stored ${stored} rows, expected ${rows}`);
	const parseMs = ms - waitMs - addCallMs;
	return {
		type: 'done',
		lines,
		rows,
		parseErrors,
		blank,
		batches,
		ms,
		setupMs,
		parseMs,
		addCallMs,
		waitMs
	};
}

scope.onmessage = (event) => {
	run(event.data).then(
		(reply) => scope.postMessage(reply),
		(error: unknown) =>
			scope.postMessage({
				type: 'error',
				message: error instanceof Error ? `${error.name}: ${error.message}` : String(error)
			})
	);
};
