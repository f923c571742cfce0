/**
 * "Delete all data" from the Settings page: empties every table. Secrets go too unless the
 * caller keeps them: a user erasing their data from a shared machine expects the API key gone.
 */
import { boundTables, CACHE_TABLES, getDb, TABLE_NAMES } from './db';
import { withStorageErrors } from './errors';
import { isSecretSetting } from './settings';

/**
 * One rw transaction over every table: if it fails, nothing is deleted.
 */
export async function eraseAllData(options: { keepSecrets?: boolean } = {}): Promise<void> {
	const db = getDb();
	await withStorageErrors(() =>
		db.transaction(
			'rw',
			[...TABLE_NAMES, ...CACHE_TABLES].map((name) => db.table(name)),
			async (tx) => {
				await Promise.all(
					[...TABLE_NAMES, ...CACHE_TABLES]
						.filter((name) => name !== 'settings')
						.map((name) => tx.table(name).clear())
				);
				const { settings } = boundTables(tx);
				if (!options.keepSecrets) {
					await settings.clear();
					return;
				}
				const keys = await settings.toCollection().primaryKeys();
				await settings.bulkDelete(keys.filter((key) => !isSecretSetting(key)));
			}
		)
	);
}
