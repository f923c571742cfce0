import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { isQuotaError, StorageFullError, toStorageError, withStorageErrors } from './errors';

describe('storage errors', () => {
	const quota = new DOMException('Quota exceeded', 'QuotaExceededError');

	it('recognises quota errors however they are wrapped', () => {
		expect(isQuotaError(quota)).toBe(true);
		expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true);
		expect(isQuotaError(new Dexie.AbortError('aborted', quota))).toBe(true);
		expect(isQuotaError({ name: 'BulkError', failures: [new Error('x'), quota] })).toBe(true);
		expect(isQuotaError({ name: 'ModifyError', failures: { 3: quota } })).toBe(true);
		expect(isQuotaError(new Error('other', { cause: quota }))).toBe(true);
		expect(isQuotaError(new Dexie.ConstraintError('dup'))).toBe(false);
		expect(isQuotaError('QuotaExceededError')).toBe(false);
	});

	it('maps them to StorageFullError with a user message', async () => {
		const mapped = toStorageError(quota);
		expect(mapped).toBeInstanceOf(StorageFullError);
		expect((mapped as Error).name).toBe('StorageFullError');
		expect((mapped as Error).message).toMatch(/^Browser storage is full: /);
		const other = new Error('x');
		expect(toStorageError(other)).toBe(other);
		await expect(withStorageErrors(() => Promise.reject(quota))).rejects.toBeInstanceOf(
			StorageFullError
		);
	});
});
