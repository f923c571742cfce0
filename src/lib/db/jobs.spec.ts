import { beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../core/finetune/types';
import { deleteJob, getJob, listJobs, saveJob } from './jobs';
import { useTestDb } from './test-db';

beforeEach(() => {
	useTestDb();
});

function record(id: string, projectId: string, createdAt: number): JobRecord {
	return {
		id,
		projectId,
		createdAt,
		updatedAt: createdAt,
		job: { id, status: 'validating_files' },
		events: [],
		checkpoints: []
	};
}

describe('jobs', () => {
	it('lists a project’s jobs newest first', async () => {
		await saveJob(record('ftjob-1', 'p1', 1));
		await saveJob(record('ftjob-2', 'p1', 2));
		await saveJob(record('ftjob-3', 'p2', 3));
		expect((await listJobs('p1')).map((j) => j.id)).toEqual(['ftjob-2', 'ftjob-1']);
		await deleteJob('ftjob-2');
		expect((await listJobs('p1')).map((j) => j.id)).toEqual(['ftjob-1']);
	});

	it('a refresh keeps the project, first-seen time, file names and events it did not bring', async () => {
		await saveJob({
			...record('ftjob-1', 'p1', 1),
			trainingFileName: 'train.jsonl',
			events: [{ id: 'e1', created_at: 1, level: 'info', message: 'Created' }]
		});
		const merged = await saveJob({
			...record('ftjob-1', 'other', 99),
			job: { id: 'ftjob-1', status: 'running' }
		});
		expect(merged).toMatchObject({
			projectId: 'p1',
			createdAt: 1,
			trainingFileName: 'train.jsonl',
			job: { status: 'running' }
		});
		expect(merged.events).toHaveLength(1);
		expect(await getJob('ftjob-1')).toEqual(merged);
	});
});
