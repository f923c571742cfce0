/**
 * Stored completions (chat completions kept with `store: true`) as Tuneloop reads them: the
 * metadata filter the user types, and the stored input messages as chat messages.
 */
import type { ChatMessage, ContentPart, Role } from '../core/types';
import type { StoredMessage } from './client';

/** "topic=billing" lines (or comma-separated) → { topic: 'billing' }; bad parts are reported. */
export function parseMetadataFilter(text: string): {
	metadata: Record<string, string>;
	errors: string[];
} {
	const metadata: Record<string, string> = {};
	const errors: string[] = [];
	for (const part of text.split(/[\n,]/)) {
		const item = part.trim();
		if (!item) continue;
		const at = item.indexOf('=');
		if (at <= 0) {
			errors.push(`“${item}” is not key=value`);
			continue;
		}
		metadata[item.slice(0, at).trim()] = item.slice(at + 1).trim();
	}
	return { metadata, errors };
}

/** A stored completion's input message as a chat message (content parts kept when given). */
export function storedMessage(stored: StoredMessage): ChatMessage {
	const parts = (stored as { content_parts?: ContentPart[] | null }).content_parts;
	const message: ChatMessage = {
		role: stored.role as Role,
		content: parts && parts.length > 0 ? parts : (stored.content ?? null)
	};
	const name = (stored as { name?: string }).name;
	if (name) message.name = name;
	if (stored.tool_calls?.length)
		message.tool_calls = stored.tool_calls as ChatMessage['tool_calls'];
	return message;
}
