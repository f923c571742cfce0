import { describe, expect, it } from 'vitest';
import { OpenAIFailure } from './errors';
import { backoffDelay, sleep, withRetry } from './retry';

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const same = (error: unknown) => error as OpenAIFailure;

describe('backoffDelay', () => {
	it('doubles with jitter between half and all of the ceiling, capped', () => {
		const server = new OpenAIFailure('server', 'x');
		const policy = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(server, 1, policy, () => 0)).toBe(50);
		expect(backoffDelay(server, 1, policy, () => 1)).toBe(100);
		expect(backoffDelay(server, 3, policy, () => 1)).toBe(400);
		expect(backoffDelay(server, 10, policy, () => 1)).toBe(1000);
	});

	it('waits what the API asked when it said', () => {
		const limited = new OpenAIFailure('rate-limit', 'x', { retryAfterMs: 750 });
		expect(backoffDelay(limited, 1, undefined, () => 0)).toBe(750);
	});
});

describe('withRetry', () => {
	it('retries 429 and 5xx until success, reporting each wait', async () => {
		const failures = [
			new OpenAIFailure('rate-limit', 'a', { retryAfterMs: 2 }),
			new OpenAIFailure('server', 'b')
		];
		const waits: number[] = [];
		const result = await withRetry(
			async (attempt) => {
				if (attempt <= failures.length) throw failures[attempt - 1];
				return attempt;
			},
			same,
			{ policy: fast, onRetry: (_f, _a, delay) => waits.push(delay) }
		);
		expect(result).toBe(3);
		expect(waits[0]).toBe(2);
		expect(waits).toHaveLength(2);
	});

	it('does not retry what will not pass (401), and gives up after maxAttempts', async () => {
		let calls = 0;
		await expect(
			withRetry(
				() => {
					calls++;
					return Promise.reject(new OpenAIFailure('auth', 'bad key'));
				},
				same,
				{ policy: fast }
			)
		).rejects.toMatchObject({ kind: 'auth' });
		expect(calls).toBe(1);
		calls = 0;
		await expect(
			withRetry(
				() => {
					calls++;
					return Promise.reject(new OpenAIFailure('server', 'down'));
				},
				same,
				{ policy: fast }
			)
		).rejects.toMatchObject({ kind: 'server' });
		expect(calls).toBe(4);
	});

	it('a cancelled wait ends at once with an AbortError', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const run = withRetry(
			() => Promise.reject(new OpenAIFailure('rate-limit', 'x', { retryAfterMs: 10_000 })),
			same,
			{ signal: controller.signal, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 } }
		);
		setTimeout(() => controller.abort(), 20);
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		expect(Date.now() - started).toBeLessThan(2000);
		await expect(sleep(5, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
	});
});
