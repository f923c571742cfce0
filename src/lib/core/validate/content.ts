/**
 * Message content: a string, or an array of content parts. Which part types each role may carry
 * comes from the line schemas (openapi.manual_spec-2025-04-29.yaml): text everywhere, images
 * (and audio/file, which fine-tuning does not take) in user messages, refusal in assistant ones.
 */
import { isPlainObject, kindOf, show } from '../import/describe';
import type { LineContext } from './example';
import { TOKENS_PER_IMAGE } from './tokens';

export interface ContentResult {
	text: string;
	tokens: number;
	images: number;
	/** Whether the content is there at all (a string, or a non-empty array of parts). */
	present: boolean;
}

/**
 * The path of a message's field in findings (`messages[2].content`), built only when a finding
 * needs it: the hot path checks thousands of messages that have none.
 */
export function at(path: string, index: number, suffix = ''): string {
	return `${path}[${index}]${suffix}`;
}

const IMAGE_DATA = /^data:image\/(jpeg|jpg|png|webp);base64,/i;

/** Checks `content` at `path` (e.g. `messages[2].content`) and reads its text. */
export function readContent(
	content: unknown,
	role: string,
	messages: string,
	index: number,
	ctx: LineContext
): ContentResult {
	if (typeof content === 'string')
		return { text: content, tokens: ctx.count(content), images: 0, present: true };
	if (content === undefined || content === null)
		return { text: '', tokens: 0, images: 0, present: false };
	if (!Array.isArray(content)) {
		ctx.findings.error(
			'invalid-content',
			ctx.line,
			`${at(messages, index, '.content')}: expected a string or an array of content parts, got ${kindOf(content)}`
		);
		return { text: '', tokens: 0, images: 0, present: true };
	}
	if (content.length === 0) {
		ctx.findings.error(
			'invalid-content',
			ctx.line,
			`${at(messages, index, '.content')}: an empty array of content parts`
		);
		return { text: '', tokens: 0, images: 0, present: true };
	}
	let text = '';
	let tokens = 0;
	let images = 0;
	for (let i = 0; i < content.length; i++) {
		const part: unknown = content[i];
		if (!isPlainObject(part) || typeof part.type !== 'string') {
			ctx.findings.error(
				'invalid-content-part',
				ctx.line,
				`${at(messages, index, `.content[${i}]`)}: expected a content part {type, …}, got ${isPlainObject(part) ? 'an object without a string "type"' : kindOf(part)}`
			);
			continue;
		}
		switch (part.type) {
			case 'text':
				if (typeof part.text !== 'string') {
					ctx.findings.error(
						'invalid-content-part',
						ctx.line,
						`${at(messages, index, `.content[${i}]`)}.text: expected a string, got ${kindOf(part.text)}`
					);
					continue;
				}
				text += (text ? '\n' : '') + part.text;
				tokens += ctx.count(part.text);
				continue;
			case 'refusal':
				if (role !== 'assistant') {
					ctx.findings.error(
						'invalid-content-part',
						ctx.line,
						`${at(messages, index, `.content[${i}]`)}: a "refusal" part belongs in an assistant message, not ${role}`
					);
					continue;
				}
				if (typeof part.refusal !== 'string') {
					ctx.findings.error(
						'invalid-content-part',
						ctx.line,
						`${at(messages, index, `.content[${i}]`)}.refusal: expected a string, got ${kindOf(part.refusal)}`
					);
					continue;
				}
				text += (text ? '\n' : '') + part.refusal;
				tokens += ctx.count(part.refusal);
				continue;
			case 'image_url':
				if (role !== 'user') {
					ctx.findings.error(
						'image-not-allowed',
						ctx.line,
						`${at(messages, index, `.content[${i}]`)}: images are only allowed in user messages, not ${role}`
					);
					continue;
				}
				if (checkImage(part, () => at(messages, index, `.content[${i}]`), ctx)) {
					images++;
					tokens += TOKENS_PER_IMAGE;
				}
				continue;
			case 'input_audio':
			case 'file':
				ctx.findings.error(
					'unsupported-content-part',
					ctx.line,
					`${at(messages, index, `.content[${i}]`)}: "${part.type}" parts are not accepted in fine-tuning files`
				);
				continue;
			default:
				ctx.findings.error(
					'invalid-content-part',
					ctx.line,
					`${at(messages, index, `.content[${i}]`)}.type: ${show(part.type)} is not a content part type (text, image_url${role === 'assistant' ? ', refusal' : ''})`
				);
		}
	}
	return { text, tokens, images, present: true };
}

function checkImage(part: Record<string, unknown>, where: () => string, ctx: LineContext): boolean {
	const image = part.image_url;
	if (!isPlainObject(image) || typeof image.url !== 'string') {
		ctx.findings.error(
			'invalid-image',
			ctx.line,
			`${where()}.image_url: expected {url: "https://…" or "data:image/…;base64,…"}`
		);
		return false;
	}
	const url = image.url;
	if (!url.startsWith('https://') && !url.startsWith('http://') && !IMAGE_DATA.test(url)) {
		ctx.findings.error(
			'invalid-image',
			ctx.line,
			`${where()}.image_url.url: ${url.startsWith('data:') ? 'a data URL that is not a base64 JPEG, PNG or WEBP image' : 'not an http(s) URL or a data:image URL'}`
		);
		return false;
	}
	if (image.detail !== undefined && !['auto', 'low', 'high'].includes(image.detail as string)) {
		ctx.findings.error(
			'invalid-image',
			ctx.line,
			`${where()}.image_url.detail: ${show(image.detail)} is not auto, low or high`
		);
	}
	if (!ctx.images)
		ctx.findings.warnLine(
			'images-unsupported-model',
			ctx.line,
			(n) =>
				`${n} example${n === 1 ? ' has' : 's have'} images, but ${ctx.modelId} does not fine-tune on images (gpt-4o-2024-08-06 and gpt-4.1 do)`
		);
	return true;
}
