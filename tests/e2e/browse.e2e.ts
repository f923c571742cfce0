import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
	createProject,
	dataFile,
	dropFiles,
	fileFromPath,
	fileFromText,
	openEmptyApp,
	waitForImports
} from './fixtures';

test('the demo loads in one click; search, filters and the detail view work', async ({ page }) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await expect(page.getByTestId('project-card')).toContainText('Support replies (demo)');
	// Counts follow the import within a moment.
	await expect(page.getByTestId('count-total')).not.toHaveText('0');
	const total = Number((await page.getByTestId('count-total').textContent())?.replace(/,/g, ''));
	expect(total).toBeGreaterThan(250);
	const down = await page.getByTestId('count-down').textContent();
	expect(Number(down)).toBeGreaterThan(0);

	await page.getByRole('link', { name: 'Open logs' }).click();
	await expect(page.getByTestId('result-count')).toHaveText(
		`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} logs`
	);
	await expect(page.getByTestId('log-row').first()).toBeVisible();

	// Search is case-insensitive over inputs and outputs.
	const all = `${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} logs`;
	await page.getByTestId('search').fill('pdf EXPORT');
	await expect(page.getByTestId('result-count')).not.toHaveText(all);
	await expect(page.getByTestId('result-count')).toHaveText(/^\d+ of /);
	const found = Number((await page.getByTestId('result-count').textContent())?.split(' ')[0]);
	expect(found).toBeGreaterThan(0);
	expect(found).toBeLessThan(total);
	await page.getByTestId('log-row').first().click();
	await expect(page.getByTestId('log-detail')).toContainText(/pdf export/i);

	// Filters: 👎 only, then clear.
	await page.getByTestId('search').fill('');
	await expect(page.getByTestId('result-count')).toHaveText(all);
	await page.getByLabel('Label').selectOption('down');
	await expect(page.getByTestId('result-count')).toHaveText(
		`${down} of ${total.toLocaleString('en-US')} logs`
	);
	await page.getByTestId('log-row').first().click();
	await expect(page.getByTestId('log-detail')).toContainText('👎');
	await page.getByRole('button', { name: 'Clear' }).click();
	await expect(page.getByTestId('result-count')).toHaveText(
		new RegExp(`^${total.toLocaleString('en-US')} of`)
	);

	// Keyboard: j moves the selection, / focuses search.
	await page.locator('body').click({ position: { x: 5, y: 300 } });
	await page.keyboard.press('j');
	await expect(page.locator('[data-testid="log-row"][aria-selected="true"]')).toHaveCount(1);
	await page.keyboard.press('/');
	await expect(page.getByTestId('search')).toBeFocused();
});

test('imported feedback is shown on the log: label, comment and correction', async ({ page }) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await page.goto('/logs');
	await page.getByLabel('corrected').check();
	await expect(page.getByTestId('result-count')).toHaveAttribute('aria-busy', 'false');
	await expect(page.getByTestId('result-count')).toHaveText(/^20 of /);
	await page.getByTestId('log-row').first().click();
	const feedback = page.getByTestId('feedback-editor');
	await expect(feedback.getByTestId('feedback-correction')).toContainText(/\w+/);
	await expect(feedback).toContainText('end user');
	await expect(feedback.getByTestId('feedback-comment').first()).toBeVisible();
});

test('tool calls and tool results render readably', async ({ page }) => {
	await openEmptyApp(page);
	await createProject(page, 'Tools');
	await dropFiles(page, [fileFromPath(dataFile('formats/foundry-stock_toolcall_training.jsonl'))]);
	await waitForImports(page);
	await page.goto('/logs');
	await page.getByTestId('log-row').filter({ hasText: 'tool call' }).first().click();
	const detail = page.getByTestId('log-detail');
	await expect(detail.locator('[data-role="user"]').first()).toBeVisible();
	await expect(detail.locator('.tool-call')).toContainText(/get_(current|last_nday)_stock_price/);
	await expect(detail.locator('.tool-call pre')).toContainText('"symbol"');
	await expect(detail.getByText(/2 tools available/)).toBeVisible();
});

test('hostile strings in messages render as text: nothing executes, the layout holds', async ({
	page
}) => {
	const strings = JSON.parse(readFileSync(dataFile('malformed/blns.json'), 'utf8')) as string[];
	const lines = strings.map((s, i) =>
		JSON.stringify({
			messages: [
				{ role: 'system', content: s },
				{ role: 'user', content: `#${i} ${s}` },
				{ role: 'assistant', content: s || '(empty)' }
			]
		})
	);
	let dialogs = 0;
	page.on('dialog', (d) => {
		dialogs += 1;
		void d.dismiss();
	});
	await openEmptyApp(page);
	await createProject(page, 'Naughty');
	await dropFiles(page, [fileFromText('blns.jsonl', lines.join('\n'))]);
	await waitForImports(page);
	await page.goto('/logs');
	await expect(page.getByTestId('result-count')).toHaveText(/ of /);
	const rows = page.getByTestId('log-row');
	for (const text of ['<script>', 'onerror', 'javascript:']) {
		await page.getByTestId('search').fill(text);
		await expect(page.getByTestId('result-count')).toHaveAttribute('aria-busy', 'false');
		await expect(page.getByTestId('result-count')).toHaveText(/^[1-9]\d* of /);
		const count = await rows.count();
		for (let i = 0; i < Math.min(count, 6); i++) {
			await rows.nth(i).click();
			await expect(page.getByTestId('log-detail')).toBeVisible();
		}
	}
	expect(dialogs).toBe(0);
	expect(
		await page.evaluate(
			() => document.querySelectorAll('main script, main img, main iframe').length
		)
	).toBe(0);
	// The detail pane never grows wider than the window.
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual((page.viewportSize()?.width ?? 1280) + 1);
});
