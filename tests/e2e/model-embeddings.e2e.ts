import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openEmptyApp, waitForImports } from './fixtures';

/** The tiny random-weight BERT written by scripts/make-tiny-model.py. */
const TINY = resolve(import.meta.dirname, '../fixtures/models/tiny-random-bert');

/** Every request the page and its workers make, to prove nothing leaves localhost. */
function recordRequests(page: Page): string[] {
	const urls: string[] = [];
	page.context().on('request', (request) => urls.push(request.url()));
	return urls;
}

function offsite(urls: string[], origin: string): string[] {
	return urls.filter(
		(url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')
	);
}

async function openModelPage(page: Page) {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await page.getByRole('link', { name: 'Model', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Preference model' })).toBeVisible();
	await expect(page.getByTestId('count-thumbs-up')).not.toHaveText('0');
}

test('train with sentence embeddings from a dropped model folder, offline', async ({
	page,
	baseURL
}) => {
	// Two training runs (one with embeddings and its built-in-only comparison) on the demo data.
	test.setTimeout(240_000);
	const urls = recordRequests(page);
	await openModelPage(page);
	const options = page.getByTestId('embedding-options');
	await expect(options.getByRole('radio', { name: /Off: built-in features only/ })).toBeChecked();

	// Drop the tiny model folder: Transformers.js loads it in the model worker, on WASM (headless
	// Chromium here has no WebGPU adapter), with onnxruntime-web's files served by the app.
	await options.getByRole('radio', { name: /A model folder on this device/ }).check();
	await page.getByTestId('model-folder').setInputFiles(TINY);
	const status = page.getByTestId('embedding-status');
	await expect(status).toContainText('Loaded tiny-random-bert (dropped folder)', {
		timeout: 60_000
	});
	await expect(status).toContainText('32 dimensions');
	await expect(page.getByTestId('embedding-backend')).toHaveText('wasm');
	await expect(page.getByTestId('embedding-throughput')).toHaveText(/^[\d,.]+ texts\/s$/);

	await expect(page.getByTestId('train-uses-embeddings')).toContainText('tiny-random-bert');
	await page.getByTestId('train').click();
	await expect(page.getByTestId('embedding-report')).toBeVisible({ timeout: 90_000 });
	await expect(page.getByTestId('model-report')).toBeVisible();
	await expect(page.getByTestId('embedding-report-backend')).toHaveText('wasm');
	await expect(page.getByTestId('embedding-report')).toContainText('32 dimensions');
	await expect(page.getByTestId('embedding-report')).toContainText(/embedded [\d,]+ outputs at/);
	// Side by side on the same split: with embeddings, and the built-in features alone.
	await expect(page.getByTestId('comparison-embeddings')).toContainText(/0\.\d{3}|\d+\.\d%/);
	await expect(page.getByTestId('comparison-builtin')).toContainText(/0\.\d{3}|\d+\.\d%/);
	await expect(page.getByTestId('embedding-verdict')).toBeVisible();
	await expect(page.getByTestId('model-version')).toHaveCount(1);
	await expect(page.getByTestId('model-version')).toContainText('+ embeddings');
	await page.screenshot({ path: 'test-results/model-embeddings.png', fullPage: true });

	// Every log was scored with the embeddings, and the embeddings were cached in IndexedDB.
	const cached = await page.evaluate(
		() =>
			new Promise<number>((done, fail) => {
				const open = indexedDB.open('tuneloop');
				open.onerror = () => fail(open.error);
				open.onsuccess = () => {
					const count = open.result.transaction('embeddings').objectStore('embeddings').count();
					count.onsuccess = () => done(count.result);
					count.onerror = () => fail(count.error);
				};
			})
	);
	expect(cached).toBeGreaterThan(10);

	// A second run with the option off is the default model again.
	await page.getByRole('radio', { name: /Off: built-in features only/ }).check();
	await expect(page.getByTestId('train-uses-embeddings')).toHaveCount(0);
	await page.getByTestId('train').click();
	await expect(page.getByTestId('model-version')).toHaveCount(2, { timeout: 90_000 });
	await expect(page.getByRole('heading', { name: /Model v2/ })).toBeVisible();
	await expect(page.getByTestId('embedding-report')).toHaveCount(0);

	// No request left localhost (no hub, no CDN for the ONNX runtime).
	expect(offsite(urls, baseURL ?? '')).toEqual([]);
	expect(urls.some((url) => url.endsWith('.wasm'))).toBe(true);
});

test('a folder without a model, or a backend the browser lacks, is said plainly', async ({
	page
}) => {
	await openModelPage(page);
	await page.getByRole('radio', { name: /A model folder on this device/ }).check();
	const folder = mkdtempSync(join(tmpdir(), 'not-a-model-'));
	copyFileSync(resolve(TINY, 'config.json'), join(folder, 'config.json'));
	await page.getByTestId('model-folder').setInputFiles(folder);
	await expect(page.getByTestId('embedding-status')).toContainText(/no tokenizer\.json/);
	await expect(page.getByTestId('embedding-backend')).toHaveCount(0);

	// WebGPU on purpose, in a browser without an adapter: said plainly, nothing loaded.
	await page.getByTestId('embedding-backend-choice').selectOption('webgpu');
	await page.getByTestId('model-folder').setInputFiles(TINY);
	await expect(page.getByTestId('embedding-status')).toContainText('webgpu: no adapter');
	await expect(page.getByTestId('embedding-backend')).toHaveCount(0);
});

test('a hub model id downloads through the hub URL layout, then loads again offline', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	// The hub is answered from the tiny fixture inside the browser: nothing leaves the machine.
	const hubRequests: string[] = [];
	await page.context().route('https://huggingface.co/**', async (route) => {
		const url = route.request().url();
		hubRequests.push(url);
		const match = /\/test-owner\/tiny-random-bert\/resolve\/main\/(.+)$/.exec(url);
		if (!match) return route.fulfill({ status: 404, body: 'not found' });
		try {
			return route.fulfill({ status: 200, body: readFileSync(resolve(TINY, match[1])) });
		} catch {
			return route.fulfill({ status: 404, body: 'not found' });
		}
	});
	await openModelPage(page);
	// Let the service worker take control (of the page and of the model worker it starts), so
	// onnxruntime-web's files are cached at first use like a returning user's.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await page.getByRole('radio', { name: /A model from the Hugging Face hub/ }).check();
	await expect(page.getByTestId('hub-model')).toHaveValue('Xenova/all-MiniLM-L6-v2');
	await page.getByTestId('hub-model').fill('not a model id');
	await page.getByRole('button', { name: 'Load', exact: true }).click();
	await expect(page.getByTestId('embedding-status')).toContainText(
		'is not a Hugging Face model id'
	);
	await page.getByTestId('hub-model').fill('test-owner/tiny-random-bert');
	await page.getByRole('button', { name: 'Load', exact: true }).click();
	await expect(page.getByTestId('embedding-status')).toContainText(
		'Loaded test-owner/tiny-random-bert',
		{ timeout: 60_000 }
	);
	expect(hubRequests.some((url) => url.endsWith('/onnx/model.onnx'))).toBe(true);

	// Offline now: the files come from the browser's cache, the hub is never asked.
	hubRequests.length = 0;
	await page.context().setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Preference model' })).toBeVisible();
	await page.getByRole('radio', { name: /A model from the Hugging Face hub/ }).check();
	await expect(page.getByTestId('hub-model')).toHaveValue('test-owner/tiny-random-bert');
	await page.getByRole('button', { name: 'Load', exact: true }).click();
	await expect(page.getByTestId('embedding-status')).toContainText(
		'Loaded test-owner/tiny-random-bert',
		{ timeout: 60_000 }
	);
	expect(hubRequests).toEqual([]);
	expect(baseURL).toMatch(/^http:\/\/localhost:/);
	await page.context().setOffline(false);
});
