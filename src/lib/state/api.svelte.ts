/**
 * The user's API settings and the client built from them. The key is read from the settings
 * table into this object's private field only: it is never put in reactive state a component
 * could render, never logged; the UI sees whether one is set and its last four characters.
 */
import * as v from 'valibot';
import { deleteSetting, getSetting, setSetting, settingSchemas } from '$lib/db/settings';
import { DEFAULT_BASE_URL, OpenAIApi, type ApiConfig, type ModelInfo } from '$lib/openai/client';
import { OpenAIFailure } from '$lib/openai/errors';
import { app } from './app.svelte';

export interface ApiForm {
	/** Empty keeps the stored key. */
	apiKey: string;
	organization: string;
	project: string;
	baseUrl: string;
}

export type TestResult =
	{ ok: true; models: ModelInfo[]; at: number } | { ok: false; failure: OpenAIFailure; at: number };

class ApiState {
	#key: string | null = null;
	loaded = $state(false);
	hasKey = $state(false);
	keyHint = $state('');
	organization = $state('');
	project = $state('');
	baseUrl = $state(DEFAULT_BASE_URL);
	/** Models from the last successful listing (Test connection or a page that needs them). */
	models = $state.raw<ModelInfo[]>([]);
	modelsError = $state.raw<OpenAIFailure | null>(null);
	testing = $state(false);
	lastTest = $state.raw<TestResult | null>(null);
	#loading: Promise<void> | null = null;

	/** Reads the settings once (pages call this on mount). */
	load(): Promise<void> {
		this.#loading ??= this.#read();
		return this.#loading;
	}

	async #read(): Promise<void> {
		const [key, organization, project, baseUrl] = await Promise.all([
			getSetting('apiKey'),
			getSetting('organization'),
			getSetting('project'),
			getSetting('baseUrl')
		]);
		this.#setKey(key ?? null);
		this.organization = organization ?? '';
		this.project = project ?? '';
		this.baseUrl = baseUrl ?? DEFAULT_BASE_URL;
		this.loaded = true;
	}

	#setKey(key: string | null): void {
		this.#key = key;
		this.hasKey = key !== null;
		this.keyHint = key ? `…${key.slice(-4)}` : '';
	}

	get config(): ApiConfig | null {
		if (!this.#key) return null;
		return {
			apiKey: this.#key,
			organization: this.organization,
			project: this.project,
			baseUrl: this.baseUrl
		};
	}

	/** Saves the form (a blank key field keeps the stored key). Throws a ValiError when invalid. */
	async save(form: ApiForm): Promise<void> {
		await this.load();
		const baseUrl = form.baseUrl.trim() || DEFAULT_BASE_URL;
		const key = form.apiKey.trim();
		// Check everything before writing anything, so a bad base URL saves nothing.
		v.parse(settingSchemas.baseUrl, baseUrl);
		if (key) v.parse(settingSchemas.apiKey, key);
		if (key) await setSetting('apiKey', key);
		await setSetting('baseUrl', baseUrl);
		for (const name of ['organization', 'project'] as const) {
			const value = form[name].trim();
			if (value) await setSetting(name, value);
			else await deleteSetting(name);
		}
		if (key) this.#setKey(key);
		this.organization = form.organization.trim();
		this.project = form.project.trim();
		this.baseUrl = baseUrl;
		this.lastTest = null;
	}

	/** Deletes the key from this browser (organization, project and base URL stay). */
	async forgetKey(): Promise<void> {
		await deleteSetting('apiKey');
		this.#setKey(null);
		this.models = [];
		this.lastTest = null;
	}

	/** A client for the saved settings; throws an OpenAIFailure saying what is missing. */
	client(timeoutMs?: number): OpenAIApi {
		const config = this.config;
		if (!config)
			throw new OpenAIFailure('auth', 'No API key yet: add one in Settings → API first.');
		if (!app.online)
			throw new OpenAIFailure(
				'offline',
				'You are offline. This needs the API; it works again once you are back online.'
			);
		return new OpenAIApi(config, { online: () => navigator.onLine, timeoutMs });
	}

	/** Lists models with the saved settings and says plainly what went wrong when it fails. */
	async test(): Promise<TestResult> {
		await this.load();
		this.testing = true;
		try {
			const models = await this.client(15_000).listModels();
			this.models = models;
			this.modelsError = null;
			this.lastTest = { ok: true, models, at: Date.now() };
		} catch (error) {
			const failure =
				error instanceof OpenAIFailure
					? error
					: new OpenAIFailure('unknown', error instanceof Error ? error.message : String(error));
			this.lastTest = { ok: false, failure, at: Date.now() };
		} finally {
			this.testing = false;
		}
		return this.lastTest;
	}

	/** Fetches the model list for pickers (keeps the old list when it fails). */
	async refreshModels(): Promise<void> {
		await this.load();
		if (!this.hasKey) return;
		try {
			this.models = await this.client(15_000).listModels();
			this.modelsError = null;
		} catch (error) {
			this.modelsError =
				error instanceof OpenAIFailure
					? error
					: new OpenAIFailure('unknown', error instanceof Error ? error.message : String(error));
		}
	}
}

export const api = new ApiState();
