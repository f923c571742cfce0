/** Short-lived messages at the bottom of the window (errors, "Restored 3 tables", undo offers). */
export type ToastKind = 'info' | 'error' | 'success';

export interface Toast {
	id: number;
	text: string;
	kind: ToastKind;
}

class Toasts {
	items = $state.raw<Toast[]>([]);
	#next = 1;

	show(text: string, kind: ToastKind = 'info', ms = kind === 'error' ? 10_000 : 5_000): number {
		const id = this.#next++;
		this.items = [...this.items, { id, text, kind }];
		setTimeout(() => this.dismiss(id), ms);
		return id;
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();
