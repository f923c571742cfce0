import { Dexie, liveQuery, type ObservabilitySet, type Subscription } from 'dexie';
import { DB_NAME } from '$lib/db/db';

/**
 * Dexie's liveQuery as a rune object `{ current, isLoading, error }`: `current` re-runs whenever
 * the tables the query read change (in this tab, another tab or a worker). The one place the
 * app meets liveQuery.
 */
export class LiveQuery<T> {
	current = $state.raw<T>() as T;
	isLoading = $state(true);
	error = $state.raw<Error | null>(null);
	#subscription: Subscription | null = null;

	constructor(initial: T) {
		this.current = initial;
	}

	/** (Re)subscribes to a query, dropping the previous one. */
	watch(querier: () => T | Promise<T>): void {
		this.stop();
		this.isLoading = true;
		this.#subscription = liveQuery(querier).subscribe({
			next: (value) => {
				this.current = value;
				this.isLoading = false;
				this.error = null;
			},
			error: (error: unknown) => {
				this.error = error instanceof Error ? error : new Error(String(error));
				this.isLoading = false;
			}
		});
	}

	/**
	 * Like watch, for queries that read a whole project (counts, distinct values): instead of
	 * re-running on every write, re-runs after a change to `tables` no sooner than `intervalMs`,
	 * or four times its own last duration, after its previous run. During a 100,000-line import a
	 * batch commits every few hundred milliseconds, and re-counting the project after each one
	 * made the import slower the bigger it got.
	 */
	watchThrottled(querier: () => Promise<T>, tables: string[], intervalMs = 250): void {
		this.stop();
		this.isLoading = true;
		const prefixes = tables.map((table) => `idb://${DB_NAME}/${table}/`);
		let stopped = false;
		let running = false;
		let dirty = false;
		let lastRun = 0;
		// Slow queries wait longer, so re-querying never takes more than a fifth of the time.
		let gap = intervalMs;
		let timer: ReturnType<typeof setTimeout> | null = null;
		const run = async () => {
			timer = null;
			running = true;
			dirty = false;
			lastRun = Date.now();
			try {
				const value = await querier();
				gap = Math.max(intervalMs, 4 * (Date.now() - lastRun));
				if (!stopped) {
					this.current = value;
					this.error = null;
				}
			} catch (error) {
				if (!stopped) this.error = error instanceof Error ? error : new Error(String(error));
			} finally {
				running = false;
				if (!stopped) this.isLoading = false;
				if (dirty && !stopped) schedule();
			}
		};
		const schedule = () => {
			if (running) {
				dirty = true;
				return;
			}
			if (timer !== null) return;
			timer = setTimeout(() => void run(), Math.max(0, lastRun + gap - Date.now()));
		};
		const onChange = (parts: ObservabilitySet) => {
			// 'all': Dexie's own "anything may have changed" (e.g. a page restored from the bfcache).
			const changed = Object.keys(parts);
			if (
				changed.some((part) => part === 'all' || prefixes.some((prefix) => part.startsWith(prefix)))
			)
				schedule();
		};
		Dexie.on.storagemutated.subscribe(onChange);
		void run();
		this.#stopThrottled = () => {
			stopped = true;
			if (timer !== null) clearTimeout(timer);
			Dexie.on.storagemutated.unsubscribe(onChange);
		};
	}

	#stopThrottled: (() => void) | null = null;

	stop(): void {
		this.#subscription?.unsubscribe();
		this.#subscription = null;
		this.#stopThrottled?.();
		this.#stopThrottled = null;
	}
}

/**
 * A LiveQuery owned by the calling component: it re-subscribes when anything `deps` reads
 * changes (e.g. the open project) and stops when the component goes away.
 */
export function liveState<T>(
	querier: () => T | Promise<T>,
	initial: T,
	deps: () => unknown = () => undefined
): LiveQuery<T> {
	const query = new LiveQuery(initial);
	$effect(() => {
		deps();
		query.watch(querier);
		return () => query.stop();
	});
	return query;
}

/** A throttled LiveQuery owned by the calling component (see LiveQuery.watchThrottled). */
export function throttledState<T>(
	querier: () => Promise<T>,
	initial: T,
	tables: string[],
	deps: () => unknown = () => undefined
): LiveQuery<T> {
	const query = new LiveQuery(initial);
	$effect(() => {
		deps();
		query.watchThrottled(querier, tables);
		return () => query.stop();
	});
	return query;
}
