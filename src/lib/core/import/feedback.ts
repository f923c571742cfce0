/**
 * Reading end-user feedback that came with a log (`label`, `rating`, `feedback`, `comment`,
 * `correction`/`ideal`): the spellings real exports use, each turned into a feedback event.
 * A value that is clearly meant as feedback but cannot be read rejects the line with a reason,
 * rather than importing the log as if nobody had judged it.
 */
import type { ChatMessage, ParsedFeedback } from '../types';
import { isPlainObject, kindOf, show } from './describe';
import { parseMessage, parseMessages } from './messages';

const THUMB_WORDS: Record<string, 1 | -1> = {
	true: 1,
	false: -1,
	'1': 1,
	'+1': 1,
	'0': -1,
	'-1': -1,
	good: 1,
	bad: -1,
	yes: 1,
	no: -1,
	up: 1,
	down: -1,
	positive: 1,
	negative: -1,
	like: 1,
	dislike: -1,
	liked: 1,
	disliked: -1,
	correct: 1,
	incorrect: -1,
	'thumbs up': 1,
	'thumbs down': -1,
	thumbs_up: 1,
	thumbs_down: -1,
	thumbsup: 1,
	thumbsdown: -1
};

const THUMB_EXPECTED = 'expected true/false, 1/0, "good"/"bad", "up"/"down" or "👍"/"👎"';

/**
 * A thumbs value: 1 or -1, null for "no feedback" (null, ""), undefined when the value is not
 * one of the spellings above.
 */
export function readThumb(value: unknown): 1 | -1 | null | undefined {
	if (value === null) return null;
	if (typeof value === 'boolean') return value ? 1 : -1;
	if (typeof value === 'number')
		return value === 1 ? 1 : value === 0 || value === -1 ? -1 : undefined;
	if (typeof value !== 'string') return undefined;
	const word = value.trim().toLowerCase();
	if (word === '') return null;
	// Emoji may carry a skin tone or variation selector after them.
	if (word.startsWith('👍')) return 1;
	if (word.startsWith('👎')) return -1;
	// Own words only: "constructor" or "toString" is not a label.
	return Object.hasOwn(THUMB_WORDS, word) ? THUMB_WORDS[word] : undefined;
}

export const RATING_MIN = 1;
export const RATING_MAX = 5;

/** A 1–5 rating (halves allowed), null for none, undefined when out of range or not a number. */
export function readRating(value: unknown): number | null | undefined {
	if (value === null) return null;
	let n = value;
	if (typeof n === 'string') {
		if (n.trim() === '') return null;
		n = Number(n);
	}
	if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
	return n >= RATING_MIN && n <= RATING_MAX ? n : undefined;
}

export type OutputResult =
	{ ok: true; output: ChatMessage; before: ChatMessage[] } | { ok: false; reason: string };

/**
 * An output given as text, as one assistant message (its role may be left out), or as a list of
 * messages ending in the assistant's (TRL's conversational completions): `before` holds what
 * comes ahead of the last one.
 */
export function readOutput(value: unknown, path: string): OutputResult {
	if (typeof value === 'string')
		return { ok: true, output: { role: 'assistant', content: value }, before: [] };
	if (Array.isArray(value)) {
		const parsed = parseMessages(value, path);
		if (!parsed.ok) return parsed;
		const last = parsed.messages.at(-1);
		if (!last)
			return { ok: false, reason: `${path}: expected an assistant message, got an empty array` };
		if (last.role !== 'assistant')
			return {
				ok: false,
				reason: `${path}[${parsed.messages.length - 1}].role: ${show(last.role)} is not "assistant"`
			};
		return { ok: true, output: last, before: parsed.messages.slice(0, -1) };
	}
	if (isPlainObject(value)) {
		if (value.role === undefined && value.from !== undefined) {
			// A ShareGPT turn ({from, value}), as LLaMA-Factory writes chosen/rejected.
			const parsed = parseMessages([value], path);
			if (!parsed.ok) return { ok: false, reason: parsed.reason.replace(`${path}[0]`, path) };
			return checkAssistant(parsed.messages[0], path);
		}
		const raw = value.role === undefined ? { ...value, role: 'assistant' } : value;
		const message = parseMessage(raw, path);
		if (!message.ok) return message;
		return checkAssistant(message.message, path);
	}
	return {
		ok: false,
		reason: `${path}: expected a string or an assistant message, got ${kindOf(value)}`
	};
}

function checkAssistant(message: ChatMessage, path: string): OutputResult {
	if (message.role !== 'assistant')
		return { ok: false, reason: `${path}.role: ${show(message.role)} is not "assistant"` };
	return { ok: true, output: message, before: [] };
}

/** Where each kind of feedback may be found in a record (or row, through a mapping). */
export interface FeedbackSources {
	label?: { value: unknown; name: string };
	rating?: { value: unknown; name: string };
	feedback?: { value: unknown; name: string };
	comment?: { value: unknown; name: string };
	correction?: { value: unknown; name: string };
}

export type FeedbackResult =
	{ ok: true; feedback: ParsedFeedback[] } | { ok: false; reason: string };

/** Feedback events for log 0 of a record, in a fixed order: thumb, rating, comment, correction. */
export function readFeedback(sources: FeedbackSources): FeedbackResult {
	const feedback: ParsedFeedback[] = [];
	const { label, rating, comment, correction } = sources;
	if (label) {
		const thumb = readThumb(label.value);
		if (thumb === undefined)
			return {
				ok: false,
				reason: `${label.name}: ${show(label.value)} is not a thumbs label (${THUMB_EXPECTED})`
			};
		if (thumb !== null) feedback.push({ logIndex: 0, body: { kind: 'thumb', value: thumb } });
	}
	if (rating) {
		const value = readRating(rating.value);
		if (value === undefined)
			return {
				ok: false,
				reason: `${rating.name}: ${show(rating.value)} is not a rating from ${RATING_MIN} to ${RATING_MAX}`
			};
		if (value !== null) feedback.push({ logIndex: 0, body: { kind: 'rating', value } });
	}
	if (sources.feedback) {
		const result = readFeedbackField(sources.feedback.value, sources.feedback.name);
		if (!result.ok) return result;
		feedback.push(...result.feedback);
	}
	if (comment && comment.value !== null && comment.value !== '') {
		if (typeof comment.value !== 'string')
			return {
				ok: false,
				reason: `${comment.name}: expected a string, got ${kindOf(comment.value)}`
			};
		feedback.push({ logIndex: 0, body: { kind: 'comment', text: comment.value } });
	}
	if (correction && correction.value !== null && correction.value !== '') {
		const output = readOutput(correction.value, correction.name);
		if (!output.ok) return output;
		feedback.push({ logIndex: 0, body: { kind: 'correction', output: output.output } });
	}
	return { ok: true, feedback };
}

/**
 * `feedback` is free-form in the wild: a thumbs word or boolean, a comment, or an object holding
 * any of label/rating/comment/correction.
 */
function readFeedbackField(value: unknown, name: string): FeedbackResult {
	if (value === null || value === '') return { ok: true, feedback: [] };
	if (typeof value === 'string') {
		const thumb = readThumb(value);
		if (thumb)
			return { ok: true, feedback: [{ logIndex: 0, body: { kind: 'thumb', value: thumb } }] };
		return { ok: true, feedback: [{ logIndex: 0, body: { kind: 'comment', text: value } }] };
	}
	if (typeof value === 'boolean' || typeof value === 'number') {
		const thumb = readThumb(value);
		if (thumb)
			return { ok: true, feedback: [{ logIndex: 0, body: { kind: 'thumb', value: thumb } }] };
		return {
			ok: false,
			reason: `${name}: ${show(value)} is not a thumbs value (put ratings in a "rating" field)`
		};
	}
	if (isPlainObject(value)) {
		const field = (key: string) =>
			value[key] === undefined ? undefined : { value: value[key], name: `${name}.${key}` };
		return readFeedback({
			label: field('label') ?? field('thumb'),
			rating: field('rating'),
			comment: field('comment') ?? field('text'),
			correction: field('correction') ?? field('ideal')
		});
	}
	return {
		ok: false,
		reason: `${name}: expected a string, a boolean or an object, got ${kindOf(value)}`
	};
}
