/**
 * The log browser's state: filter and sort, the ordered ids that match (a plain array, replaced
 * not mutated), and a cache of the rows in view. Scrolling 100,000 logs only ever loads the rows
 * the virtual list shows.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { LogRecord } from '$lib/core/types';
import { getLogs, queryLogIds, warmFilterCache, type LogSort } from '$lib/db/logs';
import { applyScoreView, type ScoreFilter, type ScoreOrder } from '$lib/db/scores';
import { emptyFilter, toLogFilter, type FilterForm } from './log-filter';
import { feedbackHistory } from './feedback-history.svelte';
import { handleError, isAbort } from './handle-error';

/** Rows fetched from IndexedDB per request while scrolling. */
const PAGE = 100;

export class LogBrowserState {
	form = $state<FilterForm>(emptyFilter());
	sort = $state<LogSort>('newest');
	/** Preference model score view (issue 5): order and range of P(👍) under the active model. */
	scoreOrder = $state<ScoreOrder | 'none'>('none');
	scoreFilter = $state<ScoreFilter>('any');
	ids = $state.raw<string[]>([]);
	isLoading = $state(false);
	/** True from a filter change until the list reflects it (the query is debounced). */
	pending = $state(false);
	/** Text search progress, 0–1, while a search scans. */
	searchProgress = $state<number | null>(null);
	selectedIndex = $state<number | null>(null);
	/** Logs ticked for a bulk action; `allChecked` means every log that matches the filter. */
	checked = new SvelteSet<string>();
	allChecked = $state(false);
	#rows = new SvelteMap<string, LogRecord>();
	#inflight = new SvelteSet<number>();
	#abort: AbortController | null = null;
	#warm: AbortController | null = null;
	#projectId: string | null = null;

	get selectedId(): string | null {
		return this.selectedIndex === null ? null : (this.ids[this.selectedIndex] ?? null);
	}

	get selected(): LogRecord | null {
		const id = this.selectedId;
		return id ? (this.#rows.get(id) ?? null) : null;
	}

	row(index: number): LogRecord | null {
		const id = this.ids[index];
		return id ? (this.#rows.get(id) ?? null) : null;
	}

	/** Re-runs the query; a newer call cancels an older one still running. */
	async refresh(projectId: string): Promise<void> {
		if (projectId !== this.#projectId) {
			this.#projectId = projectId;
			this.selectedIndex = null;
			this.#rows.clear();
			this.#warm?.abort();
			this.#warm = null;
		}
		this.#abort?.abort();
		const abort = new AbortController();
		this.#abort = abort;
		this.isLoading = true;
		const filter = toLogFilter(projectId, this.form);
		const keep = this.selectedId;
		try {
			// Judgements a reload interrupted are stored first, so the filters count them.
			await feedbackHistory.ready();
			const matched = await queryLogIds(filter, this.sort, {
				signal: abort.signal,
				onProgress: filter.text
					? (p) => (this.searchProgress = p.total > 0 ? p.scanned / p.total : 1)
					: undefined
			});
			const ids = await applyScoreView(projectId, matched, this.scoreOrder, this.scoreFilter);
			if (abort.signal.aborted) return;
			// Rows stay cached across filter changes (their feedback is kept current by reloadRows),
			// so a new filter paints rows already seen without reading them again.
			if (this.#rows.size > 5000) this.#rows.clear();
			this.#inflight.clear();
			this.ids = ids;
			this.#warmUp(projectId);
			const kept = keep ? ids.indexOf(keep) : -1;
			this.selectedIndex = kept >= 0 ? kept : null;
		} catch (error) {
			if (!isAbort(error)) handleError(error, 'Could not load logs');
		} finally {
			if (this.#abort === abort) {
				this.isLoading = false;
				this.pending = false;
				this.searchProgress = null;
			}
		}
	}

	/** After a list shows, reads the other filters' id sets in the background (a no-op for the
	 * sets still cached), starting at once: the reads run in IndexedDB, off this thread. */
	#warmUp(projectId: string): void {
		this.#warm?.abort();
		const warm = new AbortController();
		this.#warm = warm;
		setTimeout(() => {
			warmFilterCache(projectId, warm.signal).catch((error: unknown) =>
				console.warn('Could not prepare filters', error)
			);
		}, 0);
	}

	/** Loads the rows a visible range needs, a page at a time. */
	ensureRows(start: number, end: number): void {
		for (let page = Math.floor(start / PAGE); page * PAGE < end; page++) {
			if (this.#inflight.has(page)) continue;
			const ids = this.ids.slice(page * PAGE, (page + 1) * PAGE);
			if (ids.every((id) => this.#rows.has(id))) continue;
			this.#inflight.add(page);
			const list = this.ids;
			getLogs(ids)
				.then((rows) => {
					if (list !== this.ids) return;
					for (const row of rows) if (row) this.#rows.set(row.id, row);
				})
				.catch((error: unknown) => handleError(error, 'Could not load logs'))
				.finally(() => this.#inflight.delete(page));
		}
	}

	select(index: number | null): void {
		if (index === null || this.ids.length === 0) {
			this.selectedIndex = null;
			return;
		}
		this.selectedIndex = Math.max(0, Math.min(this.ids.length - 1, index));
		this.ensureRows(this.selectedIndex, this.selectedIndex + 1);
	}

	move(delta: number): void {
		this.select(this.selectedIndex === null ? 0 : this.selectedIndex + delta);
	}

	/** Re-reads cached rows whose feedback changed, so their badges follow (no re-query: the
	 * list keeps its order and membership until the filter changes or Refresh is pressed). */
	async reloadRows(logIds: readonly string[]): Promise<void> {
		const cached = logIds.filter((id) => this.#rows.has(id));
		if (cached.length === 0) return;
		const rows = await getLogs(cached);
		for (const row of rows) if (row) this.#rows.set(row.id, row);
	}

	/** The ids a bulk action applies to. */
	get checkedIds(): string[] {
		return this.allChecked ? this.ids : this.ids.filter((id) => this.checked.has(id));
	}

	get checkedCount(): number {
		return this.allChecked ? this.ids.length : this.checked.size;
	}

	isChecked(id: string): boolean {
		return this.allChecked || this.checked.has(id);
	}

	toggleCheck(id: string): void {
		if (this.allChecked) {
			// Leaving "all matching": keep every other id ticked.
			this.allChecked = false;
			for (const other of this.ids) if (other !== id) this.checked.add(other);
			return;
		}
		if (this.checked.has(id)) this.checked.delete(id);
		else this.checked.add(id);
	}

	checkAll(): void {
		this.allChecked = true;
	}

	clearChecks(): void {
		this.allChecked = false;
		this.checked.clear();
	}

	reset(): void {
		this.form = emptyFilter();
		this.sort = 'newest';
		this.scoreOrder = 'none';
		this.scoreFilter = 'any';
	}
}

export const logBrowser = new LogBrowserState();
feedbackHistory.listen((logIds) => void logBrowser.reloadRows(logIds), true);
