/**
 * The fake OpenAI server in its own thread (for bench:rewrite): the server's work (spec checks,
 * JSON) then does not share the client's event loop, as a real server would not.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mulberry32 } from '../../src/lib/core/random';
import { FakeOpenAI } from './server';

export type FakeCommand =
	| { type: 'configure'; latencyMs: number; rateLimitShare: number }
	| { type: 'reset' }
	| { type: 'stats' }
	| { type: 'stop' };

export interface FakeStats {
	type: 'stats';
	completed: [string, number][];
	limited: number;
	requests: number;
	peakConcurrency: number;
	violations: string[];
}

const options = workerData as { retryAfterMs: number; seed: number };
const fake = await new FakeOpenAI({
	retryAfterMs: options.retryAfterMs,
	random: mulberry32(options.seed)
}).start();
const port = parentPort!;
port.postMessage({ type: 'ready', url: fake.url, apiKey: fake.apiKey });
port.on('message', (command: FakeCommand) => {
	switch (command.type) {
		case 'configure':
			fake.latencyMs = command.latencyMs;
			fake.rateLimitShare = command.rateLimitShare;
			break;
		case 'reset':
			fake.completedItems.clear();
			fake.requests.length = 0;
			fake.peakConcurrency = 0;
			break;
		case 'stats': {
			const stats: FakeStats = {
				type: 'stats',
				completed: [...fake.completedItems],
				limited: fake.requests.filter((r) => r.status === 429).length,
				requests: fake.requests.length,
				peakConcurrency: fake.peakConcurrency,
				violations: fake.violations
			};
			port.postMessage(stats);
			break;
		}
		case 'stop':
			void fake.stop().then(() => process.exit(0));
			break;
	}
});
