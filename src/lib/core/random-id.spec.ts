import { describe, expect, it } from 'vitest';
import { randomId } from './random-id';

describe('randomId', () => {
	it('gives 14 base-36 characters (no ":", which log ids use to end the project id)', () => {
		for (let i = 0; i < 200; i++) expect(randomId()).toMatch(/^[0-9a-z]{14}$/);
	});

	it('does not repeat', () => {
		const ids = new Set(Array.from({ length: 10_000 }, randomId));
		expect(ids.size).toBe(10_000);
	});
});
