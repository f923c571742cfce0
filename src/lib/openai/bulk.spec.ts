import { describe, expect, it } from 'vitest';
import { runBulk, type BulkProgress } from './bulk';
import { OpenAIFailure } from './errors';

const same = (error: unknown) => error as OpenAIFailure;
const policy = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 };
const wait = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			const error = new OpenAIFailure('aborted', 'Cancelled.');
			reject(error);
		});
	});

describe('runBulk', () => {
	it('keeps at most `concurrency` calls in flight and finishes every item once', async () => {
		let active = 0;
		let peak = 0;
		const seen: number[] = [];
		const summary = await runBulk(
			Array.from({ length: 40 }, (_, i) => i),
			async (item, signal) => {
				active++;
				peak = Math.max(peak, active);
				await wait(5, signal);
				active--;
				seen.push(item);
				return item * 2;
			},
			same,
			{ concurrency: 4, policy }
		);
		expect(peak).toBe(4);
		expect(summary.peakConcurrency).toBe(4);
		expect(summary.meanConcurrency).toBeGreaterThan(2.5);
		expect(summary.results.map((r) => (r.status === 'ok' ? r.value : -1))).toEqual(
			Array.from({ length: 40 }, (_, i) => i * 2)
		);
		expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
	});

	it('retries 429s and 5xx without losing or duplicating an item, and counts retries', async () => {
		const attemptsOf = new Map<number, number>();
		const progress: BulkProgress[] = [];
		const summary = await runBulk(
			Array.from({ length: 30 }, (_, i) => i),
			async (item) => {
				const attempt = (attemptsOf.get(item) ?? 0) + 1;
				attemptsOf.set(item, attempt);
				await wait(1);
				if (item % 3 === 0 && attempt === 1)
					throw new OpenAIFailure('rate-limit', '429', { retryAfterMs: 5 });
				if (item % 5 === 0 && attempt === 2) throw new OpenAIFailure('server', '500');
				return `done ${item}`;
			},
			same,
			{ concurrency: 3, policy, onProgress: (p) => progress.push(p) }
		);
		expect(summary.results.every((r) => r.status === 'ok')).toBe(true);
		// 10 items (multiples of 3) failed once; 0, 15 of those also failed a second time.
		expect(summary.retries).toBe(12);
		expect(progress.at(-1)).toMatchObject({ total: 30, ok: 30, failed: 0, retries: 12 });
	});

	it('an item that keeps failing ends failed after maxAttempts; the others succeed', async () => {
		const summary = await runBulk(
			[1, 2, 3],
			async (item) => {
				await wait(1);
				if (item === 2) throw new OpenAIFailure('server', '500');
				return item;
			},
			same,
			{ concurrency: 2, policy }
		);
		expect(summary.results[1]).toMatchObject({ status: 'failed', attempts: 5 });
		expect(summary.results.filter((r) => r.status === 'ok')).toHaveLength(2);
	});

	it('a fatal failure (bad key) stops the run; the rest end cancelled', async () => {
		let calls = 0;
		const summary = await runBulk(
			Array.from({ length: 20 }, (_, i) => i),
			async () => {
				calls++;
				await wait(2);
				throw new OpenAIFailure('auth', 'bad key');
			},
			same,
			{ concurrency: 2, policy }
		);
		expect(summary.stoppedBy?.kind).toBe('auth');
		expect(calls).toBeLessThanOrEqual(2);
		expect(summary.results.filter((r) => r.status === 'cancelled').length).toBeGreaterThan(15);
	});

	it('Cancel aborts calls in flight and ends queued items as cancelled', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const run = runBulk(
			Array.from({ length: 50 }, (_, i) => i),
			async (_item, signal) => {
				await wait(50, signal);
				return 1;
			},
			same,
			{ concurrency: 5, policy, signal: controller.signal }
		);
		setTimeout(() => controller.abort(), 70);
		const summary = await run;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(summary.cancelled).toBe(true);
		const ok = summary.results.filter((r) => r.status === 'ok').length;
		expect(ok).toBeGreaterThanOrEqual(5);
		expect(ok).toBeLessThan(50);
		expect(summary.results.filter((r) => r.status === 'cancelled').length).toBe(50 - ok);
	});
});
