/**
 * The playground: a system and a user message sent to a chosen model, n samples streamed side by
 * side, Stop. Every generation (a stopped one too, marked so) is logged into the open project
 * with its parameters, ready for feedback.
 */
import type { ChatMessage } from '$lib/core/types';
import { addLogs } from '$lib/db/logs';
import type { ChatRequest } from '$lib/openai/client';
import { OpenAIFailure } from '$lib/openai/errors';
import { generationLog } from '$lib/openai/to-log';
import { activeModel } from '$lib/db/models';
import { api } from './api.svelte';
import { modelTraining } from './model.svelte';
import { projects } from './projects.svelte';

export interface Sample {
	index: number;
	text: string;
	finishReason: string | null;
	/** Id of the log it was saved as (undefined until saved). */
	logId?: string;
	duplicate?: boolean;
	/** Best-of-n: P(👍) under the project's active preference model, and the place it gives (1 =
	 * best). Set after a run of several samples when a model is trained. */
	score?: number;
	rank?: number;
}

const PARAMS_KEY = 'tuneloop.playground';

interface SavedParams {
	model: string;
	temperature: number;
	topP: number;
	maxTokens: number | null;
	n: number;
	stream: boolean;
	stop: string;
	system: string;
}

class PlaygroundState {
	system = $state('You are a helpful assistant.');
	user = $state('');
	model = $state('gpt-4o-mini');
	temperature = $state(1);
	topP = $state(1);
	/** null: the model's default. */
	maxTokens = $state<number | null>(null);
	n = $state(1);
	stream = $state(true);
	/** Stop sequences, one per line (up to 4). */
	stop = $state('');
	samples = $state<Sample[]>([]);
	running = $state(false);
	error = $state.raw<OpenAIFailure | null>(null);
	/** What the last run saved: "2 generations logged to Support replies". */
	savedNote = $state('');
	#controller: AbortController | null = null;

	constructor() {
		if (typeof localStorage === 'undefined') return;
		try {
			const saved = JSON.parse(
				localStorage.getItem(PARAMS_KEY) ?? 'null'
			) as Partial<SavedParams> | null;
			if (saved) {
				this.model = saved.model ?? this.model;
				this.temperature = saved.temperature ?? this.temperature;
				this.topP = saved.topP ?? this.topP;
				this.maxTokens = saved.maxTokens ?? null;
				this.n = saved.n ?? this.n;
				this.stream = saved.stream ?? this.stream;
				this.stop = saved.stop ?? '';
				this.system = saved.system ?? this.system;
			}
		} catch {
			// A damaged preference is not worth a message: defaults are fine.
		}
	}

	#remember(): void {
		const saved: SavedParams = {
			model: this.model,
			temperature: this.temperature,
			topP: this.topP,
			maxTokens: this.maxTokens,
			n: this.n,
			stream: this.stream,
			stop: this.stop,
			system: this.system
		};
		localStorage.setItem(PARAMS_KEY, JSON.stringify(saved));
	}

	get stopSequences(): string[] {
		return this.stop
			.split('\n')
			.map((s) => s.replace(/\\n/g, '\n'))
			.filter((s) => s.length > 0)
			.slice(0, 4);
	}

	#messages(): ChatMessage[] {
		const messages: ChatMessage[] = [];
		if (this.system.trim()) messages.push({ role: 'system', content: this.system });
		messages.push({ role: 'user', content: this.user });
		return messages;
	}

	async run(): Promise<void> {
		if (this.running || !this.user.trim()) return;
		const project = projects.current ?? (await projects.create('Playground'));
		this.#remember();
		this.error = null;
		this.savedNote = '';
		this.running = true;
		const n = Math.max(1, Math.min(8, Math.round(this.n)));
		this.samples = Array.from({ length: n }, (_, index) => ({
			index,
			text: '',
			finishReason: null
		}));
		const controller = new AbortController();
		this.#controller = controller;
		const input = this.#messages();
		const request: ChatRequest = {
			model: this.model,
			messages: input,
			n,
			temperature: this.temperature,
			top_p: this.topP,
			...(this.maxTokens ? { max_completion_tokens: this.maxTokens } : {}),
			stop: this.stopSequences
		};
		const started = Date.now();
		try {
			const client = api.client();
			const result = this.stream
				? await client.chatStream(
						request,
						(index, text) => {
							const sample = this.samples[index];
							if (sample) sample.text += text;
						},
						controller.signal
					)
				: await client.chat(request, controller.signal);
			this.samples = result.choices.map((choice) => ({
				index: choice.index,
				text: choice.content,
				finishReason: result.stopped ? 'stopped' : choice.finishReason
			}));
			await this.#log(project.id, input, request, result.model, started, result.stopped === true);
			await this.#rank(project.id);
		} catch (error) {
			if (error instanceof OpenAIFailure && error.kind === 'aborted') return;
			this.error =
				error instanceof OpenAIFailure
					? error
					: new OpenAIFailure('unknown', error instanceof Error ? error.message : String(error));
		} finally {
			this.running = false;
			this.#controller = null;
		}
	}

	async #log(
		projectId: string,
		input: ChatMessage[],
		request: ChatRequest,
		model: string,
		started: number,
		stopped: boolean
	): Promise<void> {
		const now = Date.now();
		const params: Record<string, unknown> = {
			temperature: request.temperature,
			top_p: request.top_p,
			n: request.n
		};
		if (request.max_completion_tokens) params.max_completion_tokens = request.max_completion_tokens;
		if (request.stop?.length) params.stop = request.stop;
		if (stopped) params.stopped_by_user = true;
		const logs = this.samples
			.filter((sample) => sample.text.length > 0)
			.map((sample) =>
				generationLog({
					projectId,
					input,
					output: sample.text,
					model,
					params: { ...params, finish_reason: sample.finishReason, sample: sample.index },
					createdAt: started,
					kind: 'playground',
					index: sample.index,
					now
				})
			)
			.flatMap((result) => (result.ok ? [result.log] : []));
		if (logs.length === 0) return;
		const { added, duplicates } = await addLogs(logs);
		const ids = new Map(logs.map((log) => [log.params?.sample as number, log.id]));
		this.samples = this.samples.map((sample) => ({ ...sample, logId: ids.get(sample.index) }));
		const name = projects.all.find((p) => p.id === projectId)?.name ?? 'the project';
		this.savedNote =
			`${added} generation${added === 1 ? '' : 's'} logged to ${name}` +
			(duplicates ? ` (${duplicates} identical to a log already there)` : '');
	}

	/** Model used for the last ranking ("model v2"), or '' when samples are not ranked. */
	rankedBy = $state('');

	/**
	 * Best-of-n: with several samples and a trained preference model, orders them by the model's
	 * P(👍) (the user's own taste, learned from their feedback). Without a model, nothing changes.
	 */
	async #rank(projectId: string): Promise<void> {
		this.rankedBy = '';
		const texts = this.samples.map((sample) => sample.text);
		if (texts.filter(Boolean).length < 2) return;
		const model = await activeModel(projectId);
		if (!model) return;
		const ranked = await modelTraining.rank(model.id, this.user, texts);
		const place = new Map(ranked.map((candidate, at) => [candidate.index, at]));
		this.samples = this.samples
			.map((sample, index) => ({
				...sample,
				score: ranked[place.get(index) ?? 0]?.score,
				rank: (place.get(index) ?? 0) + 1
			}))
			.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
		this.rankedBy = `model v${model.version}`;
	}

	stopRun(): void {
		this.#controller?.abort();
	}
}

export const playground = new PlaygroundState();
