/**
 * The dataset validator: feed it a file's lines one by one (it keeps only numbers and hashes per
 * example, never the lines), then `finish()` gives the report. Synchronous and pure, so the CLI,
 * the validator page's worker and the dataset pages all run this very code.
 *
 * Checks per line: JSON, the line schema of the file's format (chat, preference, legacy), roles,
 * keys, content parts, tools and tool calls, weights, token counts. Across lines: one format per
 * file, duplicates (exact, normalized, near), system prompt consistency, the model's context
 * limit, example counts, and for legacy files prepare_data's separator/stop/space/case advice.
 */
import { describeJsonError } from '../import/json-error';
import { isPlainObject, kindOf, listFields } from '../import/describe';
import { estimateCost, defaultEpochs, type CostEstimate } from './billing';
import { DeferredCounts } from './deferred-counts';
import { checkChatLine } from './chat';
import { checkDpoLine } from './dpo';
import type { ExampleInfo, LineContext } from './example';
import { FindingList, lineList, plural, type Finding } from './findings';
import { checkLegacyLine } from './legacy';
import { LegacyAdvice } from './legacy-advice';
import {
	defaultModelFor,
	defaultPrices,
	modelSpec,
	type EncodingName,
	type LineFormat,
	type PriceTable
} from './models';
import { HashIndex } from './hash-index';
import { exactKey, exactKeyOfBytes, Fingerprint, NearDuplicates, withoutBom } from './similarity';
import { distribution, IntList, type Distribution } from './stats';
import type { CountTokens } from './tokens';

export const MIN_EXAMPLES = 10;
export const RECOMMENDED_EXAMPLES = 50;
/** prepare_data's "long example" threshold, in characters. */
export const LONG_EXAMPLE_CHARS = 10_000;
/** Distinct system prompts tracked by text; more than this and they are only counted. */
const MAX_SYSTEM_PROMPTS = 1000;

export type ReportFormat = LineFormat | 'unknown' | 'empty';

export interface ValidationReport {
	file: string | null;
	/** The file's line format: from its first recognisable line. */
	format: ReportFormat;
	model: string;
	/** False when the model is not in the table and its family's figures were assumed. */
	modelKnown: boolean;
	encoding: EncodingName;
	contextLimit: number;
	lines: number;
	blankLines: number;
	/** Non-blank lines: each is meant to be one training example. */
	examples: number;
	/** Examples with no error. */
	validExamples: number;
	errors: Finding[];
	warnings: Finding[];
	/** Complete counts by code (the lists above are capped). */
	errorCounts: Record<string, number>;
	warningCounts: Record<string, number>;
	tokens: {
		total: number;
		assistant: number;
		perExample: Distribution;
		assistantPerExample: Distribution;
		messagesPerExample: Distribution;
		overLimit: number;
	};
	/** Tokens billed per epoch: each example counted up to the context limit. */
	billedTokens: number;
	epochs: number;
	cost: CostEstimate;
	stats: {
		missingSystem: number;
		missingUser: number;
		systemPrompts: number;
		duplicates: number;
		normalizedDuplicates: number;
		nearDuplicates: number;
		lineEndings?: 'lf' | 'crlf' | 'mixed';
		legacy?: { promptSuffix: string; completionSuffix: string };
	};
	/** Lines each one-click fix would change (drop or rewrite). */
	fixes: { dropDuplicates: number[]; dropOverLength: number[]; reencodeArguments: number[] };
}

export interface ValidatorOptions {
	/** Target model; by default the cheapest current one for the file's format. */
	model?: string;
	/** Format the file is expected to be in; otherwise the first recognisable line decides. */
	format?: LineFormat;
	prices?: PriceTable;
	file?: string;
	/**
	 * Count repeated system prompts once per file (default). Off, every occurrence is
	 * tokenized: the benchmark records the message texts this way for its limit. (Tool
	 * definitions are always counted once per distinct set.)
	 */
	cacheRepeated?: boolean;
}

/** The format a parsed line is written in, or null when it is none of them. */
export function lineFormat(value: Record<string, unknown>): LineFormat | null {
	if (value.messages !== undefined) return 'openai-chat';
	if (
		value.preferred_output !== undefined ||
		value.non_preferred_output !== undefined ||
		value.preferred_completion !== undefined ||
		(isPlainObject(value.input) && value.input.messages !== undefined)
	)
		return 'openai-dpo';
	if (value.prompt !== undefined || value.completion !== undefined) return 'legacy';
	return null;
}

/** The format of a line of text, when it parses; for choosing the model before validating. */
export function sniffLineFormat(text: string): LineFormat | null {
	try {
		const value: unknown = JSON.parse(text);
		return isPlainObject(value) ? lineFormat(value) : null;
	} catch {
		return null;
	}
}

/** The model a report on a file of this format uses (the named one, or the default). */
export function resolveModel(model: string | undefined, format: LineFormat | null | undefined) {
	return modelSpec(model ?? defaultModelFor(format ?? undefined));
}

// Messages of per-example warnings, made once: these run for up to every line.
const missingSystem = (n: number) => `${plural(n, 'example')} without a system message`;
const missingUser = (n: number) => `${plural(n, 'example')} without a user message`;

const FORMAT_NAMES: Record<LineFormat, string> = {
	'openai-chat': 'chat (messages)',
	'openai-dpo': 'preference (input/preferred_output/non_preferred_output)',
	legacy: 'legacy (prompt/completion)'
};

export class Validator {
	readonly findings = new FindingList();
	#options: ValidatorOptions;
	#count: CountTokens;
	#format: LineFormat | undefined;
	#spec: ReturnType<typeof modelSpec>;
	#ctx: LineContext;
	#toolsCache = new Map<string, number>();
	#deferred = new DeferredCounts();
	/** The counter chat lines see: holds the text for the next batch (see deferred-counts.ts). */
	#deferCount: CountTokens = (text) => {
		this.#deferred.add(text, this.#ctx.assistantPart);
		return 0;
	};

	#lines = 0;
	#blank = 0;
	#examples = 0;
	#valid = 0;
	#exampleLines = new IntList();
	#tokens = new IntList();
	#assistantTokens = new IntList();
	#messages = new IntList();
	#missingSystem = 0;
	#missingUser = 0;
	#systemIds = new IntList();
	#systemPrompts = new Map<string, number>();
	#systemCounts: number[] = [];
	#exact = new HashIndex();
	#normalized = new HashIndex();
	/** Duplicate groups by first line (negated for normalized ones). */
	#groups = new Map<number, { lines: number[]; kind: 'exact' | 'normalized' }>();
	#near = new NearDuplicates();
	#inputs = new HashIndex();
	#reencode: number[] = [];
	#legacy = new LegacyAdvice();
	#lineEndings: ValidationReport['stats']['lineEndings'];

	constructor(count: CountTokens, options: ValidatorOptions = {}) {
		this.#options = options;
		this.#count = count;
		this.#format = options.format;
		this.#spec = resolveModel(options.model, options.format);
		this.#ctx = {
			line: 0,
			count,
			assistantPart: false,
			findings: this.findings,
			toolsTokens: (tools) => this.#toolsTokens(tools),
			countRepeated: (text) => this.#countRepeated(text),
			images: this.#spec.images,
			modelId: this.#spec.id,
			fp: new Fingerprint()
		};
	}

	/** The encoding the counter passed in must be (see resolveModel). */
	get encoding(): EncodingName {
		return this.#spec.encoding;
	}

	set lineEndings(value: ValidationReport['stats']['lineEndings']) {
		this.#lineEndings = value;
	}

	/** Normalized input texts (hashed) → first line: for train/validation overlap. */
	get inputKeys(): HashIndex {
		return this.#inputs;
	}

	addBlank(line: number): void {
		this.#lines++;
		this.#blank++;
		this.findings.warnLine(
			'blank-line',
			line,
			(n) =>
				`${plural(n, 'blank line')}: remove ${n === 1 ? 'it' : 'them'}; each line must be one example`
		);
	}

	/** A line that could not be read as text (invalid UTF-8…). */
	addUnreadable(line: number, code: string, message: string): void {
		this.#lines++;
		this.#examples++;
		this.findings.error(code, line, message);
	}

	/** A problem with the file as a whole. */
	fileError(code: string, message: string): void {
		this.findings.error(code, null, message);
	}

	/**
	 * One line's text. `bytes`, when the line was read from a file, are what it was decoded from:
	 * exact duplicates are then keyed on them (cheaper, see exactKeyOfBytes). A validator is fed
	 * one way throughout (a file's lines all come as bytes, an export's all as text), as keys made
	 * the two ways never match.
	 */
	addLine(line: number, text: string, bytes?: Uint8Array): void {
		this.#lines++;
		if (text.trim() === '') {
			this.#lines--;
			this.addBlank(line);
			return;
		}
		this.#examples++;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			this.findings.error('invalid-json', line, describeJsonError(text, error));
			return;
		}
		if (!isPlainObject(value)) {
			this.findings.error(
				'not-object',
				line,
				`valid JSON, but ${kindOf(value)}: each line must be one JSON object`
			);
			return;
		}
		const format = lineFormat(value);
		if (format === null) {
			this.findings.error(
				'unknown-format',
				line,
				`not a fine-tuning line (fields: ${listFields(Object.keys(value))}): expected messages (chat), input/preferred_output/non_preferred_output (preference) or prompt/completion (legacy)`
			);
			return;
		}
		if (this.#format === undefined) this.#format = format;
		else if (format !== this.#format) {
			this.findings.error(
				'mixed-formats',
				line,
				`a ${FORMAT_NAMES[format]} line in a ${FORMAT_NAMES[this.#format]} file: one file holds one format`
			);
			return;
		}
		const errorsBefore = this.findings.errorTotal;
		this.#ctx.line = line;
		this.#ctx.fp.reset();
		let info: ExampleInfo | null;
		// Chat lines (nearly every file) defer their counts; preference and legacy lines, whose
		// texts add to their sums in other ways, are counted on the spot.
		if (format === 'openai-chat') {
			this.#ctx.count = this.#deferCount;
			info = checkChatLine(value, this.#ctx);
			this.#ctx.count = this.#count;
		} else if (format === 'openai-dpo') info = checkDpoLine(value, this.#ctx);
		else info = checkLegacyLine(value, this.#ctx, (texts) => this.#legacy.add(texts, line));
		if (this.findings.errorTotal === errorsBefore) this.#valid++;
		if (info) this.#record(line, text, bytes, info, format);
		if (format === 'openai-chat') {
			this.#deferred.assign(info ? this.#tokens.length - 1 : -1);
			if (this.#deferred.due) this.#flush();
		}
	}

	/** Counts the deferred texts into their examples' totals. */
	#flush(): void {
		this.#deferred.flush(this.#count, this.#tokens, this.#assistantTokens);
	}

	#record(
		line: number,
		text: string,
		bytes: Uint8Array | undefined,
		info: ExampleInfo,
		format: LineFormat
	): void {
		this.#exampleLines.push(line);
		this.#tokens.push(info.tokens);
		this.#assistantTokens.push(info.assistantTokens);
		this.#messages.push(info.messages);
		if (info.argumentsFixable) this.#reencode.push(line);
		if (format !== 'legacy') {
			if (info.system === null) {
				this.#missingSystem++;
				this.findings.warnLine('missing-system', line, missingSystem);
			}
			if (!info.hasUser) {
				this.#missingUser++;
				this.findings.warnLine('missing-user', line, missingUser);
			}
		}
		this.#systemIds.push(this.#systemId(info.system));
		const fp = this.#ctx.fp;
		if (fp.characters > LONG_EXAMPLE_CHARS)
			this.findings.warnLine(
				'long-example',
				line,
				(n) =>
					`${plural(n, 'example')} over ${LONG_EXAMPLE_CHARS.toLocaleString('en-US')} characters: very long examples are costly and may be cut at the context limit`
			);

		// Duplicates: exact (the line as written), then normalized, then near.
		const exact = bytes && withoutBom(bytes);
		const first = exact
			? this.#exact.setIfAbsent(exactKeyOfBytes(exact), exact.length, line)
			: this.#exact.setIfAbsent(exactKey(text), text.length, line);
		if (first !== -1) this.#group(first, line, 'exact');
		else {
			const lo = fp.hash();
			const firstNormalized = this.#normalized.setIfAbsent(lo, fp.hashHi, line);
			if (firstNormalized !== -1) this.#group(firstNormalized, line, 'normalized');
			else if (fp.finish()) this.#near.add(line, fp.signature);
		}
		this.#inputs.setIfAbsent(info.inputHash, info.inputHashHi, line);
	}

	#group(first: number, line: number, kind: 'exact' | 'normalized'): void {
		const key = kind === 'exact' ? first : -first;
		const group = this.#groups.get(key);
		if (group) group.lines.push(line);
		else this.#groups.set(key, { lines: [first, line], kind });
	}

	#systemId(system: string | null): number {
		if (system === null) return -1;
		let id = this.#systemPrompts.get(system);
		if (id === undefined) {
			if (this.#systemPrompts.size >= MAX_SYSTEM_PROMPTS) return -2;
			id = this.#systemCounts.length;
			this.#systemPrompts.set(system, id);
			this.#systemCounts.push(0);
		}
		this.#systemCounts[id]++;
		return id;
	}

	#repeated = new Map<string, number>();

	#countRepeated(text: string): number {
		if (this.#options.cacheRepeated === false) return this.#count(text);
		let tokens = this.#repeated.get(text);
		if (tokens === undefined) {
			tokens = this.#count(text);
			if (this.#repeated.size < MAX_SYSTEM_PROMPTS) this.#repeated.set(text, tokens);
		}
		return tokens;
	}

	#toolsTokens(tools: unknown[]): number {
		const key = toolsKey(tools);
		let tokens = this.#toolsCache.get(key);
		if (tokens === undefined) {
			tokens = this.#count(JSON.stringify(tools));
			if (this.#toolsCache.size < 1000) this.#toolsCache.set(key, tokens);
		}
		return tokens;
	}

	finish(): ValidationReport {
		this.#flush();
		const f = this.findings;
		const spec = this.#spec;
		const n = this.#tokens.length;
		const format: ReportFormat = this.#format ?? (this.#examples === 0 ? 'empty' : 'unknown');

		if (this.#lines === 0 && f.errors.length === 0)
			f.error('empty-file', null, 'the file is empty: no examples');
		if (this.#format && !spec.formats.includes(this.#format))
			f.error(
				'format-model-mismatch',
				null,
				`${spec.id} does not train on ${FORMAT_NAMES[this.#format]} lines (it takes ${spec.formats.map((x) => FORMAT_NAMES[x]).join(', ')})`
			);

		// Context limit, billed tokens.
		const overLimit: number[] = [];
		let billed = 0;
		for (let i = 0; i < n; i++) {
			const tokens = this.#tokens.get(i);
			billed += Math.min(tokens, spec.contextLimit);
			if (tokens > spec.contextLimit) {
				const line = this.#exampleLines.get(i);
				overLimit.push(line);
				f.error(
					'over-context-limit',
					line,
					`${tokens.toLocaleString('en-US')} tokens, over ${spec.id}'s limit of ${spec.contextLimit.toLocaleString('en-US')} per example: it would be cut; shorten or drop it`
				);
			}
		}

		// How many examples.
		if (this.#examples > 0 && n < MIN_EXAMPLES)
			f.error(
				'too-few-examples',
				null,
				`${plural(n, 'example')}: OpenAI needs at least ${MIN_EXAMPLES}`
			);
		else if (n >= MIN_EXAMPLES && n < 100)
			f.warning(
				'few-examples',
				null,
				`${plural(n, 'example')}: start with ${RECOMMENDED_EXAMPLES}–100 well-crafted ones; quality usually keeps improving up to a few hundred`
			);

		// Duplicates.
		const dropDuplicates: number[] = [];
		let exactDuplicates = 0;
		let normalizedDuplicates = 0;
		for (const group of this.#groups.values()) {
			const extra = group.lines.length - 1;
			dropDuplicates.push(...group.lines.slice(1));
			if (group.kind === 'exact') {
				exactDuplicates += extra;
				f.warning(
					'duplicate',
					group.lines[0],
					`${lineList(group.lines)} are the same example`,
					group.lines
				);
			} else {
				normalizedDuplicates += extra;
				f.warning(
					'duplicate-normalized',
					group.lines[0],
					`${lineList(group.lines)} are the same conversation up to case, whitespace or system prompt`,
					group.lines
				);
			}
		}
		dropDuplicates.sort((a, b) => a - b);
		for (const [line, earlier] of this.#near.pairs)
			f.warning('near-duplicate', earlier, `line ${line} nearly repeats line ${earlier}`, [
				earlier,
				line
			]);

		// System prompts.
		const prompts = this.#systemCounts.length;
		if (prompts > 1) {
			let main = 0;
			for (let id = 1; id < prompts; id++)
				if (this.#systemCounts[id] > this.#systemCounts[main]) main = id;
			const differing: number[] = [];
			for (let i = 0; i < n; i++) {
				const id = this.#systemIds.get(i);
				if (id !== main && id !== -1) differing.push(this.#exampleLines.get(i));
			}
			f.warning(
				'inconsistent-system-prompt',
				differing[0] ?? null,
				`${plural(prompts, 'different system prompt')}${prompts >= MAX_SYSTEM_PROMPTS ? ' or more' : ''}: ${plural(differing.length, 'example')} differ from the most common one; use the same system prompt you will use in production`,
				differing
			);
		}
		if (format === 'legacy') this.#legacy.finish(f);
		f.finish();

		const epochs = defaultEpochs(n);
		const prices = this.#options.prices ?? defaultPrices();
		const price = prices[spec.id] ?? (spec.known ? spec.pricePerMillion : null);
		const perExample = distribution(this.#tokens.view());
		const assistantPerExample = distribution(this.#assistantTokens.view());
		return {
			file: this.#options.file ?? null,
			format,
			model: spec.id,
			modelKnown: spec.known,
			encoding: spec.encoding,
			contextLimit: spec.contextLimit,
			lines: this.#lines,
			blankLines: this.#blank,
			examples: this.#examples,
			validExamples: this.#valid,
			errors: f.errors,
			warnings: f.warnings,
			errorCounts: f.errorCounts,
			warningCounts: f.warningCounts,
			tokens: {
				total: perExample.total,
				assistant: assistantPerExample.total,
				perExample,
				assistantPerExample,
				messagesPerExample: distribution(this.#messages.view()),
				overLimit: overLimit.length
			},
			billedTokens: billed,
			epochs,
			cost: estimateCost(billed, epochs, price ?? null),
			stats: {
				missingSystem: this.#missingSystem,
				missingUser: this.#missingUser,
				systemPrompts: prompts,
				duplicates: exactDuplicates,
				normalizedDuplicates,
				nearDuplicates: this.#near.pairs.length,
				lineEndings: this.#lineEndings,
				legacy: format === 'legacy' ? this.#legacy.separators : undefined
			},
			fixes: { dropDuplicates, dropOverLength: overLimit, reencodeArguments: this.#reencode }
		};
	}
}

/**
 * What identifies a tools array for the token cache without serializing it on every line: each
 * function's name, the sizes of its description and parameter names. Lines of one file repeat
 * the same tools, so this hits; a rare collision only reuses another array's token estimate.
 */
function toolsKey(tools: unknown[]): string {
	let key = '';
	for (const tool of tools) {
		const fn = isPlainObject(tool) && isPlainObject(tool.function) ? tool.function : null;
		if (!fn) {
			key += '?|';
			continue;
		}
		const params = isPlainObject(fn.parameters) ? fn.parameters : null;
		const props = params && isPlainObject(params.properties) ? Object.keys(params.properties) : [];
		key += `${String(fn.name)}:${typeof fn.description === 'string' ? fn.description.length : -1}:${props.join(',')}|`;
	}
	return key;
}

/**
 * Adds a train/validation overlap warning to a report: validation examples whose input also
 * appears in the training file (the validation loss then measures memory, not generalisation).
 */
export function addOverlap(
	report: ValidationReport,
	train: HashIndex,
	validation: HashIndex
): ValidationReport {
	const lines: number[] = [];
	for (const [lo, hi, line] of validation.entries()) if (train.get(lo, hi) !== -1) lines.push(line);
	if (lines.length === 0) return report;
	lines.sort((a, b) => a - b);
	const finding: Finding = {
		code: 'train-validation-overlap',
		severity: 'warning',
		line: lines[0],
		lines: lines.slice(0, 1000),
		count: lines.length,
		message: `${plural(lines.length, 'validation example')} share${lines.length === 1 ? 's' : ''} an input with the training file (validation ${lineList(lines)})`
	};
	return {
		...report,
		warnings: [...report.warnings, finding],
		warningCounts: { ...report.warningCounts, 'train-validation-overlap': lines.length }
	};
}
