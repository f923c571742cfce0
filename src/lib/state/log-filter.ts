/** The log browser's filter form and how it becomes a repository query. */
import type { LogFilter } from '$lib/core/types';

export interface FilterForm {
	text: string;
	importId: string;
	label: 'any' | 'up' | 'down' | 'none';
	feedback: 'any' | 'with' | 'without';
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
	if (form.model) filter.model = form.model;
	if (form.from) filter.from = new Date(`${form.from}T00:00:00`).getTime();
	if (form.to) filter.to = new Date(`${form.to}T23:59:59.999`).getTime();
	return filter;
}
