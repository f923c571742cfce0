/**
 * One file's import, from bytes to committed batches. Runs inside import.worker.ts (and in node
 * tests with fake-indexeddb). Batches are written in one transaction each together with the
 * import record's counts and `committedLine`, so a crash or a closed tab loses at most the batch
 * in flight and never leaves half of one; a later run of the same file resumes after
 * `committedLine`, and content-hash ids make any replay harmless.
 */
import { ByteHasher, logHashes } from '$lib/core/hash';
import { importLogId } from '$lib/core/log-id';
import {
	parseFile,
	sniffFile,
	type FieldMapping,
	type SniffResult
} from '$lib/core/import/parse-file';
import {
	emptyCounts,
	type FeedbackEvent,
	type ImportCounts,
	type ImportRecord,
	type ParsedRecord,
	type RejectedLine
} from '$lib/core/types';
import { createImport, findResumable, importLockName, updateImport } from '$lib/db/imports';
import { writeImportBatch, type NewLog } from '$lib/db/logs';
import type { ImportProgress } from './import.api';

/** What the runner needs of a file: a browser File, or a Blob with a name in node tests. */
export interface ImportFile {
	name: string;
	size: number;
	lastModified: number;
	slice(start?: number, end?: number): Blob;
	stream(): ReadableStream<Uint8Array>;
}

export interface RunOptions {
	file: ImportFile;
	projectId: string;
	mapping?: FieldMapping | 'none';
	sourceKind?: 'file' | 'demo';
	signal?: AbortSignal;
	onProgress?: (progress: ImportProgress) => void;
	/** Called after each write others should see (the record created, each batch committed). */
	onCommitted?: () => void;
	/**
	 * Lines per transaction, at most. Each transaction costs the same few round trips whatever
	 * its size, so bigger batches import faster: 10,000 lines took a 100,000-line file from about
	 * 19 s (2,000 lines) to about 15 s in bench:import. The first batch is small and each next one
	 * twice as big up to this, so the first logs show (and IndexedDB starts writing) at once
	 * rather than after 10,000 lines are parsed. A crash loses at most the batch in flight.
	 */
	batchLines?: number;
	/**
	 * Source bytes per transaction (of the lines accepted or rejected), so a run of huge lines
	 * still flushes and memory stays bounded.
	 */
	batchBytes?: number;
	now?: () => number;
}

export type RunResult =
	{ kind: 'finished'; record: ImportRecord } | { kind: 'needs-mapping'; sniff: SniffResult };

const SNIFF_BYTES = 64 * 1024;
const HASH_BYTES = 1024 * 1024;
const PROGRESS_MS = 200;
/** Lines of the first batch of an import (see RunOptions.batchLines). */
const FIRST_BATCH_LINES = 500;

/** Hash of the first MB plus the size: cheap, and enough to recognise the same file again. */
async function fileFingerprint(file: ImportFile): Promise<string> {
	const hasher = new ByteHasher();
	hasher.update(new Uint8Array(await file.slice(0, HASH_BYTES).arrayBuffer()));
	hasher.update(new TextEncoder().encode(`:${file.size}`));
	return hasher.digest();
}

/** Counts the bytes a stream has delivered, for progress and ETA. */
function countBytes(stream: ReadableStream<Uint8Array>, onBytes: (n: number) => void) {
	return stream.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				onBytes(chunk.byteLength);
				controller.enqueue(chunk);
			}
		})
	);
}

/** Decides whether the file must stop for a mapping before any line is read. */
function needsMapping(sniff: SniffResult, mapping: RunOptions['mapping']): boolean {
	if (mapping !== undefined) return false;
	if (sniff.kind === 'csv' || sniff.kind === 'tsv') return true;
	return sniff.kind !== 'error' && sniff.unknownShare >= 0.5 && sniff.keys.length > 0;
}

export async function runImport(options: RunOptions): Promise<RunResult> {
	const { file, projectId } = options;
	const now = options.now ?? Date.now;

	const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
	const sniff = sniffFile(head, file.name, file.size);
	if (needsMapping(sniff, options.mapping)) return { kind: 'needs-mapping', sniff };
	const mapping = options.mapping === 'none' ? undefined : options.mapping;

	const hash = await fileFingerprint(file);
	const resumable = await findResumable(projectId, file.name, file.size, hash);
	const record: ImportRecord = resumable
		? { ...resumable, status: 'running', finishedAt: undefined, fileError: undefined }
		: await createImport({
				projectId,
				name: file.name,
				size: file.size,
				lastModified: file.lastModified,
				hash
			});
	return holdingLock(importLockName(record.id), () =>
		importBody(options, { sniff, mapping, record, resumed: !!resumable, now })
	);
}

/** Holds a Web Lock while the import runs, so other tabs can tell it from a crashed one. */
async function holdingLock<T>(name: string, work: () => Promise<T>): Promise<T> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return work();
	return locks.request(name, work);
}

interface BodyContext {
	sniff: SniffResult;
	mapping: FieldMapping | undefined;
	record: ImportRecord;
	resumed: boolean;
	now: () => number;
}

async function importBody(options: RunOptions, context: BodyContext): Promise<RunResult> {
	const { file, projectId, signal, onProgress } = options;
	const { sniff, mapping, record, now } = context;
	const batchLines = options.batchLines ?? 10_000;
	let nextBatchLines = Math.min(FIRST_BATCH_LINES, batchLines);
	const batchBytes = options.batchBytes ?? 8 * 1024 * 1024;
	const sourceKind = options.sourceKind ?? 'file';
	if (context.resumed)
		await updateImport(record.id, {
			status: 'running',
			finishedAt: undefined,
			fileError: undefined
		});
	options.onCommitted?.();
	const resumedFrom = record.committedLine;

	const counts: ImportCounts = structuredClone(record.counts);
	let bytesRead = 0;
	const startedAt = now();
	let linesThisRun = 0;
	let lastProgress = 0;

	const report = (force = false) => {
		if (!onProgress) return;
		const t = now();
		if (!force && t - lastProgress < PROGRESS_MS) return;
		lastProgress = t;
		const seconds = (t - startedAt) / 1000;
		const rowsPerSecond = seconds > 0 ? linesThisRun / seconds : 0;
		const bytesPerSecond = seconds > 0 ? bytesRead / seconds : 0;
		onProgress({
			importId: record.id,
			fileName: file.name,
			bytesRead,
			bytesTotal: file.size,
			counts: structuredClone(counts),
			rowsPerSecond,
			etaSeconds: bytesPerSecond > 0 ? (file.size - bytesRead) / bytesPerSecond : null,
			status: record.status,
			resumedFromLine: resumedFrom
		});
	};

	// A first report at once, so the page knows the import's id (and can cancel it) before the
	// first line is parsed.
	report(true);

	if (sniff.kind === 'error') {
		return {
			kind: 'finished',
			record: await finish(record, counts, 'failed', now(), sniff.reason)
		};
	}

	// The batch being built (its logs by content hash); `pending` counts mirror what it will add
	// when it commits.
	let logs = new Map<string, NewLog>();
	let feedback: FeedbackEvent[] = [];
	let rejects: RejectedLine[] = [];
	let pending = emptyCounts();
	let pendingLines = 0;
	let pendingBytes = 0;
	let repeatedLines = 0;
	let lastLine = record.committedLine;

	// One batch may be committing while the next is parsed: parsing and IndexedDB overlap, and
	// memory stays bounded to two batches.
	let writing: Promise<void> | null = null;

	const flush = async () => {
		if (pendingLines === 0) return;
		const batch = pending;
		const committedLine = lastLine;
		const repeats = repeatedLines;
		const write = writeImportBatch({
			importId: record.id,
			logs: [...logs.values()],
			feedback,
			rejects,
			// Counts are settled inside the transaction: only it knows which logs already existed.
			importPatch: (outcome, current) => {
				batch.logs = outcome.newLogs;
				batch.duplicates = outcome.duplicateLines + repeats;
				const next = structuredClone(current.counts);
				mergeCounts(next, batch);
				return { counts: next, committedLine, status: 'running' };
			}
		});
		logs = new Map();
		feedback = [];
		rejects = [];
		pending = emptyCounts();
		pendingLines = 0;
		pendingBytes = 0;
		repeatedLines = 0;
		await writing;
		writing = write.then(() => {
			mergeCounts(counts, batch);
			record.committedLine = committedLine;
			options.onCommitted?.();
		});
	};

	/** Waits for the batch in flight, if any. */
	const settle = async () => {
		const last = writing;
		writing = null;
		await last;
	};

	const stream = countBytes(file.stream(), (n) => {
		bytesRead += n;
	});

	try {
		for await (const event of parseFile(stream, { fileName: file.name, mapping })) {
			if (event.type === 'file-error') {
				return {
					kind: 'finished',
					record: await finish(record, counts, 'failed', now(), event.reason)
				};
			}
			if (event.line <= resumedFrom) continue; // committed by an earlier run
			if (signal?.aborted) break;
			lastLine = event.line;
			pendingLines += 1;
			linesThisRun += 1;
			pending.lines += 1;
			if (event.type === 'blank') pending.blank += 1;
			else if (event.type === 'rejected') {
				pending.rejected += 1;
				pendingBytes += event.raw.length;
				rejects.push({
					importId: record.id,
					line: event.line,
					reason: event.reason,
					raw: event.raw
				});
			} else {
				pending.accepted += 1;
				pendingBytes += event.size ?? 0;
				pending.formats[event.record.format] = (pending.formats[event.record.format] ?? 0) + 1;
				addRecord(event.record, event.line);
			}
			if (pendingLines >= nextBatchLines || pendingBytes >= batchBytes) {
				await flush();
				nextBatchLines = Math.min(batchLines, nextBatchLines * 2);
			}
			report();
		}
		if (!signal?.aborted) await flush();
		await settle();
	} catch (error) {
		// Let a batch still committing finish (or fail) before the record is marked.
		await settle().catch(() => undefined);
		// The batch in flight is lost as a whole (its transaction aborted); what committed stays.
		const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		const final = await finish(record, counts, 'incomplete', now(), `Stopped: ${message}`);
		report(true);
		if (error instanceof Error && error.name === 'StorageFullError') throw error;
		return { kind: 'finished', record: final };
	}

	const status = signal?.aborted ? 'cancelled' : 'done';
	const final = await finish(record, counts, status, now());
	record.status = status;
	report(true);
	return { kind: 'finished', record: final };

	function addRecord(parsed: ParsedRecord, line: number) {
		let repeats = 0;
		const ids = parsed.logs.map((log, index) => {
			const { hash, inputHash } = logHashes(log);
			const seen = logs.get(hash);
			if (seen) {
				repeats += 1;
				return seen.id;
			}
			const id = importLogId(projectId, record.startedAt, line, index);
			logs.set(hash, {
				...log,
				id,
				projectId,
				hash,
				inputHash,
				format: parsed.format,
				source: { kind: sourceKind, importId: record.id, file: file.name, line }
				// No createdAt unless the line has its own (in `log`) and no importedAt: the import's
				// start, which the id spells, stands for both. The empty summary (0 flags and rating,
				// no tags) is left out too: reads fill all of these in (see sparseLog in db.ts).
			});
			return id;
		});
		// A line whose logs all repeat earlier lines of this batch is a duplicate the database
		// never sees (the batch carries each log once).
		if (repeats === parsed.logs.length) repeatedLines += 1;
		parsed.feedback.forEach((fb) => {
			const logId = ids[fb.logIndex];
			const body =
				fb.body.kind === 'pairwise'
					? {
							kind: 'pairwise' as const,
							otherLogId: ids[fb.body.otherLogIndex],
							choice: fb.body.choice
						}
					: fb.body;
			feedback.push({
				logId,
				projectId,
				at: parsed.logs[fb.logIndex]?.createdAt ?? record.startedAt,
				actor: 'imported',
				body
			});
		});
	}
}

function mergeCounts(into: ImportCounts, add: ImportCounts) {
	into.lines += add.lines;
	into.blank += add.blank;
	into.accepted += add.accepted;
	into.rejected += add.rejected;
	into.duplicates += add.duplicates;
	into.logs += add.logs;
	for (const [format, n] of Object.entries(add.formats)) {
		const key = format as keyof ImportCounts['formats'];
		into.formats[key] = (into.formats[key] ?? 0) + (n ?? 0);
	}
}

async function finish(
	record: ImportRecord,
	counts: ImportCounts,
	status: ImportRecord['status'],
	at: number,
	fileError?: string
): Promise<ImportRecord> {
	const patch: Partial<ImportRecord> = { status, finishedAt: at, counts };
	if (fileError) patch.fileError = fileError;
	await updateImport(record.id, patch);
	return { ...record, ...patch };
}
