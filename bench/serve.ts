/**
 * The built app served by `vite preview` for benchmarks: builds first when build/ is missing,
 * waits until the server answers, and stops every server it started (their whole process group).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export function log(message: string): void {
	console.error(`[bench] ${message}`);
}

export const children = new Set<ChildProcess>();

export function ensureBuild(): void {
	// `vite preview` of a SvelteKit app also needs the server output of the same build.
	const built = ['build/index.html', '.svelte-kit/output/server'].every((p) =>
		existsSync(join(ROOT, p))
	);
	if (built) return;
	log('build/ is missing: running `npx vite build`…');
	const result = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
}

export async function startPreview(port: number): Promise<ChildProcess> {
	const base = `http://localhost:${port}`;
	const child = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
		cwd: ROOT,
		detached: true, // its own process group, so npx and vite are stopped together
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.add(child);
	let output = '';
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	let exited: number | null = null;
	child.on('exit', (code) => {
		exited = code ?? -1;
		children.delete(child);
	});
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (exited !== null)
			throw new Error(`vite preview exited (${exited}) before serving:\n${output.trim()}`);
		try {
			const response = await fetch(`${base}/`);
			if (response.ok) return child;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`vite preview did not answer:\n${output.trim()}`);
		await sleep(200);
	}
}

export function stopChild(child: ChildProcess): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		// already gone
	}
}

export async function stopChildren(): Promise<void> {
	const waiting = [...children].map(
		(child) =>
			new Promise<void>((done) => {
				if (child.exitCode !== null || child.signalCode !== null) return done();
				const timer = setTimeout(() => {
					try {
						if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
					} catch {
						// already gone
					}
					done();
				}, 5000);
				child.once('exit', () => {
					clearTimeout(timer);
					done();
				});
				stopChild(child);
			})
	);
	await Promise.all(waiting);
}
