/** Synthetic datasets with a known answer, for the learner's tests. */
import { mulberry32, type Rng } from '../random';
import { DatasetBuilder } from './dataset';
import type { PrefDataset } from './types';

const VOCABULARY = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 997}`);

/** A sentence of `length` random vocabulary words. */
export function randomText(rng: Rng, length: number): string {
	const words: string[] = [];
	for (let i = 0; i < length; i++) words.push(VOCABULARY[Math.floor(rng() * VOCABULARY.length)]);
	return words.join(' ');
}

/**
 * Thumbs where 👍 is decided by one planted word: outputs containing `planted` are 👍 with
 * probability `pWith`, others with probability `pWithout`. Lengths are random, so length says
 * nothing.
 */
export function plantedThumbs(
	count: number,
	seed: number,
	{ planted = 'zebraword', pWith = 1, pWithout = 0 } = {}
): PrefDataset {
	const rng = mulberry32(seed);
	const builder = new DatasetBuilder();
	for (let i = 0; i < count; i++) {
		const input = `question ${i} ${randomText(rng, 5)}`;
		const has = rng() < 0.5;
		const words = randomText(rng, 8 + Math.floor(rng() * 30)).split(' ');
		if (has) words.splice(Math.floor(rng() * words.length), 0, planted);
		const label = rng() < (has ? pWith : pWithout) ? 1 : 0;
		builder.point({ input, output: words.join(' ') }, label);
	}
	return builder.build();
}

/** Pairs where the chosen answer always holds `good` and the rejected one `bad`. */
export function separablePairs(count: number, seed: number): PrefDataset {
	const rng = mulberry32(seed);
	const builder = new DatasetBuilder();
	for (let i = 0; i < count; i++) {
		const input = `prompt ${i} ${randomText(rng, 4)}`;
		const base = () => randomText(rng, 10 + Math.floor(rng() * 20)).split(' ');
		const chosen = base();
		const rejected = base();
		chosen.splice(Math.floor(rng() * chosen.length), 0, 'excellent');
		rejected.splice(Math.floor(rng() * rejected.length), 0, 'terrible');
		// Random order of lengths: the longer answer wins only half the time.
		builder.pair({ input, output: chosen.join(' ') }, { input, output: rejected.join(' ') });
	}
	return builder.build();
}

/**
 * Pairs where the longer answer wins with probability `pLonger` and the words are random: length
 * is the only signal, n-grams only noise.
 */
export function lengthPairs(count: number, seed: number, pLonger = 0.9): PrefDataset {
	const rng = mulberry32(seed);
	const builder = new DatasetBuilder();
	for (let i = 0; i < count; i++) {
		const input = `prompt ${i} ${randomText(rng, 4)}`;
		const short = randomText(rng, 5 + Math.floor(rng() * 10));
		const long = randomText(rng, 20 + Math.floor(rng() * 30));
		const [chosen, rejected] = rng() < pLonger ? [long, short] : [short, long];
		builder.pair({ input, output: chosen }, { input, output: rejected });
	}
	return builder.build();
}
