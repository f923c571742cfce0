/**
 * The Settings page's storage section: how much the browser lets us use, persistence, and the
 * full backup / restore / erase of every table (secrets excluded from backups).
 */
import { backupChunks, restoreBackup, validateBackup, type RestoreReport } from '$lib/db/backup';
import { eraseAllData } from '$lib/db/erase';
import { downloadChunks } from './downloads';

export interface StorageInfo {
	usage: number | null;
	quota: number | null;
	persisted: boolean | null;
}

class StorageState {
	info = $state<StorageInfo>({ usage: null, quota: null, persisted: null });
	busy = $state<string | null>(null);

	async refresh(): Promise<void> {
		const storage = navigator.storage;
		if (!storage) return;
		const [estimate, persisted] = await Promise.all([
			storage.estimate
				? storage.estimate()
				: Promise.resolve({ usage: undefined, quota: undefined }),
			storage.persisted ? storage.persisted() : Promise.resolve(null)
		]);
		this.info = {
			usage: estimate.usage ?? null,
			quota: estimate.quota ?? null,
			persisted
		};
	}

	/** Asks the browser not to evict our data under storage pressure. */
	async persist(): Promise<boolean> {
		const granted = (await navigator.storage?.persist?.()) ?? false;
		await this.refresh();
		return granted;
	}

	async backup(): Promise<void> {
		this.busy = 'Writing backup…';
		try {
			const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
			await downloadChunks(`tuneloop-backup-${stamp}.jsonl`, backupChunks());
		} finally {
			this.busy = null;
		}
	}

	/**
	 * Restores a backup. Replacing clears the tables before writing, so the whole file is checked
	 * first and nothing is cleared unless it is a complete, valid backup.
	 */
	async restore(file: File, mode: 'replace' | 'merge'): Promise<RestoreReport> {
		this.busy = 'Checking the backup…';
		try {
			if (mode === 'replace') {
				const check = await validateBackup(file.stream());
				if (!check.ok) {
					const problems = check.errors.slice(0, 3).join('; ') || 'the file is cut short';
					throw new Error(
						`${file.name} is not a complete Tuneloop backup (${problems}); nothing was changed`
					);
				}
			}
			this.busy = 'Restoring…';
			return await restoreBackup(file.stream(), { mode });
		} finally {
			this.busy = null;
			await this.refresh();
		}
	}

	async eraseAll(): Promise<void> {
		this.busy = 'Deleting…';
		try {
			await eraseAllData();
		} finally {
			this.busy = null;
			await this.refresh();
		}
	}
}

export const storage = new StorageState();
