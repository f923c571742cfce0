/** The Imports page's data: a project's import records, live, and their rejected lines on demand. */
import type { ImportRecord, RejectedLine } from '$lib/core/types';
import { deleteImport, listImports, rejectsFor, rejectsPage } from '$lib/db/imports';
import { downloadChunks } from './downloads';
import { liveState, type LiveQuery } from './live-query.svelte';

export function importHistory(projectId: () => string | null): LiveQuery<ImportRecord[]> {
	return liveState(
		async () => {
			const id = projectId();
			return id ? listImports(id) : [];
		},
		[],
		projectId
	);
}

/** The first rejected lines of an import, for showing on the page. */
export function firstRejects(importId: string, limit = 200): Promise<RejectedLine[]> {
	return rejectsPage(importId, 0, limit);
}

/** Downloads every rejected line of an import as JSONL: {line, reason, raw}. */
export async function downloadRejects(record: ImportRecord): Promise<void> {
	const base = record.name.replace(/\.[^.]+$/, '');
	await downloadChunks(`${base}.rejected.jsonl`, rejectsFor(record.id));
}

export function removeImportRecord(importId: string): Promise<void> {
	return deleteImport(importId);
}
