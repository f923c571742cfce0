import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDB } from './db';
import {
	deleteSetting,
	getSetting,
	isSecretSetting,
	SECRET_SETTING_KEYS,
	setSetting
} from './settings';
import { useTestDb } from './test-db';

let db: AppDB;
beforeEach(() => {
	db = useTestDb();
});

describe('settings', () => {
	it('stores and reads typed values', async () => {
		expect(await getSetting('apiKey')).toBeUndefined();
		await setSetting('apiKey', ' sk-test ');
		await setSetting('theme', 'dark');
		await setSetting('baseUrl', 'https://api.openai.com/v1');
		expect(await getSetting('apiKey')).toBe('sk-test');
		expect(await getSetting('theme')).toBe('dark');
		await deleteSetting('theme');
		expect(await getSetting('theme')).toBeUndefined();
	});

	it('refuses invalid values and reads stored garbage as unset', async () => {
		await expect(setSetting('baseUrl', 'not a url')).rejects.toThrow();
		await expect(setSetting('apiKey', '   ')).rejects.toThrow();
		await db.settings.put({ key: 'theme', value: 'purple' });
		expect(await getSetting('theme')).toBeUndefined();
	});

	it('names the secrets', () => {
		expect(SECRET_SETTING_KEYS).toEqual(
			expect.arrayContaining(['apiKey', 'organization', 'project'])
		);
		expect(isSecretSetting('apiKey')).toBe(true);
		expect(isSecretSetting('theme')).toBe(false);
	});
});
