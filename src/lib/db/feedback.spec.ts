import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDB } from './db';
import { appendFeedback, appendMany, eventsFor, logState } from './feedback';
import { makeLog } from './test-fixtures';
import { useTestDb } from './test-db';

let db: AppDB;
const log = makeLog('p', 1);
beforeEach(async () => {
	db = useTestDb();
	await db.logs.add(log);
});

describe('feedback repository', () => {
	it('appends events and keeps the log summary in step, undo included', async () => {
		const up = await appendFeedback({
			logId: log.id,
			projectId: 'p',
			at: 10,
			actor: 'me',
			body: { kind: 'thumb', value: 1 }
		});
		expect(await db.logs.get(log.id)).toMatchObject({ thumb: 1, hasFeedback: 1 });

		await appendMany([
			{
				logId: log.id,
				projectId: 'p',
				at: 11,
				actor: 'me',
				body: { kind: 'tag', tag: 'tone', on: true }
			},
			{
				logId: log.id,
				projectId: 'p',
				at: 12,
				actor: 'me',
				body: { kind: 'correction', output: { role: 'assistant', content: 'Better' } }
			}
		]);
		expect(await db.logs.get(log.id)).toMatchObject({ thumb: 1, tags: ['tone'], corrected: 1 });

		await appendFeedback({
			logId: log.id,
			projectId: 'p',
			at: 13,
			actor: 'me',
			body: { kind: 'undo', eventId: up }
		});
		expect(await db.logs.get(log.id)).toMatchObject({ thumb: 0, hasFeedback: 1, corrected: 1 });
		expect((await logState(log.id)).correction).toEqual({ role: 'assistant', content: 'Better' });
		expect((await eventsFor(log.id)).map((event) => event.at)).toEqual([10, 11, 12, 13]);
	});

	it('adds a keyed event once and returns the stored id for repeats', async () => {
		const event = {
			logId: log.id,
			projectId: 'p',
			at: 1,
			actor: 'imported' as const,
			body: { kind: 'comment' as const, text: 'hi' },
			key: 'k1'
		};
		const first = await appendMany([event, event]);
		expect(first.added).toBe(1);
		expect(first.ids[0]).toBe(first.ids[1]);
		const again = await appendMany([event]);
		expect(again).toEqual({ ids: [first.ids[0]], added: 0, skipped: 1 });
		expect(await db.feedback.count()).toBe(1);
	});

	it('writes nothing when one event names a missing log', async () => {
		await expect(
			appendMany([
				{ logId: log.id, projectId: 'p', at: 1, actor: 'me', body: { kind: 'thumb', value: -1 } },
				{
					logId: 'p:missing',
					projectId: 'p',
					at: 1,
					actor: 'me',
					body: { kind: 'thumb', value: 1 }
				}
			])
		).rejects.toThrow('p:missing');
		expect(await db.feedback.count()).toBe(0);
		expect(await db.logs.get(log.id)).toMatchObject({ thumb: 0, hasFeedback: 0 });
	});
});
