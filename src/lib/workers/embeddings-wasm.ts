/**
 * onnxruntime-web's runtime files served by the app itself, never from a CDN (its default is
 * jsDelivr). `ort-dist` is a Vite alias of node_modules/onnxruntime-web/dist (the package's
 * `exports` map hides these files from bare imports); `?url` makes Vite emit them as assets.
 * The same .wasm serves the WASM and WebGPU backends. Browser (worker) only: node uses
 * onnxruntime-node.
 */
import { env } from '@huggingface/transformers';
import wasmUrl from 'ort-dist/ort-wasm-simd-threaded.jsep.wasm?url';
import mjsUrl from 'ort-dist/ort-wasm-simd-threaded.jsep.mjs?url';

/** Most threads worth using: small encoders gain little beyond this. */
const MAX_THREADS = 4;

export function configureOnnxWasm(): void {
	const wasm = env.backends.onnx.wasm;
	if (!wasm) return;
	wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
	// Threads need SharedArrayBuffer (the app is cross-origin isolated); ORT's default on a
	// two-core machine is one thread, so the count is set explicitly.
	const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
	wasm.numThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.min(MAX_THREADS, cores)) : 1;
}
