/**
 * A local stand-in for the OpenAI API (node http on 127.0.0.1) for unit tests, e2e tests and the
 * rewrite benchmark: no test ever calls the real API.
 *
 * Every request is checked against the official spec (path, method, Authorization, parameters,
 * body; see spec.ts) and every answer it sends is checked too. A request the spec refuses gets a
 * 400 and lands in `violations`, which tests assert empty, so a wrong request fails the test.
 *
 * It answers chat completions (plain and streamed; `store: true` keeps them for the stored
 * completions list), models (with a fine-tuned one that has a `shutdown_date`), file uploads,
 * fine-tuning jobs that move validating_files → queued → running → succeeded on a clock with
 * events and metrics, cancel, and error modes on demand (`fail()`): 401, 403, 429 with
 * retry-after, insufficient quota, 500, a hang, a dropped connection, a CORS block, and the
 * refusal an account gets once it can no longer start fine-tuning jobs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SpecValidator, type Operation } from './spec';

export type FaultMode =
	| 'unauthorized'
	| 'forbidden'
	| 'rate-limit'
	| 'quota'
	| 'server-error'
	| 'hang'
	| 'drop'
	| 'no-cors'
	| 'finetune-closed';

/** The most 429s in a row one chat request gets from `rateLimitShare`. */
const MAX_RATE_LIMITS_IN_A_ROW = 2;

export interface FakeOpenAIOptions {
	/** The only key it accepts (Bearer). */
	apiKey?: string;
	port?: number;
	/** Delay before every answer, ms. */
	latencyMs?: number;
	/** Share (0–1) of chat completion requests answered 429 at random (the same request at most
	 * twice in a row). */
	rateLimitShare?: number;
	/** What a 429 asks the client to wait, ms (sent as `retry-after-ms` and `retry-after`). */
	retryAfterMs?: number;
	/** Length of one step of a fine-tuning job's life, ms. */
	jobStepMs?: number;
	/** Delay between streamed chunks, ms. */
	streamChunkMs?: number;
	/** Random source (tests pass a seeded one). */
	random?: () => number;
	/** A validator to share between servers (compiling is the slow part). */
	validator?: SpecValidator;
}

export interface RecordedRequest {
	method: string;
	/** Path and query as received. */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	status: number;
}

interface Fault {
	mode: FaultMode;
	remaining: number;
	path?: RegExp;
}

type Json = Record<string, unknown>;

interface StoredCompletion {
	completion: Json;
	messages: Json[];
}

interface FileRecord {
	object: Json;
	content: string;
}

interface JobState {
	job: Json;
	startedMs: number;
	cancelledAt?: number;
	events: Json[];
	/** Index of the last timeline milestone already turned into events. */
	progressed: number;
	failure?: { code: string; message: string; param: string | null };
	suffix?: string;
}

const TRAINING_STEPS = 10;
/** Steps spent validating and queued before training starts. */
const VALIDATING_STEPS = 2;
const QUEUED_STEPS = 2;
export const FINE_TUNED_SHUTDOWN = '2027-01-14';
export const DEFAULT_FINE_TUNED_MODEL = 'ft:gpt-4o-mini-2024-07-18:personal:support:Ab12Cd34';

const BASE_MODELS: [string, string | null][] = [
	['gpt-4o-mini', null],
	['gpt-4o-mini-2024-07-18', null],
	['gpt-4.1-mini', null],
	['gpt-4.1-nano', null],
	['gpt-3.5-turbo', '2026-12-31']
];

const now = () => Math.floor(Date.now() / 1000);

let sharedValidator: SpecValidator | undefined;

export class FakeOpenAI {
	readonly apiKey: string;
	readonly requests: RecordedRequest[] = [];
	/** Requests (or answers of this fake) the spec refuses; tests assert this stays empty. */
	readonly violations: string[] = [];
	/** Successful chat completion answers, by the `metadata.item` the request carried. */
	readonly completedItems = new Map<string, number>();
	latencyMs: number;
	rateLimitShare: number;
	retryAfterMs: number;
	jobStepMs: number;
	streamChunkMs: number;
	#options: FakeOpenAIOptions;
	#server: Server | null = null;
	#sockets = new Set<Socket>();
	#validator: SpecValidator;
	#faults: Fault[] = [];
	#random: () => number;
	/** Times each chat request body was answered 429 in a row (see #chat). */
	#rateLimited = new Map<string, number>();
	#models: Json[];
	#files = new Map<string, FileRecord>();
	#jobs = new Map<string, JobState>();
	#stored: StoredCompletion[] = [];
	#counter = 0;
	#hanging = new Set<ServerResponse>();
	#active = 0;
	/** Most requests in flight at once. */
	peakConcurrency = 0;

	constructor(options: FakeOpenAIOptions = {}) {
		this.#options = options;
		this.apiKey = options.apiKey ?? 'sk-test-fake-0123456789abcdef';
		this.latencyMs = options.latencyMs ?? 0;
		this.rateLimitShare = options.rateLimitShare ?? 0;
		this.retryAfterMs = options.retryAfterMs ?? 1000;
		this.jobStepMs = options.jobStepMs ?? 200;
		this.streamChunkMs = options.streamChunkMs ?? 15;
		this.#random = options.random ?? Math.random;
		this.#validator = options.validator ?? (sharedValidator ??= new SpecValidator());
		const created = 1_720_000_000;
		this.#models = [
			...BASE_MODELS.map(([id, shutdown]) => ({
				id,
				object: 'model',
				created,
				owned_by: 'system',
				...(shutdown ? { shutdown_date: shutdown } : {})
			})),
			{
				id: DEFAULT_FINE_TUNED_MODEL,
				object: 'model',
				created: created + 1000,
				owned_by: 'user-fake',
				shutdown_date: FINE_TUNED_SHUTDOWN
			}
		];
		this.#seedStored();
	}

	/** Base URL for the SDK (`…/v1`). */
	get url(): string {
		const address = this.#server?.address() as AddressInfo | null;
		if (!address) throw new Error('The fake OpenAI server is not running');
		return `http://127.0.0.1:${address.port}/v1`;
	}

	async start(): Promise<this> {
		const server = createServer((req, res) => void this.#handle(req, res));
		server.on('connection', (socket) => {
			this.#sockets.add(socket);
			socket.on('close', () => this.#sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.#options.port ?? 0, '127.0.0.1', () => resolve());
		});
		this.#server = server;
		return this;
	}

	async stop(): Promise<void> {
		for (const res of this.#hanging) res.destroy();
		for (const socket of this.#sockets) socket.destroy();
		const server = this.#server;
		this.#server = null;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/**
	 * The next `times` requests (whose path matches `path`, when given) fail this way;
	 * `times: Infinity` until `clearFaults()`.
	 */
	fail(mode: FaultMode, options: { times?: number; path?: RegExp } = {}): void {
		this.#faults.push({ mode, remaining: options.times ?? 1, path: options.path });
	}

	clearFaults(): void {
		this.#faults = [];
	}

	/** Stored completions (those made with `store: true`, and a few seeded ones). */
	get stored(): readonly Json[] {
		return this.#stored.map((entry) => entry.completion);
	}

	/** Text of uploaded files, by file id. */
	fileContent(id: string): string | undefined {
		return this.#files.get(id)?.content;
	}

	// -------------------------------------------------------------------------------------------
	// Plumbing

	#id(prefix: string): string {
		this.#counter++;
		return `${prefix}${this.#counter.toString(36).padStart(6, '0')}`;
	}

	#cors(req: IncomingMessage, res: ServerResponse): void {
		res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
		res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
		res.setHeader(
			'access-control-allow-headers',
			req.headers['access-control-request-headers'] ?? 'authorization, content-type'
		);
		res.setHeader('access-control-expose-headers', 'retry-after, retry-after-ms, x-request-id');
		res.setHeader('access-control-max-age', '600');
		res.setHeader('vary', 'origin');
	}

	#takeFault(path: string): Fault | null {
		const index = this.#faults.findIndex((fault) => !fault.path || fault.path.test(path));
		if (index < 0) return null;
		const fault = this.#faults[index];
		fault.remaining--;
		if (fault.remaining <= 0) this.#faults.splice(index, 1);
		return fault;
	}

	#sendJson(
		res: ServerResponse,
		status: number,
		body: unknown,
		record: RecordedRequest,
		schemaPointer?: string
	): void {
		const check = status === 200 ? schemaPointer : 'ErrorResponse';
		if (check) {
			const result = this.#validator.value(check, body);
			if (!result.ok)
				this.violations.push(
					`fake answer to ${record.method} ${record.url}: ${result.errors.join('; ')}`
				);
		}
		record.status = status;
		if (res.destroyed) return;
		res.statusCode = status;
		res.setHeader('content-type', 'application/json');
		res.setHeader('x-request-id', `req_${this.#counter}`);
		res.end(JSON.stringify(body));
	}

	#error(
		res: ServerResponse,
		record: RecordedRequest,
		status: number,
		type: string,
		message: string,
		code: string | null = null,
		param: string | null = null
	): void {
		this.#sendJson(res, status, { error: { message, type, param, code } }, record);
	}

	async #readBody(req: IncomingMessage): Promise<Buffer> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	}

	async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = req.method ?? 'GET';
		const fault0 = this.#faults.find((fault) => !fault.path || fault.path.test(url.pathname));
		// 'no-cors' plays a server that answers everyone (it sends Cross-Origin-Resource-Policy, so
		// a cross-origin-isolated page may fetch it opaquely) but does not let web pages read it.
		if (fault0?.mode === 'no-cors') res.setHeader('cross-origin-resource-policy', 'cross-origin');
		else this.#cors(req, res);
		if (method === 'OPTIONS') {
			res.statusCode = 204;
			res.end();
			return;
		}
		const raw = await this.#readBody(req);
		const record: RecordedRequest = {
			method,
			url: url.pathname + url.search,
			headers: { ...req.headers },
			body: raw.toString('utf8'),
			status: 0
		};
		this.requests.push(record);
		this.#active++;
		this.peakConcurrency = Math.max(this.peakConcurrency, this.#active);
		res.on('close', () => this.#active--);
		if (this.latencyMs > 0) await sleep(this.latencyMs);

		if (!url.pathname.startsWith('/v1/')) {
			this.violations.push(`${method} ${record.url}: not under /v1`);
			return this.#error(res, record, 404, 'invalid_request_error', 'Unknown URL');
		}
		const path = url.pathname.slice(3);
		const found = this.#validator.find(method, path);
		if (!found) {
			this.violations.push(`${method} ${path}: no such operation in the spec`);
			return this.#error(
				res,
				record,
				404,
				'invalid_request_error',
				`Unknown URL ${method} ${path}`
			);
		}

		const fault = this.#takeFault(url.pathname);
		if (fault && fault.mode !== 'finetune-closed' && fault.mode !== 'no-cors') {
			const handled = this.#applyFault(fault.mode, res, record);
			if (handled) return;
		}

		// Authorization: the spec's only scheme is a bearer token.
		const auth = req.headers.authorization ?? '';
		if (!auth.startsWith('Bearer ')) {
			// As the real API answers; not a violation: the app's credential-less no-cors probe
			// (which tells a CORS block from a network failure) lands here on purpose.
			return this.#error(
				res,
				record,
				401,
				'invalid_request_error',
				"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth."
			);
		}
		if (auth.slice(7) !== this.apiKey)
			return this.#error(
				res,
				record,
				401,
				'invalid_request_error',
				'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
				'invalid_api_key'
			);

		let body: unknown;
		try {
			body = this.#validateRequest(found.op, found.params, url, req, raw, record);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.violations.push(`${method} ${record.url}: ${message}`);
			return this.#error(
				res,
				record,
				400,
				'invalid_request_error',
				`Request does not match the spec: ${message}`
			);
		}
		if (body instanceof Promise) body = await body;

		try {
			await this.#route(found.op, found.params, url, body as Json, res, record, fault?.mode);
		} catch (error) {
			const message = error instanceof Error ? error.stack : String(error);
			this.violations.push(`fake crashed on ${method} ${record.url}: ${message}`);
			if (!res.headersSent) this.#error(res, record, 500, 'server_error', 'fake crashed');
		}
	}

	/** Answers a fault now; false when the fault is handled later (by the route). */
	#applyFault(mode: FaultMode, res: ServerResponse, record: RecordedRequest): boolean {
		switch (mode) {
			case 'unauthorized':
				this.#error(
					res,
					record,
					401,
					'invalid_request_error',
					'Incorrect API key provided.',
					'invalid_api_key'
				);
				return true;
			case 'forbidden':
				this.#error(
					res,
					record,
					403,
					'invalid_request_error',
					'You are not allowed to sample from this model',
					'model_not_found'
				);
				return true;
			case 'rate-limit':
				this.#rateLimit(res, record);
				return true;
			case 'quota':
				this.#error(
					res,
					record,
					429,
					'insufficient_quota',
					'You exceeded your current quota, please check your plan and billing details.',
					'insufficient_quota'
				);
				return true;
			case 'server-error':
				this.#error(
					res,
					record,
					500,
					'server_error',
					'The server had an error while processing your request.'
				);
				return true;
			case 'hang':
				record.status = -1;
				this.#hanging.add(res);
				res.on('close', () => this.#hanging.delete(res));
				return true;
			case 'drop':
				record.status = -2;
				res.socket?.destroy();
				return true;
			default:
				return false;
		}
	}

	#rateLimit(res: ServerResponse, record: RecordedRequest): void {
		res.setHeader('retry-after-ms', String(this.retryAfterMs));
		res.setHeader('retry-after', String(Math.max(1, Math.ceil(this.retryAfterMs / 1000))));
		this.#error(
			res,
			record,
			429,
			'requests',
			`Rate limit reached for requests. Please try again in ${this.retryAfterMs}ms.`,
			'rate_limit_exceeded'
		);
	}

	/** Checks parameters and body against the operation; returns the parsed body. */
	#validateRequest(
		op: Operation,
		params: Record<string, string>,
		url: URL,
		req: IncomingMessage,
		raw: Buffer,
		_record: RecordedRequest
	): unknown {
		const problems: string[] = [];
		const pathCheck = this.#validator.parameters(op, 'path', params);
		if (!pathCheck.ok) problems.push(`path: ${pathCheck.errors.join('; ')}`);
		const query = nestedQuery(url.searchParams);
		const queryCheck = this.#validator.parameters(op, 'query', query);
		if (!queryCheck.ok) problems.push(`query: ${queryCheck.errors.join('; ')}`);
		const headerCheck = this.#validator.parameters(op, 'header', { ...req.headers });
		if (!headerCheck.ok) problems.push(`headers: ${headerCheck.errors.join('; ')}`);

		const types = Object.keys(op.bodyPointers);
		const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
		if (types.length === 0) {
			if (raw.length > 0 && op.method === 'GET') problems.push('a GET with a body');
			if (problems.length) throw new Error(problems.join(' | '));
			return {};
		}
		if (!types.includes(contentType))
			problems.push(
				`content-type ${contentType || '(none)'}; the spec wants ${types.join(' or ')}`
			);
		if (problems.length) throw new Error(problems.join(' | '));
		const pointer = op.bodyPointers[contentType];
		if (contentType === 'application/json') {
			let body: unknown;
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				throw new Error('the body is not JSON');
			}
			const check = this.#validator.body(pointer, body);
			if (!check.ok) throw new Error(`body: ${check.errors.join('; ')}`);
			return body;
		}
		if (contentType === 'multipart/form-data') {
			return this.#multipart(pointer, req, raw);
		}
		throw new Error(`unsupported content-type ${contentType}`);
	}

	async #multipart(pointer: string, req: IncomingMessage, raw: Buffer): Promise<Json> {
		const request = new Request('http://127.0.0.1/', {
			method: 'POST',
			headers: { 'content-type': String(req.headers['content-type']) },
			body: new Uint8Array(raw)
		});
		const form = await request.formData();
		const fields: Json = {};
		const files: Record<string, { name: string; text: string }> = {};
		for (const [name, value] of form.entries()) {
			if (typeof value === 'string') setNested(fields, name, value);
			else {
				files[name] = { name: value.name, text: await value.text() };
				setNested(fields, name, '(binary)');
			}
		}
		const check = this.#validator.body(pointer, fields, true);
		if (!check.ok) throw new Error(`multipart: ${check.errors.join('; ')}`);
		return { ...fields, __files: files };
	}

	// -------------------------------------------------------------------------------------------
	// Routes

	async #route(
		op: Operation,
		params: Record<string, string>,
		url: URL,
		body: Json,
		res: ServerResponse,
		record: RecordedRequest,
		fault: FaultMode | undefined
	): Promise<void> {
		const ok = (value: unknown) =>
			this.#sendJson(res, 200, value, record, op.responsePointers['application/json']);
		switch (op.operationId) {
			case 'listModels':
				return ok({ object: 'list', data: this.#models });
			case 'retrieveModel': {
				const model = this.#models.find((m) => m.id === params.model);
				if (!model)
					return this.#error(
						res,
						record,
						404,
						'invalid_request_error',
						`The model '${params.model}' does not exist`,
						'model_not_found'
					);
				return ok(model);
			}
			case 'createChatCompletion':
				return this.#chat(body, res, record, op);
			case 'listChatCompletions':
				return ok(this.#listStored(url.searchParams));
			case 'getChatCompletionMessages': {
				const entry = this.#stored.find((s) => s.completion.id === params.completion_id);
				if (!entry)
					return this.#error(res, record, 404, 'invalid_request_error', 'No chat completion found');
				const answer = page(entry.messages, url.searchParams, 'asc');
				// The spec types these items as ChatCompletionResponseMessage, whose role can only be
				// 'assistant', yet the list returns the request's system and user messages too (as the
				// real API does). Everything but the role is still checked.
				const asChecked = {
					...answer,
					data: (answer.data as Json[]).map((m) => ({ ...m, role: 'assistant' }))
				};
				const check = this.#validator.value(op.responsePointers['application/json'], asChecked);
				if (!check.ok)
					this.violations.push(`fake answer to ${record.url}: ${check.errors.join('; ')}`);
				return this.#sendJson(res, 200, answer, record);
			}
			case 'createFile':
				return ok(this.#createFile(body));
			case 'createFineTuningJob':
				if (fault === 'finetune-closed')
					return this.#error(
						res,
						record,
						403,
						'invalid_request_error',
						'Fine-tuning is no longer available for new jobs in this organization. Existing fine-tuned models keep working until their shutdown date.',
						'fine_tuning_unavailable'
					);
				return this.#createJob(body, res, record, ok);
			case 'listPaginatedFineTuningJobs': {
				const jobs = [...this.#jobs.values()].map((state) => this.#advance(state).job).reverse();
				return ok(listPage(jobs, url.searchParams));
			}
			case 'retrieveFineTuningJob': {
				const state = this.#jobs.get(params.fine_tuning_job_id);
				if (!state) return this.#error(res, record, 404, 'invalid_request_error', 'No such job');
				return ok(this.#advance(state).job);
			}
			case 'listFineTuningEvents': {
				const state = this.#jobs.get(params.fine_tuning_job_id);
				if (!state) return this.#error(res, record, 404, 'invalid_request_error', 'No such job');
				this.#advance(state);
				return ok(listPage([...state.events].reverse(), url.searchParams));
			}
			case 'listFineTuningJobCheckpoints': {
				const state = this.#jobs.get(params.fine_tuning_job_id);
				if (!state) return this.#error(res, record, 404, 'invalid_request_error', 'No such job');
				this.#advance(state);
				return ok(listPage(this.#checkpoints(state), url.searchParams, true));
			}
			case 'cancelFineTuningJob': {
				const state = this.#jobs.get(params.fine_tuning_job_id);
				if (!state) return this.#error(res, record, 404, 'invalid_request_error', 'No such job');
				this.#advance(state);
				const status = state.job.status as string;
				if (['succeeded', 'failed', 'cancelled'].includes(status))
					return this.#error(res, record, 400, 'invalid_request_error', `Job is already ${status}`);
				state.cancelledAt = Date.now();
				state.job.status = 'cancelled';
				state.job.finished_at = now();
				state.job.estimated_finish = null;
				this.#event(state, 'info', 'Fine-tuning job cancelled');
				return ok(state.job);
			}
			default:
				this.violations.push(`the fake does not implement ${op.operationId}`);
				return this.#error(
					res,
					record,
					501,
					'server_error',
					`${op.operationId} is not implemented by the fake`
				);
		}
	}

	// Chat ------------------------------------------------------------------------------------

	async #chat(
		body: Json,
		res: ServerResponse,
		record: RecordedRequest,
		op: Operation
	): Promise<void> {
		if (this.rateLimitShare > 0 && this.#random() < this.rateLimitShare) {
			// A rate limit passes: the same request is refused at most twice in a row, so a client
			// that retries (the app tries five times) always gets through, whatever the dice say.
			const key = JSON.stringify(body);
			const refused = this.#rateLimited.get(key) ?? 0;
			if (refused < MAX_RATE_LIMITS_IN_A_ROW) {
				this.#rateLimited.set(key, refused + 1);
				return this.#rateLimit(res, record);
			}
		}
		this.#rateLimited.delete(JSON.stringify(body));
		const model = String(body.model);
		if (!this.#models.some((m) => m.id === model))
			return this.#error(
				res,
				record,
				404,
				'invalid_request_error',
				`The model '${model}' does not exist or you do not have access to it.`,
				'model_not_found',
				'model'
			);
		const messages = body.messages as Json[];
		const n = typeof body.n === 'number' ? body.n : 1;
		const maxTokens =
			typeof body.max_completion_tokens === 'number'
				? body.max_completion_tokens
				: typeof body.max_tokens === 'number'
					? body.max_tokens
					: Infinity;
		const stops =
			typeof body.stop === 'string' ? [body.stop] : ((body.stop as string[] | null) ?? []);
		const choices = Array.from({ length: n }, (_, index) =>
			limitText(replyFor(messages, model, index), maxTokens, stops)
		);
		const id = `chatcmpl-${this.#id('')}`;
		const created = now();
		const promptTokens = countWords(messages.map((m) => textOf(m.content)).join(' '));
		const completionTokens = choices.reduce((sum, c) => sum + countWords(c.text), 0);
		const usage = {
			prompt_tokens: promptTokens,
			completion_tokens: completionTokens,
			total_tokens: promptTokens + completionTokens
		};
		const item = (body.metadata as Json | undefined)?.item;
		const done = () => {
			if (typeof item === 'string')
				this.completedItems.set(item, (this.completedItems.get(item) ?? 0) + 1);
		};
		const completion: Json = {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: choices.map((choice, index) => ({
				index,
				message: { role: 'assistant', content: choice.text, refusal: null, annotations: [] },
				logprobs: null,
				finish_reason: choice.finish
			})),
			usage,
			service_tier: 'default',
			system_fingerprint: 'fp_fake',
			...(body.metadata ? { metadata: body.metadata } : {})
		};
		if (body.store === true) this.#store(completion, messages);

		if (body.stream !== true) {
			done();
			return this.#sendJson(res, 200, completion, record, op.responsePointers['application/json']);
		}

		// Streamed: one chunk per word per choice, then the finish chunks, usage, [DONE].
		record.status = 200;
		res.statusCode = 200;
		res.setHeader('content-type', 'text/event-stream');
		res.setHeader('cache-control', 'no-cache');
		res.flushHeaders();
		const send = (chunk: Json) => {
			const check = this.#validator.value('CreateChatCompletionStreamResponse', chunk);
			if (!check.ok) this.violations.push(`fake stream chunk: ${check.errors.join('; ')}`);
			if (!res.destroyed) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		};
		const base = {
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			system_fingerprint: 'fp_fake'
		};
		choices.forEach((_, index) =>
			send({
				...base,
				choices: [
					{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }
				]
			})
		);
		const pieces = choices.map((choice) => choice.text.split(/(?<=\s)/));
		const longest = Math.max(0, ...pieces.map((p) => p.length));
		let closed = false;
		res.on('close', () => (closed = true));
		for (let step = 0; step < longest && !closed; step++) {
			pieces.forEach((words, index) => {
				if (step < words.length)
					send({
						...base,
						choices: [
							{ index, delta: { content: words[step] }, logprobs: null, finish_reason: null }
						]
					});
			});
			if (this.streamChunkMs > 0) await sleep(this.streamChunkMs);
		}
		if (closed) return;
		choices.forEach((choice, index) =>
			send({
				...base,
				choices: [{ index, delta: {}, logprobs: null, finish_reason: choice.finish }]
			})
		);
		if ((body.stream_options as Json | undefined)?.include_usage === true)
			send({ ...base, choices: [], usage });
		res.end('data: [DONE]\n\n');
		done();
	}

	#store(completion: Json, messages: Json[]): void {
		this.#stored.push({
			completion,
			messages: messages.map((message) => ({
				id: this.#id('msg_'),
				role: message.role,
				content: textOf(message.content),
				refusal: null,
				content_parts: null
			}))
		});
	}

	#seedStored(): void {
		const seeds: [string, string, string, string][] = [
			[
				'gpt-4o-mini',
				'billing',
				'How do I get a refund for a double charge?',
				'I am sorry about the double charge. I have refunded the second payment; it reaches your card in 3–5 days.'
			],
			[
				'gpt-4o-mini',
				'shipping',
				'Where is my order #1234?',
				'Your order #1234 left our warehouse yesterday and should arrive on Friday.'
			],
			[
				'gpt-4.1-mini',
				'billing',
				'Can I pay by bank transfer?',
				'Yes: choose "Bank transfer" at checkout and use the reference shown there.'
			],
			[
				'gpt-4.1-mini',
				'account',
				'How do I change my email address?',
				'Open Settings → Account, edit the email field and confirm the link we send you.'
			]
		];
		seeds.forEach(([model, topic, question, answer], index) => {
			const created = 1_730_000_000 + index * 60;
			this.#store(
				{
					id: `chatcmpl-seed${index}`,
					object: 'chat.completion',
					created,
					model,
					choices: [
						{
							index: 0,
							message: { role: 'assistant', content: answer, refusal: null, annotations: [] },
							logprobs: null,
							finish_reason: 'stop'
						}
					],
					usage: { prompt_tokens: 20, completion_tokens: 20, total_tokens: 40 },
					metadata: { topic }
				},
				[
					{ role: 'system', content: 'You are a helpful support agent for Acme.' },
					{ role: 'user', content: question }
				]
			);
		});
	}

	#listStored(search: URLSearchParams): Json {
		const query = nestedQuery(search);
		const metadata = (query.metadata as Record<string, string> | undefined) ?? {};
		const model = query.model as string | undefined;
		const matching = this.#stored
			.map((entry) => entry.completion)
			.filter((c) => !model || c.model === model)
			.filter((c) =>
				Object.entries(metadata).every(([k, v]) => (c.metadata as Json | undefined)?.[k] === v)
			);
		return page(matching, search, 'asc');
	}

	// Files -------------------------------------------------------------------------------------

	#createFile(body: Json): Json {
		const files = body.__files as Record<string, { name: string; text: string }>;
		const file = files.file;
		const id = this.#id('file-');
		const object = {
			id,
			object: 'file',
			bytes: Buffer.byteLength(file.text),
			created_at: now(),
			filename: file.name,
			purpose: body.purpose,
			status: 'processed'
		};
		this.#files.set(id, { object, content: file.text });
		return object;
	}

	// Fine-tuning -------------------------------------------------------------------------------

	#createJob(
		body: Json,
		res: ServerResponse,
		record: RecordedRequest,
		ok: (value: unknown) => void
	): void {
		const training = this.#files.get(String(body.training_file));
		if (!training)
			return this.#error(
				res,
				record,
				400,
				'invalid_request_error',
				`invalid training_file: ${String(body.training_file)}`,
				'invalid_file',
				'training_file'
			);
		if (body.validation_file && !this.#files.get(String(body.validation_file)))
			return this.#error(
				res,
				record,
				400,
				'invalid_request_error',
				`invalid validation_file: ${String(body.validation_file)}`,
				'invalid_file',
				'validation_file'
			);
		const method = (body.method as Json | undefined) ?? { type: 'supervised' };
		const type = String(method.type);
		const methodHyper =
			((method[type] as Json | undefined)?.hyperparameters as Json | undefined) ??
			(body.hyperparameters as Json | undefined) ??
			{};
		const resolved = (value: unknown, auto: number) =>
			value === undefined || value === 'auto' ? auto : value;
		const hyperparameters = {
			batch_size: resolved(methodHyper.batch_size, 1),
			learning_rate_multiplier: resolved(methodHyper.learning_rate_multiplier, 1.8),
			n_epochs: resolved(methodHyper.n_epochs, 3)
		};
		const id = this.#id('ftjob-');
		const job: Json = {
			object: 'fine_tuning.job',
			id,
			model: body.model,
			created_at: now(),
			finished_at: null,
			fine_tuned_model: null,
			organization_id: 'org-fake',
			result_files: [],
			status: 'validating_files',
			validation_file: body.validation_file ?? null,
			training_file: body.training_file,
			hyperparameters,
			method: {
				type,
				[type]: {
					hyperparameters:
						type === 'dpo'
							? { ...hyperparameters, beta: resolved(methodHyper.beta, 0.1) }
							: hyperparameters
				}
			},
			trained_tokens: null,
			error: null,
			seed: typeof body.seed === 'number' ? body.seed : 42,
			estimated_finish: null,
			metadata: body.metadata ?? null,
			integrations: null
		};
		const state: JobState = { job, startedMs: Date.now(), events: [], progressed: -1 };
		const bad = firstBadLine(training.content, type);
		if (bad)
			state.failure = { code: 'invalid_training_file', message: bad, param: 'training_file' };
		if (typeof body.suffix === 'string') state.suffix = body.suffix;
		this.#jobs.set(id, state);
		this.#advance(state);
		ok(job);
	}

	#event(
		state: JobState,
		level: 'info' | 'warn' | 'error',
		message: string,
		data?: Json,
		at = now()
	): void {
		state.events.push({
			object: 'fine_tuning.job.event',
			id: this.#id('ftevent-'),
			created_at: at,
			level,
			message,
			type: data ? 'metrics' : 'message',
			data: data ?? {}
		});
	}

	/** Loss curves: deterministic, falling, with a little wiggle. */
	#metrics(step: number, hasValidation: boolean): Json {
		const train = 2.2 * Math.exp(-step / 4) + 0.25 + 0.05 * Math.sin(step * 1.7);
		const metrics: Json = {
			step,
			train_loss: round(train),
			train_mean_token_accuracy: round(Math.min(0.99, 0.55 + step * 0.035))
		};
		if (hasValidation) {
			metrics.valid_loss = round(train + 0.12 + 0.03 * Math.cos(step));
			metrics.valid_mean_token_accuracy = round(Math.min(0.98, 0.5 + step * 0.033));
		}
		return metrics;
	}

	/** Brings a job up to date with the clock: status, events, metrics, the finished model. */
	#advance(state: JobState): JobState {
		const job = state.job;
		if (state.cancelledAt !== undefined) return state;
		const elapsed = Date.now() - state.startedMs;
		const step = Math.floor(elapsed / this.jobStepMs);
		const hasValidation = job.validation_file !== null;
		const startRunning = VALIDATING_STEPS + QUEUED_STEPS;
		const end = startRunning + TRAINING_STEPS;
		for (let milestone = state.progressed + 1; milestone <= Math.min(step, end); milestone++) {
			state.progressed = milestone;
			const at = Math.floor((state.startedMs + milestone * this.jobStepMs) / 1000);
			if (milestone === 0) {
				this.#event(state, 'info', `Created fine-tuning job: ${String(job.id)}`, undefined, at);
				this.#event(
					state,
					'info',
					`Validating training file: ${String(job.training_file)}`,
					undefined,
					at
				);
			} else if (milestone === VALIDATING_STEPS) {
				if (state.failure) {
					job.status = 'failed';
					job.error = state.failure;
					job.finished_at = at;
					this.#event(
						state,
						'error',
						`Training file validation failed: ${state.failure.message}`,
						undefined,
						at
					);
					return state;
				}
				job.status = 'queued';
				this.#event(state, 'info', 'Files validated, moving job to queued state', undefined, at);
			} else if (milestone === startRunning) {
				job.status = 'running';
				this.#event(state, 'info', 'Fine-tuning job started', undefined, at);
			} else if (milestone > startRunning) {
				const trainingStep = milestone - startRunning;
				const metrics = this.#metrics(trainingStep, hasValidation);
				this.#event(
					state,
					'info',
					`Step ${trainingStep}/${TRAINING_STEPS}: training loss=${String(metrics.train_loss)}` +
						(hasValidation ? `, validation loss=${String(metrics.valid_loss)}` : ''),
					{ ...metrics, total_steps: TRAINING_STEPS },
					at
				);
				if (milestone === end) {
					const suffix = state.suffix;
					const model = `ft:${String(job.model)}:personal${suffix ? `:${suffix}` : ''}:${String(job.id).replace('ftjob-', '')}`;
					job.status = 'succeeded';
					job.fine_tuned_model = model;
					job.finished_at = at;
					job.trained_tokens = 12_345;
					job.estimated_finish = null;
					job.result_files = [this.#id('file-')];
					this.#models.push({
						id: model,
						object: 'model',
						created: at,
						owned_by: 'user-fake',
						shutdown_date: FINE_TUNED_SHUTDOWN
					});
					this.#event(state, 'info', `New fine-tuned model created: ${model}`, undefined, at);
					this.#event(state, 'info', 'The job has successfully completed', undefined, at);
				}
			}
		}
		if (job.status === 'running')
			job.estimated_finish = Math.ceil((state.startedMs + end * this.jobStepMs) / 1000);
		return state;
	}

	#checkpoints(state: JobState): Json[] {
		const job = state.job;
		if (job.status !== 'succeeded') return [];
		const hasValidation = job.validation_file !== null;
		return [
			TRAINING_STEPS,
			Math.round((TRAINING_STEPS * 2) / 3),
			Math.round(TRAINING_STEPS / 3)
		].map((step) => ({
			object: 'fine_tuning.job.checkpoint',
			id: `ftckpt_${String(job.id).slice(-6)}_${step}`,
			created_at: job.finished_at,
			fine_tuned_model_checkpoint: `${String(job.fine_tuned_model)}:ckpt-step-${step}`,
			step_number: step,
			metrics: {
				...this.#metrics(step, hasValidation),
				...(hasValidation ? { full_valid_loss: this.#metrics(step, true).valid_loss } : {})
			},
			fine_tuning_job_id: job.id
		}));
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(n: number): number {
	return Math.round(n * 10_000) / 10_000;
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) => (typeof (part as Json).text === 'string' ? String((part as Json).text) : ''))
			.join('');
	return '';
}

function countWords(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

/**
 * What the fake model says. A rewrite request (the original between <output> tags, the comment
 * between <comment> tags) gets the original with a courteous opening and the comment applied as
 * a closing sentence, so a diff has something to show. Anything else gets a short answer that
 * names the model and echoes the question; sample `index` varies the wording for n > 1.
 */
function replyFor(messages: Json[], model: string, index: number): string {
	const all = messages.map((m) => textOf(m.content)).join('\n');
	const original = /<output>\n?([\s\S]*?)\n?<\/output>/.exec(all)?.[1];
	if (original !== undefined) {
		const comment = /<comment>\n?([\s\S]*?)\n?<\/comment>/.exec(all)?.[1]?.trim() ?? '';
		return `Thanks for reaching out. ${original.trim()} (Revised: ${comment})`;
	}
	const last = [...messages].reverse().find((m) => m.role === 'user');
	const question = textOf(last?.content).trim().slice(0, 200);
	const openings = ['Here is my answer', 'Sure', 'Happy to help', 'Good question', 'Of course'];
	return `${openings[index % openings.length]} (${model}): you asked “${question}”. The short answer is yes, and here are the details you need.`;
}

function limitText(
	text: string,
	maxTokens: number,
	stops: string[]
): { text: string; finish: string } {
	let out = text;
	let finish = 'stop';
	for (const stop of stops) {
		const at = out.indexOf(stop);
		if (stop && at >= 0) out = out.slice(0, at);
	}
	const words = out.split(/(?<=\s)/);
	if (words.length > maxTokens) {
		out = words.slice(0, maxTokens).join('').trimEnd();
		finish = 'length';
	}
	return { text: out, finish };
}

/** `metadata[topic]=x` → `{ metadata: { topic: 'x' } }` (deepObject style). */
function nestedQuery(search: URLSearchParams): Json {
	const out: Json = {};
	for (const [key, value] of search) setNested(out, key, value);
	return out;
}

function setNested(target: Json, name: string, value: unknown): void {
	const parts = name.split(/\[|\]\[|\]/).filter((part) => part !== '');
	let node = target;
	parts.slice(0, -1).forEach((part) => {
		const next = node[part];
		if (typeof next !== 'object' || next === null) node[part] = {};
		node = node[part] as Json;
	});
	node[parts[parts.length - 1]] = value;
}

/** A cursor page (`after`, `limit`, `order`) over items with ids, as the list endpoints answer. */
function page(items: Json[], search: URLSearchParams, defaultOrder: 'asc' | 'desc'): Json {
	const order = search.get('order') ?? defaultOrder;
	const ordered = order === 'desc' ? [...items].reverse() : items;
	const after = search.get('after');
	const start = after ? ordered.findIndex((item) => item.id === after) + 1 : 0;
	const limit = Number(search.get('limit') ?? 20);
	const data = ordered.slice(start, start + limit);
	return {
		object: 'list',
		data,
		first_id: String(data[0]?.id ?? ''),
		last_id: String(data[data.length - 1]?.id ?? ''),
		has_more: start + limit < ordered.length
	};
}

/** Like `page` for lists whose order is fixed (newest first), without first/last ids unless asked. */
function listPage(items: Json[], search: URLSearchParams, withIds = false): Json {
	const after = search.get('after');
	const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
	const limit = Number(search.get('limit') ?? 20);
	const data = items.slice(start, start + limit);
	const out: Json = { object: 'list', data, has_more: start + limit < items.length };
	if (withIds && data.length) {
		out.first_id = data[0].id;
		out.last_id = data[data.length - 1].id;
	}
	return out;
}

/** A training file's first problem as OpenAI would report it, or null when it looks fine. */
function firstBadLine(text: string, method: string): string | null {
	const lines = text.split('\n');
	let count = 0;
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index].trim();
		if (!line) continue;
		count++;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			return `Line ${index + 1} is not valid JSON.`;
		}
		const record = value as Json;
		if (method === 'dpo') {
			if (!record.input || !record.preferred_output || !record.non_preferred_output)
				return `Line ${index + 1} is missing input, preferred_output or non_preferred_output.`;
		} else if (!Array.isArray(record.messages)) {
			return `Line ${index + 1} has no messages array.`;
		}
	}
	if (count < 10)
		return `Training file has ${count} example(s), but must have at least 10 examples.`;
	return null;
}
