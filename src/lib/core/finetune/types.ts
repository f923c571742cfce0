/** Fine-tuning jobs as Tuneloop keeps them: what the API said last, with events and metrics. */
export interface JobRecord {
	/** The API's job id (ftjob-…). */
	id: string;
	projectId: string;
	createdAt: number;
	/** The job object as last returned by the API. */
	job: Record<string, unknown>;
	events: Record<string, unknown>[];
	metrics: Record<string, unknown>[];
	/** The dataset version the training file came from, when started from Tuneloop. */
	datasetVersionId?: string;
}
