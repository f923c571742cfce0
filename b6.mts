import { chatLineBuffers } from './bench/make-chat-file';
import { validateStream } from './src/lib/core/validate/stream';
const all: Uint8Array[] = [...chatLineBuffers(100000, 1)];
function file(n: number) { let total = 0; for (let i = 0; i < n; i++) total += all[i].length + 1; const bytes = new Uint8Array(total); let o = 0; for (let i = 0; i < n; i++) { bytes.set(all[i], o); o += all[i].length; bytes[o++] = 10; } return bytes; }
const stream = (bytes: Uint8Array) => { let off = 0; return new ReadableStream<Uint8Array>({ pull(c) { if (off >= bytes.length) return c.close(); c.enqueue(bytes.slice(off, off + (1<<20))); off += 1<<20; } }); };
for (const n of [25000, 50000, 100000, 25000, 50000, 100000]) {
  const bytes = file(n);
  const t = performance.now();
  const r = await validateStream(stream(bytes), { fileName: 'x.jsonl', loadCounter: async () => () => 0 });
  console.log(n, `${(performance.now() - t).toFixed(0)} ms`, 'near pairs', r.stats.nearDuplicates, 'dups', r.stats.duplicates, r.stats.normalizedDuplicates);
}
