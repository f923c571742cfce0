import { describe, expect, it } from 'vitest';
import type { StoredMessage } from './client';
import { parseMetadataFilter, storedMessage } from './stored';

describe('parseMetadataFilter', () => {
	it('reads key=value by line or comma and names what is not', () => {
		expect(parseMetadataFilter('topic=billing, tier = pro\n\n')).toEqual({
			metadata: { topic: 'billing', tier: 'pro' },
			errors: []
		});
		expect(parseMetadataFilter('topic').errors).toEqual(['“topic” is not key=value']);
		expect(parseMetadataFilter('=x').errors).toHaveLength(1);
	});
});

describe('storedMessage', () => {
	it('keeps role and content, prefers content parts, keeps tool calls', () => {
		expect(
			storedMessage({
				id: 'm1',
				role: 'user',
				content: 'hi',
				content_parts: null
			} as unknown as StoredMessage)
		).toEqual({ role: 'user', content: 'hi' });
		const parts = [{ type: 'text', text: 'look' }];
		expect(
			storedMessage({
				id: 'm2',
				role: 'user',
				content: 'look',
				content_parts: parts
			} as unknown as StoredMessage).content
		).toEqual(parts);
		const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
		expect(
			storedMessage({
				id: 'm3',
				role: 'assistant',
				content: null,
				tool_calls: [call]
			} as unknown as StoredMessage)
		).toEqual({ role: 'assistant', content: null, tool_calls: [call] });
	});
});
