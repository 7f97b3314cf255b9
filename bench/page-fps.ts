// `npm run bench:page [-- --spokes 500 --seconds 10 --warmup 30 --speed 1 --renderer both --no-build]`: the
// page with a generated hub-and-spoke lab, measured in Chromium. Builds the page (unless --no-build), serves
// it with `vite preview`, loads the lab, plays it until at least 200 packets are in flight in the animation
// (the hub's multicast fanning out to every spoke), then counts requestAnimationFrame callbacks for a few
// seconds. Prints one JSON line. Never run in unit tests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';

const PORT = 4181;
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
  };
}

interface Measure {
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

/** Loads the generated lab and plays it until the animation carries a big fan-out. */
async function prepare(page: Page, o: Options, renderer: 'canvas' | 'webgl'): Promise<number> {
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.getByRole('button', { name: 'GM-1', exact: true }).waitFor({ timeout: 60_000 });
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await picker.selectOption(`generated:${o.spokes}`);
  await page.getByRole('button', { name: `GM-${o.spokes}`, exact: true }).waitFor({ timeout: 120_000 });
  const webgl = page.getByRole('checkbox', { name: 'WebGL' });
  if ((await webgl.isChecked()) !== (renderer === 'webgl')) await webgl.click();
  // Past the boot storm (every spoke registering with NHRP, IKE and GDOI), then in real time: the hub's
  // EIGRP hello, replicated to every spoke every 5 s, is the big fan-out the animation must carry.
  await page.getByRole('spinbutton', { name: 'Run to time (s)' }).fill(String(o.warmup));
  await page.getByRole('button', { name: 'Run to', exact: true }).click();
  await page
    .locator('.clock-seconds')
    .filter({ hasText: `t = ${o.warmup.toFixed(6)} s` })
    .waitFor({ timeout: 600_000 });
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(String(o.speed));
  await page.getByRole('button', { name: /Play/ }).click();
  // A string predicate: it runs in the page (this file is type-checked without the DOM library).
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid=packet-canvas]')?.dataset.inFlight) >= ${MIN_IN_FLIGHT}`,
    undefined,
    { timeout: 120_000, polling: 50 },
  );
  return (Date.now() - started) / 1000;
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
async function measure(page: Page, seconds: number): Promise<Omit<Measure, 'renderer' | 'simSeconds'>> {
  const args = JSON.stringify({ ms: seconds * 1000, min: MIN_IN_FLIGHT });
  return (await page.evaluate(`${FRAME_COUNTER}(${args})`)) as Omit<Measure, 'renderer' | 'simSeconds'>;
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  // The machine may be shared (other benchmarks, test runs): the load average says how much.
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  if (o.build) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  const server: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
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
  let loadSeconds = 0;
  try {
    await waitForServer(`http://127.0.0.1:${PORT}/`, 30_000);
    for (const renderer of o.renderers) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      loadSeconds = Math.max(loadSeconds, await prepare(page, o, renderer));
      const figures = await measure(page, o.seconds);
      const sim = await page.locator('.clock-seconds').textContent();
      results.push({ renderer, ...figures, simSeconds: Number(/[\d.]+/.exec(sim ?? '')?.[0] ?? 0) });
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
      /** Wall seconds from opening the page to the first big fan-out (load, generate, warm-up run). */
      secondsToFirstBigFanout: Math.round(loadSeconds * 10) / 10,
      results,
      errors,
    }),
  );
}

await main();
