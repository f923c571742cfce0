/**
 * A report as Markdown: what is saved next to an export and what the CLI prints. User content
 * (file names, messages quoting fields) is escaped so it cannot turn into Markdown structure.
 */
import type { Finding } from './findings';
import type { Distribution } from './stats';
import type { ValidationReport } from './validator';

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Escapes Markdown/HTML-significant characters in text that came from the user's file. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]<>#|!~]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

function where(finding: Finding): string {
	if (finding.line === null) return 'file';
	if (!finding.lines || finding.lines.length <= 1) return `line ${finding.line}`;
	const shown = finding.lines.slice(0, 8).join(', ');
	return `lines ${shown}${finding.count > 8 ? `… (${n(finding.count)})` : ''}`;
}

function findingRows(findings: Finding[]): string[] {
	return [
		'| where | code | message |',
		'| --- | --- | --- |',
		...findings.map((f) => `| ${where(f)} | \`${f.code}\` | ${escapeMarkdown(f.message)} |`)
	];
}

function distributionRow(name: string, d: Distribution): string {
	return `| ${name} | ${n(d.min)} | ${n(d.max)} | ${n(d.mean)} | ${n(d.median)} | ${n(d.p10)} | ${n(d.p90)} | ${n(d.total)} |`;
}

export function reportToMarkdown(report: ValidationReport, title = 'Validation report'): string {
	const errors = Object.values(report.errorCounts).reduce((a, b) => a + b, 0);
	const warnings = Object.values(report.warningCounts).reduce((a, b) => a + b, 0);
	const out: string[] = [`# ${escapeMarkdown(title)}`, ''];
	if (report.file) out.push(`File: \`${report.file.replace(/`/g, "'")}\``, '');
	out.push(
		`- Format: ${report.format}`,
		`- Model: ${report.model} (${report.encoding}, ${n(report.contextLimit)} tokens per example${report.modelKnown ? '' : '; not in the table, figures assumed from its family'})`,
		`- Examples: ${n(report.examples)} (${n(report.validExamples)} without errors) in ${n(report.lines)} lines`,
		`- Result: ${errors === 0 ? 'no errors' : `${n(errors)} error${errors === 1 ? '' : 's'}`}, ${n(warnings)} warning${warnings === 1 ? '' : 's'}`,
		`- Billed tokens per epoch: ${n(report.billedTokens)}; epochs (default heuristic): ${report.epochs}; trained tokens: ${n(report.cost.trainedTokens)}`,
		`- Estimated cost: ${report.cost.usd === null ? 'no price for this model' : `$${report.cost.usd.toFixed(2)} at $${report.cost.pricePerMillion} per 1M tokens`}`,
		''
	);
	const codes = (counts: Record<string, number>) =>
		Object.entries(counts)
			.sort((a, b) => b[1] - a[1])
			.map(([code, count]) => `\`${code}\` ${n(count)}`)
			.join(', ');
	if (errors > 0)
		out.push(
			'## Errors',
			'',
			`By type: ${codes(report.errorCounts)}`,
			'',
			...findingRows(report.errors),
			''
		);
	if (warnings > 0)
		out.push(
			'## Warnings',
			'',
			`By type: ${codes(report.warningCounts)}`,
			'',
			...findingRows(report.warnings),
			''
		);
	const t = report.tokens;
	out.push(
		'## Statistics',
		'',
		'| per example | min | max | mean | median | p10 | p90 | total |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		distributionRow('tokens', t.perExample),
		distributionRow('assistant tokens', t.assistantPerExample),
		distributionRow('messages', t.messagesPerExample),
		'',
		`- Over the context limit: ${n(t.overLimit)}`,
		`- Missing system message: ${n(report.stats.missingSystem)}; missing user message: ${n(report.stats.missingUser)}`,
		`- Distinct system prompts: ${n(report.stats.systemPrompts)}`,
		`- Duplicates: ${n(report.stats.duplicates)} exact, ${n(report.stats.normalizedDuplicates)} normalized, ${n(report.stats.nearDuplicates)} near`,
		''
	);
	return out.join('\n');
}
