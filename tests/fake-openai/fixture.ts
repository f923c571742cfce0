/**
 * Playwright fixtures for tests that need the API: `fake` is a FakeOpenAI started for the test
 * (fresh state each time, on its own port), and after the test no request may have broken the
 * spec. `connect(page)` saves its key and base URL through Settings → API, as a user would.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { FakeOpenAI } from './server';
import { SpecValidator } from './spec';

let validator: SpecValidator | undefined;

export const test = base.extend<{
	fake: FakeOpenAI;
	connect: (page: Page) => Promise<void>;
}>({
	// Playwright reads a fixture's dependencies from its first parameter's destructuring: none here.
	// eslint-disable-next-line no-empty-pattern
	fake: async ({}, use) => {
		validator ??= new SpecValidator();
		const fake = await new FakeOpenAI({ validator, jobStepMs: 250, streamChunkMs: 20 }).start();
		await use(fake);
		await fake.stop();
		expect(fake.violations, 'requests and answers that break openapi.yaml').toEqual([]);
	},
	connect: async ({ fake }, use) => {
		await use(async (page: Page) => {
			await page.goto('/settings');
			await page.getByTestId('api-key').fill(fake.apiKey);
			await page.getByTestId('api-base-url').fill(fake.url);
			await page.getByTestId('api-save').click();
			await expect(page.getByTestId('api-test-result')).toContainText('Connected');
		});
	}
});

export { expect };
