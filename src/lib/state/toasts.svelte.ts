/** Short-lived messages at the bottom of the window (errors, "Restored 3 tables", undo offers). */
export type ToastKind = 'info' | 'error' | 'success';

export interface ToastAction {
	label: string;
	run: () => void;
}

export interface Toast {
	id: number;
	text: string;
	kind: ToastKind;
	/** A button on the toast (e.g. Undo); pressing it runs the action and dismisses the toast. */
	action?: ToastAction;
}

class Toasts {
	items = $state.raw<Toast[]>([]);
	#next = 1;

	show(
		text: string,
		kind: ToastKind = 'info',
		ms = kind === 'error' ? 10_000 : 5_000,
		action?: ToastAction
	): number {
		const id = this.#next++;
		this.items = [...this.items, { id, text, kind, action }];
		setTimeout(() => this.dismiss(id), ms);
		return id;
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();
