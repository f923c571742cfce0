/**
 * Datasets end to end, as a user: load the demo, build a dataset with live counts, save a
 * version, validate it, export OpenAI SFT and DPO, and check the downloaded files (and the
 * reports beside them) line by line.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { createProject, dropFiles, fileFromText, openEmptyApp, waitForImports } from './fixtures';

async function downloads(page: Page, count: number, action: () => Promise<void>) {
	const seen: Download[] = [];
	const listener = (download: Download) => seen.push(download);
	page.on('download', listener);
	await action();
	await expect.poll(() => seen.length, { timeout: 30_000 }).toBe(count);
	page.off('download', listener);
	const files = new Map<string, string>();
	for (const download of seen)
		files.set(download.suggestedFilename(), readFileSync(await download.path(), 'utf8'));
	return files;
}

const num = async (page: Page, id: string) =>
	Number((await page.getByTestId(id).textContent())?.replace(/,/g, ''));

test('build a dataset from the demo, validate it, export SFT and DPO files', async ({ page }) => {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await page.getByTestId('import-panel').getByRole('button', { name: 'Close' }).click();
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Datasets' })
		.click();

	// Live counts with the default rules: 👍 and corrected 👎, normalized duplicates dropped.
	await expect(page.getByTestId('count-candidates')).not.toHaveText('0');
	const candidates = await num(page, 'count-candidates');
	expect(candidates).toBeGreaterThan(250);
	const up = await num(page, 'count-up');
	const corrected = await num(page, 'count-corrected');
	expect(up).toBeGreaterThan(50);
	expect(corrected).toBeGreaterThan(0);
	const pairs = await num(page, 'count-pairs');
	expect(pairs).toBeGreaterThan(0);
	const train = await num(page, 'count-train');
	const validation = await num(page, 'count-validation');
	expect(train + validation).toBeLessThanOrEqual(up + corrected);
	expect(validation).toBeGreaterThan(0);

	// Counts follow the rules: unjudged logs in raises the total.
	await page.getByTestId('rule-unjudged').check();
	await expect
		.poll(async () => (await num(page, 'count-train')) + (await num(page, 'count-validation')))
		.toBeGreaterThan(train + validation);
	await page.getByTestId('rule-unjudged').uncheck();
	await expect.poll(() => num(page, 'count-train')).toBe(train);

	await page.getByTestId('dataset-name').fill('Support v1');
	await page.getByTestId('save-version').click();
	await expect(page.getByTestId('version-row')).toHaveCount(1);
	await expect(page.getByTestId('dataset-item')).toHaveText('Support v1');

	// Validate the SFT export of version 1: a report for each split.
	await page.getByTestId('validate-version').click();
	const reports = page.getByTestId('validation-report');
	await expect(reports).toHaveCount(2, { timeout: 30_000 });
	await expect(reports.first().getByTestId('report-format')).toHaveText('openai-chat');
	await expect(reports.first().getByTestId('report-examples')).toContainText(String(train));
	await expect(reports.first().getByTestId('report-verdict')).toHaveText('No errors');
	// The cost follows the editable price.
	const cost = await reports.first().getByTestId('report-cost').textContent();
	await reports.first().getByTestId('report-price').fill('300');
	await reports.first().getByTestId('report-price').press('Enter');
	await expect(reports.first().getByTestId('report-cost')).not.toHaveText(cost ?? '');

	// Export SFT: the file, plus its report as Markdown and JSON.
	const sft = await downloads(page, 3, () => page.getByTestId('export-train').click());
	const sftName = [...sft.keys()].find((n) => n.endsWith('.sft.jsonl'));
	expect(sftName).toBe('dataset-v1-train.sft.jsonl');
	const sftLines = sft.get(sftName!)!.trim().split('\n');
	expect(sftLines).toHaveLength(train);
	for (const line of sftLines) {
		const example = JSON.parse(line) as { messages: { role: string; content?: unknown }[] };
		expect(example.messages.at(-1)?.role).toBe('assistant');
		expect(example.messages.some((m) => m.role === 'user')).toBe(true);
	}
	const sftReport = JSON.parse(sft.get('dataset-v1-train.sft.report.json')!);
	expect(sftReport).toMatchObject({ format: 'openai-chat', examples: train, errors: [] });
	expect(sft.get('dataset-v1-train.sft.report.md')).toContain(
		'# Validation report: dataset-v1-train.sft.jsonl'
	);

	// Export DPO: pairs with one preferred and one non-preferred assistant message each.
	await page.getByTestId('export-format').selectOption('openai-dpo');
	const dpo = await downloads(page, 3, () => page.getByTestId('export-train').click());
	const dpoLines = dpo.get('dataset-v1-train.dpo.jsonl')!.trim().split('\n');
	expect(dpoLines.length).toBeGreaterThan(0);
	for (const line of dpoLines) {
		const pair = JSON.parse(line) as {
			input: { messages: unknown[] };
			preferred_output: { role: string; content: unknown }[];
			non_preferred_output: { role: string; content: unknown }[];
		};
		expect(pair.input.messages.length).toBeGreaterThan(0);
		expect(pair.preferred_output).toHaveLength(1);
		expect(pair.non_preferred_output).toHaveLength(1);
		expect(pair.preferred_output[0].role).toBe('assistant');
		expect(pair.preferred_output[0].content).not.toEqual(pair.non_preferred_output[0].content);
	}
	const dpoReport = JSON.parse(dpo.get('dataset-v1-train.dpo.report.json')!);
	expect(dpoReport).toMatchObject({ format: 'openai-dpo', errors: [] });
	expect(dpoReport.examples).toBe(dpoLines.length);
});

test('a one-click fix makes a new version and leaves the old one as it was', async ({ page }) => {
	await openEmptyApp(page);
	await createProject(page, 'Fixes');
	// Twelve 👍 chats; the last repeats the first up to case and spacing (the import keeps both).
	const line = (i: number, question = `How do I reset password number ${i}?`) =>
		JSON.stringify({
			messages: [
				{ role: 'system', content: 'You are a support agent.' },
				{ role: 'user', content: question },
				{ role: 'assistant', content: `Open Settings, then Security, then reset number ${i}.` }
			],
			label: true
		});
	const lines = Array.from({ length: 11 }, (_, i) => line(i));
	lines.push(
		JSON.stringify({
			messages: [
				{ role: 'system', content: 'You are a support agent.' },
				{ role: 'user', content: 'how do I  RESET password number 0?' },
				{ role: 'assistant', content: 'Open Settings, then Security, then reset number 0.' }
			],
			label: true
		})
	);
	await dropFiles(page, [fileFromText('near-repeats.jsonl', lines.join('\n'))]);
	await waitForImports(page);
	await page.getByTestId('import-panel').getByRole('button', { name: 'Close' }).click();
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Datasets' })
		.click();
	await page.getByTestId('rule-dedupe').selectOption('none');
	await page.getByTestId('rule-split').fill('0');
	await expect(page.getByTestId('count-train')).toHaveText('12');
	await page.getByTestId('save-version').click();
	await expect(page.getByTestId('version-row')).toHaveCount(1);

	await page.getByTestId('validate-version').click();
	const report = page.getByTestId('validation-report');
	await expect(
		report.locator('[data-testid="finding-warning"][data-code="duplicate-normalized"]')
	).toHaveCount(1);
	await report.getByTestId('fix-drop-duplicates').click();
	await expect(page.getByTestId('version-row')).toHaveCount(2);
	const v2 = page.locator('[data-testid="version-row"][data-number="2"]');
	await expect(v2).toContainText('fix: drop-duplicates, −1');
	await expect(v2.locator('td').nth(2)).toHaveText('11');
	await expect(page.locator('[data-testid="version-row"][data-number="1"] td').nth(2)).toHaveText(
		'12'
	);
	// The report now shown is the new version's: no duplicates left.
	await expect(report.locator('[data-code="duplicate-normalized"]')).toHaveCount(0);
	await expect(report.getByTestId('report-examples')).toContainText('11');
});
