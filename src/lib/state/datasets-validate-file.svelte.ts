/**
 * The validate page's state: a file dropped or picked, validated in the dataset worker (same
 * core as the CLI), the report, and fixed copies (the original file is never changed).
 */
import type { FixId } from '$lib/core/validate/fixes';
import { reportToMarkdown } from '$lib/core/validate/markdown';
import type { ValidationReport } from '$lib/core/validate/validator';
import { downloadBlob } from './datasets.svelte';
import { datasetWorker, WorkerJob } from './datasets-worker.svelte';
import { handleError } from './handle-error';

class ValidateFileState {
	file = $state.raw<File | null>(null);
	/** '' = the default for the file's format. */
	model = $state('');
	report = $state.raw<ValidationReport | null>(null);
	readonly job = new WorkerJob();

	async validate(file: File | null = this.file): Promise<void> {
		if (!file) return;
		this.file = file;
		this.report = null;
		const model = this.model || undefined;
		try {
			this.report = await this.job.run((key, onProgress) =>
				datasetWorker().validateFile(key, file, model, onProgress)
			);
		} catch (error) {
			handleError(error, `Could not validate ${file.name}`);
		}
	}

	cancel(): void {
		this.job.cancel();
	}

	/** Downloads a fixed copy named after the original. */
	async downloadFixed(fixes: FixId[]): Promise<void> {
		const file = this.file;
		const report = this.report;
		if (!file || !report) return;
		try {
			const blob = await datasetWorker().fixFile(file, report, fixes);
			downloadBlob(file.name.replace(/(\.[^.]+)?$/, '.fixed.jsonl'), blob);
		} catch (error) {
			handleError(error, 'Could not write the fixed file');
		}
	}

	downloadReport(kind: 'md' | 'json'): void {
		const report = this.report;
		if (!report) return;
		const base = (this.file?.name ?? 'file').replace(/\.[^.]+$/, '');
		if (kind === 'md')
			downloadBlob(
				`${base}.report.md`,
				new Blob([reportToMarkdown(report, `Validation report: ${this.file?.name ?? ''}`)], {
					type: 'text/markdown'
				})
			);
		else
			downloadBlob(
				`${base}.report.json`,
				new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' })
			);
	}
}

export const validateFile = new ValidateFileState();
