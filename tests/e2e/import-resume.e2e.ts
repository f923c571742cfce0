import { expect, test } from '@playwright/test';
import { createProject, dropFiles, fileFromText, openEmptyApp, waitForImports } from './fixtures';

const LINES = 60_000;

function bigFile(): string {
	const lines: string[] = [];
	for (let i = 0; i < LINES; i++) {
		lines.push(
			JSON.stringify({
				messages: [
					{ role: 'system', content: 'You are a helpful assistant for a note-taking app.' },
					{ role: 'user', content: `Question number ${i}: how do I sync notebook ${i % 97}?` },
					{
						role: 'assistant',
						content: `Answer ${i}: open Settings, then Sync, then pick notebook ${i % 97}.`
					}
				]
			})
		);
	}
	return lines.join('\n');
}

test('a reload mid-import leaves whole batches only; dropping the file again resumes without duplicates', async ({
	page
}) => {
	const file = fileFromText('big.jsonl', bigFile());
	await openEmptyApp(page);
	await createProject(page, 'Big');
	await dropFiles(page, [file]);
	const job = page.getByTestId('import-job');
	await expect(job.getByTestId('import-counts')).toBeVisible();
	// Wait for a few batches to commit, then pull the plug.
	await expect
		.poll(async () =>
			Number(
				/(\d[\d,]*) accepted/
					.exec((await job.getByTestId('import-counts').textContent()) ?? '')?.[1]
					.replace(/,/g, '') ?? 0
			)
		)
		.toBeGreaterThan(4_000);
	await page.reload();

	await page.goto('/imports');
	const record = page.getByTestId('import-record');
	await expect(record).toContainText('incomplete');
	const cells = await record.locator('td').allInnerTexts();
	const [lines, accepted, rejected, blank] = cells
		.slice(3, 7)
		.map((t) => Number(t.replace(/,/g, '')));
	expect(lines).toBeGreaterThan(0);
	expect(lines).toBeLessThan(LINES);
	expect(accepted + rejected + blank).toBe(lines);
	await page.goto('/logs');
	await expect(page.getByTestId('result-count')).toHaveText(
		`${accepted.toLocaleString('en-US')} of ${accepted.toLocaleString('en-US')} logs`
	);

	await dropFiles(page, [file]);
	await expect(page.getByTestId('import-job')).toContainText(/resumed after line/);
	await waitForImports(page, 120_000);
	await expect(page.getByTestId('import-counts')).toContainText(
		`${LINES.toLocaleString('en-US')} accepted · 0 rejected`
	);
	await expect(page.getByTestId('result-count')).toHaveText(
		`${LINES.toLocaleString('en-US')} of ${LINES.toLocaleString('en-US')} logs`
	);
});
