/**
 * The backup file: JSON Lines, one table row per line, between a header and an end line.
 *
 *   {"tuneloop":"backup","version":1,"schemaVersion":1,"createdAt":…,"counts":{"logs":n,…}}
 *   {"table":"settings","row":{…}}
 *   …
 *   {"tuneloop":"end","counts":{"logs":n,…}}
 *
 * The header's counts are taken when the backup starts (for progress bars); the end line's are
 * the rows actually written, so a restore can tell a complete file from a truncated one.
 * Values go through typed-json.ts so typed arrays survive. Secret settings are never in it.
 */
import * as v from 'valibot';
import { TABLE_NAMES } from './db';

export const BACKUP_FORMAT_VERSION = 1;

const countsSchema = v.record(v.string(), v.pipe(v.number(), v.integer(), v.minValue(0)));

export const backupHeaderSchema = v.object({
	tuneloop: v.literal('backup'),
	version: v.literal(BACKUP_FORMAT_VERSION),
	schemaVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
	createdAt: v.number(),
	counts: countsSchema
});
export type BackupHeader = v.InferOutput<typeof backupHeaderSchema>;

export const backupEndSchema = v.object({ tuneloop: v.literal('end'), counts: countsSchema });
export type BackupEnd = v.InferOutput<typeof backupEndSchema>;

export const backupEntrySchema = v.object({ table: v.picklist(TABLE_NAMES), row: v.unknown() });
export type BackupEntry = v.InferOutput<typeof backupEntrySchema>;
