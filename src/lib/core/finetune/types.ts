/**
 * Fine-tuning jobs as Tuneloop keeps them: what the API said last, with events and checkpoints,
 * so a job's history (and its loss curves) stays readable offline and after OpenAI forgets it.
 * The API objects are kept as plain JSON records (core does not depend on the SDK's types).
 */
export type JobStatus =
	'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobEvent {
	id: string;
	/** Seconds since epoch, as the API gives it. */
	created_at: number;
	level: string;
	message: string;
	type?: string;
	data?: Record<string, unknown>;
}

export interface JobCheckpoint {
	id: string;
	step_number: number;
	fine_tuned_model_checkpoint: string;
	metrics: Record<string, number | undefined>;
}

export interface JobRecord {
	/** The API's job id (ftjob-…). */
	id: string;
	projectId: string;
	/** When Tuneloop first saw the job, ms. */
	createdAt: number;
	/** When the record was last refreshed from the API, ms. */
	updatedAt: number;
	/** The job object as last returned by the API. */
	job: Record<string, unknown>;
	/** Events, oldest first. */
	events: JobEvent[];
	checkpoints: JobCheckpoint[];
	/** Names of the files uploaded for it (the API keeps only ids). */
	trainingFileName?: string;
	validationFileName?: string;
	/** The dataset version the training file came from, when started from Tuneloop. */
	datasetVersionId?: string;
}

export const FINISHED_STATUSES: readonly string[] = ['succeeded', 'failed', 'cancelled'];

export function isFinished(status: unknown): boolean {
	return typeof status === 'string' && FINISHED_STATUSES.includes(status);
}
