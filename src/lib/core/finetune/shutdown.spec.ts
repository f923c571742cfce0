import { describe, expect, it } from 'vitest';
import { daysLeft, shutdownText, shutdownUrgency, windDownNotice } from './shutdown';

const at = (iso: string) => Date.parse(iso);

describe('shutdown dates', () => {
	it('counts whole days left, whatever the hour', () => {
		expect(daysLeft('2027-01-14', at('2026-11-23T23:59:00Z'))).toBe(52);
		expect(daysLeft('2027-01-14', at('2026-11-23T00:01:00Z'))).toBe(52);
		expect(daysLeft('2027-01-14', at('2027-01-14T12:00:00Z'))).toBe(0);
		expect(daysLeft('2027-01-14', at('2027-01-17T12:00:00Z'))).toBe(-3);
		expect(daysLeft('soon', 0)).toBeNaN();
	});

	it('says it in words', () => {
		expect(shutdownText('2027-01-14', at('2026-11-23T10:00:00Z'))).toBe(
			'Shuts down on 14 Jan 2027 (52 days left)'
		);
		expect(shutdownText('2027-01-14', at('2027-01-13T10:00:00Z'))).toBe(
			'Shuts down tomorrow, 14 Jan 2027'
		);
		expect(shutdownText('2027-01-14', at('2027-01-14T10:00:00Z'))).toBe(
			'Shuts down today, 14 Jan 2027'
		);
		expect(shutdownText('2027-01-14', at('2027-01-15T10:00:00Z'))).toBe(
			'Shut down on 14 Jan 2027 (1 day ago)'
		);
		expect(shutdownUrgency('2027-01-14', at('2027-01-01T00:00:00Z'))).toBe('soon');
		expect(shutdownUrgency('2027-01-14', at('2026-06-01T00:00:00Z'))).toBe('later');
		expect(shutdownUrgency('2027-01-14', at('2027-06-01T00:00:00Z'))).toBe('past');
	});

	it('the wind-down notice names both dates and points to the exports', () => {
		const before = windDownNotice(at('2026-11-23T10:00:00Z'));
		expect(before).toContain('until 6 Jan 2027 (44 days left)');
		expect(before).toContain('14 Jan 2027');
		expect(before).toMatch(/export them/);
		expect(windDownNotice(at('2027-02-01T00:00:00Z'))).toContain('has wound down');
	});
});
