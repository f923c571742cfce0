/**
 * `npm run bench:rewrite`: 1,000 golden rewrites in bulk against the fake OpenAI server, with
 * 200 ms latency per request and 10% of chat requests answered 429 (retry-after 500 ms).
 * The same code the app runs (OpenAIApi, runBulk, rewriteRequest), in node.
 *
 * Prints wall time, achieved concurrency (time-weighted mean and peak, as the runner saw it and
 * as the server saw it), retries and 429s, lost and duplicated rewrites, and last the ratio
 * wall / ideal, where ideal = rewrites × latency ÷ concurrency limit. Target ≤ 1.3 with zero
 * lost or duplicated rewrites.
 *
 * It lives beside the fake server rather than in bench/: files under tests/ are in the project's
 * TypeScript program, and bench/ is at the linter's limit for files outside it.
 *
 * Options: --count N (1000), --concurrency N (8), --latency MS (200), --rate429 SHARE (0.1),
 * --retry-after MS (500), --seed N (1).
 * Exit status: 1 when a rewrite is lost or duplicated, 0 otherwise (whatever the ratio).
 */
import { Worker } from 'node:worker_threads';
import { runBulk } from '../../src/lib/openai/bulk';
import { OpenAIApi } from '../../src/lib/openai/client';
import { rewriteRequest } from '../../src/lib/openai/rewrite';
import type { FakeCommand, FakeStats } from './thread.worker';

function option(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const COUNT = option('count', 1000);
const CONCURRENCY = option('concurrency', 8);
const LATENCY = option('latency', 200);
const RATE_429 = option('rate429', 0.1);
const RETRY_AFTER = option('retry-after', 500);
const SEED = option('seed', 1);
const TARGET = 1.3;

// The server runs in a worker thread (see thread.worker.ts).
// The worker registers tsx's loader itself (execArgv loaders do not reach worker threads here).
const workerUrl = new URL('./thread.worker.ts', import.meta.url).href;
const worker = new Worker(
	`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); });`,
	{ eval: true, workerData: { retryAfterMs: RETRY_AFTER, seed: SEED } }
);
function next<T>(type: string): Promise<T> {
	return new Promise((resolve) => {
		const listener = (message: { type: string }) => {
			if (message.type !== type) return;
			worker.off('message', listener);
			resolve(message as T);
		};
		worker.on('message', listener);
	});
}
const send = (command: FakeCommand) => worker.postMessage(command);
const { url, apiKey } = await next<{ url: string; apiKey: string }>('ready');
const api = new OpenAIApi({ apiKey, baseUrl: url }, { timeoutMs: 30_000 });

const logs = Array.from({ length: COUNT }, (_, i) => ({
	id: `log-${i}`,
	input: [
		{ role: 'system' as const, content: 'You are the support assistant for Acme Notes.' },
		{ role: 'user' as const, content: `Ticket ${i}: my notes stopped syncing after the update.` }
	],
	output: { role: 'assistant' as const, content: `Please reinstall the app (ticket ${i}).` },
	comments: ['Too curt: apologise and explain how to force a sync first.']
}));

// Warm up (spec compilation, connections) outside the timed run.
await Promise.all(
	logs.slice(0, CONCURRENCY).map((log) => api.chat(rewriteRequest(log, 'gpt-4o-mini')))
);
send({ type: 'reset' });
send({ type: 'configure', latencyMs: LATENCY, rateLimitShare: RATE_429 });

console.log(
	`bench:rewrite: ${COUNT} rewrites, concurrency limit ${CONCURRENCY}, ${LATENCY} ms latency, ${Math.round(RATE_429 * 100)}% 429s (retry-after ${RETRY_AFTER} ms)`
);
const summary = await runBulk(
	logs,
	async (log, signal) => {
		const reply = await api.chat(rewriteRequest(log, 'gpt-4o-mini', { item: log.id }), signal);
		return { id: log.id, text: reply.choices[0].content };
	},
	(error) => api.failure(error),
	{ concurrency: CONCURRENCY }
);
const statsReply = next<FakeStats>('stats');
send({ type: 'stats' });
const stats = await statsReply;
send({ type: 'stop' });
const completedItems = new Map(stats.completed);

const ok = summary.results.filter((r) => r.status === 'ok');
const wrongItem = ok.filter(
	(r, index) =>
		r.status === 'ok' &&
		(r.value.id !== logs[index].id || !r.value.text.includes(`ticket ${index})`))
).length;
const lost = COUNT - ok.length + wrongItem;
const duplicated = [...completedItems.values()].filter((n) => n > 1).length;
const served = completedItems.size;
const limited = stats.limited;
const ideal = (COUNT * LATENCY) / CONCURRENCY;
const ratio = summary.wallMs / ideal;

if (stats.violations.length)
	console.log(`spec violations: ${stats.violations.slice(0, 3).join(' | ')}`);
console.log(
	`wall time           ${(summary.wallMs / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(2)} s)`
);
console.log(
	`achieved concurrency ${summary.meanConcurrency.toFixed(2)} mean, ${summary.peakConcurrency} peak (server saw ${stats.peakConcurrency} at most)`
);
console.log(`retries             ${summary.retries} (${limited} answered 429)`);
console.log(
	`rewrites            ${ok.length} done, ${served} distinct served, ${lost} lost, ${duplicated} duplicated`
);
console.log(
	`ratio wall/ideal    ${ratio.toFixed(3)} (target ≤ ${TARGET}) ${ratio <= TARGET ? 'OK' : 'OVER'}`
);
process.exit(lost > 0 || duplicated > 0 || stats.violations.length > 0 ? 1 : 0);
