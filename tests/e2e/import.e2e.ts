import { readdirSync, readFileSync } from 'node:fs';
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

test('dropping several real files imports them with correct counts, and they survive a reload', async ({
	page
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Formats');
	await dropFiles(page, [
		fileFromPath(dataFile('formats/pirate-training_set.jsonl')),
		fileFromPath(dataFile('formats/cookbook-drone_training.jsonl')),
		fileFromPath(dataFile('formats/foundry-orca_dpo_pairs.validation.jsonl')),
		fileFromPath(dataFile('formats/autograding-validation_set.crlf.jsonl')),
		fileFromPath(dataFile('formats/llama-factory-kto_en_demo.json'))
	]);
	await waitForImports(page);
	const jobs = page.getByTestId('import-job');
	await expect(jobs).toHaveCount(5);
	await expect(jobs.filter({ hasText: 'pirate' }).getByTestId('import-counts')).toContainText(
		'10 accepted · 0 rejected · 0 blank'
	);
	await expect(jobs.filter({ hasText: 'drone' }).getByTestId('import-counts')).toContainText(
		'103 accepted'
	);
	// The DPO file has no final newline: all 284 pairs still land, two logs each.
	await expect(jobs.filter({ hasText: 'orca' }).getByTestId('import-counts')).toContainText(
		'284 accepted · 0 rejected'
	);
	// 35 of its 60 lines repeat earlier ones: accepted, but stored once.
	await expect(jobs.filter({ hasText: 'crlf' }).getByTestId('import-counts')).toContainText(
		'60 accepted · 0 rejected · 0 blank · 35 already present'
	);
	await expect(jobs.filter({ hasText: 'kto' }).getByTestId('import-counts')).toContainText(
		'300 accepted'
	);

	await page.goto('/logs');
	// 10 + 103 + 568 + 25 + 300 logs
	await expect(page.getByTestId('result-count')).toHaveText('1,006 of 1,006 logs');

	await page.reload();
	await expect(page.getByTestId('result-count')).toHaveText('1,006 of 1,006 logs');

	// Importing the same file again adds nothing.
	await dropFiles(page, [fileFromPath(dataFile('formats/pirate-training_set.jsonl'))]);
	await waitForImports(page);
	await expect(
		page.getByTestId('import-job').filter({ hasText: 'pirate' }).getByTestId('import-counts')
	).toContainText('10 already present');
	await expect(page.getByTestId('result-count')).toHaveText('1,006 of 1,006 logs');
});

test('bad lines are rejected with file, line and reason while good lines land; the report downloads', async ({
	page
}) => {
	const suite = dataFile('malformed/JSONTestSuite/test_parsing');
	const bad = readdirSync(suite)
		.filter((n) => n.startsWith('n_'))
		.sort();
	const good = readFileSync(dataFile('formats/pirate-training_set.jsonl'), 'utf8')
		.split('\n')
		.filter(Boolean);
	// One good line, then every invalid-JSON case of JSONTestSuite as a line (newlines inside a
	// case would split it, so those are flattened), then another good line.
	const lines: Buffer[] = [Buffer.from(good[0])];
	for (const name of bad) {
		const bytes = readFileSync(`${suite}/${name}`);
		lines.push(Buffer.from(bytes.map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b))));
	}
	lines.push(Buffer.from(good[1]));
	const file = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));

	await openEmptyApp(page);
	await createProject(page, 'Malformed');
	await dropFiles(page, [fileFromText('malformed.jsonl', file)]);
	await waitForImports(page);
	const counts = page.getByTestId('import-job').getByTestId('import-counts');
	const total = bad.length + 2;
	// Some n_ cases are only whitespace once flattened, which counts as blank; the rest are rejected.
	await expect(counts).toContainText('2 accepted');
	await expect(counts).toContainText(`(${total} lines)`);
	const text = (await counts.textContent()) ?? '';
	const [, rejected, blank] = /(\d+) rejected · (\d+) blank/.exec(text) ?? [];
	expect(Number(rejected) + Number(blank) + 2).toBe(total);
	expect(Number(rejected)).toBeGreaterThan(bad.length - 10);

	await page.getByRole('link', { name: /Details and rejected lines/ }).click();
	await expect(page.getByTestId('reject-row').first()).toBeVisible();
	await expect(page.getByTestId('reject-row').first()).toContainText(/invalid JSON/i);

	const downloadPromise = page.waitForEvent('download');
	await page.getByTestId('download-rejects').click();
	const download = await downloadPromise;
	expect(download.suggestedFilename()).toBe('malformed.rejected.jsonl');
	const body = readFileSync((await download.path()) as string, 'utf8');
	const rows = body
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as { line: number; reason: string; raw: string });
	expect(rows).toHaveLength(Number(rejected));
	expect(rows.every((r) => r.line > 1 && r.line < total && r.reason.length > 0)).toBe(true);
});

test('a wrong-schema file asks for a mapping; skipping it reports every line as not a log format', async ({
	page
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Wrong schema');
	await dropFiles(page, [
		fileFromPath(dataFile('formats/cookbook-dbpedia_samples.wrong-schema.jsonl'))
	]);
	const form = page.getByTestId('mapping-form');
	await expect(form).toBeVisible();
	await expect(form.locator('select[name="input"] option')).toContainText(['text', 'category']);
	await form.getByRole('button', { name: 'Import recognised lines only' }).click();
	await waitForImports(page);
	await expect(page.getByTestId('import-counts')).toContainText('0 accepted · 200 rejected');
	await page.getByRole('link', { name: /Details and rejected lines/ }).click();
	await expect(page.getByTestId('reject-row').first()).toContainText('text, category');
});

test('a wrong-schema file can be mapped: text becomes the input, category the output', async ({
	page
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Mapped');
	await dropFiles(page, [
		fileFromPath(dataFile('formats/cookbook-dbpedia_samples.wrong-schema.jsonl'))
	]);
	const form = page.getByTestId('mapping-form');
	await form.locator('select[name="input"]').selectOption('text');
	await form.locator('select[name="output"]').selectOption('category');
	await form.getByRole('button', { name: 'Import with this mapping' }).click();
	await waitForImports(page);
	await expect(page.getByTestId('import-counts')).toContainText('200 accepted · 0 rejected');
});

test('CSV with quoted commas imports through the column mapping', async ({ page }) => {
	const csv = [
		'question,answer,verdict',
		'"How do I export, quickly?","Use File > Export, then pick PDF.",good',
		'"Refund policy?","Refunds within 30 days.",bad',
		'"Multi',
		'line?","Yes, ""quoted"" too",good'
	].join('\n');
	await openEmptyApp(page);
	await createProject(page, 'CSV');
	await dropFiles(page, [fileFromText('feedback.csv', csv)]);
	const form = page.getByTestId('mapping-form');
	await expect(form).toBeVisible();
	await form.locator('select[name="input"]').selectOption('question');
	await form.locator('select[name="output"]').selectOption('answer');
	await form.locator('select[name="label"]').selectOption('verdict');
	await form.getByRole('button', { name: 'Import with this mapping' }).click();
	await waitForImports(page);
	await expect(page.getByTestId('import-counts')).toContainText('3 accepted · 0 rejected');
	await page.goto('/logs');
	await page.getByLabel('Label').selectOption('up');
	await expect(page.getByTestId('result-count')).toHaveText(/2 of 3 logs/);
});

test('whole-file problems are explained: empty, binary, pretty-printed JSON, Python dicts', async ({
	page
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Problems');
	const png = Buffer.from([
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0
	]);
	await dropFiles(page, [
		fileFromPath(dataFile('formats/self-instruct-trec_ABBR.empty.jsonl')),
		fileFromText('picture.jsonl', png),
		fileFromText(
			'pretty.jsonl',
			JSON.stringify(
				{
					messages: [
						{ role: 'user', content: 'hi' },
						{ role: 'assistant', content: 'hello' }
					]
				},
				null,
				2
			)
		),
		fileFromText(
			'python.jsonl',
			"{'messages': [{'role': 'user', 'content': 'hi'}, {'role': 'assistant', 'content': 'yo'}], 'ok': True}\n"
		)
	]);
	await waitForImports(page);
	const jobs = page.getByTestId('import-job');
	await expect(jobs.filter({ hasText: 'trec_ABBR' }).getByTestId('import-counts')).toContainText(
		'0 accepted · 0 rejected · 0 blank'
	);
	await expect(jobs.filter({ hasText: 'picture' })).toContainText(
		'this is a PNG image, not a log file'
	);
	await expect(jobs.filter({ hasText: 'pretty' })).toContainText(/pretty-printed/i);
	await page.goto('/imports');
	await page.getByRole('link', { name: 'python.jsonl' }).click();
	await expect(page.getByTestId('reject-row')).toContainText(/Python/);
});

test('the log browser shows one file’s logs, and logs in file order', async ({ page }) => {
	const userTexts = (name: string) =>
		readFileSync(dataFile(`formats/${name}`), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const { messages } = JSON.parse(line) as { messages: { role: string; content: string }[] };
				return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
			});
	const drone = userTexts('cookbook-drone_training.jsonl');
	const pirate = userTexts('pirate-training_set.jsonl');

	await openEmptyApp(page);
	await createProject(page, 'Two files');
	await dropFiles(page, [
		fileFromPath(dataFile('formats/cookbook-drone_training.jsonl')),
		fileFromPath(dataFile('formats/pirate-training_set.jsonl'))
	]);
	await waitForImports(page);
	await page.goto('/logs');
	await expect(page.getByTestId('result-count')).toHaveText('113 of 113 logs');
	const questions = page.getByTestId('log-row').locator('.q');

	// File order: the first file's lines from the top, as they are in the file.
	await page.getByLabel('Sort', { exact: true }).selectOption('imported');
	await expect(questions.first()).toHaveText(drone[0]);
	expect(
		await questions.evaluateAll((spans) => spans.slice(0, 5).map((s) => s.textContent))
	).toEqual(drone.slice(0, 5));

	// One file: exactly its logs, still in file order; then the other file.
	await page.getByTestId('filter-file').selectOption({ label: 'pirate-training_set.jsonl' });
	await expect(page.getByTestId('result-count')).toHaveText('10 of 113 logs');
	await expect(questions.first()).toHaveText(pirate[0]);
	expect(await questions.evaluateAll((spans) => spans.map((s) => s.textContent))).toEqual(pirate);
	await page.getByTestId('filter-file').selectOption({ label: 'cookbook-drone_training.jsonl' });
	await expect(page.getByTestId('result-count')).toHaveText('103 of 113 logs');
	await expect(questions.first()).toHaveText(drone[0]);
});
