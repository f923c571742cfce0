import { readFileSync } from 'node:fs';
import type { Request } from '@playwright/test';
import { expect, test } from '../fake-openai/fixture';
import { createProject, dropFiles, fileFromText, openEmptyApp, waitForImports } from './fixtures';

// The first seeded stored completion of the fake server, as a line of a log file.
const SEEDED_LINE = JSON.stringify({
	messages: [
		{ role: 'system', content: 'You are a helpful support agent for Acme.' },
		{ role: 'user', content: 'How do I get a refund for a double charge?' },
		{
			role: 'assistant',
			content:
				'I am sorry about the double charge. I have refunded the second payment; it reaches your card in 3–5 days.'
		}
	]
});

test('stored completions: filter by model and metadata, import as logs, deduplicated with file imports', async ({
	page,
	fake,
	connect
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Acme');
	// One of the stored conversations was already imported from a file.
	await dropFiles(page, [fileFromText('earlier.jsonl', SEEDED_LINE + '\n')]);
	await waitForImports(page);
	await connect(page);
	await page.goto('/playground');
	await page.getByTestId('to-stored').click();

	await page.getByTestId('stored-metadata').fill('topic');
	await page.getByTestId('stored-list').click();
	await expect(page.getByRole('alert')).toContainText('“topic” is not key=value');

	await page.getByTestId('stored-metadata').fill('topic=billing');
	await page.getByTestId('stored-list').click();
	await expect(page.getByTestId('stored-row')).toHaveCount(2);
	expect(fake.requests.at(-1)?.url).toContain('metadata%5Btopic%5D=billing');
	await page.getByTestId('stored-import').click();
	await expect(page.getByTestId('stored-outcome')).toHaveText(/1 imported, 1 already there\./);

	await page.getByTestId('stored-metadata').fill('');
	await page.getByTestId('stored-model').fill('gpt-4.1-mini');
	await page.getByTestId('stored-list').click();
	await expect(page.getByTestId('stored-row')).toHaveCount(2);
	await page.getByTestId('stored-import').click();
	await expect(page.getByTestId('stored-outcome')).toHaveText(/1 imported, 1 already there\./);

	await page.getByTestId('stored-model').fill('gpt-5-nonexistent');
	await page.getByTestId('stored-list').click();
	await expect(page.getByTestId('stored-empty')).toBeVisible();

	await page.goto('/logs');
	await expect(page.getByTestId('result-count')).toHaveText('3 of 3 logs');
});

test('the API key is in no backup, log record, request to another host, console line or localStorage', async ({
	page,
	context,
	fake,
	connect
}) => {
	const key = fake.apiKey;
	const fakeHost = new URL(fake.url).host;
	const leaks: string[] = [];
	const requests: Request[] = [];
	context.on('request', (request) => requests.push(request));
	page.on('console', (message) => {
		if (message.text().includes(key)) leaks.push(`console: ${message.text()}`);
	});

	await openEmptyApp(page);
	await createProject(page, 'Secrets');
	await connect(page);
	// Use everything that talks to the API: playground, stored import, a failing call.
	await page.goto('/playground');
	await page.getByTestId('pg-user').fill('hello');
	await page.getByTestId('pg-run').click();
	await expect(page.getByTestId('pg-saved')).toContainText('1 generation logged');
	fake.fail('unauthorized');
	await page.getByTestId('pg-run').click();
	await expect(page.getByTestId('pg-error')).toBeVisible();
	await page.getByTestId('to-stored').click();
	await page.getByTestId('stored-list').click();
	await page.getByTestId('stored-import').click();
	await expect(page.getByTestId('stored-outcome')).toContainText('imported');

	// Backup file.
	await page.goto('/settings');
	const download = page.waitForEvent('download');
	await page.getByTestId('backup').click();
	const backup = readFileSync((await (await download).path()) as string, 'utf8');
	expect(backup).toContain('"table"');
	expect(backup.includes(key)).toBe(false);
	expect(backup.includes(fake.url)).toBe(false);

	// Every IndexedDB row outside the settings table.
	const rows = await page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('tuneloop');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const out: Record<string, string> = {};
		for (const name of Array.from(db.objectStoreNames)) {
			const all = await new Promise<unknown[]>((resolve, reject) => {
				const request = db.transaction(name).objectStore(name).getAll();
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			out[name] = JSON.stringify(all);
		}
		db.close();
		return out;
	});
	expect(rows.logs).toContain('hello');
	for (const [table, text] of Object.entries(rows)) {
		if (table === 'settings') expect(text).toContain(key);
		else expect(text.includes(key), `table ${table}`).toBe(false);
	}
	const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
	expect(storage.includes(key)).toBe(false);

	// Requests: the key goes to the configured base URL only.
	const carrying: string[] = [];
	for (const request of requests) {
		const headers = await request.allHeaders();
		const text = `${request.url()} ${JSON.stringify(headers)} ${request.postData() ?? ''}`;
		if (text.includes(key)) carrying.push(new URL(request.url()).host);
	}
	expect(carrying.length).toBeGreaterThan(3);
	expect(new Set(carrying)).toEqual(new Set([fakeHost]));
	// And the fake saw it only as the bearer token, never in a body or URL.
	for (const seen of fake.requests) {
		expect(seen.url.includes(key)).toBe(false);
		expect(seen.body.includes(key)).toBe(false);
	}
	expect(leaks).toEqual([]);
});
