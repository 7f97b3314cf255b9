// Memory probe (issue 18): runs a generated hub-and-spoke lab in steady state and prints, every `step`
// simulated seconds, the wall time, the kernel's event count and where the memory is (RSS, V8 heap used and
// total, external and ArrayBuffer bytes) after a full GC, so growth with simulated time shows up.
// `--snapshot` writes a V8 heap snapshot at the end (open it in Chrome DevTools' Memory tab) while the lab is
// still alive (into the OS temporary directory), which a `--heap-prof` taken at exit cannot show.
// Usage: npx tsx --expose-gc bench/memory-probe.ts SPOKES SIM_SECONDS [STEP] [--snapshot]
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { seconds } from '../src/sim/kernel/time';
import { generateHubSpokes } from '../src/sim/scenario/generate';
import { loadLab } from '../src/sim/scenario/lab';

const mb = (n: number): number => Math.round(n / 2 ** 20);

async function main(): Promise<void> {
  const [spokes = 100, simSeconds = 600, step = 100] = process.argv.slice(2, 5).map(Number);
  const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes, hubs: 1 })));
  const gc = (globalThis as { gc?: () => void }).gc;
  const t0 = performance.now();
  for (let t = step; t <= simSeconds; t += step) {
    await lab!.kernel.runUntil(seconds(t));
    const wallMs = Math.round(performance.now() - t0);
    gc?.();
    const m = process.memoryUsage();
    const line = {
      simS: t,
      wallMs,
      events: lab!.kernel.eventsProcessed,
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  if (process.argv.includes('--snapshot'))
    process.stdout.write(
      `${writeHeapSnapshot(join(tmpdir(), `getlab-${spokes}-${simSeconds}.heapsnapshot`))}\n`,
    );
}

void main();
