/** Strict UTF-8 decoding of one line, with a located reason when the bytes are not UTF-8. */

// fatal: broken bytes must reject their line, not turn silently into U+FFFD. The decoder also
// drops a BOM at the start of each call, which forgives files concatenated with their BOMs.
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string; raw: string };

export function decodeLine(bytes: Uint8Array): DecodeResult {
	try {
		return { ok: true, text: strict.decode(bytes) };
	} catch {
		const at = invalidUtf8At(bytes);
		const hex = at >= 0 ? bytes[at].toString(16).toUpperCase().padStart(2, '0') : '';
		return {
			ok: false,
			reason: `invalid UTF-8 at byte ${at + 1} (0x${hex}): save the file as UTF-8`,
			raw: lenient.decode(bytes)
		};
	}
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or -1 if there is none. */
export function invalidUtf8At(b: Uint8Array): number {
	let i = 0;
	const n = b.length;
	while (i < n) {
		const c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		let need: number;
		if (c >= 0xc2 && c <= 0xdf) need = 1;
		else if (c >= 0xe0 && c <= 0xef) need = 2;
		else if (c >= 0xf0 && c <= 0xf4) need = 3;
		else return i;
		// The second byte's range rules out overlong forms, surrogates and code points > U+10FFFF.
		let lo = 0x80;
		let hi = 0xbf;
		if (c === 0xe0) lo = 0xa0;
		else if (c === 0xed) hi = 0x9f;
		else if (c === 0xf0) lo = 0x90;
		else if (c === 0xf4) hi = 0x8f;
		if (i + 1 >= n || b[i + 1] < lo || b[i + 1] > hi) return i;
		for (let k = 2; k <= need; k++) {
			if (i + k >= n || (b[i + k] & 0xc0) !== 0x80) return i;
		}
		i += need + 1;
	}
	return -1;
}
