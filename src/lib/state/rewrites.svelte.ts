/**
 * Golden rewrites: for 👎 logs with a comment, ask a model to rewrite the output applying the
 * comment, then let the user review each rewrite as a diff and Accept (it becomes the log's
 * correction, an appended feedback event), Edit first, or Reject. Runs one log or many, with a
 * concurrency limit, retries with backoff on 429/5xx, progress and Cancel. Nothing is applied
 * without review unless the user chooses "Accept all".
 */
import type { ChatMessage, LogRecord } from '$lib/core/types';
import { appendMany, logState } from '$lib/db/feedback';
import { getLogs, queryLogIds } from '$lib/db/logs';
import { runBulk, type BulkProgress } from '$lib/openai/bulk';
import { OpenAIFailure } from '$lib/openai/errors';
import { cleanRewrite, rewriteRequest } from '$lib/openai/rewrite';
import { api } from './api.svelte';

export interface Candidate {
	log: LogRecord;
	comments: string[];
	/** The correction in effect, if the log has one. */
	correction: string | null;
}

export type RewriteStatus = 'queued' | 'running' | 'ready' | 'failed' | 'accepted' | 'rejected';

export interface RewriteEntry {
	status: RewriteStatus;
	/** The model's rewrite (what Accept applies, unless edited). */
	text?: string;
	error?: string;
	attempts?: number;
}

export interface RunSummary {
	total: number;
	ok: number;
	failed: number;
	cancelled: number;
	retries: number;
	seconds: number;
	stoppedBy?: string;
}

export function messageText(message: ChatMessage | null | undefined): string {
	if (!message) return '';
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content))
		return message.content.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
	return '';
}

class RewritesState {
	candidates = $state.raw<Candidate[]>([]);
	loading = $state(false);
	includeCorrected = $state(false);
	/** Narrows the list (and a bulk run) to logs whose comments or messages contain this text. */
	query = $state('');
	/** Narrows to logs of this model ('' for all). */
	modelFilter = $state('');
	model = $state('gpt-4o-mini');
	concurrency = $state(4);
	entries = $state<Record<string, RewriteEntry>>({});
	running = $state(false);
	progress = $state.raw<BulkProgress | null>(null);
	summary = $state.raw<RunSummary | null>(null);
	#controller: AbortController | null = null;
	#projectId: string | null = null;

	/** 👎 logs with at least one comment in the project (without a correction, unless asked). */
	async load(projectId: string): Promise<void> {
		this.loading = true;
		try {
			if (projectId !== this.#projectId) {
				this.entries = {};
				this.summary = null;
				this.progress = null;
			}
			this.#projectId = projectId;
			const ids = await queryLogIds({ projectId, thumb: -1 }, 'newest');
			const logs = (await getLogs(ids)).filter((log): log is LogRecord => log !== undefined);
			const states = await Promise.all(logs.map((log) => logState(log.id)));
			this.candidates = logs
				.map((log, index) => ({
					log,
					comments: states[index].comments.map((comment) => comment.text),
					correction: states[index].correction ? messageText(states[index].correction) : null
				}))
				.filter((c) => c.comments.length > 0)
				.filter((c) => this.includeCorrected || c.correction === null || this.entries[c.log.id]);
		} finally {
			this.loading = false;
		}
	}

	/** The candidates the filters let through. */
	get visible(): Candidate[] {
		const text = this.query.trim().toLowerCase();
		return this.candidates.filter(
			(c) =>
				(!this.modelFilter || c.log.model === this.modelFilter) &&
				(!text ||
					c.comments.some((comment) => comment.toLowerCase().includes(text)) ||
					[...c.log.input, c.log.output].some((m) => messageText(m).toLowerCase().includes(text)))
		);
	}

	/** Models of the candidates, for the filter. */
	get models(): string[] {
		return [...new Set(this.candidates.map((c) => c.log.model ?? '').filter(Boolean))].sort();
	}

	/** Rewrites the given logs (the visible ones without a pending rewrite when none given). */
	async run(logIds?: string[]): Promise<void> {
		if (this.running) return;
		const client = api.client();
		const chosen = logIds
			? this.candidates.filter((c) => logIds.includes(c.log.id))
			: this.visible.filter((c) => {
					const status = this.entries[c.log.id]?.status;
					return status === undefined || status === 'failed';
				});
		if (chosen.length === 0) return;
		const controller = new AbortController();
		this.#controller = controller;
		this.running = true;
		this.summary = null;
		for (const c of chosen) this.entries[c.log.id] = { status: 'queued' };
		const model = this.model;
		try {
			const result = await runBulk(
				chosen,
				async (candidate, signal) => {
					this.entries[candidate.log.id] = { status: 'running' };
					const request = rewriteRequest(
						{
							input: candidate.log.input,
							output: candidate.log.output,
							comments: candidate.comments
						},
						model
					);
					const reply = await client.chat(request, signal);
					const text = cleanRewrite(reply.choices[0]?.content ?? '');
					if (!text) throw new OpenAIFailure('bad-request', 'The model answered with nothing.');
					return text;
				},
				(error) => client.failure(error),
				{
					concurrency: this.concurrency,
					signal: controller.signal,
					onProgress: (progress) => (this.progress = progress),
					onResult: (index, outcome) => {
						const id = chosen[index].log.id;
						this.entries[id] =
							outcome.status === 'ok'
								? { status: 'ready', text: outcome.value, attempts: outcome.attempts }
								: outcome.status === 'failed'
									? { status: 'failed', error: outcome.failure.message, attempts: outcome.attempts }
									: { status: 'queued' };
					}
				}
			);
			// Items that never ran (cancelled, or the run stopped) go back to "not rewritten".
			result.results.forEach((outcome, index) => {
				if (outcome.status === 'cancelled') delete this.entries[chosen[index].log.id];
			});
			this.summary = {
				total: chosen.length,
				ok: result.results.filter((r) => r.status === 'ok').length,
				failed: result.results.filter((r) => r.status === 'failed').length,
				cancelled: result.results.filter((r) => r.status === 'cancelled').length,
				retries: result.retries,
				seconds: result.wallMs / 1000,
				stoppedBy: result.stoppedBy?.message
			};
		} finally {
			this.running = false;
			this.#controller = null;
		}
	}

	cancel(): void {
		this.#controller?.abort();
	}

	/** Applies rewrites as corrections (appended events, one transaction for all). */
	async accept(items: { logId: string; text: string }[]): Promise<number> {
		const byId = new Map(this.candidates.map((c) => [c.log.id, c]));
		const events = items
			.filter((item) => byId.has(item.logId) && item.text.trim())
			.map((item) => {
				const log = byId.get(item.logId)!.log;
				return {
					logId: log.id,
					projectId: log.projectId,
					at: Date.now(),
					actor: 'me' as const,
					body: {
						kind: 'correction' as const,
						output: { role: 'assistant' as const, content: item.text }
					}
				};
			});
		if (events.length === 0) return 0;
		await appendMany(events);
		for (const event of events) {
			const text = (event.body.output.content ?? '') as string;
			this.entries[event.logId] = { ...this.entries[event.logId], status: 'accepted', text };
		}
		this.candidates = this.candidates.map((c) => {
			const accepted = events.find((event) => event.logId === c.log.id);
			return accepted ? { ...c, correction: String(accepted.body.output.content) } : c;
		});
		return events.length;
	}

	/** Accepts every rewrite waiting for review. */
	async acceptAll(): Promise<number> {
		const ready = Object.entries(this.entries)
			.filter(([, entry]) => entry.status === 'ready' && entry.text)
			.map(([logId, entry]) => ({ logId, text: entry.text as string }));
		return this.accept(ready);
	}

	reject(logId: string): void {
		const entry = this.entries[logId];
		if (entry) this.entries[logId] = { ...entry, status: 'rejected' };
	}

	get readyCount(): number {
		return Object.values(this.entries).filter((entry) => entry.status === 'ready').length;
	}
}

export const rewrites = new RewritesState();
