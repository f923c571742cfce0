/**
 * The dataset worker: builds versions from filtered logs, validates and exports them, and
 * validates or fixes dropped files, with the same core code as the CLI.
 */
import * as Comlink from 'comlink';
import { buildVersion, type Candidate } from '$lib/core/dataset/build';
import type { DatasetVersionRecord } from '$lib/core/dataset/types';
import {
	idsNeeded,
	versionLines,
	type ExportSettings,
	type Split
} from '$lib/core/export/version-lines';
import { EXPORT_FORMATS, validatedAs } from '$lib/core/export/writers';
import { readLines } from '$lib/core/import/lines';
import { applyFixes } from '$lib/core/validate/fixes';
import { reportToMarkdown } from '$lib/core/validate/markdown';
import { validateLines, validateStream } from '$lib/core/validate/stream';
import type { HashIndex } from '$lib/core/validate/hash-index';
import { addOverlap, type ValidationReport } from '$lib/core/validate/validator';
import { getVersion, loadCandidates, loadExportLogs } from '$lib/db/datasets';
import type { DatasetApi, JobProgress } from './dataset.api';

const controllers = new Map<string, AbortController>();
let cached: { filter: string; candidates: Candidate[] } | null = null;

async function job<T>(key: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	controllers.get(key)?.abort();
	const controller = new AbortController();
	controllers.set(key, controller);
	try {
		return await work(controller.signal);
	} finally {
		if (controllers.get(key) === controller) controllers.delete(key);
	}
}

async function versionOrThrow(id: string): Promise<DatasetVersionRecord> {
	const version = await getVersion(id);
	if (!version) throw new Error('This version no longer exists');
	return version;
}

async function splitLines(
	version: DatasetVersionRecord,
	split: Split,
	settings: ExportSettings,
	signal: AbortSignal,
	onProgress: (progress: JobProgress) => void
) {
	const ids = idsNeeded(version, split, settings.format);
	const logs = await loadExportLogs(ids, {
		signal,
		onProgress: (p) =>
			onProgress({ phase: `Reading ${split} logs`, done: p.loaded, total: p.total })
	});
	return versionLines(version, split, settings, logs);
}

/** Validates lines in steps, checking for cancel between them. */
async function* cancellable(lines: string[], signal: AbortSignal, onStep: (done: number) => void) {
	for (let i = 0; i < lines.length; i++) {
		if (i % 2000 === 0) {
			signal.throwIfAborted();
			onStep(i);
			await new Promise((resolve) => setTimeout(resolve, 0));
		}
		yield lines[i];
	}
}

const api: DatasetApi = {
	build(key, filter, rules, reload, onProgress) {
		return job(key, async (signal) => {
			const filterKey = JSON.stringify(filter);
			if (reload || !cached || cached.filter !== filterKey) {
				cached = null;
				const candidates = await loadCandidates(filter, {
					signal,
					onProgress: (p) => onProgress({ phase: 'Reading logs', done: p.loaded, total: p.total })
				});
				cached = { filter: filterKey, candidates };
			}
			return buildVersion(cached.candidates, rules);
		});
	},

	validateVersion(key, versionId, settings, model, onProgress) {
		return job(key, async (signal) => {
			const version = await versionOrThrow(versionId);
			const format = validatedAs(settings.format);
			if (!format)
				throw new Error('This format is not an OpenAI format: it has no OpenAI validation');
			const reports: Partial<Record<Split, ValidationReport>> = {};
			const items: Record<Split, (string | number)[]> = { train: [], validation: [] };
			const inputs: Partial<Record<Split, HashIndex>> = {};
			const pairs = EXPORT_FORMATS.find((f) => f.id === settings.format)?.pairs ?? false;
			for (const split of ['train', 'validation'] as const) {
				const size = pairs ? version.pairs[split].length : version[split].length;
				if (split === 'validation' && size === 0) continue;
				const built = await splitLines(version, split, settings, signal, onProgress);
				const { report, validator } = await validateLines(
					cancellable(built.lines, signal, (done) =>
						onProgress({ phase: `Validating ${split}`, done, total: built.lines.length })
					),
					{ format, model }
				);
				reports[split] = { ...report, file: `${split} (${settings.format})` };
				items[split] = built.items;
				inputs[split] = validator.inputKeys;
			}
			let validation = reports.validation ?? null;
			// Validation examples whose input is also in training measure memory, not learning.
			if (validation && inputs.train && inputs.validation)
				validation = addOverlap(validation, inputs.train, inputs.validation);
			return { train: reports.train as ValidationReport, validation, items };
		});
	},

	exportVersion(key, versionId, split, settings, model, onProgress) {
		return job(key, async (signal) => {
			const version = await versionOrThrow(versionId);
			const { lines } = await splitLines(version, split, settings, signal, onProgress);
			const format = validatedAs(settings.format);
			let report: ValidationReport | null = null;
			if (format)
				report = (
					await validateLines(
						cancellable(lines, signal, (done) =>
							onProgress({ phase: 'Validating the export', done, total: lines.length })
						),
						{ format, model }
					)
				).report;
			// Parts of at most a few thousand lines: the file is never one giant string.
			const parts: string[] = [];
			for (let i = 0; i < lines.length; i += 5000)
				parts.push(lines.slice(i, i + 5000).join('\n') + '\n');
			const extension = EXPORT_FORMATS.find((f) => f.id === settings.format)?.extension ?? 'jsonl';
			const name = `dataset-v${version.number}-${split}.${extension}`;
			if (report) report = { ...report, file: name };
			return {
				file: new Blob(parts, { type: 'application/x-ndjson' }),
				name,
				report,
				markdown: report ? reportToMarkdown(report, `Validation report: ${name}`) : null
			};
		});
	},

	validateFile(key, file, model, onProgress) {
		return job(key, (signal) =>
			validateStream(file.stream(), {
				fileName: file.name,
				model,
				signal,
				onProgress: (p) =>
					onProgress({ phase: 'Validating', done: p.bytesRead, total: file.size, unit: 'bytes' })
			})
		);
	},

	async fixFile(file, report, fixes) {
		const decoder = new TextDecoder();
		async function* numbered() {
			for await (const { line, bytes } of readLines(file.stream()))
				yield { line, text: decoder.decode(bytes) };
		}
		const parts: string[] = [];
		let batch: string[] = [];
		for await (const line of applyFixes(numbered(), report, fixes)) {
			batch.push(line);
			if (batch.length === 5000) {
				parts.push(batch.join('\n') + '\n');
				batch = [];
			}
		}
		if (batch.length > 0) parts.push(batch.join('\n') + '\n');
		return new Blob(parts, { type: 'application/x-ndjson' });
	},

	cancel(key) {
		controllers.get(key)?.abort();
	}
};

Comlink.expose(api);
