/** Plain-text views of messages, for list previews and search. */
import type { ChatMessage } from './types';

/** The text of a message: its content (text parts joined) and its tool calls' names and arguments. */
export function messageText(message: ChatMessage): string {
	const parts: string[] = [];
	if (typeof message.content === 'string') parts.push(message.content);
	else if (Array.isArray(message.content)) {
		for (const part of message.content) if (typeof part.text === 'string') parts.push(part.text);
	}
	for (const call of message.tool_calls ?? []) {
		parts.push(`${call.function.name}(${call.function.arguments})`);
	}
	return parts.join('\n');
}

/** The last user message of an input, which is what a list row shows as the question. */
export function lastUserText(input: ChatMessage[]): string {
	for (let i = input.length - 1; i >= 0; i--) {
		if (input[i].role === 'user') return messageText(input[i]);
	}
	return input.length > 0 ? messageText(input[input.length - 1]) : '';
}

/** A one-line preview: whitespace collapsed, cut at `max` characters. */
export function preview(text: string, max = 160): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
