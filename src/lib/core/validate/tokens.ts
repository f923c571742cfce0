/**
 * Token counting with OpenAI's own encodings (gpt-tokenizer: o200k_base for the gpt-4o/4.1
 * families, cl100k_base for gpt-3.5 and the legacy base models). Special-token text such as
 * `<|endoftext|>` inside a training example is counted as the ordinary text it is, never refused.
 * The encodings are loaded on demand: each is megabytes, and a page needs only one.
 */
import type { EncodingName } from './models';

export type CountTokens = (text: string) => number;

/** Special-token text in user data is data: count it as text (the library throws by default). */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<EncodingName, Promise<CountTokens>>();

export function loadTokenCounter(encoding: EncodingName): Promise<CountTokens> {
	let counter = loaded.get(encoding);
	if (!counter) {
		counter = (
			encoding === 'o200k_base'
				? import('gpt-tokenizer/encoding/o200k_base')
				: import('gpt-tokenizer/encoding/cl100k_base')
		).then(
			({ countTokens }) =>
				(text: string) =>
					text === '' ? 0 : countTokens(text, AS_TEXT)
		);
		loaded.set(encoding, counter);
	}
	return counter;
}

/**
 * The chat framing OpenAI's cookbook counts (How_to_count_tokens_with_tiktoken): 3 tokens per
 * message, 1 more for a `name`, 3 to prime the reply. Role names are one token each.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const TOKENS_REPLY_PRIMING = 3;
export const TOKENS_PER_ROLE = 1;
/** A low-detail image costs 85 tokens; the validator cannot see an image's size offline. */
export const TOKENS_PER_IMAGE = 85;
