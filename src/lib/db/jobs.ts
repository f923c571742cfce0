/**
 * Fine-tuning jobs seen through the API, kept per project with their events and checkpoints so
 * their history and loss curves stay readable offline and after the provider drops them.
 */
import type { JobRecord } from '../core/finetune/types';
import { getDb } from './db';
import { withStorageErrors } from './errors';

/** Stores a job, keeping fields the API does not send again (file names, project, first seen). */
export async function saveJob(record: JobRecord): Promise<JobRecord> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction('rw', db.jobs, async () => {
			const stored = await db.jobs.get(record.id);
			const merged: JobRecord = stored
				? {
						...stored,
						...record,
						projectId: stored.projectId,
						createdAt: stored.createdAt,
						trainingFileName: record.trainingFileName ?? stored.trainingFileName,
						validationFileName: record.validationFileName ?? stored.validationFileName,
						datasetVersionId: record.datasetVersionId ?? stored.datasetVersionId,
						// A refresh that brought no events (a list call) keeps the ones already read.
						events: record.events.length ? record.events : stored.events,
						checkpoints: record.checkpoints.length ? record.checkpoints : stored.checkpoints
					}
				: record;
			await db.jobs.put(merged);
			return merged;
		})
	);
}

export async function getJob(id: string): Promise<JobRecord | undefined> {
	return getDb().jobs.get(id);
}

/** A project's jobs, newest first. */
export async function listJobs(projectId: string): Promise<JobRecord[]> {
	const jobs = await getDb().jobs.where('projectId').equals(projectId).toArray();
	return jobs.sort((a, b) => b.createdAt - a.createdAt);
}

export async function deleteJob(id: string): Promise<void> {
	await getDb().jobs.delete(id);
}
