/**
 * Shared e2e helpers: real files from ../shared/data dropped onto the window the way a user's
 * drag and drop delivers them, and waits on the import panel.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';

export const DATA = resolve(import.meta.dirname, '../../../shared/data');

export function dataFile(relative: string): string {
	return resolve(DATA, relative);
}

export interface DropFile {
	name: string;
	/** File bytes as base64, so binary and invalid UTF-8 survive the trip into the page. */
	base64: string;
	type?: string;
}

export function fileFromPath(path: string, name = basename(path)): DropFile {
	return { name, base64: readFileSync(path).toString('base64') };
}

export function fileFromText(name: string, text: string | Buffer): DropFile {
	return { name, base64: Buffer.from(text).toString('base64') };
}

/** Drops files on the window: dragenter, dragover and drop with a real DataTransfer. */
export async function dropFiles(page: Page, files: DropFile[]): Promise<void> {
	await page.evaluate(async (files) => {
		const transfer = new DataTransfer();
		for (const f of files) {
			const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
			transfer.items.add(new File([bytes], f.name, { type: f.type ?? '' }));
		}
		const target = document.querySelector('main') ?? document.body;
		for (const type of ['dragenter', 'dragover', 'drop']) {
			target.dispatchEvent(
				new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true })
			);
			await new Promise((r) => setTimeout(r, 20));
		}
	}, files);
}

/** Waits until no import is queued or running. */
export async function waitForImports(page: Page, timeout = 60_000): Promise<void> {
	await expect(page.getByTestId('import-panel')).toBeVisible();
	await expect(
		page.locator(
			'[data-testid="import-job"][data-status="running"], [data-testid="import-job"][data-status="queued"]'
		)
	).toHaveCount(0, { timeout });
}

/** A fresh start: the app on its empty first screen. */
export async function openEmptyApp(page: Page): Promise<void> {
	await page.goto('/');
	await expect(page.getByTestId('empty-state')).toBeVisible();
}

export async function createProject(page: Page, name: string): Promise<void> {
	await page.getByPlaceholder('e.g. Support replies').fill(name);
	await page.getByRole('button', { name: 'Create project' }).click();
	await expect(page.getByTestId('project-card')).toHaveCount(1);
}

/** Rows straight from the app's IndexedDB (no app code involved). */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
	return page.evaluate(
		(name) =>
			new Promise<T[]>((resolve, reject) => {
				const open = indexedDB.open('tuneloop');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction(name).objectStore(name).getAll();
					request.onsuccess = () => {
						db.close();
						resolve(request.result as T[]);
					};
					request.onerror = () => reject(request.error);
				};
			}),
		store
	);
}
