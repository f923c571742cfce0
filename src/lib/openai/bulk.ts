/**
 * Runs many API calls with a concurrency limit, retrying failures that may pass (429, 5xx,
 * timeouts, dropped connections) with backoff. A call waiting to be retried gives its slot to the
 * next item instead of sleeping in it, so a burst of 429s does not leave the limit half used;
 * each item still waits at least what the API asked (retry-after) before its next attempt.
 *
 * Every item ends exactly once: ok, failed (with its last failure) or cancelled. A failure that
 * would hit every other call too (bad key, no quota, offline, CORS) stops the run: items not yet
 * done end as cancelled, with `stoppedBy` saying why.
 */
import type { OpenAIFailure } from './errors';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry';

export type BulkResult<R> =
	| { status: 'ok'; value: R; attempts: number }
	| { status: 'failed'; failure: OpenAIFailure; attempts: number }
	| { status: 'cancelled'; attempts: number };

export interface BulkProgress {
	total: number;
	ok: number;
	failed: number;
	cancelled: number;
	/** Calls in flight now. */
	active: number;
	/** Items waiting for their retry time. */
	waiting: number;
	retries: number;
}

export interface BulkSummary<R> {
	results: BulkResult<R>[];
	retries: number;
	wallMs: number;
	/** Most calls in flight at once. */
	peakConcurrency: number;
	/** Calls in flight on average over the run (time-weighted). */
	meanConcurrency: number;
	/** The failure that stopped the run early, if one did. */
	stoppedBy?: OpenAIFailure;
	/** True when the run was cancelled through its signal. */
	cancelled: boolean;
}

export interface BulkOptions<R> {
	concurrency: number;
	policy?: RetryPolicy;
	signal?: AbortSignal;
	random?: () => number;
	onProgress?: (progress: BulkProgress) => void;
	/** Called once per item as it ends (ok or failed; cancelled items are not reported). */
	onResult?: (index: number, result: BulkResult<R>) => void;
}

interface Pending {
	index: number;
	attempts: number;
	readyAt: number;
}

/**
 * Calls `task(item, signal)` for every item, at most `concurrency` at a time. `toFailure` maps
 * what a task threw; `signal` given to a task aborts when the run is cancelled or stopped.
 */
export async function runBulk<T, R>(
	items: readonly T[],
	task: (item: T, signal: AbortSignal, attempt: number) => Promise<R>,
	toFailure: (error: unknown) => OpenAIFailure | Promise<OpenAIFailure>,
	options: BulkOptions<R>
): Promise<BulkSummary<R>> {
	const policy = options.policy ?? DEFAULT_RETRY;
	const limit = Math.max(1, Math.floor(options.concurrency));
	const started = performance.now();
	const results: (BulkResult<R> | undefined)[] = new Array<BulkResult<R> | undefined>(items.length);
	const queue: Pending[] = items.map((_, index) => ({ index, attempts: 0, readyAt: 0 }));
	const inner = new AbortController();
	const onOuterAbort = () => inner.abort();
	options.signal?.addEventListener('abort', onOuterAbort, { once: true });
	if (options.signal?.aborted) inner.abort();

	let active = 0;
	let peak = 0;
	let retries = 0;
	let ok = 0;
	let failed = 0;
	let stoppedBy: OpenAIFailure | undefined;
	// Time-weighted concurrency: the integral of `active` over time.
	let area = 0;
	let lastChange = started;
	const setActive = (next: number) => {
		const now = performance.now();
		area += active * (now - lastChange);
		lastChange = now;
		active = next;
		peak = Math.max(peak, active);
	};

	let wake: (() => void) | null = null;
	const notify = () => {
		const resolve = wake;
		wake = null;
		resolve?.();
	};
	const calls = new Set<AbortController>();
	inner.signal.addEventListener(
		'abort',
		() => {
			for (const call of calls) call.abort();
			notify();
		},
		{ once: true }
	);

	const progress = () =>
		options.onProgress?.({
			total: items.length,
			ok,
			failed,
			cancelled: 0,
			active,
			waiting: queue.filter((p) => p.attempts > 0).length,
			retries
		});

	const running = new Set<Promise<void>>();
	const runOne = async (pending: Pending) => {
		pending.attempts++;
		setActive(active + 1);
		// Each call gets its own signal, aborted with the run: listeners the SDK adds to it go away
		// with the call instead of piling up on one long-lived signal.
		const call = new AbortController();
		calls.add(call);
		try {
			const value = await task(items[pending.index], call.signal, pending.attempts);
			const result: BulkResult<R> = { status: 'ok', value, attempts: pending.attempts };
			results[pending.index] = result;
			ok++;
			options.onResult?.(pending.index, result);
		} catch (error) {
			const failure = await toFailure(error);
			if (failure.kind === 'aborted' || inner.signal.aborted) {
				results[pending.index] = { status: 'cancelled', attempts: pending.attempts };
			} else if (failure.retryable && pending.attempts < policy.maxAttempts) {
				retries++;
				pending.readyAt =
					performance.now() + backoffDelay(failure, pending.attempts, policy, options.random);
				queue.push(pending);
			} else {
				const result: BulkResult<R> = {
					status: 'failed',
					failure,
					attempts: pending.attempts
				};
				results[pending.index] = result;
				failed++;
				options.onResult?.(pending.index, result);
				if (failure.fatal && !stoppedBy) {
					stoppedBy = failure;
					inner.abort();
				}
			}
		} finally {
			calls.delete(call);
			setActive(active - 1);
		}
	};

	progress();
	while (!inner.signal.aborted && (queue.length > 0 || running.size > 0)) {
		const now = performance.now();
		// Start every ready item there is room for, oldest-ready first.
		while (running.size < limit) {
			let pick = -1;
			for (let i = 0; i < queue.length; i++)
				if (queue[i].readyAt <= now && (pick < 0 || queue[i].readyAt < queue[pick].readyAt))
					pick = i;
			if (pick < 0) break;
			const [pending] = queue.splice(pick, 1);
			// The slot frees (and the loop wakes) only once the item is settled or re-queued.
			const promise: Promise<void> = runOne(pending).finally(() => {
				running.delete(promise);
				progress();
				notify();
			});
			running.add(promise);
		}
		if (queue.length === 0 && running.size === 0) break;
		// Sleep until a call ends or the next retry is due.
		const nextReady = queue.reduce((min, p) => Math.min(min, p.readyAt), Infinity);
		await new Promise<void>((resolve) => {
			wake = resolve;
			if (running.size < limit && Number.isFinite(nextReady)) {
				const timer = setTimeout(notify, Math.max(0, nextReady - performance.now()));
				const clear = resolve;
				wake = () => {
					clearTimeout(timer);
					clear();
				};
			}
		});
	}
	// Cancelled or stopped: let calls in flight end (their signal is aborted), then close out.
	await Promise.all(running);
	options.signal?.removeEventListener('abort', onOuterAbort);
	const finished = Array.from(
		{ length: items.length },
		(_, index) =>
			results[index] ??
			({
				status: 'cancelled',
				attempts: queue.find((p) => p.index === index)?.attempts ?? 0
			} as BulkResult<R>)
	);
	setActive(active);
	const wallMs = performance.now() - started;
	const cancelled = finished.filter((r) => r.status === 'cancelled').length;
	options.onProgress?.({
		total: items.length,
		ok,
		failed,
		cancelled,
		active: 0,
		waiting: 0,
		retries
	});
	return {
		results: finished,
		retries,
		wallMs,
		peakConcurrency: peak,
		meanConcurrency: wallMs > 0 ? area / wallMs : 0,
		stoppedBy,
		cancelled: options.signal?.aborted ?? false
	};
}
