/**
 * Token counting in batches. The per-line checks of a chat line hand their texts here instead
 * of tokenizing each on the spot; every million characters or so the batch is tokenized in one
 * tight loop and each count added to its example's totals.
 *
 * Why: the tokenizer's working set (its regex and a map of 200,000 byte pairs) stays in the CPU
 * cache only while it runs back to back. Interleaved with JSON parsing and checks, which stream
 * fresh allocations through the cache, the same texts took a third longer to tokenize. The
 * counts and their sums are exactly the same; only the moment of counting moves.
 *
 * A chat example's tokens are a sum: framing constants, cached counts (system prompts, tools),
 * and one count per text; each text adds to the example's total, and a text of an assistant
 * message's content or calls adds to its assistant tokens too. The checks work out the constant
 * part with deferred texts counted as 0; `flush` adds the rest.
 */
import type { IntList } from './stats';
import type { CountTokens } from './tokens';

/**
 * Characters of text held before a batch is counted (1M: two megabytes of strings at most).
 * Measured on the benchmark file (100,000 lines), report/limit: counting each line's texts on
 * the spot about 2.0; batches of 32K–128K characters 1.7–1.9 (too short to warm up); 512K–2M
 * about 1.5; larger batches only hold more memory (and more of it outlives the young generation).
 */
export const BATCH_CHARS = 1 << 20;

export class DeferredCounts {
	#texts: string[] = [];
	/** Per text: its example (index into the validator's lists), or -1 when none was recorded. */
	#examples = new Int32Array(1024);
	/** Per text: 1 when it counts towards the example's assistant tokens. */
	#assistant = new Uint8Array(1024);
	/** Texts not yet given an example. */
	#open = 0;
	#chars = 0;

	/** Holds a text of the line being checked. */
	add(text: string, assistant: boolean): void {
		const i = this.#texts.length;
		if (i === this.#examples.length) this.#grow();
		this.#texts.push(text);
		this.#assistant[i] = assistant ? 1 : 0;
		this.#chars += text.length;
	}

	/** The texts held since the last call belong to this example (-1: to none, e.g. a line too
	 * broken to record; they are still counted, as they were when counted on the spot). */
	assign(example: number): void {
		const n = this.#texts.length;
		for (let i = this.#open; i < n; i++) this.#examples[i] = example;
		this.#open = n;
	}

	/** Whether enough text is held to count a batch. */
	get due(): boolean {
		return this.#chars >= BATCH_CHARS;
	}

	/** Counts every text held and adds the counts to their examples' totals. */
	flush(count: CountTokens, tokens: IntList, assistantTokens: IntList): void {
		const texts = this.#texts;
		const examples = this.#examples;
		const assistant = this.#assistant;
		const n = this.#open;
		for (let i = 0; i < n; i++) {
			const c = count(texts[i]);
			// Let go of the text at once: the tokenizer's garbage sets off collections during the
			// batch, and each would otherwise copy every text still held.
			texts[i] = '';
			const example = examples[i];
			if (example < 0) continue;
			tokens.add(example, c);
			if (assistant[i] === 1) assistantTokens.add(example, c);
		}
		// Texts of a line still being checked (none when called between lines) stay.
		if (n === texts.length) texts.length = 0;
		else texts.splice(0, n);
		this.#examples.copyWithin(0, n, texts.length);
		this.#assistant.copyWithin(0, n, texts.length);
		this.#open = 0;
		this.#chars = 0;
		for (const text of texts) this.#chars += text.length;
	}

	#grow(): void {
		const examples = new Int32Array(this.#examples.length * 2);
		examples.set(this.#examples);
		this.#examples = examples;
		const assistant = new Uint8Array(this.#assistant.length * 2);
		assistant.set(this.#assistant);
		this.#assistant = assistant;
	}
}
