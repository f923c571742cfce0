/**
 * "Delete all data" from the Settings page: empties every table. Secrets go too unless the
 * caller keeps them: a user erasing their data from a shared machine expects the API key gone.
 */
import { getDb, TABLE_NAMES } from './db';
import { isSecretSetting } from './settings';

/**
 * One rw transaction over every table: if it fails, nothing is deleted.
 */
export async function eraseAllData(options: { keepSecrets?: boolean } = {}): Promise<void> {
	const db = getDb();
	await db.transaction('rw', TABLE_NAMES.map((name) => db.table(name)), async () => {
		await Promise.all(
			TABLE_NAMES.filter((name) => name !== 'settings').map((name) => db.table(name).clear())
		);
		if (!options.keepSecrets) {
			await db.settings.clear();
			return;
		}
		const keys = await db.settings.toCollection().primaryKeys();
		await db.settings.bulkDelete(keys.filter((key) => !isSecretSetting(key)));
	});
}
