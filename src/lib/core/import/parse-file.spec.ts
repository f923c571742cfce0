import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ParseEvent } from './parse-file';
import { collect, rejections, tally } from './testing';

const FORMATS = '/work/shared/data/formats';
const SUITE = '/work/shared/data/malformed/JSONTestSuite/test_parsing';

function fileStream(name: string): ReadableStream<Uint8Array> {
	return Readable.toWeb(createReadStream(`${FORMATS}/${name}`)) as ReadableStream<Uint8Array>;
}

async function parseDataFile(name: string): Promise<ParseEvent[]> {
	return collect(fileStream(name), { fileName: name });
}

const GOOD =
	'{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}';

describe('the shared data files', () => {
	it('toy chat: 5 chat lines, including one without a user and one without a system message', async () => {
		const events = await parseDataFile('cookbook-toy_chat_fine_tuning.jsonl');
		expect(tally(events)).toMatchObject({
			lines: 5,
			accepted: 5,
			rejected: 0,
			blank: 0,
			formats: { 'openai-chat': 5 }
		});
		const noUser = events[3];
		expect(noUser.type === 'record' && noUser.record.logs[0].input.map((m) => m.role)).toEqual([
			'system'
		]);
		const long = events[4];
		expect(
			long.type === 'record' && (long.record.logs[0].output.content as string).length
		).toBeGreaterThan(25_000);
	});

	it('drone training: 103 function-calling lines with tools and content-less tool calls', async () => {
		const events = await parseDataFile('cookbook-drone_training.jsonl');
		expect(tally(events)).toMatchObject({
			lines: 103,
			accepted: 103,
			formats: { 'openai-chat': 103 }
		});
		for (const event of events) {
			if (event.type !== 'record') throw new Error('expected records only');
			const log = event.record.logs[0];
			expect(log.tools?.length).toBeGreaterThan(0);
			expect(log.parallelToolCalls).toBe(false);
			expect(log.output.content).toBeNull();
			expect(log.output.tool_calls?.[0].type).toBe('function');
		}
	});

	it('dbpedia: 200 valid JSON lines of a shape that is no log format', async () => {
		const events = await parseDataFile('cookbook-dbpedia_samples.wrong-schema.jsonl');
		expect(tally(events)).toMatchObject({ lines: 200, accepted: 0, rejected: 200 });
		for (const { reason } of rejections(events))
			expect(reason).toBe(
				'valid JSON, but not a log format Tuneloop knows (fields: text, category); map its fields in the import dialog'
			);
	});

	it('dbpedia with a field mapping: 200 mapped logs', async () => {
		const events = await collect(fileStream('cookbook-dbpedia_samples.wrong-schema.jsonl'), {
			fileName: 'cookbook-dbpedia_samples.wrong-schema.jsonl',
			mapping: { input: 'text', output: 'category' }
		});
		expect(tally(events)).toMatchObject({ lines: 200, accepted: 200, formats: { mapped: 200 } });
		const first = events[0];
		expect(first.type === 'record' && first.record.logs[0].output).toEqual({
			role: 'assistant',
			content: 'Company'
		});
	});

	it('pirate: 10 clean chat lines', async () => {
		expect(tally(await parseDataFile('pirate-training_set.jsonl'))).toMatchObject({
			lines: 10,
			accepted: 10
		});
	});

	it('autograding: 60 CRLF lines, no \\r left in the content', async () => {
		const events = await parseDataFile('autograding-validation_set.crlf.jsonl');
		expect(tally(events)).toMatchObject({
			lines: 60,
			accepted: 60,
			formats: { 'openai-chat': 60 }
		});
		const last = events[59];
		expect(last.type === 'record' && last.record.logs[0].output.content).toBe(' Score: 0/10');
	});

	it('foundry tool calling: 86 lines, 36 of them ending in a tool call', async () => {
		const events = await parseDataFile('foundry-stock_toolcall_training.jsonl');
		expect(tally(events)).toMatchObject({
			lines: 86,
			accepted: 86,
			formats: { 'openai-chat': 86 }
		});
		const toolCalls = events.filter(
			(e) => e.type === 'record' && e.record.logs[0].output.tool_calls
		);
		expect(toolCalls).toHaveLength(36);
	});

	it('orca DPO: 284 lines (no final newline) give 568 logs and 284 preferences', async () => {
		const events = await parseDataFile('foundry-orca_dpo_pairs.validation.jsonl');
		expect(tally(events)).toMatchObject({
			lines: 284,
			accepted: 284,
			logs: 568,
			feedback: 284,
			formats: { 'openai-dpo': 284 }
		});
		expect(events.at(-1)).toMatchObject({ type: 'record', line: 284 });
	});

	it('legacy prompt/completion: ag_news 200, wiki_qa 8', async () => {
		expect(tally(await parseDataFile('self-instruct-ag_news_classify.legacy.jsonl'))).toMatchObject(
			{
				lines: 200,
				accepted: 200,
				formats: { legacy: 200 }
			}
		);
		expect(tally(await parseDataFile('self-instruct-wiki_qa.legacy.jsonl'))).toMatchObject({
			lines: 8,
			accepted: 8,
			formats: { legacy: 8 }
		});
	});

	it('an empty file: nothing at all', async () => {
		expect(await parseDataFile('self-instruct-trec_ABBR.empty.jsonl')).toEqual([]);
	});

	it('KTO demo: a pretty-printed JSON array of 300 chats with thumbs, 150 up and 150 down', async () => {
		const events = await parseDataFile('llama-factory-kto_en_demo.json');
		expect(tally(events)).toMatchObject({
			lines: 300,
			accepted: 300,
			logs: 300,
			feedback: 300,
			formats: { 'feedback-log': 300 }
		});
		const thumbs = events.flatMap((e) =>
			e.type === 'record' && e.record.feedback[0].body.kind === 'thumb'
				? [e.record.feedback[0].body.value]
				: []
		);
		expect(thumbs.filter((t) => t === 1)).toHaveLength(150);
		expect(thumbs.filter((t) => t === -1)).toHaveLength(150);
		// Each item is located on the line where it starts.
		expect(events[0]).toMatchObject({ type: 'record', line: 2 });
		const text = readFileSync(`${FORMATS}/llama-factory-kto_en_demo.json`, 'utf8').split('\n');
		for (const event of events) expect(text[(event as { line: number }).line - 1]).toBe('  {');
	});

	it('gives the same events whatever the chunk size', async () => {
		const sizes: [string, number[]][] = [
			['llama-factory-kto_en_demo.json', [17, 1000]],
			['autograding-validation_set.crlf.jsonl', [1, 2, 1000]]
		];
		for (const [name, chunkSizes] of sizes) {
			const bytes = new Uint8Array(readFileSync(`${FORMATS}/${name}`));
			const reference = await collect(bytes, { fileName: name });
			for (const chunkSize of chunkSizes)
				expect(await collect(bytes, { fileName: name, chunkSize })).toEqual(reference);
		}
	});
});

describe('JSONTestSuite lines between two good chat lines', () => {
	const encoder = new TextEncoder();
	const cases = readdirSync(SUITE).sort();

	function surrounded(content: Uint8Array): Uint8Array {
		// One trailing newline belongs to the file, not to the line.
		const body = content.at(-1) === 0x0a ? content.subarray(0, -1) : content;
		return new Uint8Array([
			...encoder.encode(`${GOOD}\n`),
			...body,
			...encoder.encode(`\n${GOOD}\n`)
		]);
	}

	it.each(cases.filter((name) => name.startsWith('n_')))(
		'%s is rejected, its neighbours kept',
		async (name) => {
			const content = new Uint8Array(readFileSync(`${SUITE}/${name}`));
			const events = await collect(surrounded(content));
			const t = tally(events);
			expect(t.fileError).toBeUndefined();
			expect(events[0]).toMatchObject({ type: 'record', line: 1 });
			expect(events.at(-1)).toMatchObject({ type: 'record', line: t.lines });
			expect(t.accepted + t.rejected + t.blank).toBe(t.lines);
			const middle = events.slice(1, -1);
			const body = new TextDecoder().decode(content).replace(/^\uFEFF/, '');
			if (body.trim() === '') {
				// n_single_space, n_structure_no_data, n_structure_UTF8_BOM_no_data: an empty line.
				expect(middle).toEqual([{ type: 'blank', line: 2 }]);
				return;
			}
			expect(middle[0]).toMatchObject({ type: 'rejected', line: 2 });
			for (const event of middle) {
				expect(event.type).not.toBe('record');
				if (event.type === 'rejected') expect(event.reason.length).toBeGreaterThan(10);
			}
		}
	);

	it.each(cases.filter((name) => name.startsWith('y_') || name.startsWith('i_')))(
		'%s never throws, and the counts add up',
		async (name) => {
			const events = await collect(surrounded(new Uint8Array(readFileSync(`${SUITE}/${name}`))));
			const t = tally(events);
			expect(t.fileError).toBeUndefined();
			expect(t.accepted).toBeGreaterThanOrEqual(2);
			expect(t.accepted + t.rejected + t.blank).toBe(t.lines);
			for (const { reason } of rejections(events)) expect(reason).toMatch(/\S{3}/);
		}
	);

	it('never throws on any case read as a whole .json file, and the counts add up', async () => {
		for (const name of cases) {
			const events = await collect(new Uint8Array(readFileSync(`${SUITE}/${name}`)), {
				fileName: name
			});
			const t = tally(events);
			if (t.fileError) expect(events, name).toHaveLength(1);
			expect(t.accepted + t.rejected + t.blank, name).toBe(t.lines);
			expect(t.accepted, name).toBe(0);
		}
	});

	it('reads the deep-nesting cases as their own files too', async () => {
		for (const name of [
			'i_structure_500_nested_arrays.json',
			'n_structure_100000_opening_arrays.json',
			'n_structure_open_array_object.json'
		]) {
			const events = await collect(new Uint8Array(readFileSync(`${SUITE}/${name}`)), {
				fileName: name
			});
			expect(events.length, name).toBeGreaterThan(0);
			expect(events.every((e) => e.type !== 'record')).toBe(true);
		}
	});
});

describe('edge cases', () => {
	it('strips a BOM, handles CRLF and a last line without a newline', async () => {
		const events = await collect(`\uFEFF${GOOD}\r\n${GOOD}\r\n\r\n${GOOD}`);
		expect(events.map((e) => e.type)).toEqual(['record', 'record', 'blank', 'record']);
	});

	it('rejects one line of broken UTF-8 and keeps the rest', async () => {
		const encoder = new TextEncoder();
		const bytes = new Uint8Array([
			...encoder.encode(`${GOOD}\n{"messages": "caf`),
			0xe9,
			...encoder.encode(`"}\n${GOOD}\n`)
		]);
		const events = await collect(bytes);
		expect(events.map((e) => e.type)).toEqual(['record', 'rejected', 'record']);
		expect(rejections(events)[0]).toEqual({
			line: 2,
			reason: 'invalid UTF-8 at byte 18 (0xE9): save the file as UTF-8'
		});
		expect(events[1].type === 'rejected' && events[1].raw).toBe('{"messages": "caf\uFFFD"}');
	});

	it('reads a 5 MB line that arrives in 1 KB chunks', async () => {
		const big = JSON.stringify({
			messages: [
				{ role: 'user', content: 'Summarise' },
				{ role: 'assistant', content: 'word '.repeat(1024 * 1024) }
			]
		});
		expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
		const events = await collect(`${GOOD}\n${big}\n${GOOD}\n`, { chunkSize: 1024 });
		expect(tally(events)).toMatchObject({ lines: 3, accepted: 3 });
		const middle = events[1];
		expect(
			middle.type === 'record' && (middle.record.logs[0].output.content as string).length
		).toBe(5 * 1024 * 1024);
	});

	it('refuses a pretty-printed object in a .jsonl, saying how to fix it', async () => {
		const pretty = JSON.stringify(JSON.parse(GOOD), null, 2);
		const events = await collect(pretty, { fileName: 'export.jsonl' });
		expect(events).toEqual([
			{
				type: 'file-error',
				reason:
					'this is one pretty-printed JSON object, not JSON Lines: put each record on one line (e.g. `jq -c . file > file.jsonl`)'
			}
		]);
	});

	it('reads pretty-printed objects in a .json file one by one', async () => {
		const pretty = JSON.stringify(JSON.parse(GOOD), null, 2);
		const events = await collect(`${pretty}\n${pretty}\n`, { fileName: 'export.json' });
		expect(events).toMatchObject([
			{ type: 'record', line: 1 },
			{ type: 'record', line: 13 }
		]);
	});

	it('reads a JSON array in a single line, and reports items it cannot read in place', async () => {
		const events = await collect(`[${GOOD}, {"messages": [}, 42, ${GOOD}]`, {
			fileName: 'logs.json'
		});
		expect(events.map((e) => e.type)).toEqual(['record', 'rejected', 'rejected', 'record']);
		expect(rejections(events).map((r) => r.reason)).toEqual([
			"invalid JSON at column 15: Unexpected token '}'",
			'valid JSON, but a number, not an object: a log is one JSON object'
		]);
	});

	it('says when a JSON array is cut short, or followed by more text', async () => {
		const cut = await collect(`[\n${GOOD},\n${GOOD.slice(0, 40)}`, { fileName: 'logs.json' });
		expect(cut.map((e) => e.type)).toEqual(['record', 'rejected']);
		expect(rejections(cut)[0]).toEqual({
			line: 3,
			reason: 'the file ends inside this item: the JSON is not closed (is the file cut short?)'
		});
		const trailing = await collect(`[${GOOD}]\n]`, { fileName: 'logs.json' });
		expect(rejections(trailing)).toEqual([
			{ line: 2, reason: 'text after the end of the JSON array' }
		]);
	});

	it('rejects a Python dict line with the fix', async () => {
		const events = await collect(
			`${GOOD}\n{'messages': [{'role': 'user', 'content': 'Hi'}], 'ok': True}\n${GOOD}\n`
		);
		expect(rejections(events)).toEqual([
			{
				line: 2,
				reason:
					'looks like a Python dict (single quotes/True/None), not JSON: write the file with json.dumps(...) / json.dump'
			}
		]);
	});

	it('locates invalid JSON by column', async () => {
		const events = await collect(`${GOOD}\n{"messages": [1, 2,]}\n`);
		expect(rejections(events)).toEqual([
			{ line: 2, reason: "invalid JSON at column 20: Unexpected token ']' (a trailing comma?)" }
		]);
	});

	it('refuses binary files: random bytes with NULs, and a PNG', async () => {
		let seed = 1;
		const random = new Uint8Array(4096).map(() => {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			return seed >> 16;
		});
		expect(await collect(random, { fileName: 'data.jsonl' })).toEqual([
			{
				type: 'file-error',
				reason: 'this looks like a binary file, not text (JSON Lines, JSON or CSV)'
			}
		]);
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		expect(await collect(png, { fileName: 'logs.jsonl' })).toEqual([
			{ type: 'file-error', reason: 'this is a PNG image, not a log file' }
		]);
	});

	it('refuses UTF-16, with or without a BOM', async () => {
		const text = `${GOOD}\n${GOOD}\n`;
		const le = new Uint8Array(text.length * 2);
		for (let i = 0; i < text.length; i++) le[i * 2] = text.charCodeAt(i);
		const reason = 'this file is UTF-16; save it as UTF-8';
		expect(await collect(le)).toEqual([{ type: 'file-error', reason }]);
		expect(await collect(new Uint8Array([0xff, 0xfe, ...le]))).toEqual([
			{ type: 'file-error', reason }
		]);
		const be = new Uint8Array([0, ...le.subarray(0, -1)]);
		expect(await collect(be)).toEqual([{ type: 'file-error', reason }]);
	});

	it('maps JSON lines of an unknown shape, and says which field is missing', async () => {
		const lines = ['{"q": "2+2?", "a": "4", "stars": 5}', '{"q": "Capital of France?"}', GOOD].join(
			'\n'
		);
		const events = await collect(lines, { mapping: { input: 'q', output: 'a', rating: 'stars' } });
		expect(events[0]).toMatchObject({
			type: 'record',
			record: {
				format: 'mapped',
				logs: [
					{
						input: [{ role: 'user', content: '2+2?' }],
						output: { role: 'assistant', content: '4' }
					}
				],
				feedback: [{ logIndex: 0, body: { kind: 'rating', value: 5 } }]
			}
		});
		expect(rejections(events)).toEqual([
			{ line: 2, reason: 'field "a" is missing (it holds the output)' }
		]);
		expect(events[2]).toMatchObject({ type: 'record', record: { format: 'openai-chat' } });
	});
});

describe('CSV and TSV', () => {
	it('reads quoted commas, quotes and newlines, locating rows by their first line', async () => {
		const csv = [
			'prompt,completion,label',
			'"Hello, there","Hi! ""Welcome""",good',
			'"Two',
			'lines",reply,',
			'',
			'missing output,,bad',
			'a,b,c,d'
		].join('\r\n');
		const events = await collect(csv, { fileName: 'feedback.csv' });
		expect(events.map((e) => [e.type, (e as { line: number }).line])).toEqual([
			['record', 2],
			['record', 3],
			['blank', 5],
			['rejected', 6],
			['rejected', 7]
		]);
		expect(events[0]).toMatchObject({
			record: {
				format: 'csv',
				logs: [{ input: [{ content: 'Hello, there' }], output: { content: 'Hi! "Welcome"' } }],
				feedback: [{ body: { kind: 'thumb', value: 1 } }]
			}
		});
		expect(events[1]).toMatchObject({ record: { logs: [{ input: [{ content: 'Two\nlines' }] }] } });
		expect(rejections(events).map((r) => r.reason)).toEqual([
			'column "completion" is empty (it holds the output)',
			'this row has 4 fields but the header has 3 (a field with a "," in it must be quoted)'
		]);
	});

	it('reads TSV through a mapping and keeps unmapped columns', async () => {
		const tsv = 'id\tquestion\tbot reply\tscore\n1\tWhy?\tBecause.\t4\n2\tHow?\tLike so.\t\n';
		const events = await collect(tsv, {
			fileName: 'export.tsv',
			mapping: { input: 'question', output: 'bot reply', rating: 'score' }
		});
		expect(tally(events)).toMatchObject({
			lines: 2,
			accepted: 2,
			feedback: 1,
			formats: { csv: 2 }
		});
		expect(events[0]).toMatchObject({ record: { logs: [{ extra: { id: '1' } }] } });
	});

	it('guesses the mapping from the header when none is given, or says it needs one', async () => {
		expect(tally(await collect('question,answer\nQ,A\n', { fileName: 'qa.csv' }))).toMatchObject({
			accepted: 1
		});
		expect(await collect('\n\ntext,category\nx,y\n', { fileName: 'dbpedia.csv' })).toEqual([
			{
				type: 'file-error',
				reason:
					'which column holds the input and which the output? Map the columns in the import dialog (columns: text, category)'
			}
		]);
		expect(
			await collect('a,b\n1,2\n', { fileName: 'x.csv', mapping: { input: 'a', output: 'c' } })
		).toEqual([
			{
				type: 'file-error',
				reason: 'the mapping names a column the file does not have: c (columns: a, b)'
			}
		]);
	});

	it('rejects a row with broken UTF-8 and a never-closed quote, keeping the others', async () => {
		const encoder = new TextEncoder();
		const bytes = new Uint8Array([
			...encoder.encode('prompt,completion\nok,fine\ncaf'),
			0xe9,
			...encoder.encode(',x\nlast,row\n"open,never closed\n')
		]);
		const events = await collect(bytes, { fileName: 'x.csv' });
		expect(events.map((e) => e.type)).toEqual(['record', 'rejected', 'record', 'rejected']);
		expect(rejections(events)).toEqual([
			{ line: 3, reason: 'invalid UTF-8 at byte 4 (0xE9): save the file as UTF-8' },
			{ line: 5, reason: 'a quoted field is never closed (a " opens it and no " ends it)' }
		]);
	});
});
