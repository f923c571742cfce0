/**
 * `npm run bench:validate [-- --lines N] [-- --runs R]`: the validator benchmark, in node (the
 * CLI's runtime; the app's worker runs the same core).
 *
 * 1. Generates a deterministic chat JSONL of N lines (default 100,000; make-chat-file.ts: system
 *    prompts, multi-turn chats, tool calls, 5% bad lines) in memory.
 * 2. Report: the full validation report on the file's bytes (validateStream: line splitting,
 *    UTF-8, JSON, every per-line and dataset-wide check, token counts), o200k_base.
 * 3. Limit: tokenizing exactly the same texts with the same tokenizer and nothing else. The
 *    texts are recorded by a first, untimed validation run whose counter writes down every text
 *    it is asked to count, with the per-file cache of system prompts off, so every message's
 *    texts are there, repeated system prompts included (and each distinct tools definition
 *    once); the limit then counts each of them, in the same order (the report counts a chat
 *    file's texts in batches, see src/lib/core/validate/deferred-counts.ts: the order recorded is
 *    that order). The timed report keeps its system prompt cache on, as the app and the CLI do.
 * 4. Prints both times and, last, the ratio report/limit. Target ≤ 1.5.
 *
 * With --runs R (default 5) the two paths alternate R times and the best time of each is kept
 * (this machine is shared), each after a full garbage collection; each run's own ratio and their
 * median are printed too. Exit status 0 whatever the figures; 1 when something broke.
 */
import { parseArgs } from 'node:util';
import { chatLineBuffers } from './make-chat-file';
import { pairedRatiosLine } from './paired';
import { validateStream } from '../src/lib/core/validate/stream';
import { loadTokenCounter, type CountTokens } from '../src/lib/core/validate/tokens';
import type { ValidationReport } from '../src/lib/core/validate/validator';

const TARGET = 1.5;
const CHUNK = 1 << 20;

function fileBytes(lines: number): Uint8Array {
	const parts: Uint8Array[] = [];
	let total = 0;
	for (const line of chatLineBuffers(lines, 1)) {
		parts.push(line);
		total += line.byteLength + 1;
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.byteLength;
		out[offset++] = 0x0a;
	}
	return out;
}

/** The file as a stream of 1 MB chunks (copies, as a disk read gives). */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(offset, offset + CHUNK));
			offset += CHUNK;
		}
	});
}

async function report(
	bytes: Uint8Array,
	count: CountTokens,
	cacheRepeated = true
): Promise<ValidationReport> {
	return validateStream(streamOf(bytes), {
		fileName: 'bench.jsonl',
		model: 'gpt-4o-mini-2024-07-18',
		loadCounter: () => Promise.resolve(count),
		cacheRepeated
	});
}

function limit(texts: readonly string[], count: CountTokens): number {
	let tokens = 0;
	for (let i = 0; i < texts.length; i++) tokens += count(texts[i]);
	return tokens;
}

/**
 * A full collection before each timed part (when node runs with --expose-gc, as the npm script
 * does), so neither part pays for the garbage the other left behind.
 */
function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			lines: { type: 'string', default: '100000' },
			runs: { type: 'string', default: '5' }
		}
	});
	const lines = Number(values.lines);
	const runs = Number(values.runs);
	const count = await loadTokenCounter('o200k_base');
	const started = performance.now();
	const bytes = fileBytes(lines);
	console.log(
		`file: ${lines.toLocaleString('en-US')} lines, ${(bytes.length / 1e6).toFixed(1)} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`
	);

	// The texts the report tokenizes, recorded once (untimed); this also warms up the tokenizer.
	const texts: string[] = [];
	const recorded = await report(
		bytes,
		(text) => {
			texts.push(text);
			return count(text);
		},
		false
	);
	const chars = texts.reduce((sum, text) => sum + text.length, 0);
	console.log(
		`texts: ${texts.length.toLocaleString('en-US')} (${(chars / 1e6).toFixed(1)} M characters); report: ${recorded.examples.toLocaleString('en-US')} examples, ${recorded.validExamples.toLocaleString('en-US')} valid, ${Object.values(
			recorded.errorCounts
		)
			.reduce((a, b) => a + b, 0)
			.toLocaleString('en-US')} errors, ${recorded.tokens.total.toLocaleString('en-US')} tokens`
	);

	let bestReport = Infinity;
	let bestLimit = Infinity;
	let limitTokens = 0;
	let reportTokens = 0;
	const ratios: number[] = [];
	for (let run = 1; run <= runs; run++) {
		collectGarbage();
		let t = performance.now();
		limitTokens = limit(texts, count);
		const limitSeconds = (performance.now() - t) / 1000;
		collectGarbage();
		t = performance.now();
		const result = await report(bytes, count);
		const reportSeconds = (performance.now() - t) / 1000;
		reportTokens = result.tokens.total;
		bestLimit = Math.min(bestLimit, limitSeconds);
		bestReport = Math.min(bestReport, reportSeconds);
		ratios.push(reportSeconds / limitSeconds);
		console.log(
			`run ${run}: report ${reportSeconds.toFixed(2)} s, limit ${limitSeconds.toFixed(2)} s`
		);
	}
	if (reportTokens <= 0 || limitTokens <= 0) {
		console.error('bench:validate: no tokens counted; something broke');
		return 1;
	}
	const rate = (seconds: number) => Math.round(lines / seconds).toLocaleString('en-US');
	console.log(
		`limit (tokenize the same ${texts.length.toLocaleString('en-US')} texts only): ${bestLimit.toFixed(2)} s (${rate(bestLimit)} lines/s), ${limitTokens.toLocaleString('en-US')} tokens`
	);
	console.log(
		`report (full validation report): ${bestReport.toFixed(2)} s (${rate(bestReport)} lines/s)`
	);
	for (const line of pairedRatiosLine('per run report/limit:', ratios)) console.log(line);
	const ratio = bestReport / bestLimit;
	console.log(
		`ratio report/limit: ${ratio.toFixed(2)} (target ≤ ${TARGET}${ratio <= TARGET ? ', met' : ', NOT met'})`
	);
	return 0;
}

main().then(
	(status) => (process.exitCode = status),
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	}
);
