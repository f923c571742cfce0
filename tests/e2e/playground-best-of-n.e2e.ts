/**
 * Best-of-n: with a preference model trained on the demo's feedback, several playground samples
 * come back ranked by the model's P(👍), best first.
 */
import { expect, test } from '../fake-openai/fixture';
import { openEmptyApp, waitForImports } from './fixtures';

test('playground samples are ranked by the trained preference model', async ({ page, connect }) => {
	test.setTimeout(120_000);
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
	await connect(page);

	// Without a model, samples stay in the order they came.
	await page.goto('/playground');
	await page.getByTestId('pg-user').fill('How do I export a note to PDF?');
	await page.getByTestId('pg-n').fill('3');
	await page.getByTestId('pg-run').click();
	await expect(page.getByTestId('pg-saved')).toContainText('3 generations logged');
	await expect(page.getByTestId('pg-rank')).toHaveCount(0);

	await page.goto('/model');
	await page.getByTestId('train').click();
	await expect(page.getByTestId('model-report')).toBeVisible({ timeout: 60_000 });

	await page.goto('/playground');
	await page.getByTestId('pg-user').fill('Can I get a refund for my yearly plan?');
	await page.getByTestId('pg-n').fill('3');
	await page.getByTestId('pg-run').click();
	await expect(page.getByTestId('pg-ranked')).toContainText(
		'ranked best first by your preference model (model v1)'
	);
	const ranks = page.getByTestId('pg-rank');
	await expect(ranks).toHaveCount(3);
	expect(await ranks.evaluateAll((all) => all.map((el) => el.getAttribute('data-rank')))).toEqual([
		'1',
		'2',
		'3'
	]);
	const scores = await ranks.evaluateAll((all) =>
		all.map((el) => Number(/P\(.*\) ([\d.]+)/.exec(el.textContent ?? '')?.[1]))
	);
	expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
	expect([...scores].sort((a, b) => b - a)).toEqual(scores);
	await expect(ranks.first()).toContainText('best of 3');
});
