/** Small helpers that put values from a user's file into rejection reasons, short and safe. */

/** "a string", "an array", "null"…: how a reason names the kind of a JSON value. */
export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	switch (typeof value) {
		case 'string':
			return 'a string';
		case 'number':
			return 'a number';
		case 'boolean':
			return 'a boolean';
		case 'object':
			return 'an object';
		default:
			return typeof value;
	}
}

/** A value as JSON, cut to `max` characters so a reason never carries a whole record. */
export function show(value: unknown, max = 40): string {
	let text: string;
	if (value === undefined) text = 'undefined';
	else if (typeof value === 'object' && value !== null) text = Array.isArray(value) ? '[…]' : '{…}';
	else text = JSON.stringify(value) ?? String(value);
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Field names for a reason: the first few, then how many more. */
export function listFields(keys: string[], max = 8): string {
	if (keys.length === 0) return 'none';
	const shown = keys
		.slice(0, max)
		.map((key) => (key === '' ? '""' : key.length > 30 ? `${key.slice(0, 29)}…` : key));
	return keys.length > max ? `${shown.join(', ')}, … ${keys.length - max} more` : shown.join(', ');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
