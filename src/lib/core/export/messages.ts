/**
 * Messages as a training line carries them: only the keys the line schema defines for each role
 * (FineTuneChatRequestInput), `developer` written as `system` (fine-tuning lines have no
 * developer role), no `content` on an assistant message that only calls tools, and the system
 * prompt override applied.
 */
import type { ChatMessage } from '../types';

export interface ExportExample {
	input: ChatMessage[];
	output: ChatMessage;
	tools?: unknown[];
	parallelToolCalls?: boolean;
}

export interface ExportPair {
	input: ChatMessage[];
	tools?: unknown[];
	parallelToolCalls?: boolean;
	preferred: ChatMessage;
	rejected: ChatMessage;
}

export type LineMessage = Record<string, unknown>;

export function cleanMessage(message: ChatMessage, weight?: 0 | 1): LineMessage {
	const role = message.role === 'developer' ? 'system' : message.role;
	const out: LineMessage = { role };
	const hasCalls = role === 'assistant' && (message.tool_calls?.length ?? 0) > 0;
	if (message.content !== null && message.content !== undefined) out.content = message.content;
	else if (!hasCalls) out.content = '';
	if (message.name !== undefined && role !== 'tool') out.name = message.name;
	if (hasCalls)
		out.tool_calls = message.tool_calls?.map((call) => ({
			id: call.id,
			type: 'function',
			function: { name: call.function.name, arguments: call.function.arguments }
		}));
	if (role === 'tool' && message.tool_call_id !== undefined)
		out.tool_call_id = message.tool_call_id;
	if (role === 'assistant' && weight !== undefined) out.weight = weight;
	return out;
}

/** The input with the system prompt override: the override replaces every system message. */
export function withSystemPrompt(
	input: readonly ChatMessage[],
	systemPrompt: string | undefined
): ChatMessage[] {
	if (systemPrompt === undefined) return [...input];
	const rest = input.filter((m) => m.role !== 'system' && m.role !== 'developer');
	return systemPrompt === '' ? rest : [{ role: 'system', content: systemPrompt }, ...rest];
}

export function asAssistant(message: ChatMessage): ChatMessage {
	return message.role === 'assistant' ? message : { ...message, role: 'assistant' };
}
