import { expect, test } from '@playwright/test';
import { openEmptyApp } from './fixtures';

// No service worker: the app is not stored for offline use, as on a first visit before it has
// finished caching itself.
test.use({ serviceWorkers: 'block' });

test('a page that cannot load offline says why, and loads after reconnecting', async ({
	page,
	context
}) => {
	await openEmptyApp(page);
	await context.setOffline(true);
	await page.getByRole('link', { name: 'Playground' }).click();
	const error = page.getByTestId('error-page');
	await expect(error).toContainText('You are offline, and this page is not stored');
	await context.setOffline(false);
	await error.getByRole('button', { name: 'Reload' }).click();
	await expect(page.getByTestId('pg-user')).toBeVisible();
});

test('an unknown address says the page does not exist', async ({ page }) => {
	await openEmptyApp(page);
	await page.goto('/no-such-page');
	await expect(page.getByTestId('error-page')).toContainText('There is no page at /no-such-page');
	await page.getByTestId('error-page').getByRole('link', { name: 'Projects' }).click();
	await expect(page).toHaveURL(/\/$/);
});

test('a browser that refuses service workers hears it plainly, not a library error', async ({
	page
}) => {
	await openEmptyApp(page);
	const status = page.getByRole('status');
	await expect(status).toContainText('Offline use is not available in this browser');
	await expect(status).not.toContainText('Cannot read properties');
});
