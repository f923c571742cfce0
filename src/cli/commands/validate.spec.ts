import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORMATS = '/work/shared/data/formats';
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(...args: string[]) {
	const result = spawnSync(TSX, ['src/cli/main.ts', 'validate', ...args], { encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('validate', () => {
	it('--json: one object with format, examples, errors, warnings, tokens, billedTokens, epochs; exit 1 on errors', () => {
		const { status, stdout } = cli(
			`${FORMATS}/cookbook-toy_chat_fine_tuning.jsonl`,
			'--model',
			'gpt-3.5-turbo-0613',
			'--json'
		);
		expect(status).toBe(1);
		const report = JSON.parse(stdout);
		expect(report).toMatchObject({
			format: 'openai-chat',
			examples: 5,
			model: 'gpt-3.5-turbo-0613'
		});
		expect(report.errors).toEqual([
			expect.objectContaining({
				code: 'too-few-examples',
				line: null,
				message: expect.any(String)
			}),
			expect.objectContaining({
				code: 'over-context-limit',
				line: 5,
				message: expect.stringContaining('4,096')
			})
		]);
		expect(report.warnings.map((w: { code: string; line: number }) => [w.code, w.line])).toEqual([
			['missing-system', 3],
			['missing-user', 4],
			['long-example', 5]
		]);
		expect(report.tokens).toMatchObject({ total: expect.any(Number), perExample: { count: 5 } });
		expect(Object.keys(report.tokens.perExample).sort()).toEqual(
			['count', 'max', 'mean', 'median', 'min', 'p10', 'p90', 'total'].sort()
		);
		expect(report.billedTokens).toBeLessThan(report.tokens.total);
		expect(report.epochs).toBe(20);
	});

	it('exit 0 for a clean file, and the human report names the model and the cost', () => {
		const { status, stdout } = cli(`${FORMATS}/foundry-orca_dpo_pairs.validation.jsonl`);
		expect(status).toBe(0);
		expect(stdout).toContain('Format: openai-dpo');
		expect(stdout).toContain('gpt-4o-mini-2024-07-18 (o200k_base');
		expect(stdout).toMatch(/Estimated cost: \$\d+\.\d\d at \$3 per 1M tokens/);
	});

	it('exit 2 when the file cannot be read; exit 1 on usage mistakes', () => {
		const missing = cli('/nonexistent/file.jsonl', '--json');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('no such file');
		expect(cli(FORMATS).status).toBe(2);
		expect(cli().status).toBe(1);
		expect(cli(`${FORMATS}/pirate-training_set.jsonl`, '--fix', 'nope').status).toBe(1);
	});

	it('the 0-byte file: exit 1, error empty-file', () => {
		const { status, stdout } = cli(`${FORMATS}/self-instruct-trec_ABBR.empty.jsonl`, '--json');
		expect(status).toBe(1);
		expect(JSON.parse(stdout)).toMatchObject({
			format: 'empty',
			examples: 0,
			errors: [{ code: 'empty-file' }]
		});
	});

	it('--price changes the estimate; --validation reports shared inputs; --fix writes a clean copy', () => {
		const dir = mkdtempSync(join(tmpdir(), 'tuneloop-validate-'));
		const crlf = `${FORMATS}/autograding-validation_set.crlf.jsonl`;
		const priced = JSON.parse(cli(crlf, '--json', '--price', '100').stdout);
		expect(priced.cost.usd).toBeCloseTo((priced.billedTokens * priced.epochs * 100) / 1e6, 8);
		const overlap = JSON.parse(cli(crlf, '--json', '--validation', crlf).stdout);
		expect(overlap.warningCounts['train-validation-overlap']).toBe(25);
		const out = join(dir, 'fixed.jsonl');
		const fixed = cli(crlf, '--fix', 'drop-duplicates', '--out', out);
		expect(fixed.stderr).toContain('wrote 25 lines');
		expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(25);
		const again = JSON.parse(cli(out, '--json').stdout);
		expect(again.stats.duplicates).toBe(0);
		const broken = join(dir, 'broken.jsonl');
		writeFileSync(broken, '{"messages": [}\n');
		expect(cli(broken).status).toBe(1);
	});
});
