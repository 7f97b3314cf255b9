// `npx tsx bench/trace-instants.ts [case prefix] > file`: for each lab of trace-hashes.ts, one line per simulated
// instant with the number of trace records and a hash of their multiset (each record's fields and its frame's
// bytes, sorted), so two trees can be shown to produce the same records at every instant whatever their order
// within it. Issue 18: the synchronous send side moved records within an instant (the order microtasks had
// made) and nothing else; `diff` of the two outputs is empty when that is all that changed. Frame ids are left
// out: they number frames in the order they are sent within the instant.
import { createHash } from 'node:crypto';
import { type Frame, type TraceRecord, TraceRecorder } from '../src/sim/kernel/trace';
import { CASES, runCase } from './trace-hashes';

/** A record without what depends on the order of records within its instant (frame ids). */
function fingerprint(r: TraceRecord, frames: ReadonlyMap<number, string>): string {
  if (r.kind !== 'packet') return JSON.stringify(r);
  const { frameId, ...rest } = r;
  return JSON.stringify({
    ...rest,
    protocols: [...r.protocols],
    summary: r.summary,
    bytes: frames.get(frameId),
  });
}

async function instants(name: string): Promise<string[]> {
  const c = CASES.find((x) => x.name === name)!;
  const lines: string[] = [];
  let t = -1;
  let records: TraceRecord[] = [];
  // Frames by id for the whole run: a frame is received (and recorded) instants after it was sent.
  const frames = new Map<number, string>();
  const flush = (): void => {
    if (records.length === 0) return;
    const prints = records.map((r) => fingerprint(r, frames)).sort();
    const hash = createHash('sha1').update(prints.join('\n')).digest('hex').slice(0, 12);
    lines.push(`${c.name} t=${t} ${records.length} ${hash}`);
    records = [];
  };
  const trace = new TraceRecorder();
  trace.subscribeFrames((f: Frame) => {
    frames.set(f.id, createHash('sha1').update(f.bytes).digest('hex').slice(0, 16));
  });
  trace.subscribe((r) => {
    if (r.t !== t) {
      flush();
      t = r.t;
    }
    records.push(r);
  });
  await runCase(c, trace);
  flush();
  return lines;
}

const only = process.argv[2];
for (const c of CASES) {
  if (only && !c.name.startsWith(only)) continue;
  for (const line of await instants(c.name)) console.log(line);
}
