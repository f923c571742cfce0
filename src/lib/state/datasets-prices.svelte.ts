/**
 * The training price table the cost estimate uses: OpenAI's published prices as defaults, each
 * editable by the user (no network). Kept in localStorage as a UI preference and read back
 * through a schema, so a damaged entry falls back to the defaults.
 */
import * as v from 'valibot';
import { defaultPrices, type PriceTable } from '$lib/core/validate/models';

const KEY = 'tuneloop.trainingPrices';
const pricesSchema = v.record(v.string(), v.pipe(v.number(), v.minValue(0)));

class PriceState {
	#edits = $state<PriceTable>({});
	#loaded = false;

	#load(): void {
		if (this.#loaded || typeof localStorage === 'undefined') return;
		this.#loaded = true;
		try {
			const parsed = v.safeParse(pricesSchema, JSON.parse(localStorage.getItem(KEY) ?? '{}'));
			if (parsed.success) this.#edits = parsed.output;
		} catch {
			// A damaged entry: the defaults stand.
		}
	}

	get table(): PriceTable {
		this.#load();
		return { ...defaultPrices(), ...this.#edits };
	}

	price(model: string): number | null {
		return this.table[model] ?? null;
	}

	isEdited(model: string): boolean {
		this.#load();
		return model in this.#edits;
	}

	set(model: string, usdPerMillion: number): void {
		this.#load();
		if (!Number.isFinite(usdPerMillion) || usdPerMillion < 0) return;
		this.#edits = { ...this.#edits, [model]: usdPerMillion };
		localStorage.setItem(KEY, JSON.stringify(this.#edits));
	}

	reset(model: string): void {
		this.#load();
		const { [model]: _removed, ...rest } = this.#edits;
		void _removed;
		this.#edits = rest;
		localStorage.setItem(KEY, JSON.stringify(rest));
	}
}

export const prices = new PriceState();
