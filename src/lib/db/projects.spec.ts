import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDB } from './db';
import { appendMany } from './feedback';
import { writeImportBatch } from './logs';
import {
	createProject,
	deleteProject,
	getProject,
	listProjects,
	renameProject,
	updateProject
} from './projects';
import { makeImport, makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
beforeEach(() => {
	db = useTestDb();
});

/** A project with an import of `logs` logs (one thumb each), and 3 rejected lines. */
async function populate(projectId: string, importId: string, logs: number) {
	await db.imports.add(makeImport(importId, projectId));
	const rows = Array.from({ length: logs }, (_, n) =>
		makeLog(projectId, n, { source: { kind: 'file', importId, line: n + 1 } })
	);
	await writeImportBatch({
		importId,
		logs: rows,
		feedback: rows.map((log, n) => ({
			logId: log.id,
			projectId,
			at: n,
			actor: 'imported' as const,
			body: { kind: 'thumb' as const, value: 1 as const }
		})),
		rejects: [1, 2, 3].map((n) => ({ importId, line: logs + n, reason: 'bad', raw: 'x' })),
		importPatch: { status: 'done' }
	});
	await appendMany([
		{ logId: rows[0].id, projectId, at: 99, actor: 'me', body: { kind: 'comment', text: 'c' } }
	]);
}

describe('projects', () => {
	it('creates, lists, renames and updates', async () => {
		const a = await createProject('  Support replies ');
		const b = await createProject({ name: 'Summaries', labels: { ratings: true, tags: ['tone'] } });
		expect(a.name).toBe('Support replies');
		expect(a.labels).toEqual({ ratings: false, tags: [] });
		expect((await listProjects()).map((p) => p.name).sort()).toEqual([
			'Summaries',
			'Support replies'
		]);
		await renameProject(a.id, 'Replies');
		expect((await getProject(a.id))?.name).toBe('Replies');
		await updateProject(b.id, { labels: { ratings: false, tags: [] } });
		expect((await getProject(b.id))?.labels).toEqual({ ratings: false, tags: [] });
		await expect(renameProject('nope', 'x')).rejects.toThrow('does not exist');
		await expect(createProject('   ')).rejects.toThrow('needs a name');
	});

	it('deleteProject removes the project and all its rows, and nothing of other projects', async () => {
		await db.projects.bulkAdd([
			{ id: 'p1', name: 'One', createdAt: 1, labels: { ratings: false, tags: [] } },
			{ id: 'p2', name: 'Two', createdAt: 2, labels: { ratings: false, tags: [] } }
		]);
		// More logs than one delete chunk (2000), to cross chunk boundaries.
		await populate('p1', 'i1', 2100);
		await db.imports.add(makeImport('i1b', 'p1'));
		await db.importRejects.add({ importId: 'i1b', line: 1, reason: 'r', raw: 'x' });
		await populate('p2', 'i2', 5);
		for (const projectId of ['p1', 'p2']) {
			await db.datasets.add({
				id: `d-${projectId}`,
				projectId,
				name: 'set',
				createdAt: 1,
				filter: { projectId },
				rules: {
					includeUp: true,
					includeDownViaCorrection: true,
					includeUnjudged: false,
					dedupe: 'exact',
					validationPercent: 10,
					seed: 1
				}
			} as never);
			await db.datasetVersions.add({
				id: `v-${projectId}`,
				datasetId: `d-${projectId}`,
				projectId,
				number: 1,
				createdAt: 1
			} as never);
			await db.models.add({ id: `m-${projectId}`, projectId, createdAt: 1 } as never);
			await db.scores.add({ modelId: `m-${projectId}`, logId: `${projectId}:x`, score: 0.5 });
			await db.jobs.add({ id: `ftjob-${projectId}`, projectId, createdAt: 1 } as never);
		}

		expect(await deleteProject('p1')).toEqual({ logs: 2100, feedback: 2101, imports: 2 });
		for (const table of ['datasets', 'datasetVersions', 'models', 'jobs']) {
			const rows = (await db.table(table).toArray()) as { projectId: string }[];
			expect(
				rows.map((row) => row.projectId),
				table
			).toEqual(['p2']);
		}
		expect((await db.scores.toArray()).map((row) => row.modelId)).toEqual(['m-p2']);
		expect(await db.projects.toCollection().primaryKeys()).toEqual(['p2']);
		expect(await db.logs.count()).toBe(5);
		expect(await db.feedback.count()).toBe(6);
		expect(await db.imports.toCollection().primaryKeys()).toEqual(['i2']);
		expect(await db.importRejects.count()).toBe(3);
		expect((await db.importRejects.toArray()).every((r) => r.importId === 'i2')).toBe(true);
	});
});
