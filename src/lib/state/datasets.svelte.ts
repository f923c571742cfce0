/**
 * The datasets page's state: the project's datasets and the open one's versions (live), the
 * builder form (a log filter plus rules) with live counts from the dataset worker, saving
 * immutable versions, and per version: validation, one-click fixes (a new version) and exports
 * (the file, with its validation report as Markdown and JSON beside it).
 */
import type { BuildResult } from '$lib/core/dataset/build';
import {
	defaultRules,
	type DatasetRecord,
	type DatasetRules,
	type DatasetVersionRecord
} from '$lib/core/dataset/types';
import { isPairFormat, type ExportSettings, type Split } from '$lib/core/export/version-lines';
import type { LogFilter } from '$lib/core/types';
import { fixLines, type FixId } from '$lib/core/validate/fixes';
import {
	createDataset,
	deleteDataset,
	listDatasets,
	listVersions,
	saveFixedVersion,
	saveVersion,
	updateDataset
} from '$lib/db/datasets';
import type { ExportedFile, VersionValidation } from '$lib/workers/dataset.api';
import { datasetWorker, WorkerJob } from './datasets-worker.svelte';
import { finetune } from './finetune.svelte';
import { handleError } from './handle-error';
import { LiveQuery } from './live-query.svelte';
import { emptyFilter, toLogFilter, type FilterForm } from './log-filter';
import { toasts } from './toasts.svelte';

/** The form that gives back a stored filter (the inverse of toLogFilter). */
export function fromLogFilter(filter: LogFilter): FilterForm {
	// A local calendar day, as the form's date inputs hold it (sv-SE writes YYYY-MM-DD).
	const day = (ms: number | undefined) =>
		ms === undefined ? '' : new Intl.DateTimeFormat('sv-SE').format(ms);
	return {
		...emptyFilter(),
		text: filter.text ?? '',
		importId: filter.importId ?? '',
		label:
			filter.thumb === 1
				? 'up'
				: filter.thumb === -1
					? 'down'
					: filter.thumb === 0
						? 'none'
						: 'any',
		feedback: filter.hasFeedback === undefined ? 'any' : filter.hasFeedback ? 'with' : 'without',
		corrected: filter.corrected ?? false,
		model: filter.model ?? '',
		from: day(filter.from),
		to: day(filter.to)
	};
}

export function downloadBlob(name: string, blob: Blob): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface OpenValidation {
	versionId: string;
	settings: ExportSettings;
	model: string | undefined;
	result: VersionValidation;
}

class DatasetsState {
	#list = new LiveQuery<DatasetRecord[]>([]);
	#versions = new LiveQuery<DatasetVersionRecord[]>([]);
	#projectId: string | null = null;
	selectedId = $state<string | null>(null);
	name = $state('');
	form = $state<FilterForm>(emptyFilter());
	rules = $state<DatasetRules>(defaultRules());
	build = $state.raw<BuildResult | null>(null);
	readonly buildJob = new WorkerJob();
	readonly validateJob = new WorkerJob();
	readonly exportJob = new WorkerJob();
	validation = $state.raw<OpenValidation | null>(null);
	saving = $state(false);

	get all(): DatasetRecord[] {
		return this.#list.current;
	}

	get versions(): DatasetVersionRecord[] {
		return this.selectedId ? this.#versions.current : [];
	}

	get selected(): DatasetRecord | null {
		return this.all.find((d) => d.id === this.selectedId) ?? null;
	}

	/** Follows the open project: its datasets, and a fresh form. */
	watch(projectId: string): void {
		if (this.#projectId === projectId) return;
		this.#projectId = projectId;
		this.#list.watch(() => listDatasets(projectId));
		this.open(null);
	}

	/** Opens a dataset (its filter and rules in the form), or a new draft with null. */
	open(id: string | null): void {
		this.selectedId = id;
		this.validation = null;
		const dataset = id ? this.all.find((d) => d.id === id) : undefined;
		this.name = dataset?.name ?? '';
		this.form = dataset ? fromLogFilter(dataset.filter) : emptyFilter();
		this.rules = dataset ? { ...defaultRules(), ...dataset.rules } : defaultRules();
		if (id) this.#versions.watch(() => listVersions(id));
		else this.#versions.stop();
		this.build = null;
	}

	get filter(): LogFilter | null {
		return this.#projectId ? toLogFilter(this.#projectId, this.form) : null;
	}

	/** Live counts: builds (without saving) in the worker; `reload` re-reads the logs. */
	async refreshCounts(reload = false): Promise<void> {
		const filter = this.filter;
		if (!filter) return;
		const rules = $state.snapshot(this.rules);
		try {
			this.build = await this.buildJob.run((key, onProgress) =>
				datasetWorker().build(key, filter, rules, reload, onProgress)
			);
		} catch (error) {
			handleError(error, 'Could not count the examples');
		}
	}

	/** Saves the dataset (new or changed) and a new version built from the logs as they are now. */
	async saveVersion(): Promise<DatasetVersionRecord | null> {
		const filter = this.filter;
		if (!filter || !this.#projectId) return null;
		this.saving = true;
		try {
			const rules = $state.snapshot(this.rules);
			let dataset = this.selected;
			const name = this.name.trim() || `Dataset ${this.all.length + 1}`;
			if (!dataset) {
				dataset = await createDataset(this.#projectId, name, filter, rules);
				this.selectedId = dataset.id;
				const id = dataset.id;
				this.#versions.watch(() => listVersions(id));
			} else {
				await updateDataset(dataset.id, { name, filter, rules });
				dataset = { ...dataset, name, filter, rules };
			}
			this.name = name;
			const result = await this.buildJob.run((key, onProgress) =>
				datasetWorker().build(key, filter, rules, true, onProgress)
			);
			this.build = result;
			const version = await saveVersion(dataset, result);
			toasts.show(
				`Saved version ${version.number}: ${result.train.length + result.validation.length} examples`,
				'success'
			);
			return version;
		} catch (error) {
			handleError(error, 'Could not save the version');
			return null;
		} finally {
			this.saving = false;
		}
	}

	async remove(id: string): Promise<void> {
		try {
			await deleteDataset(id);
			if (this.selectedId === id) this.open(null);
		} catch (error) {
			handleError(error, 'Could not delete the dataset');
		}
	}

	async validate(
		version: DatasetVersionRecord,
		settings: ExportSettings,
		model: string | undefined
	) {
		try {
			const result = await this.validateJob.run((key, onProgress) =>
				datasetWorker().validateVersion(key, version.id, settings, model, onProgress)
			);
			this.validation = { versionId: version.id, settings, model, result };
		} catch (error) {
			handleError(error, 'Validation failed');
		}
	}

	/** A one-click fix: a new version without the items the fix names (the old one stays). */
	async fix(version: DatasetVersionRecord, split: Split, fix: FixId): Promise<void> {
		const open = this.validation;
		if (!open || open.versionId !== version.id) return;
		const report = split === 'train' ? open.result.train : open.result.validation;
		if (!report) return;
		const items = open.result.items[split];
		const picked = fixLines(report, fix).map((line) => items[line - 1]);
		try {
			const pairs = isPairFormat(open.settings.format);
			const next = await saveFixedVersion(version, fix, {
				split,
				logIds: pairs ? undefined : new Set(picked as string[]),
				pairs: pairs ? new Set(picked as number[]) : undefined
			});
			toasts.show(
				`Version ${next.number}: ${fix} removed ${picked.length} item${picked.length === 1 ? '' : 's'}`,
				'success'
			);
			await this.validate(next, open.settings, open.model);
		} catch (error) {
			handleError(error, 'Could not make the fixed version');
		}
	}

	/** Downloads one split as a file, with its validation report as Markdown and JSON. */
	async export(
		version: DatasetVersionRecord,
		split: Split,
		settings: ExportSettings,
		model: string | undefined
	) {
		try {
			const exported = await this.exportJob.run((key, onProgress) =>
				datasetWorker().exportVersion(key, version.id, split, settings, model, onProgress)
			);
			downloadBlob(exported.name, exported.file);
			const base = exported.name.replace(/\.jsonl$/, '');
			if (exported.markdown)
				downloadBlob(`${base}.report.md`, new Blob([exported.markdown], { type: 'text/markdown' }));
			if (exported.report)
				downloadBlob(
					`${base}.report.json`,
					new Blob([JSON.stringify(exported.report, null, 2)], { type: 'application/json' })
				);
		} catch (error) {
			handleError(error, 'Export failed');
		}
	}

	/**
	 * Exports a version (train, and validation when it has any) in an OpenAI format, checks the
	 * reports, and hands the files to the fine-tuning form. Returns false (with a message) when a
	 * file has errors: OpenAI would reject it after the upload.
	 */
	async fineTune(
		version: DatasetVersionRecord,
		settings: ExportSettings,
		model: string | undefined
	): Promise<boolean> {
		if (settings.format !== 'openai-sft' && settings.format !== 'openai-dpo') {
			toasts.show('Fine-tuning takes OpenAI chat (SFT) or OpenAI preference (DPO) files.', 'error');
			return false;
		}
		try {
			const run = (split: Split) =>
				this.exportJob.run((key, onProgress) =>
					datasetWorker().exportVersion(key, version.id, split, settings, model, onProgress)
				);
			const training = await run('train');
			const validation = version.validation.length > 0 ? await run('validation') : null;
			for (const exported of [training, validation]) {
				const errors = exported?.report?.errors ?? [];
				if (errors.length > 0) {
					const [first] = errors;
					const where = first.line === null ? '' : `line ${first.line}: `;
					toasts.show(
						`${exported?.name} has ${errors.length} error${errors.length === 1 ? '' : 's'} ` +
							`(${where}${first.message}). Validate the version and fix them first.`,
						'error'
					);
					return false;
				}
			}
			const asFile = (exported: ExportedFile) =>
				new File([exported.file], exported.name, { type: 'application/jsonl' });
			finetune.prefill({
				training: asFile(training),
				validation: validation ? asFile(validation) : undefined,
				method: settings.format === 'openai-dpo' ? 'dpo' : 'supervised',
				datasetVersionId: version.id
			});
			return true;
		} catch (error) {
			handleError(error, 'Could not prepare the fine-tuning files');
			return false;
		}
	}
}

export const datasets = new DatasetsState();
