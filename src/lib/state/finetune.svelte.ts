/**
 * Fine-tuning: upload the training (and validation) file, create the job, then watch it (status,
 * events, loss, ETA) until it ends, with Cancel. Jobs are kept in the `jobs` table, so past jobs
 * and their curves stay visible offline. When OpenAI refuses to start a job because the account
 * can no longer fine-tune, the page says so in plain words and points to the portable exports.
 */
import {
	checkTrainingFile,
	jobBody,
	type FieldError,
	type JobForm
} from '$lib/core/finetune/params';
import {
	isFinished,
	type JobCheckpoint,
	type JobEvent,
	type JobRecord
} from '$lib/core/finetune/types';
import { listJobs, saveJob } from '$lib/db/jobs';
import type { FineTuningJob } from '$lib/openai/client';
import { OpenAIFailure } from '$lib/openai/errors';

export { isFineTuningClosed } from '$lib/openai/errors';
import { api } from './api.svelte';
import { LiveQuery } from './live-query.svelte';

const POLL_MS = 1500;

function asFailure(error: unknown): OpenAIFailure {
	return error instanceof OpenAIFailure
		? error
		: new OpenAIFailure('unknown', error instanceof Error ? error.message : String(error));
}

export function emptyForm(): JobForm {
	return {
		model: 'gpt-4o-mini-2024-07-18',
		method: 'supervised',
		nEpochs: '',
		batchSize: '',
		learningRateMultiplier: '',
		beta: '',
		suffix: '',
		seed: ''
	};
}

class FinetuneState {
	#jobs = new LiveQuery<JobRecord[]>([]);
	#projectId: string | null = null;
	#timers = new Map<string, ReturnType<typeof setTimeout>>();
	form = $state<JobForm>(emptyForm());
	trainingFile = $state.raw<File | null>(null);
	validationFile = $state.raw<File | null>(null);
	fileProblems = $state.raw<string[]>([]);
	formErrors = $state.raw<FieldError[]>([]);
	starting = $state(false);
	step = $state('');
	startError = $state.raw<OpenAIFailure | null>(null);
	selectedId = $state<string | null>(null);
	refreshError = $state.raw<OpenAIFailure | null>(null);
	syncing = $state(false);
	/** The dataset version the chosen training file was exported from (set through `prefill`). */
	datasetVersionId = $state<string | null>(null);
	/** Bumped when the chosen files are cleared, so the form's file inputs are emptied too. */
	filesVersion = $state(0);

	/** Watches the project's stored jobs (and polls those still running). */
	open(projectId: string): void {
		if (this.#projectId === projectId) return;
		this.#projectId = projectId;
		this.#jobs.watch(() => listJobs(projectId));
	}

	/**
	 * Starts the form from a dataset version's export (the datasets page calls this, then opens
	 * /finetune): its files and method; the job remembers which version it was trained on.
	 */
	prefill(files: {
		training: File;
		validation?: File;
		method?: JobForm['method'];
		datasetVersionId?: string;
	}): void {
		this.trainingFile = files.training;
		this.validationFile = files.validation ?? null;
		if (files.method) this.form.method = files.method;
		this.datasetVersionId = files.datasetVersionId ?? null;
		this.fileProblems = [];
	}

	/** Forgets the chosen files (the page's file inputs are new each time it opens). */
	clearFiles(): void {
		this.trainingFile = null;
		this.validationFile = null;
		this.datasetVersionId = null;
		this.fileProblems = [];
		this.filesVersion++;
	}

	close(): void {
		this.clearFiles();
		this.#jobs.stop();
		this.#projectId = null;
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
	}

	get jobs(): JobRecord[] {
		return this.#jobs.current;
	}

	get selected(): JobRecord | null {
		return this.jobs.find((job) => job.id === this.selectedId) ?? this.jobs[0] ?? null;
	}

	errorFor(field: keyof JobForm): string | undefined {
		return this.formErrors.find((error) => error.field === field)?.message;
	}

	/** Uploads the files and creates the job; returns its id, or null when it did not start. */
	async start(projectId: string): Promise<string | null> {
		if (this.starting) return null;
		this.startError = null;
		this.formErrors = [];
		this.fileProblems = [];
		const training = this.trainingFile;
		if (!training) {
			this.fileProblems = ['Choose a training file (JSON Lines).'];
			return null;
		}
		const check = checkTrainingFile(await training.text(), this.form.method);
		const validationCheck = this.validationFile
			? checkTrainingFile(await this.validationFile.text(), this.form.method)
			: null;
		const problems = [
			...check.problems.map((p) => `${training.name}: ${p}`),
			...(validationCheck?.problems
				.filter((p) => !p.includes('at least 10'))
				.map((p) => `${this.validationFile?.name}: ${p}`) ?? [])
		];
		const preview = jobBody(this.form, { training: 'file-pending' });
		if (!preview.ok) this.formErrors = preview.errors;
		if (problems.length) this.fileProblems = problems;
		if (!preview.ok || problems.length) return null;

		this.starting = true;
		try {
			const client = api.client();
			this.step = `Uploading ${training.name}…`;
			const trainingUpload = await client.uploadFile(training);
			let validationId: string | undefined;
			if (this.validationFile) {
				this.step = `Uploading ${this.validationFile.name}…`;
				validationId = (await client.uploadFile(this.validationFile)).id;
			}
			this.step = 'Creating the job…';
			const body = jobBody(this.form, { training: trainingUpload.id, validation: validationId });
			if (!body.ok) throw new Error('The form changed while uploading');
			const job = await client.createJob(body.body);
			const now = Date.now();
			await saveJob({
				id: job.id,
				projectId,
				createdAt: now,
				updatedAt: now,
				job: job as unknown as Record<string, unknown>,
				events: [],
				checkpoints: [],
				trainingFileName: training.name,
				validationFileName: this.validationFile?.name,
				...(this.datasetVersionId ? { datasetVersionId: this.datasetVersionId } : {})
			});
			this.selectedId = job.id;
			this.watch(job.id);
			this.clearFiles();
			return job.id;
		} catch (error) {
			this.startError = asFailure(error);
			return null;
		} finally {
			this.starting = false;
			this.step = '';
		}
	}

	/** Reads a job, its events and (once finished) checkpoints, and stores them. */
	async refresh(jobId: string): Promise<JobRecord | null> {
		const stored = this.jobs.find((job) => job.id === jobId);
		try {
			const client = api.client();
			const [job, events] = await Promise.all([client.getJob(jobId), client.listEvents(jobId)]);
			const checkpoints = isFinished(job.status) ? await client.listCheckpoints(jobId) : [];
			this.refreshError = null;
			return await saveJob({
				id: job.id,
				projectId: stored?.projectId ?? this.#projectId ?? '',
				createdAt: stored?.createdAt ?? Date.now(),
				updatedAt: Date.now(),
				job: job as unknown as Record<string, unknown>,
				events: events as unknown as JobEvent[],
				checkpoints: checkpoints as unknown as JobCheckpoint[]
			});
		} catch (error) {
			this.refreshError = asFailure(error);
			return null;
		}
	}

	/** Polls a job until it finishes (or the page closes). */
	watch(jobId: string): void {
		if (this.#timers.has(jobId)) return;
		const tick = async () => {
			const record = await this.refresh(jobId);
			const failure = this.refreshError;
			// Keep polling through temporary failures; stop on finished jobs and lasting ones.
			const lasting = failure !== null && (failure.fatal || failure.kind === 'not-found');
			if ((record && isFinished(record.job.status)) || lasting) {
				this.#timers.delete(jobId);
				// A new model exists: pickers and shutdown dates should know it.
				if (record?.job.status === 'succeeded') await api.refreshModels();
				return;
			}
			this.#timers.set(
				jobId,
				setTimeout(() => void tick(), POLL_MS)
			);
		};
		this.#timers.set(
			jobId,
			setTimeout(() => void tick(), 0)
		);
	}

	/** Starts watching every stored job that has not finished. */
	watchUnfinished(): void {
		for (const job of this.jobs) if (!isFinished(job.job.status)) this.watch(job.id);
	}

	async cancel(jobId: string): Promise<void> {
		const job = await api.client().cancelJob(jobId);
		const stored = this.jobs.find((record) => record.id === jobId);
		if (stored)
			await saveJob({
				...stored,
				job: job as unknown as Record<string, unknown>,
				updatedAt: Date.now()
			});
		await this.refresh(jobId);
	}

	/** Adds jobs the API knows and this project does not (started elsewhere) to the list. */
	async syncFromApi(projectId: string): Promise<number> {
		this.syncing = true;
		try {
			const remote: FineTuningJob[] = await api.client().listJobs(50);
			const known = new Set(this.jobs.map((job) => job.id));
			let added = 0;
			for (const job of remote) {
				if (known.has(job.id)) continue;
				await saveJob({
					id: job.id,
					projectId,
					createdAt: job.created_at * 1000,
					updatedAt: Date.now(),
					job: job as unknown as Record<string, unknown>,
					events: [],
					checkpoints: []
				});
				added++;
			}
			return added;
		} finally {
			this.syncing = false;
		}
	}
}

export const finetune = new FinetuneState();
