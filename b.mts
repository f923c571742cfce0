import { chatLineBuffers } from './bench/make-chat-file';
import { validateStream } from './src/lib/core/validate/stream';
import { readLineBatches } from './src/lib/core/import/lines';
const n = 20000; const parts: Uint8Array[] = []; let total = 0;
for (const l of chatLineBuffers(n, 1)) { parts.push(l); total += l.length + 1; }
const bytes = new Uint8Array(total); let o = 0; for (const p of parts) { bytes.set(p, o); o += p.length; bytes[o++] = 10; }
const stream = () => { let off = 0; return new ReadableStream<Uint8Array>({ pull(c) { if (off >= bytes.length) return c.close(); c.enqueue(bytes.slice(off, off + (1<<20))); off += 1<<20; } }); };
const dec = new TextDecoder('utf-8', { fatal: false });
for (let r = 0; r < 3; r++) {
  let t = performance.now(); let k = 0;
  for await (const b of readLineBatches(stream())) for (const l of b.lines) { const s = dec.decode(l); k++; }
  const tSplit = performance.now() - t;
  t = performance.now();
  for await (const b of readLineBatches(stream())) for (const l of b.lines) { const s = dec.decode(l); try { JSON.parse(s); } catch {} }
  const tParse = performance.now() - t;
  t = performance.now();
  await validateStream(stream(), { fileName: 'x.jsonl', loadCounter: async () => () => 0 });
  const tReport = performance.now() - t;
  console.log(`split+decode ${tSplit.toFixed(0)} ms, +parse ${tParse.toFixed(0)} ms, report without tokens ${tReport.toFixed(0)} ms`);
}
