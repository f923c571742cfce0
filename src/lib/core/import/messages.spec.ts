import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { chatMessageSchema, parseMessage, parseMessages, readMessage } from './messages';

const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };

/** Messages good and bad in every way the contract cares about. */
function corpus(): unknown[] {
	const values: unknown[] = [null, 1, 'x', [], [{}]];
	const roles = [
		'user',
		'assistant',
		'system',
		'tool',
		'developer',
		'function',
		'bot',
		3,
		undefined
	];
	const contents = [
		'hi',
		'',
		null,
		undefined,
		[],
		[{ type: 'text', text: 'a' }],
		[{ text: 'a' }],
		[1],
		5,
		{}
	];
	const extras: Record<string, unknown>[] = [
		{},
		{ tool_calls: [call] },
		{ tool_calls: [] },
		{ tool_calls: null },
		{ tool_calls: [{ ...call, type: 'other' }] },
		{ tool_calls: [{ ...call, function: { name: 'f', arguments: {} } }] },
		{ tool_calls: {} },
		{ name: 'n' },
		{ name: 5 },
		{ tool_call_id: 'c' },
		{ tool_call_id: 1 },
		{ weight: 0 },
		{ weight: 1 },
		{ weight: 2 },
		{ weight: null },
		{ refusal: null, audio: null }
	];
	for (const role of roles)
		for (const content of contents)
			for (const extra of extras) values.push({ role, content, ...extra });
	for (const file of ['cookbook-drone_training.jsonl', 'foundry-stock_toolcall_training.jsonl']) {
		const text = readFileSync(`/work/shared/data/formats/${file}`, 'utf8');
		for (const line of text.split('\n').filter(Boolean)) values.push(...JSON.parse(line).messages);
	}
	return values;
}

describe('readMessage (the fast path)', () => {
	it('accepts exactly what chatMessageSchema accepts, with the same output', () => {
		let accepted = 0;
		for (const value of corpus()) {
			const fast = readMessage(value);
			const schema = v.safeParse(chatMessageSchema, value);
			expect(fast !== null, JSON.stringify(value)).toBe(schema.success);
			if (fast && schema.success) {
				accepted++;
				const expected = Object.fromEntries(
					Object.entries(schema.output).filter(([, item]) => item != null || item === null)
				);
				for (const key of ['name', 'tool_calls', 'tool_call_id', 'weight'])
					if (expected[key] == null) delete expected[key];
				expect(fast).toEqual(expected);
			}
		}
		expect(accepted).toBeGreaterThan(100);
	});
});

describe('parseMessage reasons', () => {
	const reason = (value: unknown) => {
		const result = parseMessage(value, 'messages[2]');
		return result.ok ? 'ok' : result.reason;
	};

	it('name the field and say what was expected', () => {
		expect(reason({ role: 'bot', content: 'x' })).toBe(
			'messages[2].role: "bot" is not a role (expected system, developer, user, assistant, tool or function)'
		);
		expect(reason({ content: 'x' })).toBe('messages[2].role: missing "role"');
		expect(reason({ role: 'user', content: 5 })).toBe(
			'messages[2].content: expected a string, an array of content parts or null, got a number'
		);
		expect(reason({ role: 'user', content: [{ text: 'a' }] })).toBe(
			'messages[2].content[0].type: missing "type"'
		);
		expect(reason({ role: 'user' })).toBe(
			'messages[2]: has no content (only an assistant message with tool_calls may leave it out)'
		);
		expect(
			reason({
				role: 'assistant',
				tool_calls: [{ ...call, function: { name: 'f', arguments: { a: 1 } } }]
			})
		).toBe(
			'messages[2].tool_calls[0].function.arguments: expected a JSON string, got an object (OpenAI wants the arguments JSON-encoded)'
		);
		expect(reason({ role: 'assistant', content: 'x', weight: 2 })).toBe(
			'messages[2].weight: 2 is not 0 or 1'
		);
		expect(reason('hello')).toBe(
			'messages[2]: expected a message object {role, content}, got a string'
		);
	});
});

describe('parseMessages', () => {
	it('reads ShareGPT turns, tool calls included', () => {
		const result = parseMessages(
			[
				{ from: 'system', value: 'S' },
				{ from: 'human', value: 'Weather?' },
				{ from: 'function_call', value: '{"name": "weather", "arguments": {"city": "Oslo"}}' },
				{ from: 'observation', value: '{"temp": 3}' },
				{ from: 'gpt', value: 'It is 3 degrees.' }
			],
			'conversations'
		);
		expect(result).toEqual({
			ok: true,
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'Weather?' },
				{
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: 'call_2_0',
							type: 'function',
							function: { name: 'weather', arguments: '{"city":"Oslo"}' }
						}
					]
				},
				{ role: 'tool', content: '{"temp": 3}', tool_call_id: 'call_2_0' },
				{ role: 'assistant', content: 'It is 3 degrees.' }
			]
		});
	});

	it('rejects an unknown ShareGPT tag and a non-array', () => {
		expect(parseMessages([{ from: 'alien', value: 'x' }], 'conversations')).toEqual({
			ok: false,
			reason:
				'conversations[0].from: "alien" is not a ShareGPT role (expected human, gpt, system, function_call or observation)'
		});
		// A tag an object has built in is not a role either.
		expect(parseMessages([{ from: 'constructor', value: 'x' }], 'conversations')).toEqual({
			ok: false,
			reason:
				'conversations[0].from: "constructor" is not a ShareGPT role (expected human, gpt, system, function_call or observation)'
		});
		expect(parseMessages('hi', 'messages')).toEqual({
			ok: false,
			reason: 'messages: expected an array of messages, got a string'
		});
	});
});
