/**
 * The import worker: parsing and IndexedDB writes happen here so the page stays responsive.
 * Imports run one at a time; each can be cancelled between batches.
 */
import * as Comlink from 'comlink';
import { quietWrites } from '$lib/db/db';
import type { ImportApi, ImportOutcome, ImportProgress, ImportRequest } from './import.api';
import { runImport } from './import-runner';

// Batches announce themselves to the page once each (see quietWrites).
const announce = quietWrites();
const controllers = new Map<string, AbortController>();
/** Cancels asked for before the import got its id (the first progress report carries it). */
const early = new Set<string>();

const api: ImportApi = {
	async run(
		request: ImportRequest,
		onProgress: (p: ImportProgress) => void
	): Promise<ImportOutcome> {
		const controller = new AbortController();
		let importId: string | null = null;
		const result = await runImport({
			file: request.file,
			projectId: request.projectId,
			mapping: request.mapping,
			sourceKind: request.sourceKind,
			signal: controller.signal,
			onCommitted: announce,
			onProgress: (progress) => {
				if (importId === null) {
					importId = progress.importId;
					controllers.set(importId, controller);
					if (early.delete(importId)) controller.abort();
				}
				onProgress(progress);
			}
		});
		if (importId) controllers.delete(importId);
		announce(); // the record's final status
		if (result.kind === 'needs-mapping') return { kind: 'needs-mapping', sniff: result.sniff };
		return { kind: 'finished', record: result.record };
	},

	cancel(importId: string) {
		const controller = controllers.get(importId);
		if (controller) controller.abort();
		else early.add(importId);
	}
};

Comlink.expose(api);
