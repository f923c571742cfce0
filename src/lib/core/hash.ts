/**
 * Fast, synchronous, non-cryptographic 64-bit hashes for dedupe ids and file fingerprints.
 * Two 32-bit lanes with different multipliers (cyrb53's mix, kept at its full 2 × 32 bits) are
 * enough to make accidental collisions between a user's logs vanishingly rare; nothing here
 * defends against someone crafting collisions on purpose, and nothing needs to.
 */
import type { ParsedLog } from './types';

const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;

function finish(a: number, b: number): string {
	let h1 = Math.imul(a ^ (a >>> 16), 2246822507);
	h1 ^= Math.imul(b ^ (b >>> 13), 3266489909);
	let h2 = Math.imul(b ^ (b >>> 16), 2246822507);
	h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** 16 hex characters hashing the string's UTF-16 code units. */
export function hashString(s: string): string {
	let h1 = SEED_1;
	let h2 = SEED_2;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	return finish(h1, h2);
}

/**
 * Incremental hash of bytes (a file read in slices). Not the same function as `hashString` over
 * the bytes' text: the two are never compared with each other.
 */
export class ByteHasher {
	#h1 = SEED_1;
	#h2 = SEED_2;

	update(bytes: Uint8Array): this {
		let h1 = this.#h1;
		let h2 = this.#h2;
		for (let i = 0; i < bytes.length; i++) {
			const b = bytes[i];
			h1 = Math.imul(h1 ^ b, 2654435761);
			h2 = Math.imul(h2 ^ b, 1597334677);
		}
		this.#h1 = h1;
		this.#h2 = h2;
		return this;
	}

	/** The hash of everything so far; more `update`s may follow. */
	digest(): string {
		return finish(this.#h1, this.#h2);
	}
}

/**
 * JSON with object keys sorted, so equal values give equal text whatever order their keys came
 * in. Like JSON.stringify, `undefined` properties are left out and `undefined` in arrays is null.
 * Callers pass parsed data, whose depth the importer bounds (see `MAX_DEPTH` in import/formats.ts).
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) {
		let out = '[';
		for (let i = 0; i < value.length; i++) {
			if (i > 0) out += ',';
			out += canonicalJson(value[i]);
		}
		return out + ']';
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record).sort();
	let out = '{';
	let first = true;
	for (const key of keys) {
		const item = record[key];
		if (item === undefined || typeof item === 'function') continue;
		if (!first) out += ',';
		first = false;
		out += JSON.stringify(key) + ':' + canonicalJson(item);
	}
	return out + '}';
}

/**
 * Identity of a log's content: its input, output and tools (not model, params or source), so the
 * same generation imported twice, from two files or in another key order, is the same log.
 */
export function contentHash(log: Pick<ParsedLog, 'input' | 'output' | 'tools'>): string {
	const tools = log.tools && log.tools.length > 0 ? log.tools : undefined;
	return hashString(canonicalJson({ input: log.input, output: log.output, tools }));
}

/**
 * Identity of a log's input (messages and tools): logs that answer the same input, from a DPO
 * pair, regenerated outputs or two models, share it and can be compared side by side.
 */
export function inputHash(log: Pick<ParsedLog, 'input' | 'tools'>): string {
	const tools = log.tools && log.tools.length > 0 ? log.tools : undefined;
	return hashString(canonicalJson({ input: log.input, tools }));
}

/**
 * `contentHash` and `inputHash` of one log together, for the importer: the input, which is most
 * of a log's text, is written out as canonical JSON once instead of twice. Same values as the two
 * functions (hash.spec.ts checks it).
 */
export function logHashes(log: Pick<ParsedLog, 'input' | 'output' | 'tools'>): {
	hash: string;
	inputHash: string;
} {
	if (log.input === undefined || log.output === undefined)
		return { hash: contentHash(log), inputHash: inputHash(log) };
	const input = '{"input":' + canonicalJson(log.input);
	const tools =
		log.tools && log.tools.length > 0 ? ',"tools":' + canonicalJson(log.tools) + '}' : '}';
	return {
		hash: hashString(input + ',"output":' + canonicalJson(log.output) + tools),
		inputHash: hashString(input + tools)
	};
}
