import { DEFAULT_FINE_TUNED_MODEL } from '../fake-openai/server';
import { expect, test } from '../fake-openai/fixture';
import { createProject, openEmptyApp } from './fixtures';

test('Settings → API: save, test (models and fine-tuned shutdown), plain-language failures, forget', async ({
	page,
	fake
}) => {
	await openEmptyApp(page);
	await page.goto('/settings');
	await expect(page.getByTestId('api-key-status')).toHaveText('No key');
	await page.getByTestId('api-save').click();
	await expect(page.getByRole('alert')).toContainText('Paste your API key first');

	await page.getByTestId('api-key').fill(fake.apiKey);
	await page.getByTestId('api-base-url').fill(fake.url);
	await page.getByTestId('api-org').fill('org-acme');
	await page.getByTestId('api-save').click();
	const result = page.getByTestId('api-test-result');
	await expect(result).toContainText(/Connected: \d+ models available \(1 fine-tuned\)/);
	await expect(result).toContainText(DEFAULT_FINE_TUNED_MODEL);
	await expect(result).toContainText(/Shuts down on 14 Jan 2027 \(\d+ days left\)/);
	await expect(page.getByTestId('api-key-status')).toHaveText(
		`Key saved (…${fake.apiKey.slice(-4)})`
	);
	// The key is not shown back, and the org header went out.
	await expect(page.getByTestId('api-key')).toHaveValue('');
	expect(fake.requests.at(-1)?.headers['openai-organization']).toBe('org-acme');

	const test = page.getByTestId('api-test');
	const failure = (kind: string) => result.locator(`[data-kind="${kind}"]`);
	fake.fail('unauthorized');
	await test.click();
	await expect(failure('auth')).toContainText('The API key was refused (401)');
	fake.fail('forbidden');
	await test.click();
	await expect(failure('forbidden')).toContainText('no access to that (403)');
	fake.retryAfterMs = 20_000;
	fake.fail('rate-limit');
	await test.click();
	await expect(failure('rate-limit')).toContainText('Try again in 20 seconds');
	fake.fail('quota');
	await test.click();
	await expect(failure('quota')).toContainText('run out of quota or credit');
	fake.fail('server-error');
	await test.click();
	await expect(failure('server')).toContainText('server error (500)');
	// Every attempt dropped (the browser itself retries a request once on a dropped connection).
	fake.fail('drop', { times: Infinity });
	await test.click();
	await expect(failure('network')).toContainText('Could not reach 127.0.0.1');
	fake.clearFaults();
	fake.fail('no-cors', { times: Infinity });
	await test.click();
	await expect(failure('cors')).toContainText('blocked the answer from 127.0.0.1');
	fake.clearFaults();
	await test.click();
	await expect(result).toContainText('Connected');

	// The key survives a reload (IndexedDB), then Forget deletes it.
	await page.reload();
	await expect(page.getByTestId('api-key-status')).toContainText('Key saved');
	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByTestId('api-forget').click();
	await expect(page.getByTestId('api-key-status')).toHaveText('No key');
	await page.reload();
	await expect(page.getByTestId('api-key-status')).toHaveText('No key');
	await page.goto('/playground');
	await expect(page.getByTestId('playground-no-key')).toBeVisible();
});

test('a hanging server ends in a plain timeout message', async ({ page, fake, connect }) => {
	test.setTimeout(60_000);
	await openEmptyApp(page);
	await connect(page);
	fake.fail('hang');
	await page.getByTestId('api-test').click();
	await expect(page.getByTestId('api-test-result').locator('[data-kind="timeout"]')).toContainText(
		'did not answer in time',
		{ timeout: 25_000 }
	);
});

test('playground: streamed samples, Stop, params, fine-tuned model; each generation logged', async ({
	page,
	fake,
	connect
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Support');
	await connect(page);
	await page.getByRole('link', { name: 'Playground' }).click();
	await page.getByTestId('pg-user').fill('Can I return worn shoes?');
	await page.getByTestId('model-picker').fill(DEFAULT_FINE_TUNED_MODEL);
	await expect(page.getByTestId('model-shutdown')).toContainText('Shuts down on 14 Jan 2027');
	await page.getByTestId('pg-n').fill('2');
	await page.getByTestId('pg-user').press('Control+Enter');
	const samples = page.getByTestId('pg-sample');
	await expect(samples).toHaveCount(2);
	await expect(page.getByTestId('pg-saved')).toHaveText(
		/2 generations logged to Support\. Open logs/
	);
	await expect(samples.nth(0).getByTestId('pg-sample-text')).toContainText(
		`(${DEFAULT_FINE_TUNED_MODEL}): you asked “Can I return worn shoes?”`
	);
	await expect(samples.nth(1).getByTestId('pg-sample-text')).toContainText('Sure');
	const chat = JSON.parse(fake.requests.findLast((r) => r.url === '/v1/chat/completions')!.body);
	expect(chat).toMatchObject({ model: DEFAULT_FINE_TUNED_MODEL, n: 2, stream: true });

	// Stop mid-stream keeps the partial text, marked, and logs it.
	fake.streamChunkMs = 300;
	await page.getByTestId('pg-n').fill('1');
	await page.getByTestId('pg-user').fill('Tell me about the warranty');
	await page.getByTestId('pg-run').click();
	await expect(samples.first().getByTestId('pg-sample-text')).not.toBeEmpty();
	await page.getByTestId('pg-stop-run').click();
	await expect(samples.first().getByTestId('pg-finish')).toHaveText('stopped by you');
	await expect(page.getByTestId('pg-saved')).toContainText('1 generation logged');

	// Max tokens and stop sequences, without streaming.
	fake.streamChunkMs = 5;
	await page.getByTestId('pg-stream').uncheck();
	await page.getByTestId('pg-max-tokens').fill('4');
	await page.getByTestId('pg-run').click();
	await expect(samples.first().getByTestId('pg-finish')).toHaveText('cut at max tokens');
	await expect(samples.first().getByTestId('pg-sample-text')).toHaveText(/^(\S+\s){3}\S+$/);
	const plain = JSON.parse(fake.requests.findLast((r) => r.url === '/v1/chat/completions')!.body);
	expect(plain).toMatchObject({ max_completion_tokens: 4 });
	expect(plain.stream).toBeUndefined();

	// Errors in plain words.
	fake.fail('server-error');
	await page.getByTestId('pg-run').click();
	await expect(page.getByTestId('pg-error')).toContainText('server error (500)');

	// The logs are in the project, from the playground, with their parameters.
	await page.goto('/logs');
	await expect(page.getByTestId('result-count')).toHaveText('4 of 4 logs');
	await page.getByTestId('log-row').first().click();
	await expect(page.getByText('Tell me about the warranty').first()).toBeVisible();
});

test('offline: the playground and Test connection say they need the network', async ({
	page,
	context,
	connect
}) => {
	await openEmptyApp(page);
	await connect(page);
	await context.setOffline(true);
	await expect(page.getByText('Offline: testing needs the network')).toBeVisible();
	await expect(page.getByTestId('api-test')).toBeEnabled();
	await page.getByTestId('api-test').click();
	await expect(page.getByTestId('api-test-result').locator('[data-kind="offline"]')).toContainText(
		'You are offline'
	);
	await context.setOffline(false);
	await page.getByRole('link', { name: 'Playground' }).click();
	// The page is open before the network goes (navigating offline is error-page.e2e.ts).
	await expect(page.getByTestId('pg-user')).toBeVisible();
	await context.setOffline(true);
	await expect(page.getByTestId('playground-offline')).toBeVisible();
	await page.getByTestId('pg-user').fill('hello');
	await expect(page.getByTestId('pg-run')).toBeDisabled();
	await context.setOffline(false);
	await expect(page.getByTestId('pg-run')).toBeEnabled();
});
