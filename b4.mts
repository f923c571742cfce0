import { chatLineBuffers } from './bench/make-chat-file';
import { validateStream } from './src/lib/core/validate/stream';
import { loadTokenCounter } from './src/lib/core/validate/tokens';
const n = Number(process.env.N ?? 30000); const parts: Uint8Array[] = []; let total = 0;
for (const l of chatLineBuffers(n, 1)) { parts.push(l); total += l.length + 1; }
const bytes = new Uint8Array(total); let o = 0; for (const p of parts) { bytes.set(p, o); o += p.length; bytes[o++] = 10; }
const stream = () => { let off = 0; return new ReadableStream<Uint8Array>({ pull(c) { if (off >= bytes.length) return c.close(); c.enqueue(bytes.slice(off, off + (1<<20))); off += 1<<20; } }); };
const count = process.env.NOTOK ? () => 0 : await loadTokenCounter('o200k_base');
for (let r = 0; r < Number(process.env.R ?? 4); r++) {
  const t = performance.now();
  await validateStream(stream(), { fileName: 'x.jsonl', loadCounter: async () => count });
  console.log(`report ${(performance.now() - t).toFixed(0)} ms`);
}
