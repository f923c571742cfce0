/**
 * Benchmark input: a large, deterministic OpenAI chat-format JSONL file with bad lines.
 *
 *   npx tsx bench/make-chat-file.ts OUT.jsonl [n=100000] [seed=1]
 *
 * 100,000 lines come to about 60 MB (about 600 bytes a line on average, with a long tail):
 * an optional system prompt, 1–3 user/assistant turns, sometimes a tool call (top-level `tools`,
 * assistant `tool_calls`, a `tool` result), some code blocks, some non-ASCII text. Every 20th line
 * (5%, spread evenly) is bad, cycling through five kinds: truncated JSON, a Python dict, a wrong
 * schema (`{"text": ...}`), a chat without an assistant message, and invalid UTF-8 bytes. Every
 * line is unique (each first user message carries a distinct reference), so a content-hash dedupe
 * keeps all of them.
 *
 * Exports, all deterministic for a given (n, seed):
 * - chatLineRecords: each line's exact bytes (no newline) and its bad kind (null when good);
 * - chatLineBuffers: the exact bytes of each line, what the CLI writes;
 * - chatLines: each line as a string. A string cannot hold invalid UTF-8, so the 'invalid-utf8'
 *   lines come out as a lenient decoder would read them (U+FFFD in place of the bad bytes), which
 *   is valid JSON; use the buffers or records when the bytes matter.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, type Rng } from '../src/lib/core/random';

export type BadKind =
	'truncated' | 'python-dict' | 'wrong-schema' | 'no-assistant' | 'invalid-utf8';

export const BAD_KINDS: readonly BadKind[] = [
	'truncated',
	'python-dict',
	'wrong-schema',
	'no-assistant',
	'invalid-utf8'
];

/** Line i (0-based) is bad when i % BAD_EVERY === BAD_EVERY - 1. */
export const BAD_EVERY = 20;

export interface ChatLineRecord {
	/** The line's bytes, without the newline. */
	bytes: Uint8Array;
	/** null for a good line. */
	bad: BadKind | null;
}

/** The bad kind of line i, or null when it is a good line. */
export function badKindAt(i: number): BadKind | null {
	if (i % BAD_EVERY !== BAD_EVERY - 1) return null;
	return BAD_KINDS[Math.floor(i / BAD_EVERY) % BAD_KINDS.length];
}

// ---------------------------------------------------------------------------------------------
// PRNG

// ---------------------------------------------------------------------------------------------
// Vocabulary (written for this file)

const split = (s: string) => s.split(' ');

const DET = split('the a this that every each my your our their some one another');
const ADJ = split(
	'new old quick simple large small recent missing broken shared private public default custom ' +
		'local remote empty full slow fast final draft weekly monthly annual secure stable manual'
);
const NOUN = split(
	'user account invoice report file folder note project team email password setting dashboard ' +
		'export import request response server client database table query record field column ' +
		'message customer order payment plan subscription page button form link token key model ' +
		'prompt dataset job error log feature update release version browser device meeting schedule ' +
		'budget contract document summary draft recipe ticket queue backup index cache'
);
const VERB = split(
	'updates shows returns needs includes creates removes sends checks opens saves loads ' +
		'fixes changes uses requires supports handles blocks replaces moves lists reads writes ' +
		'explains describes references syncs exports imports'
);
const PREP = split('in on for with from to after before during under about without into');
const ADV = split('quickly usually probably already still often again now soon carefully');
const CONJ = split('and but so because while although then');
const OPENERS = [
	'Sure!',
	'Good question.',
	'Here is how to do it.',
	'Thanks for the details.',
	'Short answer: yes.',
	'It depends.',
	'Great, let me explain.',
	'No problem.'
];
const VERB_BASE = VERB.map((v) => (/(x|sh|ch|ss)es$/.test(v) ? v.slice(0, -2) : v.slice(0, -1)));
const NON_ASCII = [
	'naïve café menu',
	'Grüße aus München',
	'façade and jalapeño',
	'日本語のテキストです',
	'数据导出失败',
	'Привет, как дела',
	'emoji 🎉👍🚀',
	'señor Muñoz',
	'Ελληνικά γράμματα',
	'한국어 문장입니다',
	'x² + y² = r²',
	'€42,50 incl. MwSt.'
];
const SYSTEMS = [
	'You are a helpful assistant.',
	'You are a concise assistant. Answer in at most three sentences.',
	'You are a customer support agent for a software company. Be friendly, accurate and brief. If you are not sure, say so and offer to escalate.',
	'You are an expert Python developer. Explain your reasoning briefly and always include runnable code in fenced code blocks.',
	'You summarize meeting notes into action items. Use bullet points, one owner per item, and keep the original language of the notes.',
	'You are a travel planning assistant. Ask clarifying questions when dates or budgets are missing, then propose a day-by-day plan.',
	'You classify incoming emails into one of: billing, bug, feature request, other. Reply with the label and a one-line reason.',
	'You are a writing assistant for a marketing team. Keep the brand voice warm and plain; avoid jargon, exclamation marks and superlatives. Never invent product claims, prices or customer quotes.'
];
const CODE = [
	'def load(path):\n    with open(path) as f:\n        return [json.loads(line) for line in f]',
	'const total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log(`total: ${total}`);',
	"SELECT customer_id, COUNT(*) AS orders\nFROM orders\nWHERE created_at > NOW() - INTERVAL '30 days'\nGROUP BY customer_id;",
	'for i in range(10):\n    if i % 2 == 0:\n        print(i, "is even")',
	'curl -s https://api.example.com/v1/items \\\n  -H "Authorization: Bearer $TOKEN" | jq \'.data[0]\''
];

const TOOLS = [
	{
		type: 'function',
		function: {
			name: 'lookup_order',
			description: 'Look up an order by id.',
			parameters: {
				type: 'object',
				properties: { order_id: { type: 'string' } },
				required: ['order_id']
			}
		}
	},
	{
		type: 'function',
		function: {
			name: 'search_docs',
			description: 'Search the documentation and return the top passages.',
			parameters: {
				type: 'object',
				properties: { query: { type: 'string' }, limit: { type: 'integer' } },
				required: ['query']
			}
		}
	}
];

// ---------------------------------------------------------------------------------------------
// Text generation

class Gen {
	readonly r: Rng;

	constructor(r: Rng) {
		this.r = r;
	}

	int(lo: number, hi: number): number {
		return lo + Math.floor(this.r() * (hi - lo + 1));
	}

	pick<T>(arr: readonly T[]): T {
		return arr[Math.floor(this.r() * arr.length)];
	}

	chance(p: number): boolean {
		return this.r() < p;
	}

	np(): string {
		let det = this.pick(DET);
		const word = this.chance(0.4) ? `${this.pick(ADJ)} ${this.pick(NOUN)}` : this.pick(NOUN);
		if (det === 'a' && 'aeiou'.includes(word[0])) det = 'an';
		return `${det} ${word}`;
	}

	question(): string {
		const vb = this.pick(VERB_BASE);
		switch (this.int(0, 6)) {
			case 0:
				return `How do I ${vb} ${this.np()}?`;
			case 1:
				return `Can you help me ${vb} ${this.np()} ${this.pick(PREP)} ${this.np()}?`;
			case 2:
				return `Why does ${this.np()} ${this.pick(ADV)} ${vb} ${this.np()}?`;
			case 3:
				return `What is the best way to ${vb} ${this.np()}?`;
			case 4:
				return `Is it possible to ${vb} ${this.np()} ${this.pick(PREP)} ${this.np()}?`;
			case 5:
				return `Please ${vb} ${this.np()}.`;
			default:
				return `Summarize ${this.np()} ${this.pick(PREP)} ${this.np()}.`;
		}
	}

	clause(): string {
		let s = `${this.np()} ${this.chance(0.2) ? this.pick(ADV) + ' ' : ''}${this.pick(VERB)} ${this.np()}`;
		if (this.chance(0.5)) s += ` ${this.pick(PREP)} ${this.np()}`;
		return s;
	}

	sentence(): string {
		let s = this.clause();
		if (this.chance(0.3)) s += `, ${this.pick(CONJ)} ${this.clause()}`;
		return s[0].toUpperCase() + s.slice(1) + (this.chance(0.9) ? '.' : '!');
	}

	/** About `words` words of prose, in paragraphs. */
	prose(words: number): string {
		const out: string[] = [];
		let n = 0;
		while (n < words) {
			const s = this.sentence();
			n += s.length / 6;
			out.push(s);
			if (this.chance(0.15) && n < words) out.push('\n\n');
			else out.push(' ');
		}
		return out.join('').trim();
	}

	/** Log-normal-ish length with a long tail. */
	length(median: number, lo: number, hi: number): number {
		const u = this.r() + this.r() + this.r() - 1.5; // ~N(0, 0.5)
		return Math.max(lo, Math.min(hi, Math.round(median * Math.exp(u * 1.3))));
	}

	userText(words: number): string {
		const q = this.question();
		return words < 12 ? q : `${q} ${this.prose(words - 10)}`;
	}

	assistantText(words: number): string {
		let s = `${this.pick(OPENERS)} ${this.prose(words)}`;
		if (this.chance(0.08)) s += `\n\n\`\`\`\n${this.pick(CODE)}\n\`\`\``;
		if (this.chance(0.1)) {
			const k = this.int(2, 4);
			for (let i = 1; i <= k; i++) s += `\n${i}. ${this.sentence()}`;
		}
		return s;
	}
}

interface Msg {
	role: string;
	content?: string | null;
	tool_calls?: unknown[];
	tool_call_id?: string;
}

interface Chat {
	messages: Msg[];
	tools?: unknown[];
}

/** A unique, realistic-looking reference for line i. */
function reference(g: Gen, i: number, seed: number): string {
	const id = (seed * 1_000_003 + i) >>> 0;
	switch (i % 4) {
		case 0:
			return ` (ticket #${id})`;
		case 1:
			return ` My order number is ORD-${id.toString(36).toUpperCase()}.`;
		case 2:
			return `\n\nRef: ${g.pick(NOUN)}-${id}`;
		default:
			return ` [case ${id}]`;
	}
}

function makeChat(g: Gen, i: number, seed: number, asciiOnly = false): Chat {
	const messages: Msg[] = [];
	if (g.chance(0.45)) messages.push({ role: 'system', content: g.pick(SYSTEMS) });
	const r = g.r();
	const turns = r < 0.68 ? 1 : r < 0.92 ? 2 : 3;
	const tool = g.chance(0.07);
	let chat: Chat = { messages };
	for (let t = 0; t < turns; t++) {
		let user = g.userText(g.length(8, 3, 250));
		if (t === 0) {
			if (!asciiOnly && g.chance(0.04)) user += ` ${g.pick(NON_ASCII)}`;
			user += reference(g, i, seed);
		}
		messages.push({ role: 'user', content: user });
		if (tool && t === turns - 1) {
			const id = `call_${(((seed + i) * 2654435761) >>> 0).toString(36)}${t}`;
			const order = g.chance(0.5);
			const args = order
				? { order_id: `ORD-${g.int(10000, 99999)}` }
				: { query: g.clause(), limit: g.int(1, 5) };
			messages.push({
				role: 'assistant',
				tool_calls: [
					{
						id,
						type: 'function',
						function: {
							name: order ? 'lookup_order' : 'search_docs',
							arguments: JSON.stringify(args)
						}
					}
				]
			});
			messages.push({
				role: 'tool',
				tool_call_id: id,
				content: order
					? JSON.stringify({
							status: g.pick(['shipped', 'pending', 'refunded']),
							total: g.int(5, 900)
						})
					: JSON.stringify([g.sentence(), g.sentence()])
			});
			chat = { messages, tools: TOOLS };
		}
		let reply = g.assistantText(g.length(15, 4, 700));
		if (!asciiOnly && g.chance(0.02)) reply += ` ${g.pick(NON_ASCII)}`;
		messages.push({ role: 'assistant', content: reply });
	}
	return chat;
}

// ---------------------------------------------------------------------------------------------
// Bad lines

function pyStr(s: string): string {
	const q = s.includes("'") && !s.includes('"') ? '"' : "'";
	const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
	return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

function pyRepr(v: unknown): string {
	if (v === null) return 'None';
	if (v === true) return 'True';
	if (v === false) return 'False';
	if (typeof v === 'string') return pyStr(v);
	if (typeof v === 'number') return String(v);
	if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
	const entries = Object.entries(v as Record<string, unknown>);
	return `{${entries.map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

const encoder = new TextEncoder();

function badLine(kind: BadKind, g: Gen, i: number, seed: number): Uint8Array {
	switch (kind) {
		case 'truncated': {
			const s = JSON.stringify(makeChat(g, i, seed, true));
			return encoder.encode(s.slice(0, Math.floor(s.length * (0.3 + g.r() * 0.6))));
		}
		case 'python-dict': {
			const chat = makeChat(g, i, seed);
			return encoder.encode(pyRepr({ ...chat, weight: null, cached: false }));
		}
		case 'wrong-schema': {
			const chat = makeChat(g, i, seed);
			const text = chat.messages.map((m) => `${m.role}: ${m.content ?? ''}`).join('\n');
			const question = chat.messages.find((m) => m.role === 'user')?.content;
			const answer = chat.messages[chat.messages.length - 1].content;
			return encoder.encode(JSON.stringify(g.chance(0.5) ? { text } : { question, answer }));
		}
		case 'no-assistant': {
			const chat = makeChat(g, i, seed);
			const messages = chat.messages.filter((m) => m.role === 'system' || m.role === 'user');
			return encoder.encode(JSON.stringify({ messages: messages.slice(0, 2) }));
		}
		case 'invalid-utf8': {
			// Latin-1 bytes inside a string value, as written by a tool that ignored the encoding.
			const chat = makeChat(g, i, seed, true);
			const user = chat.messages.find((m) => m.role === 'user');
			if (user)
				user.content = `${user.content ?? ''} Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, d\u00e9j\u00e0 vu.`;
			const utf8 = encoder.encode(JSON.stringify(chat));
			// re-encode U+00C0..U+00FF (UTF-8 0xC3 0x80..0xBF) as single Latin-1 bytes
			const out = new Uint8Array(utf8.length);
			let o = 0;
			for (let k = 0; k < utf8.length; k++) {
				if (utf8[k] === 0xc3 && k + 1 < utf8.length && (utf8[k + 1] & 0xc0) === 0x80) {
					out[o++] = utf8[++k] + 0x40;
				} else out[o++] = utf8[k];
			}
			return out.subarray(0, o);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Generators

export function* chatLineRecords(n: number, seed: number): Generator<ChatLineRecord> {
	const g = new Gen(mulberry32(seed));
	for (let i = 0; i < n; i++) {
		const bad = badKindAt(i);
		const bytes = bad
			? badLine(bad, g, i, seed)
			: encoder.encode(JSON.stringify(makeChat(g, i, seed)));
		yield { bytes, bad };
	}
}

export function* chatLineBuffers(n: number, seed: number): Generator<Uint8Array> {
	for (const r of chatLineRecords(n, seed)) yield r.bytes;
}

export function* chatLines(n: number, seed: number): Generator<string> {
	const decoder = new TextDecoder('utf-8'); // lenient: invalid bytes become U+FFFD
	for (const r of chatLineRecords(n, seed)) yield decoder.decode(r.bytes);
}

// ---------------------------------------------------------------------------------------------
// CLI

export interface WrittenChatFile {
	lines: number;
	bytes: number;
	bad: number;
	seconds: number;
}

/** Writes n lines (seed) to `out`, creating its folder; each line ends with a newline. */
export function writeChatFile(out: string, n: number, seed = 1): WrittenChatFile {
	const started = performance.now();
	mkdirSync(dirname(resolve(out)), { recursive: true });
	const fd = openSync(out, 'w');
	const newline = Uint8Array.of(0x0a);
	let chunk: Uint8Array[] = [];
	let chunkBytes = 0;
	let bytes = 0;
	let bad = 0;
	const flush = () => {
		writeSync(fd, Buffer.concat(chunk, chunkBytes));
		chunk = [];
		chunkBytes = 0;
	};
	try {
		for (const r of chatLineRecords(n, seed)) {
			chunk.push(r.bytes, newline);
			chunkBytes += r.bytes.length + 1;
			if (r.bad) bad++;
			if (chunkBytes > 4 << 20) {
				bytes += chunkBytes;
				flush();
			}
		}
		bytes += chunkBytes;
		flush();
	} finally {
		closeSync(fd);
	}
	return { lines: n, bytes, bad, seconds: (performance.now() - started) / 1000 };
}

function main(argv: string[]): void {
	const [out, nArg = '100000', seedArg = '1'] = argv;
	const n = Number(nArg);
	const seed = Number(seedArg);
	if (!out || !Number.isInteger(n) || n < 0 || !Number.isInteger(seed)) {
		console.error('usage: npx tsx bench/make-chat-file.ts OUT.jsonl [n=100000] [seed=1]');
		process.exit(2);
	}
	const { bytes, bad, seconds } = writeChatFile(out, n, seed);
	console.log(
		`wrote ${out}: ${n} lines, ${bytes} bytes (${(bytes / 1e6).toFixed(1)} MB, ${Math.round(bytes / Math.max(n, 1))} B/line avg), ${bad} bad lines, ${seconds.toFixed(1)} s`
	);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2));
}
