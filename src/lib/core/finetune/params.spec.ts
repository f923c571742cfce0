import { describe, expect, it } from 'vitest';
import { checkTrainingFile, jobBody, type JobForm } from './params';

const form: JobForm = {
	model: 'gpt-4o-mini-2024-07-18',
	method: 'supervised',
	nEpochs: '',
	batchSize: '',
	learningRateMultiplier: '',
	beta: '',
	suffix: '',
	seed: ''
};

describe('jobBody', () => {
	it('auto hyperparameters by default, files and optional fields', () => {
		const result = jobBody(
			{ ...form, suffix: 'support-v2', seed: '42' },
			{ training: 'file-1', validation: 'file-2' }
		);
		expect(result).toEqual({
			ok: true,
			body: {
				model: 'gpt-4o-mini-2024-07-18',
				training_file: 'file-1',
				validation_file: 'file-2',
				suffix: 'support-v2',
				seed: 42,
				method: {
					type: 'supervised',
					supervised: {
						hyperparameters: {
							n_epochs: 'auto',
							batch_size: 'auto',
							learning_rate_multiplier: 'auto'
						}
					}
				}
			}
		});
	});

	it('explicit DPO hyperparameters with beta', () => {
		const result = jobBody(
			{
				...form,
				method: 'dpo',
				nEpochs: '3',
				batchSize: '8',
				learningRateMultiplier: '0.5',
				beta: '0.1'
			},
			{ training: 'file-1' }
		);
		expect(result.ok && result.body.method).toEqual({
			type: 'dpo',
			dpo: {
				hyperparameters: { n_epochs: 3, batch_size: 8, learning_rate_multiplier: 0.5, beta: 0.1 }
			}
		});
	});

	it('names every wrong field', () => {
		const result = jobBody(
			{
				...form,
				method: 'dpo',
				nEpochs: '2.5',
				batchSize: 'lots',
				beta: '0',
				suffix: 'has space',
				seed: '-1'
			},
			{ training: 'file-1' }
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => e.field)).toEqual([
			'nEpochs',
			'batchSize',
			'beta',
			'suffix',
			'seed'
		]);
		expect(result.errors[1].message).toContain('“lots” is not a number');
	});
});

describe('checkTrainingFile', () => {
	const line = JSON.stringify({
		messages: [
			{ role: 'user', content: 'q' },
			{ role: 'assistant', content: 'a' }
		]
	});
	it('accepts 10 chat lines, names bad lines and too few examples', () => {
		expect(checkTrainingFile(Array(10).fill(line).join('\n'), 'supervised').problems).toEqual([]);
		expect(checkTrainingFile(`${line}\n{oops\n`, 'supervised').problems).toEqual([
			'line 2: not valid JSON'
		]);
		expect(checkTrainingFile(line, 'supervised').problems).toEqual([
			'1 example: OpenAI needs at least 10'
		]);
		expect(checkTrainingFile(Array(10).fill(line).join('\n'), 'dpo').problems[0]).toContain(
			'needs input, preferred_output'
		);
	});
});
