/**
 * The log browser's bulk actions over selected (or all matching) logs: label, tag, delete. Each is
 * one undoable action (Ctrl+Z, or the toast's Undo button).
 */
import { feedbackHistory } from './feedback-history.svelte';
import { handleError } from './handle-error';
import { toasts } from './toasts.svelte';

const plural = (n: number) => `${n.toLocaleString('en-US')} log${n === 1 ? '' : 's'}`;

function offerUndo(text: string): void {
	toasts.show(text, 'success', 8000, {
		label: 'Undo',
		run: () => void feedbackHistory.undoWithNotice()
	});
}

export async function labelLogs(projectId: string, ids: string[], value: 1 | -1 | null) {
	const what = value === 1 ? '👍' : value === -1 ? '👎' : 'no label';
	const label = `${what} on ${plural(ids.length)}`;
	try {
		await feedbackHistory.record(
			label,
			projectId,
			ids.map((logId) => ({ logId, body: { kind: 'thumb', value } }))
		);
		offerUndo(`Marked ${plural(ids.length)} ${what}`);
	} catch (error) {
		handleError(error, `Could not label ${plural(ids.length)}`);
	}
}

export async function tagLogs(projectId: string, ids: string[], tag: string, on = true) {
	const label = `${on ? 'tag' : 'untag'} ${tag} on ${plural(ids.length)}`;
	try {
		await feedbackHistory.record(
			label,
			projectId,
			ids.map((logId) => ({ logId, body: { kind: 'tag', tag, on } }))
		);
		offerUndo(`${on ? 'Tagged' : 'Untagged'} ${plural(ids.length)} “${tag}”`);
	} catch (error) {
		handleError(error, `Could not tag ${plural(ids.length)}`);
	}
}

export async function deleteLogs(ids: string[]) {
	try {
		const removed = await feedbackHistory.deleteLogs(`delete ${plural(ids.length)}`, ids);
		offerUndo(`Deleted ${plural(removed)}`);
	} catch (error) {
		handleError(error, `Could not delete ${plural(ids.length)}`);
	}
}
