/** What every CLI command is: a name for the dispatch table, help text and a runner. */
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
