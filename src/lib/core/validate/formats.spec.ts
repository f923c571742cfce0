/**
 * The report on every real file in ../shared/data/formats, asserting the problems each is known
 * to have (see SOURCES.md there) and that clean files stay clean.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorsOf, FORMATS, reportOnFile, warningCodes } from './testing';

describe('validator on the real files in shared/data/formats', () => {
	it('covers every file there', () => {
		expect(readdirSync(FORMATS).sort()).toEqual([
			'autograding-validation_set.crlf.jsonl',
			'cookbook-dbpedia_samples.wrong-schema.jsonl',
			'cookbook-drone_training.jsonl',
			'cookbook-toy_chat_fine_tuning.jsonl',
			'foundry-orca_dpo_pairs.validation.jsonl',
			'foundry-stock_toolcall_training.jsonl',
			'llama-factory-kto_en_demo.json',
			'pirate-training_set.jsonl',
			'self-instruct-ag_news_classify.legacy.jsonl',
			'self-instruct-trec_ABBR.empty.jsonl',
			'self-instruct-wiki_qa.legacy.jsonl'
		]);
	});

	it('toy chat: the row without a user message, the row without a system message, the row over the limit', async () => {
		const report = await reportOnFile(`${FORMATS}/cookbook-toy_chat_fine_tuning.jsonl`, {
			model: 'gpt-3.5-turbo-0613'
		});
		expect(report).toMatchObject({ format: 'openai-chat', examples: 5, encoding: 'cl100k_base' });
		const missingUser = report.warnings.find((w) => w.code === 'missing-user');
		expect(missingUser).toMatchObject({ line: 4, count: 1 });
		const missingSystem = report.warnings.find((w) => w.code === 'missing-system');
		expect(missingSystem).toMatchObject({ line: 3, count: 1 });
		expect(errorsOf(report)).toEqual(['file: too-few-examples', '5: over-context-limit']);
		expect(report.errors[1].message).toMatch(
			/8,0\d\d tokens, over gpt-3\.5-turbo-0613's limit of 4,096/
		);
		expect(report.warnings.find((w) => w.code === 'long-example')).toMatchObject({ line: 5 });
		expect(report.fixes.dropOverLength).toEqual([5]);
		expect(report.tokens.overLimit).toBe(1);
		// Billed tokens count the long row only up to the limit.
		expect(report.billedTokens).toBe(report.tokens.total - report.tokens.perExample.max + 4096);
		// 5 examples: 3 epochs would be 15 < 100, so 100 // 5 = 20.
		expect(report.epochs).toBe(20);
		expect(report.tokens.messagesPerExample).toMatchObject({ min: 2, max: 9, median: 3 });
	});

	it('toy chat for gpt-4o-mini: o200k_base, the long row fits its 65,536-token limit', async () => {
		const report = await reportOnFile(`${FORMATS}/cookbook-toy_chat_fine_tuning.jsonl`);
		expect(report).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', encoding: 'o200k_base' });
		expect(errorsOf(report)).toEqual(['file: too-few-examples']);
		expect(report.billedTokens).toBe(report.tokens.total);
	});

	it('drone: tool calls with no content are valid; tools and parallel_tool_calls are counted', async () => {
		const report = await reportOnFile(`${FORMATS}/cookbook-drone_training.jsonl`);
		expect(report).toMatchObject({ format: 'openai-chat', examples: 103, validExamples: 103 });
		expect(report.errors).toEqual([]);
		// Only templated requests that differ in one word ("switch the camera to video mode" /
		// "to panorama mode").
		expect(new Set(warningCodes(report))).toEqual(new Set(['near-duplicate']));
		expect(report.warnings[0]).toMatchObject({ line: 21, lines: [21, 25] });
		// The tools array (about 700 tokens) is part of every example's tokens.
		expect(report.tokens.perExample.min).toBeGreaterThan(700);
		expect(report.tokens.assistantPerExample.max).toBeLessThan(30);
	});

	it('foundry tool calling: valid, and the advice to add examples', async () => {
		const report = await reportOnFile(`${FORMATS}/foundry-stock_toolcall_training.jsonl`);
		expect(report).toMatchObject({ examples: 86, validExamples: 86 });
		expect(report.errors).toEqual([]);
		expect(warningCodes(report)).toContain('few-examples');
		// "opening price of Chevron's stock" vs "of IBM's stock": one word apart.
		expect(report.warnings.find((w) => w.code === 'near-duplicate')).toMatchObject({
			lines: [3, 37]
		});
	});

	it('the 0-byte file is an error: no examples', async () => {
		const report = await reportOnFile(`${FORMATS}/self-instruct-trec_ABBR.empty.jsonl`);
		expect(report).toMatchObject({ format: 'empty', lines: 0, examples: 0 });
		expect(errorsOf(report)).toEqual(['file: empty-file']);
	});

	it('the DPO file: 284 valid preference pairs', async () => {
		const report = await reportOnFile(`${FORMATS}/foundry-orca_dpo_pairs.validation.jsonl`);
		expect(report).toMatchObject({ format: 'openai-dpo', examples: 284, validExamples: 284 });
		expect(report.errors).toEqual([]);
		expect(report.stats.systemPrompts).toBe(1);
		expect(report.tokens.assistant).toBeGreaterThan(0);
	});

	it('the DPO file for gpt-3.5: preference training is not offered for it', async () => {
		const report = await reportOnFile(`${FORMATS}/foundry-orca_dpo_pairs.validation.jsonl`, {
			model: 'gpt-3.5-turbo-0125'
		});
		expect(errorsOf(report)).toEqual(['file: format-model-mismatch']);
	});

	it('the CRLF file reads cleanly and its 35 repeated rows are found', async () => {
		const report = await reportOnFile(`${FORMATS}/autograding-validation_set.crlf.jsonl`);
		expect(report).toMatchObject({ examples: 60, validExamples: 60 });
		expect(report.stats.lineEndings).toBe('crlf');
		expect(report.errors).toEqual([]);
		expect(report.stats.duplicates).toBe(35);
		expect(report.fixes.dropDuplicates).toHaveLength(35);
		const first = report.warnings.find((w) => w.code === 'duplicate');
		expect(first).toMatchObject({ line: 1, lines: [1, 50] });
	});

	it('the wrong-schema file: every line is reported as not a fine-tuning line', async () => {
		const report = await reportOnFile(`${FORMATS}/cookbook-dbpedia_samples.wrong-schema.jsonl`);
		expect(report.format).toBe('unknown');
		expect(report.errorCounts['unknown-format']).toBe(200);
		expect(report.errors[1]).toMatchObject({ line: 1, code: 'unknown-format' });
		expect(report.errors[1].message).toContain('fields: text, category');
	});

	it('the pirate file is clean but small', async () => {
		const report = await reportOnFile(`${FORMATS}/pirate-training_set.jsonl`);
		expect(report.errors).toEqual([]);
		expect(warningCodes(report)).toEqual(['few-examples']);
		expect(report.epochs).toBe(10);
	});

	it('a JSON array (LLaMA-Factory KTO) is not JSON Lines; its items are still checked', async () => {
		const report = await reportOnFile(`${FORMATS}/llama-factory-kto_en_demo.json`);
		expect(errorsOf(report)).toEqual(['file: not-jsonl']);
		expect(report.examples).toBe(300);
		expect(report.warnings.find((w) => w.code === 'unknown-field')?.message).toContain('label');
		expect(report.warnings.find((w) => w.code === 'missing-system')?.count).toBe(300);
	});

	it('legacy ag_news: prepare_data advice (leading space, classification), separators found', async () => {
		const report = await reportOnFile(`${FORMATS}/self-instruct-ag_news_classify.legacy.jsonl`);
		expect(report).toMatchObject({ format: 'legacy', model: 'davinci-002', examples: 200 });
		expect(report.errors).toEqual([]);
		expect(report.stats.legacy?.completionSuffix).toBe('<|endoftext|>');
		expect(report.stats.legacy?.promptSuffix).toContain(
			'What label best describes this news article?\n'
		);
		expect(warningCodes(report)).toEqual(
			expect.arrayContaining(['legacy-no-leading-space', 'legacy-classification'])
		);
		expect(warningCodes(report)).not.toContain('legacy-no-separator');
	});

	it('legacy wiki_qa: shared prefixes, too few examples, and not for a chat model', async () => {
		const report = await reportOnFile(`${FORMATS}/self-instruct-wiki_qa.legacy.jsonl`);
		expect(errorsOf(report)).toEqual(['file: too-few-examples']);
		expect(warningCodes(report)).toEqual(
			expect.arrayContaining(['legacy-prompt-prefix', 'legacy-completion-prefix'])
		);
		const chat = await reportOnFile(`${FORMATS}/self-instruct-wiki_qa.legacy.jsonl`, {
			model: 'gpt-4o-mini-2024-07-18'
		});
		expect(errorsOf(chat)).toContain('file: format-model-mismatch');
	});
});
