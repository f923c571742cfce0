/**
 * Findings: what a validation report says about a file, each naming its line(s). Errors make
 * OpenAI refuse the file or train on something other than what the user meant; warnings are
 * advice (the checks of OpenAI's `prepare_data` and cookbook notebook, and more).
 *
 * Errors are listed one per occurrence; per-example warnings of one kind (a missing system
 * message on 5,000 lines) are gathered into one finding that lists its lines. Lists are capped so
 * a report on 100,000 broken lines stays small; the counts are always complete.
 */

export type Severity = 'error' | 'warning';

export interface Finding {
	code: string;
	severity: Severity;
	/** The first line concerned (1-based), or null for the file as a whole. */
	line: number | null;
	/** Every line concerned, when more than one (capped at MAX_LINES_PER_FINDING). */
	lines?: number[];
	/** How many lines (or examples) the finding covers, even past the cap. */
	count: number;
	message: string;
}

/** Findings listed per severity; past this, they are only counted. */
export const MAX_FINDINGS = 2000;
export const MAX_LINES_PER_FINDING = 1000;

interface Group {
	lines: number[];
	count: number;
	message: (count: number) => string;
}

export class FindingList {
	readonly errors: Finding[] = [];
	readonly warnings: Finding[] = [];
	readonly errorCounts: Record<string, number> = {};
	readonly warningCounts: Record<string, number> = {};
	#groups = new Map<string, Group>();

	error(code: string, line: number | null, message: string, lines?: number[]): void {
		this.#add('error', code, line, message, lines);
	}

	warning(code: string, line: number | null, message: string, lines?: number[]): void {
		this.#add('warning', code, line, message, lines);
	}

	/** Counts a per-example warning; one finding per code lists all its lines (see finish). */
	warnLine(code: string, line: number, message: (count: number) => string): void {
		let group = this.#groups.get(code);
		if (!group) {
			group = { lines: [], count: 0, message };
			this.#groups.set(code, group);
		}
		group.count++;
		if (group.lines.length < MAX_LINES_PER_FINDING) group.lines.push(line);
	}

	/** Turns the gathered per-example warnings into findings. */
	finish(): void {
		for (const [code, group] of this.#groups) {
			this.warningCounts[code] = (this.warningCounts[code] ?? 0) + group.count;
			this.warnings.push({
				code,
				severity: 'warning',
				line: group.lines[0] ?? null,
				lines: group.lines,
				count: group.count,
				message: group.message(group.count)
			});
		}
		this.#groups.clear();
		const byLine = (a: Finding, b: Finding) => (a.line ?? 0) - (b.line ?? 0);
		this.errors.sort(byLine);
		this.warnings.sort(byLine);
	}

	/** Errors found so far (all codes). */
	errorTotal = 0;

	#add(severity: Severity, code: string, line: number | null, message: string, lines?: number[]) {
		const counts = severity === 'error' ? this.errorCounts : this.warningCounts;
		const count = lines ? lines.length : 1;
		counts[code] = (counts[code] ?? 0) + count;
		if (severity === 'error') this.errorTotal += count;
		const list = severity === 'error' ? this.errors : this.warnings;
		if (list.length >= MAX_FINDINGS) return;
		const finding: Finding = { code, severity, line, count, message };
		if (lines) finding.lines = lines.slice(0, MAX_LINES_PER_FINDING);
		list.push(finding);
	}
}

export function plural(n: number, word: string, many = `${word}s`): string {
	return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** "lines 3, 9 and 12" / "line 3" / "lines 3, 9, 12… (40 in all)". */
export function lineList(lines: readonly number[], max = 5): string {
	if (lines.length === 1) return `line ${lines[0]}`;
	const shown = lines.slice(0, max);
	if (lines.length > max) return `lines ${shown.join(', ')}… (${lines.length} in all)`;
	return `lines ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
