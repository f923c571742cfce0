/**
 * Projects: a task (e.g. "support replies") that owns its logs, feedback and imports.
 */
import { Dexie, type Collection } from 'dexie';
import type { Project } from '../core/types';
import { boundTables, getDb } from './db';
import { withStorageErrors } from './errors';
import { projectIds } from './log-query';
import { randomId } from '../core/random-id';

export interface NewProject {
	name: string;
	labels?: Project['labels'];
}

export interface DeletedCounts {
	logs: number;
	feedback: number;
	imports: number;
}

/** Rows deleted per step, so deleting 100k logs never holds them all in memory. */
const DELETE_CHUNK = 2000;

function cleanName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed) throw new Error('A project needs a name');
	return trimmed;
}

/** Creates a project (from a name, or a name and label scheme). A single add: on failure (full
 * storage) nothing is written. */
export async function createProject(init: string | NewProject): Promise<Project> {
	const input = typeof init === 'string' ? { name: init } : init;
	const project: Project = {
		id: randomId(),
		name: cleanName(input.name),
		createdAt: Date.now(),
		labels: input.labels ?? { ratings: false, tags: [] }
	};
	await withStorageErrors(() => getDb().projects.add(project));
	return project;
}

/** All projects, oldest first. */
export async function listProjects(): Promise<Project[]> {
	return getDb().projects.orderBy('createdAt').toArray();
}

export async function getProject(id: string): Promise<Project | undefined> {
	return getDb().projects.get(id);
}

/** Changes a project's name and/or label scheme. Throws when the project does not exist; on a
 * storage failure the project is unchanged. */
export async function updateProject(
	id: string,
	changes: Partial<Pick<Project, 'name' | 'labels'>>
): Promise<void> {
	const patch = { ...changes };
	if (patch.name !== undefined) patch.name = cleanName(patch.name);
	const updated = await withStorageErrors(() => getDb().projects.update(id, patch));
	if (updated === 0) throw new Error(`Project ${id} does not exist`);
}

export async function renameProject(id: string, name: string): Promise<void> {
	return updateProject(id, { name });
}

/** Deletes what a collection selects, a chunk of primary keys at a time. */
async function deleteInChunks<T, K>(
	select: () => Collection<T, K>,
	bulkDelete: (keys: K[]) => Promise<void>
): Promise<number> {
	let deleted = 0;
	for (;;) {
		const keys = await select().limit(DELETE_CHUNK).primaryKeys();
		if (keys.length === 0) return deleted;
		await bulkDelete(keys);
		deleted += keys.length;
	}
}

/**
 * Deletes a project with all its logs, feedback, imports and rejected lines.
 *
 * One rw transaction over all the project's tables: if the tab closes or anything fails midway, the
 * transaction aborts and the project is still whole; there is never a project with half its
 * logs, nor orphan logs with no project (invisible in the UI, but still taking space).
 */
export async function deleteProject(id: string): Promise<DeletedCounts> {
	const db = getDb();
	return withStorageErrors(() =>
		db.transaction(
			'rw',
			[
				db.projects,
				db.logs,
				db.feedback,
				db.imports,
				db.importRejects,
				db.datasets,
				db.datasetVersions,
				db.models,
				db.scores,
				db.jobs
			],
			async (tx) => {
				const t = boundTables(tx);
				const logs = await deleteInChunks(
					() => projectIds(t.logs, id),
					(keys) => t.logs.bulkDelete(keys)
				);
				const feedback = await deleteInChunks(
					() => t.feedback.where('[projectId+at]').between([id, Dexie.minKey], [id, Dexie.maxKey]),
					(keys) => t.feedback.bulkDelete(keys)
				);
				const importIds = await t.imports.where('projectId').equals(id).primaryKeys();
				for (const importId of importIds) {
					// A primary-key range: Dexie deletes it in one request without reading rows.
					await t.importRejects
						.where('[importId+line]')
						.between([importId, Dexie.minKey], [importId, Dexie.maxKey])
						.delete();
				}
				await t.imports.bulkDelete(importIds);
				// What later features keep per project: datasets and their versions, preference
				// models and their scores, fine-tuning jobs.
				await t.datasetVersions.where('projectId').equals(id).delete();
				await t.datasets.where('projectId').equals(id).delete();
				const modelIds = await t.models.where('projectId').equals(id).primaryKeys();
				for (const modelId of modelIds) {
					await t.scores
						.where('[modelId+logId]')
						.between([modelId, Dexie.minKey], [modelId, Dexie.maxKey])
						.delete();
				}
				await t.models.bulkDelete(modelIds);
				await t.jobs.where('projectId').equals(id).delete();
				await t.projects.delete(id);
				return { logs, feedback, imports: importIds.length };
			}
		)
	);
}
