import { it } from 'vitest';
import { restoreBackup, backupText } from './backup';
import { makeLog, makeProject } from './test-fixtures';
import { useTestDb } from './test-db';
import { appendMany } from './feedback';

async function* strings(text: string): AsyncGenerator<string> { yield text; }

it.skip('probe rows', async () => {
	let db = useTestDb();
	await db.projects.add(makeProject('p1'));
	await db.logs.add(makeLog('p1', 0));
	const text = await backupText();
	db = useTestDb();
	console.log(await restoreBackup(strings(text), { mode: 'merge' }));
});
it('probe feedback', async () => {
	let db = useTestDb();
	await db.projects.add(makeProject('p1'));
	await db.logs.add(makeLog('p1', 0));
	await appendMany([{ logId: 'p1:h000000', projectId: 'p1', at: 1, actor: 'me', body: { kind: 'thumb', value: 1 } }]);
	const text = await backupText();
	db = useTestDb();
	await db.logs.add(makeLog('p1', 0));
	console.log(await restoreBackup(strings(text), { mode: 'merge' }));
});
