/**
 * The dataset worker, started on first use and shared by the datasets and validate pages, and
 * `WorkerJob`: one long job's progress (rate, ETA) and its Cancel, as the pages show them.
 */
import * as Comlink from 'comlink';
import type { DatasetApi, JobProgress } from '$lib/workers/dataset.api';
import DatasetWorker from '$lib/workers/dataset.worker?worker';

let api: Comlink.Remote<DatasetApi> | null = null;

export function datasetWorker(): Comlink.Remote<DatasetApi> {
	api ??= Comlink.wrap<DatasetApi>(new DatasetWorker());
	return api;
}

let nextKey = 1;

export class WorkerJob {
	running = $state(false);
	phase = $state('');
	done = $state(0);
	total = $state(0);
	unit = $state<'bytes' | undefined>(undefined);
	#started = 0;
	#key = '';

	get fraction(): number | null {
		return this.total > 0 ? Math.min(1, this.done / this.total) : null;
	}

	/** Items per second so far, and seconds left at that rate (null until there is a rate). */
	get rate(): number | null {
		const seconds = (performance.now() - this.#started) / 1000;
		return this.done > 0 && seconds > 0.2 ? this.done / seconds : null;
	}

	get etaSeconds(): number | null {
		const rate = this.rate;
		return rate && this.total > this.done ? (this.total - this.done) / rate : null;
	}

	/** Runs one worker call; a new run cancels the one still going. */
	async run<T>(
		work: (key: string, onProgress: (p: JobProgress) => void) => Promise<T>
	): Promise<T> {
		if (this.running) this.cancel();
		const key = `job-${nextKey++}`;
		this.#key = key;
		this.running = true;
		this.phase = 'Starting';
		this.done = 0;
		this.total = 0;
		this.unit = undefined;
		this.#started = performance.now();
		try {
			return await work(
				key,
				Comlink.proxy((progress: JobProgress) => {
					if (this.#key !== key) return;
					this.phase = progress.phase;
					this.done = progress.done;
					this.total = progress.total;
					this.unit = progress.unit;
				})
			);
		} finally {
			if (this.#key === key) this.running = false;
		}
	}

	cancel(): void {
		if (this.#key) void datasetWorker().cancel(this.#key);
		this.running = false;
	}
}
