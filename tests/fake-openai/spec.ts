/**
 * The official OpenAI spec (../shared/openai/openapi.yaml), normalized so a JSON Schema 2020-12
 * validator accepts it (steps from ../shared/openai/NOTES.md), and validators compiled from it
 * per operation on first use. The fake server checks every request it gets, and every response it
 * sends, with these: a request the spec would refuse fails the test that made it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SPEC_PATH = resolve(
	dirname(fileURLToPath(import.meta.url)),
	'../../../shared/openai/openapi.yaml'
);

type Json = Record<string, unknown>;

export interface Parameter {
	name: string;
	in: 'query' | 'path' | 'header' | 'cookie';
	required?: boolean;
	schema?: Json;
}

export interface Operation {
	method: string;
	/** The spec's path key, e.g. `/fine_tuning/jobs/{fine_tuning_job_id}`. */
	path: string;
	operationId: string;
	parameters: Parameter[];
	/** JSON pointer (inside the `openai` schema) of the request body schema, by content type. */
	bodyPointers: Record<string, string>;
	/** JSON pointer of the 200 response schema, by content type. */
	responsePointers: Record<string, string>;
	matcher: RegExp;
	pathParams: string[];
}

export interface NormalizedSpec {
	paths: Json;
	components: Json;
}

// ---------------------------------------------------------------------------------------------
// Normalizing

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NULL_SCHEMA = { type: 'null' };

/** One schema node, children first; `self` is the pointer of the schema that declared
 * `$recursiveAnchor` nearest above (for `$recursiveRef`). */
function normalizeNode(node: unknown, pointer: string, anchor: string | null): unknown {
	if (Array.isArray(node))
		return node.map((item, index) => normalizeNode(item, `${pointer}/${index}`, anchor));
	if (!isObject(node)) return node;
	const here = node.$recursiveAnchor === true ? pointer : anchor;
	let out: Json = {};
	for (const [key, value] of Object.entries(node)) {
		// Step 7: vendor extensions and examples are documentation, not constraints.
		if (key.startsWith('x-') || key === 'example' || key === 'examples') continue;
		// Step 6: discriminators without mapping; oneOf/anyOf validate without them.
		if (key === 'discriminator' || key === '$recursiveAnchor') continue;
		const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
		out[key] = normalizeNode(value, `${pointer}/${escaped}`, here);
	}
	// Step 3: $recursiveRef '#' → a plain $ref to the anchored schema.
	if (out.$recursiveRef !== undefined) {
		delete out.$recursiveRef;
		out.$ref = here ?? '#';
	}
	// Step 5: $ref siblings (description, default, title) are dropped.
	if (typeof out.$ref === 'string') {
		const ref = out.$ref;
		const nullable = out.nullable === true;
		out = { $ref: ref };
		if (nullable) return { anyOf: [out, NULL_SCHEMA] };
		return out;
	}
	// Step 4: duplicate required entries.
	if (Array.isArray(out.required)) out.required = [...new Set(out.required as string[])];
	// Step 2: boolean exclusive bounds → numeric.
	for (const [flag, bound] of [
		['exclusiveMinimum', 'minimum'],
		['exclusiveMaximum', 'maximum']
	] as const) {
		if (out[flag] === true) {
			out[flag] = out[bound];
			delete out[bound];
		} else if (out[flag] === false) delete out[flag];
	}
	// Step 1 (allOf form): allOf [X, {nullable: true}] → anyOf [X, null].
	if (Array.isArray(out.allOf)) {
		const parts = out.allOf as Json[];
		const nullMarker = parts.findIndex(
			(part) => isObject(part) && part.nullable === true && Object.keys(part).length <= 2
		);
		if (nullMarker >= 0) {
			const rest = parts.filter((_, index) => index !== nullMarker);
			const { allOf: _allOf, ...others } = out;
			const inner = rest.length === 1 ? rest[0] : { allOf: rest };
			out = { ...others, anyOf: [inner, NULL_SCHEMA] };
		}
	}
	// Step 1: nullable: true.
	if (out.nullable !== undefined) {
		const nullable = out.nullable === true;
		delete out.nullable;
		if (nullable) {
			if (typeof out.type === 'string') {
				out.type = [out.type, 'null'];
				if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
			} else if (Array.isArray(out.type)) {
				if (!out.type.includes('null')) out.type = [...(out.type as string[]), 'null'];
				if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
			} else {
				return { anyOf: [out, NULL_SCHEMA] };
			}
		}
	}
	return out;
}

/** The spec's paths and components, normalized; cached on disk per spec file version. */
export function loadNormalizedSpec(): NormalizedSpec {
	const stat = statSync(SPEC_PATH);
	const source = readFileSync(import.meta.filename);
	const version = createHash('sha1')
		.update(`${stat.size}:${stat.mtimeMs}:`)
		.update(source)
		.digest('hex')
		.slice(0, 16);
	const cacheDir = join(tmpdir(), 'tuneloop-openai-spec');
	const cacheFile = join(cacheDir, `${version}.json`);
	if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as NormalizedSpec;
	const raw = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 }) as Json;
	const paths = normalizeNode(raw.paths, '#/paths', null) as Json;
	const components = normalizeNode(raw.components, '#/components', null) as Json;
	const spec = { paths, components };
	mkdirSync(cacheDir, { recursive: true });
	writeFileSync(cacheFile, JSON.stringify(spec));
	return spec;
}

// ---------------------------------------------------------------------------------------------
// Operations and validators

function escapePointer(part: string): string {
	return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function listOperations(spec: NormalizedSpec): Operation[] {
	const operations: Operation[] = [];
	for (const [path, item] of Object.entries(spec.paths)) {
		// Step 8: path keys with a query string are variants of another path.
		if (path.includes('?') || !isObject(item)) continue;
		const shared = (item.parameters as Parameter[] | undefined) ?? [];
		for (const method of METHODS) {
			const op = item[method];
			if (!isObject(op)) continue;
			const base = `openai#/paths/${escapePointer(path)}/${method}`;
			const bodyPointers: Record<string, string> = {};
			const content = (op.requestBody as Json | undefined)?.content;
			if (isObject(content))
				for (const type of Object.keys(content))
					bodyPointers[type] = `${base}/requestBody/content/${escapePointer(type)}/schema`;
			const responsePointers: Record<string, string> = {};
			const ok = ((op.responses as Json | undefined)?.['200'] as Json | undefined)?.content;
			if (isObject(ok))
				for (const type of Object.keys(ok))
					responsePointers[type] = `${base}/responses/200/content/${escapePointer(type)}/schema`;
			const pathParams: string[] = [];
			const pattern = path
				.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
				.replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
					pathParams.push(name);
					return '([^/]+)';
				});
			operations.push({
				method: method.toUpperCase(),
				path,
				operationId: String(op.operationId ?? `${method} ${path}`),
				parameters: [...shared, ...((op.parameters as Parameter[] | undefined) ?? [])],
				bodyPointers,
				responsePointers,
				matcher: new RegExp(`^${pattern}$`),
				pathParams
			});
		}
	}
	// Literal paths before templated ones: /fine_tuning/jobs before /fine_tuning/{x}.
	return operations.sort((a, b) => a.pathParams.length - b.pathParams.length);
}

function makeAjv(spec: NormalizedSpec, coerce: boolean): Ajv2020 {
	const ajv = new Ajv2020({
		strict: false,
		allErrors: true,
		validateFormats: true,
		...(coerce ? { coerceTypes: 'array' as const } : {})
	});
	(addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
	ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) });
	ajv.addFormat('binary', true);
	ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
	ajv.addFormat('double', { type: 'number', validate: () => true });
	ajv.addFormat('float', { type: 'number', validate: () => true });
	ajv.addSchema({ $id: 'openai', paths: spec.paths, components: spec.components });
	return ajv;
}

/** Parameter schemas are compiled outside the `openai` document: point their refs into it. */
function absoluteRefs(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(absoluteRefs);
	if (!isObject(node)) return node;
	const out: Json = {};
	for (const [key, value] of Object.entries(node))
		out[key] =
			key === '$ref' && typeof value === 'string' && value.startsWith('#')
				? `openai${value}`
				: absoluteRefs(value);
	return out;
}

export interface Validation {
	ok: boolean;
	errors: string[];
}

function describe(validate: ValidateFunction): string[] {
	return (validate.errors ?? [])
		.slice(0, 8)
		.map(
			(error) =>
				`${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`
		);
}

/** Validators for one spec, compiled lazily and kept per pointer. */
export class SpecValidator {
	readonly operations: Operation[];
	#strict: Ajv2020;
	#coercing: Ajv2020;
	#cache = new Map<string, ValidateFunction>();

	constructor(spec: NormalizedSpec = loadNormalizedSpec()) {
		this.operations = listOperations(spec);
		this.#strict = makeAjv(spec, false);
		this.#coercing = makeAjv(spec, true);
	}

	/** The operation for a method and a path without the `/v1` prefix, with its path params. */
	find(method: string, path: string): { op: Operation; params: Record<string, string> } | null {
		for (const op of this.operations) {
			if (op.method !== method) continue;
			const match = op.matcher.exec(path);
			if (!match) continue;
			const params: Record<string, string> = {};
			op.pathParams.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1])));
			return { op, params };
		}
		return null;
	}

	#compile(key: string, schema: Json, coerce: boolean): ValidateFunction {
		const cached = this.#cache.get(key);
		if (cached) return cached;
		const compiled = (coerce ? this.#coercing : this.#strict).compile(schema);
		this.#cache.set(key, compiled);
		return compiled;
	}

	/** A JSON body against a pointer; unknown (misspelled) top-level fields are refused (step 10). */
	body(pointer: string, value: unknown, coerce = false): Validation {
		const validate = this.#compile(
			`body:${coerce}:${pointer}`,
			{ $ref: pointer, unevaluatedProperties: false },
			coerce
		);
		const ok = validate(value);
		return { ok, errors: ok ? [] : describe(validate) };
	}

	/** A response or stream chunk against a pointer or a components schema name. */
	value(pointerOrName: string, value: unknown): Validation {
		const pointer = pointerOrName.startsWith('openai#')
			? pointerOrName
			: `openai#/components/schemas/${pointerOrName}`;
		const validate = this.#compile(`value:${pointer}`, { $ref: pointer }, false);
		const ok = validate(value);
		return { ok, errors: ok ? [] : describe(validate) };
	}

	/** Query, path and header parameters (strings, coerced to their schema types). */
	parameters(
		op: Operation,
		location: Parameter['in'],
		values: Record<string, unknown>
	): Validation {
		const params = op.parameters.filter((param) => param.in === location);
		const properties: Record<string, Json> = {};
		const required: string[] = [];
		for (const param of params) {
			const name = location === 'header' ? param.name.toLowerCase() : param.name;
			properties[name] = absoluteRefs(param.schema ?? {}) as Json;
			if (param.required) required.push(name);
		}
		const schema: Json = { type: 'object', properties, required };
		// Query strings must name only declared parameters; headers carry many others.
		if (location !== 'header') schema.additionalProperties = false;
		const validate = this.#compile(`params:${op.method}:${op.path}:${location}`, schema, true);
		const ok = validate(values);
		return { ok, errors: ok ? [] : describe(validate) };
	}
}
