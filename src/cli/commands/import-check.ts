/**
 * `import-check FILE`: parses a file exactly as the app's import does (the same parseFile over
 * the file's byte stream) and reports what would be imported and every line that would not.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import {
	parseFile,
	sniffFile,
	SNIFF_BYTES,
	type FieldMapping
} from '../../lib/core/import/parse-file';
import { MAPPING_ROLES } from '../../lib/core/import/mapping';
import type { FormatId } from '../../lib/core/types';
import {
	EXIT_OK,
	EXIT_UNREADABLE,
	UsageError,
	commandOptions,
	oneFile,
	parseCommandArgs,
	unreadable,
	type Command,
	type Output
} from '../command';

const USAGE = `Usage: npm run -s cli -- import-check FILE [--json] [--map input=COL,output=COL,...] [--delimiter D]

Parses FILE as the app's import would and lists every line that would be rejected, and why.

  --json        print one JSON object instead of a table
  --map         which columns (CSV/TSV) or fields (JSON of an unknown shape) hold what:
                ${MAPPING_ROLES.join(', ')}; input and output are required
  --delimiter   read the file as CSV/TSV with this delimiter (\\t for tab)

Exit status: 0 the file was read (even if lines were rejected, or the file as a whole was not
importable), 1 usage error, 2 the file could not be read.`;

export interface CheckReport {
	file: string;
	lines: number;
	blank: number;
	accepted: number;
	rejected: { line: number; reason: string }[];
	formats: Partial<Record<FormatId, number>>;
	/** Logs the accepted lines hold (a DPO line holds two) and their feedback events. */
	logs: number;
	feedback: number;
	fileError?: string;
}

/** `input=prompt,output=completion` to a mapping; names may not contain commas. */
export function parseMapping(text: string): FieldMapping {
	const entries = new Map<string, string>();
	for (const pair of text.split(',')) {
		const eq = pair.indexOf('=');
		if (eq <= 0) throw new UsageError(`--map: expected ROLE=NAME, got ${JSON.stringify(pair)}`);
		const role = pair.slice(0, eq).trim();
		const name = pair.slice(eq + 1).trim();
		if (!(MAPPING_ROLES as readonly string[]).includes(role))
			throw new UsageError(
				`--map: ${JSON.stringify(role)} is not one of ${MAPPING_ROLES.join(', ')}`
			);
		if (name === '') throw new UsageError(`--map: ${role} names no column`);
		entries.set(role, name);
	}
	const input = entries.get('input');
	const output = entries.get('output');
	if (!input || !output) throw new UsageError('--map: input and output are both required');
	const mapping: FieldMapping = { input, output };
	for (const role of MAPPING_ROLES) {
		const name = entries.get(role);
		if (name !== undefined && role !== 'input' && role !== 'output') mapping[role] = name;
	}
	return mapping;
}

interface Options {
	file: string;
	json: boolean;
	mapping?: FieldMapping;
	delimiter?: string;
}

function readOptions(args: string[]): Options | 'help' {
	const parsed = parseCommandArgs({
		args,
		allowPositionals: true,
		options: {
			json: { type: 'boolean', default: false },
			map: { type: 'string' },
			delimiter: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const { values, positionals } = parsed;
	if (values.help) return 'help';
	const file = oneFile(positionals);
	let delimiter = values.delimiter;
	if (delimiter === '\\t' || delimiter === 'tab') delimiter = '\t';
	if (delimiter !== undefined && delimiter.length !== 1)
		throw new UsageError('--delimiter: expected one character');
	return {
		file,
		json: values.json ?? false,
		mapping: values.map === undefined ? undefined : parseMapping(values.map),
		delimiter
	};
}

async function head(path: string): Promise<Uint8Array> {
	const handle = await open(path, 'r');
	try {
		const buffer = new Uint8Array(SNIFF_BYTES);
		const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Runs the import parser over the file and counts what it says. */
export async function checkFile(path: string, options: Omit<Options, 'file' | 'json'>) {
	const report: CheckReport = {
		file: path,
		lines: 0,
		blank: 0,
		accepted: 0,
		rejected: [],
		formats: {},
		logs: 0,
		feedback: 0
	};
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
	const events = parseFile(stream, {
		fileName: basename(path),
		mapping: options.mapping,
		csv: options.delimiter === undefined ? undefined : { delimiter: options.delimiter }
	});
	for await (const event of events) {
		if (event.type === 'file-error') {
			report.fileError = event.reason;
			continue;
		}
		report.lines++;
		if (event.type === 'blank') report.blank++;
		else if (event.type === 'rejected')
			report.rejected.push({ line: event.line, reason: event.reason });
		else {
			report.accepted++;
			const format = event.record.format;
			report.formats[format] = (report.formats[format] ?? 0) + 1;
			report.logs += event.record.logs.length;
			report.feedback += event.record.feedback.length;
		}
	}
	return report;
}

function table(rows: string[][], alignRight: boolean[]): string[] {
	const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
	return rows.map((row) =>
		row
			.map((cell, col) =>
				col === row.length - 1 && !alignRight[col]
					? cell
					: alignRight[col]
						? cell.padStart(widths[col])
						: cell.padEnd(widths[col])
			)
			.join('  ')
	);
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function humanReport(report: CheckReport, options: Options): Promise<string> {
	const lines: string[] = [report.file, ''];
	if (report.fileError) lines.push(`file error: ${report.fileError}`, '');
	const formats = Object.entries(report.formats);
	if (formats.length > 0) {
		lines.push(
			...table(
				[['format', 'lines'], ...formats.map(([format, n]) => [format, String(n)])],
				[false, true]
			),
			''
		);
	}
	if (report.rejected.length > 0) {
		lines.push(
			...table(
				[['line', 'reason'], ...report.rejected.map((r) => [String(r.line), r.reason])],
				[true, false]
			),
			''
		);
		const unknown = report.rejected.some((r) =>
			r.reason.includes('not a log format Tuneloop knows')
		);
		if (unknown && !options.mapping) {
			const sniff = sniffFile(await head(report.file), basename(report.file));
			const guess = sniff.suggestedMapping;
			const example = guess
				? Object.entries(guess)
						.map(([role, name]) => `${role}=${name}`)
						.join(',')
				: 'input=FIELD,output=FIELD';
			lines.push(`hint: say which fields hold the input and output with --map ${example}`, '');
		}
	}
	lines.push(
		`${plural(report.lines, 'line')}: ${report.accepted} accepted, ${report.rejected.length} rejected, ${report.blank} blank` +
			(report.accepted > 0 ? ` (${plural(report.logs, 'log')}, ${report.feedback} feedback)` : '')
	);
	return lines.join('\n');
}

export const importCheck: Command = {
	name: 'import-check',
	summary: 'parse a file as the app would import it; list rejected lines and why',
	usage: USAGE,
	async run(args: string[], io: Output): Promise<number> {
		const options = commandOptions(this, io, () => readOptions(args));
		if (typeof options === 'number') return options;
		const problem = await unreadable(options.file);
		if (problem) {
			io.err(`import-check: cannot read ${options.file}: ${problem}`);
			return EXIT_UNREADABLE;
		}
		let report: CheckReport;
		try {
			report = await checkFile(options.file, options);
		} catch (error) {
			// The stream failed mid-way (the file vanished, a disk error): nothing to report on.
			io.err(
				`import-check: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`
			);
			return EXIT_UNREADABLE;
		}
		io.out(options.json ? JSON.stringify(report) : await humanReport(report, options));
		return EXIT_OK;
	}
};
