/** Builds a PrefDataset: items deduplicated by (input, output), labels pointing into them. */
import { hashString } from '../hash';
import type { Example, PrefDataset } from './types';

export class DatasetBuilder {
	readonly #items: Example[] = [];
	readonly #index = new Map<string, number>();
	readonly #points: PrefDataset['points'] = [];
	readonly #pairs: PrefDataset['pairs'] = [];

	/** Index of an item, adding it on first sight. */
	item(example: Example): number {
		const key = `${example.input.length}:${example.input}\u0000${example.output}`;
		let index = this.#index.get(key);
		if (index === undefined) {
			index = this.#items.length;
			this.#items.push(example);
			this.#index.set(key, index);
		}
		return index;
	}

	/** The group of an input: labels about the same input are never split apart. */
	static groupOf(input: string): string {
		return hashString(input);
	}

	point(example: Example, label: 0 | 1, weight?: number): void {
		const item = this.item(example);
		this.#points.push({
			item,
			label,
			group: DatasetBuilder.groupOf(example.input),
			...(weight ? { weight } : {})
		});
	}

	pair(chosen: Example, rejected: Example, weight?: number): void {
		if (chosen.output === rejected.output) return; // says nothing
		this.#pairs.push({
			chosen: this.item(chosen),
			rejected: this.item(rejected),
			group: DatasetBuilder.groupOf(chosen.input),
			...(weight ? { weight } : {})
		});
	}

	build(): PrefDataset {
		return { items: this.#items, points: this.#points, pairs: this.#pairs };
	}
}
