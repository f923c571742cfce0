import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashString } from '$lib/core/hash';
import { useTestDb } from '$lib/db/test-db';
import type { AppDB } from '$lib/db/db';
import { embedAll } from './embeddings-cache';
import { checkFolder, loadEmbedder, relativeToFolder, type DroppedFile } from './embeddings';

/** The tiny random-weight BERT written by scripts/make-tiny-model.py (hidden size 32). */
const FIXTURE = resolve(import.meta.dirname, '../../../tests/fixtures/models/tiny-random-bert');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

/** The fixture as a browser would hand it over from <input webkitdirectory>. */
function droppedFixture(): DroppedFile[] {
	return walk(FIXTURE).map((path) => ({
		path: `tiny-random-bert/${relative(FIXTURE, path)}`,
		file: new Blob([readFileSync(path)])
	}));
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('dropped model folders', () => {
	it('strips the folder name and finds the weights', () => {
		const files = relativeToFolder(droppedFixture());
		expect(files.map((f) => f.path).sort()).toEqual([
			'config.json',
			'onnx/model.onnx',
			'tokenizer.json',
			'tokenizer_config.json'
		]);
		expect(checkFolder(files).dtype).toBe('fp32');
	});

	it('says what a folder lacks', () => {
		const files = relativeToFolder(droppedFixture());
		expect(() => checkFolder(files.filter((f) => f.path !== 'tokenizer.json'))).toThrow(
			/no tokenizer\.json/
		);
		expect(() => checkFolder(files.filter((f) => !f.path.startsWith('onnx/')))).toThrow(
			/no onnx\/model\.onnx/
		);
		const quantized = files.map((f) =>
			f.path === 'onnx/model.onnx' ? { ...f, path: 'onnx/model_quantized.onnx' } : f
		);
		expect(checkFolder(quantized).dtype).toBe('q8');
	});
});

describe('loading the tiny model through Transformers.js, offline', () => {
	it('embeds texts from a dropped folder: right dimension, unit length, deterministic', async () => {
		const embedder = await loadEmbedder(
			{ kind: 'folder', name: 'tiny-random-bert', files: droppedFixture() },
			{ backends: ['cpu'] }
		);
		try {
			expect(embedder.backend).toBe('cpu');
			expect(embedder.dim).toBe(32);
			expect(embedder.key).toMatch(/^folder:tiny-random-bert@[0-9a-f]{12}$/);
			const texts = [
				'Your refund was processed today.',
				'Please wait.',
				'Your refund was processed today.'
			];
			const [a, b, c] = await embedder.embed(texts);
			expect(a.length).toBe(32);
			expect(norm(a)).toBeCloseTo(1, 5);
			expect(Array.from(c)).toEqual(Array.from(a));
			expect(Array.from(b)).not.toEqual(Array.from(a));
			// Batching and padding do not change a text's embedding.
			const [alone] = await embedder.embed([texts[1]]);
			for (let k = 0; k < 32; k++) expect(alone[k]).toBeCloseTo(b[k], 5);
			// Texts longer than the model's 64 positions are truncated, not an error.
			const [long] = await embedder.embed(['word '.repeat(500)]);
			expect(long.length).toBe(32);
		} finally {
			await embedder.dispose();
		}
	});

	it('embeds every output of the demo data (real text: any character, any length)', async () => {
		const demo = readFileSync(
			resolve(FIXTURE, '../../../../static/demo/support-replies.jsonl'),
			'utf8'
		);
		const texts = demo
			.split('\n')
			.filter((line) => line.trim() !== '')
			.flatMap((line) => {
				const messages =
					(JSON.parse(line) as { messages?: { content?: unknown }[] }).messages ?? [];
				return messages.map((m) => (typeof m.content === 'string' ? m.content : ''));
			})
			.filter((text) => text !== '');
		expect(texts.length).toBeGreaterThan(100);
		const embedder = await loadEmbedder(
			{ kind: 'folder', name: 'tiny-random-bert', files: droppedFixture() },
			{ backends: ['cpu'] }
		);
		try {
			const vectors = await embedder.embed(texts);
			expect(vectors).toHaveLength(texts.length);
			for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 4);
		} finally {
			await embedder.dispose();
		}
	});

	it('refuses an invalid hub id with a clear message', async () => {
		await expect(
			loadEmbedder({ kind: 'hub', model: 'not a model' }, { backends: ['cpu'] })
		).rejects.toThrow(/not a Hugging Face model id/);
	});

	describe('from a hub mirror on localhost', () => {
		let server: Server;
		let host: string;
		let cacheDir: string;
		const requests: string[] = [];
		beforeAll(async () => {
			// Node keeps hub downloads on disk (the browser: in Cache Storage); a fresh folder per run.
			cacheDir = mkdtempSync(join(tmpdir(), 'tuneloop-hf-'));
			env.cacheDir = cacheDir;
			server = createServer((req, res) => {
				requests.push(req.url ?? '');
				// The hub's layout: /<owner>/<name>/resolve/<revision>/<file>.
				const match = /^\/test-owner\/tiny-random-bert\/resolve\/main\/(.+)$/.exec(req.url ?? '');
				const path = match ? resolve(FIXTURE, decodeURIComponent(match[1])) : null;
				if (!path || !path.startsWith(FIXTURE) || !statSync(path, { throwIfNoEntry: false })) {
					res.writeHead(404).end();
					return;
				}
				res.writeHead(200).end(readFileSync(path));
			});
			await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
			host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
		});
		afterAll(() => {
			rmSync(cacheDir, { recursive: true, force: true });
		});

		it('downloads a hub model by id and embeds with it', async () => {
			const model = `test-owner/tiny-random-bert`;
			const embedder = await loadEmbedder(
				{ kind: 'hub', model },
				{ backends: ['cpu'], remoteHost: host }
			);
			try {
				expect(embedder.key).toBe(model);
				expect(embedder.dim).toBe(32);
				expect(requests.some((r) => r.endsWith('/onnx/model.onnx'))).toBe(true);
				const folder = await loadEmbedder(
					{ kind: 'folder', name: 'tiny-random-bert', files: droppedFixture() },
					{ backends: ['cpu'] }
				);
				// Same weights, same vectors, whichever way the model arrived.
				const [fromHub] = await embedder.embed(['same text']);
				const [fromFolder] = await folder.embed(['same text']);
				expect(Array.from(fromHub)).toEqual(Array.from(fromFolder));
				await folder.dispose();
			} finally {
				await embedder.dispose();
			}
		});

		it('loads it again from the cache with the hub out of reach', async () => {
			await new Promise<void>((done) => server.close(() => done()));
			const before = requests.length;
			const embedder = await loadEmbedder(
				{ kind: 'hub', model: 'test-owner/tiny-random-bert' },
				{ backends: ['cpu'], remoteHost: host }
			);
			try {
				expect(requests.length).toBe(before);
				expect((await embedder.embed(['offline']))[0].length).toBe(32);
			} finally {
				await embedder.dispose();
			}
			await expect(
				loadEmbedder(
					{ kind: 'hub', model: 'test-owner/never-downloaded' },
					{ backends: ['cpu'], remoteHost: host }
				)
			).rejects.toThrow(/Could not load test-owner\/never-downloaded/);
		});
	});
});

describe('embedding cache (IndexedDB by model and content hash)', () => {
	let db: AppDB;
	beforeEach(() => {
		db = useTestDb();
	});

	it('embeds each distinct text once per model and reuses the cache', async () => {
		let calls = 0;
		const fake = {
			key: 'm',
			dim: 2,
			async embed(texts: string[]) {
				calls += texts.length;
				return texts.map((t) => Float32Array.from([t.length, 1]));
			}
		};
		const first = await embedAll(fake, ['aa', 'b', 'aa']);
		expect(first.computed).toBe(2);
		expect(first.cached).toBe(0);
		expect(first.vectors.map((v) => v[0])).toEqual([2, 1, 2]);
		expect(await db.embeddings.count()).toBe(2);
		const second = await embedAll(fake, ['b', 'ccc']);
		expect(second.cached).toBe(1);
		expect(second.computed).toBe(1);
		expect(calls).toBe(3);
		expect(second.vectors.map((v) => v[0])).toEqual([1, 3]);
		// Another model does not see this one's vectors.
		await embedAll({ ...fake, key: 'other' }, ['aa']);
		expect(calls).toBe(4);
	});

	it('caches real embeddings from the tiny model', async () => {
		const embedder = await loadEmbedder(
			{ kind: 'folder', name: 'tiny-random-bert', files: droppedFixture() },
			{ backends: ['cpu'] }
		);
		try {
			const texts = ['hello there', 'thanks for the help'];
			const first = await embedAll(embedder, texts);
			const second = await embedAll(embedder, texts);
			expect(second.cached).toBe(2);
			expect(second.vectors.map((v) => Array.from(v))).toEqual(
				first.vectors.map((v) => Array.from(v))
			);
			const row = await db.embeddings.get([embedder.key, hashString('hello there')]);
			expect(row?.vector.length).toBe(32);
		} finally {
			await embedder.dispose();
		}
	});
});
