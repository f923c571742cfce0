/**
 * Projects and which one is open. The open project is remembered in localStorage (a UI
 * preference, not data), and falls back to the newest project when it no longer exists.
 */
import type { Project } from '$lib/core/types';
import {
	createProject,
	deleteProject,
	listProjects,
	renameProject,
	updateProject
} from '$lib/db/projects';
import { LiveQuery } from './live-query.svelte';

const CURRENT_KEY = 'tuneloop.currentProject';

class ProjectsState {
	#list = new LiveQuery<Project[]>([]);
	#started = false;
	#chosenId = $state<string | null>(null);

	/** Starts listening to the projects table; called once by the root layout. */
	start(): void {
		if (this.#started) return;
		this.#started = true;
		this.#chosenId = localStorage.getItem(CURRENT_KEY);
		this.#list.watch(() => listProjects());
	}

	get all(): Project[] {
		return this.#list.current;
	}

	get isLoading(): boolean {
		return this.#list.isLoading;
	}

	get current(): Project | null {
		const all = this.all;
		return all.find((p) => p.id === this.#chosenId) ?? all[0] ?? null;
	}

	select(id: string): void {
		this.#chosenId = id;
		localStorage.setItem(CURRENT_KEY, id);
	}

	async create(name: string): Promise<Project> {
		const project = await createProject(name.trim() || 'Untitled project');
		this.select(project.id);
		return project;
	}

	async rename(id: string, name: string): Promise<void> {
		await renameProject(id, name.trim() || 'Untitled project');
	}

	/** Adds a tag to the project's tag list (new tags typed during review land here). */
	async addTag(id: string, tag: string): Promise<void> {
		const project = this.all.find((p) => p.id === id);
		if (!project || project.labels.tags.includes(tag)) return;
		await updateProject(id, { labels: { ...project.labels, tags: [...project.labels.tags, tag] } });
	}

	async removeTag(id: string, tag: string): Promise<void> {
		const project = this.all.find((p) => p.id === id);
		if (!project) return;
		const tags = project.labels.tags.filter((t) => t !== tag);
		await updateProject(id, { labels: { ...project.labels, tags } });
	}

	async setRatings(id: string, ratings: boolean): Promise<void> {
		const project = this.all.find((p) => p.id === id);
		if (!project) return;
		await updateProject(id, { labels: { ...project.labels, ratings } });
	}

	async remove(id: string): Promise<void> {
		await deleteProject(id);
		if (this.#chosenId === id) {
			this.#chosenId = null;
			localStorage.removeItem(CURRENT_KEY);
		}
	}
}

export const projects = new ProjectsState();
