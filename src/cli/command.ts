/** What every CLI command is: a name for the dispatch table, help text and a runner. */
import { open, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export interface Output {
	out(text: string): void;
	err(text: string): void;
}

export interface Command {
	name: string;
	/** One line for the command list. */
	summary: string;
	/** Usage lines, printed on `--help` and with usage errors. */
	usage: string;
	/** Exit status: 0 done, 1 usage error, 2 input could not be read. */
	run(args: string[], io: Output): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_UNREADABLE = 2;

/** A usage mistake: the command prints the message and its usage, and exits 1. */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** node's parseArgs, with its complaints (unknown option, missing value…) as UsageErrors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ParsedResults<T> {
	try {
		return parseArgs(config);
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}

/** The single FILE argument a file command takes. */
export function oneFile(positionals: string[]): string {
	if (positionals.length !== 1)
		throw new UsageError(positionals.length === 0 ? 'no FILE given' : 'give one FILE');
	return positionals[0];
}

/**
 * Reads a command's options with `read` (which throws UsageError on a mistake and returns 'help'
 * for --help), answering both the same way for every command. Returns the options, or the exit
 * status the command should return at once.
 */
export function commandOptions<T extends object>(
	command: Pick<Command, 'name' | 'usage'>,
	io: Output,
	read: () => T | 'help'
): T | number {
	let options: T | 'help';
	try {
		options = read();
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		io.err(`${command.name}: ${error.message}\n\n${command.usage}`);
		return EXIT_USAGE;
	}
	if (options === 'help') {
		io.out(command.usage);
		return EXIT_OK;
	}
	return options;
}

/** Why a path cannot be read, in words, or null when it can. */
export async function unreadable(path: string): Promise<string | null> {
	try {
		const info = await stat(path);
		if (info.isDirectory()) return 'it is a directory';
		const handle = await open(path, 'r');
		await handle.close();
		return null;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return 'no such file';
		if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
		return error instanceof Error ? error.message : String(error);
	}
}
