/**
 * Loss curves and the finish estimate of a fine-tuning job, from its events (OpenAI sends a
 * `metrics` event per step with train_loss, valid_loss, step, total_steps) and, once it has
 * finished, its checkpoints (which carry full_valid_loss at a few steps).
 */
import type { JobCheckpoint, JobEvent } from './types';

export interface LossPoint {
	step: number;
	loss: number;
}

export interface LossSeries {
	train: LossPoint[];
	valid: LossPoint[];
	/** Full validation loss at checkpoints (only after the job finished). */
	fullValid: LossPoint[];
	/** The job's total steps when an event said so. */
	totalSteps: number | null;
	lastStep: number;
}

function finite(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** Loss series by step (one point per step: a repeated step keeps its last value). */
export function lossSeries(
	events: readonly JobEvent[],
	checkpoints: readonly JobCheckpoint[] = []
): LossSeries {
	const train = new Map<number, number>();
	const valid = new Map<number, number>();
	let totalSteps: number | null = null;
	for (const event of events) {
		const data = event.data;
		if (!data || (event.type !== undefined && event.type !== 'metrics')) continue;
		const step = data.step;
		if (!finite(step)) continue;
		if (finite(data.train_loss)) train.set(step, data.train_loss);
		if (finite(data.valid_loss)) valid.set(step, data.valid_loss);
		if (finite(data.total_steps)) totalSteps = data.total_steps;
	}
	const fullValid = checkpoints
		.filter((c) => finite(c.metrics.full_valid_loss))
		.map((c) => ({ step: c.step_number, loss: c.metrics.full_valid_loss as number }));
	const sorted = (map: Map<number, number>) =>
		[...map].map(([step, loss]) => ({ step, loss })).sort((a, b) => a.step - b.step);
	const trainPoints = sorted(train);
	return {
		train: trainPoints,
		valid: sorted(valid),
		fullValid: fullValid.sort((a, b) => a.step - b.step),
		totalSteps,
		lastStep: trainPoints.at(-1)?.step ?? 0
	};
}

/**
 * When the job should finish, ms since epoch: the API's `estimated_finish` when it gives one,
 * else extrapolated from the pace of its metrics events so far; null when neither is known.
 */
export function estimateFinish(
	job: Record<string, unknown>,
	events: readonly JobEvent[],
	now: number
): number | null {
	if (job.status !== 'running' && job.status !== 'queued' && job.status !== 'validating_files')
		return null;
	if (finite(job.estimated_finish) && job.estimated_finish > 0) return job.estimated_finish * 1000;
	const metrics = events.filter((e) => e.data && finite(e.data.step) && finite(e.data.total_steps));
	if (metrics.length < 2) return null;
	const first = metrics[0];
	const last = metrics[metrics.length - 1];
	const steps = (last.data!.step as number) - (first.data!.step as number);
	const seconds = last.created_at - first.created_at;
	if (steps <= 0 || seconds <= 0) return null;
	const remaining = (last.data!.total_steps as number) - (last.data!.step as number);
	return Math.max(now, last.created_at * 1000 + (remaining * seconds * 1000) / steps);
}

/** "about 3 min", "about 2 h 10 min", "under a minute". */
export function formatDuration(ms: number): string {
	if (ms < 60_000) return 'under a minute';
	const minutes = Math.round(ms / 60_000);
	if (minutes < 60) return `about ${minutes} min`;
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}
