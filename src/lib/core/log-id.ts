/**
 * Log ids. An id orders logs by when they arrived — import start, then source line — so new logs
 * are appended at the end of every IndexedDB index instead of landing at random places, which
 * kept large imports fast only until the database grew. Content identity (no duplicate logs in
 * a project) is the job of the unique [projectId+inputHash+hash] index, not of the id.
 *
 * Because the id spells out (project, import start, line, index), ranges of ids answer two
 * questions without an index of their own (schema version 3 dropped those indexes, which every
 * imported row paid for): a project's logs in source order, and the logs one import wrote.
 */

const STAMP = 9; // base-36 digits of a millisecond time: enough until the year 5188
const LINE = 7; // base-36 digits of a line number: up to 78 billion lines

function pad(n: number, width: number): string {
	return Math.max(0, Math.floor(n)).toString(36).padStart(width, '0');
}

/**
 * The id of the `index`-th log of source line `line` of an import that started at `startedAt`.
 * The same import, line and index always give the same id, so a replayed batch finds its logs.
 */
export function importLogId(projectId: string, startedAt: number, line: number, index: number) {
	return `${projectId}:${pad(startedAt, STAMP)}-${pad(line, LINE)}-${index.toString(36)}`;
}

/** Bounds of every id of a project, in source order (import start, line, index). */
export function projectLogIdRange(projectId: string): [lower: string, upper: string] {
	return [`${projectId}:`, `${projectId}:\uffff`];
}

/**
 * Bounds of the ids written by the import of `projectId` that started at `startedAt`: its lines
 * are numbered from 1, so logs made outside an import in the same millisecond (line 0) fall
 * outside. Imports of one project never share a start time (see createImport).
 */
export function importLogIdRange(projectId: string, startedAt: number): [string, string] {
	const prefix = `${projectId}:${pad(startedAt, STAMP)}-`;
	return [`${prefix}${pad(1, LINE)}`, `${prefix}\uffff`];
}

const MAX_STAMP = 36 ** STAMP - 1;

/**
 * The time spelled in a log id (its import's start, or when a log made outside an import was
 * added), or undefined for an id not made by `importLogId`.
 */
export function logIdTime(id: string): number | undefined {
	const at = id.lastIndexOf(':') + 1;
	if (at === 0 || id.charCodeAt(at + STAMP) !== 0x2d /* - */) return undefined;
	const time = parseInt(id.slice(at, at + STAMP), 36);
	return Number.isNaN(time) ? undefined : time;
}

/** Bounds of the ids of `projectId` whose spelled time lies in [from, to] (ms, inclusive). */
export function logIdTimeRange(projectId: string, from: number, to: number): [string, string] {
	const clamp = (t: number) => Math.min(MAX_STAMP, Math.max(0, t));
	return [
		`${projectId}:${pad(clamp(from), STAMP)}`,
		`${projectId}:${pad(clamp(to), STAMP)}-\uffff`
	];
}
