/**
 * Which log format a parsed JSON record is, and the logs and feedback it holds (DESIGN.md,
 * "Formats"). Everything a record carries beyond what a log needs is kept in `extra`, so an
 * import never silently drops a field.
 */
import type { ChatMessage, FormatId, ParsedFeedback, ParsedLog, ParsedRecord } from '../types';
import { isPlainObject, kindOf, listFields } from './describe';
import { readFeedback, readOutput, type FeedbackResult } from './feedback';
import { parseMessages } from './messages';

export type DetectResult =
	| { ok: true; record: ParsedRecord }
	| {
			ok: false;
			reason: string;
			/** Valid JSON object of a shape no format matches: a field mapping could import it. */
			unknownShape?: true;
	  };

/**
 * Deepest nesting kept as-is (tools, content parts, extra fields). Parsing survives any depth,
 * but storing (structured clone) and hashing do not, so deeper records are rejected here.
 */
export const MAX_DEPTH = 100;

/** Fields that carry the output next to a prompt or a chat, in the order they are looked for. */
export const OUTPUT_FIELDS = ['completion', 'output', 'response', 'answer'] as const;

const FEEDBACK_FIELDS = [
	'label',
	'kto_tag',
	'rating',
	'feedback',
	'comment',
	'correction',
	'ideal'
];

/** Top-level fields every format reads the same way: generation params and times. */
const META_FIELDS = new Map<string, 'param' | 'time'>([
	['temperature', 'param'],
	['top_p', 'param'],
	['max_tokens', 'param'],
	['max_completion_tokens', 'param'],
	['frequency_penalty', 'param'],
	['presence_penalty', 'param'],
	['seed', 'param'],
	['stop', 'param'],
	['n', 'param'],
	['created', 'time'],
	['created_at', 'time'],
	['createdAt', 'time'],
	['timestamp', 'time']
]);

/** Fields each format consumes itself (besides the input/output keys it found). */
const CHAT_FIELDS = new Set(['tools', 'parallel_tool_calls', 'system', ...FEEDBACK_FIELDS]);
const PROMPT_FIELDS = new Set(['system', ...FEEDBACK_FIELDS]);
const DPO_FIELDS = new Set(['input', 'preferred_output', 'non_preferred_output']);
const PREFERENCE_FIELDS = new Set(['chosen', 'rejected', 'tools', 'system']);

type Fail = { ok: false; reason: string };

function fail(reason: string): Fail {
	return { ok: false, reason };
}

/**
 * Reads one parsed JSON value as a log record, or says precisely why it is not one (the reason
 * names the field: `messages[2].role: "bot" is not a role …`).
 */
export function detectRecord(value: unknown): DetectResult {
	if (!isPlainObject(value))
		return fail(`valid JSON, but ${kindOf(value)}, not an object: a log is one JSON object`);
	if (value.preferred_output !== undefined || value.non_preferred_output !== undefined)
		return readDpo(value);
	// Both, since a lone `rejected` may be some other flag of a log.
	if (value.chosen !== undefined && value.rejected !== undefined) return readPreference(value);
	if (value.messages !== undefined || value.conversations !== undefined) return readChat(value);
	if (value.prompt !== undefined) return readPromptLog(value, 'prompt');
	if (value.input !== undefined) {
		if (isPlainObject(value.input) && value.input.messages !== undefined)
			return fail('has input.messages but no preferred_output/non_preferred_output (OpenAI DPO)');
		if (outputField(value)) return readPromptLog(value, 'input');
	}
	return {
		ok: false,
		unknownShape: true,
		reason: `valid JSON, but not a log format Tuneloop knows (fields: ${listFields(Object.keys(value))}); map its fields in the import dialog`
	};
}

function outputField(value: Record<string, unknown>): string | undefined {
	for (const key of OUTPUT_FIELDS) if (value[key] != null) return key;
	return undefined;
}

function hasFeedbackFields(value: Record<string, unknown>): boolean {
	for (const key of FEEDBACK_FIELDS) if (value[key] != null) return true;
	return false;
}

function source(value: Record<string, unknown>, key: string) {
	return value[key] === undefined ? undefined : { value: value[key], name: key };
}

function feedbackOf(value: Record<string, unknown>): FeedbackResult {
	// Most lines carry no feedback: skip building sources for them.
	if (!hasFeedbackFields(value)) return { ok: true, feedback: [] };
	return readFeedback({
		label: source(value, 'label') ?? source(value, 'kto_tag'),
		rating: source(value, 'rating'),
		feedback: source(value, 'feedback'),
		comment: source(value, 'comment'),
		correction: source(value, 'correction') ?? source(value, 'ideal')
	});
}

type ToolsResult = { ok: true; tools: unknown[] | undefined } | Fail;

/** `tools` as an array; LLaMA-Factory writes it as a JSON string of one. */
function readTools(raw: unknown, path: string): ToolsResult {
	if (raw == null) return { ok: true, tools: undefined };
	let tools = raw;
	if (typeof tools === 'string') {
		if (tools.trim() === '') return { ok: true, tools: undefined };
		try {
			tools = JSON.parse(tools);
		} catch {
			return fail(`${path}: a string that is not a JSON array of tools`);
		}
	}
	if (!Array.isArray(tools))
		return fail(`${path}: expected an array of tools, got ${kindOf(tools)}`);
	for (let i = 0; i < tools.length; i++) {
		if (!isPlainObject(tools[i]))
			return fail(`${path}[${i}]: expected a tool object, got ${kindOf(tools[i])}`);
	}
	return { ok: true, tools };
}

/** Milliseconds since epoch from seconds, milliseconds or an ISO date; undefined if unreadable. */
export function readTime(raw: unknown): number | undefined {
	let value = raw;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (/^\d+(\.\d+)?$/.test(trimmed)) value = Number(trimmed);
		else {
			const ms = Date.parse(trimmed);
			return Number.isNaN(ms) ? undefined : ms;
		}
	}
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
	// Seconds until the year 5138; anything larger is already milliseconds.
	return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
}

/**
 * Builds the logs' common fields (model, params, metadata, createdAt) and `extra` from what the
 * format did not consume.
 */
function withMeta(
	log: Pick<ParsedLog, 'input' | 'output'> & { tools?: unknown[]; parallelToolCalls?: boolean },
	value: Record<string, unknown>,
	consumed: ReadonlySet<string>,
	key1?: string,
	key2?: string
): ParsedLog {
	const out: ParsedLog = { input: log.input, output: log.output };
	if (log.tools !== undefined) out.tools = log.tools;
	if (log.parallelToolCalls !== undefined) out.parallelToolCalls = log.parallelToolCalls;
	let extra: Record<string, unknown> | undefined;
	let params: Record<string, unknown> | undefined;
	for (const key in value) {
		if (key === key1 || key === key2 || consumed.has(key)) continue;
		const item = value[key];
		const meta = META_FIELDS.get(key);
		if (key === 'model' && typeof item === 'string') out.model = item;
		else if (key === 'metadata' && isPlainObject(item)) out.metadata = item;
		else if (meta === 'param') (params ??= {})[key] = item;
		else if (meta === 'time' && out.createdAt === undefined && readTime(item) !== undefined)
			out.createdAt = readTime(item);
		else (extra ??= {})[key] = item;
	}
	if (params) out.params = params;
	if (extra) out.extra = extra;
	return out;
}

/** Whether any part kept as-is (not rebuilt by validation) is nested deeper than MAX_DEPTH. */
function tooDeep(value: unknown, depth: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (depth >= MAX_DEPTH) return true;
	if (Array.isArray(value)) {
		for (const item of value) if (tooDeep(item, depth + 1)) return true;
	} else {
		for (const key in value) {
			if (tooDeep((value as Record<string, unknown>)[key], depth + 1)) return true;
		}
	}
	return false;
}

function partsTooDeep(messages: ChatMessage[]): boolean {
	for (const m of messages) if (Array.isArray(m.content) && tooDeep(m.content, 2)) return true;
	return false;
}

/** The accepted record, unless some part kept as-is is nested too deep to store. */
export function buildRecord(
	format: FormatId,
	logs: ParsedLog[],
	feedback: ParsedFeedback[]
): DetectResult {
	for (const log of logs) {
		if (
			tooDeep(log.tools, 1) ||
			tooDeep(log.extra, 1) ||
			tooDeep(log.metadata, 1) ||
			tooDeep(log.params, 1) ||
			partsTooDeep(log.input) ||
			partsTooDeep([log.output])
		)
			return fail(`nested more than ${MAX_DEPTH} levels deep: too deep to store`);
	}
	return { ok: true, record: { format, logs, feedback } };
}

function prependSystem(messages: ChatMessage[], system: unknown): ChatMessage[] {
	if (typeof system !== 'string' || system === '' || messages[0]?.role === 'system')
		return messages;
	return [{ role: 'system', content: system }, ...messages];
}

/** OpenAI chat SFT, or a chat with feedback: the last assistant message is the output. */
function readChat(value: Record<string, unknown>): DetectResult {
	const key = value.messages !== undefined ? 'messages' : 'conversations';
	const parsed = parseMessages(value[key], key);
	if (!parsed.ok) return parsed;
	const tools = readTools(value.tools, 'tools');
	if (!tools.ok) return tools;
	const parallel = value.parallel_tool_calls;
	if (parallel != null && typeof parallel !== 'boolean')
		return fail(`parallel_tool_calls: expected a boolean, got ${kindOf(parallel)}`);
	const messages = prependSystem(parsed.messages, value.system);
	let input: ChatMessage[];
	let output: ChatMessage;
	const outKey = outputField(value);
	let extraMessages: ChatMessage[] | undefined;
	if (outKey) {
		const result = readOutput(value[outKey], outKey);
		if (!result.ok) return result;
		input = result.before.length > 0 ? [...messages, ...result.before] : messages;
		output = result.output;
	} else {
		let last = messages.length - 1;
		while (last >= 0 && messages[last].role !== 'assistant') last--;
		if (last < 0) return fail(`${key}: no assistant message to use as the output`);
		input = messages.slice(0, last);
		output = messages[last];
		// Turns after the last assistant reply teach nothing, but they are the user's data.
		if (last < messages.length - 1) extraMessages = messages.slice(last + 1);
	}
	const feedback = feedbackOf(value);
	if (!feedback.ok) return feedback;
	const log = withMeta(
		{
			input,
			output,
			tools: tools.tools,
			parallelToolCalls: typeof parallel === 'boolean' ? parallel : undefined
		},
		value,
		CHAT_FIELDS,
		key,
		outKey
	);
	if (extraMessages) log.extra = { ...log.extra, trailing_messages: extraMessages };
	const format: FormatId = outKey || hasFeedbackFields(value) ? 'feedback-log' : 'openai-chat';
	return buildRecord(format, [log], feedback.feedback);
}

type InputResult = { ok: true; messages: ChatMessage[] } | Fail;

/** A prompt as text (one user message), a list of messages, or a {messages} object. */
function readInput(raw: unknown, path: string): InputResult {
	if (typeof raw === 'string') return { ok: true, messages: [{ role: 'user', content: raw }] };
	if (Array.isArray(raw)) return parseMessages(raw, path);
	if (isPlainObject(raw) && raw.messages !== undefined)
		return parseMessages(raw.messages, `${path}.messages`);
	return fail(`${path}: expected a string or an array of messages, got ${kindOf(raw)}`);
}

/** Legacy {prompt, completion}, or a prompt/input with an output field and feedback. */
function readPromptLog(value: Record<string, unknown>, inputKey: 'prompt' | 'input'): DetectResult {
	const outKey = outputField(value);
	if (!outKey)
		return fail(
			`${inputKey} has no output next to it: expected a completion, output, response or answer field`
		);
	const input = readInput(value[inputKey], inputKey);
	if (!input.ok) return input;
	const output = readOutput(value[outKey], outKey);
	if (!output.ok) return output;
	const feedback = feedbackOf(value);
	if (!feedback.ok) return feedback;
	const messages =
		output.before.length > 0 ? [...input.messages, ...output.before] : input.messages;
	const log = withMeta(
		{ input: prependSystem(messages, value.system), output: output.output },
		value,
		PROMPT_FIELDS,
		inputKey,
		outKey
	);
	const legacy = outKey === 'completion' && inputKey === 'prompt' && !hasFeedbackFields(value);
	return buildRecord(legacy ? 'legacy' : 'feedback-log', [log], feedback.feedback);
}

/** OpenAI DPO: one input, a preferred and a non-preferred assistant message. */
function readDpo(value: Record<string, unknown>): DetectResult {
	const rawInput = value.input;
	if (!isPlainObject(rawInput))
		return fail(`input: expected an object {messages, tools?}, got ${kindOf(rawInput)}`);
	const parsed = parseMessages(rawInput.messages, 'input.messages');
	if (!parsed.ok) return parsed;
	const tools = readTools(rawInput.tools, 'input.tools');
	if (!tools.ok) return tools;
	const parallel = rawInput.parallel_tool_calls;
	const preferred = readOneOutput(value.preferred_output, 'preferred_output');
	if (!preferred.ok) return preferred;
	const rejected = readOneOutput(value.non_preferred_output, 'non_preferred_output');
	if (!rejected.ok) return rejected;
	const base = {
		input: parsed.messages,
		tools: tools.tools,
		parallelToolCalls: typeof parallel === 'boolean' ? parallel : undefined
	};
	const logs = [
		withMeta({ ...base, output: preferred.output }, value, DPO_FIELDS),
		withMeta({ ...base, output: rejected.output }, value, DPO_FIELDS)
	];
	return buildRecord('openai-dpo', logs, [
		{ logIndex: 0, body: { kind: 'pairwise', otherLogIndex: 1, choice: 'this' } }
	]);
}

type OneOutput = { ok: true; output: ChatMessage } | Fail;

/** OpenAI's preferred_output/non_preferred_output: an array of exactly one assistant message. */
function readOneOutput(raw: unknown, path: string): OneOutput {
	if (raw === undefined) return fail(`${path}: missing (an OpenAI DPO line needs both outputs)`);
	if (Array.isArray(raw) && raw.length !== 1)
		return fail(`${path}: expected one assistant message, got ${raw.length}`);
	const result = readOutput(
		Array.isArray(raw) ? raw[0] : raw,
		Array.isArray(raw) ? `${path}[0]` : path
	);
	return result.ok ? { ok: true, output: result.output } : result;
}

/**
 * Preference pairs with `chosen`/`rejected`: TRL's {prompt, chosen, rejected} (text or
 * conversational), its implicit-prompt form (two whole conversations), and LLaMA-Factory's
 * {conversations, chosen, rejected}.
 */
function readPreference(value: Record<string, unknown>): DetectResult {
	const inputKey = ['prompt', 'messages', 'conversations'].find((k) => value[k] !== undefined);
	let prompt: ChatMessage[] = [];
	if (inputKey) {
		const input = readInput(value[inputKey], inputKey);
		if (!input.ok) return input;
		prompt = prependSystem(input.messages, value.system);
	}
	const chosen = readOutput(value.chosen, 'chosen');
	if (!chosen.ok) return chosen;
	const rejected = readOutput(value.rejected, 'rejected');
	if (!rejected.ok) return rejected;
	const tools = readTools(value.tools, 'tools');
	if (!tools.ok) return tools;
	const logs = [chosen, rejected].map((side) =>
		withMeta(
			{ input: [...prompt, ...side.before], output: side.output, tools: tools.tools },
			value,
			PREFERENCE_FIELDS,
			inputKey
		)
	);
	return buildRecord('preference', logs, [
		{ logIndex: 0, body: { kind: 'pairwise', otherLogIndex: 1, choice: 'this' } }
	]);
}
