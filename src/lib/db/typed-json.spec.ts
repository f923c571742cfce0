import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from './typed-json';

describe('typed JSON', () => {
	it('round-trips typed arrays, non-finite numbers and $-keys', () => {
		const weights = new Float32Array([0.1, -2.5, 3e-8, Number.NaN]);
		const value = {
			weights,
			bias: new Float64Array([Math.PI]),
			counts: new Uint8Array([0, 255]),
			offset: new Int32Array(new Int32Array([1, 2, 3, 4]).buffer, 4, 2),
			odd: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1],
			user: { $f32: 'not a tag', $$money: 1, nested: [{ $num: 'x' }] }
		};
		const text = encodeJson(value);
		expect(text).toContain('"$f32":"');
		const back = decodeJson(text) as typeof value;
		expect(back.weights).toBeInstanceOf(Float32Array);
		expect(Array.from(back.weights)).toEqual(Array.from(weights));
		expect(back.bias).toEqual(value.bias);
		expect(back.counts).toEqual(value.counts);
		expect(Array.from(back.offset)).toEqual([2, 3]);
		expect(back.odd).toEqual(value.odd);
		expect(back.user).toEqual(value.user);
	});

	it('encodes large arrays', () => {
		const big = new Float32Array(100_000).map((_, i) => i / 7);
		expect(decodeJson(encodeJson({ big }))).toEqual({ big });
	});

	it('leaves objects keyed like built-in properties as they were', () => {
		const value = JSON.parse(
			'{"a":{"constructor":"abc"},"b":{"toString":"eA=="},"c":{"__proto__":"AAAA"},"d":{"hasOwnProperty":"x"},"e":{"$money":1,"__proto__":{"x":1}}}'
		);
		const back = decodeJson(encodeJson(value)) as Record<string, Record<string, unknown>>;
		expect(back).toEqual(value);
		expect(Object.keys(back.c)).toEqual(['__proto__']);
		expect(Object.keys(back.e)).toEqual(['$money', '__proto__']);
	});
});
