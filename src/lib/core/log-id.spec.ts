import { describe, expect, it } from 'vitest';
import {
	importLogId,
	importLogIdRange,
	logIdTime,
	logIdTimeRange,
	projectLogIdRange
} from './log-id';

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

	it('has ranges for a project and for one import of it', () => {
		const inRange = (id: string, [lower, upper]: [string, string]) => id >= lower && id <= upper;
		const project = projectLogIdRange('p');
		const imported = importLogIdRange('p', 1_000);
		expect(inRange(importLogId('p', 1_000, 1, 0), imported)).toBe(true);
		expect(inRange(importLogId('p', 1_000, 9_999_999, 3), imported)).toBe(true);
		// The same millisecond outside an import (line 0), other imports, other projects.
		expect(inRange(importLogId('p', 1_000, 0, 0), imported)).toBe(false);
		expect(inRange(importLogId('p', 999, 5, 0), imported)).toBe(false);
		expect(inRange(importLogId('p', 1_001, 1, 0), imported)).toBe(false);
		expect(inRange(importLogId('q', 1_000, 1, 0), imported)).toBe(false);
		expect(inRange(importLogId('p', 1_000, 0, 0), project)).toBe(true);
		expect(inRange(importLogId('p', 9e12, 5, 0), project)).toBe(true);
		expect(inRange(importLogId('pq', 1_000, 1, 0), project)).toBe(false);
		expect(inRange(importLogId('o', 1_000, 1, 0), project)).toBe(false);
	});

	it('spells its time: read back exactly, and ranged by time', () => {
		const id = importLogId('p', 1_700_000_123_456, 42, 1);
		expect(logIdTime(id)).toBe(1_700_000_123_456);
		expect(logIdTime('not-a-log-id')).toBeUndefined();
		expect(logIdTime('p:zz')).toBeUndefined();
		const [lower, upper] = logIdTimeRange('p', 1_700_000_123_456, 1_700_000_123_456);
		expect(id > lower && id < upper).toBe(true);
		const [, before] = logIdTimeRange('p', 0, 1_700_000_123_455);
		expect(id > before).toBe(true);
		const [after] = logIdTimeRange('p', 1_700_000_123_457, Infinity);
		expect(id < after).toBe(true);
		const [all, allUpper] = logIdTimeRange('p', -Infinity, Infinity);
		expect(id > all && id < allUpper).toBe(true);
		expect(importLogId('q', 1, 1, 0) > allUpper || importLogId('q', 1, 1, 0) < all).toBe(true);
	});
});
