/**
 * `npm run bench:import [-- --lines N] [-- --disk]`: the import benchmark.
 *
 * 1. Generates bench/out/chat-<N>.jsonl with make-chat-file.ts when it is missing (deterministic;
 *    100,000 lines ≈ 61 MB, 5% bad lines).
 * 2. Serves the built app (`build/`, built first when missing) with `vite preview` on port 4174
 *    (or $BENCH_PORT, else $E2E_PORT).
 * 3. App path: in headless Chromium, creates a project, gives the file to the app's hidden file
 *    input and times it until the import job reads `data-status="done"`, while sampling the used
 *    JS heap of the page and of its dedicated workers (the import worker) every 250 ms over CDP.
 * 4. Limit path, same browser and origin: a dedicated Worker made from a Blob URL (limit.worker.ts
 *    bundled by esbuild) reads the same File, `JSON.parse`s every line and Dexie-`bulkAdd`s the
 *    rows in batches of 2,000, with no detection or validation.
 * 5. Prints rows/s for both (rows/s = lines in the file / seconds), the peak heap and, last, the
 *    ratio app/limit. Targets: ratio ≥ 0.6, peak heap (page + worker) < 250 MB.
 *
 * Options: --lines N (default 100000), --file PATH (use this file instead of generating one),
 * --disk (a persistent profile in a temp folder, so IndexedDB writes to disk; by default Playwright
 * contexts are incognito and Chromium keeps their IndexedDB in memory), --serial-limit (the limit
 * awaits each bulkAdd before parsing on, instead of overlapping parse and commit), --uuid-ids (the
 * limit's rows get random UUID keys, like the app's content-hash ids, instead of line numbers),
 * --limit-only (skip the app; no build or server needed), --runs N (default 1: N rounds, each in a
 * fresh browser, app then limit; the best time of each path is reported, the peak heap is the
 * highest seen; this machine is shared, so several runs steady the figures), --timeout SECONDS
 * (per path, default 600).
 *
 * Exit status: 0 when both paths ran, whatever the figures; 1 when something broke (the import
 * failed or did not finish, or its counts do not add up to the file's lines). MB here = 2^20 bytes.
 */
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { BAD_EVERY, writeChatFile } from './make-chat-file';
import {
	children,
	ensureBuild,
	log,
	ROOT,
	sleep,
	startPreview,
	stopChild,
	stopChildren
} from './serve';
import type { LimitReply } from './limit.worker';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium';
import { pairedRatiosLine } from './paired';

// BENCH_PORT (or E2E_PORT) lets several worktrees run benchmarks side by side.
const PORT = Number(process.env.BENCH_PORT ?? process.env.E2E_PORT ?? 4174);
const BASE = `http://localhost:${PORT}`;
const BATCH_LINES = 2000;
const SAMPLE_MS = 250;
const POLL_MS = 100;
const HEAP_TARGET_MB = 250;
const RATIO_TARGET = 0.6;
const CHROMIUM = CHROMIUM_PATH;
const BENCH_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--enable-precise-memory-info'];

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
	lines: number;
	file: string | null;
	disk: boolean;
	pipelineLimit: boolean;
	uuidIds: boolean;
	limitOnly: boolean;
	runs: number;
	timeoutMs: number;
}

function parseArgs(argv: string[]): Options {
	const options: Options = {
		lines: 100_000,
		file: null,
		disk: false,
		pipelineLimit: true,
		uuidIds: false,
		limitOnly: false,
		runs: 1,
		timeoutMs: 600_000
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		if (arg === '--lines') {
			options.lines = Number(value().replace(/[_,]/g, ''));
			if (!Number.isInteger(options.lines) || options.lines < 1)
				throw new Error('--lines must be a positive integer');
		} else if (arg === '--file') options.file = resolve(value());
		else if (arg === '--disk') options.disk = true;
		else if (arg === '--serial-limit') options.pipelineLimit = false;
		else if (arg === '--uuid-ids') options.uuidIds = true;
		else if (arg === '--limit-only') options.limitOnly = true;
		else if (arg === '--runs') {
			options.runs = Number(value());
			if (!Number.isInteger(options.runs) || options.runs < 1)
				throw new Error('--runs must be a positive integer');
		} else if (arg === '--timeout') options.timeoutMs = Number(value()) * 1000;
		else if (arg === '--help' || arg === '-h') {
			console.log('usage: npm run bench:import -- [--lines N] [--file PATH] [--disk] [--runs N]');
			console.log('       [--serial-limit] [--uuid-ids] [--limit-only] [--timeout SECONDS]');
			process.exit(0);
		} else throw new Error(`unknown argument ${arg}`);
	}
	return options;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const fileLabel = (lines: number) =>
	lines % 1000 === 0 ? `chat-${lines / 1000}k.jsonl` : `chat-${lines}.jsonl`;

// ---------------------------------------------------------------------------------------------
// Input file

interface InputFile {
	path: string;
	bytes: number;
	lines: number;
	/** Bad lines the generator wrote; null for a file given with --file. */
	expectedBad: number | null;
}

function countLines(path: string): number {
	const buffer = readFileSync(path);
	let n = 0;
	for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
	if (buffer.length > 0 && buffer[buffer.length - 1] !== 10) n++;
	return n;
}

function prepareFile(options: Options): InputFile {
	if (options.file) {
		if (!existsSync(options.file)) throw new Error(`no such file: ${options.file}`);
		return {
			path: options.file,
			bytes: statSync(options.file).size,
			lines: countLines(options.file),
			expectedBad: null
		};
	}
	const path = join(ROOT, 'bench', 'out', fileLabel(options.lines));
	if (!existsSync(path)) {
		log(`generating ${relative(ROOT, path)} (${int(options.lines)} lines)…`);
		const written = writeChatFile(path, options.lines, 1);
		log(`wrote ${int(written.bytes)} bytes in ${written.seconds.toFixed(1)} s`);
	}
	return {
		path,
		bytes: statSync(path).size,
		lines: options.lines,
		expectedBad: Math.floor(options.lines / BAD_EVERY)
	};
}

// ---------------------------------------------------------------------------------------------
// Heap sampling over CDP
//
// A page's CDP session reaches its dedicated workers through Target.setAutoAttach with
// flatten: false; each worker then answers Runtime.getHeapUsage sent with
// Target.sendMessageToTarget, the reply arriving as Target.receivedMessageFromTarget.

interface HeapPeaks {
	page: number;
	workers: number;
	sum: number;
	/** Peak per worker URL. */
	perWorker: Map<string, number>;
	samples: number;
	/** Worker samples that got no answer in time (the last known value stood in). */
	missed: number;
}

class HeapSampler {
	private readonly session: CDPSession;
	private readonly workers = new Map<string, string>(); // sessionId → url
	private readonly lastWorker = new Map<string, number>(); // sessionId → last used bytes
	private readonly replies = new Map<number, (usedSize: number | null) => void>();
	private nextId = 1;
	private running = false;
	private loop: Promise<void> | null = null;
	peaks: HeapPeaks = HeapSampler.emptyPeaks();

	private constructor(session: CDPSession) {
		this.session = session;
	}

	static emptyPeaks(): HeapPeaks {
		return { page: 0, workers: 0, sum: 0, perWorker: new Map(), samples: 0, missed: 0 };
	}

	static async attach(page: Page): Promise<HeapSampler> {
		const session = await page.context().newCDPSession(page);
		const sampler = new HeapSampler(session);
		session.on('Target.attachedToTarget', (event) => {
			if (event.targetInfo.type === 'worker')
				sampler.workers.set(event.sessionId, event.targetInfo.url);
		});
		session.on('Target.detachedFromTarget', (event) => {
			if (event.sessionId) sampler.workers.delete(event.sessionId);
		});
		session.on('Target.receivedMessageFromTarget', (event) => {
			const message = JSON.parse(event.message) as {
				id?: number;
				result?: { usedSize?: number };
			};
			if (message.id === undefined) return;
			const reply = sampler.replies.get(message.id);
			if (!reply) return;
			sampler.replies.delete(message.id);
			reply(message.result?.usedSize ?? null);
		});
		await session.send('Target.setAutoAttach', {
			autoAttach: true,
			waitForDebuggerOnStart: false,
			flatten: false
		});
		return sampler;
	}

	/** The page's CDP Performance metrics (TaskDuration, ScriptDuration… in seconds). */
	async pageMetrics(): Promise<Record<string, number>> {
		try {
			await this.session.send('Performance.enable');
			const { metrics } = await this.session.send('Performance.getMetrics');
			return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
		} catch {
			return {};
		}
	}

	/** Worker URLs attached now. */
	workerUrls(): string[] {
		return [...this.workers.values()];
	}

	private workerHeap(sessionId: string): Promise<number | null> {
		const id = this.nextId++;
		return new Promise((done) => {
			const timer = setTimeout(() => {
				this.replies.delete(id);
				done(null);
			}, 2000);
			this.replies.set(id, (usedSize) => {
				clearTimeout(timer);
				done(usedSize);
			});
			this.session
				.send('Target.sendMessageToTarget', {
					sessionId,
					message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' })
				})
				.catch(() => {
					clearTimeout(timer);
					this.replies.delete(id);
					done(null);
				});
		});
	}

	async sample(): Promise<void> {
		const sessions = [...this.workers.keys()];
		const [pageHeap, ...workerHeaps] = await Promise.all([
			this.session
				.send('Runtime.getHeapUsage')
				.then((r) => r.usedSize)
				.catch(() => null),
			...sessions.map((s) => this.workerHeap(s))
		]);
		const peaks = this.peaks;
		let workers = 0;
		sessions.forEach((sessionId, i) => {
			let used = workerHeaps[i];
			if (used === null) {
				peaks.missed++;
				used = this.lastWorker.get(sessionId) ?? 0;
			} else this.lastWorker.set(sessionId, used);
			workers += used;
			const url = this.workers.get(sessionId) ?? sessionId;
			peaks.perWorker.set(url, Math.max(peaks.perWorker.get(url) ?? 0, used));
		});
		const page = pageHeap ?? 0;
		peaks.page = Math.max(peaks.page, page);
		peaks.workers = Math.max(peaks.workers, workers);
		peaks.sum = Math.max(peaks.sum, page + workers);
		peaks.samples++;
	}

	/** Starts sampling every SAMPLE_MS, with fresh peaks. */
	start(): void {
		this.peaks = HeapSampler.emptyPeaks();
		this.running = true;
		this.loop = (async () => {
			while (this.running) {
				const t = Date.now();
				await this.sample();
				await sleep(Math.max(0, SAMPLE_MS - (Date.now() - t)));
			}
		})();
	}

	/** Stops sampling after one last sample; returns the peaks. */
	async stop(): Promise<HeapPeaks> {
		this.running = false;
		await this.loop;
		await this.sample();
		return this.peaks;
	}

	async detach(): Promise<void> {
		await this.session.detach().catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------
// App path

interface AppCounts {
	accepted: number;
	rejected: number;
	blank: number;
	duplicates: number;
	lines: number | null;
	text: string;
}

interface AppResult {
	seconds: number;
	counts: AppCounts;
	heap: HeapPeaks;
	workerUrls: string[];
	/** rows/s over each tenth of the file (from the polled line count): shows a slowdown. */
	pace: number[];
	/** Page main-thread time during the import (CDP Performance metrics). */
	pageTaskSeconds: number;
	pageScriptSeconds: number;
}

/** rows/s between the polls where the line count crossed each tenth of the file. */
function paceByTenth(progress: Array<[number, number]>, lines: number): number[] {
	const pace: number[] = [];
	let prev: [number, number] = [0, 0];
	for (let k = 1; k <= 10; k++) {
		const crossed = progress.find(([, n]) => n >= (lines * k) / 10);
		if (!crossed) break;
		if (crossed[0] > prev[0] && crossed[1] > prev[1])
			pace.push((crossed[1] - prev[1]) / (crossed[0] - prev[0]));
		else pace.push(NaN); // two tenths within one poll
		prev = crossed;
	}
	return pace;
}

function parseCounts(text: string): AppCounts {
	const num = (re: RegExp) => {
		const m = re.exec(text);
		return m ? Number(m[1].replace(/[^\d]/g, '')) : null;
	};
	const accepted = num(/([\d,.\s]+?)\s*accepted/);
	const rejected = num(/([\d,.\s]+?)\s*rejected/);
	const blank = num(/([\d,.\s]+?)\s*blank/);
	if (accepted === null || rejected === null || blank === null)
		throw new Error(`cannot read the import counts from ${JSON.stringify(text)}`);
	return {
		accepted,
		rejected,
		blank,
		duplicates: num(/([\d,.\s]+?)\s*(?:already present|duplicate)/) ?? 0,
		lines: num(/\(([\d,.\s]+?)\s*lines?\)/),
		text: text.replace(/\s+/g, ' ').trim()
	};
}

async function runApp(context: BrowserContext, file: InputFile, options: Options) {
	const page = await context.newPage();
	const pageErrors: string[] = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') pageErrors.push(message.text());
	});
	try {
		await page.goto(`${BASE}/`);
		const name = page.getByPlaceholder('e.g. Support replies');
		await name.waitFor({ timeout: 30_000 });
		await name.fill('Import bench');
		await page.getByRole('button', { name: 'Create project' }).click();
		await name.waitFor({ state: 'detached', timeout: 30_000 }); // the first screen is gone
		const input = page.locator('[data-testid="file-input"]');
		await input.waitFor({ state: 'attached', timeout: 30_000 });

		const sampler = await HeapSampler.attach(page);
		await sampler.sample(); // baseline, and workers that exist already
		const metricsBefore = await sampler.pageMetrics();
		const progress: Array<[seconds: number, lines: number]> = [];
		sampler.start();
		log(`app: importing ${relative(ROOT, file.path)}…`);
		const started = performance.now();
		let status: string | null = null;
		let countsText = '';
		let seconds = 0;
		let lastLog = started;
		try {
			await input.setInputFiles(file.path);
			for (;;) {
				const state = await page.evaluate(() => {
					const job = document.querySelector('[data-testid="import-job"]');
					const counts = document.querySelector('[data-testid="import-counts"]');
					return {
						status: job?.getAttribute('data-status') ?? null,
						counts: counts?.textContent ?? '',
						error: job?.querySelector('[role="alert"]')?.textContent ?? null
					};
				});
				status = state.status;
				countsText = state.counts;
				const now = performance.now();
				const done = /\(([\d,.\s]+?)\s*lines?\)/.exec(state.counts);
				if (done) progress.push([(now - started) / 1000, Number(done[1].replace(/[^\d]/g, ''))]);
				if (status === 'done') {
					seconds = (now - started) / 1000;
					break;
				}
				if (status === 'failed' || status === 'cancelled' || status === 'needs-mapping')
					throw new Error(
						`the app's import ended as '${status}'${state.error ? `: ${state.error}` : ''}`
					);
				if (now - started > options.timeoutMs)
					throw new Error(`the app's import did not finish in ${options.timeoutMs / 1000} s`);
				if (now - lastLog > 5000) {
					lastLog = now;
					log(`app: ${((now - started) / 1000).toFixed(0)} s, ${status}, ${state.counts.trim()}`);
				}
				await sleep(POLL_MS);
			}
		} finally {
			await sampler.stop();
		}
		const metricsAfter = await sampler.pageMetrics();
		const pageBusy = (name: string) => (metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0);
		const heap = sampler.peaks;
		const workerUrls = [...heap.perWorker.keys()];
		await sampler.detach();
		if (pageErrors.length > 0) log(`app page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
		// The counts of the finished job (re-read once: the last progress may land a tick later).
		let counts = parseCounts(countsText);
		if (counts.accepted + counts.rejected + counts.blank + counts.duplicates !== file.lines) {
			await sleep(500);
			const text = await page.locator('[data-testid="import-counts"]').first().textContent();
			counts = parseCounts(text ?? '');
		}
		progress.push([seconds, counts.lines ?? file.lines]);
		const result: AppResult = {
			seconds,
			counts,
			heap,
			workerUrls,
			pace: paceByTenth(progress, file.lines),
			pageTaskSeconds: pageBusy('TaskDuration'),
			pageScriptSeconds: pageBusy('ScriptDuration')
		};
		return result;
	} catch (error) {
		const shot = join(ROOT, 'bench', 'out', 'app-failure.png');
		await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
		log(`app path failed; screenshot: ${relative(ROOT, shot)}`);
		if (pageErrors.length > 0) log(`page errors:\n  ${pageErrors.slice(0, 10).join('\n  ')}`);
		throw error;
	} finally {
		await page.close().catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------
// Limit path

interface LimitResult {
	seconds: number;
	wallSeconds: number;
	setupSeconds: number;
	rows: number;
	lines: number;
	parseErrors: number;
	blank: number;
	batches: number;
	parseSeconds: number;
	addCallSeconds: number;
	waitSeconds: number;
	heap: HeapPeaks;
}

async function bundleLimitWorker(): Promise<string> {
	const result = await build({
		entryPoints: [join(ROOT, 'bench', 'limit.worker.ts')],
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'es2022',
		minify: true,
		write: false,
		logLevel: 'silent'
	});
	return result.outputFiles[0].text;
}

async function runLimit(
	context: BrowserContext,
	file: InputFile,
	options: Options
): Promise<LimitResult> {
	const code = await bundleLimitWorker();
	const page = await context.newPage();
	try {
		// A blank page on the app's origin (same IndexedDB), so no app code runs beside the limit.
		await page.route(`${BASE}/__bench-limit`, (route) =>
			route.fulfill({
				status: 200,
				contentType: 'text/html',
				headers: {
					'Cross-Origin-Opener-Policy': 'same-origin',
					'Cross-Origin-Embedder-Policy': 'require-corp'
				},
				body: '<!doctype html><title>import limit</title><input type="file" id="bench-file">'
			})
		);
		await page.goto(`${BASE}/__bench-limit`);
		await page.locator('#bench-file').setInputFiles(file.path);
		const sampler = await HeapSampler.attach(page);
		await sampler.sample();
		sampler.start();
		log('limit: JSON.parse + Dexie bulkAdd in a blob worker…');
		const wallStart = performance.now();
		let reply: LimitReply;
		try {
			reply = await page.evaluate(
				async ({ code, batchLines, pipeline, ids, timeoutMs }) => {
					const input = document.getElementById('bench-file') as HTMLInputElement;
					const selected = input.files?.[0];
					if (!selected) return { type: 'error', message: 'no file in the input' } as LimitReply;
					const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
					const worker = new Worker(url);
					try {
						return await new Promise<LimitReply>((done) => {
							const timer = setTimeout(
								() => done({ type: 'error', message: 'timed out' }),
								timeoutMs
							);
							worker.onmessage = (event: MessageEvent<LimitReply>) => {
								clearTimeout(timer);
								done(event.data);
							};
							worker.onerror = (event) => {
								clearTimeout(timer);
								done({ type: 'error', message: event.message || 'worker error' });
							};
							worker.postMessage({
								file: selected,
								dbName: 'bench-limit',
								batchLines,
								pipeline,
								ids
							});
						});
					} finally {
						worker.terminate();
						URL.revokeObjectURL(url);
					}
				},
				{
					code,
					batchLines: BATCH_LINES,
					pipeline: options.pipelineLimit,
					ids: options.uuidIds ? 'uuid' : 'line',
					timeoutMs: options.timeoutMs
				}
			);
		} finally {
			await sampler.stop().catch(() => sampler.peaks);
		}
		const wallSeconds = (performance.now() - wallStart) / 1000;
		const heap = sampler.peaks;
		await sampler.detach();
		if (reply.type === 'error') throw new Error(`the limit failed: ${reply.message}`);
		return {
			seconds: reply.ms / 1000,
			wallSeconds,
			setupSeconds: reply.setupMs / 1000,
			rows: reply.rows,
			lines: reply.lines,
			parseErrors: reply.parseErrors,
			blank: reply.blank,
			batches: reply.batches,
			parseSeconds: reply.parseMs / 1000,
			addCallSeconds: reply.addCallMs / 1000,
			waitSeconds: reply.waitMs / 1000,
			heap
		};
	} finally {
		await page.close().catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------
// Main

interface Round {
	app: AppResult | null;
	limit: LimitResult;
}

/** One round in a fresh browser (fresh storage): the app's import, then the limit. */
async function runRound(
	options: Options,
	file: InputFile
): Promise<{ version: string; round: Round }> {
	let userDataDir: string | null = null;
	let context: BrowserContext;
	let closeBrowser: () => Promise<void>;
	// Service workers are blocked: the PWA's precache would download beside the import.
	if (options.disk) {
		userDataDir = mkdtempSync(join(tmpdir(), 'tuneloop-bench-'));
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			args: BENCH_CHROMIUM_ARGS,
			serviceWorkers: 'block'
		});
		closeBrowser = () => context.close();
	} else {
		const browser = await chromium.launch({ executablePath: CHROMIUM, args: BENCH_CHROMIUM_ARGS });
		context = await browser.newContext({ serviceWorkers: 'block' });
		closeBrowser = () => browser.close();
	}
	try {
		const page = await context.newPage();
		const session = await context.newCDPSession(page);
		const { product: version } = await session.send('Browser.getVersion');
		await page.close();
		const app = options.limitOnly ? null : await runApp(context, file, options);
		const limit = await runLimit(context, file, options);
		return { version, round: { app, limit } };
	} finally {
		await closeBrowser().catch(() => undefined);
		if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
	}
}

function maxPeaks(all: HeapPeaks[]): HeapPeaks {
	const out = HeapSampler.emptyPeaks();
	for (const p of all) {
		out.page = Math.max(out.page, p.page);
		out.workers = Math.max(out.workers, p.workers);
		out.sum = Math.max(out.sum, p.sum);
		out.samples += p.samples;
		out.missed += p.missed;
		for (const [url, bytes] of p.perWorker)
			out.perWorker.set(url, Math.max(out.perWorker.get(url) ?? 0, bytes));
	}
	return out;
}

const best = <T extends { seconds: number }>(all: T[]): T =>
	all.reduce((a, b) => (b.seconds < a.seconds ? b : a));

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	const file = prepareFile(options);
	if (!options.limitOnly) {
		ensureBuild();
		log(`starting vite preview on ${BASE}…`);
		await startPreview(PORT);
	}

	let version = '';
	const rounds: Round[] = [];
	for (let i = 0; i < options.runs; i++) {
		if (options.runs > 1) log(`round ${i + 1} of ${options.runs}`);
		const result = await runRound(options, file);
		version = result.version;
		rounds.push(result.round);
		const { app, limit } = result.round;
		if (options.runs > 1)
			log(
				`round ${i + 1}: ${app ? `app ${app.seconds.toFixed(2)} s, ` : ''}limit ${limit.seconds.toFixed(2)} s`
			);
	}

	const limits = rounds.map((r) => r.limit);
	const limit = best(limits);
	const limitRate = file.lines / limit.seconds;
	const limitHeap = maxPeaks(limits.map((l) => l.heap));
	const runsNote =
		options.runs > 1
			? `best of ${options.runs}: ${limits.map((l) => l.seconds.toFixed(2)).join(', ')} s`
			: '';
	const header = [
		'',
		`Tuneloop import benchmark — ${version}, ${options.disk ? 'on-disk profile' : 'incognito profile (IndexedDB in memory)'}`,
		`file         ${relative(ROOT, file.path)}: ${int(file.lines)} lines, ${int(file.bytes)} bytes (${(file.bytes / 1e6).toFixed(1)} MB)`
	];
	const limitLines = [
		`limit        ${limit.seconds.toFixed(2)} s   ${int(limitRate)} rows/s   (JSON.parse + Dexie bulkAdd, batches of ${int(BATCH_LINES)}, ${options.pipelineLimit ? 'parsing overlaps the previous commit' : 'serial'}, ${options.uuidIds ? 'random UUID' : 'line-number'} ids)`,
		`             ${int(limit.rows)} rows written, ${int(limit.parseErrors)} lines failed JSON.parse, ${int(limit.blank)} blank, ${limit.batches} batches${runsNote ? `; ${runsNote}` : ''}`,
		`             time: read+parse ${limit.parseSeconds.toFixed(2)} s · inside bulkAdd calls ${limit.addCallSeconds.toFixed(2)} s · waiting for commits ${limit.waitSeconds.toFixed(2)} s`,
		`             heap: page ${mb(limitHeap.page)} MB · worker ${mb(limitHeap.workers)} MB · sum ${mb(limitHeap.sum)} MB`
	];

	const apps = rounds.map((r) => r.app).filter((a): a is AppResult => a !== null);
	if (apps.length === 0) {
		console.log([...header, ...limitLines].join('\n'));
		return limits.every((l) => l.lines === file.lines) ? 0 : 1;
	}

	const app = best(apps);
	const appHeap = maxPeaks(apps.map((a) => a.heap));
	const appRate = file.lines / app.seconds;
	const ratio = appRate / limitRate;
	const c = app.counts;
	const problems: string[] = [];
	for (const [i, a] of apps.entries()) {
		const run = options.runs > 1 ? `run ${i + 1}: ` : '';
		const k = a.counts;
		const sum = k.accepted + k.rejected + k.blank + k.duplicates;
		if (sum !== file.lines)
			problems.push(
				`${run}the app's counts add up to ${int(sum)} (accepted + rejected + blank + already present), not ${int(file.lines)} lines`
			);
		if (k.lines !== null && k.lines !== file.lines)
			problems.push(`${run}the app reports ${int(k.lines)} lines, the file has ${int(file.lines)}`);
	}
	for (const [i, l] of limits.entries())
		if (l.lines !== file.lines)
			problems.push(
				`${options.runs > 1 ? `run ${i + 1}: ` : ''}the limit read ${int(l.lines)} lines, the file has ${int(file.lines)}`
			);
	const notes: string[] = [];
	if (file.expectedBad !== null && c.rejected !== file.expectedBad)
		notes.push(
			`note         the app rejected ${int(c.rejected)} lines; the generator wrote ${int(file.expectedBad)} bad ones`
		);
	if (appHeap.perWorker.size === 0 || appHeap.workers === 0)
		notes.push('note         no worker heap was sampled during the app import');
	const heapOk = appHeap.sum < HEAP_TARGET_MB * 2 ** 20;
	const workerList = [...appHeap.perWorker.entries()]
		.map(([url, bytes]) => `${url.replace(BASE, '')} ${mb(bytes)} MB`)
		.join(', ');
	const appRuns =
		options.runs > 1
			? `; best of ${options.runs}: ${apps.map((a) => a.seconds.toFixed(2)).join(', ')} s`
			: '';

	const report = [
		...header,
		`app          ${app.seconds.toFixed(2)} s   ${int(appRate)} rows/s   (setInputFiles → data-status=done, polled every ${POLL_MS} ms)`,
		`             ${c.text}${appRuns}`,
		`             rows/s by tenth of the file: ${app.pace.map((r) => (Number.isFinite(r) ? int(r) : '–')).join(' · ')}`,
		`             page main thread busy ${app.pageTaskSeconds.toFixed(1)} s (script ${app.pageScriptSeconds.toFixed(1)} s) during the import`,
		...limitLines,
		`peak heap    during the app import: page ${mb(appHeap.page)} MB + worker ${mb(appHeap.workers)} MB, peak of the sum ${mb(appHeap.sum)} MB (target < ${HEAP_TARGET_MB} MB: ${heapOk ? 'met' : 'MISSED'})`,
		`             used JS heap over CDP every ${SAMPLE_MS} ms (${appHeap.samples} samples${appHeap.missed ? `, ${appHeap.missed} worker samples late` : ''}); workers: ${workerList || 'none seen'}`,
		...notes,
		...problems.map((p) => `PROBLEM      ${p}`),
		...pairedLine(rounds),
		`ratio app/limit: ${ratio.toFixed(2)} (target ≥ ${RATIO_TARGET})`
	];
	console.log(report.join('\n'));
	return problems.length > 0 ? 1 : 0;
}

/**
 * With several rounds, each round's own ratio too (app and limit measured minutes apart, in one
 * browser): the machine's speed drifts between rounds, so the ratio of the two best times can
 * pair a quick limit with a slow app. The reported ratio stays the best times'.
 */
function pairedLine(rounds: Round[]): string[] {
	const ratios = rounds.flatMap((r) => (r.app ? [r.limit.seconds / r.app.seconds] : []));
	return pairedRatiosLine('per round    app/limit', ratios);
}

let cleaningUp = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (cleaningUp) return;
		cleaningUp = true;
		log(`${signal}: stopping`);
		void stopChildren().finally(() => process.exit(130));
	});
}
process.on('exit', () => {
	for (const child of children) stopChild(child);
});

main()
	.catch((error: unknown) => {
		console.error(
			`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
		);
		return 1;
	})
	.then(async (code) => {
		await stopChildren();
		process.exit(code);
	})
	.catch(() => process.exit(1));
