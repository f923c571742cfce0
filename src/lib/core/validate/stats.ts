/** Distributions as the cookbook notebook prints them: min, max, mean, median, p10, p90. */

export interface Distribution {
	count: number;
	total: number;
	min: number;
	max: number;
	mean: number;
	median: number;
	p10: number;
	p90: number;
}

/** Numpy's default (linear) quantile, so figures match the notebook's. */
function quantile(sorted: Int32Array, q: number): number {
	if (sorted.length === 0) return 0;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Of integer counts (tokens, messages): an Int32Array sorts faster than doubles. */
export function distribution(values: Int32Array): Distribution {
	const sorted = values.slice().sort();
	const count = sorted.length;
	let total = 0;
	for (let i = 0; i < count; i++) total += sorted[i];
	return {
		count,
		total,
		min: count ? sorted[0] : 0,
		max: count ? sorted[count - 1] : 0,
		mean: count ? total / count : 0,
		median: quantile(sorted, 0.5),
		p10: quantile(sorted, 0.1),
		p90: quantile(sorted, 0.9)
	};
}

/** A growable array of small integers without per-item boxing. */
export class IntList {
	#data = new Int32Array(1024);
	length = 0;

	push(value: number): void {
		if (this.length === this.#data.length) {
			const next = new Int32Array(this.#data.length * 2);
			next.set(this.#data);
			this.#data = next;
		}
		this.#data[this.length++] = value;
	}

	get(index: number): number {
		return this.#data[index];
	}

	/** Adds to the value at `index`. */
	add(index: number, delta: number): void {
		this.#data[index] += delta;
	}

	view(): Int32Array {
		return this.#data.subarray(0, this.length);
	}
}
