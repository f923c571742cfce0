/**
 * Every IndexedDB schema version Tuneloop has shipped, oldest first.
 *
 * APPEND ONLY. Never edit or remove a shipped entry: browsers out there hold databases written
 * by each of them, and Dexie upgrades a database by replaying the versions it has not seen.
 * To change the schema, append `{ version: n + 1, stores: { onlyChangedTables }, upgrade }` and
 * add a case to schema.spec.ts that opens a database written by version n.
 *
 * Indexes exist for the log browser's filters: each filter is a key-only query on one index,
 * scoped to a project by a compound index, and the results are intersected in memory.
 */
import type { Dexie, Transaction } from 'dexie';
import { deriveLogState, summarize } from '../core/feedback';
import { inputHash } from '../core/hash';
import { logIdTime } from '../core/log-id';
import type { FeedbackEvent, LogRecord } from '../core/types';
import { logFacets, type FacetKey } from './facets';

export interface SchemaVersion {
	version: number;
	/** Dexie store specs; `null` deletes a table. Only the tables that change. */
	stores: Record<string, string | null>;
	/** Rewrites rows written by the previous version (runs inside the upgrade transaction). */
	upgrade?: (tx: Transaction) => Promise<void>;
}

export const schemaVersions: readonly SchemaVersion[] = [
	{
		version: 1,
		stores: {
			projects: 'id, createdAt',
			// Ids are time-ordered (core/log-id.ts), so writes append; &[projectId+hash] keeps one
			// log per content per project (a duplicate is refused with a ConstraintError).
			// [projectId+importedAt+source.line] gives 'imported' (source) order; rows without a
			// line (playground, API) are absent from it and found through [projectId+importedAt].
			logs:
				'id, &[projectId+hash], [projectId+createdAt], [projectId+importedAt], ' +
				'[projectId+importedAt+source.line], ' +
				'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
				'source.importId, *tags',
			// &key: imported events carry a unique dedupe key (see core/feedback.ts feedbackKey);
			// events without a key (the user's own) are simply not in that index.
			feedback: '++id, logId, [projectId+at], &key',
			imports: 'id, projectId, startedAt, status',
			// Rejected lines in their own table so an import record is never rewritten with a
			// growing array; the compound key keeps them in line order per import.
			importRejects: '[importId+line]',
			// key/value; secrets (API key…) live only here and are never exported.
			settings: 'key'
		}
	},
	{
		version: 2,
		stores: {
			// Adds two sparse summary indexes: `reviewed` (the user has said something about the
			// log) and `userFeedback` (imported end-user feedback is in effect). Both are stored
			// only when 1, so logs nobody judged cost imports no extra index entries; "not
			// reviewed" is the complement of the index. [projectId+inputHash] finds the logs that
			// answer the same input (pairwise comparison).
			logs:
				'id, &[projectId+hash], [projectId+createdAt], [projectId+importedAt], ' +
				'[projectId+importedAt+source.line], ' +
				'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
				'[projectId+reviewed], [projectId+userFeedback], [projectId+inputHash], source.importId, ' +
				'*tags',
			// A dataset is a filter plus rules; a version is an immutable snapshot (ids and split).
			datasets: 'id, projectId',
			datasetVersions: 'id, datasetId, projectId',
			// Preference model versions (weights as typed arrays) and their scores per log.
			models: 'id, projectId',
			scores: '[modelId+logId], [modelId+score]',
			// Sentence embeddings cache: (embedding model id, content hash) → vector.
			embeddings: '[model+hash]',
			// Fine-tuning jobs seen through the API, with their events and metrics.
			jobs: 'id, projectId, createdAt'
		},
		upgrade: upgradeLogsToV2
	},
	{
		version: 3,
		stores: {
			// Drops three indexes every imported row paid for (an index entry each, a third of an
			// import's IndexedDB time between them) whose questions the ids answer (core/log-id.ts):
			// source order is id order within a project, and one import's logs are one id range.
			// Gone: [projectId+importedAt], [projectId+importedAt+source.line], source.importId.
			// Removing an index rewrites no row, so there is no upgrade function.
			logs:
				'id, &[projectId+hash], [projectId+createdAt], ' +
				'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
				'[projectId+reviewed], [projectId+userFeedback], [projectId+inputHash], *tags'
		}
	},
	{
		version: 4,
		stores: {
			// Two more index entries fewer per imported row, the same questions answered:
			// - &[projectId+inputHash+hash] replaces both &[projectId+hash] and [projectId+inputHash]:
			//   the content hash covers the input, so the triple is unique exactly when the pair was,
			//   and the logs answering one input are a prefix range of it.
			// - thumb, hasFeedback and corrected are stored only when not 0 (as `reviewed` and
			//   `userFeedback` already were), so a log nobody judged costs their indexes nothing;
			//   "no label" is the complement of 👍 and 👎 (log-query.ts).
			// - createdAt is stored only when it is not the time the log's id spells (a line with no
			//   time of its own is dated by its import's start, which its id carries), so such logs
			//   cost [projectId+createdAt] nothing; the log browser merges them in by id.
			// Reads fill all these back in (db.ts), so code outside the db layer sees no difference.
			logs:
				'id, &[projectId+inputHash+hash], [projectId+createdAt], ' +
				'[projectId+model], [projectId+thumb], [projectId+hasFeedback], [projectId+corrected], ' +
				'[projectId+reviewed], [projectId+userFeedback], *tags'
		},
		upgrade: upgradeLogsToV4
	},
	{
		version: 5,
		stores: {
			// One multi-entry index of [projectId, name, value] facets (facets.ts) replaces the five
			// flag indexes and *tags: IndexedDB evaluates every index's key path for every row it
			// writes, and an imported log without feedback has no facets at all.
			logs: 'id, &[projectId+inputHash+hash], [projectId+createdAt], [projectId+model], *facets'
		},
		upgrade: upgradeLogsToV5
	}
];

/** The summary flags stored only when set (version 4). */
export const SPARSE_FLAGS = ['thumb', 'hasFeedback', 'corrected'] as const;
export type SparseFlag = (typeof SPARSE_FLAGS)[number];

/** Version 4: drops from every log the 0s of the sparse flags and a createdAt its id spells. */
async function upgradeLogsToV4(tx: Transaction): Promise<void> {
	await tx
		.table('logs')
		.toCollection()
		.modify((log: Record<string, unknown>) => {
			for (const flag of SPARSE_FLAGS) if (log[flag] === 0) delete log[flag];
			if (log.createdAt === logIdTime(log.id as string)) delete log.createdAt;
		});
}

/** Version 5: gives every log with a flag or a tag its facets. */
async function upgradeLogsToV5(tx: Transaction): Promise<void> {
	await tx
		.table('logs')
		.toCollection()
		.modify((log: LogRecord & { facets?: FacetKey[] }) => {
			const facets = logFacets(log.projectId, log);
			if (facets) log.facets = facets;
		});
}

/**
 * Version 2: gives every log its `inputHash`, and works out `reviewed` and `userFeedback` for
 * every log that has feedback.
 */
async function upgradeLogsToV2(tx: Transaction): Promise<void> {
	const byLog = new Map<string, FeedbackEvent[]>();
	await tx.table('feedback').each((event: FeedbackEvent) => {
		const list = byLog.get(event.logId);
		if (list) list.push(event);
		else byLog.set(event.logId, [event]);
	});
	await tx
		.table('logs')
		.toCollection()
		.modify((log: LogRecord) => {
			log.inputHash = inputHash(log);
			const events = byLog.get(log.id);
			if (!events) return;
			const { reviewed, userFeedback } = summarize(deriveLogState(events));
			if (reviewed) log.reviewed = 1;
			if (userFeedback) log.userFeedback = 1;
		});
}

export const SCHEMA_VERSION = schemaVersions[schemaVersions.length - 1].version;

/** Declares versions 1…upTo on a Dexie instance (upTo < latest: to write old-version fixtures). */
export function declareSchema(db: Dexie, upTo = SCHEMA_VERSION): void {
	for (const { version, stores, upgrade } of schemaVersions) {
		if (version > upTo) break;
		const declared = db.version(version).stores(stores);
		if (upgrade) declared.upgrade(upgrade);
	}
}
