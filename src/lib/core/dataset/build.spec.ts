import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types';
import { buildVersion, inputKey, type Candidate } from './build';
import { defaultRules, type DatasetRules } from './types';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const reply = (content: string): ChatMessage => ({ role: 'assistant', content });

function candidate(
	id: string,
	question: string,
	answer: string,
	thumb: 1 | -1 | 0,
	correction?: string
): Candidate {
	return {
		id,
		log: {
			input: [{ role: 'system', content: 'Be brief.' }, user(question)],
			output: reply(answer)
		},
		thumb,
		correction: correction ? reply(correction) : null,
		pairwise: []
	};
}

const rules = (patch: Partial<DatasetRules> = {}): DatasetRules => ({
	...defaultRules(),
	...patch
});

describe('buildVersion', () => {
	const logs = [
		candidate('up', 'Q1', 'A1', 1),
		candidate('down', 'Q2', 'bad', -1),
		candidate('fixed', 'Q3', 'bad', -1, 'A3'),
		candidate('none', 'Q4', 'A4', 0),
		candidate('dup', 'q1 ', ' a1', 1)
	];

	it('rules: 👍 in, 👎 only through a correction, unjudged when asked, normalized duplicates out', () => {
		const version = buildVersion(logs, rules({ validationPercent: 0 }));
		expect(version.train).toEqual(['up', 'fixed']);
		expect(version.counts).toMatchObject({
			candidates: 5,
			up: 2,
			corrected: 1,
			unjudged: 0,
			excluded: 2,
			duplicates: 1
		});
		expect(buildVersion(logs, rules({ validationPercent: 0, dedupe: 'exact' })).train).toEqual([
			'up',
			'fixed',
			'dup'
		]);
		expect(
			buildVersion(logs, rules({ validationPercent: 0, includeUnjudged: true })).train
		).toEqual(['up', 'fixed', 'none']);
		expect(buildVersion(logs, rules({ validationPercent: 0, includeUp: false })).train).toEqual([
			'fixed'
		]);
	});

	it('split: by input, seeded, no input on both sides, about the asked share', () => {
		const many: Candidate[] = [];
		for (let i = 0; i < 200; i++) {
			many.push(candidate(`a${i}`, `Question ${i}`, `Answer ${i}`, 1));
			many.push(candidate(`b${i}`, `Question ${i}`, `Other answer ${i}`, 1));
		}
		const version = buildVersion(many, rules({ validationPercent: 20, seed: 7 }));
		expect(version.validation.length).toBe(80);
		expect(version.train.length).toBe(320);
		const side = new Map<string, string>();
		for (const [name, ids] of [
			['train', version.train],
			['validation', version.validation]
		] as const)
			for (const id of ids) {
				const key = id.slice(1);
				expect(side.get(key) ?? name).toBe(name);
				side.set(key, name);
			}
		expect(buildVersion(many, rules({ validationPercent: 20, seed: 7 }))).toEqual(version);
		expect(buildVersion(many, rules({ validationPercent: 20, seed: 8 })).validation).not.toEqual(
			version.validation
		);
	});

	it('a system prompt override makes inputs that differ only in their system prompt the same', () => {
		const a = candidate('a', 'Q', 'A', 1);
		const b: Candidate = {
			...candidate('b', 'Q', 'A', 1),
			log: { input: [{ role: 'system', content: 'Other.' }, user('Q')], output: reply('A') }
		};
		expect(buildVersion([a, b], rules({ validationPercent: 0 })).train).toEqual(['a', 'b']);
		expect(
			buildVersion([a, b], rules({ validationPercent: 0, systemPrompt: 'New.' })).train
		).toEqual(['a']);
		expect(inputKey(a.log.input, false)).toBe('user: q');
		expect(inputKey(a.log.input, true)).toBe('system: be brief. user: q');
	});

	it('pairwise choices become pairs; ties and pairs with an unknown log do not', () => {
		const a = {
			...candidate('a', 'Q', 'A', 0),
			pairwise: [
				{ otherLogId: 'b', choice: 'other' as const },
				{ otherLogId: 'zz', choice: 'this' as const }
			]
		};
		const b = {
			...candidate('b', 'Q', 'B', 0),
			pairwise: [{ otherLogId: 'a', choice: 'tie' as const }]
		};
		const version = buildVersion([a, b], rules({ validationPercent: 0 }));
		expect(version.pairs.train).toEqual([
			{
				preferred: { logId: 'b', use: 'output' },
				rejected: { logId: 'a', use: 'output' },
				source: 'pairwise'
			}
		]);
	});
});
