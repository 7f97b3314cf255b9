// `npm run bench:page [-- --spokes 500 --seconds 10 --warmup 30 --speed 1 --renderer both --no-build
// --port 4181 --out-dir dist --load-only]`: the
// page with a generated hub-and-spoke lab, measured in Chromium. Builds the page (unless --no-build), serves
// it with `vite preview`, loads the lab, plays it until at least 200 packets are in flight in the animation
// (the hub's multicast fanning out to every spoke), then counts requestAnimationFrame callbacks for a few
// seconds. Prints one JSON line. Never run in unit tests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';

const MIN_IN_FLIGHT = 200;

interface Options {
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
}

function options(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const renderer = value('renderer') ?? 'both';
  return {
    spokes: Number(value('spokes') ?? 500),
    seconds: Number(value('seconds') ?? 10),
    renderers: renderer === 'both' ? ['canvas', 'webgl'] : [renderer === 'webgl' ? 'webgl' : 'canvas'],
    build: !argv.includes('--no-build'),
    warmup: Number(value('warmup') ?? 30),
    speed: Number(value('speed') ?? 1),
    port: Number(value('port') ?? 4181),
    outDir: value('out-dir') ?? 'dist',
    loadOnly: argv.includes('--load-only'),
  };
}

interface Measure extends Prepared {
  renderer: string;
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
  simSeconds: number;
  /** Simulated seconds that passed while frames were counted (the lab plays). */
  simSecondsPlayed: number;
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
  /** Opening the page until the generated lab's last spoke is on the topology. */
  loadSeconds: number;
  /** The warm-up run (simulated `warmup` seconds as fast as the page runs them). */
  warmupSeconds: number;
  /** Opening the page until at least MIN_IN_FLIGHT packets are drawn moving (0: --load-only). */
  toFanoutSeconds: number;
}

/** Loads the generated lab and plays it until the animation carries a big fan-out. */
async function prepare(page: Page, o: Options, renderer: 'canvas' | 'webgl'): Promise<Prepared> {
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${o.port}/`);
  await page.getByRole('button', { name: 'GM-1', exact: true }).waitFor({ timeout: 60_000 });
  const opened = Date.now();
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await picker.selectOption(`generated:${o.spokes}`);
  await page.getByRole('button', { name: `GM-${o.spokes}`, exact: true }).waitFor({ timeout: 300_000 });
  const loaded = Date.now();
  const webgl = page.getByRole('checkbox', { name: 'WebGL' });
  if ((await webgl.isChecked()) !== (renderer === 'webgl')) await webgl.click();
  // Past the boot storm (every spoke registering with NHRP, IKE and GDOI), then in real time: the hub's
  // EIGRP hello, replicated to every spoke every 5 s, is the big fan-out the animation must carry.
  await page.getByRole('spinbutton', { name: 'Run to time (s)' }).fill(String(o.warmup));
  await page.getByRole('button', { name: 'Run to', exact: true }).click();
  await page
    .locator('.clock-seconds')
    .filter({ hasText: `t = ${o.warmup.toFixed(6)} s` })
    .waitFor({ timeout: 900_000 });
  const warmed = Date.now();
  const result = {
    // The reference lab's load (GM-1 shown) is not the generated lab's: measured from picking it.
    loadSeconds: (loaded - opened) / 1000,
    warmupSeconds: (warmed - loaded) / 1000,
    toFanoutSeconds: 0,
  };
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(String(o.speed));
  await page.getByRole('button', { name: /Play/ }).click();
  if (o.loadOnly) return result;
  // A string predicate: it runs in the page (this file is type-checked without the DOM library).
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid=packet-canvas]')?.dataset.inFlight) >= ${MIN_IN_FLIGHT}`,
    undefined,
    { timeout: 120_000, polling: 50 },
  );
  return { ...result, toFanoutSeconds: (Date.now() - started) / 1000 };
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
async function measure(
  page: Page,
  seconds: number,
): Promise<Omit<Measure, 'renderer' | 'simSeconds' | 'simSecondsPlayed' | keyof Prepared>> {
  const args = JSON.stringify({ ms: seconds * 1000, min: MIN_IN_FLIGHT });
  return (await page.evaluate(`${FRAME_COUNTER}(${args})`)) as Omit<
    Measure,
    'renderer' | 'simSeconds' | 'simSecondsPlayed' | keyof Prepared
  >;
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
    // WebGL without a GPU: SwiftShader, as a classroom laptop without drivers would.
    args: [
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
  const results: Measure[] = [];
  const errors: string[] = [];
  try {
    await waitForServer(`http://127.0.0.1:${o.port}/`, 30_000);
    for (const renderer of o.renderers) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const prepared = await prepare(page, o, renderer);
      const simBefore = await page.locator('.clock-seconds').textContent();
      const figures = await measure(page, o.seconds);
      const sim = await page.locator('.clock-seconds').textContent();
      const seconds = (text: string | null): number => Number(/[\d.]+/.exec(text ?? '')?.[0] ?? 0);
      results.push({
        renderer,
        ...prepared,
        ...figures,
        simSeconds: seconds(sim),
        simSecondsPlayed: Math.round((seconds(sim) - seconds(simBefore)) * 1000) / 1000,
      });
      await page.close();
    }
  } finally {
    await browser.close();
    if (server.pid !== undefined) process.kill(-server.pid);
  }
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      /** 1, 5 and 15 minute load averages before and after the run. */
      loadBefore,
      loadAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      spokes: o.spokes,
      warmupSimSeconds: o.warmup,
      speed: o.speed,
      devices: o.spokes + 3,
      minInFlight: MIN_IN_FLIGHT,
      results,
      errors,
    }),
  );
}

await main();
