import { expect, test } from '../fake-openai/fixture';
import { openEmptyApp, waitForImports } from './fixtures';

test('golden rewrites: bulk with a concurrency limit, 429 retries, Cancel, review, accept all', async ({
	page,
	fake,
	connect
}) => {
	test.setTimeout(120_000);
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await connect(page);
	await page.getByRole('link', { name: 'Rewrites' }).click();

	// The demo has 22 👎 logs with a comment and no correction yet.
	const items = page.getByTestId('rewrite-item');
	await expect(items).toHaveCount(22);
	// A filter narrows the list and what a bulk run covers.
	await page.getByTestId('rewrite-filter').fill('filler');
	const filtered = await items.count();
	expect(filtered).toBeGreaterThan(0);
	expect(filtered).toBeLessThan(22);
	await expect(page.getByTestId('rewrite-all')).toHaveText(
		`Rewrite ${filtered} log${filtered === 1 ? '' : 's'}`
	);
	await page.getByTestId('rewrite-filter').fill('');
	await expect(items).toHaveCount(22);
	await page.getByTestId('rewrite-concurrency').fill('3');
	fake.latencyMs = 250;
	fake.rateLimitShare = 0.3;
	fake.retryAfterMs = 100;

	await page.getByTestId('rewrite-all').click();
	await expect(page.getByTestId('rewrite-progress')).toContainText(/of 22/);
	await expect(items.locator('[data-testid="diff-view"]').first()).toBeVisible();
	await page.keyboard.press('Escape');
	const summary = page.getByTestId('rewrite-summary');
	await expect(summary).toContainText(/cancelled/);
	const firstRun = Number(/(\d+) rewritten/.exec((await summary.textContent()) ?? '')?.[1]);
	expect(firstRun).toBeGreaterThan(0);
	expect(firstRun).toBeLessThan(22);

	// The rest, then nothing is applied until reviewed.
	await page.getByTestId('rewrite-all').click();
	await expect(summary).toContainText(`${22 - firstRun} rewritten, 0 failed`, { timeout: 60_000 });
	expect(fake.peakConcurrency).toBeLessThanOrEqual(3);
	const retries = Number(/(\d+) retries/.exec((await summary.textContent()) ?? '')?.[1]);
	const chats = fake.requests.filter((r) => r.url === '/v1/chat/completions');
	const limited = chats.filter((r) => r.status === 429).length;
	expect(limited).toBeGreaterThan(0);
	expect(retries).toBeGreaterThan(0);
	await expect(items.locator('[data-status="ready"]')).toHaveCount(0);
	await expect(page.locator('[data-testid="rewrite-item"][data-status="ready"]')).toHaveCount(22);
	await expect(page.getByTestId('rewrite-accept-all')).toHaveText('Accept all 22…');

	// The rewrite applies the comment: the diff shows what was added.
	const first = items.first();
	await expect(first.getByTestId('diff-view')).toContainText('Thanks for reaching out.');
	await expect(first.locator('ins').first()).toBeVisible();
	await first.getByTestId('rewrite-accept').click();
	await expect(first).toHaveAttribute('data-status', 'accepted');

	const second = items.nth(1);
	await second.getByTestId('rewrite-edit').click();
	await second.getByTestId('rewrite-draft').fill('My own golden answer.');
	await second.getByTestId('rewrite-save-edit').click();
	await expect(second).toHaveAttribute('data-status', 'accepted');
	await expect(second.locator('ins', { hasText: 'golden' })).toHaveCount(1);

	await items.nth(2).getByTestId('rewrite-reject').click();
	await expect(items.nth(2)).toHaveAttribute('data-status', 'rejected');

	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByTestId('rewrite-accept-all').click();
	await expect(page.getByText('19 rewrites accepted as corrections')).toBeVisible();

	// Corrections are stored: after a reload only the rejected log still waits for one.
	await page.reload();
	await expect(items).toHaveCount(1);
	await page.getByRole('checkbox', { name: 'Include logs that already have a correction' }).check();
	await expect(items).toHaveCount(42);

	// A single rewrite that fails says why, in plain words.
	fake.rateLimitShare = 0;
	// Only the rewrite's own request: the page may make others meanwhile (the models list).
	fake.fail('unauthorized', { path: /\/chat\/completions$/ });
	await items.first().getByTestId('rewrite-one').click();
	await expect(items.first().getByTestId('rewrite-error')).toContainText(
		'The API key was refused (401)'
	);
});
