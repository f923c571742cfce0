/**
 * Sentence embeddings through Transformers.js, for the preference model's optional pretrained
 * features. A model comes either from the Hugging Face hub (downloaded once, then kept in the
 * browser's Cache Storage for offline use) or from a folder the user drops in (Transformers.js
 * layout: config.json, tokenizer.json, onnx/model*.onnx), served to Transformers.js from memory
 * through its custom-cache hook so no request leaves the page. Backends are tried in order
 * (WebGPU, then WASM in the browser; onnxruntime-node's CPU in node tests) and the one that
 * loaded is reported. Runs in the model worker and in node; it never touches the DOM.
 */
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';

export type EmbeddingBackend = 'webgpu' | 'wasm' | 'cpu';

/** One file of a dropped model folder, its path relative to the folder ("onnx/model.onnx"). */
export interface DroppedFile {
	path: string;
	file: Blob;
}

export type EmbeddingSource =
	{ kind: 'hub'; model: string } | { kind: 'folder'; name: string; files: DroppedFile[] };

export interface LoadOptions {
	/** Backends to try, in order. */
	backends: EmbeddingBackend[];
	/** Another host serving the hub's URL layout (a mirror; tests use a local server). */
	remoteHost?: string;
	/**
	 * Whether a software WebGPU adapter (SwiftShader, which headless Chromium offers) counts: it
	 * runs on the CPU, far slower than WASM, so "auto" skips it; asking for WebGPU explicitly
	 * takes it.
	 */
	allowSoftwareWebgpu?: boolean;
	/** Files being fetched or read, for a progress line. */
	onProgress?: (message: string) => void;
}

export interface Embedder {
	/** Cache key of the model: the hub id, or `folder:<name>@<sha-256 prefix of the weights>`. */
	key: string;
	/** What to show the user. */
	label: string;
	backend: EmbeddingBackend;
	dim: number;
	loadMs: number;
	/** L2-normalised mean-pooled embeddings, one per text, in order. */
	embed(texts: string[]): Promise<Float32Array[]>;
	dispose(): Promise<void>;
}

/**
 * `pipeline` narrowed to the one task used here: its full overloaded type is too complex for
 * TypeScript to check a call against (TS2590).
 */
const featureExtraction = pipeline as unknown as (
	task: 'feature-extraction',
	model: string,
	options: {
		device: EmbeddingBackend;
		dtype: string;
		progress_callback?: (progress: { status: string; file?: string; progress?: number }) => void;
	}
) => Promise<FeatureExtractionPipeline>;
const TASK = 'feature-extraction';

/** Texts per forward pass: padding makes a batch as slow as its longest text. */
export const EMBED_BATCH = 16;

/** ONNX weight files Transformers.js knows, by the `dtype` that selects them (preferred first). */
const WEIGHT_FILES: [suffix: string, dtype: string][] = [
	['', 'fp32'],
	['_fp16', 'fp16'],
	['_quantized', 'q8'],
	['_int8', 'int8'],
	['_uint8', 'uint8'],
	['_q4', 'q4'],
	['_q4f16', 'q4f16'],
	['_bnb4', 'bnb4']
];

/** Where a dropped folder's files appear to Transformers.js (never fetched: see customCache). */
const DROPPED_ROOT = '/dropped-models/';

/** Strips the dropped folder's own name ("my-model/onnx/model.onnx" → "onnx/model.onnx"). */
export function relativeToFolder(files: DroppedFile[]): DroppedFile[] {
	const firsts = new Set(files.map((f) => f.path.split('/')[0]));
	const nested = files.every((f) => f.path.includes('/')) && firsts.size === 1;
	return files.map((f) => ({
		path: nested ? f.path.slice(f.path.indexOf('/') + 1) : f.path,
		file: f.file
	}));
}

/** Picks the weights of a dropped folder, or says what is missing. */
export function checkFolder(files: DroppedFile[]): { dtype: string; weights: DroppedFile } {
	const have = new Map(files.map((f) => [f.path, f]));
	const missing = ['config.json', 'tokenizer.json'].filter((name) => !have.has(name));
	if (missing.length > 0)
		throw new Error(
			`The model folder has no ${missing.join(' or ')}: drop a folder in the Transformers.js layout (config.json, tokenizer.json, onnx/model.onnx).`
		);
	for (const [suffix, dtype] of WEIGHT_FILES) {
		const weights = have.get(`onnx/model${suffix}.onnx`);
		if (weights) return { dtype, weights };
	}
	throw new Error(
		'The model folder has no onnx/model.onnx (nor model_quantized.onnx, model_fp16.onnx…): export the model with Transformers.js’s conversion script first.'
	);
}

async function sha256Prefix(blob: Blob): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
	return Array.from(new Uint8Array(digest).slice(0, 6), (b) =>
		b.toString(16).padStart(2, '0')
	).join('');
}

/** A name that Transformers.js accepts as a model id (letters, digits, - _ .). */
function safeName(name: string): string {
	return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'model';
}

/**
 * Serves a dropped folder's files to Transformers.js by their path; everything else is a miss
 * (a missing optional file then counts as absent instead of being fetched).
 */
function folderCache(modelId: string, files: DroppedFile[], weights: DroppedFile) {
	const prefix = `${modelId}/`;
	return {
		async match(key: string | Request | undefined): Promise<Response | undefined> {
			// In node, Transformers.js asks for the ONNX weights as a path and, after a cache hit,
			// looks them up again with no key; the weights are the only file it asks that way.
			if (key === undefined) return new Response(weights.file);
			const url = typeof key === 'string' ? key : key.url;
			const at = url.lastIndexOf(prefix);
			if (at < 0) return undefined;
			const path = url.slice(at + prefix.length);
			const hit = files.find((f) => f.path === path);
			return hit ? new Response(hit.file) : undefined;
		},
		async put(): Promise<void> {
			// The files are in memory already; nothing to keep.
		}
	};
}

interface GpuAdapterLike {
	info?: {
		vendor?: string;
		architecture?: string;
		description?: string;
		isFallbackAdapter?: boolean;
	};
}

/** 'hardware', 'software' (SwiftShader or another fallback adapter) or null: no adapter. */
async function webgpuAdapter(): Promise<'hardware' | 'software' | null> {
	const gpu = (
		globalThis.navigator as
			{ gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined
	)?.gpu;
	if (!gpu) return null;
	try {
		const adapter = await gpu.requestAdapter();
		if (!adapter) return null;
		const info = adapter.info ?? {};
		const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
		return info.isFallbackAdapter || /swiftshader/i.test(text) ? 'software' : 'hardware';
	} catch {
		return null;
	}
}

/** Loads an embedding model on the first backend that works. */
export async function loadEmbedder(
	source: EmbeddingSource,
	options: LoadOptions
): Promise<Embedder> {
	const started = performance.now();
	let modelId: string;
	let dtype = 'fp32';
	let key: string;
	let label: string;
	if (source.kind === 'hub') {
		modelId = source.model.trim();
		if (!/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(modelId))
			throw new Error(
				`“${source.model}” is not a Hugging Face model id: write it as owner/name, e.g. Xenova/all-MiniLM-L6-v2.`
			);
		key = modelId;
		label = modelId;
		env.useCustomCache = false;
		env.customCache = null;
		env.allowLocalModels = false;
		// Files already cached are read from the cache without a request, so this works offline
		// once the model has been downloaded.
		env.allowRemoteModels = true;
		// Hub files are kept in Cache Storage (browser) or on disk (node) for offline use.
		env.useBrowserCache = typeof caches !== 'undefined';
		env.remoteHost = options.remoteHost ?? 'https://huggingface.co/';
	} else {
		const files = relativeToFolder(source.files);
		const picked = checkFolder(files);
		dtype = picked.dtype;
		const name = safeName(source.name);
		const hash = await sha256Prefix(picked.weights.file);
		modelId = `dropped/${name}-${hash}`;
		key = `folder:${name}@${hash}`;
		label = `${source.name} (dropped folder)`;
		env.allowLocalModels = true;
		env.allowRemoteModels = false;
		env.useBrowserCache = false;
		env.localModelPath = DROPPED_ROOT;
		env.useCustomCache = true;
		env.customCache = folderCache(modelId, files, picked.weights);
	}

	const failures: string[] = [];
	for (const backend of options.backends) {
		if (backend === 'webgpu') {
			const adapter = await webgpuAdapter();
			if (adapter === null) {
				failures.push('webgpu: no adapter');
				continue;
			}
			if (adapter === 'software' && !options.allowSoftwareWebgpu) {
				failures.push('webgpu: software adapter only (slower than WASM), skipped');
				continue;
			}
		}
		try {
			const extractor = await featureExtraction(TASK, modelId, {
				device: backend,
				dtype,
				progress_callback: (p: { status: string; file?: string; progress?: number }) => {
					if (p.status === 'progress' && p.file)
						options.onProgress?.(`${p.file} ${Math.round(p.progress ?? 0)}%`);
				}
			});
			const embed = async (texts: string[]): Promise<Float32Array[]> => {
				const out: Float32Array[] = [];
				for (let start = 0; start < texts.length; start += EMBED_BATCH) {
					const batch = texts.slice(start, start + EMBED_BATCH);
					const tensor = await extractor(batch, { pooling: 'mean', normalize: true });
					const data = tensor.data as Float32Array;
					const dim = tensor.dims[tensor.dims.length - 1];
					for (let i = 0; i < batch.length; i++)
						out.push(Float32Array.from(data.subarray(i * dim, (i + 1) * dim)));
					tensor.dispose();
				}
				return out;
			};
			const [probe] = await embed(['dimension probe']);
			return {
				key,
				label,
				backend,
				dim: probe.length,
				loadMs: performance.now() - started,
				embed,
				dispose: () => extractor.dispose()
			};
		} catch (error) {
			failures.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	throw new Error(`Could not load ${label}. ${failures.join('; ')}`);
}
