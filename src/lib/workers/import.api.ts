/**
 * The typed interface of import.worker.ts. The page wraps the worker with Comlink.wrap<ImportApi>()
 * and the worker exposes an object implementing it; both import this file.
 */
import type { FieldMapping, SniffResult } from '$lib/core/import/parse-file';
import type { ImportCounts, ImportRecord, ImportStatus } from '$lib/core/types';

export interface ImportRequest {
	file: File;
	projectId: string;
	/** Column/field mapping for CSV or unknown shapes; 'none' imports known shapes only. */
	mapping?: FieldMapping | 'none';
	sourceKind?: 'file' | 'demo';
}

export interface ImportProgress {
	importId: string;
	fileName: string;
	bytesRead: number;
	bytesTotal: number;
	counts: ImportCounts;
	rowsPerSecond: number;
	/** Seconds left at the current rate; null until there is a rate. */
	etaSeconds: number | null;
	status: ImportStatus;
	resumedFromLine: number;
}

export type ImportOutcome =
	{ kind: 'finished'; record: ImportRecord } | { kind: 'needs-mapping'; sniff: SniffResult };

export interface ImportApi {
	/** Imports one file; progress arrives through the callback (a Comlink.proxy). */
	run(
		request: ImportRequest,
		onProgress: (progress: ImportProgress) => void
	): Promise<ImportOutcome>;
	/** Stops an import after its current batch; what committed stays and it can be resumed. */
	cancel(importId: string): void;
}
