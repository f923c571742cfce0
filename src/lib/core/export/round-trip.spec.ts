/**
 * Every export re-imports into Tuneloop and re-validates clean: real files are parsed by the
 * importer, turned into dataset candidates (with the feedback they carry), built into a version,
 * exported, parsed again by the importer and validated.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildVersion, type Candidate } from '../dataset/build';
import { defaultRules } from '../dataset/types';
import { collect } from '../import/testing';
import { parseFile } from '../import/parse-file';
import type { ParsedRecord } from '../types';
import { reportOnLines } from '../validate/testing';
import { exampleOf, pairOf } from './resolve';
import {
	legacyLines,
	openAiDpoLines,
	openAiSftLines,
	trlPreferenceLines,
	trlSftLines
} from './writers';

const FORMATS = '/work/shared/data/formats';

async function records(file: string): Promise<ParsedRecord[]> {
	const stream = Readable.toWeb(
		createReadStream(`${FORMATS}/${file}`)
	) as ReadableStream<Uint8Array>;
	const out: ParsedRecord[] = [];
	for await (const event of parseFile(stream, { fileName: file }))
		if (event.type === 'record') out.push(event.record);
	return out;
}

/** Candidates from imported records: thumbs from labels, pairwise choices between a record's logs. */
function candidates(recs: ParsedRecord[]): Candidate[] {
	const out: Candidate[] = [];
	recs.forEach((record, r) => {
		const ids = record.logs.map((_, i) => `r${r}l${i}`);
		record.logs.forEach((log, i) => {
			const candidate: Candidate = { id: ids[i], log, thumb: 0, correction: null, pairwise: [] };
			for (const f of record.feedback) {
				if (f.logIndex !== i) continue;
				if (f.body.kind === 'thumb') candidate.thumb = f.body.value ?? 0;
				if (f.body.kind === 'correction') candidate.correction = f.body.output;
				if (f.body.kind === 'pairwise')
					candidate.pairwise.push({ otherLogId: ids[f.body.otherLogIndex], choice: f.body.choice });
			}
			out.push(candidate);
		});
	});
	return out;
}

async function reimport(lines: string[]) {
	const events = await collect(lines.join('\n') + '\n');
	const rejected = events.filter((e) => e.type === 'rejected');
	expect(rejected).toEqual([]);
	return events.flatMap((e) => (e.type === 'record' ? [e.record] : []));
}

const all = {
	...defaultRules(),
	includeUnjudged: true,
	dedupe: 'none' as const,
	validationPercent: 0
};

describe('export → import → validate', () => {
	it('OpenAI SFT from tool-calling files keeps every message and tool call, and validates clean', async () => {
		for (const file of ['cookbook-drone_training.jsonl', 'foundry-stock_toolcall_training.jsonl']) {
			const source = candidates(await records(file));
			const version = buildVersion(source, all);
			expect(version.train).toHaveLength(source.length);
			const byId = new Map(source.map((c) => [c.id, c]));
			const lines = [...openAiSftLines(version.train.map((id) => exampleOf(byId.get(id)!)))];
			const again = await reimport(lines);
			expect(again.map((r) => r.format)).toEqual(lines.map(() => 'openai-chat'));
			again.forEach((record, i) => {
				const original = byId.get(version.train[i])!.log;
				expect(record.logs[0].input).toEqual(original.input);
				expect(record.logs[0].output).toEqual(original.output);
				expect(record.logs[0].tools).toEqual(original.tools);
			});
			const report = await reportOnLines(lines);
			expect(report.errors).toEqual([]);
			expect(report.examples).toBe(source.length);
		}
	});

	it('multi-turn SFT with earlier turns skipped: weight 0 on them, 1 on the final reply', async () => {
		const source = candidates(await records('cookbook-toy_chat_fine_tuning.jsonl'));
		const lines = [
			...openAiSftLines(source.map(exampleOf), { earlierTurns: 'skip', systemPrompt: 'Be kind.' })
		];
		const multi = JSON.parse(lines[1]) as { messages: { role: string; weight?: number }[] };
		expect(multi.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
		expect(multi.messages.filter((m) => m.role === 'assistant').map((m) => m.weight)).toEqual([
			0, 0, 0, 1
		]);
		await reimport(lines);
		const report = await reportOnLines(lines);
		expect(report.errors.map((e) => e.code)).toEqual(['too-few-examples']);
		expect(report.stats.missingSystem).toBe(0);
	});

	it('OpenAI DPO from the DPO file (explicit preferences) round-trips pair for pair and validates clean', async () => {
		const source = candidates(await records('foundry-orca_dpo_pairs.validation.jsonl'));
		const version = buildVersion(source, { ...all, includeUnjudged: false });
		expect(version.counts.pairs.pairwise).toBe(284);
		const byId = new Map(source.map((c) => [c.id, c]));
		const pairs = version.pairs.train.map((p) => pairOf(p, byId)!);
		const lines = [...openAiDpoLines(pairs)];
		const again = await reimport(lines);
		expect(again.every((r) => r.format === 'openai-dpo')).toBe(true);
		expect(again[0].logs[0].output).toEqual(source[0].log.output);
		expect(again[0].logs[1].output).toEqual(source[1].log.output);
		const report = await reportOnLines(lines);
		expect(report).toMatchObject({ format: 'openai-dpo', examples: 284, validExamples: 284 });
		expect(report.errors).toEqual([]);
	});

	it('DPO pairs from corrections and from 👍 over 👎 on the same input', () => {
		const input = [{ role: 'user' as const, content: 'Capital of France?' }];
		const out = (content: string) => ({ role: 'assistant' as const, content });
		const source: Candidate[] = [
			{ id: 'a', log: { input, output: out('Paris.') }, thumb: 1, correction: null, pairwise: [] },
			{
				id: 'b',
				log: { input, output: out('Lyon.') },
				thumb: -1,
				correction: out('Paris, of course.'),
				pairwise: []
			},
			{
				id: 'c',
				log: { input, output: out('Marseille.') },
				thumb: -1,
				correction: null,
				pairwise: []
			}
		];
		const version = buildVersion(source, defaultRules());
		expect(version.counts.pairs).toEqual({ correction: 1, thumbs: 2, pairwise: 0 });
		const byId = new Map(source.map((c) => [c.id, c]));
		const pairs = [...version.pairs.train, ...version.pairs.validation].map((p) =>
			pairOf(p, byId)!
		);
		expect(pairs.map((p) => [p.preferred.content, p.rejected.content])).toEqual([
			['Paris, of course.', 'Lyon.'],
			['Paris.', 'Lyon.'],
			['Paris.', 'Marseille.']
		]);
		// SFT: the 👍 log and the corrected 👎 (with its correction); not the plain 👎.
		expect([...version.train, ...version.validation].sort()).toEqual(['a', 'b']);
	});

	it('legacy prompt/completion: separator, leading space and stop sequence; re-imports as legacy; validates clean', async () => {
		const source = candidates(await records('pirate-training_set.jsonl'));
		const lines = [...legacyLines(source.map(exampleOf))];
		const first = JSON.parse(lines[0]) as { prompt: string; completion: string };
		expect(first.prompt.endsWith('\n\n###\n\n')).toBe(true);
		expect(first.completion.startsWith(' Ahoy')).toBe(true);
		expect(first.completion.endsWith(' END')).toBe(true);
		const again = await reimport(lines);
		expect(again.every((r) => r.format === 'legacy')).toBe(true);
		const report = await reportOnLines(lines);
		expect(report).toMatchObject({ format: 'legacy', model: 'davinci-002' });
		expect(report.errors).toEqual([]);
		expect(report.warnings.map((w) => w.code)).not.toContain('legacy-no-separator');
		expect(report.warnings.map((w) => w.code)).not.toContain('legacy-no-leading-space');
	});

	it('TRL: messages lines validate as chat; prompt/chosen/rejected re-import as preference pairs', async () => {
		const kto = candidates(await records('llama-factory-kto_en_demo.json'));
		const sft = [...trlSftLines(kto.filter((c) => c.thumb === 1).map(exampleOf))];
		await reimport(sft);
		const report = await reportOnLines(sft);
		expect(report.errors).toEqual([]);
		const orca = candidates(await records('foundry-orca_dpo_pairs.validation.jsonl'));
		const version = buildVersion(orca, all);
		const byId = new Map(orca.map((c) => [c.id, c]));
		const lines = [...trlPreferenceLines(version.pairs.train.map((p) => pairOf(p, byId)!))];
		const again = await reimport(lines);
		expect(again.every((r) => r.format === 'preference')).toBe(true);
		expect(again[0].logs[0].output).toEqual(orca[0].log.output);
		expect(again[0].feedback[0].body).toEqual({
			kind: 'pairwise',
			otherLogIndex: 1,
			choice: 'this'
		});
	});
});
