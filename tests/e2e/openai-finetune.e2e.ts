import { readFileSync } from 'node:fs';
import { DEFAULT_FINE_TUNED_MODEL } from '../fake-openai/server';
import { expect, test } from '../fake-openai/fixture';
import { createProject, dataFile, openEmptyApp } from './fixtures';

const DRONE = dataFile('formats/cookbook-drone_training.jsonl');
const PIRATE = dataFile('formats/pirate-training_set.jsonl');
const TOY = dataFile('formats/cookbook-toy_chat_fine_tuning.jsonl');
const ORCA_DPO = dataFile('formats/foundry-orca_dpo_pairs.validation.jsonl');

test('fine-tuning: upload, create, watch to success with loss and ETA, cancel, account closed', async ({
	page,
	fake,
	connect
}) => {
	test.setTimeout(120_000);
	fake.jobStepMs = 500;
	await openEmptyApp(page);
	await createProject(page, 'Drone');
	await connect(page);
	await page.getByRole('link', { name: 'Fine-tune' }).click();

	await expect(page.getByTestId('ft-winddown')).toContainText(
		'OpenAI is winding down self-serve fine-tuning'
	);
	await expect(page.getByTestId('ft-winddown')).toContainText('export them');
	await expect(page.getByTestId('ft-models')).toContainText(DEFAULT_FINE_TUNED_MODEL);
	await expect(page.getByTestId('ft-models')).toContainText(
		/Shuts down on 14 Jan 2027 \(\d+ days left\)/
	);

	// Too small a file is caught before anything is uploaded.
	await page.getByTestId('ft-training').setInputFiles(TOY);
	await page.getByTestId('ft-start').click();
	await expect(page.getByTestId('ft-file-problems')).toContainText(
		'cookbook-toy_chat_fine_tuning.jsonl: 5 examples: OpenAI needs at least 10'
	);
	expect(fake.requests.some((r) => r.url === '/v1/files')).toBe(false);

	// Explicit hyperparameters are checked field by field.
	await page.getByTestId('ft-training').setInputFiles(DRONE);
	await page.getByTestId('ft-validation').setInputFiles(PIRATE);
	await page.getByTestId('ft-explicit').check();
	await page.getByTestId('ft-epochs').fill('2.5');
	await page.getByTestId('ft-start').click();
	await expect(page.getByText('a whole number from 1 to 50')).toBeVisible();
	await page.getByTestId('ft-epochs').fill('2');
	await page.getByTestId('ft-lr').fill('0.5');
	await page.getByTestId('ft-suffix').fill('drone');
	await page.getByTestId('ft-seed').fill('7');
	await page.getByTestId('ft-start').click();

	const job = page.getByTestId('ft-job');
	await expect(job.getByTestId('ft-status')).toHaveText(/Validating files|Queued/);
	const uploads = fake.requests.filter((r) => r.url === '/v1/files');
	expect(uploads).toHaveLength(2);
	const created = JSON.parse(fake.requests.find((r) => r.url === '/v1/fine_tuning/jobs')!.body);
	expect(created).toMatchObject({
		model: 'gpt-4o-mini-2024-07-18',
		suffix: 'drone',
		seed: 7,
		method: {
			type: 'supervised',
			supervised: {
				hyperparameters: { n_epochs: 2, batch_size: 'auto', learning_rate_multiplier: 0.5 }
			}
		}
	});
	expect(fake.fileContent(created.training_file)).toBe(readFileSync(DRONE, 'utf8'));
	expect(fake.fileContent(created.validation_file)).toBe(readFileSync(PIRATE, 'utf8'));

	await expect(job.getByTestId('ft-status')).toHaveText('Training', { timeout: 15_000 });
	await expect(job.getByTestId('ft-eta')).toContainText('left');
	await expect(job.getByTestId('loss-train')).toBeVisible();
	await expect(job.getByTestId('loss-valid')).toBeVisible();
	await expect(job.getByTestId('ft-status')).toHaveText('Succeeded', { timeout: 20_000 });
	await expect(job.getByTestId('ft-progress')).toHaveText('step 10 of 10');
	await expect(job.getByTestId('loss-summary')).toContainText('training loss');
	await expect(job.getByTestId('ft-events')).toContainText('The job has successfully completed');
	const model = job.getByTestId('ft-model');
	await expect(model).toContainText('ft:gpt-4o-mini-2024-07-18:personal:drone:');
	await expect(job.getByTestId('ft-model-shutdown')).toContainText('Shuts down on 14 Jan 2027');

	// The new model is offered in the playground.
	await job.getByTestId('ft-try').click();
	await expect(page).toHaveURL(/\/playground$/);
	await expect(page.getByTestId('model-picker')).toHaveValue(
		/^ft:gpt-4o-mini-2024-07-18:personal:drone:/
	);
	await expect(page.getByTestId('model-shutdown')).toContainText('Shuts down on 14 Jan 2027');

	// A DPO job with beta, cancelled while it runs.
	fake.jobStepMs = 2000;
	await page.getByRole('link', { name: 'Fine-tune' }).click();
	await page.getByTestId('ft-training').setInputFiles(ORCA_DPO);
	await page.getByTestId('ft-dpo').check();
	await page.getByTestId('ft-explicit').check();
	await page.getByTestId('ft-beta').fill('0.1');
	await page.getByTestId('ft-start').click();
	await expect(job.getByTestId('ft-status')).toHaveText(/Validating files|Queued/);
	const dpo = JSON.parse(fake.requests.findLast((r) => r.url === '/v1/fine_tuning/jobs')!.body);
	// The form kept the epochs and learning rate typed for the first job.
	expect(dpo.method).toEqual({
		type: 'dpo',
		dpo: {
			hyperparameters: { n_epochs: 2, batch_size: 'auto', learning_rate_multiplier: 0.5, beta: 0.1 }
		}
	});
	page.once('dialog', (dialog) => void dialog.accept());
	await job.getByTestId('ft-cancel').click();
	await expect(job.getByTestId('ft-status')).toHaveText('Cancelled');
	await expect(page.getByTestId('ft-jobs').locator('li')).toHaveCount(2);

	// An account that can no longer start jobs gets the reason in plain words.
	fake.fail('finetune-closed', { path: /\/fine_tuning\/jobs$/ });
	await page.getByTestId('ft-start').click();
	await expect(page.getByTestId('ft-file-problems')).toContainText('Choose a training file');
	await page.getByTestId('ft-training').setInputFiles(ORCA_DPO);
	await page.getByTestId('ft-start').click();
	const refused = page.getByTestId('ft-start-error');
	await expect(refused).toContainText('this account can no longer start fine-tuning jobs');
	await expect(refused).toContainText('export your dataset');
	await expect(refused).toContainText('OpenAI said: “Fine-tuning is no longer available');

	// Past jobs stay, after a reload and offline.
	await page.reload();
	await expect(page.getByTestId('ft-jobs').locator('li')).toHaveCount(2);
	await page.context().setOffline(true);
	await expect(page.getByTestId('ft-offline')).toBeVisible();
	await page.getByTestId('ft-jobs').locator('li').nth(1).getByRole('button').click();
	await expect(page.getByTestId('ft-job').getByTestId('ft-status')).toHaveText('Succeeded');
	await expect(page.getByTestId('ft-job').getByTestId('loss-train')).toBeVisible();
	await page.context().setOffline(false);
});
