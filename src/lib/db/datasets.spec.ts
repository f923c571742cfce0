import { beforeEach, describe, expect, it } from 'vitest';
import { buildVersion } from '../core/dataset/build';
import { defaultRules } from '../core/dataset/types';
import { versionLines } from '../core/export/version-lines';
import type { AppDB } from './db';
import {
	createDataset,
	deleteDataset,
	getVersion,
	listDatasets,
	listVersions,
	loadCandidates,
	loadExportLogs,
	saveFixedVersion,
	saveVersion,
	updateDataset
} from './datasets';
import { appendMany } from './feedback';
import { makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
const logs = Array.from({ length: 12 }, (_, n) => makeLog('p', n));

beforeEach(async () => {
	db = useTestDb();
	await db.logs.bulkAdd(logs);
	const me = { projectId: 'p', actor: 'me' as const };
	await appendMany([
		...[1, 2, 3, 4, 6, 7, 8, 9].map((n, i) => ({
			...me,
			logId: logs[n].id,
			at: 100 + i,
			body: { kind: 'thumb' as const, value: 1 as const }
		})),
		{ ...me, logId: logs[11].id, at: 200, body: { kind: 'thumb', value: -1 } },
		{
			...me,
			logId: logs[11].id,
			at: 201,
			body: { kind: 'correction', output: { role: 'assistant', content: 'Fixed answer' } }
		},
		{
			...me,
			logId: logs[10].id,
			at: 202,
			body: { kind: 'pairwise', otherLogId: logs[9].id, choice: 'this' }
		}
	]);
});

describe('datasets repository', () => {
	it('loads the filtered logs with their feedback state (thumbs, corrections, A/B choices)', async () => {
		const candidates = await loadCandidates({ projectId: 'p' });
		expect(candidates).toHaveLength(12);
		const byId = new Map(candidates.map((c) => [c.id, c]));
		expect(byId.get(logs[1].id)?.thumb).toBe(1);
		expect(byId.get(logs[11].id)).toMatchObject({
			thumb: -1,
			correction: { content: 'Fixed answer' }
		});
		expect(byId.get(logs[10].id)?.pairwise).toEqual([{ otherLogId: logs[9].id, choice: 'this' }]);
		expect(await loadCandidates({ projectId: 'p', thumb: 1 })).toHaveLength(8);
	});

	it('versions are numbered, immutable, and a fix makes a new one', async () => {
		const dataset = await createDataset(
			'p',
			' Support ',
			{ projectId: 'p' },
			{ ...defaultRules(), validationPercent: 0 }
		);
		expect(dataset.name).toBe('Support');
		const result = buildVersion(await loadCandidates(dataset.filter), dataset.rules);
		expect(result.train).toHaveLength(9);
		expect(result.counts.pairs).toEqual({ correction: 1, thumbs: 0, pairwise: 1 });
		const v1 = await saveVersion(dataset, result);
		expect(v1.number).toBe(1);
		await updateDataset(dataset.id, { rules: { ...dataset.rules, includeUp: false } });
		const v2 = await saveFixedVersion(v1, 'drop-duplicates', {
			split: 'train',
			logIds: new Set([logs[1].id])
		});
		expect(v2).toMatchObject({
			number: 2,
			fixedFrom: { versionId: v1.id, fix: 'drop-duplicates', dropped: 1 }
		});
		expect(v2.train).toHaveLength(8);
		// The fix keeps the rules the version was built with, and v1 is as it was.
		expect(v2.rules.includeUp).toBe(true);
		expect((await getVersion(v1.id))?.train).toHaveLength(9);
		expect((await listVersions(dataset.id)).map((v) => v.number)).toEqual([2, 1]);
	});

	it('exports a version from the stored logs: the correction replaces the output', async () => {
		const dataset = await createDataset(
			'p',
			'D',
			{ projectId: 'p' },
			{ ...defaultRules(), validationPercent: 0 }
		);
		const version = await saveVersion(
			dataset,
			buildVersion(await loadCandidates(dataset.filter), dataset.rules)
		);
		const exportLogs = await loadExportLogs(version.train);
		const { lines, items } = versionLines(version, 'train', { format: 'openai-sft' }, exportLogs);
		expect(items).toEqual(version.train);
		const corrected = JSON.parse(lines[items.indexOf(logs[11].id)]);
		expect(corrected.messages.at(-1)).toEqual({ role: 'assistant', content: 'Fixed answer' });
		const dpoLogs = await loadExportLogs(
			version.pairs.train.flatMap((p) => [p.preferred.logId, p.rejected.logId])
		);
		const dpo = versionLines(version, 'train', { format: 'openai-dpo' }, dpoLogs);
		expect(dpo.lines).toHaveLength(2);
	});

	it('deleting a dataset deletes its versions', async () => {
		const dataset = await createDataset('p', 'D', { projectId: 'p' }, defaultRules());
		await saveVersion(dataset, buildVersion([], dataset.rules));
		await deleteDataset(dataset.id);
		expect(await listDatasets('p')).toEqual([]);
		expect(await db.datasetVersions.count()).toBe(0);
	});
});
