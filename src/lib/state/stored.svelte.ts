/**
 * Import stored completions: list the chat completions kept with `store: true` (filter by model
 * and metadata), then import them as logs of the open project. Each becomes a log through the
 * importer's own reading of a chat line, so one already imported from a file (same conversation)
 * is recognised and skipped, not doubled.
 */
import type { LogRecord } from '$lib/core/types';
import { addLogs } from '$lib/db/logs';
import { runBulk, type BulkProgress } from '$lib/openai/bulk';
import type { StoredCompletion } from '$lib/openai/client';
import { parseMetadataFilter, storedMessage } from '$lib/openai/stored';
import { OpenAIFailure } from '$lib/openai/errors';
import { generationLog } from '$lib/openai/to-log';
import { api } from './api.svelte';

export interface ImportOutcome {
	added: number;
	duplicates: number;
	failed: number;
	/** Reasons for completions that could not become logs or whose messages could not be read. */
	problems: string[];
}

class StoredState {
	model = $state('');
	metadataText = $state('');
	filterErrors = $state.raw<string[]>([]);
	items = $state.raw<StoredCompletion[]>([]);
	hasMore = $state(false);
	loading = $state(false);
	listed = $state(false);
	error = $state.raw<OpenAIFailure | null>(null);
	importing = $state(false);
	progress = $state.raw<BulkProgress | null>(null);
	outcome = $state.raw<ImportOutcome | null>(null);
	#controller: AbortController | null = null;

	#query() {
		const { metadata, errors } = parseMetadataFilter(this.metadataText);
		this.filterErrors = errors;
		return { model: this.model.trim() || undefined, metadata };
	}

	/** Lists the first page for the filters. */
	async list(): Promise<void> {
		this.items = [];
		this.hasMore = false;
		this.outcome = null;
		await this.more();
		this.listed = true;
	}

	/** Loads the next page. */
	async more(): Promise<void> {
		const query = this.#query();
		if (this.filterErrors.length) return;
		this.loading = true;
		this.error = null;
		try {
			const page = await api.client().listStored({
				...query,
				after: this.items.at(-1)?.id,
				limit: 50
			});
			this.items = [...this.items, ...page.data];
			this.hasMore = page.hasMore;
		} catch (error) {
			this.error =
				error instanceof OpenAIFailure ? error : new OpenAIFailure('unknown', String(error));
		} finally {
			this.loading = false;
		}
	}

	/** Loads every remaining page (to import all that match). */
	async loadAll(signal?: AbortSignal): Promise<void> {
		while (this.hasMore && !signal?.aborted && !this.error) await this.more();
	}

	/** Imports the listed completions (every page when `all`) into a project. */
	async importInto(projectId: string, all: boolean): Promise<ImportOutcome> {
		const controller = new AbortController();
		this.#controller = controller;
		this.importing = true;
		this.outcome = null;
		try {
			if (all) await this.loadAll(controller.signal);
			const client = api.client();
			const completions = this.items;
			const now = Date.now();
			const summary = await runBulk(
				completions,
				async (completion, signal) =>
					(await client.storedMessages(completion.id, signal)).map(storedMessage),
				(error) => client.failure(error),
				{ concurrency: 4, signal: controller.signal, onProgress: (p) => (this.progress = p) }
			);
			const logs: LogRecord[] = [];
			const problems: string[] = [];
			summary.results.forEach((result, index) => {
				const completion = completions[index];
				if (result.status === 'failed') {
					problems.push(`${completion.id}: ${result.failure.message}`);
					return;
				}
				if (result.status !== 'ok') return;
				const choice = completion.choices[0];
				const made = generationLog({
					projectId,
					input: result.value,
					output: choice?.message.content ?? '',
					model: completion.model,
					metadata:
						(completion as { metadata?: Record<string, string> | null }).metadata ?? undefined,
					params: {
						completion_id: completion.id,
						...(choice?.finish_reason ? { finish_reason: choice.finish_reason } : {})
					},
					createdAt: completion.created * 1000,
					kind: 'api',
					index,
					now
				});
				if (made.ok) logs.push(made.log);
				else problems.push(`${completion.id}: ${made.reason}`);
			});
			const { added, duplicates } = logs.length ? await addLogs(logs) : { added: 0, duplicates: 0 };
			const outcome = { added, duplicates, failed: problems.length, problems };
			this.outcome = outcome;
			return outcome;
		} finally {
			this.importing = false;
			this.#controller = null;
		}
	}

	cancel(): void {
		this.#controller?.abort();
	}
}

export const stored = new StoredState();
