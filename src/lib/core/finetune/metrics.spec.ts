import { describe, expect, it } from 'vitest';
import { estimateFinish, formatDuration, lossSeries } from './metrics';
import type { JobEvent } from './types';

function metric(step: number, at: number, valid = true): JobEvent {
	return {
		id: `e${step}`,
		created_at: at,
		level: 'info',
		message: `Step ${step}/10`,
		type: 'metrics',
		data: {
			step,
			train_loss: 2 / step,
			total_steps: 10,
			...(valid ? { valid_loss: 2.5 / step } : {})
		}
	};
}

describe('lossSeries', () => {
	it('reads train and validation loss per step, ignoring message events', () => {
		const events: JobEvent[] = [
			{ id: 'a', created_at: 1, level: 'info', message: 'Created', type: 'message', data: {} },
			metric(2, 20),
			metric(1, 10),
			metric(3, 30, false),
			{ ...metric(3, 31), data: { step: 3, train_loss: 0.5, total_steps: 10 } }
		];
		const series = lossSeries(events, [
			{
				id: 'c',
				step_number: 3,
				fine_tuned_model_checkpoint: 'ft:x',
				metrics: { full_valid_loss: 0.9 }
			}
		]);
		expect(series.train).toEqual([
			{ step: 1, loss: 2 },
			{ step: 2, loss: 1 },
			{ step: 3, loss: 0.5 }
		]);
		expect(series.valid.map((p) => p.step)).toEqual([1, 2]);
		expect(series.fullValid).toEqual([{ step: 3, loss: 0.9 }]);
		expect(series.totalSteps).toBe(10);
		expect(series.lastStep).toBe(3);
	});
});

describe('estimateFinish', () => {
	it('prefers the API estimate, else extrapolates the pace of steps', () => {
		expect(estimateFinish({ status: 'running', estimated_finish: 2000 }, [], 0)).toBe(2_000_000);
		// Steps 1→4 took 30 s: 6 steps left at 10 s each.
		const events = [metric(1, 100), metric(4, 130)];
		expect(estimateFinish({ status: 'running', estimated_finish: null }, events, 0)).toBe(190_000);
		expect(estimateFinish({ status: 'succeeded' }, events, 0)).toBeNull();
		expect(estimateFinish({ status: 'running' }, [metric(1, 100)], 0)).toBeNull();
	});

	it('formats durations in words', () => {
		expect(formatDuration(30_000)).toBe('under a minute');
		expect(formatDuration(5 * 60_000)).toBe('about 5 min');
		expect(formatDuration(130 * 60_000)).toBe('about 2 h 10 min');
	});
});
