/**
 * From feedback to labels: what the model learns from a project's logs.
 *
 * - 👍 / 👎 in effect → a pointwise label (1 / 0);
 * - a 1–5 rating without a thumb → 👍 for 4–5, 👎 for 1–2 (3 says nothing either way);
 * - a correction → a pair: the corrected output is preferred over the original;
 * - a pairwise choice between two logs → a pair ('tie' says nothing).
 *
 * The user's own verdict overrides imported end-user feedback (deriveLogState decides that).
 */
import type { LogState } from '../feedback';
import { messageText } from '../log-text';
import type { ChatMessage, LogRecord } from '../types';
import { DatasetBuilder } from './dataset';
import type { Example, LabelCounts, PrefDataset } from './types';

/** The input a log answers, as the model reads it: one `role: text` line per message. */
export function inputText(input: readonly ChatMessage[]): string {
	return input.map((m) => `${m.role}: ${messageText(m)}`).join('\n');
}

export function exampleOf(log: Pick<LogRecord, 'input' | 'output'>): Example {
	return { input: inputText(log.input), output: messageText(log.output) };
}

export interface LabeledLog {
	log: Pick<LogRecord, 'id' | 'input' | 'output'>;
	state: LogState;
}

export function emptyCounts(): LabelCounts {
	return { thumbsUp: 0, thumbsDown: 0, ratings: 0, corrections: 0, pairs: 0 };
}

/**
 * Labels of a project. `others` resolves the other log of a pairwise choice (null when it is
 * gone: that choice is skipped).
 */
export function collectLabels(
	labeled: readonly LabeledLog[],
	others: (logId: string) => Pick<LogRecord, 'input' | 'output'> | null
): { data: PrefDataset; counts: LabelCounts } {
	const builder = new DatasetBuilder();
	const counts = emptyCounts();
	const seenPairs = new Set<string>();
	for (const { log, state } of labeled) {
		const example = exampleOf(log);
		if (state.thumb !== 0) {
			builder.point(example, state.thumb === 1 ? 1 : 0);
			if (state.thumb === 1) counts.thumbsUp++;
			else counts.thumbsDown++;
		} else if (state.rating !== null && state.rating !== 3) {
			builder.point(example, state.rating >= 4 ? 1 : 0);
			counts.ratings++;
		}
		if (state.correction) {
			const corrected = { input: example.input, output: messageText(state.correction) };
			if (corrected.output.trim() !== '' && corrected.output !== example.output) {
				builder.pair(corrected, example);
				counts.corrections++;
			}
		}
		for (const entry of state.pairwise) {
			if (entry.choice === 'tie') continue;
			// A choice may be recorded on both logs; count it once.
			const key = [log.id, entry.otherLogId].sort().join('|');
			if (seenPairs.has(key)) continue;
			seenPairs.add(key);
			const other = others(entry.otherLogId);
			if (!other) continue;
			const otherExample = exampleOf(other);
			if (entry.choice === 'this') builder.pair(example, otherExample);
			else builder.pair(otherExample, example);
			counts.pairs++;
		}
	}
	return { data: builder.build(), counts };
}
