/**
 * The app's one door to the OpenAI API (the only module that imports `openai`). An `OpenAIApi` is
 * built from the user's settings; every call maps failures to OpenAIFailure (errors.ts) and takes
 * an AbortSignal. The SDK's own retries are off: retrying is ours (retry.ts, bulk.ts), so it can
 * be counted, shown and cancelled.
 *
 * The key goes only to the configured base URL, in the Authorization header the SDK sets; this
 * module never logs it, and the no-cors probe that tells CORS from a network failure sends no
 * credentials at all.
 */
import OpenAI from 'openai';
import type { ChatMessage } from '../core/types';
import { OpenAIFailure, toFailure } from './errors';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ApiConfig {
	apiKey: string;
	baseUrl?: string;
	organization?: string;
	project?: string;
}

export interface ApiEnvironment {
	/** navigator.onLine in the browser. */
	online?: () => boolean;
	/** After a connection failure: was it the browser blocking the server's answers (CORS)? */
	probe?: (url: string) => Promise<boolean>;
	/** Per-request timeout, ms. */
	timeoutMs?: number;
	fetch?: typeof fetch;
}

export interface ModelInfo {
	id: string;
	created: number;
	ownedBy: string;
	/** ISO date the model shuts down, or null when none is announced. */
	shutdownDate: string | null;
	fineTuned: boolean;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	top_p?: number;
	max_completion_tokens?: number;
	n?: number;
	stop?: string[];
	store?: boolean;
	metadata?: Record<string, string>;
}

export interface ChatChoice {
	index: number;
	content: string;
	finishReason: string | null;
}

export interface ChatResult {
	id: string;
	model: string;
	created: number;
	choices: ChatChoice[];
	usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	/** True when a stream was stopped (aborted) before the model finished: the text is partial. */
	stopped?: boolean;
}

export type FineTuningJob = OpenAI.FineTuning.FineTuningJob;
export type FineTuningJobEvent = OpenAI.FineTuning.FineTuningJobEvent;
export type FineTuningCheckpoint = OpenAI.FineTuning.Jobs.FineTuningJobCheckpoint;
export type JobCreateParams = OpenAI.FineTuning.JobCreateParams;
export type FileObject = OpenAI.FileObject;
export type StoredCompletion = OpenAI.Chat.ChatCompletion;
export type StoredMessage = OpenAI.Chat.ChatCompletionStoreMessage;

export interface StoredListQuery {
	model?: string;
	metadata?: Record<string, string>;
	after?: string;
	limit?: number;
}

export interface Page<T> {
	data: T[];
	hasMore: boolean;
}

/**
 * Tells a CORS block from a network failure, sending no credentials: when a plain CORS request
 * to the base URL also fails but an opaque (`no-cors`) one gets through, the server is up and
 * the browser is refusing its answers to web pages. When the CORS request gets through, the
 * server allows the app and the failure was the network's (a dropped connection).
 */
async function browserCorsProbe(url: string): Promise<boolean> {
	if (typeof window === 'undefined') return false;
	const init: RequestInit = { credentials: 'omit', cache: 'no-store' };
	try {
		await fetch(url, { ...init, mode: 'cors' });
		return false;
	} catch {
		// Fall through: blocked, or not reachable at all.
	}
	try {
		await fetch(url, { ...init, mode: 'no-cors' });
		return true;
	} catch {
		return false;
	}
}

/** True for models made by fine-tuning (`ft:…`). */
export function isFineTunedModel(id: string): boolean {
	return id.startsWith('ft:');
}

export class OpenAIApi {
	readonly baseUrl: string;
	#client: OpenAI;
	#env: ApiEnvironment;

	constructor(config: ApiConfig, env: ApiEnvironment = {}) {
		this.baseUrl = (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
		this.#env = env;
		this.#client = new OpenAI({
			apiKey: config.apiKey,
			organization: config.organization || null,
			project: config.project || null,
			baseURL: this.baseUrl,
			// The key is the user's own, typed into their own browser, sent only to this base URL.
			dangerouslyAllowBrowser: true,
			maxRetries: 0,
			timeout: env.timeoutMs ?? 60_000,
			...(env.fetch ? { fetch: env.fetch } : {})
		});
	}

	/** Maps a thrown error to an OpenAIFailure, probing for CORS when a connection failed. */
	async failure(error: unknown): Promise<OpenAIFailure> {
		const online = this.#env.online?.() ?? true;
		let failure = toFailure(error, { online, baseUrl: this.baseUrl });
		if (failure.kind === 'network') {
			const probe = this.#env.probe ?? browserCorsProbe;
			const blocked = await probe(`${this.baseUrl}/models`).catch(() => false);
			if (blocked)
				failure = toFailure(error, { online, baseUrl: this.baseUrl, reachableWithoutCors: true });
		}
		return failure;
	}

	async #call<T>(run: (client: OpenAI) => Promise<T>): Promise<T> {
		try {
			return await run(this.#client);
		} catch (error) {
			throw await this.failure(error);
		}
	}

	async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
		return this.#call(async (client) => {
			const page = await client.models.list({ signal });
			return page.data
				.map((model) => {
					const shutdown = (model as { shutdown_date?: string | null }).shutdown_date;
					return {
						id: model.id,
						created: model.created,
						ownedBy: model.owned_by,
						shutdownDate: typeof shutdown === 'string' ? shutdown : null,
						fineTuned: isFineTunedModel(model.id)
					};
				})
				.sort((a, b) => Number(b.fineTuned) - Number(a.fineTuned) || a.id.localeCompare(b.id));
		});
	}

	#params(request: ChatRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
		const params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
			model: request.model,
			messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[]
		};
		if (request.temperature !== undefined) params.temperature = request.temperature;
		if (request.top_p !== undefined) params.top_p = request.top_p;
		if (request.max_completion_tokens !== undefined)
			params.max_completion_tokens = request.max_completion_tokens;
		if (request.n !== undefined && request.n !== 1) params.n = request.n;
		if (request.stop && request.stop.length > 0) params.stop = request.stop;
		if (request.store) params.store = true;
		if (request.metadata) params.metadata = request.metadata;
		return params;
	}

	async chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
		return this.#call(async (client) => {
			const completion = await client.chat.completions.create(this.#params(request), { signal });
			return {
				id: completion.id,
				model: completion.model,
				created: completion.created,
				choices: completion.choices.map((choice) => ({
					index: choice.index,
					content: choice.message.content ?? '',
					finishReason: choice.finish_reason
				})),
				usage: completion.usage
			};
		});
	}

	/**
	 * Streams a completion: `onDelta(index, text)` for each piece of each choice as it arrives.
	 * Aborting through `signal` ends the stream and returns the text so far with `stopped: true`.
	 */
	async chatStream(
		request: ChatRequest,
		onDelta: (index: number, text: string) => void,
		signal?: AbortSignal
	): Promise<ChatResult> {
		return this.#call(async (client) => {
			const stream = await client.chat.completions.create(
				{ ...this.#params(request), stream: true, stream_options: { include_usage: true } },
				{ signal }
			);
			const texts: string[] = Array.from({ length: request.n ?? 1 }, () => '');
			const finish: (string | null)[] = [];
			let id = '';
			let model = request.model;
			let created = Math.floor(Date.now() / 1000);
			let usage: ChatResult['usage'];
			try {
				for await (const chunk of stream) {
					id = chunk.id;
					model = chunk.model;
					created = chunk.created;
					if (chunk.usage) usage = chunk.usage;
					for (const choice of chunk.choices) {
						const piece = choice.delta.content ?? '';
						texts[choice.index] = (texts[choice.index] ?? '') + piece;
						if (choice.finish_reason) finish[choice.index] = choice.finish_reason;
						if (piece) onDelta(choice.index, piece);
					}
				}
			} catch (error) {
				// Stop: keep what arrived. (The SDK may also just end the iteration on abort.)
				if (!signal?.aborted) throw error;
			}
			return {
				stopped: signal?.aborted ?? false,
				id,
				model,
				created,
				choices: texts.map((content, index) => ({
					index,
					content: content ?? '',
					finishReason: finish[index] ?? null
				})),
				usage
			};
		});
	}

	async uploadFile(file: File, signal?: AbortSignal): Promise<FileObject> {
		return this.#call((client) => client.files.create({ file, purpose: 'fine-tune' }, { signal }));
	}

	async createJob(params: JobCreateParams, signal?: AbortSignal): Promise<FineTuningJob> {
		return this.#call((client) => client.fineTuning.jobs.create(params, { signal }));
	}

	async getJob(id: string, signal?: AbortSignal): Promise<FineTuningJob> {
		return this.#call((client) => client.fineTuning.jobs.retrieve(id, { signal }));
	}

	async listJobs(limit = 20, signal?: AbortSignal): Promise<FineTuningJob[]> {
		return this.#call(
			async (client) => (await client.fineTuning.jobs.list({ limit }, { signal })).data
		);
	}

	/** A job's events, oldest first (the API pages them newest first). */
	async listEvents(id: string, signal?: AbortSignal): Promise<FineTuningJobEvent[]> {
		return this.#call(async (client) => {
			const events: FineTuningJobEvent[] = [];
			let page = await client.fineTuning.jobs.listEvents(id, { limit: 100 }, { signal });
			events.push(...page.data);
			while (page.hasNextPage() && events.length < 5000) {
				page = await page.getNextPage();
				events.push(...page.data);
			}
			return events.reverse();
		});
	}

	async listCheckpoints(id: string, signal?: AbortSignal): Promise<FineTuningCheckpoint[]> {
		return this.#call(
			async (client) =>
				(await client.fineTuning.jobs.checkpoints.list(id, { limit: 100 }, { signal })).data
		);
	}

	async cancelJob(id: string, signal?: AbortSignal): Promise<FineTuningJob> {
		return this.#call((client) => client.fineTuning.jobs.cancel(id, { signal }));
	}

	/** One page of stored chat completions (made with `store: true`). */
	async listStored(query: StoredListQuery, signal?: AbortSignal): Promise<Page<StoredCompletion>> {
		return this.#call(async (client) => {
			const params: OpenAI.Chat.ChatCompletionListParams = { limit: query.limit ?? 50 };
			if (query.model) params.model = query.model;
			if (query.metadata && Object.keys(query.metadata).length > 0)
				params.metadata = query.metadata;
			if (query.after) params.after = query.after;
			const page = await client.chat.completions.list(params, { signal });
			return { data: page.data, hasMore: page.has_more };
		});
	}

	/** The input messages of a stored completion, oldest first. */
	async storedMessages(id: string, signal?: AbortSignal): Promise<StoredMessage[]> {
		return this.#call(async (client) => {
			const messages: StoredMessage[] = [];
			let page = await client.chat.completions.messages.list(id, { limit: 100 }, { signal });
			messages.push(...page.data);
			while (page.hasNextPage() && messages.length < 2000) {
				page = await page.getNextPage();
				messages.push(...page.data);
			}
			return messages;
		});
	}
}
