import { describe, expect, it } from 'vitest';
import { describeForm, emptyFilter, formFromParams, formToParams, toLogFilter } from './log-filter';

describe('log filter form', () => {
	it('round-trips through URL parameters, writing only what differs from the defaults', () => {
		const form = {
			...emptyFilter(),
			label: 'down' as const,
			review: 'user-unreviewed' as const,
			tag: 'tone',
			corrected: true,
			text: 'refund & co'
		};
		const params = formToParams(form);
		expect([...params.keys()].sort()).toEqual(['corrected', 'label', 'review', 'tag', 'text']);
		expect(formFromParams(new URLSearchParams(params.toString()))).toEqual(form);
		expect(formToParams(emptyFilter()).toString()).toBe('');
	});

	it('ignores invalid values', () => {
		const form = formFromParams(new URLSearchParams('label=evil&review=x&corrected=yes'));
		expect(form).toEqual(emptyFilter());
	});

	it('maps review states to the repository filter', () => {
		const filter = (review: ReturnType<typeof emptyFilter>['review']) =>
			toLogFilter('p', { ...emptyFilter(), review });
		expect(filter('any')).toEqual({ projectId: 'p' });
		expect(filter('reviewed')).toEqual({ projectId: 'p', reviewed: true });
		expect(filter('unreviewed')).toEqual({ projectId: 'p', reviewed: false });
		expect(filter('user-feedback')).toEqual({ projectId: 'p', userFeedback: true });
		expect(filter('user-unreviewed')).toEqual({
			projectId: 'p',
			userFeedback: true,
			reviewed: false
		});
	});

	it('describes a filter in words', () => {
		expect(describeForm(emptyFilter())).toBe('all logs');
		expect(describeForm({ ...emptyFilter(), label: 'down', review: 'unreviewed' })).toBe(
			'👎 only, not reviewed by you'
		);
	});
});
