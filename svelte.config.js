import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// A single-page app: every route falls back to index.html, data lives in IndexedDB.
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false }
	}
};

export default config;
