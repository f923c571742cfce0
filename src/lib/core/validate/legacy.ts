/**
 * One legacy `{prompt, completion}` line (babbage-002, davinci-002). The per-line part of
 * prepare_data's checks; the file-wide ones (separator, stop sequence, leading space, case) are
 * in legacy-advice.ts.
 */
import { kindOf, listFields } from '../import/describe';
import type { ExampleInfo, LineContext } from './example';

export interface LegacyTexts {
	prompt: string;
	completion: string;
}

export function checkLegacyLine(
	value: Record<string, unknown>,
	ctx: LineContext,
	sink: (texts: LegacyTexts) => void
): ExampleInfo | null {
	const extra = Object.keys(value).filter((key) => key !== 'prompt' && key !== 'completion');
	if (extra.length > 0)
		ctx.findings.warnLine(
			'unknown-field',
			ctx.line,
			(n) =>
				`${n} line${n === 1 ? ' has' : 's have'} fields besides prompt and completion (e.g. ${listFields(extra, 3)}): they are ignored; remove them`
		);
	const { prompt, completion } = value;
	let ok = true;
	for (const [key, field] of [
		['prompt', prompt],
		['completion', completion]
	] as const) {
		if (typeof field !== 'string') {
			ctx.findings.error(
				'legacy-missing-field',
				ctx.line,
				`${key}: ${field === undefined ? 'missing' : `expected a string, got ${kindOf(field)}`}`
			);
			ok = false;
		}
	}
	if (!ok) return null;
	const p = prompt as string;
	const c = completion as string;
	if (c.trim() === '')
		ctx.findings.error(
			'legacy-empty-completion',
			ctx.line,
			'completion: empty: nothing to train on'
		);
	sink({ prompt: p, completion: c });
	ctx.fp.feed(p);
	const inputHash = ctx.fp.hash();
	const inputHashHi = ctx.fp.hashHi;
	ctx.fp.feedBreak();
	ctx.fp.feed(c);
	const promptTokens = ctx.count(p);
	const completionTokens = ctx.count(c);
	return {
		tokens: promptTokens + completionTokens,
		assistantTokens: completionTokens,
		messages: 2,
		system: null,
		hasUser: true,
		inputHash,
		inputHashHi,
		argumentsFixable: false
	};
}
