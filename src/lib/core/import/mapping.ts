/**
 * Field mappings: which CSV column (or top-level JSON field, for records of an unknown shape)
 * holds the input, the output and any feedback. The import dialog fills one in, starting from
 * `guessMapping`'s suggestion.
 */
import type { ChatMessage, FormatId, ParsedLog } from '../types';
import { isPlainObject, kindOf } from './describe';
import { readFeedback, readOutput } from './feedback';
import { buildRecord, type DetectResult } from './formats';
import { parseMessages } from './messages';

/** Column names (CSV/TSV) or top-level keys (JSON) for each part of a log. */
export interface FieldMapping {
	input: string;
	output: string;
	system?: string;
	label?: string;
	rating?: string;
	comment?: string;
	correction?: string;
	model?: string;
}

export const MAPPING_ROLES = [
	'input',
	'output',
	'system',
	'label',
	'rating',
	'comment',
	'correction',
	'model'
] as const satisfies readonly (keyof FieldMapping)[];

/** Names seen in real exports for each role, normalised (lower case, letters and digits). */
const CANDIDATES: Record<keyof FieldMapping, string[]> = {
	input: [
		'prompt',
		'input',
		'question',
		'query',
		'instruction',
		'user',
		'usermessage',
		'userinput',
		'request',
		'human'
	],
	output: [
		'completion',
		'output',
		'response',
		'answer',
		'assistant',
		'reply',
		'assistantmessage',
		'modeloutput',
		'generation',
		'generatedtext',
		'gpt',
		'bot'
	],
	system: ['system', 'systemprompt', 'systemmessage', 'instructions'],
	label: [
		'label',
		'thumb',
		'thumbs',
		'thumbsup',
		'ktotag',
		'liked',
		'vote',
		'feedbacklabel',
		'isgood'
	],
	rating: ['rating', 'score', 'stars', 'grade'],
	comment: ['comment', 'comments', 'feedback', 'note', 'notes', 'critique'],
	correction: [
		'correction',
		'corrected',
		'ideal',
		'idealoutput',
		'idealresponse',
		'golden',
		'gold',
		'expected',
		'expectedoutput',
		'reference'
	],
	model: ['model', 'modelname', 'modelid', 'engine']
};

function normalise(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * A suggested mapping from column names (prompt/input/question/user → input,
 * completion/output/response/answer/assistant → output, …), or null when no input and output
 * columns can be told apart.
 */
export function guessMapping(columns: string[]): FieldMapping | null {
	const byName = new Map<string, string>();
	for (const column of columns) {
		const key = normalise(column);
		if (!byName.has(key)) byName.set(key, column);
	}
	const used = new Set<string>();
	const pick = (role: keyof FieldMapping): string | undefined => {
		for (const candidate of CANDIDATES[role]) {
			const column = byName.get(candidate);
			if (column !== undefined && !used.has(column)) {
				used.add(column);
				return column;
			}
		}
		return undefined;
	};
	const input = pick('input');
	const output = pick('output');
	if (input === undefined || output === undefined) return null;
	const mapping: FieldMapping = { input, output };
	for (const role of MAPPING_ROLES) {
		if (role === 'input' || role === 'output') continue;
		const column = pick(role);
		if (column !== undefined) mapping[role] = column;
	}
	return mapping;
}

/** The mapping's names that `available` lacks (a mapping naming a column the file has not). */
export function missingFields(mapping: FieldMapping, available: string[]): string[] {
	const have = new Set(available);
	const missing: string[] = [];
	for (const role of MAPPING_ROLES) {
		const name = mapping[role];
		if (name !== undefined && name !== '' && !have.has(name)) missing.push(name);
	}
	return missing;
}

function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

type InputResult = { ok: true; messages: ChatMessage[] } | { ok: false; reason: string };

function readMappedInput(value: unknown, name: string): InputResult {
	if (typeof value === 'string') return { ok: true, messages: [{ role: 'user', content: value }] };
	if (Array.isArray(value)) return parseMessages(value, name);
	if (isPlainObject(value) && value.role !== undefined) return parseMessages([value], name);
	return { ok: false, reason: `${name}: expected text or messages, got ${kindOf(value)}` };
}

/**
 * One CSV row or JSON record through a mapping. `what` says how reasons name a field:
 * `column "prompt" is empty` or `field "question" is missing`.
 */
export function applyMapping(
	row: Record<string, unknown>,
	mapping: FieldMapping,
	what: 'column' | 'field',
	format: Extract<FormatId, 'csv' | 'mapped'>
): DetectResult {
	const named = (name: string) => `${what} ${JSON.stringify(name)}`;
	for (const role of ['input', 'output'] as const) {
		const name = mapping[role];
		if (isEmpty(row[name]))
			return {
				ok: false,
				reason: `${named(name)} ${row[name] === undefined && what === 'field' ? 'is missing' : 'is empty'} (it holds the ${role})`
			};
	}
	const input = readMappedInput(row[mapping.input], named(mapping.input));
	if (!input.ok) return input;
	const output = readOutput(row[mapping.output], named(mapping.output));
	if (!output.ok) return output;
	const source = (role: 'label' | 'rating' | 'comment' | 'correction') => {
		const name = mapping[role];
		if (!name || isEmpty(row[name])) return undefined;
		return { value: row[name], name: named(name) };
	};
	const feedback = readFeedback({
		label: source('label'),
		rating: source('rating'),
		comment: source('comment'),
		correction: source('correction')
	});
	if (!feedback.ok) return feedback;

	let messages = [...input.messages, ...output.before];
	const system = mapping.system ? row[mapping.system] : undefined;
	if (typeof system === 'string' && system !== '' && messages[0]?.role !== 'system')
		messages = [{ role: 'system', content: system }, ...messages];
	const log: ParsedLog = { input: messages, output: output.output };
	const model = mapping.model ? row[mapping.model] : undefined;
	if (typeof model === 'string' && model !== '') log.model = model;

	const mapped = new Set<string>();
	for (const role of MAPPING_ROLES) if (mapping[role]) mapped.add(mapping[role]);
	let extra: Record<string, unknown> | undefined;
	for (const key in row) {
		// Empty CSV cells are the absence of a value, not a value worth keeping.
		if (mapped.has(key) || (what === 'column' && row[key] === '')) continue;
		(extra ??= {})[key] = row[key];
	}
	if (extra) log.extra = extra;
	return buildRecord(format, [log], feedback.feedback);
}
