/**
 * Function calling in training lines: `tools` definitions, assistant `tool_calls`, and the
 * `tool` messages that answer them. The checks OpenAI's old validators lack: `arguments` must be
 * a JSON string that decodes to an object (an object as-is, or a string encoded twice, is the
 * usual export bug), and every `tool_call_id` must answer a call made earlier in the example.
 */
import { isPlainObject, kindOf, show } from '../import/describe';
import type { LineContext } from './example';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ToolsInfo {
	/** Function names the example defines; null when it has no `tools`. */
	names: Set<string> | null;
	tokens: number;
}

/** Checks a `tools` array (top level of a chat line, or DPO `input.tools`). */
export function checkTools(raw: unknown, path: string, ctx: LineContext): ToolsInfo {
	if (raw === undefined) return { names: null, tokens: 0 };
	if (!Array.isArray(raw)) {
		ctx.findings.error('invalid-tools', ctx.line, `${path}: expected an array, got ${kindOf(raw)}`);
		return { names: null, tokens: 0 };
	}
	const names = new Set<string>();
	for (let i = 0; i < raw.length; i++) {
		const tool: unknown = raw[i];
		if (!isPlainObject(tool)) {
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}]: expected an object, got ${kindOf(tool)}`
			);
			continue;
		}
		if (tool.type !== 'function') {
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].type: ${show(tool.type)} is not "function"`
			);
		}
		const fn = tool.function;
		if (!isPlainObject(fn)) {
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].function: expected {name, parameters?}, got ${kindOf(fn)}`
			);
			continue;
		}
		if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].function.name: ${show(fn.name)} is not a function name (a-z, A-Z, 0-9, _ and -, up to 64)`
			);
			continue;
		}
		if (names.has(fn.name))
			ctx.findings.error(
				'duplicate-tool-name',
				ctx.line,
				`${path}[${i}]: a second function named "${fn.name}"`
			);
		names.add(fn.name);
		if (fn.parameters !== undefined && !isPlainObject(fn.parameters))
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].function.parameters: expected a JSON Schema object, got ${kindOf(fn.parameters)}`
			);
		if (fn.description !== undefined && typeof fn.description !== 'string')
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].function.description: expected a string`
			);
		if (fn.strict !== undefined && fn.strict !== null && typeof fn.strict !== 'boolean')
			ctx.findings.error(
				'invalid-tools',
				ctx.line,
				`${path}[${i}].function.strict: expected a boolean`
			);
	}
	return { names, tokens: ctx.toolsTokens(raw) };
}

export interface CallsInfo {
	ids: string[];
	tokens: number;
	count: number;
}

/** What is wrong with one `arguments` value, or null when it is a JSON string of an object. */
export function argumentsProblem(value: unknown): string | null {
	if (typeof value !== 'string') {
		return isPlainObject(value)
			? 'an object, not a JSON string: OpenAI wants the arguments JSON-encoded (a fix can encode them)'
			: `expected a JSON string holding an object, got ${kindOf(value)}`;
	}
	let decoded: unknown;
	try {
		decoded = JSON.parse(value);
	} catch {
		return `${show(value)} is not valid JSON`;
	}
	if (typeof decoded === 'string') {
		let inner: unknown;
		try {
			inner = JSON.parse(decoded);
		} catch {
			return 'a JSON string holding a string, not an object';
		}
		return isPlainObject(inner)
			? 'encoded twice: a JSON string of a JSON string (a fix can decode it once)'
			: 'a JSON string holding a string, not an object';
	}
	if (!isPlainObject(decoded)) return `decodes to ${kindOf(decoded)}, not an object`;
	return null;
}

/** Whether a fix can turn these arguments into a JSON string of an object. */
export function argumentsFixable(value: unknown): boolean {
	if (isPlainObject(value)) return true;
	if (typeof value !== 'string') return false;
	try {
		const once: unknown = JSON.parse(value);
		return typeof once === 'string' && isPlainObject(JSON.parse(once));
	} catch {
		return false;
	}
}

/** The arguments as OpenAI wants them, for the re-encode fix (unchanged when not fixable). */
export function fixArguments(value: unknown): unknown {
	if (isPlainObject(value)) return JSON.stringify(value);
	if (typeof value === 'string' && argumentsFixable(value)) return JSON.parse(value) as string;
	return value;
}

/** Checks an assistant message's `tool_calls`; `fixable` is set when a fix would mend them. */
export function checkToolCalls(
	raw: unknown,
	messages: string,
	index: number,
	ctx: LineContext,
	tools: ToolsInfo,
	state: { fixable: boolean }
): CallsInfo {
	const info: CallsInfo = { ids: [], tokens: 0, count: 0 };
	if (!Array.isArray(raw)) {
		ctx.findings.error(
			'invalid-tool-call',
			ctx.line,
			`${messages}[${index}].tool_calls: expected an array of tool calls, got ${kindOf(raw)}`
		);
		return info;
	}
	if (raw.length === 0) {
		ctx.findings.error(
			'invalid-tool-call',
			ctx.line,
			`${messages}[${index}].tool_calls: an empty array (leave tool_calls out instead)`
		);
		return info;
	}
	for (let i = 0; i < raw.length; i++) {
		const call: unknown = raw[i];
		if (!isPlainObject(call)) {
			ctx.findings.error(
				'invalid-tool-call',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}]: expected {id, type, function}, got ${kindOf(call)}`
			);
			continue;
		}
		info.count++;
		if (typeof call.id !== 'string' || call.id === '') {
			ctx.findings.error(
				'invalid-tool-call',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].id: expected a non-empty string, got ${show(call.id)}`
			);
		} else {
			if (info.ids.includes(call.id))
				ctx.findings.error(
					'duplicate-tool-call-id',
					ctx.line,
					`${messages}[${index}].tool_calls[${i}].id: "${call.id}" is used twice in one message`
				);
			info.ids.push(call.id);
			info.tokens += ctx.count(call.id);
		}
		if (call.type !== 'function')
			ctx.findings.error(
				'invalid-tool-call',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].type: ${show(call.type)} is not "function"`
			);
		const fn = call.function;
		if (!isPlainObject(fn)) {
			ctx.findings.error(
				'invalid-tool-call',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].function: expected {name, arguments}, got ${kindOf(fn)}`
			);
			continue;
		}
		if (typeof fn.name !== 'string' || fn.name === '') {
			ctx.findings.error(
				'invalid-tool-call',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].function.name: expected a function name, got ${show(fn.name)}`
			);
		} else {
			// A file calls the same few functions over and over: their names come from the cache.
			info.tokens += ctx.countRepeated(fn.name);
			ctx.fp.feedBreak();
			ctx.fp.feed(fn.name);
			if (tools.names && !tools.names.has(fn.name))
				ctx.findings.warnLine(
					'unknown-function',
					ctx.line,
					(n) => `${n} example${n === 1 ? ' calls' : 's call'} a function that is not in its tools`
				);
		}
		if (fn.arguments === undefined) {
			ctx.findings.error(
				'invalid-arguments',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].function.arguments: missing`
			);
			continue;
		}
		const problem = argumentsProblem(fn.arguments);
		if (problem) {
			ctx.findings.error(
				'invalid-arguments',
				ctx.line,
				`${messages}[${index}].tool_calls[${i}].function.arguments: ${problem}`
			);
			if (argumentsFixable(fn.arguments)) state.fixable = true;
		}
		if (typeof fn.arguments === 'string') {
			info.tokens += ctx.count(fn.arguments);
			ctx.fp.feedBreak();
			ctx.fp.feed(fn.arguments);
		}
	}
	return info;
}
