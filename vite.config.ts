import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Cross-origin isolation (COOP/COEP) makes SharedArrayBuffer available for threaded WASM.
 * SvelteKit's preview ignores `preview.headers`, so the headers are set in middleware.
 */
function crossOriginIsolation(): Plugin {
	const setHeaders = (
		_req: unknown,
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		next();
	};
	return {
		name: 'tuneloop-cross-origin-isolation',
		configureServer(server) {
			server.middlewares.use(setHeaders);
		},
		configurePreviewServer(server) {
			server.middlewares.use(setHeaders);
		}
	};
}

export default defineConfig({
	plugins: [
		crossOriginIsolation(),
		sveltekit(),
		SvelteKitPWA({
			registerType: 'autoUpdate',
			// adapter-static writes the SPA shell as index.html; it is precached under '/' because
			// servers (vite preview among them) answer '/', not always '/index.html'.
			kit: { adapterFallback: 'index.html', spa: { fallbackMapping: '/' } },
			injectRegister: false,
			// SvelteKit builds with relative paths, which would register `sw.js` relative to the
			// page first opened (/playground/stored → /playground/sw.js, a 404): the worker lives at
			// the root and controls the whole origin.
			base: '/',
			scope: '/',
			manifest: {
				name: 'Tuneloop',
				short_name: 'Tuneloop',
				description:
					'Turn your LLM logs and feedback into better models, privately in your browser.',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				background_color: '#ffffff',
				theme_color: '#4338ca',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			workbox: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webmanifest,json,jsonl}'],
				// The shell is precached as '/' (see kit.spa above): serve it for every navigation.
				navigateFallback: '/',
				maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
				// onnxruntime-web (21 MB of .wasm, only needed when sentence embeddings are on) is not
				// precached: it is cached at first use, so embeddings then work offline too.
				runtimeCaching: [
					{
						urlPattern: /\/_app\/immutable\/.*ort-wasm[^/]*\.(?:wasm|mjs)$/,
						handler: 'CacheFirst',
						options: { cacheName: 'onnx-runtime', expiration: { maxEntries: 4 } }
					}
				]
			}
		})
	],
	resolve: {
		alias: {
			// onnxruntime-web's runtime files, served by the app (see workers/embeddings-wasm.ts).
			'ort-dist': fileURLToPath(new URL('./node_modules/onnxruntime-web/dist', import.meta.url))
		}
	},
	// Pre-bundled, these would lose their `?url` assets in dev (source text instead of a URL).
	optimizeDeps: { exclude: ['ort-dist', '@huggingface/transformers', 'onnxruntime-web'] },
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node',
		testTimeout: 30_000
	}
});
