import { chatLineBuffers } from './bench/make-chat-file';
import { readLineBatches } from './src/lib/core/import/lines';
import { validateStream } from './src/lib/core/validate/stream';
const n = 100000; const parts: Uint8Array[] = []; let total = 0;
for (const l of chatLineBuffers(n, 1)) { parts.push(l); total += l.length + 1; }
const bytes = new Uint8Array(total); let o = 0; for (const p of parts) { bytes.set(p, o); o += p.length; bytes[o++] = 10; }
const stream = () => { let off = 0; return new ReadableStream<Uint8Array>({ pull(c) { if (off >= bytes.length) return c.close(); c.enqueue(bytes.slice(off, off + (1<<20))); off += 1<<20; } }); };
const dec = new TextDecoder('utf-8', { fatal: true });
for (let r = 0; r < 4; r++) {
  let t = performance.now();
  for await (const b of readLineBatches(stream())) for (const l of b.lines) { try { JSON.parse(dec.decode(l)); } catch {} }
  const parse = performance.now() - t;
  t = performance.now();
  await validateStream(stream(), { fileName: 'x.jsonl', loadCounter: async () => () => 0 });
  console.log(`parse ${parse.toFixed(0)} ms, report-no-tokens ${(performance.now() - t).toFixed(0)} ms`);
}
