import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
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
	await expect(page.getByTestId('count-total')).not.toHaveText('0');
	const before = await page.getByTestId('project-card').textContent();

	await page.goto('/settings');
	await expect(page.getByTestId('storage-usage')).toContainText(/Using .* of /);
	const path = await downloadBackup(page);
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
	await expect(page.getByTestId('project-card')).toHaveText(before ?? '');
	await page.goto('/logs');
	await expect(page.getByTestId('log-row').first()).toBeVisible();

	// A backup of the restored data holds exactly the same rows as the first one.
	await page.goto('/settings');
	const again = await downloadBackup(page);
	expect(rows(again)).toEqual(rows(path));
});

async function downloadBackup(page: Page): Promise<string> {
	const downloadPromise = page.waitForEvent('download');
	await page.getByTestId('backup').click();
	const download = await downloadPromise;
	return (await download.path()) as string;
}

/** The data lines of a backup (its header carries the time it was made), in a stable order. */
function rows(path: string): string[] {
	return readFileSync(path, 'utf8')
		.split('\n')
		.filter((line) => line.startsWith('{"table"'))
		.sort();
}

test('restoring a file that is not a whole backup changes nothing and says why', async ({
	page
}) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await expect(page.getByTestId('count-total')).not.toHaveText('0');
	const total = await page.getByTestId('count-total').textContent();
	await page.goto('/settings');
	const path = await downloadBackup(page);
	const lines = readFileSync(path, 'utf8').split('\n');
	const truncated = lines.slice(0, Math.floor(lines.length / 2)).join('\n');
	page.on('dialog', (d) => void d.accept());
	await page.getByTestId('restore-input').setInputFiles({
		name: 'cut.jsonl',
		mimeType: 'application/x-ndjson',
		buffer: Buffer.from(truncated)
	});
	await expect(page.getByText(/cut.jsonl is not a complete Tuneloop backup/)).toBeVisible();
	await page.goto('/');
	await expect(page.getByTestId('count-total')).toHaveText(total ?? '');
});
