/**
 * App settings as key/value rows. Values are checked against their schema on write and parsed
 * again on read (storage is a boundary: another version of the app, or devtools, may have
 * written something else). Secrets live only in this table: backups skip them, restores never
 * write them, and nothing logs them.
 */
import * as v from 'valibot';
import { getDb } from './db';
import { withStorageErrors } from './errors';

export const settingSchemas = {
	apiKey: v.pipe(v.string(), v.trim(), v.nonEmpty()),
	organization: v.pipe(v.string(), v.trim()),
	project: v.pipe(v.string(), v.trim()),
	/** OpenAI-compatible API base URL; a secret too, as it can name a private proxy. */
	baseUrl: v.pipe(v.string(), v.trim(), v.url()),
	activeProjectId: v.string(),
	theme: v.picklist(['system', 'light', 'dark'])
};

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = v.InferOutput<(typeof settingSchemas)[K]>;

/** Never leave the settings table: not in backups, not overwritten by a restore. */
export const SECRET_SETTING_KEYS: readonly string[] = [
	'apiKey',
	'organization',
	'project',
	'baseUrl'
];

export function isSecretSetting(key: string): boolean {
	return SECRET_SETTING_KEYS.includes(key);
}

export function isKnownSetting(key: string): key is SettingKey {
	return Object.hasOwn(settingSchemas, key);
}

/** The setting's value, or undefined when unset or when what is stored no longer parses. */
export async function getSetting<K extends SettingKey>(
	key: K
): Promise<SettingValue<K> | undefined> {
	const row = await getDb().settings.get(key);
	if (!row) return undefined;
	const parsed = v.safeParse(settingSchemas[key], row.value);
	return parsed.success ? (parsed.output as SettingValue<K>) : undefined;
}

/** Validates and stores a setting (throws a ValiError naming the problem when invalid).
 * A single put: on failure the old value stays. */
export async function setSetting<K extends SettingKey>(
	key: K,
	value: SettingValue<K>
): Promise<void> {
	const parsed = v.parse(settingSchemas[key], value);
	await withStorageErrors(() => getDb().settings.put({ key, value: parsed }));
}

/** Removes a setting (a single delete: on failure the setting stays). */
export async function deleteSetting(key: SettingKey): Promise<void> {
	await getDb().settings.delete(key);
}
