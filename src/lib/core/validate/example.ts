/** What the per-line checks hand to the dataset-wide ones, and the context they work in. */
import type { FindingList } from './findings';
import type { Fingerprint } from './similarity';
import type { CountTokens } from './tokens';

export interface LineContext {
	line: number;
	/**
	 * Counts a text's tokens. For chat lines the count may be deferred (see deferred-counts.ts):
	 * it then returns 0 and the count is added to the example later, so callers only ever add
	 * what it returns into the example's token sums.
	 */
	count: CountTokens;
	/**
	 * Set while the texts of an assistant message's content and calls are counted: with
	 * deferred counting, those are the texts that add to the example's assistant tokens.
	 */
	assistantPart: boolean;
	findings: FindingList;
	/** Tokens of a text that repeats across lines (system prompts), counted once per file. */
	countRepeated(text: string): number;
	/** Tokens of a `tools` array, cached by its JSON (every line of a file tends to repeat it). */
	toolsTokens(tools: unknown[]): number;
	/** Whether the target model trains on images. */
	images: boolean;
	modelId: string;
	/** Takes the example's text (system prompt left out), for duplicates and near-duplicates. */
	fp: Fingerprint;
}

export interface ExampleInfo {
	/** Tokens of the whole example as OpenAI counts a chat (framing included). */
	tokens: number;
	/** Tokens of what is trained on: assistant replies (chat), the outputs (DPO), completion. */
	assistantTokens: number;
	messages: number;
	/** The first system message's text; null when the example has none. */
	system: string | null;
	hasUser: boolean;
	/** The normalized input's hash (everything before the trained reply, from ctx.fp), for
	 * train/validation overlap. */
	inputHash: number;
	inputHashHi: number;
	/** Lines whose function-call arguments a fix can re-encode. */
	argumentsFixable: boolean;
}
