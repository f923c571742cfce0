/**
 * The client module against the fake OpenAI server, which validates every request against the
 * official spec: a request the spec refuses shows up in `fake.violations` and fails the test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	DEFAULT_FINE_TUNED_MODEL,
	FakeOpenAI,
	FINE_TUNED_SHUTDOWN
} from '../../../tests/fake-openai/server';
import { OpenAIApi } from './client';
import type { OpenAIFailure } from './errors';

let fake: FakeOpenAI;
let api: OpenAIApi;

function sftLines(count: number): string {
	return Array.from({ length: count }, (_, i) =>
		JSON.stringify({
			messages: [
				{ role: 'user', content: `question ${i}` },
				{ role: 'assistant', content: `answer ${i}` }
			]
		})
	).join('\n');
}

beforeAll(async () => {
	fake = await new FakeOpenAI({ jobStepMs: 25, streamChunkMs: 1 }).start();
	api = new OpenAIApi(
		{ apiKey: fake.apiKey, baseUrl: fake.url, organization: 'org-x', project: 'proj-y' },
		{ timeoutMs: 1500 }
	);
}, 30_000);

afterAll(async () => {
	await fake.stop();
});

afterEach(() => {
	fake.clearFaults();
	expect(fake.violations).toEqual([]);
});

async function failureOf(promise: Promise<unknown>): Promise<OpenAIFailure> {
	try {
		await promise;
	} catch (error) {
		return error as OpenAIFailure;
	}
	throw new Error('expected a failure');
}

describe('OpenAIApi against the spec-validating fake', () => {
	it('lists models, fine-tuned first, with shutdown dates; sends org and project headers', async () => {
		const models = await api.listModels();
		expect(models[0]).toMatchObject({
			id: DEFAULT_FINE_TUNED_MODEL,
			fineTuned: true,
			shutdownDate: FINE_TUNED_SHUTDOWN
		});
		expect(models.map((m) => m.id)).toContain('gpt-4o-mini');
		const last = fake.requests.at(-1);
		expect(last?.headers['openai-organization']).toBe('org-x');
		expect(last?.headers['openai-project']).toBe('proj-y');
		expect(last?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
	});

	it('chat: n samples, stop sequences, max tokens', async () => {
		const result = await api.chat({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Can I return shoes?' }],
			n: 2,
			temperature: 0.7,
			top_p: 0.9,
			max_completion_tokens: 5
		});
		expect(result.choices).toHaveLength(2);
		expect(result.choices[0].finishReason).toBe('length');
		expect(result.choices[0].content.split(' ')).toHaveLength(5);
		const stopped = await api.chat({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Can I return shoes?' }],
			stop: ['(']
		});
		expect(stopped.choices[0].content).not.toContain('(');
	});

	it('streams deltas for each sample and returns the whole text', async () => {
		const pieces: string[][] = [[], []];
		const result = await api.chatStream(
			{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }], n: 2 },
			(index, text) => pieces[index].push(text)
		);
		expect(pieces[0].length).toBeGreaterThan(3);
		expect(pieces[0].join('')).toBe(result.choices[0].content);
		expect(pieces[1].join('')).toBe(result.choices[1].content);
		expect(result.choices[0].finishReason).toBe('stop');
		expect(result.usage?.total_tokens).toBeGreaterThan(0);
	});

	it('a stream cut short by Stop keeps the text so far', async () => {
		fake.streamChunkMs = 30;
		const controller = new AbortController();
		let received = '';
		const run = api.chatStream(
			{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me everything' }] },
			(_index, text) => {
				received += text;
				controller.abort();
			},
			controller.signal
		);
		const result = await run;
		expect(result.stopped).toBe(true);
		expect(received.length).toBeGreaterThan(0);
		expect(result.choices[0].content).toBe(received);
		fake.streamChunkMs = 1;
	});

	it('stored completions: list with model and metadata filters, then messages', async () => {
		await api.chat({
			model: 'gpt-4.1-nano',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Stored?' }
			],
			store: true,
			metadata: { topic: 'stored-test' }
		});
		const all = await api.listStored({});
		expect(all.data.length).toBeGreaterThanOrEqual(5);
		const billing = await api.listStored({ metadata: { topic: 'billing' } });
		expect(
			billing.data.map((c) => (c as { metadata?: Record<string, string> }).metadata?.topic)
		).toEqual(['billing', 'billing']);
		const nano = await api.listStored({ model: 'gpt-4.1-nano' });
		expect(nano.data).toHaveLength(1);
		const messages = await api.storedMessages(nano.data[0].id);
		expect(messages.map((m) => [m.role, m.content])).toEqual([
			['system', 'Be brief.'],
			['user', 'Stored?']
		]);
		const paged = await api.listStored({ limit: 2 });
		expect(paged.hasMore).toBe(true);
		const next = await api.listStored({ limit: 2, after: paged.data[1].id });
		expect(next.data[0].id).not.toBe(paged.data[0].id);
	});

	it('uploads a file and runs a job to success: events, metrics, checkpoints, new model', async () => {
		const file = await api.uploadFile(new File([sftLines(12)], 'train.jsonl'));
		expect(file.purpose).toBe('fine-tune');
		expect(fake.fileContent(file.id)).toBe(sftLines(12));
		const validation = await api.uploadFile(new File([sftLines(10)], 'valid.jsonl'));
		const job = await api.createJob({
			model: 'gpt-4o-mini-2024-07-18',
			training_file: file.id,
			validation_file: validation.id,
			suffix: 'support',
			seed: 7,
			method: {
				type: 'supervised',
				supervised: {
					hyperparameters: { n_epochs: 2, batch_size: 'auto', learning_rate_multiplier: 0.5 }
				}
			}
		});
		expect(job.status).toBe('validating_files');
		const statuses = new Set<string>();
		let current = job;
		for (let i = 0; i < 200 && current.status !== 'succeeded'; i++) {
			await new Promise((r) => setTimeout(r, 10));
			current = await api.getJob(job.id);
			statuses.add(current.status);
		}
		// Polling sees the states in lifecycle order (a slow machine may poll past a short one);
		// the events record every transition.
		const lifecycle = ['validating_files', 'queued', 'running', 'succeeded'];
		const seen = [...statuses];
		expect(seen.at(-1)).toBe('succeeded');
		expect(seen.map((status) => lifecycle.indexOf(status))).toEqual(
			seen.map((status) => lifecycle.indexOf(status)).sort((a, b) => a - b)
		);
		expect(current.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:personal:support:/);
		const events = await api.listEvents(job.id);
		const messages = events.map((event) => event.message).join('\n');
		expect(messages).toContain('moving job to queued state');
		expect(messages).toContain('Fine-tuning job started');
		expect(events.some((event) => event.message.includes('Created fine-tuning job'))).toBe(true);
		const metrics = events.filter((e) => e.type === 'metrics');
		expect(metrics).toHaveLength(10);
		expect(metrics[0].data).toMatchObject({ step: 1, total_steps: 10 });
		const checkpoints = await api.listCheckpoints(job.id);
		expect(checkpoints[0].metrics.valid_loss).toBeTypeOf('number');
		const models = await api.listModels();
		expect(models.find((m) => m.id === current.fine_tuned_model)?.shutdownDate).toBe(
			FINE_TUNED_SHUTDOWN
		);
		expect((await api.listJobs()).map((j) => j.id)).toContain(job.id);
	});

	it('DPO job with beta, cancelled while it runs; a bad training file fails the job', async () => {
		const dpo = JSON.stringify({
			input: { messages: [{ role: 'user', content: 'hi' }] },
			preferred_output: [{ role: 'assistant', content: 'Hello!' }],
			non_preferred_output: [{ role: 'assistant', content: 'what' }]
		});
		const file = await api.uploadFile(new File([Array(10).fill(dpo).join('\n')], 'dpo.jsonl'));
		const job = await api.createJob({
			model: 'gpt-4o-mini-2024-07-18',
			training_file: file.id,
			method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.2, n_epochs: 'auto' } } }
		});
		const cancelled = await api.cancelJob(job.id);
		expect(cancelled.status).toBe('cancelled');
		const bad = await api.uploadFile(new File(['{"messages": []}\nnot json\n'], 'bad.jsonl'));
		const failing = await api.createJob({ model: 'gpt-4o-mini-2024-07-18', training_file: bad.id });
		await new Promise((r) => setTimeout(r, 80));
		const failed = await api.getJob(failing.id);
		expect(failed.status).toBe('failed');
		expect(failed.error?.message).toContain('Line 2');
	});

	it('maps every error mode to a plain-language failure', async () => {
		const wrongKey = new OpenAIApi({ apiKey: 'sk-wrong', baseUrl: fake.url });
		expect((await failureOf(wrongKey.listModels())).kind).toBe('auth');

		fake.fail('forbidden');
		expect((await failureOf(api.listModels())).kind).toBe('forbidden');

		fake.retryAfterMs = 3000;
		fake.fail('rate-limit');
		const limited = await failureOf(api.listModels());
		expect(limited).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3000 });
		expect(limited.message).toContain('3 seconds');

		fake.fail('quota');
		expect((await failureOf(api.listModels())).kind).toBe('quota');

		fake.fail('server-error');
		expect((await failureOf(api.listModels())).kind).toBe('server');

		fake.fail('drop');
		expect((await failureOf(api.listModels())).kind).toBe('network');

		fake.fail('hang');
		expect((await failureOf(api.listModels())).kind).toBe('timeout');

		fake.fail('finetune-closed', { path: /fine_tuning\/jobs$/ });
		const file = await api.uploadFile(new File([sftLines(10)], 't.jsonl'));
		const closed = await failureOf(
			api.createJob({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id })
		);
		expect(closed.kind).toBe('forbidden');
		expect(closed.apiMessage).toContain('no longer available');

		const cors = new OpenAIApi(
			{ apiKey: fake.apiKey, baseUrl: 'http://127.0.0.1:9/v1' },
			{ probe: () => Promise.resolve(true) }
		);
		expect((await failureOf(cors.listModels())).kind).toBe('cors');
		const offline = new OpenAIApi(
			{ apiKey: fake.apiKey, baseUrl: 'http://127.0.0.1:9/v1' },
			{ online: () => false }
		);
		expect((await failureOf(offline.listModels())).kind).toBe('offline');
	});

	it('the fake refuses (and records) a request the spec does not allow', async () => {
		const response = await fetch(`${fake.url}/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'gpt-4o-mini', mesages: [] })
		});
		expect(response.status).toBe(400);
		expect(fake.violations).toHaveLength(1);
		expect(fake.violations[0]).toMatch(/mesages/);
		fake.violations.length = 0;
	});
});
