import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { IDENTITY_CALIBRATION } from './calibration';
import {
	DEFAULT_FEATURES,
	DENSE_FEATURES,
	LEGACY_DENSE_FEATURES,
	denseOffset,
	featureDim,
	Featurizer,
	type FeatureConfig
} from './features';
import { Scorer } from './score';
import { randomText } from './testing';
import type { LinearModel } from './types';

/** A model whose only non-zero weights are on the dense block. */
function denseOnly(config: FeatureConfig, dense: number[]): LinearModel {
	const weights = new Float32Array(featureDim(config));
	weights.set(dense, denseOffset(config));
	return {
		features: config,
		weights,
		bias: 0,
		denseScale: new Float32Array(dense.length).fill(1),
		calibration: IDENTITY_CALIBRATION
	};
}

describe('dense block', () => {
	it('orders two answers to one input exactly as "longer answer wins" (or shorter), whatever its weights', () => {
		const rng = mulberry32(5);
		for (let trial = 0; trial < 200; trial++) {
			const chars = rng() * 2;
			const ratio = rng() * 2 - chars * rng();
			const scorer = new Scorer(denseOnly(DEFAULT_FEATURES, [chars, ratio]));
			const input = randomText(rng, 1 + Math.floor(rng() * 40));
			const a = randomText(rng, 1 + Math.floor(rng() * 60));
			const b = randomText(rng, 1 + Math.floor(rng() * 60));
			const margin = scorer.raw({ input, output: a }) - scorer.raw({ input, output: b });
			const longer = a.length - b.length;
			// The two features differ by the same Δ log length: the sign is that of chars + ratio.
			expect(Math.sign(margin)).toBe(Math.sign(longer) * Math.sign(chars + ratio));
		}
	});

	it('keeps the legacy three-feature layout for models saved before denseVersion 2', () => {
		const legacy: FeatureConfig = { ...DEFAULT_FEATURES, denseVersion: undefined };
		expect(featureDim(legacy) - featureDim(DEFAULT_FEATURES)).toBe(
			LEGACY_DENSE_FEATURES.length - DENSE_FEATURES.length
		);
		const example = { input: 'say hi', output: 'hello there my friend' };
		const dense = (config: FeatureConfig) => {
			const vector = new Featurizer(config).featurize(example);
			const offset = denseOffset(config);
			return [...vector.indices].flatMap((index, k) =>
				index >= offset ? [[index - offset, vector.values[k]]] : []
			);
		};
		const chars = Math.log1p(example.output.length);
		const ratio = Math.log((example.output.length + 1) / (example.input.length + 1));
		expect(dense(DEFAULT_FEATURES)).toEqual([
			[0, Math.fround(chars)],
			[1, Math.fround(ratio)]
		]);
		expect(dense(legacy)).toEqual([
			[0, Math.fround(chars)],
			[1, Math.fround(Math.log1p(4))],
			[2, Math.fround(ratio)]
		]);
		// A saved legacy model still scores with its own weights: words in the middle slot.
		const byWords = new Scorer(denseOnly(legacy, [0, 1, 0]));
		expect(byWords.raw(example)).toBeCloseTo(Math.log1p(4), 5);
	});
});
