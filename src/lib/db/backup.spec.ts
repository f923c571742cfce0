import { beforeEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../core/types';
import { backupChunks, backupText, restoreBackup, validateBackup } from './backup';
import { TABLE_NAMES, type AppDB } from './db';
import { eraseAllData } from './erase';
import { appendMany, logState } from './feedback';
import { writeImportBatch } from './logs';
import { getSetting, setSetting } from './settings';
import { makeImport, makeLog, makeProject, naughtyStrings } from './test-fixtures';
import { useTestDb } from './test-db';
import { SCHEMA_VERSION } from './schema';

const API_KEY = 'sk-proj-SECRET-4242';
const ORG = 'org-SECRET-777';
const LOGS = 1200;

let db: AppDB;

async function populate(): Promise<void> {
	const naughty = naughtyStrings();
	await db.projects.bulkAdd([makeProject('p1'), makeProject('p2', { name: naughty[100] })]);
	await db.imports.add(makeImport('i1', 'p1', { status: 'done', fileError: naughty[7] }));
	const logs: LogRecord[] = Array.from({ length: LOGS }, (_, n) => {
		const text = naughty[n % naughty.length];
		return makeLog('p1', n, {
			input: [
				{ role: 'system', content: text },
				{
					role: 'user',
					content: [
						{ type: 'text', text },
						{ type: 'image_url', image_url: { url: 'x' } }
					]
				}
			],
			extra: { note: text, $weird: { $f32: 'user data, not a tag' } }
		});
	});
	logs[3].extra = { embedding: new Float32Array([0.25, -1, Number.NaN, 3.5e-9]) };
	logs[4].params = { temperature: Number.POSITIVE_INFINITY, stop: ['\n\n'] };
	await writeImportBatch({
		importId: 'i1',
		logs,
		feedback: logs.slice(0, 300).map((log, n) => ({
			logId: log.id,
			projectId: 'p1',
			at: 1000 + n,
			actor: 'imported' as const,
			body: { kind: 'thumb' as const, value: n % 2 ? (1 as const) : (-1 as const) }
		})),
		rejects: naughty.slice(0, 40).map((raw, n) => ({
			importId: 'i1',
			line: LOGS + n + 1,
			reason: 'not JSON',
			raw
		})),
		importPatch: { committedLine: LOGS + 40 }
	});
	const { ids } = await appendMany([
		{
			logId: logs[0].id,
			projectId: 'p1',
			at: 5000,
			actor: 'me',
			body: { kind: 'thumb', value: 1 }
		},
		{
			logId: logs[0].id,
			projectId: 'p1',
			at: 5001,
			actor: 'me',
			body: { kind: 'comment', text: naughty[200] }
		},
		{
			logId: logs[1].id,
			projectId: 'p1',
			at: 5002,
			actor: 'me',
			body: {
				kind: 'correction',
				output: {
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: naughty[300] } }
					]
				}
			}
		},
		{
			logId: logs[2].id,
			projectId: 'p1',
			at: 5003,
			actor: 'me',
			body: { kind: 'pairwise', otherLogId: logs[5].id, choice: 'tie' }
		},
		{
			logId: logs[2].id,
			projectId: 'p1',
			at: 5004,
			actor: 'me',
			body: { kind: 'tag', tag: naughty[12], on: true }
		}
	]);
	await appendMany([
		{
			logId: logs[0].id,
			projectId: 'p1',
			at: 6000,
			actor: 'me',
			body: { kind: 'undo', eventId: ids[0] }
		}
	]);
	// Rows of the later features' tables, typed arrays included (model weights).
	await db.datasets.add({ id: 'd1', projectId: 'p1', name: naughty[5], createdAt: 7 } as never);
	await db.datasetVersions.add({
		id: 'v1',
		datasetId: 'd1',
		projectId: 'p1',
		number: 1,
		createdAt: 8,
		train: [logs[0].id],
		validation: []
	} as never);
	await db.models.add({
		id: 'm1',
		projectId: 'p1',
		createdAt: 9,
		weights: new Float32Array([0.5, -2, 1e-7]),
		metrics: { auc: 0.8 }
	} as never);
	await db.jobs.add({
		id: 'ftjob-1',
		projectId: 'p1',
		createdAt: 10,
		job: { status: 'queued' }
	} as never);
	// Caches are not backed up.
	await db.scores.add({ modelId: 'm1', logId: logs[0].id, score: 0.9 });
	await setSetting('apiKey', API_KEY);
	await setSetting('organization', ORG);
	await setSetting('theme', 'dark');
	await db.settings.put({ key: 'futureSetting', value: { nested: [1, 'two'] } });
}

async function snapshot(target: AppDB = db) {
	const tables: Record<string, unknown[]> = {};
	for (const name of TABLE_NAMES) tables[name] = await target.table(name).toArray();
	return tables;
}

function withoutSecrets(tables: Record<string, unknown[]>) {
	return {
		...tables,
		settings: tables.settings.filter(
			(row) => !['apiKey', 'organization'].includes((row as { key: string }).key)
		)
	};
}

/** The text as a byte stream cut into 7-byte pieces, splitting multi-byte characters. */
function byteStream(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	let offset = 0;
	return new ReadableStream({
		pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(offset, offset + 7));
			offset += 7;
		}
	});
}

async function* strings(text: string): AsyncGenerator<string> {
	yield text;
}

beforeEach(() => {
	db = useTestDb();
});

describe('backup and restore', () => {
	it('round-trips every table, never exports secrets, and replace keeps the secrets', async () => {
		await populate();
		const original = await snapshot();
		expect(original.logs).toHaveLength(LOGS);
		expect(original.feedback).toHaveLength(306);

		const chunks: string[] = [];
		// An odd page size, so every table (compound keys included) is read across pages.
		for await (const chunk of backupChunks({ chunkRows: 37 })) chunks.push(chunk);
		const text = chunks.join('');
		expect(chunks.length).toBeGreaterThan(5);
		expect(text).not.toContain(API_KEY);
		expect(text).not.toContain(ORG);
		expect(text).not.toContain('"apiKey"');
		const lines = text.trimEnd().split('\n');
		expect(JSON.parse(lines[0])).toMatchObject({
			tuneloop: 'backup',
			version: 1,
			schemaVersion: SCHEMA_VERSION,
			counts: {
				logs: LOGS,
				feedback: 306,
				settings: 2,
				projects: 2,
				imports: 1,
				importRejects: 40,
				datasets: 1,
				datasetVersions: 1,
				models: 1,
				jobs: 1
			}
		});
		expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
			tuneloop: 'end',
			counts: { logs: LOGS }
		});
		expect(lines[1]).toMatch(/^\{"table":"settings","row":/);

		await eraseAllData({ keepSecrets: true });
		expect(await db.logs.count()).toBe(0);
		expect(await getSetting('apiKey')).toBe(API_KEY);

		const report = await restoreBackup(byteStream(text), { mode: 'replace' });
		expect(report.errors).toEqual([]);
		expect(report).toMatchObject({ ok: true, complete: true, errorCount: 0 });
		expect(report.restored).toEqual({
			settings: 2,
			projects: 2,
			imports: 1,
			importRejects: 40,
			logs: LOGS,
			feedback: 306,
			datasets: 1,
			datasetVersions: 1,
			models: 1,
			jobs: 1
		});
		expect(await db.scores.count()).toBe(0);
		const restored = await snapshot();
		expect(restored).toEqual(original);
		const withEmbedding = restored.logs[3] as LogRecord;
		expect(withEmbedding.extra?.embedding).toBeInstanceOf(Float32Array);
		expect(await getSetting('apiKey')).toBe(API_KEY);

		// Into a brand-new database: everything but the secrets.
		const fresh = useTestDb();
		const second = await restoreBackup(strings(text), { mode: 'replace' });
		expect(second.ok).toBe(true);
		expect(await snapshot(fresh)).toEqual(withoutSecrets(original));
		expect(await getSetting('apiKey')).toBeUndefined();
		expect(await getSetting('theme')).toBe('dark');
	});

	it('replace clears other data but keeps this browser’s secrets', async () => {
		await populate();
		const text = await backupText();
		const original = await snapshot();

		db = useTestDb();
		await db.projects.add(makeProject('elsewhere'));
		await db.imports.add(makeImport('i9', 'elsewhere'));
		await db.logs.add(makeLog('elsewhere', 1));
		await setSetting('apiKey', 'sk-other-browser');
		await setSetting('theme', 'light');
		await restoreBackup(strings(text), { mode: 'replace' });
		const after = await snapshot();
		expect(withoutSecrets(after)).toEqual(withoutSecrets(original));
		expect(await getSetting('apiKey')).toBe('sk-other-browser');
		expect(await getSetting('organization')).toBeUndefined();
	});

	it('merge adds what is missing, re-points undo events, and is idempotent', async () => {
		await populate();
		const text = await backupText();
		const original = await snapshot();
		const undoneState = await logState('p1:h000000');
		expect(undoneState.thumb).toBe(-1); // my 👍 undone: the imported 👎 shows again

		// Same data: nothing changes.
		const same = await restoreBackup(strings(text), { mode: 'merge' });
		expect(same.ok).toBe(true);
		expect(Object.values(same.restored).every((n) => n === 0)).toBe(true);
		expect(same.unchanged.logs).toBe(LOGS);
		expect(await snapshot()).toEqual(original);

		// A database whose feedback ids are taken by other events.
		db = useTestDb();
		await db.projects.add(makeProject('p1', { name: 'Kept name' }));
		await db.logs.add(makeLog('p1', 0));
		await appendMany(
			[1, 2, 3].map((at) => ({
				logId: 'p1:h000000',
				projectId: 'p1',
				at,
				actor: 'me' as const,
				body: { kind: 'comment' as const, text: `local ${at}` }
			}))
		);
		const merged = await restoreBackup(byteStream(text), { mode: 'merge' });
		expect(merged.errors).toEqual([]);
		expect(merged.restored).toMatchObject({ projects: 1, logs: LOGS - 1, feedback: 306 });
		expect(merged.unchanged).toMatchObject({ projects: 1, logs: 1 });
		expect((await db.projects.get('p1'))?.name).toBe('Kept name');
		const state = await logState('p1:h000000');
		expect(state.thumb).toBe(-1);
		expect(state.comments.map((c) => c.text)).toEqual([
			'local 1',
			'local 2',
			'local 3',
			undoneState.comments[0].text
		]);
		expect(await db.logs.get('p1:h000000')).toMatchObject({ thumb: -1, hasFeedback: 1 });
		expect(await db.feedback.count()).toBe(309);

		const again = await restoreBackup(strings(text), { mode: 'merge' });
		expect(again.restored.feedback).toBe(0);
		expect(await db.feedback.count()).toBe(309);
	});

	it('reports bad lines by number and still restores the good ones', async () => {
		await populate();
		const lines = (await backupText()).trimEnd().split('\n');
		const logLine = lines.findIndex((line) => line.startsWith('{"table":"logs"'));
		const broken = [...lines];
		broken[logLine] = broken[logLine].replace('"thumb":', '"thumb":"yes","was":');
		broken[logLine + 1] = '{"table":"logs","row":';
		broken.splice(2, 0, '{"table":"settings","row":{"key":"apiKey","value":"sk-injected"}}');
		broken.splice(3, 0, '{"table":"nope","row":{}}');
		broken.pop(); // the end line

		db = useTestDb();
		const report = await restoreBackup(strings(broken.join('\n')), { mode: 'merge' });
		expect(report.ok).toBe(false);
		expect(report.complete).toBe(false);
		expect(report.errors.slice(0, 4)).toEqual([
			'line 3: secret setting "apiKey" is never restored',
			expect.stringMatching(/^line 4: not a table row \(table: /),
			expect.stringMatching(new RegExp(`^line ${logLine + 3}: invalid logs row: thumb: `)),
			expect.stringMatching(new RegExp(`^line ${logLine + 4}: not valid JSON`))
		]);
		// The feedback about the two logs that could not be restored is reported, not orphaned.
		const orphans = report.errors.slice(4, -1);
		expect(orphans).toHaveLength(6);
		expect(orphans.every((e) => /^line \d+: feedback about log p1:h00000[01], which/.test(e))).toBe(
			true
		);
		expect(report.errors.at(-1)).toMatch(/^line \d+: the backup ends early/);
		expect(report.errorCount).toBe(11);
		expect(await db.logs.count()).toBe(LOGS - 2);
		expect(await getSetting('apiKey')).toBeUndefined();
	});

	it('validates without writing, and spots a truncated file', async () => {
		await populate();
		const text = await backupText();
		db = useTestDb();
		const clean = await validateBackup(strings(text));
		expect(clean).toMatchObject({ ok: true, complete: true });
		expect(clean.restored.logs).toBe(LOGS);
		expect(await db.logs.count()).toBe(0);

		const cut = text.slice(0, Math.floor(text.length / 2));
		const truncated = await validateBackup(strings(cut.slice(0, cut.lastIndexOf('\n') + 1)));
		expect(truncated.complete).toBe(false);
		expect(truncated.errors.at(-1)).toMatch(/the backup ends early/);

		// An end line that does not match what was read.
		const lines = text.trimEnd().split('\n');
		lines.splice(5, 1);
		const short = await validateBackup(strings(lines.join('\n')));
		expect(short.complete).toBe(false);
		expect(short.errors[0]).toMatch(/the end line counts \d+ \w+ rows, \d+ were read/);
	});

	it('refuses files that are not backups, or come from a newer app, before touching data', async () => {
		await populate();
		const before = await snapshot();
		const notBackup = await restoreBackup(strings('{"messages":[]}\n'), { mode: 'replace' });
		expect(notBackup.errors[0]).toMatch(/^line 1: not a Tuneloop backup/);
		const newer = JSON.stringify({
			tuneloop: 'backup',
			version: 1,
			schemaVersion: 99,
			createdAt: 1,
			counts: {}
		});
		const fromFuture = await restoreBackup(strings(newer + '\n'), { mode: 'replace' });
		expect(fromFuture.errors[0]).toMatch(/^line 1: made by a newer Tuneloop/);
		const empty = await restoreBackup(strings(''), { mode: 'replace' });
		expect(empty.errors).toEqual(['line 1: the file is empty']);
		expect(await snapshot()).toEqual(before);
	});
});
