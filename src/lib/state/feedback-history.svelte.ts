/**
 * Undo and redo for everything the user does to feedback, across pages. Feedback is append-only,
 * so undoing appends `undo` events aimed at the action's events, and redoing appends undos of
 * those undos (core/feedback.ts resolves the chain). Deleting logs is the one action that removes
 * rows; its undo puts the removed rows back. The stacks live for the tab's session.
 */
import type { FeedbackBody } from '$lib/core/types';
import { isTyping, undoRedoKey } from './keys';
import { FeedbackJournal } from '$lib/db/feedback-journal';
import { FeedbackQueue } from '$lib/db/feedback-queue';
import {
	CHUNK,
	appendInChunks,
	deleteLogs,
	restoreDeleted,
	type DeletedLogs,
	type Progress
} from '$lib/db/bulk';
import type { NewFeedbackEvent } from '$lib/db/feedback';
import { afterPaint } from './after-paint';
import { handleError } from './handle-error';
import { toasts } from './toasts.svelte';

type Entry =
	| { kind: 'events'; label: string; projectId: string; eventIds: number[]; logIds: string[] }
	| { kind: 'delete'; label: string; deleted: DeletedLogs }
	| { kind: 'restore'; label: string; logIds: string[] };

/** One statement by the user about one log. */
export interface Judgement {
	logId: string;
	body: FeedbackBody;
}

/** Told which logs an undo or redo changed (pages holding those logs' events reload them). */
export type ChangeListener = (logIds: readonly string[]) => void;

function logIdsOf(entry: Entry): string[] {
	if (entry.kind === 'events') return entry.logIds;
	if (entry.kind === 'delete') return entry.deleted.logs.map((log) => log.id);
	return entry.logIds;
}

class FeedbackHistory {
	#journal = new FeedbackJournal();
	// Small writes start after the frame that shows them is painted (journaled meanwhile).
	#queue = new FeedbackQueue({ journal: this.#journal, schedule: afterPaint });
	#replayed: Promise<void> | null = null;
	#listeners = new Set<ChangeListener>();
	#recordListeners = new Set<ChangeListener>();
	#undo = $state.raw<Entry[]>([]);
	#redo = $state.raw<Entry[]>([]);
	/** Set while an undo/redo/bulk write runs, so keys pressed meanwhile do not interleave. */
	busy = $state(false);
	/** Progress of a long bulk action, 0–1, or null. */
	progress = $state<number | null>(null);

	/**
	 * Resolves once judgements that a reload or a closed tab left in the journal are stored
	 * (replayed once per page load; readers of feedback wait for it).
	 */
	ready(): Promise<void> {
		this.#replayed ??= this.#journal.replay().then(
			({ dropped }) => {
				if (dropped > 0)
					toasts.show(
						`${dropped} unsaved judgement${dropped === 1 ? '' : 's'} from before the reload named deleted logs and ${dropped === 1 ? 'was' : 'were'} dropped`
					);
			},
			(error: unknown) => handleError(error, 'Could not restore judgements from before the reload')
		);
		return this.#replayed;
	}

	get canUndo(): boolean {
		return this.#undo.length > 0 && !this.busy;
	}

	get canRedo(): boolean {
		return this.#redo.length > 0 && !this.busy;
	}

	get undoLabel(): string | null {
		return this.#undo.at(-1)?.label ?? null;
	}

	get redoLabel(): string | null {
		return this.#redo.at(-1)?.label ?? null;
	}

	/**
	 * Records the user's judgements (persisted before this resolves; one transaction per chunk of
	 * logs) and makes them one undoable action. Returns the new event ids.
	 */
	async record(
		label: string,
		projectId: string,
		judgements: readonly Judgement[]
	): Promise<number[]> {
		const at = Date.now();
		const events: NewFeedbackEvent[] = judgements.map(({ logId, body }) => ({
			logId,
			projectId,
			at,
			actor: 'me',
			body
		}));
		const eventIds = await this.#write(events, judgements.length > 1000);
		this.#push({
			kind: 'events',
			label,
			projectId,
			eventIds,
			logIds: judgements.map((j) => j.logId)
		});
		return eventIds;
	}

	/** Deletes logs (with their feedback) as one undoable action. */
	async deleteLogs(label: string, ids: readonly string[]): Promise<number> {
		this.busy = true;
		try {
			await this.#queue.idle();
			const deleted = await deleteLogs(ids, this.#progressFor(ids.length));
			this.#push({ kind: 'delete', label, deleted });
			return deleted.logs.length;
		} finally {
			this.#done();
		}
	}

	/**
	 * Calls `listener` after every undo and redo (and, with `records`, after every new action
	 * too); returns the unsubscribe function.
	 */
	listen(listener: ChangeListener, records = false): () => void {
		const set = records ? this.#recordListeners : this.#listeners;
		set.add(listener);
		return () => set.delete(listener);
	}

	async undo(): Promise<string | null> {
		const entry = this.#undo.at(-1);
		if (!entry || this.busy) return null;
		this.#undo = this.#undo.slice(0, -1);
		try {
			const reverse = await this.#reverse(entry);
			this.#redo = [...this.#redo, reverse];
			this.#changed(entry);
			return entry.label;
		} catch (error) {
			this.#undo = [...this.#undo, entry];
			handleError(error, `Could not undo ${entry.label}`);
			return null;
		}
	}

	async redo(): Promise<string | null> {
		const entry = this.#redo.at(-1);
		if (!entry || this.busy) return null;
		this.#redo = this.#redo.slice(0, -1);
		try {
			const reverse = await this.#reverse(entry);
			this.#undo = [...this.#undo, reverse];
			this.#changed(entry);
			return entry.label;
		} catch (error) {
			this.#redo = [...this.#redo, entry];
			handleError(error, `Could not redo ${entry.label}`);
			return null;
		}
	}

	/**
	 * The pages' Ctrl/⌘+Z and Ctrl/⌘+Shift+Z (or Ctrl+Y), unless the key went to a text field
	 * (which has its own undo). Returns true when it handled the key.
	 */
	handleUndoKey(event: KeyboardEvent): boolean {
		const action = undoRedoKey(event);
		if (!action || isTyping(event.target)) return false;
		event.preventDefault();
		void (action === 'undo' ? this.undoWithNotice() : this.redoWithNotice());
		return true;
	}

	/** Undo with a toast saying what was undone (for keyboard shortcuts). */
	async undoWithNotice(): Promise<void> {
		const label = await this.undo();
		toasts.show(label ? `Undone: ${label}` : 'Nothing to undo');
	}

	async redoWithNotice(): Promise<void> {
		const label = await this.redo();
		toasts.show(label ? `Redone: ${label}` : 'Nothing to redo');
	}

	/** Does the opposite of an entry and returns the entry that would undo that in turn. */
	async #reverse(entry: Entry): Promise<Entry> {
		if (entry.kind === 'delete') {
			this.busy = true;
			try {
				await restoreDeleted(entry.deleted, this.#progressFor(entry.deleted.logs.length));
			} finally {
				this.#done();
			}
			const logIds = entry.deleted.logs.map((log) => log.id);
			return { kind: 'restore', label: entry.label, logIds };
		}
		if (entry.kind === 'restore') {
			this.busy = true;
			try {
				const deleted = await deleteLogs(entry.logIds, this.#progressFor(entry.logIds.length));
				return { kind: 'delete', label: entry.label, deleted };
			} finally {
				this.#done();
			}
		}
		const at = Date.now();
		const events: NewFeedbackEvent[] = entry.eventIds.map((eventId, index) => ({
			logId: entry.logIds[index],
			projectId: entry.projectId,
			at,
			actor: 'me',
			body: { kind: 'undo', eventId }
		}));
		const eventIds = await this.#write(events, events.length > 1000);
		return { ...entry, eventIds };
	}

	async #write(events: NewFeedbackEvent[], long: boolean): Promise<number[]> {
		// Small writes (keys in the review queue) are coalesced; bulk ones go in chunks, after
		// what is queued, so history order is commit order.
		if (events.length <= CHUNK) return this.#queue.add(events);
		await this.#queue.idle();
		if (!long) return appendInChunks(events);
		this.busy = true;
		try {
			return await appendInChunks(events, this.#progressFor(events.length));
		} finally {
			this.#done();
		}
	}

	#changed(entry: Entry): void {
		const logIds = logIdsOf(entry);
		for (const listener of this.#listeners) listener(logIds);
		for (const listener of this.#recordListeners) listener(logIds);
	}

	#push(entry: Entry): void {
		this.#undo = [...this.#undo.slice(-199), entry];
		this.#redo = [];
		const logIds = logIdsOf(entry);
		for (const listener of this.#recordListeners) listener(logIds);
	}

	#progressFor(total: number): Progress | undefined {
		if (total <= 1000) return undefined;
		return (done) => (this.progress = done / total);
	}

	#done(): void {
		this.busy = false;
		this.progress = null;
	}
}

export const feedbackHistory = new FeedbackHistory();
