import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORMATS = '/work/shared/data/formats';
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(...args: string[]) {
	const result = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('import-check', () => {
	it('reports a DPO file as one JSON object', () => {
		const { status, stdout } = cli(
			'import-check',
			`${FORMATS}/foundry-orca_dpo_pairs.validation.jsonl`,
			'--json'
		);
		expect(status).toBe(0);
		expect(JSON.parse(stdout)).toEqual({
			file: `${FORMATS}/foundry-orca_dpo_pairs.validation.jsonl`,
			lines: 284,
			blank: 0,
			accepted: 284,
			rejected: [],
			formats: { 'openai-dpo': 284 },
			logs: 568,
			feedback: 284
		});
	});

	it('lists every rejected line with its reason', () => {
		const { status, stdout } = cli(
			'import-check',
			`${FORMATS}/cookbook-dbpedia_samples.wrong-schema.jsonl`,
			'--json'
		);
		expect(status).toBe(0);
		const report = JSON.parse(stdout);
		expect(report).toMatchObject({ lines: 200, accepted: 0, formats: {} });
		expect(report.rejected).toHaveLength(200);
		expect(report.rejected[199]).toEqual({
			line: 200,
			reason:
				'valid JSON, but not a log format Tuneloop knows (fields: text, category); map its fields in the import dialog'
		});
	});

	it('applies --map, and prints a readable table without --json', () => {
		const { status, stdout } = cli(
			'import-check',
			`${FORMATS}/cookbook-dbpedia_samples.wrong-schema.jsonl`,
			'--map',
			'input=text,output=category'
		);
		expect(status).toBe(0);
		expect(stdout).toMatch(/^mapped\s+200$/m);
		expect(stdout.trim().split('\n').at(-1)).toBe(
			'200 lines: 200 accepted, 0 rejected, 0 blank (200 logs, 0 feedback)'
		);
	});

	it('reports a file error as a successful read that imported nothing', () => {
		const dir = mkdtempSync(join(tmpdir(), 'tuneloop-cli-'));
		const file = join(dir, 'utf16.jsonl');
		writeFileSync(file, Buffer.from('\ufeff{"prompt": "a", "completion": "b"}\n', 'utf16le'));
		const { status, stdout } = cli('import-check', file, '--json');
		expect(status).toBe(0);
		expect(JSON.parse(stdout)).toMatchObject({
			lines: 0,
			accepted: 0,
			fileError: 'this file is UTF-16; save it as UTF-8'
		});
	});

	it('exits 2 for a missing file or a directory, and 1 for usage errors', () => {
		const missing = cli('import-check', '/no/such/file.jsonl', '--json');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('cannot read /no/such/file.jsonl: no such file');
		expect(cli('import-check', tmpdir()).status).toBe(2);
		const usage = cli('import-check');
		expect(usage.status).toBe(1);
		expect(usage.stderr).toContain('Usage: npm run -s cli -- import-check FILE');
		expect(cli('import-check', 'x.jsonl', '--map', 'input=a').status).toBe(1);
		expect(cli('import-check', 'x.jsonl', '--bogus').status).toBe(1);
		expect(cli('no-such-command').status).toBe(1);
		expect(cli('--help').status).toBe(0);
	});
}, 60_000);
