/**
 * A map from 64-bit hashes (two 32-bit lanes) to line numbers, by open addressing in typed
 * arrays: no allocation per entry, where a Map keyed by doubles or strings allocates for each.
 * The validator keeps one entry per example in three of these (exact, normalized, input).
 */
export class HashIndex {
	#lo = new Int32Array(1 << 12);
	#hi = new Int32Array(1 << 12);
	/** Line + 1; 0 = empty slot. */
	#value = new Int32Array(1 << 12);
	#size = 0;

	get size(): number {
		return this.#size;
	}

	/** The line stored for this hash, or -1. */
	get(lo: number, hi: number): number {
		const mask = this.#value.length - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const value = this.#value[i];
			if (value === 0) return -1;
			if (this.#lo[i] === (lo | 0) && this.#hi[i] === (hi | 0)) return value - 1;
		}
	}

	/** Stores the line unless the hash is there; returns the line already stored, or -1. */
	setIfAbsent(lo: number, hi: number, line: number): number {
		if ((this.#size + 1) * 2 > this.#value.length) this.#grow();
		const mask = this.#value.length - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const value = this.#value[i];
			if (value === 0) {
				this.#lo[i] = lo;
				this.#hi[i] = hi;
				this.#value[i] = line + 1;
				this.#size++;
				return -1;
			}
			if (this.#lo[i] === (lo | 0) && this.#hi[i] === (hi | 0)) return value - 1;
		}
	}

	/** Every (lo, hi, line) stored. */
	*entries(): Generator<[number, number, number]> {
		for (let i = 0; i < this.#value.length; i++)
			if (this.#value[i] !== 0) yield [this.#lo[i], this.#hi[i], this.#value[i] - 1];
	}

	#grow(): void {
		const lo = this.#lo;
		const hi = this.#hi;
		const value = this.#value;
		this.#lo = new Int32Array(lo.length * 2);
		this.#hi = new Int32Array(lo.length * 2);
		this.#value = new Int32Array(lo.length * 2);
		this.#size = 0;
		for (let i = 0; i < value.length; i++)
			if (value[i] !== 0) this.setIfAbsent(lo[i], hi[i], value[i] - 1);
	}
}
