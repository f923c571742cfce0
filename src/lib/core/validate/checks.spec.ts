/** The checks OpenAI's own validators lack, each on a small hand-made file. */
import { describe, expect, it } from 'vitest';
import { defaultEpochs } from './billing';
import { applyFixes } from './fixes';
import { validateLines } from './stream';
import { chat, errorsOf, reportOnLines, warningCodes } from './testing';
import { addOverlap } from './validator';

const ten = (from = 0) => Array.from({ length: 10 }, (_, i) => chat(from + i));

const call = (args: unknown, id = 'call_1', name = 'get_weather') => ({
	id,
	type: 'function',
	function: { name, arguments: args }
});

const toolChat = (i: number, calls: unknown[], after: unknown[] = []) => ({
	messages: [
		{ role: 'user', content: `Weather in city ${i}, please, with some detail today?` },
		{ role: 'assistant', tool_calls: calls },
		...after
	],
	tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }]
});

describe('tool calls', () => {
	it('arguments: an object, a string that decodes to a string, a double-encoded object, bad JSON', async () => {
		const report = await reportOnLines([
			...ten(),
			toolChat(1, [call({ city: 'Paris' })]),
			toolChat(2, [call(JSON.stringify('Paris'))]),
			toolChat(3, [call(JSON.stringify(JSON.stringify({ city: 'Paris' })))]),
			toolChat(4, [call('{city: Paris}')]),
			toolChat(5, [call('[1, 2]')]),
			toolChat(6, [call('{"city": "Paris"}')])
		]);
		expect(errorsOf(report)).toEqual([
			'11: invalid-arguments',
			'12: invalid-arguments',
			'13: invalid-arguments',
			'14: invalid-arguments',
			'15: invalid-arguments'
		]);
		expect(report.errors[0].message).toContain('an object, not a JSON string');
		expect(report.errors[1].message).toContain('a JSON string holding a string');
		expect(report.errors[2].message).toContain('encoded twice');
		expect(report.errors[4].message).toContain('decodes to an array');
		expect(report.fixes.reencodeArguments).toEqual([11, 13]);
	});

	it('tool_call_id must answer an earlier call; unanswered calls before the next turn are flagged', async () => {
		const report = await reportOnLines([
			...ten(),
			toolChat(
				1,
				[call('{}', 'call_a')],
				[
					{ role: 'tool', tool_call_id: 'call_a', content: '18C' },
					{ role: 'assistant', content: 'It is 18C and sunny all day.' }
				]
			),
			toolChat(
				2,
				[call('{}', 'call_a')],
				[
					{ role: 'tool', tool_call_id: 'call_b', content: '18C' },
					{ role: 'assistant', content: 'It is 18C.' }
				]
			),
			toolChat(3, [call('{}', 'call_a')], [{ role: 'assistant', content: 'Done, it is warm.' }]),
			toolChat(4, [call('{}', 'call_a')], [{ role: 'tool', content: '18C' }]),
			toolChat(5, [call('{}', 'x'), call('{}', 'x')])
		]);
		expect(errorsOf(report)).toEqual([
			'12: unknown-tool-call-id',
			'14: missing-tool-call-id',
			'15: duplicate-tool-call-id'
		]);
		// 12: call_a is never answered (call_b answers nothing); 13: no tool message at all.
		expect(report.warnings.find((w) => w.code === 'unanswered-tool-call')?.lines).toEqual([12, 13]);
	});

	it('a call to a function that is not in tools is a warning; parallel_tool_calls false with two calls an error', async () => {
		const report = await reportOnLines([
			...ten(),
			toolChat(1, [call('{}', 'c1', 'get_time')]),
			{ ...toolChat(2, [call('{}', 'c1'), call('{}', 'c2')]), parallel_tool_calls: false }
		]);
		expect(warningCodes(report)).toContain('unknown-function');
		expect(errorsOf(report)).toEqual(['12: parallel-calls-disabled']);
	});

	it('tools: bad names and duplicates', async () => {
		const report = await reportOnLines([
			...ten(),
			{
				...chat(99),
				tools: [
					{ type: 'function', function: { name: 'has space' } },
					{ type: 'function', function: { name: 'ok' } },
					{ type: 'function', function: { name: 'ok', parameters: 'nope' } }
				]
			}
		]);
		expect(errorsOf(report)).toEqual([
			'11: invalid-tools',
			'11: duplicate-tool-name',
			'11: invalid-tools'
		]);
	});
});

describe('messages per the line schema', () => {
	it('roles, keys, weights, missing content, empty replies', async () => {
		const m = (messages: unknown[]) => ({ messages });
		const report = await reportOnLines([
			...ten(),
			m([
				{ role: 'developer', content: 'Be nice.' },
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'Hello!' }
			]),
			m([
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'Hello!', weight: 2 }
			]),
			m([
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'Hello!', confidence: 0.9 }
			]),
			m([{ role: 'user' }, { role: 'assistant', content: 'Hello!' }]),
			m([{ role: 'user', content: 'Hi' }, { role: 'assistant' }]),
			m([
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: '  ' }
			]),
			m([{ role: 'user', content: 'Hi' }]),
			m([
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'A', weight: 0 }
			]),
			m([
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'A', weight: 0 },
				{ role: 'user', content: 'And?' },
				{ role: 'assistant', content: 'B', weight: 1 }
			]),
			m([
				{ role: 'user', content: 'Q' },
				{ role: 'assistant', content: 'A' },
				{ role: 'user', content: 'more?' }
			])
		]);
		expect(errorsOf(report)).toEqual([
			'11: invalid-role',
			'12: invalid-weight',
			'13: unknown-key',
			'14: missing-content',
			'15: missing-content',
			'16: empty-content',
			'17: no-assistant',
			'18: nothing-to-train'
		]);
		expect(report.errors[0].message).toContain('"developer" is not accepted');
		expect(report.errors[2].message).toContain('confidence');
		expect(report.warnings.find((w) => w.code === 'trailing-messages')?.lines).toEqual([20]);
	});

	it('image parts: in user messages only, as https or base64 data URLs, on models that take images', async () => {
		const image = (url: string) => ({ type: 'image_url', image_url: { url } });
		const withParts = (i: number, user: unknown[], assistant: unknown = 'A cat, number ' + i) => ({
			messages: [
				{ role: 'user', content: [{ type: 'text', text: `What is in picture ${i}?` }, ...user] },
				{ role: 'assistant', content: assistant }
			]
		});
		const lines = [
			...ten(),
			withParts(1, [image('https://example.com/cat.png')]),
			withParts(2, [image('data:image/png;base64,iVBORw0KGgo=')]),
			withParts(3, [image('ftp://example.com/cat.png')]),
			withParts(4, [], [image('https://example.com/cat.png')]),
			withParts(5, [{ type: 'input_audio', input_audio: {} }])
		];
		const mini = await reportOnLines(lines);
		expect(errorsOf(mini)).toEqual([
			'13: invalid-image',
			'14: image-not-allowed',
			'15: unsupported-content-part'
		]);
		expect(warningCodes(mini)).toContain('images-unsupported-model');
		const vision = await reportOnLines(lines, { model: 'gpt-4o-2024-08-06' });
		expect(warningCodes(vision)).not.toContain('images-unsupported-model');
	});

	it('a different format in the middle of a file, invalid JSON, blank lines', async () => {
		const report = await reportOnLines([
			...ten(),
			{ prompt: 'a', completion: 'b' },
			'{"messages": [',
			'',
			"{'messages': []}",
			'[1, 2]'
		]);
		expect(errorsOf(report)).toEqual([
			'11: mixed-formats',
			'12: invalid-json',
			'14: invalid-json',
			'15: not-object'
		]);
		expect(report.errors[2].message).toContain('Python dict');
		expect(report.warnings.find((w) => w.code === 'blank-line')?.lines).toEqual([13]);
	});
});

describe('preference (DPO) lines', () => {
	const dpo = (i: number, preferred: unknown, rejected: unknown, input?: unknown) => ({
		input: input ?? {
			messages: [{ role: 'user', content: `Tell me about topic ${i} in one line.` }]
		},
		preferred_output: preferred,
		non_preferred_output: rejected
	});
	const a = (content: string) => [{ role: 'assistant', content }];
	it('single assistant message each, preferred ≠ non-preferred', async () => {
		const good = Array.from({ length: 10 }, (_, i) => dpo(i, a(`Good ${i}`), a(`Bad ${i}`)));
		const report = await reportOnLines([
			...good,
			dpo(20, a('Same'), a('Same')),
			dpo(21, [...a('One'), ...a('Two')], a('Bad')),
			dpo(22, [{ role: 'user', content: 'x' }], a('Bad')),
			dpo(23, a('Good'), undefined),
			dpo(24, a('Good'), a('Bad'), {
				messages: [
					{ role: 'user', content: 'Q' },
					{ role: 'assistant', content: 'A' }
				]
			})
		]);
		expect(errorsOf(report)).toEqual([
			'11: dpo-identical-outputs',
			'12: dpo-invalid-output',
			'13: dpo-invalid-output',
			'14: dpo-invalid-output'
		]);
		expect(report.warnings.find((w) => w.code === 'dpo-input-not-user-last')?.lines).toEqual([15]);
		const specNames = await reportOnLines([
			...good,
			{
				input: { messages: [{ role: 'user', content: 'Q' }] },
				preferred_completion: a('Good'),
				non_preferred_completion: a('Bad')
			}
		]);
		expect(errorsOf(specNames)).toEqual([
			'11: dpo-field-name',
			'11: dpo-field-name',
			'11: dpo-invalid-output',
			'11: dpo-invalid-output'
		]);
	});
});

describe('across examples', () => {
	it('counts: fewer than 10 is an error, under 100 a warning', async () => {
		expect(errorsOf(await reportOnLines(ten().slice(0, 9)))).toEqual(['file: too-few-examples']);
		const fifty = await reportOnLines(Array.from({ length: 50 }, (_, i) => chat(i)));
		expect(fifty.errors).toEqual([]);
		expect(warningCodes(fifty)).toEqual(['few-examples']);
	});

	it('duplicates: exact, normalized (case/whitespace), near (one word changed in a long text)', async () => {
		const long = (word: string) =>
			`The quick brown fox jumps over the lazy dog near the riverbank while the ${word} farmer watches the sunset and counts his sheep one by one before dinner.`;
		const pair = (user: string, assistant: string) => ({
			messages: [
				{ role: 'user', content: user },
				{ role: 'assistant', content: assistant }
			]
		});
		const report = await reportOnLines([
			...ten(),
			pair('Hello there', 'General Kenobi'),
			pair('Hello there', 'General Kenobi'),
			pair('hello   THERE', 'general kenobi'),
			pair(long('old'), 'A story about a farmer and a fox near a river at sunset.'),
			pair(long('young'), 'A story about a farmer and a fox near a river at sunset.'),
			// Alike but for the last word: near-duplicates, not normalized ones.
			pair('What is two plus two?', 'The answer is 4'),
			pair('What is two plus two?', 'The answer is 5')
		]);
		expect(report.stats).toMatchObject({
			duplicates: 1,
			normalizedDuplicates: 1,
			nearDuplicates: 2
		});
		expect(report.warnings.find((w) => w.code === 'duplicate')?.lines).toEqual([11, 12]);
		expect(report.warnings.find((w) => w.code === 'duplicate-normalized')?.lines).toEqual([11, 13]);
		expect(report.warnings.filter((w) => w.code === 'near-duplicate').map((w) => w.lines)).toEqual([
			[14, 15],
			[16, 17]
		]);
		expect(report.fixes.dropDuplicates).toEqual([12, 13]);
	});

	it('train/validation overlap: inputs equal up to case and spacing, down to their last word', async () => {
		const pair = (user: string, assistant: string) =>
			JSON.stringify({
				messages: [
					{ role: 'user', content: user },
					{ role: 'assistant', content: assistant }
				]
			});
		const keys = async (lines: string[]) =>
			(await validateLines(lines, { format: 'openai-chat', model: 'gpt-4o-mini-2024-07-18' }))
				.validator.inputKeys;
		const train = await keys([pair('What is the capital of France', 'Paris')]);
		const validation = await keys([
			pair('What is the capital of Spain', 'Madrid'),
			pair('what is the   CAPITAL of France', 'Paris, of course'),
			pair('What is the capital of France?', 'Paris')
		]);
		const { report } = await validateLines([], {
			format: 'openai-chat',
			model: 'gpt-4o-mini-2024-07-18'
		});
		const overlap = addOverlap(report, train, validation).warnings.find(
			(w) => w.code === 'train-validation-overlap'
		);
		expect(overlap?.lines).toEqual([2]);
	});

	it('inconsistent system prompts name the examples that differ from the usual one', async () => {
		const lines = ten().map((line, i) =>
			i === 4
				? { messages: [{ role: 'system', content: 'Be verbose.' }, ...line.messages.slice(1)] }
				: line
		);
		const report = await reportOnLines(lines);
		expect(report.warnings.find((w) => w.code === 'inconsistent-system-prompt')).toMatchObject({
			lines: [5],
			count: 1
		});
	});

	it('epochs heuristic: 3, raised for small files, lowered for big ones', () => {
		expect(defaultEpochs(10)).toBe(10);
		expect(defaultEpochs(5)).toBe(20);
		expect(defaultEpochs(2)).toBe(25);
		expect(defaultEpochs(34)).toBe(3);
		expect(defaultEpochs(8333)).toBe(3);
		expect(defaultEpochs(10_000)).toBe(2);
		expect(defaultEpochs(100_000)).toBe(1);
	});

	it('cost: billed tokens × epochs × the (editable) price', async () => {
		const report = await reportOnLines(ten(), { prices: { 'gpt-4o-mini-2024-07-18': 10 } });
		expect(report.cost.trainedTokens).toBe(report.billedTokens * report.epochs);
		expect(report.cost.usd).toBeCloseTo((report.billedTokens * 10 * 10) / 1e6, 10);
	});

	it('fixes write a new file and leave the lines they do not touch as they were', async () => {
		const lines = [
			...ten(),
			JSON.stringify(chat(3)),
			JSON.stringify(toolChat(1, [call({ city: 'Paris' })]))
		].map((line) => (typeof line === 'string' ? line : JSON.stringify(line)));
		const report = await reportOnLines(lines);
		const numbered = lines.map((text, i) => ({ line: i + 1, text }));
		const fixed: string[] = [];
		for await (const line of applyFixes(numbered, report, [
			'drop-duplicates',
			'reencode-arguments'
		]))
			fixed.push(line);
		expect(fixed).toHaveLength(11);
		expect(fixed.slice(0, 10)).toEqual(lines.slice(0, 10));
		const again = await reportOnLines(fixed);
		expect(again.errors).toEqual([]);
		expect(JSON.parse(fixed[10]).messages[1].tool_calls[0].function.arguments).toBe(
			'{"city":"Paris"}'
		);
	});
});
