/**
 * The baselines every report shows beside the model, so a user can see whether it learned
 * anything: the majority class (a constant: AUC 0.5, pairs a coin flip), "longer answer wins"
 * and "shorter answer wins" (output length in characters as the score).
 */
import type { Example } from './example';

export type BaselineName = 'majority' | 'longer' | 'shorter';

export const BASELINES: { name: BaselineName; label: string }[] = [
	{ name: 'majority', label: 'Majority class' },
	{ name: 'longer', label: 'Longer answer wins' },
	{ name: 'shorter', label: 'Shorter answer wins' }
];

/**
 * A baseline's score of an item. Majority is a constant (the training share of 👍): it ranks
 * nothing, so its AUC is 0.5 and every pair is a tie.
 */
export function baselineScore(name: BaselineName, item: Example, positiveRate: number): number {
	switch (name) {
		case 'majority':
			return positiveRate;
		case 'longer':
			return item.output.length;
		case 'shorter':
			return -item.output.length;
	}
}
