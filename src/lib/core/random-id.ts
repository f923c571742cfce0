/**
 * Random ids for projects and imports: 64 random bits as 14 base-36 characters. A project's id
 * is spelled in every one of its log ids and in two keys of every stored log, and an import's in
 * every log it wrote, so a UUID's 36 characters cost each imported log about a hundred bytes more
 * to store and to index. Ids made before (UUIDs) stay as they are; code never parses either kind.
 */
export function randomId(): string {
	const [a, b] = crypto.getRandomValues(new Uint32Array(2));
	return a.toString(36).padStart(7, '0') + b.toString(36).padStart(7, '0');
}
