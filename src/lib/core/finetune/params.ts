/**
 * The "new fine-tuning job" form as the API's create-job body, checked field by field the way
 * the spec constrains it (suffix length, integer epochs, DPO beta in (0, 2]…), so a mistake is
 * named next to its field before anything is uploaded.
 */

export type MethodType = 'supervised' | 'dpo';

export interface JobForm {
	model: string;
	method: MethodType;
	/** Empty string: 'auto'. */
	nEpochs: string;
	batchSize: string;
	learningRateMultiplier: string;
	/** DPO only. */
	beta: string;
	suffix: string;
	seed: string;
}

export interface FieldError {
	field: keyof JobForm;
	message: string;
}

export type JobBody = {
	model: string;
	training_file: string;
	validation_file?: string;
	suffix?: string;
	seed?: number;
	method: {
		type: MethodType;
		supervised?: { hyperparameters: Record<string, number | 'auto'> };
		dpo?: { hyperparameters: Record<string, number | 'auto'> };
	};
};

function numberField(
	errors: FieldError[],
	field: keyof JobForm,
	raw: string,
	check: (n: number) => string | null
): number | 'auto' {
	const text = raw.trim();
	if (text === '' || text.toLowerCase() === 'auto') return 'auto';
	const value = Number(text);
	if (!Number.isFinite(value)) {
		errors.push({ field, message: `“${text}” is not a number (leave it empty for auto)` });
		return 'auto';
	}
	const problem = check(value);
	if (problem) errors.push({ field, message: problem });
	return value;
}

const wholeBetween = (min: number, max: number) => (n: number) =>
	Number.isInteger(n) && n >= min && n <= max ? null : `a whole number from ${min} to ${max}`;

/** The body for POST /fine_tuning/jobs, or every field that is wrong. */
export function jobBody(
	form: JobForm,
	files: { training: string; validation?: string }
): { ok: true; body: JobBody } | { ok: false; errors: FieldError[] } {
	const errors: FieldError[] = [];
	if (!form.model.trim()) errors.push({ field: 'model', message: 'choose a base model' });
	const hyperparameters: Record<string, number | 'auto'> = {
		n_epochs: numberField(errors, 'nEpochs', form.nEpochs, wholeBetween(1, 50)),
		batch_size: numberField(errors, 'batchSize', form.batchSize, wholeBetween(1, 256)),
		learning_rate_multiplier: numberField(
			errors,
			'learningRateMultiplier',
			form.learningRateMultiplier,
			(n) => (n > 0 && n <= 10 ? null : 'a number above 0 (at most 10)')
		)
	};
	if (form.method === 'dpo')
		hyperparameters.beta = numberField(errors, 'beta', form.beta, (n) =>
			n > 0 && n <= 2 ? null : 'a number above 0 and at most 2'
		);
	const suffix = form.suffix.trim();
	if (suffix.length > 64) errors.push({ field: 'suffix', message: 'at most 64 characters' });
	else if (suffix && !/^[A-Za-z0-9_-]+$/.test(suffix))
		errors.push({ field: 'suffix', message: 'letters, digits, “-” and “_” only' });
	let seed: number | undefined;
	if (form.seed.trim()) {
		seed = Number(form.seed.trim());
		if (!Number.isInteger(seed) || seed < 0 || seed > 2_147_483_647) {
			errors.push({ field: 'seed', message: 'a whole number from 0 to 2147483647' });
			seed = undefined;
		}
	}
	if (errors.length > 0) return { ok: false, errors };
	const body: JobBody = {
		model: form.model.trim(),
		training_file: files.training,
		method: { type: form.method, [form.method]: { hyperparameters } }
	};
	if (files.validation) body.validation_file = files.validation;
	if (suffix) body.suffix = suffix;
	if (seed !== undefined) body.seed = seed;
	return { ok: true, body };
}

/**
 * A quick look at a training file before uploading it: JSON Lines, each line an object of the
 * method's shape. The dataset report does the full validation; this catches the wrong file.
 */
export function checkTrainingFile(
	text: string,
	method: MethodType
): { examples: number; problems: string[] } {
	const problems: string[] = [];
	let examples = 0;
	const lines = text.split('\n');
	for (let index = 0; index < lines.length && problems.length < 5; index++) {
		const line = lines[index].trim();
		if (!line) continue;
		examples++;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			problems.push(`line ${index + 1}: not valid JSON`);
			continue;
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			problems.push(`line ${index + 1}: not a JSON object`);
			continue;
		}
		const record = value as Record<string, unknown>;
		if (
			method === 'dpo' &&
			(!record.input || !record.preferred_output || !record.non_preferred_output)
		)
			problems.push(
				`line ${index + 1}: a DPO line needs input, preferred_output and non_preferred_output`
			);
		if (method === 'supervised' && !Array.isArray(record.messages))
			problems.push(`line ${index + 1}: a supervised line needs a messages array`);
	}
	if (examples < 10 && problems.length === 0)
		problems.push(`${examples} example${examples === 1 ? '' : 's'}: OpenAI needs at least 10`);
	return { examples, problems };
}
