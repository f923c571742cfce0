/**
 * App-wide state and start-up: online/offline, the service worker, marking imports that a closed
 * tab left running as incomplete, and the two ways data comes in from the shell (files dropped
 * anywhere, the demo button).
 */
import { markInterrupted } from '$lib/db/imports';
import { feedbackHistory } from './feedback-history.svelte';
import { handleError } from './handle-error';
import { imports } from './imports.svelte';
import { projects } from './projects.svelte';
import { toasts } from './toasts.svelte';

export const DEMO_URL = '/demo/support-replies.jsonl';
export const DEMO_PROJECT = 'Support replies (demo)';

class AppState {
	online = $state(true);
	#started = false;

	start(): void {
		if (this.#started) return;
		this.#started = true;
		this.online = navigator.onLine;
		addEventListener('online', () => (this.online = true));
		addEventListener('offline', () => (this.online = false));
		projects.start();
		// Judgements journaled but not yet stored when the page went away.
		void feedbackHistory.ready();
		// Imports left `running` by a tab that closed mid-way can be resumed by dropping the file again.
		markInterrupted().catch((error: unknown) => handleError(error, 'Could not check past imports'));
		this.#registerServiceWorker().catch((error: unknown) => offlineUnavailable(error));
	}

	async #registerServiceWorker(): Promise<void> {
		if (import.meta.env.DEV) return;
		// Some browsers have the property but no service workers (e.g. a private window).
		if (!navigator.serviceWorker) return offlineUnavailable('navigator.serviceWorker is missing');
		const { registerSW } = await import('virtual:pwa-register');
		registerSW({ immediate: true, onRegisterError: offlineUnavailable });
	}

	/** Imports files into the open project, creating one named after the first file if none. */
	async importFiles(files: File[]): Promise<void> {
		try {
			const project =
				projects.current ??
				(await projects.create(files[0]?.name.replace(/\.[^.]+$/, '') ?? 'Logs'));
			await imports.add(files, project.id);
		} catch (error) {
			handleError(error, 'Import failed');
		}
	}

	/** Loads the bundled demo project (served by the app, so it works offline too). */
	async loadDemo(): Promise<void> {
		try {
			const response = await fetch(DEMO_URL);
			if (!response.ok) throw new Error(`the demo file answered ${response.status}`);
			const blob = await response.blob();
			const file = new File([blob], 'support-replies.jsonl', { type: 'application/jsonl' });
			const existing = projects.all.find((p) => p.name === DEMO_PROJECT);
			const project = existing ?? (await projects.create(DEMO_PROJECT));
			projects.select(project.id);
			await imports.add([file], project.id, 'demo');
			toasts.show('Demo project loaded', 'success');
		} catch (error) {
			handleError(error, 'Could not load the demo data');
		}
	}
}

export const app = new AppState();

/**
 * Without a service worker the app works as long as it is online; a browser that refuses one
 * (private windows, blocked by a policy or an extension) gets a plain word, not the library's
 * error, which goes to the console.
 */
function offlineUnavailable(reason: unknown): void {
	console.warn('Service worker not registered:', reason);
	toasts.show(
		'Offline use is not available in this browser (it does not allow service workers here); everything else works while online',
		'info',
		8_000
	);
}
