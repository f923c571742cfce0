/**
 * Looking at the start of a byte stream (to sniff its kind) without losing it: the importer and
 * the validator both read the head, then replay it followed by the rest.
 */
/** Reads up to `bytes` from the chunks; the chunks read come back so nothing is lost. */
export async function peek(chunks: AsyncGenerator<Uint8Array>, bytes: number) {
	const buffered: Uint8Array[] = [];
	let length = 0;
	let done = false;
	while (length < bytes) {
		const next = await chunks.next();
		if (next.done) {
			done = true;
			break;
		}
		buffered.push(next.value);
		length += next.value.byteLength;
	}
	const head = new Uint8Array(Math.min(length, bytes));
	let offset = 0;
	for (const chunk of buffered) {
		if (offset >= head.length) break;
		const part = chunk.subarray(0, head.length - offset);
		head.set(part, offset);
		offset += part.byteLength;
	}
	return { head, buffered, done };
}

/** The peeked chunks again, then the rest of the stream. */
export async function* replay(
	buffered: Uint8Array[],
	rest: AsyncGenerator<Uint8Array>,
	done: boolean
): AsyncGenerator<Uint8Array> {
	try {
		yield* buffered;
		if (!done) yield* rest;
	} finally {
		// Stopped early: let the rest of the stream go.
		await rest.return(undefined);
	}
}
