/**
 * What the log browser's filter menus need to know about a project — its imports, its models
 * and its size — live, plus a version that changes whenever logs are added or removed.
 */
import type { ImportRecord } from '$lib/core/types';
import { listImports } from '$lib/db/imports';
import { countLogs, distinctModels } from '$lib/db/logs';
import { throttledState, type LiveQuery } from './live-query.svelte';

export interface ProjectFacts {
	total: number;
	models: string[];
	imports: ImportRecord[];
	/** Changes whenever the project's logs change. */
	version: string;
}

const empty: ProjectFacts = { total: 0, models: [], imports: [], version: '' };

export function projectFacts(projectId: () => string | null): LiveQuery<ProjectFacts> {
	return throttledState(
		async () => {
			const id = projectId();
			if (!id) return empty;
			const [total, models, imports] = await Promise.all([
				countLogs(id),
				distinctModels(id),
				listImports(id)
			]);
			const version = `${id}:${total}:${imports.map((i) => `${i.id}:${i.counts.logs}`).join(',')}`;
			return { total, models, imports, version };
		},
		empty,
		['logs', 'imports'],
		projectId
	);
}
