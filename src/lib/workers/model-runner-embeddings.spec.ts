import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '$lib/core/random';
import { randomText } from '$lib/core/prefmodel/testing';
import type { AppDB } from '$lib/db/db';
import { appendMany } from '$lib/db/feedback';
import { countScores, listModels } from '$lib/db/models';
import { makeLog } from '$lib/db/test-fixtures';
import { useTestDb } from '$lib/db/test-db';
import { DENSE_FEATURES } from '$lib/core/prefmodel/features';
import { Scorer } from '$lib/core/prefmodel/score';
import { loadEmbedder } from './embeddings';
import { rescoreProject, trainProject, type EmbedderLike } from './model-runner';

const FIXTURE = resolve(import.meta.dirname, '../../../tests/fixtures/models/tiny-random-bert');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

let db: AppDB;
beforeEach(() => {
	db = useTestDb();
});

/**
 * 160 logs of random words whose 👍/👎 is a coin flip the words do not show: only the planted
 * "embedding" knows it (as a semantic model would know meaning that no n-gram carries).
 */
async function seedHidden() {
	const rng = mulberry32(7);
	const good = new Map<string, boolean>();
	const logs = Array.from({ length: 160 }, (_, n) => {
		const text = randomText(rng, 10 + Math.floor(rng() * 10));
		good.set(text, rng() < 0.5);
		return makeLog('p', n, { output: { role: 'assistant', content: text } });
	});
	await db.logs.bulkAdd(logs);
	await appendMany(
		logs.slice(0, 120).map((log, n) => ({
			logId: log.id,
			projectId: 'p',
			at: n,
			actor: 'me' as const,
			body: {
				kind: 'thumb' as const,
				value: good.get(log.output.content as string) ? (1 as const) : (-1 as const)
			}
		}))
	);
	let calls = 0;
	const embedder: EmbedderLike = {
		key: 'planted',
		label: 'planted',
		backend: 'cpu',
		dim: 4,
		async embed(texts) {
			calls += texts.length;
			return texts.map((t) => {
				const noise = mulberry32(t.length);
				return Float32Array.from([good.get(t) ? 0.6 : -0.6, noise() - 0.5, noise() - 0.5, 0.3]);
			});
		}
	};
	return { logs, embedder, calls: () => calls };
}

describe('training with sentence embeddings', () => {
	it('uses the embedding block, and reports the built-in-only model on the same split', async () => {
		const { embedder, calls } = await seedHidden();
		const stages: string[] = [];
		const outcome = await trainProject('p', {
			embedder,
			onProgress: (p) => stages.push(p.stage)
		});
		expect(stages).toEqual(expect.arrayContaining(['embedding', 'training', 'baseline']));
		const report = outcome.report.embeddings;
		expect(report).toBeDefined();
		expect(report?.model).toBe('planted');
		expect(report?.dim).toBe(4);
		expect(report?.computed).toBe(120); // the labelled outputs (scoring embeds the other 40)
		// The words carry nothing; the embedding carries everything.
		expect(outcome.report.model.auc).toBeGreaterThan(0.95);
		expect(report?.builtinOnly.auc).toBeLessThan(0.75);
		expect(outcome.scored).toBe(160);
		const [stored] = await listModels('p');
		expect(stored.features.embedding).toEqual({ model: 'planted', dim: 4 });
		expect(stored.weights.length).toBe(2 * (1 << 18) + 4 + DENSE_FEATURES.length);

		// rank(): candidates with their embeddings; without them the model refuses.
		const scorer = new Scorer(stored);
		const good = Float32Array.from([0.6, 0, 0, 0.3]);
		const bad = Float32Array.from([-0.6, 0, 0, 0.3]);
		const ranked = scorer.rank('q', ['first words here', 'second words here'], [bad, good]);
		expect(ranked.map((r) => r.index)).toEqual([1, 0]);
		expect(() => scorer.rank('q', ['no embedding'])).toThrow(/came without one/);

		// Embeddings are cached: a second run embeds nothing new.
		const before = calls();
		const again = await trainProject('p', { embedder });
		expect(calls()).toBe(before);
		expect(again.report.embeddings?.cached).toBe(120);
		expect(again.report.embeddings?.computed).toBe(0);
	});

	it('will not score an embedding model without its embedder, and stays built-in by default', async () => {
		const { embedder } = await seedHidden();
		const plain = await trainProject('p');
		expect(plain.report.embeddings).toBeUndefined();
		const withEmbeddings = await trainProject('p', { embedder });
		await expect(rescoreProject('p', withEmbeddings.modelId)).rejects.toThrow(
			/trained with sentence embeddings from planted: load that embedding model/
		);
		const other = { ...embedder, key: 'another' };
		await expect(rescoreProject('p', withEmbeddings.modelId, { embedder: other })).rejects.toThrow(
			/load that embedding model/
		);
		const rescored = await rescoreProject('p', withEmbeddings.modelId, { embedder });
		expect(rescored.scored).toBe(160);
	});

	it('trains end to end with the tiny Transformers.js model from a dropped folder', async () => {
		const { logs } = await seedHidden();
		const embedder = await loadEmbedder(
			{
				kind: 'folder',
				name: 'tiny-random-bert',
				files: walk(FIXTURE).map((path) => ({
					path: relative(FIXTURE, path),
					file: new Blob([readFileSync(path)])
				}))
			},
			{ backends: ['cpu'] }
		);
		try {
			const outcome = await trainProject('p', { embedder });
			expect(outcome.report.embeddings).toMatchObject({ backend: 'cpu', dim: 32, computed: 120 });
			expect(outcome.report.embeddings?.textsPerSecond).toBeGreaterThan(0);
			expect(await countScores(outcome.modelId)).toBe(logs.length);
			expect(await db.embeddings.where('model').equals(embedder.key).count()).toBe(160);
		} finally {
			await (embedder as { dispose(): Promise<void> }).dispose();
		}
	});
});
