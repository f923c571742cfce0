/** What parsing a file yields: one event per line (item, row), or one error for the whole file. */
import type { ParsedRecord } from '../types';

export type ParseEvent =
	/** `size`: bytes of the source line or item, where known (the importer cuts batches by it). */
	| { type: 'record'; line: number; record: ParsedRecord; size?: number }
	| { type: 'blank'; line: number }
	| { type: 'rejected'; line: number; reason: string; raw: string }
	/** The file as a whole cannot be imported; nothing else follows. */
	| { type: 'file-error'; reason: string };
