// The object the worker exposes through comlink. Free of `self` and Comlink so Vitest calls it directly.
import { CliSession } from '../sim/cli/cli-session';
import { iosClock } from '../sim/cli/ios-time';
import { shortInterfaceName } from '../sim/config/interface-names';
import { writePcap } from '../sim/net/pcap';
import { espKeylog } from '../sim/protocols/esp/keylog';
import { type Lab, loadLab } from '../sim/scenario/lab';
import { overlayEdges } from '../sim/scenario/overlay';
import type { DeviceView, ExecResult, LabView, LoadResult, SimApi, TraceBatch } from './protocol';

/** Creates the simulation API. Each instance holds one lab at a time. */
export function createSimApi(): SimApi {
  let lab: Lab | undefined;
  let sessions = new Map<string, CliSession>();
  let cursor = 0;
  /** The scenario text now loaded and the console lines run on it: together they re-create any moment. */
  let scenarioText = '';
  let commands: CommandRecord[] = [];

  const session = (device: string): CliSession => {
    if (!lab) throw new Error('No lab is loaded.');
    let s = sessions.get(device);
    if (!s) {
      const router = lab.router(device);
      if (!router) throw new Error(`There is no device named "${device}".`);
      s = new CliSession(router, { epochMs: lab.epochMs });
      sessions.set(device, s);
    }
    return s;
  };

  const drain = (): TraceBatch => {
    if (!lab) return { now: 0, clock: '', records: [], total: 0 };
    const trace = lab.kernel.trace;
    const records = trace.since(cursor);
    cursor = trace.total;
    return { now: lab.kernel.now, clock: iosClock(lab.epochMs, lab.kernel.now), records, total: cursor };
  };

  return {
    async load(text: string): Promise<LoadResult> {
      const { lab: next, problems } = loadLab(text);
      if (!next) return { ok: false, problems };
      lab = next;
      sessions = new Map();
      cursor = 0;
      scenarioText = text;
      commands = [];
      return { ok: true, lab: labView(next), problems };
    },
    async lab(): Promise<LabView | undefined> {
      return lab && labView(lab);
    },
    async runUntil(time: number): Promise<TraceBatch> {
      if (lab) await lab.kernel.runUntil(time);
      return drain();
    },
    async step(): Promise<TraceBatch> {
      if (lab) await lab.kernel.step();
      return drain();
    },
    async exec(device: string, line: string): Promise<ExecResult> {
      const s = session(device);
      if (lab) commands.push({ t: lab.kernel.now, events: lab.kernel.eventsProcessed, device, line });
      const output = await s.execute(line);
      const batch = drain();
      return { output, prompt: s.prompt(), now: batch.now, records: batch.records };
    },
    async prompt(device: string): Promise<string> {
      return session(device).prompt();
    },
    async help(device: string, partial: string): Promise<string> {
      return session(device).help(partial);
    },
    async complete(device: string, partial: string): Promise<string> {
      return session(device).complete(partial);
    },
    async exportPcap(): Promise<Uint8Array> {
      if (!lab) return writePcap([], 0);
      const frames = lab.kernel.trace.allFrames().map((f) => ({ timeUs: f.t, bytes: f.bytes }));
      return writePcap(frames, Math.floor(lab.epochMs / 1000));
    },
    async exportKeylog(): Promise<string> {
      return espKeylog(lab ? lab.routers : []);
    },
  };
}

function labView(lab: Lab): LabView {
  const devices: DeviceView[] = [...lab.devices.values()].map((d) => ({
    name: d.name,
    role: d.role,
    x: d.x,
    y: d.y,
    interfaces: d.router.config.interfaces.map((i) => {
      const state = d.router.interfaceState(i.name);
      return {
        name: i.name,
        short: shortInterfaceName(i.name),
        address: i.address
          ? `${formatIpv4(i.address.address)}/${lengthFromMask(i.address.mask) ?? 32}`
          : undefined,
        status: state.status,
        protocol: state.protocol,
      };
    }),
  }));
  const links = lab.links.map((l) => ({
    id: l.id,
    a: l.a,
    b: l.b,
    delayMs: l.delay / 1000,
    up: Boolean(lab.router(l.a.device)?.isUp(l.a.iface) && lab.router(l.b.device)?.isUp(l.b.iface)),
  }));
  return {
    title: lab.title,
    description: lab.description,
    devices,
    links,
    overlay: overlayEdges(lab),
    problems: lab.problems,
    now: lab.kernel.now,
    clock: iosClock(lab.epochMs, lab.kernel.now),
  };
}
