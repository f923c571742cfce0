/**
 * The UI's one way to report a failure: a user-facing message plus the cause. Errors crossing a
 * worker keep only name/message/stack, so callers branch on `name`. Aborts are not errors.
 */
import { toasts } from './toasts.svelte';

export function isAbort(error: unknown): boolean {
	return error instanceof Error && error.name === 'AbortError';
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}

export function handleError(error: unknown, userMessage: string): void {
	if (isAbort(error)) return;
	console.error(userMessage, error);
	toasts.show(`${userMessage}: ${errorMessage(error)}`, 'error');
}
