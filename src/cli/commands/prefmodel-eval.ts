/**
 * `prefmodel-eval --pairs FILE`: k-fold cross-validation of the preference model on a file of
 * pairwise preferences, with the baselines beside it, using the very code the app's worker runs.
 * `--peer` runs the scikit-learn peer (scripts/sklearn-peer.py) on the same folds, side by side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossValidate, type CrossValidation } from '../../lib/core/prefmodel/evaluate';
import { describeStages } from '../../lib/core/prefmodel/learner';
import { readPairFile, type PairFileResult } from '../../lib/core/prefmodel/pair-files';
import type { PrefDataset } from '../../lib/core/prefmodel/types';
import {
	EXIT_OK,
	EXIT_UNREADABLE,
	UsageError,
	commandOptions,
	parseCommandArgs,
	type Command,
	type Output
} from '../command';

const USAGE = `Usage: npm run -s cli -- prefmodel-eval --pairs FILE [--folds 5] [--seed 0] [--json]
                                      [--thumbs] [--export-folds OUT] [--peer]

Trains and tests the preference model on FILE with k-fold cross-validation (folds by prompt:
answers to one prompt never straddle train and test) and prints the mean pairwise accuracy,
the baselines (majority, longer answer wins, shorter answer wins) and the training time.

FILE is JSONL: Anthropic HH-RLHF {chosen, rejected}, OpenAI DPO {input, preferred_output,
non_preferred_output}, TRL {prompt, chosen, rejected} (text or messages), or Open Assistant
message trees (ranked replies become pairs).

  --folds N          number of folds (default 5)
  --seed S           seed of the fold assignment (default 0)
  --json             print one JSON object: pairs, accuracy, baselines, trainMs, …
  --thumbs           also learn from 👍/👎 labels in FILE (Open Assistant emoji votes)
  --export-folds OUT write each pair with its fold as JSONL (the peer's input)
  --peer             also run scikit-learn's logistic regression on the same folds
                     (needs python3 with scikit-learn: apt-get install python3-sklearn)

Exit status: 0 done, 1 usage error, 2 FILE could not be read or holds no pairs.`;

interface Options {
	pairs: string;
	folds: number;
	seed: number;
	json: boolean;
	thumbs: boolean;
	exportFolds?: string;
	peer: boolean;
}

function integer(value: string | undefined, name: string, fallback: number, min: number): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min)
		throw new UsageError(`--${name}: expected an integer ≥ ${min}, got ${value}`);
	return n;
}

function readOptions(args: string[]): Options | 'help' {
	const parsed = parseCommandArgs({
		args,
		options: {
			pairs: { type: 'string' },
			folds: { type: 'string' },
			seed: { type: 'string' },
			json: { type: 'boolean', default: false },
			thumbs: { type: 'boolean', default: false },
			'export-folds': { type: 'string' },
			peer: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const { values } = parsed;
	if (values.help) return 'help';
	if (!values.pairs) throw new UsageError('--pairs FILE is required');
	return {
		pairs: values.pairs,
		folds: integer(values.folds, 'folds', 5, 2),
		seed: integer(values.seed, 'seed', 0, 0),
		json: values.json ?? false,
		thumbs: values.thumbs ?? false,
		exportFolds: values['export-folds'],
		peer: values.peer ?? false
	};
}

/** Pairs with their fold, as the peer reads them. */
function foldLines(data: PrefDataset, cv: CrossValidation): string {
	return data.pairs
		.map((pair) =>
			JSON.stringify({
				fold: cv.foldOf.get(pair.group),
				chosen: data.items[pair.chosen],
				rejected: data.items[pair.rejected]
			})
		)
		.join('\n');
}

export interface PeerResult {
	peer: string;
	pairs: number;
	accuracy: number;
	vectorizeMs: number;
	trainMs: number;
	folds: { fold: number; test: number; accuracy: number; trainMs: number }[];
}

/** Runs scripts/sklearn-peer.py on the exported folds. */
export function runPeer(foldsFile: string): PeerResult {
	const script = join(process.cwd(), 'scripts/sklearn-peer.py');
	// Debian's python3 carries python3-sklearn; a python3 earlier on PATH (pyenv) may not.
	const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
	const result = spawnSync(python, [script, foldsFile], {
		encoding: 'utf8',
		maxBuffer: 1 << 24
	});
	if (result.error) throw new Error(`could not run python3: ${result.error.message}`);
	if (result.status !== 0)
		throw new Error(`the scikit-learn peer failed:\n${result.stderr.trim()}`);
	return JSON.parse(result.stdout) as PeerResult;
}

const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

export const prefmodelEval: Command = {
	name: 'prefmodel-eval',
	summary: 'cross-validate the preference model on a file of pairs, with baselines',
	usage: USAGE,
	async run(args: string[], io: Output): Promise<number> {
		const options = commandOptions(this, io, () => readOptions(args));
		if (typeof options === 'number') return options;
		let file: PairFileResult;
		try {
			file = readPairFile(readFileSync(options.pairs, 'utf8'));
		} catch (error) {
			io.err(`prefmodel-eval: cannot read ${options.pairs}: ${(error as Error).message}`);
			return EXIT_UNREADABLE;
		}
		for (const { line, message } of file.errors.slice(0, 20))
			io.err(`${options.pairs}:${line}: ${message}`);
		if (file.errors.length > 20) io.err(`… and ${file.errors.length - 20} more bad lines`);
		const data: PrefDataset = options.thumbs ? file.data : { ...file.data, points: [] };
		if (data.pairs.length === 0) {
			io.err(`prefmodel-eval: ${options.pairs} holds no preference pairs`);
			return EXIT_UNREADABLE;
		}
		const cv = await crossValidate(data, {
			folds: options.folds,
			seed: options.seed,
			yieldEvery: 0
		});
		let peer: PeerResult | undefined;
		if (options.exportFolds || options.peer) {
			const dir = options.exportFolds ? undefined : mkdtempSync(join(tmpdir(), 'prefmodel-'));
			const path = options.exportFolds ?? join(dir as string, 'folds.jsonl');
			writeFileSync(path, foldLines(data, cv));
			try {
				if (options.peer) peer = runPeer(path);
			} catch (error) {
				io.err(`prefmodel-eval: ${(error as Error).message}`);
				return EXIT_UNREADABLE;
			} finally {
				if (dir) rmSync(dir, { recursive: true, force: true });
			}
		}
		const baselines = Object.fromEntries(
			Object.entries(cv.baselines).map(([name, set]) => [name, set.pairwiseAccuracy])
		);
		const result = {
			file: options.pairs,
			formats: file.formats,
			badLines: file.errors.length,
			pairs: data.pairs.length,
			thumbs: data.points.length,
			folds: options.folds,
			seed: options.seed,
			accuracy: cv.model.pairwiseAccuracy,
			...(options.thumbs ? { auc: cv.model.auc } : {}),
			baselines,
			trainMs: Math.round(cv.trainMs),
			featureMs: Math.round(cv.featureMs),
			perFold: cv.folds.map((f) => ({
				fold: f.fold,
				test: f.test,
				accuracy: f.model.pairwiseAccuracy,
				trainMs: Math.round(f.trainMs),
				model: describeStages(f.stages)
			})),
			...(peer ? { peer } : {})
		};
		if (options.json) {
			io.out(JSON.stringify(result));
			return EXIT_OK;
		}
		const lines = [
			`${options.pairs}: ${data.pairs.length} pairs${options.thumbs ? `, ${data.points.length} thumbs` : ''}` +
				(file.errors.length ? ` (${file.errors.length} bad lines skipped)` : ''),
			`${options.folds}-fold cross-validation by prompt, seed ${options.seed}`,
			'',
			`  Preference model      ${pct(cv.model.pairwiseAccuracy)}` +
				(options.thumbs ? `   AUC ${cv.model.auc?.toFixed(3) ?? '—'}` : ''),
			`  Majority class        ${pct(cv.baselines.majority.pairwiseAccuracy)}`,
			`  Longer answer wins    ${pct(cv.baselines.longer.pairwiseAccuracy)}`,
			`  Shorter answer wins   ${pct(cv.baselines.shorter.pairwiseAccuracy)}`,
			'',
			`  Training time ${Math.round(cv.trainMs)} ms over ${cv.folds.length} folds (features ${Math.round(cv.featureMs)} ms, once)`,
			`  Model per fold (chosen inside its training labels): ${cv.folds.map((f) => describeStages(f.stages)).join('; ')}`
		];
		if (peer) {
			lines.push(
				'',
				`  scikit-learn peer     ${pct(peer.accuracy)}   fit ${Math.round(peer.trainMs)} ms (vectorize ${Math.round(peer.vectorizeMs)} ms)`,
				`  accuracy ours − peer  ${(((cv.model.pairwiseAccuracy ?? 0) - peer.accuracy) * 100).toFixed(1)} points; training time ours / peer ${(cv.trainMs / peer.trainMs).toFixed(2)}×`
			);
		}
		io.out(lines.join('\n'));
		return EXIT_OK;
	}
};
