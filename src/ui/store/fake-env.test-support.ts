// Surroundings for a store driven without a browser: a worker port (a recorded trace, or the worker API itself in
// the same thread), storage in memory, animation frames advanced by hand. Used by the slices' tests.
import type { EventClass, LabView, PageApi, SimTime, TraceRecord } from '../../worker/protocol';
import type { KeyValueStore } from '../persistence';
import type { FrameClock, StoreEnv, WorkerPort } from './env';
import { RECORDING_FORMAT, type RecordedEvent, type TraceRecording, replayWorker } from './replay-worker';

/** localStorage's part the page uses, in a Map (a key named `__proto__` is a key like any other). */
export class MemoryStorage implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Animation frames that run when the test says: `tick(ms)` moves the wall clock and runs the frame asked for. */
export class ManualFrames implements FrameClock {
  private wall = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, (wallMs: number) => void>();
  request(callback: (wallMs: number) => void): number {
    const id = this.nextId++;
    this.waiting.set(id, callback);
    return id;
  }
  cancel(id: number): void {
    this.waiting.delete(id);
  }
  now(): number {
    return this.wall;
  }
  /** How many frames are asked for. */
  get pending(): number {
    return this.waiting.size;
  }
  /** Moves the wall clock by `ms` and runs the frames asked for until then. */
  tick(ms: number): void {
    this.wall += ms;
    const due = [...this.waiting];
    this.waiting.clear();
    for (const [, cb] of due) cb(this.wall);
  }
}

/** A port over an API in this thread; `crash(message)` plays a worker dying. */
export function portOver(
  make: () => PageApi,
): WorkerPort & { crash(message: string): void; restarts: number } {
  let api = make();
  const listeners = new Set<(message: string) => void>();
  const port = {
    restarts: 0,
    api: () => api,
    restart: () => {
      port.restarts++;
      api = make();
    },
    onError: (listener: (message: string) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    crash: (message: string) => {
      for (const l of listeners) l(message);
    },
  };
  return port;
}

export interface FakeEnv extends StoreEnv {
  readonly storage: MemoryStorage;
  readonly frames: ManualFrames;
  /** Scenario files `fetchText` serves, by URL. */
  readonly files: Map<string, string>;
  /** Questions `confirm` was asked; it answers `answer`. */
  readonly asked: string[];
  answer: boolean;
}

export function fakeEnv(worker: WorkerPort, tabId = 'tab-test'): FakeEnv {
  const files = new Map<string, string>();
  const env: FakeEnv = {
    worker,
    storage: new MemoryStorage(),
    frames: new ManualFrames(),
    files,
    asked: [],
    answer: true,
    async fetchText(url) {
      const text = files.get(url);
      if (text === undefined) throw new Error(`${url}: HTTP 404 Not Found`);
      return text;
    },
    confirm(message) {
      env.asked.push(message);
      return env.answer;
    },
    baseUrl: '/',
    tabId,
  };
  return env;
}

/** Lets queued promise callbacks and worker calls settle. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

export const SECOND = 1_000_000;

/** The small lab of `smallRecording`: a key server, a member, and a router named `constructor`. */
export const SMALL_LAB: LabView = {
  title: 'Small lab',
  description: 'Three routers on one segment each',
  devices: ['KS', 'GM-1', 'constructor'].map((name) => ({
    name,
    role: 'router' as const,
    interfaces: [{ name: 'FastEthernet0/0', short: 'Fa0/0', status: 'up', protocol: 'up' as const }],
  })),
  links: [
    {
      id: 'KS FastEthernet0/0--GM-1 FastEthernet0/0',
      a: { device: 'KS', iface: 'FastEthernet0/0' },
      b: { device: 'GM-1', iface: 'FastEthernet0/0' },
      delayMs: 1,
      up: true,
      loss: 0,
    },
  ],
  overlay: [],
  problems: [],
  now: 0,
  clock: '',
  wireStyles: [
    { id: 'ipv4', label: 'IPv4', color: '#607d8b' },
    { id: 'esp', label: 'ESP', color: '#7b1fa2', legendOrder: 1 },
    { id: 'gre', label: 'GRE', color: '#00838f', legendOrder: 2 },
    { id: 'eigrp', label: 'EIGRP', color: '#2e7d32', legendOrder: 4 },
    { id: 'pim', label: 'PIM', color: '#1565c0', legendOrder: 5 },
    { id: 'gdoi', label: 'GDOI', color: '#c62828', legendOrder: 8 },
  ],
};

const SMALL_SCENARIO = JSON.stringify({
  format: 'getlab-scenario/1',
  clock: '2026-07-07T22:55:00.000Z',
  devices: SMALL_LAB.devices.map((d) => ({ name: d.name, config: `hostname ${d.name}\n` })),
  links: [],
});

function typed(
  protocol: string,
  layers: string[],
  kind: EventClass['kind'],
  extra: Partial<EventClass> = {},
) {
  return { typed: { protocol, layers, kind, ...extra } };
}

function packet(t: SimTime, device: string, frameId: number, layers: string[], kind: EventClass['kind']) {
  const protocol = layers[layers.length - 1]!;
  return {
    kind: 'packet' as const,
    t,
    event: kind === 'rpf-drop' ? ('dropped' as const) : ('sent' as const),
    device,
    iface: 'FastEthernet0/0',
    frameId,
    protocols: ['ipv4', ...layers],
    summary: `${protocol.toUpperCase()} from ${device}`,
    ...typed(
      protocol,
      layers,
      kind,
      kind === 'rpf-drop' ? { drop: { code: 'rpf-failed', text: 'RPF check failed' } } : {},
    ),
  };
}

function log(t: SimTime, device: string, text: string, kind: EventClass['kind'], protocol: string) {
  return { kind: 'log' as const, t, device, level: 'syslog' as const, text, ...typed(protocol, [], kind) };
}

/**
 * A hand-made trace with one of each thing the page marks: EIGRP hellos every second to 30 s, a GDOI registration
 * at 2 s, a rekey sent at 3 s (ESP, GRE, GDOI, and the KS's syslog line), a configuration change on `constructor` at 4 s, an RPF drop at 5 s.
 */
export function smallRecording(): TraceRecording {
  const events: RecordedEvent[] = [];
  let frame = 0;
  const at = (t: SimTime, ...records: TraceRecord[]): void => void events.push({ t, records });
  for (let s = 1; s <= 30; s++) {
    at(s * SECOND, packet(s * SECOND, 'KS', ++frame, ['eigrp'], 'packet'));
    if (s === 2)
      at(
        s * SECOND + 1,
        log(s * SECOND + 1, 'GM-1', '%GDOI-5-GM_REGS_COMPL: Registration complete', 'registration', 'gdoi'),
      );
    if (s === 3) {
      at(s * SECOND + 1, packet(s * SECOND + 1, 'KS', ++frame, ['esp', 'gre', 'gdoi'], 'rekey-sent'));
      const rekey = '%GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey';
      at(s * SECOND + 2, log(s * SECOND + 2, 'KS', rekey, 'rekey-sent', 'gdoi'));
    }
    if (s === 4)
      at(
        s * SECOND + 1,
        log(
          s * SECOND + 1,
          'constructor',
          '%SYS-5-CONFIG_I: Configured from console by console',
          'config-change',
          'sys',
        ),
      );
    if (s === 5) at(s * SECOND + 1, packet(s * SECOND + 1, 'GM-1', ++frame, ['pim'], 'rpf-drop'));
  }
  return {
    format: RECORDING_FORMAT,
    scenario: SMALL_SCENARIO,
    lab: SMALL_LAB,
    events,
    prompts: SMALL_LAB.devices.map((d) => [d.name, `${d.name}#`]),
    configs: SMALL_LAB.devices.map((d) => [
      d.name,
      `hostname ${d.name}\nip mroute 1.1.1.1 255.255.255.255 Tunnel10\n`,
    ]),
    answers: [{ device: 'GM-1', line: 'show clock', output: '*22:55:10.000 UTC Tue Jul 7 2026' }],
  };
}

/** A store's surroundings over `smallRecording` (or another recording). */
export function replayEnv(recording: TraceRecording = smallRecording()): FakeEnv {
  return fakeEnv(replayWorker(recording));
}
