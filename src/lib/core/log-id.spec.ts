import { describe, expect, it } from 'vitest';
import { importLogId } from './log-id';

describe('importLogId', () => {
	it('sorts by import start, then line, then index within the line', () => {
		const ids = [
			importLogId('p', 2_000, 1, 0),
			importLogId('p', 1_000, 100_000, 1),
			importLogId('p', 1_000, 100_000, 0),
			importLogId('p', 1_000, 9, 0),
			importLogId('p', 1_000, 10, 0)
		];
		expect([...ids].sort()).toEqual([ids[3], ids[4], ids[2], ids[1], ids[0]]);
	});

	it('is the same for the same import, line and index, and scoped by project', () => {
		expect(importLogId('p', 5, 6, 0)).toBe(importLogId('p', 5, 6, 0));
		expect(importLogId('p', 5, 6, 0)).not.toBe(importLogId('q', 5, 6, 0));
		expect(importLogId('p', 5, 6, 0).startsWith('p:')).toBe(true);
	});
});
