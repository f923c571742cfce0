import { liveQuery, type Subscription } from 'dexie';

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

	stop(): void {
		this.#subscription?.unsubscribe();
		this.#subscription = null;
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
