// The lessons: the article walked through step by step, each with actions a click performs (through the
// console, the timeline or the fault path) and live checks read from the worker's typed views (PIM, GDOI,
// multicast) and the timeline's typed markers. Pure data and predicates; the panel runs them.
import type { GdoiView, MulticastView, PimView, SimTime } from '../worker/protocol';
import type { Marker } from './hops';

/** What a lesson button does. Nothing here depends on wall-clock time: each works at any speed, after any pause. */
export type LessonAction =
  /** Runs the lab on to at least this simulated time. */
  | { readonly kind: 'run-to'; readonly t: SimTime }
  /** Runs the lab on for this many simulated seconds. */
  | { readonly kind: 'run-for'; readonly seconds: number }
  /** Runs the lab on until the key server `ks` has sent its next rekey (its GDOI view's counter moves). */
  | { readonly kind: 'next-rekey'; readonly ks: string }
  /** Runs the lab on until `member` receives a rekey after its last configuration change, at most `maxSeconds`. */
  | { readonly kind: 'until-rekey'; readonly member: string; readonly maxSeconds: number }
  /** Console lines on a device (configuration lines go inside `configure terminal` … `end` themselves). */
  | { readonly kind: 'cli'; readonly device: string; readonly lines: readonly string[] }
  /** Applies (`on`) or undoes a spoke's `ip mroute` fault. */
  | { readonly kind: 'mroute-fault'; readonly device: string; readonly on: boolean }
  /** Applies or undoes the hub's nbma-mode fault. */
  | { readonly kind: 'nbma-fault'; readonly device: string; readonly on: boolean }
  /** Several of the above, in order. */
  | { readonly kind: 'all'; readonly actions: readonly LessonAction[] };

/** The lab's typed state a check reads: each view fetched once per check round. */
export interface LessonFacts {
  pim(device: string): Promise<PimView>;
  gdoi(device: string): Promise<GdoiView>;
  /** The rekey group's view: every router's RPF towards the KS and its entries for 239.10.10.1. */
  multicast(): Promise<MulticastView>;
  readonly markers: readonly Marker[];
}

export interface LessonCheck {
  readonly label: string;
  readonly test: (facts: LessonFacts) => Promise<boolean>;
}

export interface LessonButton {
  readonly label: string;
  readonly action: LessonAction;
  /**
   * A button that breaks something: the fault it applies (`mroute:GM-2`), and the button that puts it back, shown
   * in its place while the fault is applied.
   */
  readonly breaks?: { readonly fault: string; readonly undo: LessonButton };
}

export interface LessonStep {
  readonly title: string;
  /** Paragraphs; the article's words where it says it best. */
  readonly text: readonly string[];
  readonly actions: readonly LessonButton[];
  readonly checks: readonly LessonCheck[];
  /** Run when the student leaves the step after using it (a debug the step turned on is turned off). */
  readonly leave?: LessonAction;
}

/** The reference lab's key server, rekey group and hub tunnel address (the article's). */
export const KS_ADDRESS = '1.1.1.1';
export const REKEY_GROUP = '239.10.10.1';
const HUB_TUNNEL = '192.168.100.1';
const SECOND = 1_000_000;

/**
 * A member has received a rekey since its configuration last changed (its GDOI view's time since the last rekey,
 * against the newest %SYS-5-CONFIG_I marker of that device). A re-registration does not count: Cisco 116737 (GM
 * 1.0.4) has a member that missed the KEK rekey re-register by unicast when its KEK runs out, which hides the
 * broken multicast path instead of proving it works.
 */
export async function rekeySinceLastChange(f: LessonFacts, member: string): Promise<boolean> {
  const changed = f.markers
    .filter((m) => m.kind === 'config' && m.device === member)
    .reduce((t, m) => Math.max(t, m.t), Number.NEGATIVE_INFINITY);
  const view = await f.gdoi(member);
  const m = view.members[0];
  if (!m || m.secondsSinceLastRekey === undefined) return false;
  return view.now - m.secondsSinceLastRekey * SECOND > changed;
}

/** `show ip rpf 1.1.1.1` on `device` names a tunnel (the static mroute's whole point on a spoke). */
async function rpfViaTunnel(f: LessonFacts, device: string): Promise<boolean> {
  const rpf = (await f.multicast()).rpf.find((r) => r.device === device);
  return rpf?.interface === 'Tunnel10';
}

/** `show ip pim rp mapping` on `device` lists RP 1.1.1.1. */
async function knowsRp(f: LessonFacts, device: string): Promise<boolean> {
  return (await f.pim(device)).rpMappings.some((m) => m.rp === KS_ADDRESS);
}

/** The hub as `device`'s PIM neighbour on Tunnel10, as `show ip pim neighbor` lists it. */
async function hubNeighbor(
  f: LessonFacts,
  device: string,
): Promise<PimView['neighbors'][number] | undefined> {
  return (await f.pim(device)).neighbors.find((n) => n.address === HUB_TUNNEL && n.iface === 'Tunnel10');
}

const MROUTE_BACK: LessonButton = {
  label: 'Put it back',
  action: { kind: 'mroute-fault', device: 'GM-2', on: false },
};

const NBMA_BACK: LessonButton = {
  label: 'Put nbma-mode back',
  action: { kind: 'nbma-fault', device: 'Central', on: false },
};

export const LESSONS: readonly LessonStep[] = [
  {
    title: 'Three considerations',
    text: [
      'GET VPN rekeys can travel as multicast over the DMVPN tunnel, so the provider network needs no multicast. The article lists three conditions:',
      '1. The tunnel interfaces must support multicast (PIM on Tunnel10, NHRP multicast mappings).',
      '2. The tunnels must join the rekey group: ip igmp join-group 239.10.10.1 under Tunnel10.',
      '3. On every spoke the KS (1.1.1.1) must be reachable through the tunnel for the RPF check: ip mroute 1.1.1.1 255.255.255.255 192.168.100.1.',
      'Run the lab for a minute and watch the three checks turn green on GM-2.',
    ],
    actions: [{ label: 'Run to 60 s', action: { kind: 'run-to', t: 60 * SECOND } }],
    checks: [
      {
        label: 'GM-2 has Central as PIM neighbour on Tunnel10',
        test: async (f) => (await hubNeighbor(f, 'GM-2')) !== undefined,
      },
      {
        label: 'GM-2 has joined 239.10.10.1',
        // The view gives the (S,G) entry once traffic flowed, else the (*,G): either is the join's state.
        test: async (f) =>
          (await f.multicast()).entries.some(
            (e) => e.device === 'GM-2' && e.entry.endsWith(`, ${REKEY_GROUP})`),
          ),
      },
      {
        label: 'GM-2 reaches the KS through Tunnel10 for RPF',
        test: (f) => rpfViaTunnel(f, 'GM-2'),
      },
    ],
  },
  {
    title: 'The RPF failure',
    text: [
      'Without ip mroute 1.1.1.1 255.255.255.255 192.168.100.1, GM-2 reaches 1.1.1.1 through its physical interface, so every multicast packet from the KS arriving on Tunnel10 fails the RPF check and is dropped.',
      'Remove the line on GM-2 (debug ip pim is switched on too, and off again when you leave this lesson), then run to the next rekey: the rekey is dropped at GM-2 with its reason, and a red RPF-drop marker appears on the timeline.',
      'Meanwhile GM-2 keeps its keys only by re-registering (unicast) each time its KEK runs out without the rekey (Cisco, "GETVPN KEK Rekey Behavior Change"). Put the line back and run on: the next multicast rekey reaches GM-2 again.',
    ],
    actions: [
      {
        label: 'Remove ip mroute on GM-2',
        action: {
          kind: 'all',
          actions: [
            { kind: 'cli', device: 'GM-2', lines: ['debug ip pim'] },
            { kind: 'mroute-fault', device: 'GM-2', on: true },
          ],
        },
        breaks: { fault: 'mroute:GM-2', undo: MROUTE_BACK },
      },
      { label: 'Run to the next rekey', action: { kind: 'next-rekey', ks: 'KS' } },
      {
        label: 'Run until GM-2 gets a rekey',
        action: { kind: 'until-rekey', member: 'GM-2', maxSeconds: 700 },
      },
    ],
    checks: [
      {
        label: 'GM-2 dropped a packet from the KS on RPF (timeline)',
        test: async (f) => f.markers.some((m) => m.kind === 'rpf-drop' && m.device === 'GM-2'),
      },
      {
        label: 'GM-2 reaches the KS through Tunnel10 for RPF (ip mroute in place)',
        test: (f) => rpfViaTunnel(f, 'GM-2'),
      },
      {
        label: 'GM-2 received a multicast rekey since its last configuration change',
        test: (f) => rekeySinceLastChange(f, 'GM-2'),
      },
    ],
    leave: { kind: 'cli', device: 'GM-2', lines: ['undebug ip pim'] },
  },
  {
    title: 'DR priority and nbma-mode',
    text: [
      'ip pim dr-priority 100 on the hub tunnel makes Central the designated router of the mGRE "network", so it sends the Joins and Prunes towards the RP.',
      'ip pim nbma-mode makes Central treat each spoke as a point-to-point neighbour: a Prune from one spoke no longer stops the group for every spoke behind Tunnel10.',
    ],
    actions: [
      {
        label: "Show GM-2's PIM neighbours",
        action: { kind: 'cli', device: 'GM-2', lines: ['show ip pim neighbor'] },
      },
      {
        label: 'Remove nbma-mode on Central',
        action: { kind: 'nbma-fault', device: 'Central', on: true },
        breaks: { fault: 'nbma-mode:Central', undo: NBMA_BACK },
      },
    ],
    checks: [
      {
        label: 'Central is the DR on Tunnel10 (priority 100)',
        test: async (f) => {
          const hub = await hubNeighbor(f, 'GM-2');
          return hub?.dr === true && hub.drPriority === 100;
        },
      },
      {
        label: 'Central runs Tunnel10 in nbma-mode',
        test: async (f) => (await f.pim('Central')).nbmaMode.includes('Tunnel10'),
      },
    ],
  },
  {
    title: 'Where the mapping agent must sit',
    text: [
      'Auto-RP: the KS announces itself as candidate RP (RP-Announce, 224.0.1.39) and, as mapping agent, sends the Group-to-RP mappings (RP-Discovery, 224.0.1.40) to every PIM router.',
      'The mapping agent must sit at the hub site: behind a spoke, its RP-Discovery messages would not be sent on to the other spokes.',
      'Every spoke should learn "RP 1.1.1.1" for 239.0.0.0/8. (If GM-2 stays red, put its ip mroute back: lesson 2.)',
    ],
    actions: [
      {
        label: 'Run a minute, then show ip pim rp mapping',
        action: {
          kind: 'all',
          actions: [
            { kind: 'run-for', seconds: 65 },
            { kind: 'cli', device: 'KS', lines: ['show ip pim rp mapping'] },
          ],
        },
      },
    ],
    checks: [
      {
        label: 'The KS is the RP-mapping agent',
        test: async (f) => (await f.pim('KS')).mappingAgent,
      },
      { label: 'GM-1 learnt RP 1.1.1.1', test: (f) => knowsRp(f, 'GM-1') },
      { label: 'GM-2 learnt RP 1.1.1.1', test: (f) => knowsRp(f, 'GM-2') },
    ],
  },
  {
    title: 'Multicast versus unicast rekey',
    text: [
      'With unicast rekeys the KS sends one copy per group member (and waits for each acknowledgement); with multicast it sends one packet to 239.10.10.1 and the hub replicates it on the tunnel to each spoke that joined.',
      'Run to the next rekey: one GDOI packet leaves the KS, and ESP ⊃ GRE ⊃ GDOI copies fan out at Central.',
    ],
    actions: [{ label: 'Run to the next rekey', action: { kind: 'next-rekey', ks: 'KS' } }],
    checks: [
      {
        label: "GM-2's KEK says multicast rekey",
        test: async (f) => (await f.gdoi('GM-2')).members[0]?.rekeyTransport === 'multicast',
      },
      {
        label: 'GM-1 received a rekey',
        test: async (f) => ((await f.gdoi('GM-1')).members[0]?.rekeysReceived ?? 0) > 0,
      },
      {
        label: 'GM-2 received a rekey',
        test: async (f) => ((await f.gdoi('GM-2')).members[0]?.rekeysReceived ?? 0) > 0,
      },
    ],
  },
];

/** Facts read through `fetch` functions, each view fetched once (a check round asks several checks). */
export function cachedFacts(
  source: {
    pim(device: string): Promise<PimView>;
    gdoi(device: string): Promise<GdoiView>;
    multicast(source: string, group: string): Promise<MulticastView>;
  },
  markers: readonly Marker[],
): LessonFacts {
  const pims = new Map<string, Promise<PimView>>();
  const gdois = new Map<string, Promise<GdoiView>>();
  let multicast: Promise<MulticastView> | undefined;
  const once = <V>(map: Map<string, Promise<V>>, key: string, get: () => Promise<V>): Promise<V> => {
    let v = map.get(key);
    if (!v) map.set(key, (v = get()));
    return v;
  };
  return {
    pim: (d) => once(pims, d, () => source.pim(d)),
    gdoi: (d) => once(gdois, d, () => source.gdoi(d)),
    multicast: () => (multicast ??= source.multicast(KS_ADDRESS, REKEY_GROUP)),
    markers,
  };
}

/** Runs a step's checks; a view that cannot be read (a device missing from a user's lab) is a red check. */
export async function runChecks(step: LessonStep, facts: LessonFacts): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const c of step.checks) out.push(await c.test(facts).catch(() => false));
  return out;
}
