import { describe, expect, it } from 'vitest';
import { contentHash } from '../core/hash';
import { detectRecord } from '../core/import/formats';
import { generationLog } from './to-log';
import { cleanRewrite, rewriteRequest } from './rewrite';

describe('generationLog', () => {
	const input = [
		{ role: 'system' as const, content: 'Be brief.' },
		{ role: 'user' as const, content: 'Where is my parcel?' }
	];

	it('gives the content hash a file import of the same conversation gives', () => {
		const result = generationLog({
			projectId: 'p1',
			input,
			output: 'On its way.',
			model: 'gpt-4o-mini',
			params: { temperature: 0.5, finish_reason: 'stop' },
			createdAt: 1_700_000_000_000,
			kind: 'playground',
			index: 1,
			now: 1_700_000_001_000
		});
		if (!result.ok) throw new Error(result.reason);
		const fromFile = detectRecord({
			messages: [...input, { role: 'assistant', content: 'On its way.' }],
			model: 'other'
		});
		if (!fromFile.ok) throw new Error(fromFile.reason);
		expect(result.log.hash).toBe(contentHash(fromFile.record.logs[0]));
		expect(result.log).toMatchObject({
			projectId: 'p1',
			model: 'gpt-4o-mini',
			source: { kind: 'playground' },
			params: { temperature: 0.5, finish_reason: 'stop' },
			thumb: 0,
			createdAt: 1_700_000_000_000
		});
		expect(result.log.id.startsWith('p1:')).toBe(true);
	});

	it('says why a generation cannot be a log', () => {
		const result = generationLog({
			projectId: 'p1',
			input: [{ role: 'user', content: 'x' }],
			output: 'y',
			model: 'm',
			metadata: { a: 'b' },
			createdAt: 1,
			kind: 'api',
			index: 0,
			now: 2
		});
		expect(result.ok).toBe(true);
	});
});

describe('rewriteRequest', () => {
	it('fences the output and the comments, at a low temperature', () => {
		const request = rewriteRequest(
			{
				input: [{ role: 'user', content: 'Refund?' }],
				output: { role: 'assistant', content: 'No.' },
				comments: ['Too curt', 'Explain the policy']
			},
			'gpt-4o-mini',
			{ item: 'log-1' }
		);
		expect(request.model).toBe('gpt-4o-mini');
		const user = String(request.messages[1].content);
		expect(user).toContain('<output>\nNo.\n</output>');
		expect(user).toContain('<comment>\nToo curt\nExplain the policy\n</comment>');
		expect(user).toContain('user: Refund?');
		expect(request.metadata).toEqual({ item: 'log-1' });
	});

	it('cleanRewrite unwraps quotes and echoed tags', () => {
		expect(cleanRewrite('  "Hello there."  ')).toBe('Hello there.');
		expect(cleanRewrite('<output>\nFixed.\n</output>')).toBe('Fixed.');
		expect(cleanRewrite('He said "hi" and "bye"')).toBe('He said "hi" and "bye"');
	});
});
