/**
 * One OpenAI chat fine-tuning line (`FineTuneChatRequestInput`): `messages`, `tools`,
 * `parallel_tool_calls`, `functions`. Roles and keys follow the line schema: system, user,
 * assistant, tool and function messages (not developer), each with its own keys; `weight` (0 or
 * 1) only on assistant messages. Assistant messages that call tools need no content.
 */
import { isPlainObject, kindOf, listFields, show } from '../import/describe';
import { at, readContent } from './content';
import type { ExampleInfo, LineContext } from './example';
import { checkToolCalls, checkTools, type ToolsInfo } from './tool-calls';
import {
	TOKENS_PER_MESSAGE,
	TOKENS_PER_NAME,
	TOKENS_PER_ROLE,
	TOKENS_REPLY_PRIMING
} from './tokens';

/** Per role, its keys. A Map: a role is user data, and "__proto__" or "constructor" must not find
 * anything in it. */
const KEYS = new Map<string, ReadonlySet<string>>([
	['system', new Set(['role', 'content', 'name'])],
	['user', new Set(['role', 'content', 'name'])],
	[
		'assistant',
		new Set([
			'role',
			'content',
			'refusal',
			'name',
			'audio',
			'tool_calls',
			'function_call',
			'weight'
		])
	],
	['tool', new Set(['role', 'content', 'tool_call_id'])],
	['function', new Set(['role', 'content', 'name'])]
]);

const LINE_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls', 'functions']);

/**
 * A system prompt as a string: its token count comes from the per-file cache, since a file
 * repeats the same few system prompts on every line.
 */
function readSystem(text: string, ctx: LineContext) {
	return { text, tokens: ctx.countRepeated(text), images: 0, present: true };
}

export interface MessagesInfo {
	tokens: number;
	assistantTokens: number;
	/** Assistant messages, and those with weight 1 (or no weight). */
	assistants: number;
	trained: number;
	system: string | null;
	hasUser: boolean;
	lastRole: string | null;
	/** Hash of the normalized text before the last assistant message (see Fingerprint). */
	inputHash: number;
	inputHashHi: number;
	maxCallsPerMessage: number;
	fixable: boolean;
}

/**
 * Checks a list of messages (a chat line's `messages`, a DPO line's `input.messages`). Counts
 * tokens as OpenAI's cookbook does: framing per message, role, name, content, tool calls.
 */
export function checkMessages(
	raw: unknown,
	path: string,
	ctx: LineContext,
	tools: ToolsInfo,
	options: { weights: boolean }
): MessagesInfo | null {
	if (raw === undefined) {
		ctx.findings.error('missing-messages', ctx.line, `${path}: missing`);
		return null;
	}
	if (!Array.isArray(raw)) {
		ctx.findings.error(
			'missing-messages',
			ctx.line,
			`${path}: expected an array of messages, got ${kindOf(raw)}`
		);
		return null;
	}
	if (raw.length === 0) {
		ctx.findings.error(
			'missing-messages',
			ctx.line,
			`${path}: an empty array: an example needs messages`
		);
		return null;
	}
	const info: MessagesInfo = {
		tokens: TOKENS_REPLY_PRIMING,
		assistantTokens: 0,
		assistants: 0,
		trained: 0,
		system: null,
		hasUser: false,
		lastRole: null,
		inputHash: 0,
		inputHashHi: 0,
		maxCallsPerMessage: 0,
		fixable: false
	};
	/** Calls made and not yet answered by a tool message. */
	let open: Set<string> | null = null;
	/** Calls that were open when a later assistant message came: answered never. */
	let unanswered = 0;
	for (let i = 0; i < raw.length; i++) {
		const message: unknown = raw[i];
		ctx.assistantPart = false;
		if (!isPlainObject(message)) {
			ctx.findings.error(
				'invalid-message',
				ctx.line,
				`${at(path, i)}: expected a message object, got ${kindOf(message)}`
			);
			continue;
		}
		const role = message.role;
		const allowed = typeof role === 'string' ? KEYS.get(role) : undefined;
		if (typeof role !== 'string' || allowed === undefined) {
			ctx.findings.error(
				'invalid-role',
				ctx.line,
				role === 'developer'
					? `${at(path, i)}.role: "developer" is not accepted in fine-tuning lines (system, user, assistant, tool, function): use "system"`
					: role === undefined
						? `${at(path, i)}.role: missing`
						: `${at(path, i)}.role: ${show(role)} is not a role (system, user, assistant, tool, function)`
			);
			continue;
		}
		info.lastRole = role;
		let unknown: string[] | null = null;
		for (const key in message) if (!allowed.has(key)) (unknown ??= []).push(key);
		if (unknown)
			ctx.findings.error(
				'unknown-key',
				ctx.line,
				`${at(path, i)}: ${listFields(unknown)} ${unknown.length === 1 ? 'is not a key' : 'are not keys'} of a ${role} message`
			);
		info.tokens += TOKENS_PER_MESSAGE + TOKENS_PER_ROLE;
		if (message.name !== undefined) {
			if (typeof message.name !== 'string' || message.name === '')
				ctx.findings.error(
					'invalid-name',
					ctx.line,
					`${at(path, i)}.name: expected a non-empty string, got ${show(message.name)}`
				);
			else info.tokens += ctx.count(message.name) + TOKENS_PER_NAME;
		}
		// From here on, in an assistant message, every text counted is trained on.
		ctx.assistantPart = role === 'assistant';
		const content =
			role === 'system' && typeof message.content === 'string'
				? readSystem(message.content, ctx)
				: readContent(message.content, role, path, i, ctx);
		info.tokens += content.tokens;
		// The system prompt is left out of the text compared across examples: it is shared by
		// design, and would make every pair of short examples look alike.
		if (role === 'assistant') {
			info.inputHash = ctx.fp.hash();
			info.inputHashHi = ctx.fp.hashHi;
		}
		if (role !== 'system') {
			ctx.fp.feedBreak();
			ctx.fp.feed(role);
			ctx.fp.feedBreak();
			ctx.fp.feed(content.text);
		}

		if (role === 'system') {
			if (info.system === null) info.system = content.text;
		} else if (role === 'user') info.hasUser = true;

		if (role === 'assistant') {
			info.assistants++;
			if (open && open.size > 0) {
				unanswered += open.size;
				open.clear();
			}
			let trained = true;
			if (message.weight !== undefined) {
				if (!options.weights)
					ctx.findings.error(
						'invalid-weight',
						ctx.line,
						`${at(path, i)}.weight: weights belong in supervised (chat) lines only`
					);
				else if (message.weight !== 0 && message.weight !== 1)
					ctx.findings.error(
						'invalid-weight',
						ctx.line,
						`${at(path, i)}.weight: ${show(message.weight)} is not 0 or 1`
					);
				else trained = message.weight === 1;
			}
			let calls = 0;
			let callTokens = 0;
			if (message.tool_calls !== undefined && message.tool_calls !== null) {
				const state = { fixable: false };
				const result = checkToolCalls(message.tool_calls, path, i, ctx, tools, state);
				if (state.fixable) info.fixable = true;
				calls = result.count;
				callTokens = result.tokens;
				for (const id of result.ids) (open ??= new Set()).add(id);
			}
			if (message.function_call !== undefined && message.function_call !== null) {
				ctx.findings.warnLine(
					'deprecated-function-call',
					ctx.line,
					(n) =>
						`${n} assistant message${n === 1 ? ' uses' : 's use'} the deprecated function_call: use tool_calls`
				);
				const fc = message.function_call;
				if (!isPlainObject(fc) || typeof fc.name !== 'string')
					ctx.findings.error(
						'invalid-tool-call',
						ctx.line,
						`${at(path, i)}.function_call: expected {name, arguments}`
					);
				else {
					calls++;
					callTokens += ctx.count(fc.name);
					if (typeof fc.arguments === 'string') callTokens += ctx.count(fc.arguments);
				}
			}
			info.maxCallsPerMessage = Math.max(info.maxCallsPerMessage, calls);
			info.tokens += callTokens;
			const tokens = content.tokens + callTokens;
			info.assistantTokens += tokens;
			if (trained) info.trained++;
			if (!content.present && calls === 0)
				ctx.findings.error(
					'missing-content',
					ctx.line,
					`${at(path, i)}: an assistant message needs content, tool_calls or function_call`
				);
			else if (calls === 0 && typeof message.content === 'string' && blank(content.text))
				ctx.findings.error(
					'empty-content',
					ctx.line,
					`${at(path, i)}.content: empty: the model would learn to say nothing`
				);
		} else if (role === 'tool') {
			if (!content.present)
				ctx.findings.error(
					'missing-content',
					ctx.line,
					`${at(path, i)}.content: missing (a tool message carries the tool's result)`
				);
			const id = message.tool_call_id;
			if (typeof id !== 'string' || id === '') {
				ctx.findings.error(
					'missing-tool-call-id',
					ctx.line,
					`${at(path, i)}.tool_call_id: ${id === undefined ? 'missing' : `expected a string, got ${kindOf(id)}`}`
				);
			} else {
				info.tokens += ctx.count(id);
				if (!open?.delete(id))
					ctx.findings.error(
						'unknown-tool-call-id',
						ctx.line,
						`${at(path, i)}.tool_call_id: "${id}" answers no earlier tool call of this example`
					);
			}
		} else if (role === 'function') {
			if (typeof message.name !== 'string')
				ctx.findings.error(
					'invalid-name',
					ctx.line,
					`${at(path, i)}.name: a function message needs the function's name`
				);
			if (content.present && typeof message.content !== 'string')
				ctx.findings.error(
					'invalid-content',
					ctx.line,
					`${at(path, i)}.content: a function message's content is a string`
				);
		} else {
			if (!content.present)
				ctx.findings.error(
					'missing-content',
					ctx.line,
					`${at(path, i)}.content: missing (a ${role} message needs content)`
				);
			else if (blank(content.text) && content.images === 0)
				ctx.findings.warnLine(
					'empty-content',
					ctx.line,
					(n) => `${n} example${n === 1 ? ' has' : 's have'} an empty system or user message`
				);
			if (role === 'system' && Array.isArray(message.content)) {
				const notText = message.content.some(
					(part: unknown) => isPlainObject(part) && part.type !== 'text'
				);
				if (notText)
					ctx.findings.error(
						'invalid-content-part',
						ctx.line,
						`${at(path, i)}.content: system messages take text parts only`
					);
			}
		}
	}
	ctx.assistantPart = false;
	if (unanswered > 0)
		ctx.findings.warnLine(
			'unanswered-tool-call',
			ctx.line,
			(n) =>
				`${n} example${n === 1 ? ' has' : 's have'} tool calls that no tool message answers before the next assistant turn`
		);
	return info;
}

/**
 * Whether a text is only whitespace (as `/\S/` sees it). Nearly every text starts with a
 * printable ASCII character, which settles it without running the regex.
 */
function blank(text: string): boolean {
	if (text.length === 0) return true;
	const c = text.charCodeAt(0);
	if (c > 32 && c < 127) return false;
	return !/\S/.test(text);
}

const trailingMessages = (n: number) =>
	`${n} example${n === 1 ? ' ends' : 's end'} after the last assistant reply: the messages after it teach nothing`;

/** Checks one chat line; null when it is too broken to count. */
export function checkChatLine(
	value: Record<string, unknown>,
	ctx: LineContext
): ExampleInfo | null {
	let extra: string[] | null = null;
	for (const key in value) if (!LINE_KEYS.has(key)) (extra ??= []).push(key);
	if (extra) {
		const fields = extra;
		ctx.findings.warnLine(
			'unknown-field',
			ctx.line,
			(n) =>
				`${n} line${n === 1 ? ' has' : 's have'} fields OpenAI's chat line schema does not define (e.g. ${listFields(fields, 3)}): remove them before uploading`
		);
	}
	const tools = checkTools(value.tools, 'tools', ctx);
	if (value.functions !== undefined)
		ctx.findings.warnLine(
			'deprecated-functions',
			ctx.line,
			(n) => `${n} line${n === 1 ? ' uses' : 's use'} the deprecated "functions": use "tools"`
		);
	const parallel = value.parallel_tool_calls;
	if (parallel !== undefined && typeof parallel !== 'boolean')
		ctx.findings.error(
			'invalid-parallel-tool-calls',
			ctx.line,
			`parallel_tool_calls: expected a boolean, got ${kindOf(parallel)}`
		);
	const info = checkMessages(value.messages, 'messages', ctx, tools, { weights: true });
	if (!info) return null;
	if (parallel === false && info.maxCallsPerMessage > 1)
		ctx.findings.error(
			'parallel-calls-disabled',
			ctx.line,
			`parallel_tool_calls is false, but an assistant message makes ${info.maxCallsPerMessage} calls`
		);
	if (info.assistants === 0)
		ctx.findings.error(
			'no-assistant',
			ctx.line,
			'messages: no assistant message: nothing to train on'
		);
	else if (info.trained === 0)
		ctx.findings.error(
			'nothing-to-train',
			ctx.line,
			'messages: every assistant message has weight 0: nothing to train on'
		);
	else if (info.lastRole !== 'assistant')
		ctx.findings.warnLine('trailing-messages', ctx.line, trailingMessages);
	return {
		tokens: info.tokens + tools.tokens,
		assistantTokens: info.assistantTokens,
		messages: (value.messages as unknown[]).length,
		system: info.system,
		hasUser: info.hasUser,
		inputHash: info.inputHash,
		inputHashHi: info.inputHashHi,
		argumentsFixable: info.fixable
	};
}
