/**
 * Building a dataset version from the logs a filter selected: which logs become SFT examples
 * (the rules), which pairs of replies become preference pairs, deduplication, and a seeded
 * train/validation split by input, so no input is on both sides. Pure: the same candidates and
 * rules always give the same version, and re-running on every rule change is cheap (live counts).
 */
import { canonicalJson, hash53 } from '../feedback';
import { messageText } from '../log-text';
import type { ChatMessage, LogRecord } from '../types';
import type { BuildCounts, DatasetRules, PreferencePair } from './types';

/** A filtered log with the feedback state that matters to a dataset. */
export interface Candidate {
	id: string;
	log: Pick<LogRecord, 'input' | 'output' | 'tools' | 'parallelToolCalls'>;
	thumb: 1 | -1 | 0;
	correction: ChatMessage | null;
	pairwise: { otherLogId: string; choice: 'this' | 'other' | 'tie' }[];
}

export interface BuildResult {
	train: string[];
	validation: string[];
	pairs: { train: PreferencePair[]; validation: PreferencePair[] };
	counts: BuildCounts;
}

/** Pairs taken per input from 👍 × 👎: enough to learn from, without one input dominating. */
const MAX_THUMB_PAIRS_PER_INPUT = 16;

function normalize(text: string): string {
	return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

const isSystem = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';

/**
 * The input as text, normalized. `withSystem`: include the system prompt (dedupe does, unless
 * the rules replace it); the split leaves it out, as the validator's overlap check does, so two
 * examples asking the same thing under different system prompts never straddle the split.
 */
export function inputKey(input: readonly ChatMessage[], withSystem: boolean): string {
	const messages = withSystem ? input : input.filter((m) => !isSystem(m));
	return normalize(messages.map((m) => `${m.role}: ${messageText(m)}`).join('\n'));
}

function exampleKey(candidate: Candidate, rules: DatasetRules): string {
	const output = candidate.correction ?? candidate.log.output;
	if (rules.dedupe === 'exact') {
		const input =
			rules.systemPrompt !== undefined
				? candidate.log.input.filter((m) => m.role !== 'system')
				: candidate.log.input;
		return hash53(canonicalJson({ input, output, tools: candidate.log.tools ?? null }));
	}
	return hash53(
		`${inputKey(candidate.log.input, rules.systemPrompt === undefined)}\n=> ${normalize(messageText(output))}`
	);
}

/** A number in [0, 1) from the seed and a key: the split's coin, the same on every run. */
function coin(seed: number, key: string): number {
	return parseInt(hash53(`${seed}\u0000${key}`).slice(-8), 36) / 36 ** 8;
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
	return (
		canonicalJson({ c: a.content, t: a.tool_calls ?? null }) ===
		canonicalJson({ c: b.content, t: b.tool_calls ?? null })
	);
}

/** Which candidates become SFT examples, by the rules; the rest are counted as excluded. */
function selected(candidate: Candidate, rules: DatasetRules, counts: BuildCounts): boolean {
	if (candidate.thumb === 1) {
		if (!rules.includeUp) return false;
		counts.up++;
		return true;
	}
	if (candidate.correction) {
		if (!rules.includeDownViaCorrection) return false;
		counts.corrected++;
		return true;
	}
	if (candidate.thumb === 0 && rules.includeUnjudged) {
		counts.unjudged++;
		return true;
	}
	return false;
}

export function buildVersion(candidates: readonly Candidate[], rules: DatasetRules): BuildResult {
	const counts: BuildCounts = {
		candidates: candidates.length,
		up: 0,
		corrected: 0,
		unjudged: 0,
		excluded: 0,
		duplicates: 0,
		train: 0,
		validation: 0,
		pairs: { correction: 0, thumbs: 0, pairwise: 0 }
	};
	const inputOf = new Map<string, string>();
	const keyOf = (candidate: Candidate) => {
		let key = inputOf.get(candidate.id);
		if (key === undefined) {
			key = inputKey(candidate.log.input, false);
			inputOf.set(candidate.id, key);
		}
		return key;
	};

	// Examples, deduplicated (the first of each stays).
	const examples: Candidate[] = [];
	const seen = new Set<string>();
	for (const candidate of candidates) {
		if (!selected(candidate, rules, counts)) {
			counts.excluded++;
			continue;
		}
		if (rules.dedupe !== 'none') {
			const key = exampleKey(candidate, rules);
			if (seen.has(key)) {
				counts.duplicates++;
				continue;
			}
			seen.add(key);
		}
		examples.push(candidate);
	}

	// Split by input: the inputs with the lowest coins, validationPercent of them, are held out.
	const exampleInputSet = new Set(examples.map(keyOf));
	const exampleInputs = [...exampleInputSet];
	const held = Math.round(
		(exampleInputs.length * Math.min(50, Math.max(0, rules.validationPercent))) / 100
	);
	const byCoin = exampleInputs
		.map((key) => ({ key, coin: coin(rules.seed, key) }))
		.sort((a, b) => a.coin - b.coin || (a.key < b.key ? -1 : 1));
	const validationInputs = new Set(byCoin.slice(0, held).map((entry) => entry.key));
	// Inputs with pairs but no example are split by their coin alone.
	const isValidation = (key: string) =>
		validationInputs.has(key) ||
		(!exampleInputSet.has(key) &&
			rules.validationPercent > 0 &&
			coin(rules.seed, key) < rules.validationPercent / 100);

	const train: string[] = [];
	const validation: string[] = [];
	for (const example of examples)
		(validationInputs.has(keyOf(example)) ? validation : train).push(example.id);
	counts.train = train.length;
	counts.validation = validation.length;

	// Preference pairs.
	const byId = new Map(candidates.map((c) => [c.id, c]));
	const pairs: PreferencePair[] = [];
	const pairKeys = new Set<string>();
	const addPair = (pair: PreferencePair) => {
		const key = `${pair.preferred.logId}:${pair.preferred.use}>${pair.rejected.logId}:${pair.rejected.use}`;
		if (pairKeys.has(key)) return;
		pairKeys.add(key);
		pairs.push(pair);
		counts.pairs[pair.source]++;
	};
	const final = (c: Candidate) => c.correction ?? c.log.output;
	const side = (c: Candidate): PreferencePair['preferred'] => ({
		logId: c.id,
		use: c.correction ? 'correction' : 'output'
	});
	for (const c of candidates) {
		if (c.correction && !sameMessage(c.correction, c.log.output))
			addPair({
				preferred: { logId: c.id, use: 'correction' },
				rejected: { logId: c.id, use: 'output' },
				source: 'correction'
			});
	}
	const groups = new Map<string, { up: Candidate[]; down: Candidate[] }>();
	for (const c of candidates) {
		if (c.thumb === 0) continue;
		const key = keyOf(c);
		const group = groups.get(key) ?? { up: [], down: [] };
		(c.thumb === 1 ? group.up : group.down).push(c);
		groups.set(key, group);
	}
	for (const { up, down } of groups.values()) {
		let taken = 0;
		for (const good of up)
			for (const bad of down) {
				if (taken >= MAX_THUMB_PAIRS_PER_INPUT || sameMessage(final(good), bad.log.output))
					continue;
				addPair({
					preferred: side(good),
					rejected: { logId: bad.id, use: 'output' },
					source: 'thumbs'
				});
				taken++;
			}
	}
	for (const c of candidates) {
		for (const entry of c.pairwise) {
			const other = byId.get(entry.otherLogId);
			if (!other || entry.choice === 'tie') continue;
			const [winner, loser] = entry.choice === 'this' ? [c, other] : [other, c];
			if (sameMessage(final(winner), loser.log.output)) continue;
			addPair({
				preferred: side(winner),
				rejected: { logId: loser.id, use: 'output' },
				source: 'pairwise'
			});
		}
	}
	const split = { train: [] as PreferencePair[], validation: [] as PreferencePair[] };
	for (const pair of pairs) {
		const owner = byId.get(pair.preferred.logId);
		if (!owner) continue;
		(isValidation(keyOf(owner)) ? split.validation : split.train).push(pair);
	}
	return { train, validation, pairs: split, counts };
}
