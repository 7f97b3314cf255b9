// `npm run bench:page`: the page at scale, measured in Chromium (issue 18). With no lab option it runs the suite:
// the scrub latency in the reference lab (Run to an earlier time: from the click to the clock showing the
// moment), then 1,000 spokes at 1× and 10× (frames/s, worst frame) and their scrub, then the 5,000-spoke load
// (picking the lab until it is on the page) and a few seconds of play. One lab alone:
// `npm run bench:page -- --spokes 500 [--seconds 10 --warmup 30 --speed 1 --renderer both --load-only
// --profile page.cpuprofile]`.
// Either way: `--no-build`, `--port 4181`, `--out-dir dist` (engineers sharing a machine each serve their own
// build), `--gpu chromium|swiftshader` (below), `--trace FILE` (a Chromium trace of the measured window).
//
// `--gpu chromium` (the default) starts Chromium with no GPU flags: on this machine, which has no GPU, Chromium
// composites in software and draws WebGL with SwiftShader, as it does on a classroom PC without a usable GPU.
// `--gpu swiftshader` forces Chromium's whole GPU path (compositing, raster, WebGL) through SwiftShader, a
// configuration Chromium documents for testing its GPU code on machines without one (`--use-angle=swiftshader`,
// chromium/src commit b572cb9, docs/gpu); a browser does not choose it by itself. There every frame's display swap
// is emulated on the CPU: in a trace of 1,000 spokes at 10x, `SkiaOutputSurfaceImplOnGpu::SwapBuffers` took 5.6 s
// of a 6.1-s window on the GPU process's main thread, and that, not the page, set the frame rate.
//
// Builds the page (unless --no-build), serves it with `vite preview`, loads the lab, plays it until at least 200
// packets are in flight in the animation (the hub's multicast fanning out to every spoke), then counts
// requestAnimationFrame callbacks for a few seconds. Prints one JSON line. Never run in unit tests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';

const MIN_IN_FLIGHT = 200;

interface Options {
  /** No lab named: the suite (reference scrub, 1,000 spokes 1× and 10× with scrub, 5,000-spoke load). */
  suite: boolean;
  spokes: number;
  seconds: number;
  renderers: ('canvas' | 'webgl')[];
  build: boolean;
  /** Simulated seconds run before measuring (convergence). */
  warmup: number;
  /** Realtime speed while measuring. */
  speed: number;
  /** Port of the preview server (engineers sharing a machine each use their own). */
  port: number;
  /** Where the page is built and served from. */
  outDir: string;
  /** Only load the lab and run its warm-up (a lab too big to measure frames on this machine). */
  loadOnly: boolean;
  /**
   * A file to write the page's main-thread CPU profile of the measured window to (`.cpuprofile`, DevTools opens
   * it); the run's JSON then lists the functions that took most of it. Build with `--minify false` to read names.
   */
  profile: string | undefined;
  /** A file to write a Chromium trace of the measured window to (every process: where a frame's time went). */
  trace: string | undefined;
  /** How Chromium draws (see the top of this file). */
  gpu: Gpu;
}

type Gpu = 'chromium' | 'swiftshader';

/** Chromium's flags for each `--gpu` choice. */
const GPU_FLAGS: Readonly<Record<Gpu, readonly string[]>> = {
  chromium: ['--no-sandbox'],
  swiftshader: [
    '--no-sandbox',
    '--enable-unsafe-swiftshader',
    '--use-angle=swiftshader',
    '--ignore-gpu-blocklist',
  ],
};

/** `--gpu`, checked: a mistyped choice would measure the other drawing without saying so. */
function gpuOption(given: string | undefined): Gpu {
  if (given === undefined) return 'chromium';
  if (given === 'chromium' || given === 'swiftshader') return given;
  throw new Error(`--gpu ${given}: expected chromium or swiftshader`);
}

function options(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const renderer = value('renderer') ?? (value('spokes') === undefined ? 'canvas' : 'both');
  return {
    suite: value('spokes') === undefined,
    spokes: Number(value('spokes') ?? 1000),
    seconds: Number(value('seconds') ?? 10),
    renderers: renderer === 'both' ? ['canvas', 'webgl'] : [renderer === 'webgl' ? 'webgl' : 'canvas'],
    build: !argv.includes('--no-build'),
    warmup: Number(value('warmup') ?? 30),
    speed: Number(value('speed') ?? 1),
    port: Number(value('port') ?? 4181),
    outDir: value('out-dir') ?? 'dist',
    loadOnly: argv.includes('--load-only'),
    profile: value('profile'),
    trace: value('trace'),
    gpu: gpuOption(value('gpu')),
  };
}

interface Measure extends Prepared {
  renderer: string;
  spokes: number;
  speed: number;
  /** Frames per second over the whole window. */
  fps: number;
  /** Frames per second counted only while at least MIN_IN_FLIGHT packets were drawn moving. */
  fpsWhileBusy: number;
  /** Wall seconds of the window with at least MIN_IN_FLIGHT packets in flight. */
  busySeconds: number;
  maxInFlight: number;
  /** Longest gap between two frames, ms (a long task on the main thread shows here). */
  worstFrameMs: number;
  frames: number;
  /** Frames over 100 ms in the window, attributed from Chromium's long-animation-frame entries. */
  longFrames: LongFrames;
  simSeconds: number;
  /** Simulated seconds that passed while frames were counted (the lab plays). */
  simSecondsPlayed: number;
  /** With --profile: the main thread's functions by self time in the window, as `name url:line ms`. */
  profileTop?: string[];
}

/**
 * The window's frames over 100 ms, from Chromium's `long-animation-frame` entries (each lists the scripts that ran
 * in it). A frame whose scripts took under half its time waited for rendering: on this machine the GPU process
 * (SwiftShader compositing) or a CPU taken by the worker; a frame mostly script is the page's own.
 */
interface LongFrames {
  count: number;
  /** Frames whose scripts took at least half their duration. */
  scriptBound: number;
  /** Script time inside those frames, all of them (ms). */
  scriptMs: number;
  /** Forced style and layout inside their scripts (ms). */
  forcedLayoutMs: number;
  /** Longest frame's duration and its scripts' share (ms). */
  worstMs: number;
  worstScriptMs: number;
  /** The scripts that took longest, as `invoker function@position ms`. */
  topScripts: string[];
}

/**
 * Records long animation frames from the page's start (a string: it runs in the page, this file is type-checked
 * without the DOM library). `window.__loaf` is emptied when a window begins.
 */
const LOAF_OBSERVER = `(() => {
  window.__loaf = [];
  if (!PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame')) return;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__loaf.push({
        duration: e.duration,
        scripts: e.scripts.map((s) => ({
          what: s.invoker + ' ' + (s.sourceFunctionName || '(anonymous)') + '@' + s.sourceCharPosition,
          ms: s.duration,
          forced: s.forcedStyleAndLayoutDuration,
        })),
      });
  }).observe({ type: 'long-animation-frame', buffered: true });
})()`;

/** The long frames recorded since the window began, summarised (see LongFrames). */
const LOAF_SUMMARY = `(() => {
  const long = (window.__loaf ?? []).filter((e) => e.duration > 100);
  const scripts = long.flatMap((e) => e.scripts);
  const sum = (xs) => xs.reduce((a, x) => a + x, 0);
  const worst = long.reduce((w, e) => (w && w.duration >= e.duration ? w : e), undefined);
  return {
    count: long.length,
    scriptBound: long.filter((e) => sum(e.scripts.map((s) => s.ms)) >= e.duration / 2).length,
    scriptMs: Math.round(sum(scripts.map((s) => s.ms))),
    forcedLayoutMs: Math.round(sum(scripts.map((s) => s.forced))),
    worstMs: Math.round(worst?.duration ?? 0),
    worstScriptMs: Math.round(sum((worst?.scripts ?? []).map((s) => s.ms))),
    topScripts: [...scripts].sort((a, b) => b.ms - a.ms).slice(0, 3).map((s) => s.what + ' ' + Math.round(s.ms) + ' ms'),
  };
})()`;

/** A rewind asked from the page (Run to an earlier time), as the issue's `scrub` case names it. */
interface Scrub {
  lab: string;
  fromS: number;
  toS: number;
  /** From the click on Run to until the page's clock shows the moment. */
  ms: number;
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer at ${url}`);
}

/** Wall seconds of the stages of loading a lab and reaching its first big fan-out. */
interface Prepared {
  /** Picking the generated lab until its last spoke is in the device list and the topology is drawn. */
  loadSeconds: number;
  /** The warm-up run (simulated `warmup` seconds as fast as the page runs them). */
  warmupSeconds: number;
  /** Opening the page until at least MIN_IN_FLIGHT packets are drawn moving (0: --load-only, or none came). */
  toFanoutSeconds: number;
}

/**
 * Waits for a device's button with a plain DOM query. Playwright's role selector computes the accessible name
 * of every button at every poll: with 5,000 devices that took 2.3 s of the page's main thread during a load
 * (CPU profile, issue 18), time the benchmark charged to the page.
 */
async function waitForDevice(page: Page, name: string, timeout: number): Promise<void> {
  // A big lab's device list renders only the rows in view: it names its last device (`data-last`) instead.
  const quoted = JSON.stringify(name);
  await page.waitForFunction(
    `document.querySelector('[data-testid=device-list]')?.dataset.last === ${quoted} || [...document.querySelectorAll('.device-button')].some((b) => b.textContent === ${quoted})`,
    undefined,
    { timeout, polling: 100 },
  );
}

/** Waits until the page's clock reads `t` seconds (the text the clock shows). */
async function waitForClock(page: Page, seconds: number, timeout: number): Promise<void> {
  await page
    .locator('.clock-seconds')
    .filter({ hasText: `t = ${seconds.toFixed(6)} s` })
    .waitFor({ timeout });
}

/** Opens the page on the reference lab, then picks the generated lab (none: stays on the reference lab). */
async function openLab(page: Page, o: Options, spokes: number | undefined): Promise<number> {
  await page.goto(`http://127.0.0.1:${o.port}/`);
  await page.getByRole('button', { name: 'GM-1', exact: true }).waitFor({ timeout: 60_000 });
  if (spokes === undefined) return 0;
  const opened = Date.now();
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(`generated:${spokes}`);
  await waitForDevice(page, `GM-${spokes}`, 300_000);
  // The topology is drawn when its container says which renderer drew the lab's elements.
  await page.waitForFunction(
    `document.querySelector('[data-testid=topology]')?.dataset.renderer !== undefined`,
  );
  // And drawn: the renderer's first frame (the WebGL one fills its texture atlases then) is part of the load.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return (Date.now() - opened) / 1000;
}

async function pickRenderer(page: Page, renderer: 'canvas' | 'webgl'): Promise<void> {
  const webgl = page.getByRole('checkbox', { name: 'WebGL' });
  if ((await webgl.isChecked()) !== (renderer === 'webgl')) await webgl.click();
}

/** Runs the lab to `seconds` from the page (Run to); wall seconds it took. */
async function runTo(page: Page, seconds: number): Promise<number> {
  const started = Date.now();
  await page.getByRole('spinbutton', { name: 'Run to time (s)' }).fill(String(seconds));
  await page.getByRole('button', { name: 'Run to', exact: true }).click();
  await waitForClock(page, seconds, 900_000);
  return (Date.now() - started) / 1000;
}

/**
 * Plays at `speed` and, unless only loading, waits for a big fan-out on the packet canvas. False when none came
 * within a minute (a saturated machine may never draw 200 at once): the frames are counted all the same.
 */
async function play(page: Page, speed: number, fanout: boolean): Promise<boolean> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(String(speed));
  await page.getByRole('button', { name: /Play/ }).click();
  if (!fanout) return false;
  // A string predicate: it runs in the page (this file is type-checked without the DOM library).
  return page
    .waitForFunction(
      `Number(document.querySelector('[data-testid=packet-canvas]')?.dataset.inFlight) >= ${MIN_IN_FLIGHT}`,
      undefined,
      { timeout: 60_000, polling: 50 },
    )
    .then(
      () => true,
      () => false,
    );
}

async function pause(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /Pause/ });
  if ((await button.count()) > 0) await button.click();
  await page.getByRole('button', { name: /Play/ }).waitFor();
}

/** Loads the generated lab and plays it until the animation carries a big fan-out. */
async function prepare(
  page: Page,
  o: Options,
  renderer: 'canvas' | 'webgl',
  spokes: number,
  speed: number,
): Promise<Prepared> {
  const started = Date.now();
  const loadSeconds = await openLab(page, o, spokes);
  await pickRenderer(page, renderer);
  // Past the boot storm (every spoke registering with NHRP, IKE and GDOI), then in real time: the hub's
  // EIGRP hello, replicated to every spoke every 5 s, is the big fan-out the animation must carry.
  const warmupSeconds = await runTo(page, o.warmup);
  const fanout = await play(page, speed, !o.loadOnly);
  return { loadSeconds, warmupSeconds, toFanoutSeconds: fanout ? (Date.now() - started) / 1000 : 0 };
}

/**
 * A scrub as the page asks it: paused at `fromS` (run there first), Run to `toS` earlier; the time from the
 * click to the clock showing `toS`.
 */
async function scrub(page: Page, lab: string, fromS: number, toS: number): Promise<Scrub> {
  await pause(page);
  const seconds = (text: string | null): number => Number(/[\d.]+/.exec(text ?? '')?.[0] ?? 0);
  const now = seconds(await page.locator('.clock-seconds').textContent());
  if (Math.abs(now - fromS) > 1e-6) await runTo(page, fromS);
  await page.getByRole('spinbutton', { name: 'Run to time (s)' }).fill(String(toS));
  const started = Date.now();
  await page.getByRole('button', { name: 'Run to', exact: true }).click();
  await waitForClock(page, toS, 300_000);
  return { lab, fromS, toS, ms: Date.now() - started };
}

/**
 * The in-page frame counter, as source text: tsx would wrap a compiled function's inner closures in helpers
 * that do not exist in the page. Resolves with the figures after `ms` of requestAnimationFrame callbacks.
 */
const FRAME_COUNTER = `(({ ms, min }) => new Promise((resolve) => {
  const canvas = document.querySelector('[data-testid=packet-canvas]');
  const start = performance.now();
  let last = start, frames = 0, busyFrames = 0, busyMs = 0, maxInFlight = 0, worst = 0;
  function tick(t) {
    const gap = t - last;
    const inFlight = Number(canvas?.dataset.inFlight ?? 0);
    frames++;
    worst = Math.max(worst, gap);
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (inFlight >= min) { busyFrames++; busyMs += gap; }
    last = t;
    if (t - start < ms) { requestAnimationFrame(tick); return; }
    const total = (t - start) / 1000;
    resolve({
      fps: Math.round((frames / total) * 10) / 10,
      fpsWhileBusy: busyMs > 0 ? Math.round((busyFrames / (busyMs / 1000)) * 10) / 10 : 0,
      busySeconds: Math.round(busyMs) / 1000,
      maxInFlight,
      worstFrameMs: Math.round(worst),
      frames,
    });
  }
  requestAnimationFrame(tick);
}))`;

/** Counts animation frames in the page for `seconds`, noting the packets in flight at each. */
type Figures = Omit<
  Measure,
  'renderer' | 'spokes' | 'speed' | 'simSeconds' | 'simSecondsPlayed' | keyof Prepared
>;

async function measure(page: Page, seconds: number): Promise<Figures> {
  const args = JSON.stringify({ ms: seconds * 1000, min: MIN_IN_FLIGHT });
  await page.evaluate('window.__loaf = []');
  const figures = (await page.evaluate(`${FRAME_COUNTER}(${args})`)) as Omit<Figures, 'longFrames'>;
  return { ...figures, longFrames: (await page.evaluate(LOAF_SUMMARY)) as LongFrames };
}

/** Counts frames while the lab plays, and what simulated time did meanwhile. */
async function measurePlaying(
  page: Page,
  seconds: number,
): Promise<Figures & { simSeconds: number; simSecondsPlayed: number }> {
  const clock = async (): Promise<number> =>
    Number(/[\d.]+/.exec((await page.locator('.clock-seconds').textContent()) ?? '')?.[0] ?? 0);
  const before = await clock();
  const figures = await measure(page, seconds);
  const after = await clock();
  return { ...figures, simSeconds: after, simSecondsPlayed: Math.round((after - before) * 1000) / 1000 };
}

interface Run {
  results: Measure[];
  scrub: Scrub[];
}

type NewPage = () => Promise<Page>;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Runs `work` under the page's CPU profiler; writes the profile to `file` and returns the top self times. */
async function profiled<T>(page: Page, file: string, work: () => Promise<T>): Promise<[T, string[]]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await work();
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  writeFileSync(file, JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    const key = f
      ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`
      : '?';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, ms]) => `${k} ${Math.round(ms)} ms`);
  return [result, top];
}

/** Runs `work` under Chromium's tracing (renderer, GPU process, compositor); the trace goes to `file`. */
async function traced<T>(page: Page, file: string, work: () => Promise<T>): Promise<T> {
  const browser = page.context().browser();
  if (!browser) return work();
  await browser.startTracing(page, {
    path: file,
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline.frame',
      'gpu',
      'viz',
      'cc',
      'blink',
    ],
  });
  const result = await work();
  await browser.stopTracing();
  return result;
}

/** One generated lab at one speed with each renderer asked for (the single-lab mode). */
async function runOne(newPage: NewPage, o: Options, out: Run): Promise<void> {
  for (const renderer of o.renderers) {
    const page = await newPage();
    const prepared = await prepare(page, o, renderer, o.spokes, o.speed);
    const file = o.profile;
    const play = (): Promise<Awaited<ReturnType<typeof measurePlaying>>> =>
      o.trace
        ? traced(page, o.trace, () => measurePlaying(page, o.seconds))
        : measurePlaying(page, o.seconds);
    const [figures, profileTop] = file ? await profiled(page, file, play) : [await play(), undefined];
    out.results.push({
      renderer,
      spokes: o.spokes,
      speed: o.speed,
      ...prepared,
      ...figures,
      ...(profileTop ? { profileTop } : {}),
    });
    await page.close();
  }
}

/** The reference lab's scrubs: back a little and a long way in its first hour, and back a little after a day. */
async function referenceScrubs(newPage: NewPage, o: Options, out: Run): Promise<void> {
  const page = await newPage();
  await openLab(page, o, undefined);
  for (const [fromS, toS] of [
    [3600, 3590],
    [3600, 10],
    [86_400, 86_390],
  ] as const)
    out.scrub.push(await scrub(page, 'reference', fromS, toS));
  await page.close();
}

/** The suite: reference scrubs, 1,000 spokes at 1× (then its scrub) and 10×, the 5,000-spoke load and play. */
async function runSuite(newPage: NewPage, o: Options, out: Run): Promise<void> {
  await referenceScrubs(newPage, o, out);
  for (const speed of [1, 10]) {
    const page = await newPage();
    const prepared = await prepare(page, o, 'canvas', 1000, speed);
    const figures = await measurePlaying(page, o.seconds);
    out.results.push({ renderer: 'canvas', spokes: 1000, speed, ...prepared, ...figures });
    if (speed === 1) out.scrub.push(await scrub(page, '1000 spokes', 45, 10));
    await page.close();
  }
  // 5,000 spokes: loaded and played with the renderer the page picks for it (WebGL); played from just past the
  // boot storm's start. (Switching it to the canvas renderer rebuilds the drawing: over 30 s here.)
  const page = await newPage();
  const loadSeconds = await openLab(page, o, 5000);
  const warmupSeconds = await runTo(page, 5);
  await play(page, 1, false);
  const figures = await measurePlaying(page, o.seconds);
  out.results.push({
    renderer: 'webgl',
    spokes: 5000,
    speed: 1,
    loadSeconds,
    warmupSeconds,
    toFanoutSeconds: 0,
    ...figures,
  });
  await page.close();
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  // The machine may be shared (other benchmarks, test runs): the load average says how much.
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  if (o.build)
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', o.outDir], { stdio: 'inherit' });
  const server: ChildProcess = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--outDir',
      o.outDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--strictPort',
    ],
    { stdio: 'ignore', detached: true },
  );
  const system = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({
    ...(system !== '' && existsSync(system) ? { executablePath: system } : {}),
    args: [...GPU_FLAGS[o.gpu]],
  });
  const out: Run = { results: [], scrub: [] };
  const errors: string[] = [];
  const newPage: NewPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript(LOAF_OBSERVER);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return page;
  };
  try {
    await waitForServer(`http://127.0.0.1:${o.port}/`, 30_000);
    if (o.suite) await runSuite(newPage, o, out);
    else await runOne(newPage, o, out);
  } finally {
    await browser.close();
    // The server may have gone already (its port taken): the run's own error is the one to see.
    try {
      if (server.pid !== undefined) process.kill(-server.pid);
    } catch {
      // Already gone.
    }
  }
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      /** 1, 5 and 15 minute load averages before and after the run. */
      loadBefore,
      loadAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      suite: o.suite,
      gpu: o.gpu,
      warmupSimSeconds: o.warmup,
      minInFlight: MIN_IN_FLIGHT,
      results: out.results,
      scrub: out.scrub,
      errors,
    }),
  );
}

await main();
