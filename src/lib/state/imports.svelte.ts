/**
 * The import queue the UI shows: files dropped or picked wait here, run one at a time in the
 * import worker, report progress (rows/s, ETA), can be cancelled, and stop to ask for a column
 * mapping when a file is CSV or of an unknown shape.
 */
import * as Comlink from 'comlink';
import type { FieldMapping, SniffResult } from '$lib/core/import/parse-file';
import type { ImportRecord } from '$lib/core/types';
import type { ImportApi, ImportProgress } from '$lib/workers/import.api';
import ImportWorker from '$lib/workers/import.worker?worker';
import { errorMessage } from './handle-error';

export type JobStatus =
	'queued' | 'running' | 'needs-mapping' | 'done' | 'cancelled' | 'incomplete' | 'failed';

export interface ImportJob {
	key: number;
	file: File;
	projectId: string;
	sourceKind: 'file' | 'demo';
	status: JobStatus;
	mapping?: FieldMapping | 'none';
	progress: ImportProgress | null;
	sniff: SniffResult | null;
	record: ImportRecord | null;
	error: string | null;
}

class ImportQueue {
	jobs = $state<ImportJob[]>([]);
	#next = 1;
	#api: Comlink.Remote<ImportApi> | null = null;
	#running = false;

	get active(): ImportJob[] {
		return this.jobs.filter((j) => j.status === 'queued' || j.status === 'running');
	}

	get busy(): boolean {
		return this.active.length > 0;
	}

	#worker(): Comlink.Remote<ImportApi> {
		this.#api ??= Comlink.wrap<ImportApi>(new ImportWorker());
		return this.#api;
	}

	/** Queues files for import into a project; resolves when they have all finished. */
	add(files: File[], projectId: string, sourceKind: 'file' | 'demo' = 'file'): Promise<void> {
		for (const file of files) {
			this.jobs.push({
				key: this.#next++,
				file,
				projectId,
				sourceKind,
				status: 'queued',
				progress: null,
				sniff: null,
				record: null,
				error: null
			});
		}
		return this.#drain();
	}

	/** Continues a job that stopped for a mapping ('none': import only what is recognised). */
	async map(key: number, mapping: FieldMapping | 'none'): Promise<void> {
		const job = this.#job(key);
		if (!job || job.status !== 'needs-mapping') return;
		job.mapping = mapping;
		job.status = 'queued';
		await this.#drain();
	}

	async cancel(key: number): Promise<void> {
		const job = this.#job(key);
		if (!job) return;
		if (job.status === 'queued' || job.status === 'needs-mapping') {
			job.status = 'cancelled';
			return;
		}
		if (job.status === 'running' && job.progress)
			await this.#worker().cancel(job.progress.importId);
	}

	dismiss(key: number): void {
		this.jobs = this.jobs.filter((j) => j.key !== key);
	}

	dismissFinished(): void {
		this.jobs = this.jobs.filter((j) => j.status === 'queued' || j.status === 'running');
	}

	#job(key: number): ImportJob | undefined {
		return this.jobs.find((j) => j.key === key);
	}

	async #drain(): Promise<void> {
		if (this.#running) return;
		this.#running = true;
		try {
			for (;;) {
				const job = this.jobs.find((j) => j.status === 'queued');
				if (!job) break;
				await this.#runOne(job);
			}
		} finally {
			this.#running = false;
		}
	}

	async #runOne(job: ImportJob): Promise<void> {
		job.status = 'running';
		job.error = null;
		try {
			const outcome = await this.#worker().run(
				{
					file: job.file,
					projectId: job.projectId,
					// A state proxy cannot be posted to a worker; send a plain copy.
					mapping: $state.snapshot(job.mapping),
					sourceKind: job.sourceKind
				},
				Comlink.proxy((progress: ImportProgress) => {
					job.progress = progress;
				})
			);
			if (outcome.kind === 'needs-mapping') {
				job.sniff = outcome.sniff;
				job.status = 'needs-mapping';
				return;
			}
			job.record = outcome.record;
			job.status =
				outcome.record.status === 'done'
					? 'done'
					: outcome.record.status === 'cancelled'
						? 'cancelled'
						: outcome.record.status === 'failed'
							? 'failed'
							: 'incomplete';
			if (outcome.record.fileError) job.error = outcome.record.fileError;
		} catch (error) {
			job.status = 'failed';
			job.error = errorMessage(error);
		}
	}
}

export const imports = new ImportQueue();
