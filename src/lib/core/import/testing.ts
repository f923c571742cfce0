/** Helpers for the import specs (and the CLI's): byte streams from text, events to counts. */
import type { FormatId } from '../types';
import { parseFile, type ParseEvent, type ParseOptions } from './parse-file';

const encoder = new TextEncoder();

/** A stream that hands out `content` in chunks of `chunkSize` bytes, as a slow disk might. */
export function streamOf(
	content: string | Uint8Array,
	chunkSize = 64 * 1024
): ReadableStream<Uint8Array> {
	const bytes = typeof content === 'string' ? encoder.encode(content) : content;
	let offset = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (offset >= bytes.length) {
				controller.close();
				return;
			}
			// A copy, as real streams hand out fresh buffers.
			controller.enqueue(bytes.slice(offset, offset + chunkSize));
			offset += chunkSize;
		}
	});
}

export async function collect(
	content: string | Uint8Array | ReadableStream<Uint8Array>,
	options: Partial<ParseOptions> & { chunkSize?: number } = {}
): Promise<ParseEvent[]> {
	const stream = content instanceof ReadableStream ? content : streamOf(content, options.chunkSize);
	const events: ParseEvent[] = [];
	for await (const event of parseFile(stream, { fileName: 'test.jsonl', ...options }))
		events.push(event);
	return events;
}

export interface Tally {
	lines: number;
	accepted: number;
	rejected: number;
	blank: number;
	logs: number;
	feedback: number;
	formats: Partial<Record<FormatId, number>>;
	fileError?: string;
}

export function tally(events: ParseEvent[]): Tally {
	const t: Tally = {
		lines: 0,
		accepted: 0,
		rejected: 0,
		blank: 0,
		logs: 0,
		feedback: 0,
		formats: {}
	};
	for (const event of events) {
		if (event.type === 'file-error') {
			t.fileError = event.reason;
			continue;
		}
		t.lines++;
		if (event.type === 'blank') t.blank++;
		else if (event.type === 'rejected') t.rejected++;
		else {
			t.accepted++;
			t.logs += event.record.logs.length;
			t.feedback += event.record.feedback.length;
			t.formats[event.record.format] = (t.formats[event.record.format] ?? 0) + 1;
		}
	}
	return t;
}

export function rejections(events: ParseEvent[]): { line: number; reason: string }[] {
	return events.flatMap((e) => (e.type === 'rejected' ? [{ line: e.line, reason: e.reason }] : []));
}
