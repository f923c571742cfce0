/**
 * Chat messages at the import boundary. The valibot schemas below are the contract (OpenAI's
 * chat message as a fine-tuning line carries it) and write every rejection reason; the hand
 * check `readMessage` is the same contract written out for speed (about 15× faster than the
 * schema on the hot path), and only when it fails does the schema run to say why.
 * `messages.spec.ts` keeps the two in agreement.
 */
import * as v from 'valibot';
import type { ChatMessage, ContentPart, Role, ToolCall } from '../types';
import { isPlainObject, kindOf, show } from './describe';

export const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

const ROLE_LIST = 'system, developer, user, assistant, tool or function';

export function isRole(value: unknown): value is Role {
	return (
		value === 'user' ||
		value === 'assistant' ||
		value === 'system' ||
		value === 'tool' ||
		value === 'developer' ||
		value === 'function'
	);
}

/** Messages for object schemas: a missing key and a non-object read differently. */
function objectMessage(what: string) {
	return (issue: v.BaseIssue<unknown>) =>
		issue.expected?.startsWith('"')
			? `missing ${issue.expected}`
			: `expected ${what}, got ${kindOf(issue.input)}`;
}

function stringMessage(issue: v.BaseIssue<unknown>) {
	return `expected a string, got ${kindOf(issue.input)}`;
}

export const toolCallSchema = v.object(
	{
		id: v.string(stringMessage),
		type: v.literal('function', (issue) => `${show(issue.input)} is not "function"`),
		function: v.object(
			{
				name: v.string(stringMessage),
				arguments: v.string(
					(issue) =>
						`expected a JSON string, got ${kindOf(issue.input)} (OpenAI wants the arguments JSON-encoded)`
				)
			},
			objectMessage('an object {name, arguments}')
		)
	},
	objectMessage('a tool call object {id, type, function}')
);

export const contentPartSchema = v.looseObject(
	{ type: v.string(stringMessage) },
	objectMessage('a content part object with a "type"')
);

const contentSchema = v.union(
	[v.string(), v.array(contentPartSchema)],
	(issue) => `expected a string, an array of content parts or null, got ${kindOf(issue.input)}`
);

export const chatMessageSchema = v.pipe(
	v.object(
		{
			role: v.picklist(ROLES, (issue) =>
				typeof issue.input === 'string'
					? `${show(issue.input)} is not a role (expected ${ROLE_LIST})`
					: `expected a role (${ROLE_LIST}), got ${kindOf(issue.input)}`
			),
			content: v.optional(v.nullable(contentSchema), null),
			name: v.nullish(v.string(stringMessage)),
			tool_calls: v.nullish(
				v.array(
					toolCallSchema,
					(issue) => `expected an array of tool calls, got ${kindOf(issue.input)}`
				)
			),
			tool_call_id: v.nullish(v.string(stringMessage)),
			weight: v.nullish(v.picklist([0, 1], (issue) => `${show(issue.input)} is not 0 or 1`))
		},
		objectMessage('a message object {role, content}')
	),
	v.check(
		(m) => m.content !== null || (m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0),
		'has no content (only an assistant message with tool_calls may leave it out)'
	)
);

export type ChatMessageInput = v.InferOutput<typeof chatMessageSchema>;

function isToolCall(value: unknown): boolean {
	if (!isPlainObject(value) || typeof value.id !== 'string' || value.type !== 'function')
		return false;
	const fn = value.function;
	return isPlainObject(fn) && typeof fn.name === 'string' && typeof fn.arguments === 'string';
}

function copyToolCall(value: Record<string, unknown>): ToolCall {
	const fn = value.function as Record<string, unknown>;
	return {
		id: value.id as string,
		type: 'function',
		function: { name: fn.name as string, arguments: fn.arguments as string }
	};
}

/**
 * The fast path: a message as the contract wants it (unknown keys dropped, a missing content
 * made null, null optional fields left out), or null when anything is off.
 */
export function readMessage(raw: unknown): ChatMessage | null {
	if (!isPlainObject(raw)) return null;
	const role = raw.role;
	if (!isRole(role)) return null;
	let content = raw.content;
	if (content === undefined) content = null;
	else if (content !== null && typeof content !== 'string') {
		if (!Array.isArray(content)) return null;
		for (const part of content) {
			if (!isPlainObject(part) || typeof part.type !== 'string') return null;
		}
	}
	const message: ChatMessage = { role, content: content as string | ContentPart[] | null };
	const { name, tool_calls: toolCalls, tool_call_id: toolCallId, weight } = raw;
	if (name != null) {
		if (typeof name !== 'string') return null;
		message.name = name;
	}
	if (toolCalls != null) {
		if (!Array.isArray(toolCalls)) return null;
		const calls: ToolCall[] = [];
		for (const call of toolCalls) {
			if (!isToolCall(call)) return null;
			calls.push(copyToolCall(call as Record<string, unknown>));
		}
		message.tool_calls = calls;
	}
	if (toolCallId != null) {
		if (typeof toolCallId !== 'string') return null;
		message.tool_call_id = toolCallId;
	}
	if (weight != null) {
		if (weight !== 0 && weight !== 1) return null;
		message.weight = weight;
	}
	if (message.content === null && !(role === 'assistant' && (message.tool_calls?.length ?? 0) > 0))
		return null;
	return message;
}

/** The schema's output in the stored shape (nulls of optional fields left out). */
function fromSchemaOutput(m: ChatMessageInput): ChatMessage {
	const message: ChatMessage = {
		role: m.role,
		content: m.content as string | ContentPart[] | null
	};
	if (m.name != null) message.name = m.name;
	if (m.tool_calls != null) message.tool_calls = m.tool_calls.map((call) => ({ ...call }));
	if (m.tool_call_id != null) message.tool_call_id = m.tool_call_id;
	if (m.weight != null) message.weight = m.weight;
	return message;
}

function pathOf(prefix: string, path: v.IssuePathItem[] | undefined): string {
	let out = prefix;
	for (const item of path ?? []) {
		const key = item.key;
		out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
	}
	return out;
}

/**
 * Unions report on themselves; a branch that got deeper into the value says more. Paths of a
 * union's sub-issues start at the union's value, so they are joined to its path.
 */
function deepestIssue(issue: v.BaseIssue<unknown>): { path: v.IssuePathItem[]; message: string } {
	let best: { path: v.IssuePathItem[]; message: string } = {
		path: issue.path ?? [],
		message: issue.message
	};
	for (const sub of issue.issues ?? []) {
		const candidate = deepestIssue(sub);
		const path = [...(issue.path ?? []), ...candidate.path];
		if (path.length > best.path.length) best = { path, message: candidate.message };
	}
	return best;
}

export type MessageResult = { ok: true; message: ChatMessage } | { ok: false; reason: string };

/** One message, with a reason that names the field (`messages[2].role: …`) when it is not valid. */
export function parseMessage(raw: unknown, path: string): MessageResult {
	const fast = readMessage(raw);
	if (fast) return { ok: true, message: fast };
	const result = v.safeParse(chatMessageSchema, raw, { abortEarly: true });
	// The fast check is meant to be exactly the schema; should they ever differ, the schema wins.
	if (result.success) return { ok: true, message: fromSchemaOutput(result.output) };
	const issue = deepestIssue(result.issues[0]);
	return { ok: false, reason: `${pathOf(path, issue.path)}: ${issue.message}` };
}

/** LLaMA-Factory's ShareGPT tags (`from`) and what they are in OpenAI's terms. */
const SHAREGPT_ROLES: Record<string, Role> = {
	human: 'user',
	user: 'user',
	gpt: 'assistant',
	assistant: 'assistant',
	model: 'assistant',
	bot: 'assistant',
	chatgpt: 'assistant',
	system: 'system',
	function_call: 'assistant',
	observation: 'tool',
	tool: 'tool'
};

type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * ShareGPT `{from, value}` to `{role, content}`; a `function_call` turn (its value a JSON
 * `{name, arguments}` or a list of them) becomes tool calls, an `observation` a tool message
 * answering the last call.
 */
function fromShareGpt(
	raw: Record<string, unknown>,
	index: number,
	path: string,
	lastCallId: { id: string | undefined }
): Converted {
	const from = raw.from;
	const key = typeof from === 'string' ? from.toLowerCase() : '';
	// Own roles only: "constructor" is not a speaker.
	const role = Object.hasOwn(SHAREGPT_ROLES, key) ? SHAREGPT_ROLES[key] : undefined;
	if (!role)
		return {
			ok: false,
			reason: `${path}.from: ${show(from)} is not a ShareGPT role (expected human, gpt, system, function_call or observation)`
		};
	if (typeof raw.value !== 'string')
		return { ok: false, reason: `${path}.value: expected a string, got ${kindOf(raw.value)}` };
	if (from === 'function_call') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw.value);
		} catch {
			parsed = undefined;
		}
		const calls = Array.isArray(parsed) ? parsed : [parsed];
		const toolCalls: ToolCall[] = [];
		for (const [k, call] of calls.entries()) {
			if (!isPlainObject(call) || typeof call.name !== 'string')
				return {
					ok: false,
					reason: `${path}.value: a function_call must be JSON {"name", "arguments"}`
				};
			const args = call.arguments;
			const id = `call_${index}_${k}`;
			toolCalls.push({
				id,
				type: 'function',
				function: {
					name: call.name,
					arguments: typeof args === 'string' ? args : (JSON.stringify(args ?? {}) ?? '{}')
				}
			});
			lastCallId.id = id;
		}
		return { ok: true, value: { role, content: null, tool_calls: toolCalls } };
	}
	if (role === 'tool')
		return { ok: true, value: { role, content: raw.value, tool_call_id: lastCallId.id } };
	return { ok: true, value: { role, content: raw.value } };
}

export type MessagesResult = { ok: true; messages: ChatMessage[] } | { ok: false; reason: string };

/** An array of messages (OpenAI or ShareGPT style), each validated; `path` names the field. */
export function parseMessages(raw: unknown, path: string): MessagesResult {
	if (!Array.isArray(raw))
		return { ok: false, reason: `${path}: expected an array of messages, got ${kindOf(raw)}` };
	const messages: ChatMessage[] = new Array<ChatMessage>(raw.length);
	const lastCallId: { id: string | undefined } = { id: undefined };
	for (let i = 0; i < raw.length; i++) {
		let item: unknown = raw[i];
		const fast = readMessage(item);
		if (fast) {
			messages[i] = fast;
			continue;
		}
		const itemPath = `${path}[${i}]`;
		if (isPlainObject(item) && item.role === undefined && item.from !== undefined) {
			const converted = fromShareGpt(item, i, itemPath, lastCallId);
			if (!converted.ok) return converted;
			item = converted.value;
		}
		const parsed = parseMessage(item, itemPath);
		if (!parsed.ok) return parsed;
		messages[i] = parsed.message;
	}
	return { ok: true, messages };
}
