/**
 * The Model page's sentence-embeddings option: off (built-in features only, the default), a
 * model from the Hugging Face hub, or a model folder dropped in. The model loads in the model
 * worker (WebGPU when there is an adapter, else WASM); this state says which backend it got and
 * how fast it embeds. Only the hub id is remembered across visits (a dropped folder cannot be).
 */
import * as Comlink from 'comlink';
import type { DroppedFile, EmbeddingBackend } from '$lib/workers/embeddings';
import type { EmbeddingInfo } from '$lib/workers/model.api';
import { errorMessage } from './handle-error';
import { modelTraining } from './model.svelte';

export type EmbeddingChoice = 'off' | 'hub' | 'folder';
/** auto: WebGPU on a hardware adapter, else WASM; or one backend on purpose (to compare). */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

const BACKEND_OPTIONS: Record<
	BackendChoice,
	{ backends: EmbeddingBackend[]; allowSoftwareWebgpu: boolean }
> = {
	auto: { backends: ['webgpu', 'wasm'], allowSoftwareWebgpu: false },
	webgpu: { backends: ['webgpu'], allowSoftwareWebgpu: true },
	wasm: { backends: ['wasm'], allowSoftwareWebgpu: false }
};

export const DEFAULT_HUB_MODEL = 'Xenova/all-MiniLM-L6-v2';
const HUB_KEY = 'tuneloop.embeddings.hubModel';

/** Sentences of everyday length for the throughput figure (embedded uncached). */
const SAMPLE = Array.from(
	{ length: 32 },
	(_, i) =>
		`Sample answer ${i + 1}: thanks for your question, here is a short explanation with a few details and an example.`
);

function storedHubModel(): string {
	try {
		return globalThis.localStorage?.getItem(HUB_KEY) || DEFAULT_HUB_MODEL;
	} catch {
		return DEFAULT_HUB_MODEL;
	}
}

class SentenceEmbeddings {
	choice = $state<EmbeddingChoice>('off');
	hubModel = $state(storedHubModel());
	backend = $state<BackendChoice>('auto');
	loaded = $state.raw<EmbeddingInfo | null>(null);
	loading = $state(false);
	/** Download or read progress while loading. */
	message = $state<string | null>(null);
	error = $state<string | null>(null);
	/** Texts per second on the loaded backend, measured right after loading. */
	throughput = $state<number | null>(null);

	/** Whether the next training run adds embeddings. */
	get active(): boolean {
		if (this.choice === 'off' || this.loaded === null || this.loading) return false;
		return this.loaded.key.startsWith('folder:') === (this.choice === 'folder');
	}

	async loadHub(): Promise<void> {
		const model = this.hubModel.trim();
		try {
			globalThis.localStorage?.setItem(HUB_KEY, model);
		} catch {
			// Private mode: the id is just not remembered.
		}
		await this.#load(() =>
			modelTraining.worker.loadEmbeddings(
				{ kind: 'hub', model },
				this.#progress(),
				BACKEND_OPTIONS[this.backend]
			)
		);
	}

	/** Files from `<input type=file webkitdirectory>`: their relative paths keep the layout. */
	async loadFolder(files: FileList | File[]): Promise<void> {
		const list = Array.from(files);
		if (list.length === 0) return;
		const dropped: DroppedFile[] = list.map((file) => ({
			path: file.webkitRelativePath || file.name,
			file
		}));
		const name = dropped[0].path.includes('/') ? dropped[0].path.split('/')[0] : 'model';
		await this.#load(() =>
			modelTraining.worker.loadEmbeddings(
				{ kind: 'folder', name, files: dropped },
				this.#progress(),
				BACKEND_OPTIONS[this.backend]
			)
		);
	}

	async unload(): Promise<void> {
		await modelTraining.worker.unloadEmbeddings();
		this.loaded = null;
		this.throughput = null;
	}

	#progress() {
		return Comlink.proxy((message: string) => {
			this.message = message;
		});
	}

	async #load(run: () => Promise<EmbeddingInfo>): Promise<void> {
		if (this.loading) return;
		this.loading = true;
		this.error = null;
		this.message = null;
		this.throughput = null;
		try {
			this.loaded = await run();
			this.message = 'Measuring speed';
			const measured = await modelTraining.worker.measureEmbeddings(SAMPLE);
			this.throughput = measured.textsPerSecond;
		} catch (error) {
			this.loaded = null;
			this.error = errorMessage(error);
		} finally {
			this.loading = false;
			this.message = null;
		}
	}
}

export const sentenceEmbeddings = new SentenceEmbeddings();
