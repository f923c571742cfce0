/**
 * `validate FILE`: the validation report the app shows, for a file on disk (same core code).
 * Exit status: 0 no errors, 1 errors (or a usage mistake), 2 the file cannot be read at all.
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { estimateCost } from '../../lib/core/validate/billing';
import { applyFixes, FIXES, type FixId } from '../../lib/core/validate/fixes';
import { reportToMarkdown } from '../../lib/core/validate/markdown';
import { MODELS } from '../../lib/core/validate/models';
import { validateStream } from '../../lib/core/validate/stream';
import type { HashIndex } from '../../lib/core/validate/hash-index';
import { loadTokenCounter } from '../../lib/core/validate/tokens';
import {
	addOverlap,
	resolveModel,
	Validator,
	type ValidationReport
} from '../../lib/core/validate/validator';
import { readLines } from '../../lib/core/import/lines';
import {
	EXIT_OK,
	EXIT_UNREADABLE,
	UsageError,
	commandOptions,
	oneFile,
	parseCommandArgs,
	unreadable,
	type Command,
	type Output
} from '../command';

const EXIT_ERRORS = 1;

const USAGE = `Usage: npm run -s cli -- validate FILE [--model MODEL] [--json] [--validation FILE]
                      [--price USD_PER_1M] [--fix FIX,... --out FILE]

Checks a fine-tuning file (chat, preference/DPO or legacy JSONL) as the app's validator does:
errors, warnings, token statistics, billed tokens, epochs and a cost estimate.

  --model        target model (default: gpt-4o-mini-2024-07-18, davinci-002 for legacy files);
                 known: ${MODELS.map((m) => m.id).join(', ')}
  --json         print one JSON object
  --validation   a validation file: also report examples whose input is in both
  --price        training price in USD per 1M tokens (instead of the built-in table)
  --fix          write a fixed copy to --out: ${FIXES.map((f) => f.id).join(', ')}

Exit status: 0 no errors, 1 errors (or a usage mistake), 2 the file cannot be read.`;

interface Options {
	file: string;
	model?: string;
	json: boolean;
	validation?: string;
	price?: number;
	fixes: FixId[];
	out?: string;
}

function readOptions(args: string[]): Options | 'help' {
	const parsed = parseCommandArgs({
		args,
		allowPositionals: true,
		options: {
			model: { type: 'string' },
			json: { type: 'boolean', default: false },
			validation: { type: 'string' },
			price: { type: 'string' },
			fix: { type: 'string' },
			out: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const { values, positionals } = parsed;
	if (values.help) return 'help';
	const file = oneFile(positionals);
	let price: number | undefined;
	if (values.price !== undefined) {
		price = Number(values.price);
		if (!Number.isFinite(price) || price < 0)
			throw new UsageError('--price: expected a number ≥ 0');
	}
	const fixes = (values.fix ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean) as FixId[];
	for (const fix of fixes)
		if (!FIXES.some((f) => f.id === fix))
			throw new UsageError(
				`--fix: ${JSON.stringify(fix)} is not one of ${FIXES.map((f) => f.id).join(', ')}`
			);
	if (fixes.length > 0 && !values.out) throw new UsageError('--fix needs --out FILE');
	return {
		file,
		model: values.model,
		json: values.json ?? false,
		validation: values.validation,
		price,
		fixes,
		out: values.out
	};
}

const streamOf = (path: string) =>
	Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;

async function validateFile(path: string, options: Options): Promise<ValidationReport> {
	const report = await validateStream(streamOf(path), {
		fileName: basename(path),
		file: path,
		model: options.model
	});
	if (options.price === undefined) return report;
	return { ...report, cost: estimateCost(report.billedTokens, report.epochs, options.price) };
}

async function* numberedLines(path: string) {
	const decoder = new TextDecoder();
	for await (const { line, bytes } of readLines(streamOf(path)))
		yield { line, text: decoder.decode(bytes) };
}

async function writeFixed(options: Options, report: ValidationReport): Promise<number> {
	const out: string[] = [];
	for await (const line of applyFixes(numberedLines(options.file), report, options.fixes))
		out.push(line);
	await writeFile(options.out as string, out.length ? `${out.join('\n')}\n` : '');
	return out.length;
}

export const validate: Command = {
	name: 'validate',
	summary: 'check a fine-tuning file: errors, warnings, tokens, epochs, cost',
	usage: USAGE,
	async run(args: string[], io: Output): Promise<number> {
		const options = commandOptions(this, io, () => readOptions(args));
		if (typeof options === 'number') return options;
		for (const path of [options.file, options.validation]) {
			if (path === undefined) continue;
			const problem = await unreadable(path);
			if (problem) {
				io.err(`validate: cannot read ${path}: ${problem}`);
				return EXIT_UNREADABLE;
			}
		}
		let report: ValidationReport;
		try {
			report = await validateFile(options.file, options);
			if (options.validation) {
				const train = await keysOf(options.file, report.model);
				const held = await keysOf(options.validation, report.model);
				report = addOverlap(report, train, held);
			}
		} catch (error) {
			io.err(
				`validate: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`
			);
			return EXIT_UNREADABLE;
		}
		if (options.fixes.length > 0) {
			const kept = await writeFixed(options, report);
			io.err(`validate: wrote ${kept} lines to ${options.out}`);
		}
		io.out(
			options.json ? JSON.stringify(report) : reportToMarkdown(report, basename(options.file))
		);
		const errors = Object.values(report.errorCounts).reduce((a, b) => a + b, 0);
		return errors > 0 ? EXIT_ERRORS : EXIT_OK;
	}
};

/** The normalized inputs of a file's examples (for train/validation overlap). */
async function keysOf(path: string, model: string): Promise<HashIndex> {
	const decoder = new TextDecoder();
	const spec = resolveModel(model, undefined);
	const validator = new Validator(await loadTokenCounter(spec.encoding), { model });
	for await (const { line, bytes } of readLines(streamOf(path))) {
		const text = decoder.decode(bytes);
		if (text.trim() !== '') validator.addLine(line, text);
	}
	return validator.inputKeys;
}
