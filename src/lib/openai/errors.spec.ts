import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { isFineTuningClosed, OpenAIFailure, retryAfterMs, toFailure } from './errors';

const context = { online: true, baseUrl: 'https://api.openai.com/v1' };

function apiError(
	status: number,
	body: Record<string, unknown>,
	headers: Record<string, string> = {}
) {
	return APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

describe('toFailure', () => {
	it('explains a refused key without echoing what the API said about it', () => {
		const failure = toFailure(
			apiError(401, {
				message: 'Incorrect API key provided: sk-abc***xyz',
				code: 'invalid_api_key'
			}),
			context
		);
		expect(failure.kind).toBe('auth');
		expect(failure.message).toMatch(/API key was refused \(401\)/);
		expect(failure.message).not.toContain('sk-');
		expect(failure.retryable).toBe(false);
		expect(failure.fatal).toBe(true);
	});

	it('403 names missing access and quotes the API', () => {
		const failure = toFailure(apiError(403, { message: 'Project does not have access' }), context);
		expect(failure.kind).toBe('forbidden');
		expect(failure.message).toContain('no access');
		expect(failure.message).toContain('Project does not have access');
	});

	it('429 rate limit carries the retry time, from retry-after-ms or retry-after', () => {
		const ms = toFailure(
			apiError(429, { message: 'slow down' }, { 'retry-after-ms': '1500' }),
			context
		);
		expect(ms.kind).toBe('rate-limit');
		expect(ms.retryAfterMs).toBe(1500);
		expect(ms.message).toContain('Try again in 2 seconds');
		expect(ms.retryable).toBe(true);
		const s = toFailure(apiError(429, { message: 'slow down' }, { 'retry-after': '7' }), context);
		expect(s.retryAfterMs).toBe(7000);
		expect(s.message).toContain('7 seconds');
	});

	it('429 insufficient_quota is a quota problem, not retried', () => {
		const failure = toFailure(
			apiError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }),
			context
		);
		expect(failure.kind).toBe('quota');
		expect(failure.retryable).toBe(false);
		expect(failure.message).toMatch(/quota or credit/);
	});

	it('5xx is a temporary server error', () => {
		for (const status of [500, 502, 503]) {
			const failure = toFailure(apiError(status, { message: 'boom' }), context);
			expect(failure.kind).toBe('server');
			expect(failure.message).toContain(String(status));
			expect(failure.retryable).toBe(true);
		}
	});

	it('connection failures: offline, CORS, or network down', () => {
		const error = new APIConnectionError({ message: 'Connection error.' });
		expect(toFailure(error, { ...context, online: false }).kind).toBe('offline');
		const cors = toFailure(error, { ...context, reachableWithoutCors: true });
		expect(cors.kind).toBe('cors');
		expect(cors.message).toContain('api.openai.com');
		expect(cors.retryable).toBe(false);
		const network = toFailure(error, context);
		expect(network.kind).toBe('network');
		expect(network.retryable).toBe(true);
		// The browser's own fetch failure is a TypeError.
		expect(toFailure(new TypeError('Failed to fetch'), context).kind).toBe('network');
	});

	it('timeouts and aborts', () => {
		expect(toFailure(new APIConnectionTimeoutError(), context).kind).toBe('timeout');
		expect(toFailure(new APIUserAbortError(), context).kind).toBe('aborted');
		const abort = new Error('x');
		abort.name = 'AbortError';
		expect(toFailure(abort, context).kind).toBe('aborted');
	});

	it('other statuses are refused requests that quote the API; failures pass through', () => {
		const failure = toFailure(apiError(400, { message: 'Invalid value for n' }), context);
		expect(failure.kind).toBe('bad-request');
		expect(failure.message).toContain('Invalid value for n');
		expect(toFailure(failure, context)).toBe(failure);
		expect(failure).toBeInstanceOf(OpenAIFailure);
		expect(failure.name).toBe('OpenAIFailure');
	});
});

describe('retryAfterMs', () => {
	it('reads ms, seconds and HTTP dates', () => {
		expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
		expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(
			5000
		);
		expect(retryAfterMs(new Headers())).toBeUndefined();
		expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
	});
});

describe('isFineTuningClosed', () => {
	it('tells an account that can no longer fine-tune from other refusals', () => {
		const closed = toFailure(
			apiError(403, {
				message: 'Fine-tuning is no longer available for new jobs in this organization.',
				code: 'fine_tuning_unavailable'
			}),
			context
		);
		expect(isFineTuningClosed(closed)).toBe(true);
		const badFile = toFailure(apiError(400, { message: 'invalid training_file: file-1' }), context);
		expect(isFineTuningClosed(badFile)).toBe(false);
		expect(isFineTuningClosed(new OpenAIFailure('server', 'fine-tuning unavailable'))).toBe(false);
	});
});
