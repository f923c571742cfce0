/**
 * A log's current feedback state, derived from its append-only events. Nothing is ever
 * overwritten: undo is an event, a correction replaces nothing, and imported end-user feedback
 * stays visible next to the user's own verdict.
 *
 * Rules, in order of precedence:
 * - `undo` cancels its target; an undo of an undo redoes the original.
 * - For thumb, rating, correction, each tag and each pairwise opponent, a 'me' event overrides
 *   any 'imported' one; within one actor the later event wins (ties on `at` go to the higher id).
 * - `thumb: null`, `rating: null` and `correction: null` clear the value (a 'me' clear still
 *   overrides the imported value: "I say there is no thumb"). Undo a 'me' event to fall back to
 *   the imported value.
 * - Comments accumulate; the latest review decision stands.
 */
import type { Actor, ChatMessage, FeedbackBody, FeedbackEvent, LogSummary } from './types';

export type Thumb = 1 | -1 | 0;
export type PairwiseChoice = 'this' | 'other' | 'tie';
export type ReviewDecision = 'confirmed' | 'overridden' | 'reviewed';

export interface CommentEntry {
	eventId?: number;
	text: string;
	at: number;
	actor: Actor;
}

export interface PairwiseEntry {
	otherLogId: string;
	choice: PairwiseChoice;
	actor: Actor;
	at: number;
}

export interface ReviewEntry {
	decision: ReviewDecision;
	actor: Actor;
	at: number;
}

export interface LogState {
	/** The thumb in effect: 1 = 👍, -1 = 👎, 0 = none. */
	thumb: Thumb;
	/** The rating in effect, or null. */
	rating: number | null;
	correction: ChatMessage | null;
	/** Who decided each value in effect; null when nobody said anything (or it was undone). */
	by: { thumb: Actor | null; rating: Actor | null; correction: Actor | null };
	/** What the imported (end-user) feedback said, kept visible after the user overrides it. */
	importedThumb: Thumb;
	importedRating: number | null;
	importedCorrection: ChatMessage | null;
	/** The user's own thumb: null when they have not given one (0 when they cleared it). */
	myThumb: Thumb | null;
	comments: CommentEntry[];
	/** Tags in effect, sorted. */
	tags: string[];
	/** One entry per other log, the verdict in effect. */
	pairwise: PairwiseEntry[];
	review: ReviewEntry | null;
	/** Time of the latest event in effect (null when none). */
	lastAt: number | null;
	/** Number of events in effect (undone events and undo events themselves excluded). */
	activeEvents: number;
	/** Whether events of each actor are in effect: the user's own, and imported end-user ones. */
	hasMine: boolean;
	hasImported: boolean;
}

/** A value set per actor; `undefined` means that actor said nothing. */
interface PerActor<T> {
	me?: T;
	imported?: T;
}

function setFor<T>(slot: PerActor<T>, actor: Actor, value: T): void {
	if (actor === 'me') slot.me = value;
	else slot.imported = value;
}

function resolve<T>(slot: PerActor<T>): { value: T | undefined; by: Actor | null } {
	if (slot.me !== undefined) return { value: slot.me, by: 'me' };
	if (slot.imported !== undefined) return { value: slot.imported, by: 'imported' };
	return { value: undefined, by: null };
}

/** Events in application order: by `at`, then id (events not yet stored go last, in order). */
export function orderEvents<T extends FeedbackEvent>(events: readonly T[]): T[] {
	return events
		.map((event, index) => ({ event, index }))
		.sort(
			(a, b) =>
				a.event.at - b.event.at ||
				(a.event.id ?? Number.POSITIVE_INFINITY) - (b.event.id ?? Number.POSITIVE_INFINITY) ||
				a.index - b.index
		)
		.map(({ event }) => event);
}

/**
 * Which events are in effect. An event is cancelled when an undo in effect targets it; undo
 * events can be undone in turn, so this resolves the chain (cycles, impossible with real ids,
 * are treated as not cancelling).
 */
function activeSet(events: readonly FeedbackEvent[]): Set<FeedbackEvent> {
	const undosByTarget = new Map<number, FeedbackEvent[]>();
	for (const event of events) {
		if (event.body.kind !== 'undo') continue;
		const list = undosByTarget.get(event.body.eventId) ?? [];
		list.push(event);
		undosByTarget.set(event.body.eventId, list);
	}
	const memo = new Map<FeedbackEvent, boolean>();
	const visiting = new Set<FeedbackEvent>();
	const isActive = (event: FeedbackEvent): boolean => {
		const known = memo.get(event);
		if (known !== undefined) return known;
		if (visiting.has(event)) return true;
		visiting.add(event);
		const undos = event.id === undefined ? [] : (undosByTarget.get(event.id) ?? []);
		const active = !undos.some(isActive);
		visiting.delete(event);
		memo.set(event, active);
		return active;
	};
	return new Set(events.filter(isActive));
}

export function deriveLogState(events: readonly FeedbackEvent[]): LogState {
	const ordered = orderEvents(events);
	const active = activeSet(ordered);

	const thumb: PerActor<Thumb> = {};
	const rating: PerActor<number | null> = {};
	const correction: PerActor<ChatMessage | null> = {};
	const tags = new Map<string, PerActor<boolean>>();
	const pairwise = new Map<string, PerActor<PairwiseEntry>>();
	const comments: CommentEntry[] = [];
	let review: ReviewEntry | null = null;
	let lastAt: number | null = null;
	let activeEvents = 0;
	let hasMine = false;
	let hasImported = false;

	for (const event of ordered) {
		if (!active.has(event) || event.body.kind === 'undo') continue;
		activeEvents++;
		if (event.actor === 'me') hasMine = true;
		else hasImported = true;
		lastAt = lastAt === null ? event.at : Math.max(lastAt, event.at);
		const { actor, at } = event;
		const body: FeedbackBody = event.body;
		switch (body.kind) {
			case 'thumb':
				setFor(thumb, actor, body.value ?? 0);
				break;
			case 'rating':
				setFor(rating, actor, body.value);
				break;
			case 'correction':
				setFor(correction, actor, body.output);
				break;
			case 'comment':
				comments.push({ eventId: event.id, text: body.text, at, actor });
				break;
			case 'tag': {
				const slot = tags.get(body.tag) ?? {};
				setFor(slot, actor, body.on);
				tags.set(body.tag, slot);
				break;
			}
			case 'pairwise': {
				const slot = pairwise.get(body.otherLogId) ?? {};
				setFor(slot, actor, { otherLogId: body.otherLogId, choice: body.choice, actor, at });
				pairwise.set(body.otherLogId, slot);
				break;
			}
			case 'review':
				review = { decision: body.decision, actor, at };
				break;
		}
	}

	const effectiveThumb = resolve(thumb);
	const effectiveRating = resolve(rating);
	const effectiveCorrection = resolve(correction);
	return {
		thumb: effectiveThumb.value ?? 0,
		rating: effectiveRating.value ?? null,
		correction: effectiveCorrection.value ?? null,
		by: {
			thumb: effectiveThumb.by,
			rating: effectiveRating.by,
			correction: effectiveCorrection.by
		},
		importedThumb: thumb.imported ?? 0,
		importedRating: rating.imported ?? null,
		importedCorrection: correction.imported ?? null,
		myThumb: thumb.me ?? null,
		comments,
		tags: [...tags]
			.filter(([, slot]) => resolve(slot).value === true)
			.map(([tag]) => tag)
			.sort(),
		pairwise: [...pairwise.values()]
			.map((slot) => resolve(slot).value)
			.filter((entry): entry is PairwiseEntry => entry !== undefined),
		review,
		lastAt,
		activeEvents,
		hasMine,
		hasImported
	};
}

/** The denormalised summary kept on the log row so the log browser can filter by index. */
export function summarize(state: LogState): LogSummary {
	const hasFeedback =
		state.thumb !== 0 ||
		state.rating !== null ||
		state.correction !== null ||
		state.comments.length > 0 ||
		state.tags.length > 0 ||
		state.pairwise.length > 0 ||
		state.review !== null;
	return {
		thumb: state.thumb,
		rating: state.rating ?? 0,
		hasFeedback: hasFeedback ? 1 : 0,
		corrected: state.correction ? 1 : 0,
		tags: [...state.tags],
		// Set explicitly (undefined too) so that writing a summary removes a stale flag.
		reviewed: state.hasMine ? 1 : undefined,
		userFeedback: state.hasImported ? 1 : undefined
	};
}

export function emptySummary(): LogSummary {
	return { thumb: 0, rating: 0, hasFeedback: 0, corrected: 0, tags: [] };
}

/** JSON with object keys sorted, so equal values always give the same text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) => {
		if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
		// fromEntries, not assignment: a "__proto__" key must stay a key.
		return Object.fromEntries(
			Object.keys(item)
				.sort()
				.map((key) => [key, (item as Record<string, unknown>)[key]])
		);
	});
}

/** cyrb53: a fast 53-bit string hash (not cryptographic), as 11 base-36 digits. */
export function hash53(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

/**
 * The dedupe key of an imported feedback event: the same statement (actor + body) about the same
 * log is stored once, however many times or from however many files it is imported. Content, not
 * file position, is the identity so that re-importing a file, resuming an import, or importing an
 * overlapping export all leave one event. The event time is left out on purpose: importers may
 * fall back to the import time, which differs between runs.
 */
export function feedbackKey(event: Pick<FeedbackEvent, 'logId' | 'actor' | 'body'>): string {
	return `${event.logId}|${event.actor}|${hash53(canonicalJson(event.body))}`;
}
