/**
 * Storage errors the user can act on. A full disk shows up in many shapes (a DOMException named
 * QuotaExceededError, Dexie's wrapper of it, an AbortError whose inner cause is one, a BulkError
 * listing failures…); every write path maps them to one StorageFullError so the UI (and code on
 * the far side of a worker, where only `name` and `message` survive) can branch on its name.
 */

export const STORAGE_FULL_MESSAGE =
	'Browser storage is full: free space by deleting projects or old imports (download a backup ' +
	'first), or allow this site more storage in the browser settings. Nothing from the failed ' +
	'write was saved.';

export class StorageFullError extends Error {
	override name = 'StorageFullError';

	constructor(cause?: unknown) {
		super(STORAGE_FULL_MESSAGE, { cause });
	}
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** True when the error, or anything it wraps, is the browser refusing to store more. */
export function isQuotaError(error: unknown, depth = 0): boolean {
	if (depth > 5 || error === null || typeof error !== 'object') return false;
	const shape = error as {
		name?: unknown;
		inner?: unknown;
		cause?: unknown;
		failures?: unknown;
	};
	if (typeof shape.name === 'string' && QUOTA_NAMES.has(shape.name)) return true;
	if (shape.name === 'StorageFullError') return true;
	if (isQuotaError(shape.inner, depth + 1) || isQuotaError(shape.cause, depth + 1)) return true;
	// Dexie's BulkError/ModifyError: `failures` is an array or a position → error map.
	const failures = shape.failures;
	if (failures && typeof failures === 'object') {
		return Object.values(failures).some((failure) => isQuotaError(failure, depth + 1));
	}
	return false;
}

/** Replaces a quota error by a StorageFullError; other errors pass through unchanged. */
export function toStorageError(error: unknown): unknown {
	if (error instanceof StorageFullError) return error;
	return isQuotaError(error) ? new StorageFullError(error) : error;
}

/** Runs a write and rethrows a full-storage failure as StorageFullError. */
export async function withStorageErrors<T>(write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		throw toStorageError(error);
	}
}
