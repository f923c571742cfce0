/**
 * Every way a call to the API can fail, as one error type with a plain-language message a user
 * can act on. The SDK's errors (and the browser's bare "Failed to fetch") are mapped here once;
 * the UI shows `message` and branches on `kind`. Errors cross workers as name/message only, so
 * the name is stable: 'OpenAIFailure'.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export type FailureKind =
	| 'auth'
	| 'forbidden'
	| 'not-found'
	| 'bad-request'
	| 'rate-limit'
	| 'quota'
	| 'server'
	| 'timeout'
	| 'network'
	| 'offline'
	| 'cors'
	| 'aborted'
	| 'unknown';

/** Kinds worth trying again after a pause: the same request may well succeed later. */
const RETRYABLE: ReadonlySet<FailureKind> = new Set(['rate-limit', 'server', 'timeout', 'network']);

/** Kinds after which every other request of a bulk run would fail the same way. */
const FATAL: ReadonlySet<FailureKind> = new Set(['auth', 'forbidden', 'quota', 'offline', 'cors']);

export class OpenAIFailure extends Error {
	override name = 'OpenAIFailure';
	readonly kind: FailureKind;
	readonly status?: number;
	/** What the API itself said (its `error.message`), when it said something. */
	readonly apiMessage?: string;
	readonly code?: string;
	/** How long the API asked us to wait before trying again. */
	readonly retryAfterMs?: number;

	constructor(
		kind: FailureKind,
		message: string,
		details: { status?: number; apiMessage?: string; code?: string; retryAfterMs?: number } = {}
	) {
		super(message);
		this.kind = kind;
		this.status = details.status;
		this.apiMessage = details.apiMessage;
		this.code = details.code;
		this.retryAfterMs = details.retryAfterMs;
	}

	get retryable(): boolean {
		return RETRYABLE.has(this.kind);
	}

	/** True when the same failure would hit every other request (a bulk run stops). */
	get fatal(): boolean {
		return FATAL.has(this.kind);
	}
}

export interface FailureContext {
	/** navigator.onLine (true in node). */
	online: boolean;
	/** The configured base URL, to name the host in messages. */
	baseUrl: string;
	/** When a connection failed while online: did a no-cors probe reach the server? (CORS) */
	reachableWithoutCors?: boolean;
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date), in ms; undefined if absent. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
	if (!headers) return undefined;
	const ms = Number(headers.get('retry-after-ms'));
	if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
	const value = headers.get('retry-after');
	if (value === null) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function host(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

function seconds(ms: number): string {
	const s = Math.max(1, Math.ceil(ms / 1000));
	return s === 1 ? '1 second' : `${s} seconds`;
}

/** Maps anything a call threw to an OpenAIFailure (returned as is when it already is one). */
export function toFailure(error: unknown, context: FailureContext): OpenAIFailure {
	if (error instanceof OpenAIFailure) return error;
	const where = host(context.baseUrl);
	if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError'))
		return new OpenAIFailure('aborted', 'Cancelled.');
	if (error instanceof APIConnectionTimeoutError)
		return new OpenAIFailure(
			'timeout',
			`${where} did not answer in time. The service may be overloaded; try again in a minute.`
		);
	if (error instanceof APIConnectionError || error instanceof TypeError) {
		if (!context.online)
			return new OpenAIFailure(
				'offline',
				'You are offline. This needs the API; it works again once you are back online. Everything else in Tuneloop keeps working.'
			);
		if (context.reachableWithoutCors)
			return new OpenAIFailure(
				'cors',
				`The browser blocked the answer from ${where} (CORS): that server does not allow calls from web pages. Use a base URL that allows them (api.openai.com does), or a proxy that adds Access-Control-Allow-Origin.`
			);
		return new OpenAIFailure(
			'network',
			`Could not reach ${where}. Check your internet connection and the base URL. (If the server is up, it may also be blocking calls from web pages: CORS.)`
		);
	}
	if (error instanceof APIError && typeof error.status === 'number') {
		const body = error.error as { message?: unknown; code?: unknown } | undefined;
		const apiMessage = typeof body?.message === 'string' ? body.message : undefined;
		const code =
			typeof error.code === 'string'
				? error.code
				: typeof body?.code === 'string'
					? body.code
					: undefined;
		const details = { status: error.status, apiMessage, code };
		const said = apiMessage ? ` OpenAI said: “${apiMessage}”` : '';
		switch (true) {
			case error.status === 401:
				return new OpenAIFailure(
					'auth',
					'The API key was refused (401): it is wrong, incomplete or revoked. Paste the key again from platform.openai.com/api-keys.',
					details
				);
			case error.status === 403:
				return new OpenAIFailure(
					'forbidden',
					`This key has no access to that (403). Check the organization and project fields and the key’s permissions.${said}`,
					details
				);
			case error.status === 404:
				return new OpenAIFailure('not-found', `Not found (404).${said}`, details);
			case error.status === 429 &&
				(code === 'insufficient_quota' || body?.code === 'insufficient_quota'):
				return new OpenAIFailure(
					'quota',
					'Your OpenAI account has run out of quota or credit (429). Add credit or raise the limit in the billing settings, then try again.',
					details
				);
			case error.status === 429: {
				const wait = retryAfterMs(error.headers);
				return new OpenAIFailure(
					'rate-limit',
					`Rate limit reached (429): too many requests for now.${wait !== undefined ? ` Try again in ${seconds(wait)}.` : ' Try again shortly.'}`,
					{ ...details, retryAfterMs: wait }
				);
			}
			case error.status >= 500:
				return new OpenAIFailure(
					'server',
					`The API had a server error (${error.status}). This is usually temporary: try again in a minute.`,
					details
				);
			default:
				return new OpenAIFailure(
					'bad-request',
					`The API refused the request (${error.status}).${said}`,
					details
				);
		}
	}
	const message = error instanceof Error ? error.message : String(error);
	return new OpenAIFailure('unknown', `Unexpected error: ${message}`);
}

/**
 * True when a refused create-job call reads as "this account cannot start fine-tuning jobs any
 * more" rather than a problem with this particular job.
 */
export function isFineTuningClosed(failure: OpenAIFailure): boolean {
	if (
		failure.kind !== 'forbidden' &&
		failure.kind !== 'bad-request' &&
		failure.kind !== 'not-found'
	)
		return false;
	const said = `${failure.code ?? ''} ${failure.apiMessage ?? ''}`.toLowerCase();
	return (
		/fine[-_ ]?tun/.test(said) &&
		/(no longer|not available|unavailable|disabled|not allowed|deprecat|retir)/.test(said)
	);
}
