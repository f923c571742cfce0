import { expect, test, type Page } from '@playwright/test';
import { openEmptyApp, readStore, waitForImports } from './fixtures';

async function loadDemo(page: Page) {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
}

test('label demo logs, train, read an honest report, sort logs by score', async ({ page }) => {
	await loadDemo(page);
	await page.getByRole('link', { name: 'Model', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Preference model' })).toBeVisible();
	await expect(page.getByTestId('count-thumbs-up')).not.toHaveText('0');
	const up = Number(await page.getByTestId('count-thumbs-up').textContent());
	const down = Number(await page.getByTestId('count-thumbs-down').textContent());

	// Label two unjudged logs in the log browser: one 👍, one 👎.
	await page.getByRole('link', { name: 'Logs', exact: true }).click();
	await page.getByLabel('Label', { exact: true }).selectOption('none');
	await expect(page.getByTestId('result-count')).toHaveAttribute('aria-busy', 'false');
	const unjudged = await page.getByTestId('result-count').textContent();
	await page.getByTestId('log-row').first().click();
	await page.getByTestId('thumb-up').click();
	// The labelled log leaves the "Unjudged" list.
	await expect(page.getByTestId('result-count')).not.toHaveText(unjudged ?? '');
	await page.getByTestId('log-row').first().click();
	await page.getByTestId('thumb-down').click();
	await page.getByRole('link', { name: 'Model', exact: true }).click();
	await expect(page.getByTestId('count-thumbs-up')).toHaveText(String(up + 1));
	await expect(page.getByTestId('count-thumbs-down')).toHaveText(String(down + 1));

	// Training runs in the worker: the page keeps answering while it reports progress.
	await page.getByTestId('train').click();
	await expect(page.getByTestId('model-report')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('metrics-model')).toContainText('Preference model');
	await expect(page.getByTestId('metrics-baseline')).toHaveCount(3);
	await expect(page.getByTestId('metrics-table')).toContainText('Longer answer wins');
	await expect(page.getByTestId('chart-reliability')).toBeVisible();
	await expect(page.getByTestId('chart-learning-curve')).toBeVisible();
	await expect(page.getByTestId('model-version')).toHaveCount(1);
	// Opened directly (a reload), the page shows the same counts and the stored report.
	await page.reload();
	await expect(page.getByTestId('count-thumbs-up')).toHaveText(String(up + 1));
	await expect(page.getByTestId('model-report')).toBeVisible();
	await page.screenshot({ path: 'test-results/model-page.png', fullPage: true });

	// A second version; the user picks which is active.
	await page.getByTestId('train').click();
	await expect(page.getByTestId('model-version')).toHaveCount(2, { timeout: 60_000 });
	await expect(page.getByRole('heading', { name: /Model v2/ })).toBeVisible();
	await page.getByRole('radio', { name: 'Make v1 the active model' }).check();
	await expect(page.getByRole('heading', { name: /Model v1 active/ })).toBeVisible();

	// The log browser sorts and filters by P(👍) under the active model.
	await page.getByRole('link', { name: 'Logs', exact: true }).click();
	await expect(page.getByTestId('log-row').first()).toBeVisible();
	const settled = () =>
		expect(page.getByTestId('result-count')).toHaveAttribute('aria-busy', 'false');
	await page.getByTestId('score-sort').selectOption('high');
	await settled();
	await page.getByTestId('log-row').first().click();
	const top = Number(await page.getByTestId('model-score').getAttribute('data-score'));
	await page.getByTestId('score-sort').selectOption('low');
	await settled();
	await page.getByTestId('log-row').first().click();
	await expect(page.getByTestId('model-score')).not.toHaveAttribute('data-score', String(top));
	const bottom = Number(await page.getByTestId('model-score').getAttribute('data-score'));
	expect(top).toBeGreaterThan(bottom);
	await expect(page.getByText('model v1', { exact: true })).toBeVisible();

	await page.getByTestId('score-sort').selectOption('high');
	await page.getByTestId('score-filter').selectOption('likely-up');
	await settled();
	await expect(page.getByTestId('result-count')).toHaveText(/^\d+ of /);
	await page.getByTestId('log-row').first().click();
	const filtered = Number(await page.getByTestId('model-score').getAttribute('data-score'));
	expect(filtered).toBeGreaterThanOrEqual(0.5);
	await page.screenshot({ path: 'test-results/logs-by-score.png', fullPage: true });

	// The review queue's model orders, checked against the stored scores.
	const models = await readStore<{ id: string; active: number }>(page, 'models');
	const active = models.find((m) => m.active === 1)?.id;
	const scores = new Map(
		(await readStore<{ modelId: string; logId: string; score: number }>(page, 'scores'))
			.filter((row) => row.modelId === active)
			.map((row) => [row.logId, row.score])
	);
	const logs = await readStore<{ id: string; thumb: number; reviewed?: number }>(page, 'logs');
	const uncertainty = (id: string) => Math.abs((scores.get(id) ?? 0) - 0.5);
	const left = logs.filter((log) => !log.reviewed && scores.has(log.id)).map((log) => log.id);
	const closest = Math.min(...left.map(uncertainty));
	await page.goto('/review?order=uncertain');
	await expect(page.getByTestId('review-item').locator('[data-role="assistant"]')).toBeVisible();
	const first = await page.getByTestId('review-item').getAttribute('data-log-id');
	expect(left).toContain(first);
	expect(uncertainty(first ?? '')).toBeCloseTo(closest, 6);

	const contradicted = logs.filter((log) => {
		const score = scores.get(log.id);
		return (
			score !== undefined && ((log.thumb === 1 && score < 0.5) || (log.thumb === -1 && score > 0.5))
		);
	});
	await page.goto('/review?order=disagree');
	if (contradicted.length === 0) {
		await expect(page.getByTestId('queue-empty')).toContainText('agrees with every label');
	} else {
		await expect(page.getByTestId('review-progress')).toContainText(
			new RegExp(`of ${contradicted.length} reviewed`)
		);
		const shown = await page.getByTestId('review-item').getAttribute('data-log-id');
		expect(contradicted.map((log) => log.id)).toContain(shown);
	}
});

test('Cancel stops a training run and nothing is saved', async ({ page }) => {
	await loadDemo(page);
	await page.getByRole('link', { name: 'Model', exact: true }).click();
	await expect(page.getByTestId('count-thumbs-up')).not.toHaveText('0');
	await page.getByTestId('train').click();
	await expect(page.getByTestId('train-progress')).toBeVisible();
	await page.getByTestId('cancel-training').click();
	await expect(page.getByTestId('train-cancelled')).toBeVisible();
	await expect(page.getByTestId('model-version')).toHaveCount(0);
});
