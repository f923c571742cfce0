/**
 * Readers for files of preferences, line by line (JSONL), for `prefmodel-eval` and benchmarks:
 *
 * - Anthropic HH-RLHF: `{"chosen","rejected"}`, two full transcripts that differ in the last
 *   `\n\nAssistant:` turn, which is the output; everything before it is the input.
 * - OpenAI DPO: `{"input":{"messages":[…]}, "preferred_output":[msg], "non_preferred_output":[msg]}`.
 * - TRL: `{"prompt","chosen","rejected"}`, as strings or as message lists (conversational).
 * - Open Assistant message trees (`oasst`): human ranks of sibling replies give pairs, 👍/👎
 *   emoji votes on replies give pointwise labels.
 *
 * A bad line is reported with its number and why; the good lines still count.
 */
import { DatasetBuilder } from './dataset';
import type { PrefDataset } from './types';

export type PairFormat = 'hh-rlhf' | 'openai-dpo' | 'trl' | 'oasst';

export interface LineError {
	line: number;
	message: string;
}

export interface PairFileResult {
	data: PrefDataset;
	formats: Partial<Record<PairFormat, number>>;
	errors: LineError[];
	lines: number;
}

const ASSISTANT_TURN = '\n\nAssistant:';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message content (string or parts). */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
			.filter(Boolean)
			.join('\n');
	return '';
}

/** A transcript of messages as text: `role: content` lines. */
function messagesText(messages: unknown[], field: string): string {
	return messages
		.map((m, i) => {
			if (!isObject(m) || typeof m.role !== 'string')
				throw new Error(`${field}[${i}] is not a message with a role`);
			return `${m.role}: ${contentText(m.content)}`;
		})
		.join('\n');
}

/** Splits an HH-RLHF transcript into (everything before the last Assistant turn, that turn). */
export function splitHhTranscript(text: string, field: string): { input: string; output: string } {
	const at = text.lastIndexOf(ASSISTANT_TURN);
	if (at < 0) throw new Error(`"${field}" has no "\\n\\nAssistant:" turn`);
	return { input: text.slice(0, at), output: text.slice(at + ASSISTANT_TURN.length).trim() };
}

/** Output text of a TRL/DPO completion: a string, one message, or a list of messages. */
function completionText(value: unknown, field: string): string {
	if (typeof value === 'string') return value;
	if (isObject(value)) return contentText(value.content);
	if (Array.isArray(value)) {
		const texts = value.map((m, i) => {
			if (!isObject(m)) throw new Error(`${field}[${i}] is not a message`);
			return contentText(m.content);
		});
		return texts.join('\n');
	}
	throw new Error(`"${field}" is neither text nor messages`);
}

function readLine(record: Json, builder: DatasetBuilder): PairFormat {
	if ('preferred_output' in record || 'non_preferred_output' in record) {
		const input = record.input;
		if (!isObject(input) || !Array.isArray(input.messages))
			throw new Error('"input.messages" must be a list of messages');
		const prompt = messagesText(input.messages, 'input.messages');
		const chosen = completionText(record.preferred_output, 'preferred_output');
		const rejected = completionText(record.non_preferred_output, 'non_preferred_output');
		builder.pair({ input: prompt, output: chosen }, { input: prompt, output: rejected });
		return 'openai-dpo';
	}
	if ('chosen' in record && 'rejected' in record) {
		if ('prompt' in record) {
			const prompt = record.prompt;
			const input =
				typeof prompt === 'string'
					? prompt
					: Array.isArray(prompt)
						? messagesText(prompt, 'prompt')
						: (() => {
								throw new Error('"prompt" is neither text nor messages');
							})();
			builder.pair(
				{ input, output: completionText(record.chosen, 'chosen') },
				{ input, output: completionText(record.rejected, 'rejected') }
			);
			return 'trl';
		}
		if (typeof record.chosen === 'string' && typeof record.rejected === 'string') {
			const chosen = splitHhTranscript(record.chosen, 'chosen');
			const rejected = splitHhTranscript(record.rejected, 'rejected');
			// The two transcripts share their history; use the chosen one's as the input of both.
			builder.pair(chosen, { input: chosen.input, output: rejected.output });
			return 'hh-rlhf';
		}
		throw new Error('"chosen"/"rejected" without "prompt" must be HH-RLHF transcripts (text)');
	}
	if ('message_tree_id' in record || ('replies' in record && 'role' in record)) {
		const root = isObject(record.prompt) ? record.prompt : record;
		readOasstTree(root, [], builder);
		return 'oasst';
	}
	throw new Error(
		'not a preference line: expected HH-RLHF {chosen, rejected}, OpenAI DPO {input, preferred_output, non_preferred_output}, TRL {prompt, chosen, rejected} or an Open Assistant tree'
	);
}

/** Walks an Open Assistant tree: ranked sibling replies give pairs, emoji votes give thumbs. */
function readOasstTree(node: Json, path: string[], builder: DatasetBuilder): void {
	const role = node.role === 'prompter' ? 'user' : 'assistant';
	const here = [...path, `${role}: ${typeof node.text === 'string' ? node.text : ''}`];
	const replies = Array.isArray(node.replies) ? node.replies.filter(isObject) : [];
	const input = here.join('\n');
	const ranked: { rank: number; text: string }[] = [];
	for (const reply of replies) {
		if (reply.role !== 'assistant' || typeof reply.text !== 'string') continue;
		const example = { input, output: reply.text };
		if (typeof reply.rank === 'number') ranked.push({ rank: reply.rank, text: reply.text });
		const emojis = isObject(reply.emojis) ? reply.emojis : {};
		if (Number(emojis['+1'] ?? 0) > 0) builder.point(example, 1);
		if (Number(emojis['-1'] ?? 0) > 0) builder.point(example, 0);
	}
	// Rank 0 is the best; every pair of ranked siblings is one preference.
	// Every pair of ranked siblings is one preference (a ranking of k answers gives k(k−1)/2).
	for (let i = 0; i < ranked.length; i++)
		for (let j = 0; j < ranked.length; j++)
			if (ranked[i].rank < ranked[j].rank)
				builder.pair({ input, output: ranked[i].text }, { input, output: ranked[j].text });
	for (const reply of replies) readOasstTree(reply, here, builder);
}

/** Reads a JSONL file's text; every line that is not a preference is reported, located. */
export function readPairFile(text: string): PairFileResult {
	const builder = new DatasetBuilder();
	const formats: Partial<Record<PairFormat, number>> = {};
	const errors: LineError[] = [];
	const lines = text.split(/\r?\n/);
	let count = 0;
	lines.forEach((line, index) => {
		if (line.trim() === '') return;
		count++;
		let record: unknown;
		try {
			record = JSON.parse(line);
		} catch (error) {
			errors.push({ line: index + 1, message: `not valid JSON: ${(error as Error).message}` });
			return;
		}
		if (!isObject(record)) {
			errors.push({ line: index + 1, message: 'not a JSON object' });
			return;
		}
		try {
			const format = readLine(record, builder);
			formats[format] = (formats[format] ?? 0) + 1;
		} catch (error) {
			errors.push({ line: index + 1, message: (error as Error).message });
		}
	});
	return { data: builder.build(), formats, errors, lines: count };
}
