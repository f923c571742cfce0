/**
 * Generations from the API as Tuneloop logs. Each goes through the importer's own reading of a
 * chat line (`detectRecord`), so a playground generation or a stored completion has exactly the
 * content hash a file import of the same conversation would give: importing both keeps one log
 * (the unique [projectId+inputHash+hash] index refuses the second).
 */
import { emptySummary } from '../core/feedback';
import { contentHash, inputHash } from '../core/hash';
import { detectRecord } from '../core/import/formats';
import { importLogId } from '../core/log-id';
import type { ChatMessage, LogRecord, SourceKind } from '../core/types';

export interface GenerationInput {
	projectId: string;
	input: ChatMessage[];
	output: string;
	model: string;
	/** Generation parameters (temperature, top_p, n, stop…) and what came back (finish reason). */
	params?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	/** When it was generated, ms. */
	createdAt: number;
	kind: Extract<SourceKind, 'playground' | 'api'>;
	/** Position in its batch (sample index), to keep ids apart within one millisecond. */
	index: number;
	/** When it is being logged, ms. */
	now: number;
}

/** The log for one generation, or the reason it cannot be one (say, an empty conversation). */
export function generationLog(
	generation: GenerationInput
): { ok: true; log: LogRecord } | { ok: false; reason: string } {
	const line: Record<string, unknown> = {
		messages: [...generation.input, { role: 'assistant', content: generation.output }],
		model: generation.model,
		created: generation.createdAt
	};
	if (generation.metadata && Object.keys(generation.metadata).length > 0)
		line.metadata = generation.metadata;
	const detected = detectRecord(line);
	if (!detected.ok) return { ok: false, reason: detected.reason };
	const parsed = detected.record.logs[0];
	const log: LogRecord = {
		...parsed,
		...emptySummary(),
		params: { ...parsed.params, ...generation.params },
		id: importLogId(generation.projectId, generation.now, 0, generation.index),
		projectId: generation.projectId,
		hash: contentHash(parsed),
		inputHash: inputHash(parsed),
		format: 'openai-chat',
		source: { kind: generation.kind },
		createdAt: parsed.createdAt ?? generation.createdAt,
		importedAt: generation.now
	};
	return { ok: true, log };
}
