/**
 * The Tuneloop CLI: `npm run -s cli -- <command> [args]`. Commands are thin shells over
 * src/lib/core, running the very code the app runs. Each lives in commands/ and is listed in
 * the table below.
 */
import { EXIT_OK, EXIT_USAGE, type Command, type Output } from './command';
import { importCheck } from './commands/import-check';
import { prefmodelEval } from './commands/prefmodel-eval';
import { validate } from './commands/validate';

const commands: Command[] = [importCheck, validate, prefmodelEval];

function overview(): string {
	const width = Math.max(...commands.map((c) => c.name.length));
	return [
		'Usage: npm run -s cli -- <command> [args]',
		'',
		'Commands:',
		...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		'Run a command with --help for its options.'
	].join('\n');
}

async function main(argv: string[], io: Output): Promise<number> {
	const [name, ...args] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		const status = name === undefined ? EXIT_USAGE : EXIT_OK;
		(status === EXIT_OK ? io.out : io.err)(overview());
		return status;
	}
	const command = commands.find((c) => c.name === name);
	if (!command) {
		io.err(`Unknown command: ${name}\n\n${overview()}`);
		return EXIT_USAGE;
	}
	return command.run(args, io);
}

const io: Output = {
	out: (text) => process.stdout.write(`${text}\n`),
	err: (text) => process.stderr.write(`${text}\n`)
};

main(process.argv.slice(2), io).then(
	(status) => {
		process.exitCode = status;
	},
	(error: unknown) => {
		io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
		process.exitCode = 70; // an internal error, not the user's
	}
);
