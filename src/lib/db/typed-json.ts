/**
 * JSON that round-trips what IndexedDB stores but JSON cannot: typed arrays (model weights,
 * embeddings) become `{"$f32": "<base64>"}` and friends, non-finite numbers `{"$num": "NaN"}`.
 * Object keys that start with `$` are escaped with one more `$`, so user data such as
 * `{"$f32": "x"}` is never mistaken for a tag.
 */

type TypedArray =
	| Float32Array
	| Float64Array
	| Int8Array
	| Uint8Array
	| Int16Array
	| Uint16Array
	| Int32Array
	| Uint32Array;

type TypedArrayConstructor = new (buffer: ArrayBuffer) => TypedArray;

const TAGS: Record<string, TypedArrayConstructor> = {
	$f32: Float32Array,
	$f64: Float64Array,
	$i8: Int8Array,
	$u8: Uint8Array,
	$i16: Int16Array,
	$u16: Uint16Array,
	$i32: Int32Array,
	$u32: Uint32Array
};

function tagOf(value: object): string | undefined {
	for (const [tag, constructor] of Object.entries(TAGS)) {
		if (value.constructor === constructor) return tag;
	}
	return undefined;
}

export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	// Chunks keep String.fromCharCode under the engine's argument limit.
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
	const binary = atob(base64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
	if (typeof value === 'number') {
		return Number.isFinite(value) ? value : { $num: String(value) };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	if (ArrayBuffer.isView(value)) {
		const tag = tagOf(value);
		if (!tag) throw new Error(`Cannot back up a ${value.constructor.name}`);
		const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
		return { [tag]: bytesToBase64(view) };
	}
	const keys = Object.keys(value);
	if (!keys.some((key) => key.startsWith('$'))) return value;
	// fromEntries, not assignment: a "__proto__" key must stay a key.
	return Object.fromEntries(
		keys.map((key) => [
			key.startsWith('$') ? `$${key}` : key,
			(value as Record<string, unknown>)[key]
		])
	);
}

function reviver(_key: string, value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	const keys = Object.keys(value);
	if (keys.length === 1) {
		const [key] = keys;
		const tagged = (value as Record<string, unknown>)[key];
		if (key === '$num' && typeof tagged === 'string') return Number(tagged);
		// Own tags only: a user object keyed "constructor" or "toString" is data.
		const constructor = Object.hasOwn(TAGS, key) ? TAGS[key] : undefined;
		if (constructor && typeof tagged === 'string') {
			return new constructor(base64ToBytes(tagged).buffer);
		}
	}
	if (!keys.some((key) => key.startsWith('$$'))) return value;
	// fromEntries defines own properties: a "__proto__" key stays a key, as JSON.parse made it.
	return Object.fromEntries(
		keys.map((key) => [
			key.startsWith('$$') ? key.slice(1) : key,
			(value as Record<string, unknown>)[key]
		])
	);
}

/** JSON.stringify that keeps typed arrays and non-finite numbers (see module comment). */
export function encodeJson(value: unknown): string {
	return JSON.stringify(value, replacer);
}

/** The inverse of encodeJson. Throws a SyntaxError on malformed JSON. */
export function decodeJson(text: string): unknown {
	return JSON.parse(text, reviver);
}
