import { canonicalInterfaceName } from '../config/interface-names';
import { parseConfig } from '../config/parse';
import type { Link, LinkEnd } from '../device/link';
import { linkId, otherEnd } from '../device/link';
import { type NetworkPort, Router } from '../device/router';
import { bound } from '../kernel/bound';
import { Kernel } from '../kernel/kernel';
import { millis } from '../kernel/time';
import type { ProblemRecord, TraceRecorder } from '../kernel/trace';
import { summarize } from '../net/dissectors';
import { writePcap } from '../net/pcap';
import { attachProtocols } from '../protocols/attach';
import type { Lesson } from './lesson-schema';
import { parseScenario, type Scenario, type ScenarioDevice } from './schema';

/** The default IOS clock when a scenario gives none: near the article's debug timestamps. */
export const DEFAULT_CLOCK = '2026-07-07T22:55:00.000Z';

/** A problem in a scenario: names the device and line where there is one. */
export interface LabProblem {
  readonly severity: 'error' | 'warning';
  readonly device?: string;
  readonly line?: number;
  readonly text?: string;
  /** 0-based column in `text` the message points at: draw IOS's `^` under it. */
  readonly column?: number;
  /** Plain-language or IOS-style message (e.g. `% Invalid input detected at '^' marker.`). */
  readonly message: string;
}

export interface LabDevice {
  readonly name: string;
  readonly role: 'router' | 'provider';
  readonly x?: number;
  readonly y?: number;
  readonly router: Router;
}

/**
 * A running lab: the kernel, the routers built from their configs and the links between them. It is the
 * `NetworkPort` of every router: frames put on a link arrive at the far end after the link's delay.
 */
export class Lab implements NetworkPort {
  readonly kernel: Kernel;
  readonly title: string;
  readonly description: string;
  /** Format 2's lessons (none for a format 1 file). */
  readonly lessons: readonly Lesson[];
  /** Unix milliseconds of simulated time 0, for IOS timestamps. */
  readonly epochMs: number;
  readonly devices = new Map<string, LabDevice>();
  readonly links: Link[] = [];
  readonly problems: LabProblem[] = [];
  /**
   * The link at each end, by device then interface: asked for every frame sent, and a two-level lookup builds no
   * key string per frame (issue 18, steady state).
   */
  private readonly linkByEnd = new Map<string, Map<string, Link>>();

  constructor(scenario: Scenario, seedOverride?: number, trace?: TraceRecorder) {
    this.kernel = new Kernel(seedOverride ?? scenario.seed, trace);
    this.title = scenario.title;
    this.description = scenario.description;
    this.lessons = scenario.lessons ?? [];
    this.epochMs = Date.parse(scenario.clock ?? DEFAULT_CLOCK);
    // What the kernel's watchdog stops is a problem of the lab: the page's Problems panel lists it. Callbacks
    // kept in the lab's state are bound methods, which a checkpoint can copy (kernel/bound.ts).
    this.kernel.watchdog.onProblem = bound(this, this.watchdogProblem);
    for (const d of scenario.devices) this.addDevice(d);
    scenario.links.forEach((l, i) => this.addLink(l.a, l.b, l.delayMs ?? 1, l.loss ?? 0, i + 1));
  }

  private watchdogProblem(p: ProblemRecord): void {
    this.problems.push({ severity: 'error', device: p.device, message: p.message });
  }

  get routers(): Router[] {
    return [...this.devices.values()].map((d) => d.router);
  }

  router(name: string): Router | undefined {
    return this.devices.get(name)?.router;
  }

  /** Brings every interface up and starts every protocol, as routers do when they finish booting. */
  boot(): void {
    for (const r of this.routers) r.reconcile();
    // Routes may depend on neighbours' interface states, settled by the first pass.
    for (const r of this.routers) r.reconcile();
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  linkOf(device: string, iface: string): Link | undefined {
    return this.linkByEnd.get(device)?.get(iface);
  }

  peerEnabled(device: string, iface: string): boolean | undefined {
    const link = this.linkOf(device, iface);
    if (!link) return undefined;
    const far = otherEnd(link, device, iface);
    const cfg = this.router(far.device)?.interfaceConfig(far.iface);
    return cfg !== undefined && !cfg.shutdown;
  }

  transmit(device: string, iface: string, bytes: Uint8Array): void {
    const link = this.linkOf(device, iface);
    if (!link) return;
    const kernel = this.kernel;
    const frameId = kernel.trace.addFrame(kernel.now, link.id, device, bytes);
    kernel.trace.recordPacket(
      { t: kernel.now, event: 'sent', device, iface, link: link.id, frameId },
      bytes,
      summarize,
    );
    const far = otherEnd(link, device, iface);
    if (link.loss > 0 && kernel.prng.nextFloat() < link.loss) {
      const reason = `lost on the link (loss ${Math.round(link.loss * 100)}%)`;
      kernel.trace.recordPacket(
        { t: kernel.now, event: 'dropped', device, iface, link: link.id, frameId, reason },
        bytes,
        summarize,
      );
      return;
    }
    // The arrival is the far router's work (the watchdog stops runaway work per router). One handler for every
    // frame, given the frame as data: no callback made per frame (issue 18, steady state).
    kernel.scheduleWith(link.delay, this.arrive, new FrameArrival(far, bytes, frameId), far.device);
  }

  /** `deliver`, bound once: the handler of every frame arrival (a method, so a checkpoint copies it). */
  private readonly arrive = bound(this, this.deliver);

  /** A frame reaches the far end of its link (the event `transmit` schedules). */
  private deliver(arrival: FrameArrival): void | Promise<void> {
    const end = arrival.end;
    return this.router(end.device)?.receiveFrame(end.iface, arrival.bytes, arrival.frameId);
  }

  /**
   * Sets the fraction of frames a link loses in each direction (a teaching fault). Clamped to [0, 1]; the
   * draws come from the kernel's seeded PRNG, so a re-run loses the same frames. False for an unknown link.
   */
  setLinkLoss(id: string, fraction: number): boolean {
    const link = this.links.find((l) => l.id === id);
    if (!link || !Number.isFinite(fraction)) return false;
    link.loss = Math.min(1, Math.max(0, fraction));
    return true;
  }

  /** Re-reads the interface states of every router linked to `device`. */
  refreshPeersOf(device: string): void {
    const peers = new Set<string>();
    for (const l of this.links) {
      if (l.a.device === device) peers.add(l.b.device);
      if (l.b.device === device) peers.add(l.a.device);
    }
    for (const p of peers) this.router(p)?.reconcile();
  }

  private addDevice(d: ScenarioDevice): void {
    const { model, diagnostics } = parseConfig(d.config, d.name);
    for (const diag of diagnostics) {
      this.problems.push({
        severity: diag.severity,
        device: d.name,
        line: diag.line,
        text: diag.text,
        column: diag.column,
        message: diag.message,
      });
    }
    const router = new Router(d.name, this.kernel, model, this);
    attachProtocols(router);
    // `shutdown` on one end changes the far end's line state too.
    router.onConfigChange(bound(this, this.refreshPeersOf, d.name));
    this.devices.set(d.name, { name: d.name, role: d.role, x: d.x, y: d.y, router });
  }

  private addLink(aText: string, bText: string, delayMs: number, loss: number, index: number): void {
    const a = this.resolveEnd(aText, index);
    const b = this.resolveEnd(bText, index);
    if (!a || !b) return;
    for (const end of [a, b]) {
      const existing = this.linkOf(end.device, end.iface);
      if (existing) {
        this.problems.push({
          severity: 'error',
          device: end.device,
          message: `Link #${index}: ${end.device} ${end.iface} is already connected (${existing.id}); an interface takes one link.`,
        });
        return;
      }
    }
    if (a.device === b.device && a.iface === b.iface) {
      this.problems.push({
        severity: 'error',
        device: a.device,
        message: `Link #${index} connects ${aText} to itself.`,
      });
      return;
    }
    const link: Link = { id: linkId(a, b), a, b, delay: millis(delayMs), loss };
    this.links.push(link);
    this.setLinkEnd(a, link);
    this.setLinkEnd(b, link);
  }

  private setLinkEnd(end: LinkEnd, link: Link): void {
    let ends = this.linkByEnd.get(end.device);
    if (!ends) this.linkByEnd.set(end.device, (ends = new Map()));
    ends.set(end.iface, link);
  }

  private resolveEnd(text: string, index: number): LinkEnd | undefined {
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(text);
    if (!m) {
      this.problems.push({
        severity: 'error',
        message: `Link #${index}: "${text}" must read "<device> <interface>".`,
      });
      return undefined;
    }
    const [, device = '', ifText = ''] = m;
    const router = this.router(device);
    if (!router) {
      this.problems.push({
        severity: 'error',
        message: `Link #${index}: there is no device named "${device}".`,
      });
      return undefined;
    }
    const iface = canonicalInterfaceName(ifText.replace(/\s+/g, ''));
    if (!iface || !router.interfaceConfig(iface)) {
      this.problems.push({
        severity: 'error',
        device,
        message: `Link #${index}: ${device} has no interface "${ifText}" in its config.`,
      });
      return undefined;
    }
    return { device, iface };
  }
}

/**
 * A frame on its way to the far end of a link: the data of its arrival event. Exported so a saved moment
 * (kernel/snapshot-codec.ts) can name its class: one may be in the event queue when the moment is saved.
 */
export class FrameArrival {
  readonly end: LinkEnd;
  readonly bytes: Uint8Array;
  readonly frameId: number;

  constructor(end: LinkEnd, bytes: Uint8Array, frameId: number) {
    this.end = end;
    this.bytes = bytes;
    this.frameId = frameId;
  }
}

/**
 * Loads scenario text into a booted lab, or returns the problems that stopped it. `trace` replaces the default
 * recorder (tests give a small window to show that what streams from it outlives the window).
 */
export function loadLab(
  text: string,
  seedOverride?: number,
  trace?: TraceRecorder,
): { lab?: Lab; problems: LabProblem[] } {
  const { scenario, problems } = parseScenario(text);
  const schemaProblems: LabProblem[] = problems.map((p) => ({
    severity: p.severity ?? 'error',
    device: p.device,
    message: p.path !== undefined ? `${p.path}: ${p.message}` : p.message,
  }));
  if (!scenario) return { problems: schemaProblems };
  const lab = new Lab(scenario, seedOverride, trace);
  lab.problems.unshift(...schemaProblems);
  lab.boot();
  return { lab, problems: lab.problems };
}

/** Every frame sent on every link so far, in send order (frame N = trace frame id N), as a pcap file. */
export function labPcap(lab: Lab): Uint8Array {
  const frames = lab.kernel.trace.allFrames().map((f) => ({ timeUs: f.t, bytes: f.bytes }));
  return writePcap(frames, Math.floor(lab.epochMs / 1000));
}
