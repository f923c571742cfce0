/**
 * The standalone validator, as a user: drop a real file, read the report, switch the model,
 * download a fixed copy. Dropped files are checked, not imported.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dataFile, dropFiles, fileFromPath } from './fixtures';

test('dropping the cookbook toy file shows its known problems; the model changes the limit', async ({
	page
}) => {
	await page.goto('/validate');
	await expect(page.getByTestId('validate-empty')).toBeVisible();
	await dropFiles(page, [fileFromPath(dataFile('formats/cookbook-toy_chat_fine_tuning.jsonl'))]);
	const report = page.getByTestId('validation-report');
	await expect(report).toBeVisible({ timeout: 30_000 });
	await expect(report.getByTestId('report-examples')).toContainText('5');
	await expect(
		report.locator('[data-testid="finding-error"][data-code="too-few-examples"]')
	).toHaveCount(1);
	await expect(
		report.locator('[data-testid="finding-warning"][data-code="missing-user"]')
	).toContainText('line 4');
	await expect(
		report.locator('[data-testid="finding-warning"][data-code="missing-system"]')
	).toContainText('line 3');
	// Not imported: no import panel job appeared.
	await expect(page.getByTestId('import-job')).toHaveCount(0);

	await page.getByTestId('validate-model').selectOption('gpt-3.5-turbo-0613');
	const over = report.locator('[data-testid="finding-error"][data-code="over-context-limit"]');
	await expect(over).toContainText('line 5');
	await expect(over).toContainText('4,096');
	await expect(report.getByTestId('report-epochs')).toHaveText('20');
});

test('the CRLF file: duplicates found, and the fixed copy drops them', async ({ page }) => {
	await page.goto('/validate');
	await page
		.getByTestId('validate-input')
		.setInputFiles(dataFile('formats/autograding-validation_set.crlf.jsonl'));
	const report = page.getByTestId('validation-report');
	await expect(report.getByTestId('report-verdict')).toHaveText('No errors', { timeout: 30_000 });
	await expect(
		report.locator('[data-testid="finding-warning"][data-code="duplicate"]').first()
	).toContainText('lines 1, 50');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		report.getByTestId('fix-drop-duplicates').click()
	]);
	expect(download.suggestedFilename()).toBe('autograding-validation_set.crlf.fixed.jsonl');
	const lines = readFileSync(await download.path(), 'utf8')
		.trim()
		.split('\n');
	expect(lines).toHaveLength(25);
	expect(new Set(lines).size).toBe(25);
	// The report itself downloads as Markdown and JSON.
	const [json] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('download-report-json').click()
	]);
	const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
	expect(saved).toMatchObject({ examples: 60, stats: { duplicates: 35 } });
});

test('a DPO file and the empty file', async ({ page }) => {
	await page.goto('/validate');
	await page
		.getByTestId('validate-input')
		.setInputFiles(dataFile('formats/foundry-orca_dpo_pairs.validation.jsonl'));
	const report = page.getByTestId('validation-report');
	await expect(report.getByTestId('report-format')).toHaveText('openai-dpo', { timeout: 30_000 });
	await expect(report.getByTestId('report-verdict')).toHaveText('No errors');
	await page
		.getByTestId('validate-input')
		.setInputFiles(dataFile('formats/self-instruct-trec_ABBR.empty.jsonl'));
	await expect(report.locator('[data-testid="finding-error"][data-code="empty-file"]')).toHaveCount(
		1,
		{ timeout: 30_000 }
	);
});

test('a check that fires on more lines than are listed says how many the file has', async ({
	page
}) => {
	await page.goto('/validate');
	const good = JSON.stringify({
		messages: [
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello' }
		]
	});
	// 250 broken lines among good ones: the report lists the first 200 findings.
	const lines = Array.from({ length: 300 }, (_, i) => (i % 6 === 0 ? good : `{"messages": [${i}`));
	await page.getByTestId('validate-input').setInputFiles({
		name: 'broken.jsonl',
		mimeType: 'application/jsonl',
		buffer: Buffer.from(lines.join('\n'))
	});
	const group = page.locator('[data-testid="finding-group"][data-code="invalid-json"]');
	await expect(group.locator('summary')).toContainText('250 lines, the first 200 listed', {
		timeout: 30_000
	});
	await page.getByRole('button', { name: 'Show all 250' }).click();
	await expect(group.locator('summary')).toContainText('250 findings, 250 lines');
});
