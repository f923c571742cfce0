/**
 * The loop from feedback to a fine-tuning job: a dataset version built from the demo's feedback
 * goes to the fine-tuning form in one click (exported and validated on the way), and the job the
 * fake OpenAI server receives trains on exactly that export.
 */
import { expect, test } from '../fake-openai/fixture';
import { openEmptyApp, waitForImports } from './fixtures';

test('a saved dataset version starts a fine-tuning job on its own export', async ({
	page,
	fake,
	connect
}) => {
	test.setTimeout(120_000);
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await connect(page);
	await page.goto('/datasets');
	await expect(page.getByTestId('count-pairs')).not.toHaveText('0');
	await page.getByTestId('dataset-name').fill('Support prefs');
	await page.getByTestId('save-version').click();
	await expect(page.getByTestId('version-row')).toHaveCount(1);

	// The demo has too few preference pairs for a DPO job: the file is refused before upload, with
	// the validator's reason.
	await page.getByTestId('export-format').selectOption('openai-dpo');
	await page.getByTestId('finetune-version').click();
	await expect(page.getByText(/dataset-v1-\w+\.dpo\.jsonl has \d+ errors? \(/)).toBeVisible();
	await expect(page).toHaveURL(/\/datasets$/);
	expect(fake.requests.some((r) => r.url === '/v1/files')).toBe(false);

	await page.getByTestId('export-format').selectOption('openai-sft');
	await page.getByTestId('finetune-version').click();
	await expect(page).toHaveURL(/\/finetune$/);
	await expect(page.getByTestId('ft-prefilled')).toContainText('dataset-v1-train.sft.jsonl');
	await page.getByTestId('ft-start').click();
	await expect(page.getByTestId('ft-job').getByTestId('ft-status')).toHaveText(
		/Validating files|Queued|Training/
	);

	const created = JSON.parse(
		fake.requests.find((r) => r.url === '/v1/fine_tuning/jobs' && r.method === 'POST')!.body
	) as { model: string; training_file: string; validation_file?: string; method: { type: string } };
	expect(created.method.type).toBe('supervised');
	expect(created.validation_file).toBeTruthy();
	expect(created.model).toMatch(/^gpt-/);
	const lines = (fake.fileContent(created.training_file) ?? '').trim().split('\n');
	expect(lines.length).toBeGreaterThan(0);
	for (const line of lines) {
		const example = JSON.parse(line) as { messages: { role: string }[] };
		expect(example.messages.at(-1)?.role).toBe('assistant');
	}
});
