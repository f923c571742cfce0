/**
 * A map from 64-bit hashes (two 32-bit lanes) to line numbers, by open addressing in one typed
 * array: no allocation per entry, where a Map keyed by doubles or strings allocates for each.
 * The validator keeps one entry per example in three of these (exact, normalized, input).
 *
 * A slot's lanes and value sit side by side (four 32-bit words, one cache line), so a lookup in
 * a table of 100,000 entries costs one cache miss rather than one per lane.
 */
const SLOT = 4;

export class HashIndex {
	/** Per slot: lo, hi, line + 1 (0 = empty slot), unused. */
	#slots = new Int32Array(SLOT << 12);
	#size = 0;

	get size(): number {
		return this.#size;
	}

	/** The line stored for this hash, or -1. */
	get(lo: number, hi: number): number {
		const slots = this.#slots;
		const mask = slots.length / SLOT - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const at = i * SLOT;
			const value = slots[at + 2];
			if (value === 0) return -1;
			if (slots[at] === (lo | 0) && slots[at + 1] === (hi | 0)) return value - 1;
		}
	}

	/** Stores the line unless the hash is there; returns the line already stored, or -1. */
	setIfAbsent(lo: number, hi: number, line: number): number {
		if ((this.#size + 1) * 2 * SLOT > this.#slots.length) this.#grow();
		const slots = this.#slots;
		const mask = slots.length / SLOT - 1;
		for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
			const at = i * SLOT;
			const value = slots[at + 2];
			if (value === 0) {
				slots[at] = lo;
				slots[at + 1] = hi;
				slots[at + 2] = line + 1;
				this.#size++;
				return -1;
			}
			if (slots[at] === (lo | 0) && slots[at + 1] === (hi | 0)) return value - 1;
		}
	}

	/** Every (lo, hi, line) stored. */
	*entries(): Generator<[number, number, number]> {
		const slots = this.#slots;
		for (let at = 0; at < slots.length; at += SLOT)
			if (slots[at + 2] !== 0) yield [slots[at], slots[at + 1], slots[at + 2] - 1];
	}

	#grow(): void {
		const old = this.#slots;
		this.#slots = new Int32Array(old.length * 2);
		this.#size = 0;
		for (let at = 0; at < old.length; at += SLOT)
			if (old[at + 2] !== 0) this.setIfAbsent(old[at], old[at + 1], old[at + 2] - 1);
	}
}
