// `npm run bench [-- --json] [-- --natural]`: performance figures of the simulation on this machine (never in unit
// tests). `--case N[:H]` runs one hub-and-spoke case (N spokes over H hubs) and prints its figure.
// Each hub-and-spoke size runs in its own process so its peak RSS is its own.
// `--big` adds the 5,000- and 10,000-spoke cases (one hub, and 10,000 over ten hubs); the steady state runs 1,000
// spokes to 1,800 simulated s (issue 18's case), `--steady-small` 100 spokes instead; `--steady N:S` runs one
// steady-state case. `--play N:SPEED:WALL_S` plays an N-spoke lab as the page does and times each frame's call;
// `--idle-blocking N:S:WALL_S` says how long the idle worker kept a call waiting after a run to S.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kernel } from '../src/sim/kernel/kernel';
import { TraceRecorder } from '../src/sim/kernel/trace';
import { seconds } from '../src/sim/kernel/time';
import { eigrpOf } from '../src/sim/protocols/eigrp/eigrp-service';
import { nhrpOf } from '../src/sim/protocols/nhrp/nhrp-service';
import { generatedHubNames, generateHubSpokes } from '../src/sim/scenario/generate';
import { type Lab, loadLab } from '../src/sim/scenario/lab';
import { CliSession } from '../src/sim/cli/cli-session';
import { createSimApi } from '../src/worker/api';

interface HubSpokeFigure {
  spokes: number;
  /** DMVPN hubs the spokes are spread over (one cloud each). */
  hubs: number;
  rekey: RekeyMode;
  simSeconds: number;
  wallMs: number;
  events: number;
  peakRssMb: number;
  converged: boolean;
  /** Group members: every spoke plus the hub. */
  members: number;
  gmsRekeyed: number;
}

async function kernelThroughput(): Promise<number> {
  const k = new Kernel(1);
  const total = 2_000_000;
  let left = total;
  const tick = (): void => {
    if (--left > 0) k.schedule(1, tick);
  };
  // 64 interleaved chains keep the heap non-trivial, as real labs do.
  for (let i = 0; i < 64; i++) k.schedule(i, tick);
  const t0 = performance.now();
  await k.runUntil(Number.MAX_SAFE_INTEGER);
  return Math.round(k.eventsProcessed / ((performance.now() - t0) / 1000));
}

async function referenceLab(
  simSeconds: number,
): Promise<{ simSeconds: number; wallMs: number; events: number }> {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  const t0 = performance.now();
  await lab!.kernel.runUntil(seconds(simSeconds));
  return { simSeconds, wallMs: Math.round(performance.now() - t0), events: lab!.kernel.eventsProcessed };
}

/** Every spoke registered with its hub's NHRP and an EIGRP neighbour of it. */
function converged(lab: Lab, spokes: number, hubs: number): boolean {
  let registered = 0;
  let neighbours = 0;
  for (const name of generatedHubNames(hubs)) {
    const hub = lab.router(name)!;
    registered += nhrpOf(hub)?.interfaces.get('Tunnel10')?.cache.all().length ?? 0;
    neighbours += eigrpOf(hub)?.process(10)?.neighbors.size ?? 0;
  }
  return registered === spokes && neighbours === spokes;
}

/** A generated lab run on in steady state (hellos and natural rekeys, all in ESP) to `simSeconds`. */
interface SteadyStateFigure {
  spokes: number;
  simSeconds: number;
  wallMs: number;
  /** CPU time of the process (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Kernel events run: the same in every run of one case, so two trees can be checked to do the same work. */
  events: number;
  peakRssMb: number;
  /** Records the trace ring keeps (`--ring`); the page's recorder keeps 200,000 and 64 MB of frames. */
  ringRecords: number;
  /** With `--rss-every S`: memory after every S simulated seconds (is it flat over simulated time?). */
  memory?: { simS: number; rssMb: number; heapMb: number; arrayBuffersMb: number }[];
}

/** The number after `flag` in `args`, or `fallback` without the flag. */
function numberOption(args: readonly string[], flag: string, fallback: number): number {
  const at = args.indexOf(flag);
  return at < 0 ? fallback : Number(args[at + 1]);
}

async function steadyStateCase(
  spokes: number,
  simSeconds: number,
  ring: number,
  every = 0,
): Promise<SteadyStateFigure> {
  const trace = ring === 200_000 ? new TraceRecorder() : new TraceRecorder(ring, ring * 256);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes, hubs: 1 })), undefined, trace);
  const memory: NonNullable<SteadyStateFigure['memory']> = [];
  // Runs in steps when sampling: `runUntil` in steps runs the same events (the event count says so).
  for (let s = every > 0 ? every : simSeconds; ; s = Math.min(simSeconds, s + every)) {
    await lab!.kernel.runUntil(seconds(s));
    if (every > 0) memory.push({ simS: s, ...memoryMb() });
    if (s >= simSeconds) break;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    spokes,
    simSeconds,
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    events: lab!.kernel.eventsProcessed,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ringRecords: ring,
    ...(every > 0 && { memory }),
  };
}

function memoryMb(): { rssMb: number; heapMb: number; arrayBuffersMb: number } {
  const m = process.memoryUsage();
  const mb = (n: number): number => Math.round(n / (1024 * 1024));
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed), arrayBuffersMb: mb(m.arrayBuffers) };
}

/** One scrub: a rewind from `fromS` back to `toS`, timed through the worker API as the page calls it. */
interface ScrubFigure {
  readonly lab: string;
  readonly fromS: number;
  readonly toS: number;
  readonly ms: number;
  /** CPU time (ms) of the rewind: comparable when other processes share the machine (wall time is not). */
  readonly cpuMs: number;
  /**
   * The worker was idle a moment before the rewind (the page drawing the run's records, the user reaching for the
   * slider): it made a spare copy of the checkpoint the rewind restores, which the rewind takes over (issue 18).
   * Without it (`idle: false`) the rewind copies the checkpoint itself.
   */
  readonly idle: boolean;
  /** Wall time (ms) the idle worker took to finish working ahead before the rewind (idle rewinds). */
  readonly idleMs?: number;
  /** How the rewind restored: took over the idle spare copy, handed the checkpoint itself over, or copied it. */
  readonly restore: 'spare' | 'handover' | 'copy';
  /** Checkpoints held after the rewind, and how many of them the idle worker filled in so far. */
  readonly checkpoints: number;
  readonly filled: number;
}

/** The page's records window on a rewind (`TRACE_WINDOW` in src/ui/store/constants.ts). */
const PAGE_WINDOW = 2000;

/**
 * Waits (on state, not a fixed time) until the worker, idle, is done working ahead: gaps between checkpoints filled
 * (a big lab) and its spare copy made.
 */
async function idleDone(api: ReturnType<typeof createSimApi>): Promise<void> {
  // Bounded (10 min): a lab whose checkpoints are off is never done, and is then timed as it is.
  for (let i = 0; i < 30_000 && (await api.checkpoints()).idleDone !== true; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * Issue 18's scrub case: the worker API in Node (the page's worker runs the same code), the lab run forward as
 * the page plays it (checkpoints are taken on the way), then rewinds: in the reference lab within the first hour
 * and across a simulated day, in the 1,000-spoke lab within its first five minutes.
 */
async function scrubCase(only?: string): Promise<ScrubFigure[]> {
  const out: ScrubFigure[] = [];
  const rewind = async (
    api: ReturnType<typeof createSimApi>,
    lab: string,
    fromS: number,
    toS: number,
    idle = false,
  ) => {
    const i0 = performance.now();
    if (idle) await idleDone(api);
    const idleMs = Math.round(performance.now() - i0);
    const before = await api.checkpoints();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await api.rewind(seconds(toS), PAGE_WINDOW);
    const ms = Math.round(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const after = await api.checkpoints();
    const restore =
      (after.handovers ?? 0) > (before.handovers ?? 0)
        ? 'spare'
        : (after.consumed ?? 0) > (before.consumed ?? 0)
          ? 'handover'
          : 'copy';
    const checkpoints = after.times.length;
    out.push({
      lab,
      fromS,
      toS,
      ms,
      cpuMs,
      idle,
      ...(idle ? { idleMs } : {}),
      restore,
      checkpoints,
      filled: after.filled ?? 0,
    });
  };
  if (only !== 'hub-spokes') await referenceScrubs(rewind);
  if (only !== 'hub-spokes') await playedReferenceScrubs(rewind);
  if (only !== 'reference') await bigScrubs(rewind);
  return out;
}

type Rewind = (
  api: ReturnType<typeof createSimApi>,
  lab: string,
  fromS: number,
  toS: number,
  idle?: boolean,
) => Promise<void>;

/** The reference lab: within the first hour and across a simulated day. */
async function referenceScrubs(rewind: Rewind): Promise<void> {
  const reference = createSimApi();
  await reference.load(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await reference.runUntil(seconds(3600));
  await rewind(reference, 'reference', 3600, 3590);
  await reference.runUntil(seconds(3600));
  await rewind(reference, 'reference', 3600, 3590, true);
  await reference.runUntil(seconds(86_400));
  for (const toS of [86_390, 43_200, 10]) {
    await rewind(reference, 'reference', 86_400, toS);
    await reference.runUntil(seconds(86_400));
  }
  for (const toS of [86_390, 43_200, 10]) {
    await rewind(reference, 'reference', 86_400, toS, true);
    await reference.runUntil(seconds(86_400));
  }
}

/**
 * The reference lab played at 10x for 3,000 simulated s in the page's frames (1/60 s of wall time, 1/6 s of
 * simulated time, a few events each), then scrubbed back: the checkpoints must have been taken while playing.
 */
async function playedReferenceScrubs(rewind: Rewind): Promise<void> {
  const played = createSimApi();
  await played.load(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await played.setPlaying(true);
  for (let t = 0; t < seconds(3000);) {
    t += seconds(1 / 6);
    await played.runUntilColumns(t, PAGE_WINDOW);
  }
  await played.setPlaying(false);
  const end = (await played.lab())!.now;
  for (const toS of [2990, 1500]) {
    await rewind(played, 'reference played 10x', end / 1e6, toS);
    await played.runUntil(end);
  }
}

/** The worker API (as the page's worker runs it) with a generated one-hub lab of `spokes` loaded. */
async function generatedApi(spokes: number): Promise<ReturnType<typeof createSimApi>> {
  const api = createSimApi();
  await api.load(JSON.stringify(generateHubSpokes({ spokes, hubs: 1 })));
  return api;
}

/** The 1,000-spoke lab within its first five minutes. */
async function bigScrubs(rewind: Rewind): Promise<void> {
  const big = await generatedApi(1000);
  await big.runUntil(seconds(300));
  for (const idle of [false, true]) {
    for (const toS of [290, 60]) {
      await rewind(big, 'hub-spokes:1000', 300, toS, idle);
      await big.runUntil(seconds(300));
    }
  }
}

/** What `--play` prints: the worker's calls during realtime play, as the page's frames make them. */
interface PlayFigure {
  spokes: number;
  speed: number;
  wallS: number;
  /** Simulated seconds played (the page's clock falls behind when calls take longer than a frame). */
  playedS: number;
  calls: number;
  callsOver100Ms: number;
  worstCallsMs: number[];
  /** Simulated times (s) of the checkpoints held at the end: each one taken during play was a copy in a call. */
  checkpointsS: number[];
}

/**
 * Realtime play through the worker API in Node (issue 18, "never let a worker batch block a frame"): the lab runs
 * to 30 s, then one `runUntilColumns` per ~60 Hz frame, each asking for the wall time since the last one times
 * `speed` (at most 250 ms of it, as `store/playback.ts` caps a frame), with `setPlaying` on as the page says it.
 */
async function playCase(spokes: number, speed: number, wallS: number): Promise<PlayFigure> {
  const api = await generatedApi(spokes);
  const startUs = seconds(30);
  await api.runUntil(startUs);
  await api.setPlaying(true);
  let t = startUs;
  const calls: number[] = [];
  const t0 = performance.now();
  let last = t0;
  while (performance.now() - t0 < wallS * 1000) {
    const now = performance.now();
    t += Math.round(Math.min(now - last, 250) * 1000 * speed);
    last = now;
    await api.runUntilColumns(t, PAGE_WINDOW);
    const ms = performance.now() - now;
    calls.push(ms);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / 60 - ms)));
  }
  await api.setPlaying(false);
  const worst = [...calls].sort((a, b) => b - a);
  return {
    spokes,
    speed,
    wallS,
    playedS: Math.round((t - startUs) / 1e6),
    calls: calls.length,
    callsOver100Ms: calls.filter((c) => c > 100).length,
    worstCallsMs: worst.slice(0, 5).map(Math.round),
    checkpointsS: (await api.checkpoints()).times.map((x) => Math.round(x / 1e6)),
  };
}

/** What `--idle-blocking` prints: how long a call could wait while the idle worker worked ahead. */
interface IdleBlockingFigure {
  spokes: number;
  runToS: number;
  wallS: number;
  /** Event-loop delay over the window (ms): a call arriving then waited that long for the piece in progress. */
  maxMs: number;
  p99Ms: number;
  /** Checkpoints filled in the window, and whether the idle work was done by its end. */
  filled: number;
  idleDone: boolean;
}

/**
 * The worker's idle work after a run (issue 18: a scrub straight after a pause must not wait behind it): the lab
 * runs to `runToS`, then for `wallS` the worker is left idle while Node's event-loop delay histogram records the
 * longest time a message would have waited (in the page, a click's call waits the same way).
 */
async function idleBlockingCase(spokes: number, runToS: number, wallS: number): Promise<IdleBlockingFigure> {
  const api = await generatedApi(spokes);
  await api.runUntil(seconds(runToS));
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, wallS * 1000));
  delay.disable();
  const c = await api.checkpoints();
  return {
    spokes,
    runToS,
    wallS,
    maxMs: Math.round(delay.max / 1e6),
    p99Ms: Math.round(delay.percentile(99) / 1e6),
    filled: c.filled ?? 0,
    idleDone: c.idleDone === true,
  };
}

/** Runs this script with `caseArgs` in a child process and parses the figure it prints. */
function inChild<T>(caseArgs: string[]): T {
  return JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...caseArgs], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }),
  ) as T;
}

/** How the one multicast rekey of a hub-and-spoke case is caused. */
type RekeyMode = 'triggered' | 'natural';

/**
 * Runs one size: convergence (every spoke registered with NHRP, an EIGRP neighbour of the hub and a registered
 * GET VPN member), then one multicast rekey until every member (the spokes and the hub, which is a GM too) logged
 * its receipt. `triggered`: the operator types `crypto gdoi ks rekey` on the KS once the lab has converged, as
 * after a policy change. `natural`: the lab runs on until the KS's own first rekey (302 simulated s with the
 * generated policy). Log lines are counted by a log-only trace listener, so no packet record is ever dissected.
 */
async function hubSpokeCase(spokes: number, hubs: number, mode: RekeyMode): Promise<HubSpokeFigure> {
  const t0 = performance.now();
  const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes, hubs })));
  const members = spokes + hubs;
  const registered = new Set<string>();
  const rekeyed = new Set<string>();
  lab!.kernel.trace.subscribe(
    (r) => {
      if (r.kind !== 'log') return;
      if (r.text.startsWith('%GDOI-5-GM_RECV_REKEY')) rekeyed.add(r.device);
      else if (r.text.startsWith('%GDOI-5-GM_REGS_COMPL')) registered.add(r.device);
    },
    ['log'],
  );
  const limit = seconds(400);
  if (mode === 'triggered') {
    await lab!.kernel.runUntilCondition(
      () => registered.size >= members && converged(lab!, spokes, hubs),
      limit,
    );
    const ks = new CliSession(lab!.router('KS')!, { epochMs: lab!.epochMs });
    await ks.execute('enable');
    await ks.execute('crypto gdoi ks rekey');
  }
  await lab!.kernel.runUntilCondition(() => rekeyed.size >= members && converged(lab!, spokes, hubs), limit);
  return {
    spokes,
    hubs,
    rekey: mode,
    simSeconds: Math.round(lab!.kernel.now / 1e5) / 10,
    wallMs: Math.round(performance.now() - t0),
    events: lab!.kernel.eventsProcessed,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    converged: converged(lab!, spokes, hubs),
    members,
    gmsRekeyed: rekeyed.size,
  };
}

/** Wall time per spoke of the one-hub case `to` over that of `from` (issue 18: flat means at most 1.1). */
function perSpokeRatio(figures: readonly HubSpokeFigure[], from: string, to: string): number {
  const perSpoke = (spokes: string): number => {
    const f = figures.find((x) => x.hubs === 1 && x.spokes === Number(spokes))!;
    return f.wallMs / f.spokes;
  };
  return Number((perSpoke(to) / perSpoke(from)).toFixed(2));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const caseArg = args.indexOf('--case');
  const steadyArg = args.indexOf('--steady');
  if (steadyArg >= 0) {
    const [spokes = 100, simSeconds = 1800] = (args[steadyArg + 1] ?? '').split(':').map(Number);
    process.stdout.write(
      JSON.stringify(
        await steadyStateCase(
          spokes,
          simSeconds,
          // The trace ring of a measured lab: the page's default (200,000), or `--ring N` records and N × 256
          // frame bytes; `--rss-every S` samples memory every S simulated seconds (0: only at the end).
          numberOption(args, '--ring', 200_000),
          numberOption(args, '--rss-every', 0),
        ),
      ),
    );
    return;
  }
  const playArg = args.indexOf('--play');
  if (playArg >= 0) {
    const [spokes = 1000, speed = 10, wallS = 60] = (args[playArg + 1] ?? '').split(':').map(Number);
    process.stdout.write(JSON.stringify(await playCase(spokes, speed, wallS)));
    return;
  }
  const idleArg = args.indexOf('--idle-blocking');
  if (idleArg >= 0) {
    const [spokes = 1000, runToS = 300, wallS = 20] = (args[idleArg + 1] ?? '').split(':').map(Number);
    process.stdout.write(JSON.stringify(await idleBlockingCase(spokes, runToS, wallS)));
    return;
  }
  const scrubArg = args.indexOf('--scrub');
  if (scrubArg >= 0) {
    process.stdout.write(JSON.stringify(await scrubCase(args[scrubArg + 1])));
    return;
  }
  const mode: RekeyMode = args.includes('--natural') ? 'natural' : 'triggered';
  if (caseArg >= 0) {
    const [spokes = 10, hubs = 1] = (args[caseArg + 1] ?? '').split(':').map(Number);
    process.stdout.write(JSON.stringify(await hubSpokeCase(spokes, hubs, mode)));
    return;
  }
  // Other processes (browser tests) may share this machine: the 1-minute load average, before and after.
  const loadBefore = loadavg()[0]!;
  // One hub at three sizes (the scaling figures), then 1000 spokes spread over four hubs.
  const sizes = [
    '10',
    '100',
    '1000',
    '1000:4',
    ...(args.includes('--big') ? ['5000', '10000', '10000:10'] : []),
  ];
  const hubSpokes: HubSpokeFigure[] = sizes.map((n) =>
    inChild<HubSpokeFigure>(['--case', n, ...(mode === 'natural' ? ['--natural'] : [])]),
  );
  const steadyState = inChild<SteadyStateFigure>([
    '--steady',
    args.includes('--steady-small') ? '100:1800' : '1000:1800',
  ]);
  const scrub = inChild<ScrubFigure[]>(['--scrub']);
  const reference = await referenceLab(1000);
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    load1: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
    kernel: { eventsPerSec: await kernelThroughput() },
    reference: {
      ...reference,
      speedup: Math.round((reference.simSeconds * 1000) / Math.max(1, reference.wallMs)),
    },
    hubSpokes,
    steadyState,
    scrub,
    perSpokeRatio100to1000: perSpokeRatio(hubSpokes, '100', '1000'),
    ...(args.includes('--big')
      ? { perSpokeRatio1000to10000: perSpokeRatio(hubSpokes, '1000', '10000') }
      : {}),
  };
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

void main();
