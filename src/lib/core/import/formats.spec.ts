import { describe, expect, it } from 'vitest';
import type { ParsedRecord } from '../types';
import { detectRecord, MAX_DEPTH, readTime } from './formats';

function accept(value: unknown): ParsedRecord {
	const result = detectRecord(value);
	if (!result.ok) throw new Error(`rejected: ${result.reason}`);
	return result.record;
}

function reject(value: unknown): string {
	const result = detectRecord(value);
	if (result.ok) throw new Error(`accepted as ${result.record.format}`);
	return result.reason;
}

const user = { role: 'user', content: 'Hi' };
const assistant = { role: 'assistant', content: 'Hello!' };

describe('OpenAI chat', () => {
	it('takes the last assistant message as the output and all before it as the input', () => {
		const record = accept({
			messages: [
				{ role: 'system', content: 'S' },
				user,
				assistant,
				{ role: 'user', content: 'More' },
				{ role: 'assistant', content: 'Sure', weight: 1 }
			]
		});
		expect(record.format).toBe('openai-chat');
		expect(record.logs).toHaveLength(1);
		expect(record.logs[0].input.map((m) => m.content)).toEqual(['S', 'Hi', 'Hello!', 'More']);
		expect(record.logs[0].output).toEqual({ role: 'assistant', content: 'Sure', weight: 1 });
		expect(record.feedback).toEqual([]);
	});

	it('reads tool calls without content, tool messages, tools and parallel_tool_calls', () => {
		const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } };
		const record = accept({
			messages: [
				user,
				{ role: 'assistant', tool_calls: [call] },
				{ role: 'tool', tool_call_id: 'call_1', content: '42' },
				{ role: 'assistant', content: null, tool_calls: [call] }
			],
			tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
			parallel_tool_calls: false
		});
		const log = record.logs[0];
		expect(log.input[1]).toEqual({ role: 'assistant', content: null, tool_calls: [call] });
		expect(log.output.tool_calls).toEqual([call]);
		expect(log.tools).toHaveLength(1);
		expect(log.parallelToolCalls).toBe(false);
	});

	it('keeps turns after the last assistant message, and a chat without a user message', () => {
		const record = accept({ messages: [user, assistant, { role: 'user', content: 'Bye' }] });
		expect(record.logs[0].extra).toEqual({ trailing_messages: [{ role: 'user', content: 'Bye' }] });
		expect(
			accept({ messages: [{ role: 'system', content: 'S' }, assistant] }).logs[0].input
		).toHaveLength(1);
	});

	it('rejects a chat with no assistant message, and bad messages by field', () => {
		expect(reject({ messages: [user] })).toBe(
			'messages: no assistant message to use as the output'
		);
		expect(reject({ messages: [] })).toBe('messages: no assistant message to use as the output');
		expect(reject({ messages: [user, assistant, { role: 'bot', content: 'x' }] })).toBe(
			'messages[2].role: "bot" is not a role (expected system, developer, user, assistant, tool or function)'
		);
		expect(reject({ messages: 'hi' })).toBe(
			'messages: expected an array of messages, got a string'
		);
		expect(reject({ messages: [user, assistant], tools: {} })).toBe(
			'tools: expected an array of tools, got an object'
		);
		expect(reject({ messages: [user, assistant], parallel_tool_calls: 'yes' })).toBe(
			'parallel_tool_calls: expected a boolean, got a string'
		);
	});

	it('picks up model, params, metadata and created time; keeps other fields in extra', () => {
		const record = accept({
			messages: [user, assistant],
			model: 'gpt-4o-mini',
			temperature: 0.2,
			top_p: 1,
			max_tokens: 100,
			metadata: { user: 'u1' },
			created: 1_700_000_000,
			session: 'abc'
		});
		const log = record.logs[0];
		expect(log.model).toBe('gpt-4o-mini');
		expect(log.params).toEqual({ temperature: 0.2, top_p: 1, max_tokens: 100 });
		expect(log.metadata).toEqual({ user: 'u1' });
		expect(log.createdAt).toBe(1_700_000_000_000);
		expect(log.extra).toEqual({ session: 'abc' });
	});
});

describe('readTime', () => {
	it('reads seconds, milliseconds and ISO dates', () => {
		expect(readTime(1_700_000_000)).toBe(1_700_000_000_000);
		expect(readTime(1_700_000_000_123)).toBe(1_700_000_000_123);
		expect(readTime('1700000000')).toBe(1_700_000_000_000);
		expect(readTime('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
		expect(readTime('yesterday')).toBeUndefined();
		expect(readTime(-5)).toBeUndefined();
	});
});

describe('OpenAI DPO', () => {
	it('gives two logs with the same input and a pairwise preference for the first', () => {
		const record = accept({
			input: { messages: [user], tools: [] },
			preferred_output: [{ role: 'assistant', content: 'Good' }],
			non_preferred_output: [{ role: 'assistant', content: 'Bad' }]
		});
		expect(record.format).toBe('openai-dpo');
		expect(record.logs.map((l) => l.output.content)).toEqual(['Good', 'Bad']);
		expect(record.logs[0].input).toEqual(record.logs[1].input);
		expect(record.feedback).toEqual([
			{ logIndex: 0, body: { kind: 'pairwise', otherLogIndex: 1, choice: 'this' } }
		]);
	});

	it('says what is wrong with a DPO line', () => {
		expect(reject({ input: { messages: [user] }, preferred_output: [assistant] })).toBe(
			'non_preferred_output: missing (an OpenAI DPO line needs both outputs)'
		);
		expect(
			reject({
				input: { messages: [user] },
				preferred_output: [assistant, assistant],
				non_preferred_output: [assistant]
			})
		).toBe('preferred_output: expected one assistant message, got 2');
		expect(
			reject({
				input: { messages: [user] },
				preferred_output: [user],
				non_preferred_output: [assistant]
			})
		).toBe('preferred_output[0].role: "user" is not "assistant"');
		expect(
			reject({ input: 'hi', preferred_output: [assistant], non_preferred_output: [assistant] })
		).toBe('input: expected an object {messages, tools?}, got a string');
		expect(reject({ input: { messages: [user] } })).toContain('no preferred_output');
	});
});

describe('legacy and prompt logs', () => {
	it('reads {prompt, completion} as a user message and an assistant reply', () => {
		const record = accept({ prompt: 'Q?', completion: ' A.<|endoftext|>' });
		expect(record.format).toBe('legacy');
		expect(record.logs[0].input).toEqual([{ role: 'user', content: 'Q?' }]);
		expect(record.logs[0].output).toEqual({ role: 'assistant', content: ' A.<|endoftext|>' });
	});

	it('reads prompt or input with output/response/answer, as feedback logs', () => {
		expect(accept({ prompt: 'Q', response: 'A' }).format).toBe('feedback-log');
		expect(accept({ input: 'Q', output: 'A' }).logs[0].input).toEqual([
			{ role: 'user', content: 'Q' }
		]);
		expect(
			accept({ prompt: 'Q', answer: { role: 'assistant', content: 'A' }, system: 'S' }).logs[0]
				.input
		).toEqual([
			{ role: 'system', content: 'S' },
			{ role: 'user', content: 'Q' }
		]);
		expect(reject({ prompt: 'Q' })).toBe(
			'prompt has no output next to it: expected a completion, output, response or answer field'
		);
	});
});

describe('feedback', () => {
	const thumb = (label: unknown) => {
		const record = accept({ messages: [user, assistant], label });
		return record.feedback.map((f) => (f.body.kind === 'thumb' ? f.body.value : f.body.kind));
	};

	it('reads label spellings as thumbs', () => {
		for (const up of [true, 1, 'good', 'Good', 'up', 'positive', '👍', '👍🏽', 'yes', 'true'])
			expect(thumb(up), String(up)).toEqual([1]);
		for (const down of [false, 0, -1, 'bad', 'down', 'negative', '👎', 'no'])
			expect(thumb(down), String(down)).toEqual([-1]);
		expect(thumb(null)).toEqual([]);
		expect(reject({ messages: [user, assistant], label: 'billing' })).toBe(
			'label: "billing" is not a thumbs label (expected true/false, 1/0, "good"/"bad", "up"/"down" or "👍"/"👎")'
		);
		// Words an object has built in are not labels either.
		for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
			expect(reject({ messages: [user, assistant], label: word }), word).toBe(
				`label: "${word}" is not a thumbs label (expected true/false, 1/0, "good"/"bad", "up"/"down" or "👍"/"👎")`
			);
	});

	it('marks a chat with feedback as a feedback log, with all kinds of feedback', () => {
		const record = accept({
			prompt: 'Q',
			completion: 'A',
			rating: 4,
			feedback: 'too long',
			comment: 'see ticket',
			ideal: 'Shorter A'
		});
		expect(record.format).toBe('feedback-log');
		expect(record.feedback.map((f) => f.body)).toEqual([
			{ kind: 'rating', value: 4 },
			{ kind: 'comment', text: 'too long' },
			{ kind: 'comment', text: 'see ticket' },
			{ kind: 'correction', output: { role: 'assistant', content: 'Shorter A' } }
		]);
		expect(accept({ messages: [user, assistant], feedback: 'down' }).feedback[0].body).toEqual({
			kind: 'thumb',
			value: -1
		});
		expect(accept({ messages: [user, assistant], kto_tag: false }).feedback[0].body).toEqual({
			kind: 'thumb',
			value: -1
		});
		expect(
			accept({ messages: [user, assistant], correction: { role: 'assistant', content: 'C' } })
				.feedback[0].body
		).toEqual({
			kind: 'correction',
			output: { role: 'assistant', content: 'C' }
		});
	});

	it('accepts ratings 1 to 5 only, and says so', () => {
		expect(accept({ prompt: 'Q', completion: 'A', rating: '2.5' }).feedback[0].body).toEqual({
			kind: 'rating',
			value: 2.5
		});
		expect(reject({ prompt: 'Q', completion: 'A', rating: 7 })).toBe(
			'rating: 7 is not a rating from 1 to 5'
		);
		expect(reject({ prompt: 'Q', completion: 'A', rating: 0 })).toBe(
			'rating: 0 is not a rating from 1 to 5'
		);
	});

	it('takes a chat not ending in an assistant message with a separate output field', () => {
		const record = accept({ messages: [user], output: 'Hello', label: true });
		expect(record.format).toBe('feedback-log');
		expect(record.logs[0].input).toEqual([{ role: 'user', content: 'Hi' }]);
		expect(record.logs[0].output).toEqual({ role: 'assistant', content: 'Hello' });
	});
});

describe('preference pairs (TRL, LLaMA-Factory)', () => {
	it('reads {prompt, chosen, rejected} as two logs and a preference', () => {
		const record = accept({ prompt: 'Q', chosen: 'Good', rejected: 'Bad' });
		expect(record.format).toBe('preference');
		expect(record.logs.map((l) => l.output.content)).toEqual(['Good', 'Bad']);
		expect(record.feedback[0].body).toEqual({ kind: 'pairwise', otherLogIndex: 1, choice: 'this' });
	});

	it('reads conversational and ShareGPT pairs', () => {
		const conversational = accept({
			prompt: [user],
			chosen: [{ role: 'assistant', content: 'Good' }],
			rejected: [{ role: 'assistant', content: 'Bad' }]
		});
		expect(conversational.logs[1].input).toEqual([{ role: 'user', content: 'Hi' }]);
		const sharegpt = accept({
			conversations: [{ from: 'human', value: 'Q' }],
			chosen: { from: 'gpt', value: 'Good' },
			rejected: { from: 'gpt', value: 'Bad' }
		});
		expect(sharegpt.logs[0].output).toEqual({ role: 'assistant', content: 'Good' });
		expect(accept({ prompt: 'Q', completion: 'A', rejected: false }).logs[0].extra).toEqual({
			rejected: false
		});
	});
});

describe('other shapes', () => {
	it('says what a non-object is', () => {
		expect(reject([1, 2])).toBe(
			'valid JSON, but an array, not an object: a log is one JSON object'
		);
		expect(reject(42)).toBe('valid JSON, but a number, not an object: a log is one JSON object');
		expect(reject('x')).toContain('a string, not an object');
		expect(reject(null)).toContain('null, not an object');
	});

	it('lists the fields of an unknown shape and points to the mapping', () => {
		const result = detectRecord({ text: 'x', category: 'y' });
		expect(result).toEqual({
			ok: false,
			unknownShape: true,
			reason:
				'valid JSON, but not a log format Tuneloop knows (fields: text, category); map its fields in the import dialog'
		});
	});

	it('rejects records nested too deep to store', () => {
		let deep: unknown = {};
		for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { a: deep };
		expect(reject({ messages: [user, assistant], metadata: deep })).toBe(
			`nested more than ${MAX_DEPTH} levels deep: too deep to store`
		);
	});
});
