/**
 * One split of a dataset version as training-file lines in a chosen format, with which version
 * item each line came from (a log id for example formats, a pair index for preference formats),
 * so a finding on line n can be traced back and a fix can drop exactly that item.
 */
import type { DatasetVersionRecord } from '../dataset/types';
import { exampleOf, pairOf, type ExportLog } from './resolve';
import {
	EXPORT_FORMATS,
	legacyLines,
	openAiDpoLines,
	openAiSftLines,
	trlPreferenceLines,
	trlSftLines,
	type ExportFormat
} from './writers';

export type Split = 'train' | 'validation';

export interface ExportSettings {
	format: ExportFormat;
	/** Multi-turn SFT: leave earlier assistant turns trained, or give them weight 0. */
	earlierTurns?: 'train' | 'skip';
}

export function isPairFormat(format: ExportFormat): boolean {
	return EXPORT_FORMATS.find((f) => f.id === format)?.pairs ?? false;
}

/** The log ids a split needs loaded for this format. */
export function idsNeeded(
	version: DatasetVersionRecord,
	split: Split,
	format: ExportFormat
): string[] {
	if (!isPairFormat(format)) return version[split];
	return version.pairs[split].flatMap((pair) => [pair.preferred.logId, pair.rejected.logId]);
}

export interface VersionLines {
	lines: string[];
	/** items[i] is the source of line i + 1: a log id, or a pair index. */
	items: (string | number)[];
}

export function versionLines(
	version: DatasetVersionRecord,
	split: Split,
	settings: ExportSettings,
	logs: ReadonlyMap<string, ExportLog>
): VersionLines {
	const systemPrompt = version.rules.systemPrompt;
	const lines: string[] = [];
	const items: (string | number)[] = [];
	if (isPairFormat(settings.format)) {
		version.pairs[split].forEach((pair, index) => {
			const resolved = pairOf(pair, logs);
			if (!resolved) return;
			const write = settings.format === 'openai-dpo' ? openAiDpoLines : trlPreferenceLines;
			for (const line of write([resolved], { systemPrompt })) lines.push(line);
			items.push(index);
		});
		return { lines, items };
	}
	for (const id of version[split]) {
		const log = logs.get(id);
		if (!log) continue;
		const example = exampleOf(log);
		const generated =
			settings.format === 'openai-sft'
				? openAiSftLines([example], { systemPrompt, earlierTurns: settings.earlierTurns })
				: settings.format === 'legacy'
					? legacyLines([example], { systemPrompt })
					: trlSftLines([example], { systemPrompt });
		for (const line of generated) lines.push(line);
		items.push(id);
	}
	return { lines, items };
}
