/**
 * Why a text is not JSON, located. JSON.parse's messages differ between engines and V8's
 * "Unexpected token" carries no position, so after JSON.parse has failed (never on the hot
 * path) a small iterative checker finds where and writes a V8-like message: the same reason in
 * node, Chromium and Firefox, at any nesting depth.
 */

export interface JsonSyntaxError {
	/** UTF-16 index into the text where the problem is. */
	index: number;
	message: string;
}

const ARRAY = 0;
const OBJECT = 1;

function isWs(c: number): boolean {
	return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
	return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
	return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A character for a message: itself when printable, U+XXXX when not. */
export function showChar(text: string, index: number): string {
	const code = text.codePointAt(index) ?? 0;
	const char = String.fromCodePoint(code);
	// Control, format, private-use, unassigned and space characters are invisible in a message.
	if (/[\p{C}\p{Z}]/u.test(char)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	return `'${char}'`;
}

const END = 'Unexpected end of JSON input';

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonError(text: string): JsonSyntaxError | null {
	const n = text.length;
	const stack: number[] = [];
	let i = 0;
	const err = (index: number, message: string): JsonSyntaxError => ({ index, message });
	const unexpected = (index: number): JsonSyntaxError =>
		index >= n ? err(n, END) : err(index, `Unexpected token ${showChar(text, index)}`);
	const skipWs = () => {
		while (i < n && isWs(text.charCodeAt(i))) i++;
	};

	/** Scans the string starting at i (a quote); null when it is fine. */
	const scanString = (): JsonSyntaxError | null => {
		i++;
		for (;;) {
			if (i >= n) return err(n, 'Unterminated string');
			const c = text.charCodeAt(i);
			if (c === 0x22) {
				i++;
				return null;
			}
			if (c < 0x20) return err(i, 'Bad control character in string literal');
			if (c === 0x5c) {
				const e = text.charCodeAt(i + 1);
				if (i + 1 >= n) return err(n, 'Unterminated string');
				if (e === 0x75) {
					for (let k = 2; k < 6; k++) {
						if (i + k >= n || !isHex(text.charCodeAt(i + k)))
							return err(i + k, 'Bad Unicode escape');
					}
					i += 6;
					continue;
				}
				if ('"\\/bfnrt'.indexOf(text[i + 1]) === -1) return err(i + 1, 'Bad escaped character');
				i += 2;
				continue;
			}
			i++;
		}
	};

	const scanNumber = (): JsonSyntaxError | null => {
		if (text.charCodeAt(i) === 0x2d) {
			i++;
			if (i >= n || !isDigit(text.charCodeAt(i))) return err(i, 'No number after minus sign');
		}
		if (text.charCodeAt(i) === 0x30) {
			i++;
			if (i < n && isDigit(text.charCodeAt(i))) return err(i, 'Unexpected number');
		} else while (i < n && isDigit(text.charCodeAt(i))) i++;
		if (text.charCodeAt(i) === 0x2e) {
			i++;
			if (i >= n || !isDigit(text.charCodeAt(i))) return err(i, 'Unterminated fractional number');
			while (i < n && isDigit(text.charCodeAt(i))) i++;
		}
		const e = text.charCodeAt(i);
		if (e === 0x65 || e === 0x45) {
			i++;
			const sign = text.charCodeAt(i);
			if (sign === 0x2b || sign === 0x2d) i++;
			if (i >= n || !isDigit(text.charCodeAt(i)))
				return err(i, 'Exponent part is missing a number');
			while (i < n && isDigit(text.charCodeAt(i))) i++;
		}
		return null;
	};

	// Each turn reads one value, then closes as many containers as it can.
	for (;;) {
		skipWs();
		if (i >= n) return err(n, END);
		const c = text.charCodeAt(i);
		let problem: JsonSyntaxError | null = null;
		if (c === 0x7b) {
			i++;
			skipWs();
			if (text.charCodeAt(i) !== 0x7d) {
				if (i >= n) return err(n, END);
				if (text.charCodeAt(i) !== 0x22) return err(i, "Expected property name or '}'");
				stack.push(OBJECT);
				problem = scanString() ?? afterKey();
				if (problem) return problem;
				continue;
			}
			i++;
		} else if (c === 0x5b) {
			i++;
			skipWs();
			if (text.charCodeAt(i) !== 0x5d) {
				stack.push(ARRAY);
				continue;
			}
			i++;
		} else if (c === 0x22) problem = scanString();
		else if (c === 0x2d || isDigit(c)) problem = scanNumber();
		else if (c === 0x74 || c === 0x66 || c === 0x6e) {
			const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
			for (let k = 0; k < word.length; k++, i++) {
				if (i >= n) return err(n, END);
				if (text[i] !== word[k]) return unexpected(i);
			}
		} else return unexpected(i);
		if (problem) return problem;

		// After a value: commas lead to the next value, closers pop.
		for (;;) {
			skipWs();
			if (stack.length === 0) {
				return i < n ? err(i, 'Unexpected non-whitespace character after JSON') : null;
			}
			if (i >= n) return err(n, END);
			const top = stack[stack.length - 1];
			const d = text.charCodeAt(i);
			if (d === 0x2c) {
				i++;
				if (top === OBJECT) {
					skipWs();
					if (i >= n) return err(n, END);
					if (text.charCodeAt(i) !== 0x22) return err(i, 'Expected double-quoted property name');
					problem = scanString() ?? afterKey();
					if (problem) return problem;
				}
				break;
			}
			if ((top === ARRAY && d === 0x5d) || (top === OBJECT && d === 0x7d)) {
				stack.pop();
				i++;
				continue;
			}
			return err(
				i,
				top === ARRAY
					? "Expected ',' or ']' after array element"
					: "Expected ',' or '}' after property value"
			);
		}
	}

	function afterKey(): JsonSyntaxError | null {
		skipWs();
		if (i >= n) return err(n, END);
		if (text.charCodeAt(i) !== 0x3a) return err(i, "Expected ':' after property name");
		i++;
		return null;
	}
}

/** Python's repr of a dict or list: single-quoted keys, or True/False/None as values. */
export function looksLikePython(text: string): boolean {
	return /^\s*[[{]\s*'/.test(text) || /[:,[]\s*(True|False|None)\s*[,}\]]/.test(text);
}

/** Line and column (1-based) of a UTF-16 index. */
function locate(text: string, index: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let nl = text.indexOf('\n'); nl !== -1 && nl < index; nl = text.indexOf('\n', nl + 1)) {
		line++;
		lineStart = nl + 1;
	}
	return { line, column: index - lineStart + 1 };
}

/** V8's message without its copy of the input, as a fallback when the checker finds nothing. */
function engineMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message
		.replace(/, ".*" is not valid JSON$/s, '')
		.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?$/, '')
		.slice(0, 200);
}

/** A hint for the mistakes people actually make, appended to the located message. */
function hint(text: string, found: JsonSyntaxError): string {
	if (found.message === END)
		return ' (the text ends early: cut short, or a record split across lines?)';
	const c = text[found.index];
	if (c === ']' || c === '}') {
		let k = found.index - 1;
		while (k >= 0 && isWs(text.charCodeAt(k))) k--;
		if (text[k] === ',') return ' (a trailing comma?)';
	}
	if (/^(NaN|-?Infinity|undefined)/.test(text.slice(found.index, found.index + 9)))
		return ' (NaN, Infinity and undefined are not JSON)';
	if (c === "'") return ' (JSON strings take double quotes)';
	return '';
}

/**
 * The reason a text JSON.parse rejected is not JSON: `invalid JSON at column 17: Unexpected
 * token ']' (a trailing comma?)`. `firstLine` is the file line the text starts on; when the text
 * spans lines the reason gives the file line too.
 */
export function describeJsonError(text: string, error: unknown, firstLine?: number): string {
	if (looksLikePython(text))
		return 'looks like a Python dict (single quotes/True/None), not JSON: write the file with json.dumps(...) / json.dump';
	const found = findJsonError(text);
	if (!found) return `invalid JSON: ${engineMessage(error)}`;
	const { line, column } = locate(text, found.index);
	const where =
		firstLine !== undefined && (line > 1 || text.includes('\n'))
			? `line ${firstLine + line - 1} column ${column}`
			: `column ${column}`;
	return `invalid JSON at ${where}: ${found.message}${hint(text, found)}`;
}
