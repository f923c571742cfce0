/**
 * For node unit tests only: builders of realistic rows (tool calls, content parts, hostile
 * strings) so each spec states only what it is about.
 */
import { readFileSync } from 'node:fs';
import { inputHash } from '../core/hash';
import { emptyCounts, type ImportRecord, type LogRecord, type Project } from '../core/types';

export const BASE_TIME = Date.UTC(2025, 0, 1);

/** The Big List of Naughty Strings from ../shared/data, plus lone surrogates it lacks. */
export function naughtyStrings(): string[] {
	const url = new URL('../../../../shared/data/malformed/blns.json', import.meta.url);
	const list = JSON.parse(readFileSync(url, 'utf8')) as string[];
	return [...list, '\ud800 lone high', 'lone low \udfff', 'line\u2028sep\u2029para', '\u0000nul'];
}

export function makeProject(id: string, overrides: Partial<Project> = {}): Project {
	return {
		id,
		name: `Project ${id}`,
		createdAt: BASE_TIME,
		labels: { ratings: true, tags: ['tone'] },
		...overrides
	};
}

export function makeImport(id: string, projectId: string, overrides: Partial<ImportRecord> = {}) {
	const record: ImportRecord = {
		id,
		projectId,
		name: `${id}.jsonl`,
		size: 1000,
		lastModified: BASE_TIME,
		hash: `hash-${id}`,
		startedAt: BASE_TIME,
		status: 'running',
		counts: emptyCounts(),
		committedLine: 0,
		...overrides
	};
	return record;
}

/** Log number n of a project: a chat with a tool call every 5th log. */
export function makeLog(
	projectId: string,
	n: number,
	overrides: Partial<LogRecord> = {}
): LogRecord {
	const hash = `h${String(n).padStart(6, '0')}`;
	const withTool = n % 5 === 0;
	const log: Omit<LogRecord, 'inputHash'> = {
		id: `${projectId}:${hash}`,
		projectId,
		hash,
		format: 'openai-chat',
		source: { kind: 'file', importId: 'imp-1', file: 'logs.jsonl', line: n + 1 },
		createdAt: BASE_TIME + n * 1000,
		importedAt: BASE_TIME + 10_000_000,
		input: [
			{ role: 'system', content: 'You are a support agent.' },
			{ role: 'user', content: [{ type: 'text', text: `Question number ${n}` }] }
		],
		output: withTool
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${n}`,
							type: 'function',
							function: { name: 'lookup_order', arguments: `{"order":${n}}` }
						}
					]
				}
			: { role: 'assistant', content: `Answer number ${n}` },
		...(withTool ? { tools: [{ type: 'function', function: { name: 'lookup_order' } }] } : {}),
		model: `model-${n % 4}`,
		params: { temperature: 0.5 },
		thumb: 0,
		rating: 0,
		hasFeedback: 0,
		corrected: 0,
		tags: [],
		...overrides
	};
	return { ...log, inputHash: overrides.inputHash ?? inputHash(log) };
}
