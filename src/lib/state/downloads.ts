/**
 * Saves generated text as a file. Chunks become Blob parts, so a large export never has to exist
 * as one giant string.
 */
export async function downloadChunks(
	name: string,
	chunks: AsyncIterable<string>,
	type = 'application/x-ndjson'
): Promise<void> {
	const parts: string[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	const url = URL.createObjectURL(new Blob(parts, { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
