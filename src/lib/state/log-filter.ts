/** The log browser's filter form and how it becomes a repository query. */
import type { LogFilter } from '$lib/core/types';

export interface FilterForm {
	text: string;
	importId: string;
	label: 'any' | 'up' | 'down' | 'none';
	feedback: 'any' | 'with' | 'without';
	/** Whether the user has judged the log; 'user-unreviewed': imported feedback not yet reviewed. */
	review: 'any' | 'reviewed' | 'unreviewed' | 'user-feedback' | 'user-unreviewed';
	tag: string;
	corrected: boolean;
	model: string;
	from: string;
	to: string;
}

export const emptyFilter = (): FilterForm => ({
	text: '',
	importId: '',
	label: 'any',
	feedback: 'any',
	review: 'any',
	tag: '',
	corrected: false,
	model: '',
	from: '',
	to: ''
});

/** Turns the form into the repository's filter. Dates are whole local days, both ends included. */
export function toLogFilter(projectId: string, form: FilterForm): LogFilter {
	const filter: LogFilter = { projectId };
	if (form.text.trim()) filter.text = form.text.trim();
	if (form.importId) filter.importId = form.importId;
	if (form.label !== 'any') filter.thumb = form.label === 'up' ? 1 : form.label === 'down' ? -1 : 0;
	if (form.feedback !== 'any') filter.hasFeedback = form.feedback === 'with';
	if (form.corrected) filter.corrected = true;
	if (form.tag) filter.tag = form.tag;
	if (form.review === 'reviewed' || form.review === 'unreviewed') {
		filter.reviewed = form.review === 'reviewed';
	} else if (form.review === 'user-feedback') {
		filter.userFeedback = true;
	} else if (form.review === 'user-unreviewed') {
		filter.userFeedback = true;
		filter.reviewed = false;
	}
	if (form.model) filter.model = form.model;
	if (form.from) filter.from = new Date(`${form.from}T00:00:00`).getTime();
	if (form.to) filter.to = new Date(`${form.to}T23:59:59.999`).getTime();
	return filter;
}

/** The form's non-default fields as URL parameters (so a review queue survives a reload). */
export function formToParams(form: FilterForm): URLSearchParams {
	const params = new URLSearchParams();
	const empty = emptyFilter();
	for (const key of Object.keys(empty) as (keyof FilterForm)[]) {
		const value = form[key];
		if (value !== empty[key]) params.set(key, String(value));
	}
	return params;
}

/** Reads a form back from URL parameters; unknown or invalid values fall back to defaults. */
export function formFromParams(params: URLSearchParams): FilterForm {
	const form = emptyFilter();
	const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
		const value = params.get(key);
		return value !== null && (allowed as readonly string[]).includes(value)
			? (value as T)
			: fallback;
	};
	form.text = params.get('text') ?? '';
	form.importId = params.get('importId') ?? '';
	form.label = pick('label', ['any', 'up', 'down', 'none'], 'any');
	form.feedback = pick('feedback', ['any', 'with', 'without'], 'any');
	form.review = pick(
		'review',
		['any', 'reviewed', 'unreviewed', 'user-feedback', 'user-unreviewed'],
		'any'
	);
	form.tag = params.get('tag') ?? '';
	form.corrected = params.get('corrected') === 'true';
	form.model = params.get('model') ?? '';
	form.from = params.get('from') ?? '';
	form.to = params.get('to') ?? '';
	return form;
}

/** A short description of a filter for headings ("👎 only, unreviewed, model gpt-4o"). */
export function describeForm(form: FilterForm): string {
	const parts: string[] = [];
	if (form.label !== 'any') {
		parts.push({ up: '👍 only', down: '👎 only', none: 'unjudged' }[form.label]);
	}
	if (form.feedback !== 'any')
		parts.push(form.feedback === 'with' ? 'with feedback' : 'no feedback');
	if (form.review !== 'any') {
		parts.push(
			{
				reviewed: 'reviewed by you',
				unreviewed: 'not reviewed by you',
				'user-feedback': 'with end-user feedback',
				'user-unreviewed': 'unreviewed end-user feedback'
			}[form.review]
		);
	}
	if (form.corrected) parts.push('corrected');
	if (form.tag) parts.push(`tag ${form.tag}`);
	if (form.model) parts.push(`model ${form.model}`);
	if (form.importId) parts.push('one file');
	if (form.from || form.to) parts.push(`${form.from || '…'} to ${form.to || '…'}`);
	if (form.text.trim()) parts.push(`“${form.text.trim()}”`);
	return parts.length > 0 ? parts.join(', ') : 'all logs';
}
