/**
 * The typed interface of dataset.worker.ts: building dataset versions (live counts), validating
 * and exporting them, and validating or fixing a dropped file. All the heavy work (reading 100k
 * logs, tokenizing, writing lines) happens in the worker so the page stays responsive; progress
 * arrives through callbacks (Comlink.proxy) and every job can be cancelled by its key.
 */
import type { BuildResult } from '$lib/core/dataset/build';
import type { DatasetRules } from '$lib/core/dataset/types';
import type { ExportSettings, Split } from '$lib/core/export/version-lines';
import type { LogFilter } from '$lib/core/types';
import type { FixId } from '$lib/core/validate/fixes';
import type { ValidationReport } from '$lib/core/validate/validator';

export interface JobProgress {
	/** What is happening, in words ("Reading logs", "Validating"). */
	phase: string;
	done: number;
	total: number;
	/** What `done` and `total` count: items (the default), or bytes of a file. */
	unit?: 'bytes';
}

export interface VersionValidation {
	train: ValidationReport;
	validation: ValidationReport | null;
	/** Line n of a split's file came from items[n - 1] (a log id, or a pair index). */
	items: { train: (string | number)[]; validation: (string | number)[] };
}

export interface ExportedFile {
	file: Blob;
	name: string;
	report: ValidationReport | null;
	markdown: string | null;
}

export interface DatasetApi {
	/** Builds (without saving) from the filtered logs; candidates are cached per filter. */
	build(
		key: string,
		filter: LogFilter,
		rules: DatasetRules,
		reload: boolean,
		onProgress: (progress: JobProgress) => void
	): Promise<BuildResult>;
	validateVersion(
		key: string,
		versionId: string,
		settings: ExportSettings,
		model: string | undefined,
		onProgress: (progress: JobProgress) => void
	): Promise<VersionValidation>;
	exportVersion(
		key: string,
		versionId: string,
		split: Split,
		settings: ExportSettings,
		model: string | undefined,
		onProgress: (progress: JobProgress) => void
	): Promise<ExportedFile>;
	validateFile(
		key: string,
		file: File,
		model: string | undefined,
		onProgress: (progress: JobProgress) => void
	): Promise<ValidationReport>;
	/** A fixed copy of the file (the original is untouched). */
	fixFile(file: File, report: ValidationReport, fixes: FixId[]): Promise<Blob>;
	cancel(key: string): void;
}
