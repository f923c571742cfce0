/**
 * What the model worker does, written against the db and core modules so it runs in node tests
 * too: read a project's labels, train with an honest held-out report, store the version, score
 * every log in batches.
 */
import { buildModel } from '$lib/core/prefmodel/evaluate';
import { DEFAULT_FEATURES, type FeatureConfig } from '$lib/core/prefmodel/features';
import { exampleOf } from '$lib/core/prefmodel/labels';
import { TrainingCancelled } from '$lib/core/prefmodel/learner';
import { Scorer } from '$lib/core/prefmodel/score';
import type {
	Example,
	LinearModel,
	PrefDataset,
	PrefModelRecord,
	ScoreRow
} from '$lib/core/prefmodel/types';
import { getDb } from '$lib/db/db';
import { projectIds } from '$lib/db/log-query';
import { getModel, nextVersion, projectLabels, saveModel, writeScores } from '$lib/db/models';
import { embedAll } from './embeddings-cache';
import type { Embedder } from './embeddings';
import type { TrainOutcome, TrainProgressEvent } from './model.api';

/** Logs read, scored and written per transaction. */
export const SCORE_BATCH = 500;

export interface RunOptions {
	signal?: AbortSignal;
	onProgress?: (progress: TrainProgressEvent) => void;
	/**
	 * Sentence embeddings: training with one adds its vectors to the built-in features (opt-in);
	 * scoring under a model trained with embeddings needs the same embedding model.
	 */
	embedder?: EmbedderLike;
}

/** What the runner needs of an embedding model (see embeddings.ts). */
export type EmbedderLike = Pick<Embedder, 'key' | 'label' | 'backend' | 'dim' | 'embed'>;

/** The embedder a model's features need, or a clear error when it is not the one loaded. */
function embedderFor(features: FeatureConfig, embedder?: EmbedderLike): EmbedderLike | null {
	if (!features.embedding) return null;
	if (!embedder || embedder.key !== features.embedding.model)
		throw new Error(
			`This model was trained with sentence embeddings from ${features.embedding.model.replace(/^folder:/, 'the dropped folder ')}: load that embedding model on the Model page first.`
		);
	return embedder;
}

/** The examples with their outputs' embeddings attached (from the cache where possible). */
async function withEmbeddings(
	examples: Example[],
	embedder: EmbedderLike,
	options: RunOptions,
	onProgress?: (done: number, total: number, textsPerSecond: number) => void
) {
	const result = await embedAll(
		embedder,
		examples.map((e) => e.output),
		{
			signal: options.signal,
			onProgress: (p) => onProgress?.(p.done, p.total, p.textsPerSecond)
		}
	);
	return {
		...result,
		examples: examples.map((e, i) => ({ ...e, embedding: result.vectors[i] }))
	};
}

function event(
	partial: Partial<TrainProgressEvent> & Pick<TrainProgressEvent, 'stage'>
): TrainProgressEvent {
	return {
		epoch: 0,
		loss: null,
		validationLoss: null,
		rowsPerSecond: 0,
		scored: 0,
		toScore: 0,
		elapsedMs: 0,
		...partial
	};
}

/** Scores every log of a project under a model, a batch per transaction. */
export async function scoreProjectLogs(
	projectId: string,
	model: LinearModel & { id: string },
	options: RunOptions = {}
): Promise<{ scored: number; logsPerSecond: number }> {
	const db = getDb();
	const started = performance.now();
	const ids = await projectIds(db.logs, projectId).primaryKeys();
	const scorer = new Scorer(model);
	const embedder = embedderFor(model.features, options.embedder);
	let scored = 0;
	for (let start = 0; start < ids.length; start += SCORE_BATCH) {
		if (options.signal?.aborted) throw new TrainingCancelled();
		const logs = (await db.logs.bulkGet(ids.slice(start, start + SCORE_BATCH))).filter(
			(log) => log !== undefined
		);
		let examples = logs.map(exampleOf);
		if (embedder) examples = (await withEmbeddings(examples, embedder, options)).examples;
		const rows: ScoreRow[] = logs.map((log, i) => ({
			modelId: model.id,
			logId: log.id,
			score: scorer.probability(examples[i])
		}));
		await writeScores(rows);
		scored += rows.length;
		const elapsedMs = performance.now() - started;
		options.onProgress?.(
			event({
				stage: 'scoring',
				scored,
				toScore: ids.length,
				elapsedMs,
				rowsPerSecond: scored / Math.max(1e-3, elapsedMs / 1000)
			})
		);
		// Let Cancel through between batches.
		await new Promise((r) => setTimeout(r, 0));
	}
	const seconds = (performance.now() - started) / 1000;
	return { scored, logsPerSecond: scored / Math.max(1e-3, seconds) };
}

/** Trains a new version on a project's labels, stores it as active, scores every log. */
export async function trainProject(
	projectId: string,
	options: RunOptions = {}
): Promise<TrainOutcome> {
	const started = performance.now();
	const progress = (partial: Partial<TrainProgressEvent> & Pick<TrainProgressEvent, 'stage'>) =>
		options.onProgress?.(event({ elapsedMs: performance.now() - started, ...partial }));
	progress({ stage: 'labels' });
	const { data, counts } = await projectLabels(projectId);
	if (data.points.length + data.pairs.length === 0)
		throw new Error(
			'There are no labels yet: give some logs a 👍 or 👎 (or a rating, a correction, a choice between two) first.'
		);
	const hasBoth = data.points.some((p) => p.label === 1) && data.points.some((p) => p.label === 0);
	if (data.pairs.length === 0 && !hasBoth)
		throw new Error(
			'All labels say the same thing: the model needs both 👍 and 👎 (or a correction or a choice) to learn a difference.'
		);
	let config: FeatureConfig = DEFAULT_FEATURES;
	let dataset: PrefDataset = data;
	let embedded: Awaited<ReturnType<typeof withEmbeddings>> | null = null;
	if (options.embedder) {
		const embedder = options.embedder;
		embedded = await withEmbeddings(data.items, embedder, options, (done, total, perSecond) =>
			progress({ stage: 'embedding', scored: done, toScore: total, rowsPerSecond: perSecond })
		);
		dataset = { ...data, items: embedded.examples };
		config = { ...DEFAULT_FEATURES, embedding: { model: embedder.key, dim: embedder.dim } };
	}
	const built = await buildModel(dataset, config, {
		seed: 0,
		signal: options.signal,
		onStage: (stage) =>
			progress({
				stage:
					stage === 'Computing features'
						? 'features'
						: stage === 'Learning curve'
							? 'curve'
							: 'training'
			}),
		onProgress: (p) =>
			progress({
				stage: 'training',
				epoch: p.epoch,
				loss: p.loss,
				validationLoss: p.validationLoss,
				rowsPerSecond: p.rowsPerSecond
			})
	});
	if (options.signal?.aborted) throw new TrainingCancelled();
	if (options.embedder && embedded) {
		// The default model on the very same split (same seed), so the report can say honestly
		// whether the embeddings helped.
		progress({ stage: 'baseline' });
		const builtin = await buildModel(data, DEFAULT_FEATURES, {
			seed: 0,
			signal: options.signal,
			curveFractions: []
		});
		if (options.signal?.aborted) throw new TrainingCancelled();
		built.report.embeddings = {
			model: options.embedder.key,
			label: options.embedder.label,
			backend: options.embedder.backend,
			dim: options.embedder.dim,
			computed: embedded.computed,
			cached: embedded.cached,
			textsPerSecond: embedded.textsPerSecond,
			builtinOnly: builtin.report.model,
			builtinTrainMs: builtin.trainMs
		};
	}
	progress({ stage: 'saving' });
	const record: PrefModelRecord = {
		id: crypto.randomUUID(),
		projectId,
		createdAt: Date.now(),
		version: await nextVersion(projectId),
		features: built.model.features,
		weights: built.model.weights,
		bias: built.model.bias,
		denseScale: built.model.denseScale,
		calibration: built.model.calibration,
		report: built.report,
		labels: counts,
		trainMs: built.trainMs,
		active: 1
	};
	// Score before saving: a cancelled run leaves neither a model nor stray scores behind.
	let scoring: { scored: number; logsPerSecond: number };
	try {
		scoring = await scoreProjectLogs(projectId, record, options);
	} catch (error) {
		await getDb()
			.scores.where('[modelId+logId]')
			.between([record.id, ''], [record.id, '\uffff'])
			.delete();
		throw error;
	}
	await saveModel(record);
	return {
		modelId: record.id,
		version: record.version,
		report: record.report,
		labels: counts,
		trainMs: record.trainMs,
		...scoring
	};
}

/** Re-scores a project under a stored model. */
export async function rescoreProject(projectId: string, modelId: string, options: RunOptions = {}) {
	const model = await getModel(modelId);
	if (!model) throw new Error(`No model ${modelId}`);
	return scoreProjectLogs(projectId, model, options);
}
