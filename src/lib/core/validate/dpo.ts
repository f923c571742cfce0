/**
 * One OpenAI preference (DPO) line: `input` {messages, tools?, parallel_tool_calls?},
 * `preferred_output` and `non_preferred_output`, each an array of exactly one assistant message.
 * The two outputs must differ: a pair of equal answers teaches no preference.
 */
import { canonicalJson } from '../feedback';
import { isPlainObject, kindOf, listFields } from '../import/describe';
import { checkMessages } from './chat';
import type { ExampleInfo, LineContext } from './example';
import { checkTools } from './tool-calls';

const LINE_KEYS = new Set([
	'input',
	'preferred_output',
	'non_preferred_output',
	'preferred_completion',
	'non_preferred_completion'
]);
const INPUT_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls']);

export function checkDpoLine(value: Record<string, unknown>, ctx: LineContext): ExampleInfo | null {
	const extra = Object.keys(value).filter((key) => !LINE_KEYS.has(key));
	if (extra.length > 0)
		ctx.findings.warnLine(
			'unknown-field',
			ctx.line,
			(n) =>
				`${n} line${n === 1 ? ' has' : 's have'} fields OpenAI's preference line schema does not define (e.g. ${listFields(extra, 3)}): remove them before uploading`
		);
	const input = value.input;
	if (!isPlainObject(input)) {
		ctx.findings.error(
			'dpo-missing-input',
			ctx.line,
			`input: expected an object {messages, tools?}, got ${input === undefined ? 'nothing' : kindOf(input)}`
		);
		return null;
	}
	const unknownInput = Object.keys(input).filter((key) => !INPUT_KEYS.has(key));
	if (unknownInput.length > 0)
		ctx.findings.error(
			'unknown-key',
			ctx.line,
			`input: ${listFields(unknownInput)} not keys of a preference input (messages, tools, parallel_tool_calls)`
		);
	if (input.parallel_tool_calls !== undefined && typeof input.parallel_tool_calls !== 'boolean')
		ctx.findings.error(
			'invalid-parallel-tool-calls',
			ctx.line,
			`input.parallel_tool_calls: expected a boolean, got ${kindOf(input.parallel_tool_calls)}`
		);
	const tools = checkTools(input.tools, 'input.tools', ctx);
	const prompt = checkMessages(input.messages, 'input.messages', ctx, tools, { weights: false });
	if (!prompt) return null;
	const inputHash = ctx.fp.hash();
	const inputHashHi = ctx.fp.hashHi;
	if (prompt.lastRole !== 'user')
		ctx.findings.warnLine(
			'dpo-input-not-user-last',
			ctx.line,
			(n) =>
				`${n} preference input${n === 1 ? ' does' : 's do'} not end with a user message: the outputs should answer the user`
		);
	for (const [spec, api] of [
		['preferred_completion', 'preferred_output'],
		['non_preferred_completion', 'non_preferred_output']
	] as const)
		if (value[spec] !== undefined && value[api] === undefined)
			ctx.findings.error(
				'dpo-field-name',
				ctx.line,
				`${spec}: the name in OpenAI's 2025-04-29 line schema, but the fine-tuning API reads "${api}": rename the field`
			);
	const preferred = checkOutput(value.preferred_output, 'preferred_output', ctx, tools);
	const rejected = checkOutput(value.non_preferred_output, 'non_preferred_output', ctx, tools);
	if (preferred && rejected && preferred.key === rejected.key)
		ctx.findings.error(
			'dpo-identical-outputs',
			ctx.line,
			'preferred_output and non_preferred_output are the same: no preference to learn'
		);
	const outputTokens = (preferred?.tokens ?? 0) + (rejected?.tokens ?? 0);
	return {
		tokens: prompt.tokens + tools.tokens + outputTokens,
		assistantTokens: outputTokens,
		messages: (input.messages as unknown[]).length + 1,
		system: prompt.system,
		hasUser: prompt.hasUser,
		inputHash,
		inputHashHi,
		argumentsFixable: prompt.fixable || !!preferred?.fixable || !!rejected?.fixable
	};
}

function checkOutput(
	raw: unknown,
	path: string,
	ctx: LineContext,
	tools: ReturnType<typeof checkTools>
) {
	if (raw === undefined) {
		ctx.findings.error('dpo-invalid-output', ctx.line, `${path}: missing`);
		return null;
	}
	if (!Array.isArray(raw) || raw.length !== 1) {
		ctx.findings.error(
			'dpo-invalid-output',
			ctx.line,
			`${path}: expected an array of exactly one assistant message, got ${Array.isArray(raw) ? `${raw.length} messages` : kindOf(raw)}`
		);
		return null;
	}
	const message: unknown = raw[0];
	if (!isPlainObject(message)) {
		ctx.findings.error(
			'dpo-invalid-output',
			ctx.line,
			`${path}[0]: expected an assistant message object, got ${kindOf(message)}`
		);
		return null;
	}
	if (message.role !== 'assistant') {
		ctx.findings.error(
			'dpo-invalid-output',
			ctx.line,
			`${path}[0].role: expected "assistant", got ${kindOf(message.role) === 'a string' ? `"${String(message.role)}"` : kindOf(message.role)}`
		);
		return null;
	}
	const info = checkMessages(raw, path, ctx, tools, { weights: false });
	if (!info) return null;
	return {
		tokens: info.assistantTokens,
		fixable: info.fixable,
		key: canonicalJson({
			c: message.content ?? null,
			t: message.tool_calls ?? null
		})
	};
}
