/**
 * From a version's log ids and pairs to what the writers take: an example's output is the
 * user's correction when there is one; a pair side is the log's output or its correction.
 */
import type { Candidate } from '../dataset/build';
import type { PreferencePair } from '../dataset/types';
import type { ExportExample, ExportPair } from './messages';

export type ExportLog = Pick<Candidate, 'log' | 'correction'>;

export function exampleOf(item: ExportLog): ExportExample {
	const { log } = item;
	return {
		input: log.input,
		output: item.correction ?? log.output,
		tools: log.tools,
		parallelToolCalls: log.parallelToolCalls
	};
}

/** The pair as messages; null when a side's log (or its correction) is gone. */
export function pairOf(
	pair: PreferencePair,
	logs: ReadonlyMap<string, ExportLog>
): ExportPair | null {
	const preferred = logs.get(pair.preferred.logId);
	const rejected = logs.get(pair.rejected.logId);
	if (!preferred || !rejected) return null;
	const message = (item: ExportLog, use: 'output' | 'correction') =>
		use === 'correction' ? item.correction : item.log.output;
	const good = message(preferred, pair.preferred.use);
	const bad = message(rejected, pair.rejected.use);
	if (!good || !bad) return null;
	return {
		input: preferred.log.input,
		tools: preferred.log.tools,
		parallelToolCalls: preferred.log.parallelToolCalls,
		preferred: good,
		rejected: bad
	};
}
