import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { separablePairs } from '../../lib/core/prefmodel/testing';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(...args: string[]) {
	const result = spawnSync(TSX, ['src/cli/main.ts', 'prefmodel-eval', ...args], {
		encoding: 'utf8'
	});
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('prefmodel-eval', () => {
	it('cross-validates a TRL file and prints pairs, accuracy, baselines and trainMs as JSON', () => {
		const dir = mkdtempSync(join(tmpdir(), 'prefmodel-eval-'));
		const data = separablePairs(120, 3);
		const lines = data.pairs.map((p) =>
			JSON.stringify({
				prompt: data.items[p.chosen].input,
				chosen: data.items[p.chosen].output,
				rejected: data.items[p.rejected].output
			})
		);
		lines.splice(5, 0, '{"oops": true}');
		const file = join(dir, 'pairs.jsonl');
		writeFileSync(file, lines.join('\n'));
		const { status, stdout, stderr } = cli('--pairs', file, '--folds', '3', '--json');
		expect(status).toBe(0);
		expect(stderr).toMatch(/pairs\.jsonl:6: not a preference line/);
		const result = JSON.parse(stdout);
		expect(result).toMatchObject({ pairs: 120, folds: 3, seed: 0, badLines: 1 });
		expect(result.accuracy).toBeGreaterThan(0.95);
		expect(Object.keys(result.baselines).sort()).toEqual(['longer', 'majority', 'shorter']);
		expect(result.baselines.majority).toBe(0.5);
		expect(result.trainMs).toBeGreaterThan(0);
		// Words decide these pairs, so every fold's model is built on n-grams.
		for (const fold of result.perFold) expect(fold.model).toMatch(/^n-grams/);
	});

	it('says what is wrong with its arguments and with unreadable files', () => {
		expect(cli().status).toBe(1);
		expect(cli('--pairs', 'x', '--folds', '1').stderr).toMatch(/--folds: expected an integer ≥ 2/);
		const missing = cli('--pairs', '/nonexistent/pairs.jsonl');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toMatch(/cannot read \/nonexistent\/pairs\.jsonl/);
	});
});
