/**
 * Golden rewrites: asking a model to rewrite a disliked output so that it applies the user's
 * comment. The prompt keeps the conversation as context and fences the original and the comment
 * in tags, so the model answers with the new reply only.
 */
import type { ChatMessage } from '../core/types';
import type { ChatRequest } from './client';

export const REWRITE_SYSTEM = [
	'You improve assistant replies using reviewer feedback.',
	'You get a conversation, the assistant reply that was given, and a reviewer comment about that reply.',
	'Rewrite the reply so it fully addresses the comment. Keep everything the comment does not ask to change: facts, tone, language and format.',
	'Answer with the rewritten reply only: no preamble, no quotes, no tags.'
].join(' ');

function text(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content))
		return message.content.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
	if (message.tool_calls?.length)
		return message.tool_calls
			.map((call) => `[tool call ${call.function.name}(${call.function.arguments})]`)
			.join('\n');
	return '';
}

/** The conversation as plain text (role: content), for the rewrite prompt's context. */
export function transcript(messages: readonly ChatMessage[]): string {
	return messages.map((message) => `${message.role}: ${text(message)}`).join('\n\n');
}

export interface RewriteSubject {
	input: ChatMessage[];
	output: ChatMessage;
	/** The comments to apply, oldest first. */
	comments: string[];
}

/** The chat request asking `model` to rewrite a log's output by its comments. */
export function rewriteRequest(
	subject: RewriteSubject,
	model: string,
	metadata?: Record<string, string>
): ChatRequest {
	const user = [
		'<conversation>',
		transcript(subject.input),
		'</conversation>',
		'<output>',
		text(subject.output),
		'</output>',
		'<comment>',
		subject.comments.join('\n'),
		'</comment>'
	].join('\n');
	return {
		model,
		messages: [
			{ role: 'system', content: REWRITE_SYSTEM },
			{ role: 'user', content: user }
		],
		temperature: 0.2,
		...(metadata ? { metadata } : {})
	};
}

/** Model replies sometimes wrap the answer in quotes or the tags they were shown: unwrap. */
export function cleanRewrite(reply: string): string {
	let out = reply.trim();
	const tagged = /^<output>\s*([\s\S]*?)\s*<\/output>$/.exec(out);
	if (tagged) out = tagged[1];
	if (out.length > 1 && out.startsWith('"') && out.endsWith('"') && !out.slice(1, -1).includes('"'))
		out = out.slice(1, -1);
	return out.trim();
}
