/**
 * Schemas of stored rows, used where rows cross a boundary (restoring a backup). Objects are
 * loose: fields the schema does not name are kept, so a restore never drops data that a newer
 * importer stored. Each schema is annotated with its TypeScript type so the two cannot drift.
 */
import * as v from 'valibot';
import type {
	ChatMessage,
	FeedbackEvent,
	ImportRecord,
	LogRecord,
	Project,
	RejectedLine
} from '../core/types';
import { inputHash } from '../core/hash';
import type { SettingRow } from './db';

const nonEmpty = v.pipe(v.string(), v.nonEmpty());
const time = v.pipe(v.number(), v.finite());

export const formatSchema = v.picklist([
	'openai-chat',
	'openai-dpo',
	'legacy',
	'feedback-log',
	'csv'
]);
const actorSchema = v.picklist(['me', 'imported']);

const toolCallSchema = v.looseObject({
	id: v.string(),
	type: v.literal('function'),
	function: v.looseObject({ name: v.string(), arguments: v.string() })
});

export const chatMessageSchema: v.GenericSchema<unknown, ChatMessage> = v.looseObject({
	role: v.picklist(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
	content: v.nullable(
		v.union([
			v.string(),
			v.array(v.looseObject({ type: v.string(), text: v.optional(v.string()) }))
		])
	),
	name: v.optional(v.string()),
	tool_calls: v.optional(v.array(toolCallSchema)),
	tool_call_id: v.optional(v.string()),
	weight: v.optional(v.picklist([0, 1]))
});

export const projectSchema: v.GenericSchema<unknown, Project> = v.looseObject({
	id: nonEmpty,
	name: v.string(),
	createdAt: time,
	labels: v.looseObject({ ratings: v.boolean(), tags: v.array(v.string()) })
});

export const logRecordSchema: v.GenericSchema<unknown, LogRecord> = v.pipe(
	v.looseObject({
		id: nonEmpty,
		projectId: nonEmpty,
		hash: v.string(),
		format: formatSchema,
		source: v.looseObject({
			kind: v.picklist(['file', 'demo', 'playground', 'api']),
			importId: v.optional(v.string()),
			file: v.optional(v.string()),
			line: v.optional(v.number())
		}),
		createdAt: time,
		importedAt: time,
		input: v.array(chatMessageSchema),
		output: chatMessageSchema,
		tools: v.optional(v.array(v.unknown())),
		parallelToolCalls: v.optional(v.boolean()),
		model: v.optional(v.string()),
		params: v.optional(v.record(v.string(), v.unknown())),
		extra: v.optional(v.record(v.string(), v.unknown())),
		thumb: v.picklist([1, -1, 0]),
		rating: v.number(),
		hasFeedback: v.picklist([0, 1]),
		corrected: v.picklist([0, 1]),
		tags: v.array(v.string()),
		// Backups made before schema version 2 have no inputHash: work it out.
		inputHash: v.optional(v.string())
	}),
	v.transform((log) => ({ ...log, inputHash: log.inputHash ?? inputHash(log) }))
);

const feedbackBodySchema = v.variant('kind', [
	v.looseObject({ kind: v.literal('thumb'), value: v.nullable(v.picklist([1, -1])) }),
	v.looseObject({ kind: v.literal('rating'), value: v.nullable(v.number()) }),
	v.looseObject({ kind: v.literal('comment'), text: v.string() }),
	v.looseObject({ kind: v.literal('tag'), tag: v.string(), on: v.boolean() }),
	v.looseObject({ kind: v.literal('correction'), output: v.nullable(chatMessageSchema) }),
	v.looseObject({
		kind: v.literal('pairwise'),
		otherLogId: v.string(),
		choice: v.picklist(['this', 'other', 'tie'])
	}),
	v.looseObject({
		kind: v.literal('review'),
		decision: v.picklist(['confirmed', 'overridden', 'reviewed'])
	}),
	v.looseObject({ kind: v.literal('undo'), eventId: v.number() })
]);

/** A stored event: the id is required (a backup always has it). */
export const feedbackEventSchema: v.GenericSchema<unknown, FeedbackEvent & { id: number }> =
	v.looseObject({
		id: v.pipe(v.number(), v.integer(), v.minValue(1)),
		logId: nonEmpty,
		projectId: nonEmpty,
		at: time,
		actor: actorSchema,
		body: feedbackBodySchema,
		key: v.optional(v.string())
	});

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const importRecordSchema: v.GenericSchema<unknown, ImportRecord> = v.looseObject({
	id: nonEmpty,
	projectId: nonEmpty,
	name: v.string(),
	size: v.number(),
	lastModified: v.number(),
	hash: v.string(),
	startedAt: time,
	finishedAt: v.optional(time),
	status: v.picklist(['running', 'done', 'cancelled', 'incomplete', 'failed', 'needs-mapping']),
	fileError: v.optional(v.string()),
	counts: v.looseObject({
		lines: count,
		blank: count,
		accepted: count,
		rejected: count,
		duplicates: count,
		logs: count,
		formats: v.record(formatSchema, count)
	}),
	committedLine: count
});

export const rejectedLineSchema: v.GenericSchema<unknown, RejectedLine> = v.looseObject({
	importId: nonEmpty,
	line: v.number(),
	reason: v.string(),
	raw: v.string()
});

export const settingRowSchema: v.GenericSchema<unknown, SettingRow> = v.looseObject({
	key: nonEmpty,
	value: v.unknown()
});

/** One located, single-line description of what is wrong ("input.0.role: Invalid type…"). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues
		.slice(0, 3)
		.map((issue) => {
			const path = v.getDotPath(issue);
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

/**
 * Rows of the tables later features fill (datasets, preference models, fine-tuning jobs): the keys
 * and links are checked, the rest is kept as it is (loose), so a backup restores them whole.
 */
const ownedRow = {
	id: nonEmpty,
	projectId: nonEmpty,
	createdAt: time
};

export const datasetSchema = v.looseObject({ ...ownedRow, name: v.string() });

export const datasetVersionSchema = v.looseObject({
	...ownedRow,
	datasetId: nonEmpty,
	number: v.pipe(v.number(), v.integer(), v.minValue(1))
});

export const prefModelSchema = v.looseObject(ownedRow);

export const jobSchema = v.looseObject(ownedRow);
