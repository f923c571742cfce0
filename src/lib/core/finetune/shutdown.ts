/**
 * OpenAI's wind-down of self-serve fine-tuning, in plain words: days left before a model shuts
 * down (from `shutdown_date` in GET /v1/models) and the notice the fine-tuning page shows.
 */

/** Per OpenAI's notices: no new fine-tuning jobs after this day. */
export const NEW_JOBS_END = '2027-01-06';
/** Fine-tunes of the gpt-4o and gpt-4.1 families stop answering after this day. */
export const FINE_TUNES_SHUTDOWN = '2027-01-14';

const DAY_MS = 86_400_000;

/** Whole days from `now` until the start of `date` (UTC, YYYY-MM-DD); negative once past. */
export function daysLeft(date: string, now: number): number {
	const at = Date.parse(`${date}T00:00:00Z`);
	if (Number.isNaN(at)) return Number.NaN;
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	return Math.round((at - today) / DAY_MS);
}

export function formatDay(date: string): string {
	const at = Date.parse(`${date}T00:00:00Z`);
	if (Number.isNaN(at)) return date;
	return new Date(at).toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	});
}

/** "Shuts down on 14 Jan 2027 (52 days left)", "… today", "Shut down on … (3 days ago)". */
export function shutdownText(date: string, now: number): string {
	const days = daysLeft(date, now);
	const day = formatDay(date);
	if (Number.isNaN(days)) return `Shutdown date: ${date}`;
	if (days > 1) return `Shuts down on ${day} (${days} days left)`;
	if (days === 1) return `Shuts down tomorrow, ${day}`;
	if (days === 0) return `Shuts down today, ${day}`;
	return `Shut down on ${day} (${-days} day${days === -1 ? '' : 's'} ago)`;
}

/** How urgent a shutdown is, for styling: past, within 30 days, or later. */
export function shutdownUrgency(date: string, now: number): 'past' | 'soon' | 'later' {
	const days = daysLeft(date, now);
	if (days < 0) return 'past';
	return days <= 30 ? 'soon' : 'later';
}

/** The wind-down notice for the fine-tuning page, as of `now`. */
export function windDownNotice(now: number): string {
	const jobsLeft = daysLeft(NEW_JOBS_END, now);
	const start =
		jobsLeft >= 0
			? `OpenAI is winding down self-serve fine-tuning: new jobs can be started until ${formatDay(NEW_JOBS_END)} (${jobsLeft} day${jobsLeft === 1 ? '' : 's'} left)`
			: `OpenAI has wound down self-serve fine-tuning: new jobs could be started until ${formatDay(NEW_JOBS_END)}`;
	return `${start}, and fine-tuned gpt-4o and gpt-4.1 models stop working on ${formatDay(FINE_TUNES_SHUTDOWN)}. Your datasets stay here: export them as OpenAI or Hugging Face TRL files to train elsewhere.`;
}
