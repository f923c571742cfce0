/**
 * Retries with exponential backoff and full jitter, honouring the API's retry-after. Only
 * failures that may pass on their own are retried (see OpenAIFailure.retryable).
 */
import { OpenAIFailure } from './errors';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): the API's retry-after
 * when it sent one, else a random delay up to base × 2^(attempt − 1), capped.
 */
export function backoffDelay(
	failure: OpenAIFailure,
	attempt: number,
	policy: RetryPolicy = DEFAULT_RETRY,
	random: () => number = Math.random
): number {
	if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxDelayMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(abortError());
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError());
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

export function abortError(): Error {
	const error = new Error('Cancelled');
	error.name = 'AbortError';
	return error;
}

export interface RetryOptions {
	policy?: RetryPolicy;
	signal?: AbortSignal;
	random?: () => number;
	/** Called before each wait: the failure, the attempt that failed, and the wait. */
	onRetry?: (failure: OpenAIFailure, attempt: number, delayMs: number) => void;
}

/** Runs `call` until it succeeds, fails in a way not worth retrying, or runs out of attempts. */
export async function withRetry<T>(
	call: (attempt: number) => Promise<T>,
	toFailure: (error: unknown) => OpenAIFailure | Promise<OpenAIFailure>,
	options: RetryOptions = {}
): Promise<T> {
	const policy = options.policy ?? DEFAULT_RETRY;
	for (let attempt = 1; ; attempt++) {
		try {
			return await call(attempt);
		} catch (error) {
			const failure = await toFailure(error);
			if (failure.kind === 'aborted' || !failure.retryable || attempt >= policy.maxAttempts)
				throw failure;
			const delay = backoffDelay(failure, attempt, policy, options.random);
			options.onRetry?.(failure, attempt, delay);
			await sleep(delay, options.signal);
		}
	}
}
