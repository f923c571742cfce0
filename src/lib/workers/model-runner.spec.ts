import { beforeEach, describe, expect, it } from 'vitest';
import { appendMany } from '$lib/db/feedback';
import {
	activeModel,
	countScores,
	deleteModel,
	listModels,
	projectLabels,
	setActiveModel
} from '$lib/db/models';
import {
	disagreements,
	logIdsByScore,
	orderIdsByScore,
	scoreOf,
	uncertaintyOrder
} from '$lib/db/scores';
import { makeLog } from '$lib/db/test-fixtures';
import { useTestDb } from '$lib/db/test-db';
import type { AppDB } from '$lib/db/db';
import { mulberry32 } from '$lib/core/random';
import { randomText } from '$lib/core/prefmodel/testing';
import { trainProject } from './model-runner';

let db: AppDB;

/** 120 logs; the good ones mention "refund processed" and get 👍, the others 👎 (80 labelled). */
async function seed() {
	const rng = mulberry32(1);
	const logs = Array.from({ length: 120 }, (_, n) => {
		const good = n % 2 === 0;
		const text = `${randomText(rng, 12)} ${good ? 'your refund processed today' : 'please wait longer'} ${randomText(rng, 6)}`;
		return makeLog('p', n, { output: { role: 'assistant', content: text } });
	});
	await db.logs.bulkAdd(logs);
	await appendMany(
		logs.slice(0, 80).map((log, n) => ({
			logId: log.id,
			projectId: 'p',
			at: n,
			actor: 'me' as const,
			body: { kind: 'thumb' as const, value: n % 2 === 0 ? (1 as const) : (-1 as const) }
		}))
	);
	return logs;
}

beforeEach(() => {
	db = useTestDb();
});

describe('training a project model', () => {
	it('reads labels from feedback, trains, keeps an active version and scores every log', async () => {
		const logs = await seed();
		const { counts } = await projectLabels('p');
		expect(counts).toEqual({ thumbsUp: 40, thumbsDown: 40, ratings: 0, corrections: 0, pairs: 0 });
		const stages = new Set<string>();
		const outcome = await trainProject('p', { onProgress: (p) => stages.add(p.stage) });
		expect([...stages]).toEqual(expect.arrayContaining(['labels', 'training', 'scoring']));
		expect(outcome.version).toBe(1);
		expect(outcome.scored).toBe(120);
		expect(outcome.report.model.auc).toBeGreaterThan(0.9);
		expect(outcome.report.baselines.map((b) => b.name)).toEqual(['majority', 'longer', 'shorter']);
		expect((await activeModel('p'))?.id).toBe(outcome.modelId);
		expect(await countScores(outcome.modelId)).toBe(120);

		// Unlabelled logs 80…119: the good ones score high.
		const byScore = await logIdsByScore('p', 'high');
		expect(byScore).toHaveLength(120);
		const top = byScore.slice(0, 20);
		expect(top.every((id) => logs.findIndex((l) => l.id === id) % 2 === 0)).toBe(true);
		const unlabelled = logs.slice(80).map((l) => l.id);
		const ordered = await orderIdsByScore('p', unlabelled, 'high');
		expect(ordered.slice(0, 20).every((id) => logs.findIndex((l) => l.id === id) % 2 === 0)).toBe(
			true
		);
		const high = await orderIdsByScore('p', unlabelled, 'high', { min: 0.5 });
		expect(high.length).toBeGreaterThan(10);
		for (const id of high) expect(await scoreOf('p', id)).toBeGreaterThanOrEqual(0.5);
		const uncertain = await uncertaintyOrder('p', unlabelled);
		expect(uncertain).toHaveLength(40);
		const gap = async (id: string) => Math.abs(((await scoreOf('p', id)) ?? 0) - 0.5);
		expect(await gap(uncertain[0])).toBeLessThanOrEqual(await gap(uncertain[39]));
		expect(await disagreements('p')).toEqual([]);
	});

	it('keeps every version, lets the user pick the active one, and flags labels the model disputes', async () => {
		const logs = await seed();
		const first = await trainProject('p');
		// A 👍 on a "please wait" log: the model disagrees with it.
		await appendMany([
			{
				logId: logs[1].id,
				projectId: 'p',
				at: 1000,
				actor: 'me',
				body: { kind: 'thumb', value: 1 }
			}
		]);
		const second = await trainProject('p');
		expect(second.version).toBe(2);
		expect((await listModels('p')).map((m) => [m.version, m.active])).toEqual([
			[2, 1],
			[1, 0]
		]);
		const disputed = await disagreements('p');
		expect(disputed.map((d) => d.logId)).toContain(logs[1].id);
		await setActiveModel('p', first.modelId);
		expect((await activeModel('p'))?.version).toBe(1);
		await deleteModel(second.modelId);
		expect(await countScores(second.modelId)).toBe(0);
		expect(await listModels('p')).toHaveLength(1);
	});

	it('says what is missing when there is nothing to learn, and stops on Cancel without saving', async () => {
		await db.logs.bulkAdd([makeLog('q', 1), makeLog('q', 2)]);
		await expect(trainProject('q')).rejects.toThrow(/no labels yet/);
		await appendMany([
			{ logId: 'q:h000001', projectId: 'q', at: 1, actor: 'me', body: { kind: 'thumb', value: 1 } }
		]);
		await expect(trainProject('q')).rejects.toThrow(/both 👍 and 👎/);

		await seed();
		const controller = new AbortController();
		const run = trainProject('p', {
			signal: controller.signal,
			onProgress: (p) => p.stage === 'training' && p.epoch >= 2 && controller.abort()
		});
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		expect(await listModels('p')).toEqual([]);
		expect(await db.scores.count()).toBe(0);
	});
});
