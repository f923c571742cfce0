/**
 * The log browser's state: filter and sort, the ordered ids that match (a plain array, replaced
 * not mutated), and a cache of the rows in view. Scrolling 100,000 logs only ever loads the rows
 * the virtual list shows.
 */
import type { LogRecord } from '$lib/core/types';
import { getLogs, queryLogIds, type LogFilter, type LogSort } from '$lib/db/logs';
import { handleError, isAbort } from './handle-error';

export interface FilterForm {
	text: string;
	importId: string;
	label: 'any' | 'up' | 'down' | 'none';
	feedback: 'any' | 'with' | 'without';
	corrected: boolean;
	model: string;
	from: string;
	to: string;
}

export const emptyFilter = (): FilterForm => ({
	text: '',
	importId: '',
	label: 'any',
	feedback: 'any',
	corrected: false,
	model: '',
	from: '',
	to: ''
});

const PAGE = 100;

/** Turns the form into the repository's filter. Dates are whole local days, both ends included. */
export function toLogFilter(projectId: string, form: FilterForm): LogFilter {
	const filter: LogFilter = { projectId };
	if (form.text.trim()) filter.text = form.text.trim();
	if (form.importId) filter.importId = form.importId;
	if (form.label !== 'any') filter.thumb = form.label === 'up' ? 1 : form.label === 'down' ? -1 : 0;
	if (form.feedback !== 'any') filter.hasFeedback = form.feedback === 'with';
	if (form.corrected) filter.corrected = true;
	if (form.model) filter.model = form.model;
	if (form.from) filter.from = new Date(`${form.from}T00:00:00`).getTime();
	if (form.to) filter.to = new Date(`${form.to}T23:59:59.999`).getTime();
	return filter;
}

export class LogBrowserState {
	form = $state<FilterForm>(emptyFilter());
	sort = $state<LogSort>('newest');
	ids = $state.raw<string[]>([]);
	isLoading = $state(false);
	/** Text search progress, 0–1, while a search scans. */
	searchProgress = $state<number | null>(null);
	selectedIndex = $state<number | null>(null);
	/** Bumped when rows arrive in the cache, so rows in view re-render. */
	rowsVersion = $state(0);
	#rows = new Map<string, LogRecord>();
	#inflight = new Set<number>();
	#abort: AbortController | null = null;
	#projectId: string | null = null;

	get selectedId(): string | null {
		return this.selectedIndex === null ? null : (this.ids[this.selectedIndex] ?? null);
	}

	get selected(): LogRecord | null {
		void this.rowsVersion;
		const id = this.selectedId;
		return id ? (this.#rows.get(id) ?? null) : null;
	}

	row(index: number): LogRecord | null {
		void this.rowsVersion;
		const id = this.ids[index];
		return id ? (this.#rows.get(id) ?? null) : null;
	}

	/** Re-runs the query; a newer call cancels an older one still running. */
	async refresh(projectId: string): Promise<void> {
		if (projectId !== this.#projectId) {
			this.#projectId = projectId;
			this.selectedIndex = null;
		}
		this.#abort?.abort();
		const abort = new AbortController();
		this.#abort = abort;
		this.isLoading = true;
		const filter = toLogFilter(projectId, this.form);
		const keep = this.selectedId;
		try {
			const ids = await queryLogIds(filter, this.sort, {
				signal: abort.signal,
				onProgress: filter.text
					? (p) => (this.searchProgress = p.total > 0 ? p.scanned / p.total : 1)
					: undefined
			});
			if (abort.signal.aborted) return;
			this.#rows.clear();
			this.#inflight.clear();
			this.ids = ids;
			const kept = keep ? ids.indexOf(keep) : -1;
			this.selectedIndex = kept >= 0 ? kept : null;
			this.rowsVersion += 1;
		} catch (error) {
			if (!isAbort(error)) handleError(error, 'Could not load logs');
		} finally {
			if (this.#abort === abort) {
				this.isLoading = false;
				this.searchProgress = null;
			}
		}
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
					this.rowsVersion += 1;
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

	reset(): void {
		this.form = emptyFilter();
		this.sort = 'newest';
	}
}

export const logBrowser = new LogBrowserState();
