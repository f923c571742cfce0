/** Scores under the active preference model, for pages other than the Model page. */
import { getDb } from '$lib/db/db';
import { activeModel } from '$lib/db/models';
import { liveState, type LiveQuery } from './live-query.svelte';

/** The active model of a project (id and version), live; null when there is none. */
export function activeModelStamp(
	projectId: () => string | null
): LiveQuery<{ id: string; version: number } | null> {
	return liveState(
		async () => {
			const id = projectId();
			const model = id ? await activeModel(id) : null;
			return model ? { id: model.id, version: model.version } : null;
		},
		null,
		projectId
	);
}

/** A log's P(👍) under its project's active model, live; null without a model or a score. */
export function logScore(
	logId: () => string,
	projectId: () => string
): LiveQuery<{ score: number; version: number } | null> {
	return liveState(
		async () => {
			const model = await activeModel(projectId());
			if (!model) return null;
			const row = await getDb().scores.get([model.id, logId()]);
			return row ? { score: row.score, version: model.version } : null;
		},
		null,
		() => [logId(), projectId()]
	);
}
