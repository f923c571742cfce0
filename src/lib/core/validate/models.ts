/**
 * What the validator needs to know about each fine-tunable model: its tokenizer, the longest
 * training example it takes, which line formats it trains on, and a default training price.
 *
 * Limits and prices are OpenAI's published figures (fine-tuning guide and pricing page, 2025);
 * they change, so prices are only defaults the user can edit (see PriceTable), and an unknown
 * model falls back on its family's encoding and limit.
 */

export type EncodingName = 'o200k_base' | 'cl100k_base';
export type LineFormat = 'openai-chat' | 'openai-dpo' | 'legacy';

export interface ModelSpec {
	id: string;
	encoding: EncodingName;
	/** Tokens per training example; longer examples are cut to this by OpenAI. */
	contextLimit: number;
	formats: readonly LineFormat[];
	/** Whether the model fine-tunes on images in user messages (vision fine-tuning). */
	images: boolean;
	/** Default training price, USD per 1M trained tokens. */
	pricePerMillion: number;
}

const CHAT: readonly LineFormat[] = ['openai-chat', 'openai-dpo'];

export const MODELS: readonly ModelSpec[] = [
	m('gpt-4.1-2025-04-14', 'o200k_base', 65_536, CHAT, true, 25),
	m('gpt-4.1-mini-2025-04-14', 'o200k_base', 65_536, CHAT, false, 5),
	m('gpt-4.1-nano-2025-04-14', 'o200k_base', 65_536, CHAT, false, 1.5),
	m('gpt-4o-2024-08-06', 'o200k_base', 65_536, CHAT, true, 25),
	m('gpt-4o-mini-2024-07-18', 'o200k_base', 65_536, CHAT, false, 3),
	m('gpt-3.5-turbo-0125', 'cl100k_base', 16_385, ['openai-chat'], false, 8),
	m('gpt-3.5-turbo-1106', 'cl100k_base', 16_385, ['openai-chat'], false, 8),
	m('gpt-3.5-turbo-0613', 'cl100k_base', 4_096, ['openai-chat'], false, 8),
	m('davinci-002', 'cl100k_base', 16_384, ['legacy'], false, 6),
	m('babbage-002', 'cl100k_base', 16_384, ['legacy'], false, 0.4)
];

function m(
	id: string,
	encoding: EncodingName,
	contextLimit: number,
	formats: readonly LineFormat[],
	images: boolean,
	pricePerMillion: number
): ModelSpec {
	return { id, encoding, contextLimit, formats, images, pricePerMillion };
}

/** The model a report assumes when none is named: the cheapest current one for the format. */
export function defaultModelFor(format: LineFormat | undefined): string {
	return format === 'legacy' ? 'davinci-002' : 'gpt-4o-mini-2024-07-18';
}

/**
 * The spec of a model id: exact match, else by family prefix (`gpt-4o-mini`, `ft:gpt-4o-…`), so
 * a newer snapshot still gets the right tokenizer. `known` says whether the id was listed.
 */
export function modelSpec(id: string): ModelSpec & { known: boolean } {
	const exact = MODELS.find((model) => model.id === id);
	if (exact) return { ...exact, known: true };
	const base = id.startsWith('ft:') ? id.slice(3).split(':')[0] : id;
	const family = MODELS.find(
		(model) => model.id.startsWith(base) || base.startsWith(model.id.replace(/-\d{4}.*$/, ''))
	);
	if (family) return { ...family, id, known: family.id === base };
	const legacy = /^(babbage|davinci)/.test(base);
	const old = /^gpt-3\.5|^gpt-4(-|$)/.test(base);
	return {
		id,
		encoding: old || legacy ? 'cl100k_base' : 'o200k_base',
		contextLimit: old ? 16_385 : legacy ? 16_384 : 65_536,
		formats: legacy ? ['legacy'] : CHAT,
		images: false,
		pricePerMillion: 0,
		known: false
	};
}

/** USD per 1M trained tokens by model id; the user's edits override the defaults. */
export type PriceTable = Record<string, number>;

export function defaultPrices(): PriceTable {
	return Object.fromEntries(MODELS.map((model) => [model.id, model.pricePerMillion]));
}
