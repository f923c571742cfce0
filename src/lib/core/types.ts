/**
 * The shapes Tuneloop stores and passes around. Pure types: no DOM, no Dexie.
 * A log is one generation (input messages → one output message); feedback is an append-only
 * stream of events about logs, from which a log's current state is derived.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

/** A content part as OpenAI sends it (`text`, `image_url`, …); kept as-is. */
export interface ContentPart {
	type: string;
	text?: string;
	[key: string]: unknown;
}

export interface ChatMessage {
	role: Role;
	content: string | ContentPart[] | null;
	name?: string;
	tool_calls?: ToolCall[];
	tool_call_id?: string;
	/** OpenAI SFT: 0 excludes an assistant turn from training. */
	weight?: 0 | 1;
}

/** Every line format the importer recognises. */
export type FormatId =
	| 'openai-chat' // {messages, tools?, parallel_tool_calls?}
	| 'openai-dpo' // {input, preferred_output, non_preferred_output}
	| 'legacy' // {prompt, completion}
	| 'feedback-log' // chat or prompt/output plus label/rating/feedback/comment/correction/ideal
	| 'preference' // {prompt | messages | conversations, chosen, rejected} (TRL, LLaMA-Factory)
	| 'csv' // a CSV/TSV row through a column mapping
	| 'mapped'; // a JSON record of an unknown shape through a field mapping

export type SourceKind = 'file' | 'demo' | 'playground' | 'api';

export interface LogSource {
	kind: SourceKind;
	importId?: string;
	file?: string;
	/** 1-based line (or array item / CSV row) the log came from. */
	line?: number;
}

/** A log as produced by parsing, before it is given ids and a project. */
export interface ParsedLog {
	input: ChatMessage[];
	output: ChatMessage;
	tools?: unknown[];
	parallelToolCalls?: boolean;
	model?: string;
	params?: Record<string, unknown>;
	/** The source's `metadata` object (OpenAI stored completions carry one). */
	metadata?: Record<string, unknown>;
	/** Milliseconds since epoch, when the source says when it was generated. */
	createdAt?: number;
	/** Any other top-level fields of the source line, kept so nothing is lost. */
	extra?: Record<string, unknown>;
}

export type Actor = 'me' | 'imported';

/** What a feedback event says; `logIndex` in parsed feedback points into the record's logs. */
export type FeedbackBody =
	| { kind: 'thumb'; value: 1 | -1 | null }
	| { kind: 'rating'; value: number | null }
	| { kind: 'comment'; text: string }
	| { kind: 'tag'; tag: string; on: boolean }
	| { kind: 'correction'; output: ChatMessage | null }
	| { kind: 'pairwise'; otherLogId: string; choice: 'this' | 'other' | 'tie' }
	| { kind: 'review'; decision: 'confirmed' | 'overridden' | 'reviewed' }
	| { kind: 'undo'; eventId: number };

/** Feedback found in an imported line. Pairwise feedback names the other log by index. */
export type ParsedFeedback =
	| { logIndex: number; body: Exclude<FeedbackBody, { kind: 'pairwise' }> }
	| {
			logIndex: number;
			body: { kind: 'pairwise'; otherLogIndex: number; choice: 'this' | 'other' | 'tie' };
	  };

/** One accepted input record: one or more logs (DPO gives two) and their feedback. */
export interface ParsedRecord {
	format: FormatId;
	logs: ParsedLog[];
	feedback: ParsedFeedback[];
}

export interface Project {
	id: string;
	name: string;
	createdAt: number;
	/** Label scheme: thumbs always; ratings and tags when the project uses them. */
	labels: { ratings: boolean; tags: string[] };
}

/** Derived, denormalised summary of a log's feedback, kept on the log for indexed filters. */
export interface LogSummary {
	/** 1 = 👍, -1 = 👎, 0 = none. */
	thumb: 1 | -1 | 0;
	rating: number;
	hasFeedback: 0 | 1;
	corrected: 0 | 1;
	tags: string[];
	/** 1 when the user has feedback of their own in effect on the log; absent otherwise (only set
	 * flags are stored and indexed: unreviewed logs cost no index entry). */
	reviewed?: 1;
	/** 1 when imported end-user feedback is in effect on the log; absent otherwise. */
	userFeedback?: 1;
}

export interface LogRecord extends ParsedLog, LogSummary {
	/** `${projectId}:…`, ordered by arrival (see core/log-id.ts); `hash` identifies the content. */
	id: string;
	projectId: string;
	hash: string;
	/** Hash of the input alone (core/hash.ts inputHash): logs answering the same input share it. */
	inputHash: string;
	format: FormatId;
	source: LogSource;
	createdAt: number;
	importedAt: number;
}

export interface FeedbackEvent {
	id?: number;
	logId: string;
	projectId: string;
	at: number;
	actor: Actor;
	body: FeedbackBody;
	/**
	 * Dedupe key, set on imported events (see `feedbackKey` in core/feedback.ts): an event whose
	 * key is already stored is not added again, so replaying an import adds no feedback twice.
	 * Unique when present; the user's own events have none.
	 */
	key?: string;
}

export type ImportStatus =
	'running' | 'done' | 'cancelled' | 'incomplete' | 'failed' | 'needs-mapping';

export interface ImportCounts {
	/** Physical lines (or array items / CSV rows) read so far. */
	lines: number;
	blank: number;
	accepted: number;
	rejected: number;
	/** Accepted lines whose logs were all already present (not written again). */
	duplicates: number;
	/** Logs written (a DPO line writes two). */
	logs: number;
	formats: Partial<Record<FormatId, number>>;
}

export interface ImportRecord {
	id: string;
	projectId: string;
	name: string;
	size: number;
	lastModified: number;
	/** Hash of the file's bytes (of its first MB plus its size when the file is large). */
	hash: string;
	startedAt: number;
	finishedAt?: number;
	status: ImportStatus;
	/** A problem with the file as a whole (binary, UTF-16, pretty-printed JSON…). */
	fileError?: string;
	counts: ImportCounts;
	/**
	 * Highest source line whose batch has committed. A resumed import re-reads the file and
	 * writes only what comes after it (log ids are content hashes, so a replay never duplicates).
	 */
	committedLine: number;
}

export interface RejectedLine {
	importId: string;
	line: number;
	reason: string;
	raw: string;
}

export function emptyCounts(): ImportCounts {
	return { lines: 0, blank: 0, accepted: 0, rejected: 0, duplicates: 0, logs: 0, formats: {} };
}

/** What the log browser filters by. Every field but `projectId` is optional and narrows. */
export interface LogFilter {
	projectId: string;
	importId?: string;
	thumb?: 1 | -1 | 0;
	hasFeedback?: boolean;
	corrected?: boolean;
	model?: string;
	tag?: string;
	/** true: logs the user has judged; false: logs they have not. */
	reviewed?: boolean;
	/** true: logs with imported end-user feedback in effect; false: without. */
	userFeedback?: boolean;
	/** createdAt range, inclusive, in ms since epoch. */
	from?: number;
	to?: number;
	/** Case-insensitive substring of message content, tool call names or arguments. */
	text?: string;
}

/** 'imported' is source order: import time, then the line in the source file. */
export type LogSort = 'newest' | 'oldest' | 'imported';
