/**
 * Export writers: each turns examples (or preference pairs) into training-file lines, one JSON
 * string per line without the newline, as a generator, so a 100,000-example export never exists
 * as one string. Formats: OpenAI chat SFT, OpenAI DPO, legacy prompt/completion, and the Hugging
 * Face TRL conventions (`messages`; `prompt`/`chosen`/`rejected`).
 */
import { messageText } from '../log-text';
import {
	asAssistant,
	cleanMessage,
	withSystemPrompt,
	type ExportExample,
	type ExportPair
} from './messages';

export type ExportFormat = 'openai-sft' | 'openai-dpo' | 'legacy' | 'trl-sft' | 'trl-preference';

export const EXPORT_FORMATS: readonly {
	id: ExportFormat;
	label: string;
	pairs: boolean;
	extension: string;
}[] = [
	{ id: 'openai-sft', label: 'OpenAI chat (SFT)', pairs: false, extension: 'sft.jsonl' },
	{ id: 'openai-dpo', label: 'OpenAI preference (DPO)', pairs: true, extension: 'dpo.jsonl' },
	{ id: 'legacy', label: 'Legacy prompt/completion', pairs: false, extension: 'legacy.jsonl' },
	{ id: 'trl-sft', label: 'TRL messages', pairs: false, extension: 'trl-sft.jsonl' },
	{
		id: 'trl-preference',
		label: 'TRL prompt/chosen/rejected',
		pairs: true,
		extension: 'trl-dpo.jsonl'
	}
];

export interface SftOptions {
	systemPrompt?: string;
	/**
	 * Multi-turn examples: 'train' leaves earlier assistant turns as they are (OpenAI trains on
	 * every assistant message); 'skip' gives them `weight: 0` so only the final reply is learned.
	 */
	earlierTurns?: 'train' | 'skip';
}

export function* openAiSftLines(
	examples: Iterable<ExportExample>,
	options: SftOptions = {}
): Generator<string> {
	for (const example of examples) {
		const input = withSystemPrompt(example.input, options.systemPrompt);
		const skip = options.earlierTurns === 'skip';
		const messages = input.map((m) =>
			cleanMessage(m, skip && m.role === 'assistant' ? 0 : undefined)
		);
		messages.push(
			cleanMessage(
				asAssistant(example.output),
				skip && input.some((m) => m.role === 'assistant') ? 1 : undefined
			)
		);
		const line: Record<string, unknown> = { messages };
		if (example.tools && example.tools.length > 0) line.tools = example.tools;
		if (example.parallelToolCalls !== undefined && example.tools?.length)
			line.parallel_tool_calls = example.parallelToolCalls;
		yield JSON.stringify(line);
	}
}

export function* openAiDpoLines(
	pairs: Iterable<ExportPair>,
	options: { systemPrompt?: string } = {}
): Generator<string> {
	for (const pair of pairs) {
		const input: Record<string, unknown> = {
			messages: withSystemPrompt(pair.input, options.systemPrompt).map((m) => cleanMessage(m))
		};
		if (pair.tools && pair.tools.length > 0) {
			input.tools = pair.tools;
			if (pair.parallelToolCalls !== undefined) input.parallel_tool_calls = pair.parallelToolCalls;
		}
		yield JSON.stringify({
			input,
			preferred_output: [cleanMessage(asAssistant(pair.preferred))],
			non_preferred_output: [cleanMessage(asAssistant(pair.rejected))]
		});
	}
}

export interface LegacyOptions {
	systemPrompt?: string;
	/** Ends every prompt, so the model knows where the completion starts (prepare_data's advice). */
	separator?: string;
	/** Ends every completion; pass it as `stop` when using the model. */
	stop?: string;
}

export const LEGACY_SEPARATOR = '\n\n###\n\n';
export const LEGACY_STOP = ' END';

/** The input as prompt text: a lone user message as it is, a conversation as "role: text" lines. */
export function promptText(input: readonly ExportExample['input'][number][]): string {
	if (input.length === 1 && input[0].role === 'user') return messageText(input[0]);
	return input
		.map((m) => `${m.role === 'developer' ? 'system' : m.role}: ${messageText(m)}`)
		.join('\n');
}

export function* legacyLines(
	examples: Iterable<ExportExample>,
	options: LegacyOptions = {}
): Generator<string> {
	const separator = options.separator ?? LEGACY_SEPARATOR;
	const stop = options.stop ?? LEGACY_STOP;
	for (const example of examples) {
		const prompt = promptText(withSystemPrompt(example.input, options.systemPrompt)) + separator;
		const text = messageText(example.output).trim();
		yield JSON.stringify({ prompt, completion: ` ${text}${stop}` });
	}
}

export function* trlSftLines(
	examples: Iterable<ExportExample>,
	options: { systemPrompt?: string } = {}
): Generator<string> {
	for (const example of examples) {
		const messages = [
			...withSystemPrompt(example.input, options.systemPrompt),
			asAssistant(example.output)
		].map((m) => cleanMessage(m));
		const line: Record<string, unknown> = { messages };
		if (example.tools && example.tools.length > 0) line.tools = example.tools;
		yield JSON.stringify(line);
	}
}

export function* trlPreferenceLines(
	pairs: Iterable<ExportPair>,
	options: { systemPrompt?: string } = {}
): Generator<string> {
	for (const pair of pairs) {
		const line: Record<string, unknown> = {
			prompt: withSystemPrompt(pair.input, options.systemPrompt).map((m) => cleanMessage(m)),
			chosen: [cleanMessage(asAssistant(pair.preferred))],
			rejected: [cleanMessage(asAssistant(pair.rejected))]
		};
		if (pair.tools && pair.tools.length > 0) line.tools = pair.tools;
		yield JSON.stringify(line);
	}
}

/** The line format the validator checks an export as (TRL preference lines are not OpenAI's). */
export function validatedAs(format: ExportFormat): 'openai-chat' | 'openai-dpo' | 'legacy' | null {
	switch (format) {
		case 'openai-sft':
		case 'trl-sft':
			return 'openai-chat';
		case 'openai-dpo':
			return 'openai-dpo';
		case 'legacy':
			return 'legacy';
		default:
			return null;
	}
}
