/**
 * Odd values never break a report: OpenAI's own scripts crash on some (a number where a string
 * belongs, a role named like an object's built-in property); here every line gets its findings
 * and the rest of the file its report.
 */
import { describe, expect, it } from 'vitest';
import { reportToMarkdown } from './markdown';
import { validateLines } from './stream';
import { chat, errorsOf, reportOnLines } from './testing';
import type { LineFormat } from './models';

const MODEL = 'gpt-4o-2024-08-06';

describe('odd values', () => {
	it('roles named like built-in properties are invalid roles, not a crash', async () => {
		const lines = Array.from({ length: 10 }, (_, i) => chat(i));
		for (const [i, role] of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].entries())
			lines.push({
				messages: [
					{ role, content: 'x' },
					{ role: 'user', content: `Question ${i}` },
					{ role: 'assistant', content: 'Answer' }
				]
			});
		const report = await reportOnLines(lines);
		expect(errorsOf(report)).toEqual([
			'11: invalid-role',
			'12: invalid-role',
			'13: invalid-role',
			'14: invalid-role'
		]);
		expect(report.validExamples).toBe(10);
	});

	it('seeded mutations of valid chat, preference and legacy lines: always a report', async () => {
		const weird: unknown[] = [
			null,
			0,
			-1,
			1.5,
			1e308,
			'',
			'x',
			true,
			[],
			{},
			[null],
			[{}],
			'assistant',
			'__proto__',
			'constructor',
			'{"a":1}',
			{ type: 'text', text: 5 },
			{ type: 'image_url', image_url: { url: 5 } },
			{ role: 'user', content: 'hi' },
			{ id: 5, type: 'function', function: { name: 5, arguments: {} } }
		];
		const keys = ['weight', 'name', 'tool_calls', 'tools', 'refusal', 'role', 'content'];
		let seed = 1;
		const next = (n: number) => {
			seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
			return seed % n;
		};
		const mutate = (value: unknown, depth = 0): unknown => {
			if (depth > 4 || next(5) === 0) return weird[next(weird.length)];
			if (Array.isArray(value)) return value.map((x) => (next(3) === 0 ? mutate(x, depth + 1) : x));
			if (value !== null && typeof value === 'object') {
				const out: Record<string, unknown> = {};
				for (const [k, v] of Object.entries(value))
					if (next(6) !== 0) out[k] = next(3) === 0 ? mutate(v, depth + 1) : v;
				if (next(5) === 0) out[keys[next(keys.length)]] = weird[next(weird.length)];
				return out;
			}
			return weird[next(weird.length)];
		};
		const bases: [LineFormat, unknown][] = [
			[
				'openai-chat',
				{
					messages: [
						{ role: 'system', content: 'S' },
						{ role: 'user', content: [{ type: 'text', text: 'Hi there' }] },
						{
							role: 'assistant',
							content: null,
							tool_calls: [
								{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }
							]
						},
						{ role: 'tool', tool_call_id: 'c1', content: 'ok' },
						{ role: 'assistant', content: 'done', weight: 1 }
					],
					tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }]
				}
			],
			[
				'openai-dpo',
				{
					input: { messages: [{ role: 'user', content: 'q' }] },
					preferred_output: [{ role: 'assistant', content: 'a' }],
					non_preferred_output: [{ role: 'assistant', content: 'b' }]
				}
			],
			['legacy', { prompt: 'p ->', completion: ' c\n' }]
		];
		for (const [format, base] of bases)
			for (let round = 0; round < 40; round++) {
				const lines = Array.from({ length: 20 }, () => JSON.stringify(mutate(base)));
				const { report } = await validateLines(lines, {
					format,
					model: format === 'legacy' ? 'davinci-002' : MODEL
				});
				expect(report.examples).toBe(20);
				expect(reportToMarkdown(report)).toContain('Validation report');
			}
	});
});
