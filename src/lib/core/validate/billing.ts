/**
 * What training would cost: the cookbook's epochs heuristic (OpenAI's default `n_epochs` when
 * left on auto) and billed tokens, each example counted up to the model's context limit.
 */

export const TARGET_EPOCHS = 3;
export const MIN_TARGET_EXAMPLES = 100;
export const MAX_TARGET_EXAMPLES = 25_000;
export const MIN_DEFAULT_EPOCHS = 1;
export const MAX_DEFAULT_EPOCHS = 25;

/** 3 epochs, raised to min(25, 100 // n) when 3n < 100, lowered to max(1, 25000 // n) when 3n > 25000. */
export function defaultEpochs(examples: number): number {
	if (examples <= 0) return TARGET_EPOCHS;
	if (examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES)
		return Math.min(MAX_DEFAULT_EPOCHS, Math.floor(MIN_TARGET_EXAMPLES / examples));
	if (examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES)
		return Math.max(MIN_DEFAULT_EPOCHS, Math.floor(MAX_TARGET_EXAMPLES / examples));
	return TARGET_EPOCHS;
}

export interface CostEstimate {
	/** USD per 1M trained tokens, from the (editable) price table; null when none is known. */
	pricePerMillion: number | null;
	/** billedTokens × epochs. */
	trainedTokens: number;
	/** USD; null without a price. */
	usd: number | null;
}

export function estimateCost(
	billedTokens: number,
	epochs: number,
	pricePerMillion: number | null
): CostEstimate {
	const trainedTokens = billedTokens * epochs;
	return {
		pricePerMillion,
		trainedTokens,
		usd: pricePerMillion === null ? null : (trainedTokens * pricePerMillion) / 1_000_000
	};
}
