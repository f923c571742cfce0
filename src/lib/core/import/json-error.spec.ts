import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeJsonError, findJsonError, looksLikePython } from './json-error';

const SUITE = '/work/shared/data/malformed/JSONTestSuite/test_parsing';

function reason(text: string, firstLine?: number): string {
	try {
		JSON.parse(text);
	} catch (error) {
		return describeJsonError(text, error, firstLine);
	}
	throw new Error('expected invalid JSON');
}

describe('findJsonError', () => {
	it('agrees with JSON.parse on every JSONTestSuite case that is UTF-8', () => {
		const decoder = new TextDecoder('utf-8', { fatal: true });
		let checked = 0;
		for (const name of readdirSync(SUITE)) {
			let text: string;
			try {
				text = decoder.decode(readFileSync(`${SUITE}/${name}`));
			} catch {
				continue;
			}
			let valid = true;
			try {
				JSON.parse(text);
			} catch {
				valid = false;
			}
			expect(findJsonError(text) === null, name).toBe(valid);
			checked++;
		}
		expect(checked).toBeGreaterThan(280);
	});

	it('survives 100,000 open brackets without recursion', () => {
		expect(findJsonError('['.repeat(100_000))).toEqual({
			index: 100_000,
			message: 'Unexpected end of JSON input'
		});
	});
});

describe('describeJsonError', () => {
	it('locates the problem by column, with V8-like wording', () => {
		expect(reason('{"messages": [1, 2]]')).toBe(
			"invalid JSON at column 20: Expected ',' or '}' after property value"
		);
		expect(reason('{"a": tru}')).toBe("invalid JSON at column 10: Unexpected token '}'");
		expect(reason('{"a": "x\ty"}')).toBe(
			'invalid JSON at column 9: Bad control character in string literal'
		);
	});

	it('adds hints for trailing commas, NaN and text cut short', () => {
		expect(reason('[1, 2,]')).toBe(
			"invalid JSON at column 7: Unexpected token ']' (a trailing comma?)"
		);
		expect(reason('{"a": 1,}')).toContain('(a trailing comma?)');
		expect(reason('{"a": NaN}')).toContain('(NaN, Infinity and undefined are not JSON)');
		expect(reason('{"a": "b')).toBe('invalid JSON at column 9: Unterminated string');
		expect(reason('{"a": 1')).toContain('Unexpected end of JSON input (the text ends early');
	});

	it('shows invisible characters as code points', () => {
		expect(reason('[\u2060]')).toBe('invalid JSON at column 2: Unexpected token U+2060');
		expect(reason('[\u0000]')).toBe('invalid JSON at column 2: Unexpected token U+0000');
	});

	it('gives the file line when the text spans lines', () => {
		expect(reason('{\n  "a": 1\n  "b": 2\n}', 10)).toBe(
			"invalid JSON at line 12 column 3: Expected ',' or '}' after property value"
		);
	});

	it('recognises Python dicts', () => {
		const python = "{'messages': [{'role': 'user', 'content': 'hi'}], 'ok': True}";
		expect(reason(python)).toBe(
			'looks like a Python dict (single quotes/True/None), not JSON: write the file with json.dumps(...) / json.dump'
		);
		expect(looksLikePython('{"a": None}')).toBe(true);
		expect(looksLikePython('{"a": "None"')).toBe(false);
	});
});
