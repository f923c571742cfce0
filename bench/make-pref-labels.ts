/**
 * A generated preference set for bench:prefmodel: support replies whose 👍/👎 depends on what
 * they say (helpful vs unhelpful sentences, with label noise), not on their length. Deterministic
 * for a seed. `writeLabelFile` writes it as JSONL logs with a `label` field, which the app's import
 * reads as 👍/👎.
 */
import { writeFileSync } from 'node:fs';
import { mulberry32, type Rng } from '../src/lib/core/random';
import { DatasetBuilder } from '../src/lib/core/prefmodel/dataset';
import { sigmoid } from '../src/lib/core/prefmodel/math';
import type { PrefDataset } from '../src/lib/core/prefmodel/types';

const TOPICS = [
	'invoice',
	'password reset',
	'refund',
	'shipping delay',
	'PDF export',
	'API key',
	'login',
	'subscription',
	'data export',
	'two-factor code'
];
const HELPFUL = [
	'Here is exactly how to fix it, step by step.',
	'Open Settings, choose Billing, then select the invoice you need.',
	'I have checked your account and the change is already applied.',
	'You can do this yourself in under a minute from the dashboard.',
	'I have refunded the charge; it shows up within five working days.',
	'Try clearing the cache first; that solves this in most cases.',
	'Let me know the order number and I will sort it out today.'
];
const UNHELPFUL = [
	'Please read the documentation.',
	'That is not something we can help with.',
	'Have you tried turning it off and on again?',
	'We are aware of issues and have no update.',
	'Contact support for this.',
	'It should work, it is probably on your side.'
];
const FILLER = [
	'Thanks for reaching out.',
	'Sorry for the trouble.',
	'Hope this helps.',
	'Best regards.',
	'Thank you for your patience.',
	'We appreciate your feedback.'
];

function pick<T>(rng: Rng, list: readonly T[]): T {
	return list[Math.floor(rng() * list.length)];
}

function reply(rng: Rng): { text: string; quality: number } {
	const helpful = Math.floor(rng() * 3);
	const unhelpful = Math.floor(rng() * 3);
	const filler = Math.floor(rng() * 4);
	const parts = [
		...Array.from({ length: helpful }, () => pick(rng, HELPFUL)),
		...Array.from({ length: unhelpful }, () => pick(rng, UNHELPFUL)),
		...Array.from({ length: filler }, () => pick(rng, FILLER))
	];
	for (let i = parts.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[parts[i], parts[j]] = [parts[j], parts[i]];
	}
	return { text: parts.join(' ') || 'OK.', quality: 1.5 * (helpful - unhelpful) };
}

function question(rng: Rng, n: number): string {
	return `Ticket ${n}: I need help with my ${pick(rng, TOPICS)}. ${pick(rng, ['It fails.', 'It is urgent.', 'What should I do?', 'Nothing works.'])}`;
}

/** `thumbs` pointwise labels and `pairs` pairwise ones (two replies to one question). */
export function makePrefLabels(thumbs: number, pairs: number, seed = 1): PrefDataset {
	const rng = mulberry32(seed);
	const builder = new DatasetBuilder();
	for (let n = 0; n < thumbs; n++) {
		const input = question(rng, n);
		const { text, quality } = reply(rng);
		builder.point({ input, output: text }, rng() < sigmoid(quality) ? 1 : 0);
	}
	for (let n = 0; n < pairs; n++) {
		const input = question(rng, thumbs + n);
		const a = reply(rng);
		const b = reply(rng);
		if (a.text === b.text) continue;
		const aWins = rng() < sigmoid(a.quality - b.quality);
		builder.pair({ input, output: (aWins ? a : b).text }, { input, output: (aWins ? b : a).text });
	}
	return builder.build();
}

/** Writes `count` labelled logs as JSONL (`messages` + `label`), for the browser part. */
export function writeLabelFile(path: string, count: number, seed = 2): void {
	const rng = mulberry32(seed);
	const lines: string[] = [];
	for (let n = 0; n < count; n++) {
		const { text, quality } = reply(rng);
		lines.push(
			JSON.stringify({
				messages: [
					{ role: 'user', content: question(rng, n) },
					{ role: 'assistant', content: text }
				],
				label: rng() < sigmoid(quality)
			})
		);
	}
	writeFileSync(path, `${lines.join('\n')}\n`);
}
