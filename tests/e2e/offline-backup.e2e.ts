import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openEmptyApp, waitForImports } from './fixtures';

test('after one visit the app opens and shows its data with the network off', async ({
	page,
	context
}) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// Let the service worker take control, so it serves the next loads.
	await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

	await context.setOffline(true);
	await page.goto('/logs');
	await expect(page.getByTestId('offline-badge')).toBeVisible();
	await expect(page.getByTestId('log-row').first()).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('log-row').first()).toBeVisible();
	await context.setOffline(false);
});

test('backup, delete everything, restore: the same data comes back', async ({ page }) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	const before = await page.getByTestId('project-card').innerText();

	await page.goto('/settings');
	await expect(page.getByTestId('storage-usage')).toContainText(/Using .* of /);
	const downloadPromise = page.waitForEvent('download');
	await page.getByTestId('backup').click();
	const download = await downloadPromise;
	const path = (await download.path()) as string;
	const header = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]) as { tuneloop: string };
	expect(header.tuneloop).toBe('backup');

	page.on('dialog', (d) => void d.accept());
	await page.getByTestId('erase-all').click();
	await page.goto('/');
	await expect(page.getByTestId('empty-state')).toBeVisible();

	await page.goto('/settings');
	await page.getByTestId('restore-input').setInputFiles(path);
	await expect(page.getByText(/Restored \d+ rows/)).toBeVisible();
	await page.goto('/');
	await expect(page.getByTestId('project-card')).toHaveText(before);
	await page.goto('/logs');
	await expect(page.getByTestId('log-row').first()).toBeVisible();
});
