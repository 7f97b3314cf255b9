// The lessons: the article walked through step by step, each with an action a click performs (through the
// console or the fault path) and live checks read from the lab with `show` commands. Pure data and pure
// predicates; the panel runs them.
import type { SimTime } from '../worker/protocol';
import type { Marker } from './hops';

/** What a lesson button does. */
export type LessonAction =
  /** Runs the lab on to at least this simulated time. */
  | { readonly kind: 'run-to'; readonly t: SimTime }
  /** Runs the lab on for this many simulated seconds. */
  | { readonly kind: 'run-for'; readonly seconds: number }
  /** Runs the lab on past the key server's next rekey (read from `show crypto gdoi` on `ks`). */
  | { readonly kind: 'next-rekey'; readonly ks: string }
  /** Console lines on a device (configuration lines go inside `configure terminal` … `end` themselves). */
  | { readonly kind: 'cli'; readonly device: string; readonly lines: readonly string[] }
  /** Applies (or, when already applied, undoes) a spoke's `ip mroute` fault. */
  | { readonly kind: 'mroute-fault'; readonly device: string; readonly on: boolean }
  /** Applies or undoes the hub's nbma-mode fault. */
  | { readonly kind: 'nbma-fault'; readonly device: string; readonly on: boolean }
  /** Starts the clock in realtime mode at a speed. */
  | { readonly kind: 'play'; readonly speed: number }
  /** Several of the above, in order. */
  | { readonly kind: 'all'; readonly actions: readonly LessonAction[] };

/** A live check: a `show` command's output on a device, or what the timeline has seen. */
export type LessonCheck =
  | {
      readonly label: string;
      readonly kind: 'show';
      readonly device: string;
      readonly command: string;
      readonly test: (output: string) => boolean;
    }
  | {
      readonly label: string;
      readonly kind: 'marker';
      readonly test: (markers: readonly Marker[]) => boolean;
    };

export interface LessonButton {
  readonly label: string;
  readonly action: LessonAction;
}

export interface LessonStep {
  readonly title: string;
  /** Paragraphs; the article's words where it says it best. */
  readonly text: readonly string[];
  readonly actions: readonly LessonButton[];
  readonly checks: readonly LessonCheck[];
}

const SECOND = 1_000_000;

const rpfViaTunnel = (out: string): boolean => /RPF interface:\s*Tunnel10/.test(out);
const knowsRp = (out: string): boolean => /RP 1\.1\.1\.1\b/.test(out);

/** Rekeys a member has received, from `show crypto gdoi`'s cumulative counter. */
export function rekeysReceived(out: string): number {
  const m = /Cumulative\s*:\s*(\d+)/.exec(out);
  return m ? Number(m[1]) : 0;
}

/** Seconds to the key server's next rekey, from its `show crypto gdoi` (Group Rekey's remaining lifetime). */
export function secondsToRekey(out: string): number | undefined {
  const m = /Group Rekey\s*\n\s*Remaining Lifetime\s*:\s*(\d+)/.exec(out);
  return m ? Number(m[1]) : undefined;
}

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
        kind: 'show',
        device: 'GM-2',
        command: 'show ip pim neighbor',
        test: (o) => /192\.168\.100\.1\s+Tunnel10/.test(o),
      },
      {
        label: 'GM-2 has joined 239.10.10.1',
        kind: 'show',
        device: 'GM-2',
        command: 'show ip mroute',
        test: (o) => o.includes('(*, 239.10.10.1)'),
      },
      {
        label: 'GM-2 reaches the KS through Tunnel10 for RPF',
        kind: 'show',
        device: 'GM-2',
        command: 'show ip rpf 1.1.1.1',
        test: rpfViaTunnel,
      },
    ],
  },
  {
    title: 'The RPF failure',
    text: [
      'Without ip mroute 1.1.1.1 255.255.255.255 192.168.100.1, GM-2 reaches 1.1.1.1 through its physical interface, so every PIM packet from the KS arriving on Tunnel10 fails the RPF check and is dropped.',
      'Remove the line on GM-2 (debug ip pim is switched on too) and play: GM-2 prints "Received RP-Reachable on Tunnel10 from 1.1.1.1" then "RP not known, or mismatch", and red RPF-drop markers appear on the timeline.',
      'Put the line back and the next rekey reaches GM-2 again.',
    ],
    actions: [
      {
        label: 'Remove ip mroute on GM-2',
        action: {
          kind: 'all',
          actions: [
            { kind: 'cli', device: 'GM-2', lines: ['debug ip pim'] },
            { kind: 'mroute-fault', device: 'GM-2', on: true },
            { kind: 'play', speed: 100 },
          ],
        },
      },
      { label: 'Put it back', action: { kind: 'mroute-fault', device: 'GM-2', on: false } },
    ],
    checks: [
      {
        label: "GM-2's RPF interface towards 1.1.1.1 is no longer Tunnel10",
        kind: 'show',
        device: 'GM-2',
        command: 'show ip rpf 1.1.1.1',
        test: (o) => !rpfViaTunnel(o),
      },
      {
        label: 'GM-2 drops packets on RPF (timeline)',
        kind: 'marker',
        test: (ms) => ms.some((m) => m.kind === 'rpf-drop' && m.device === 'GM-2'),
      },
    ],
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
      { label: 'Remove nbma-mode on Central', action: { kind: 'nbma-fault', device: 'Central', on: true } },
    ],
    checks: [
      {
        label: 'Central is the DR on Tunnel10 (priority 100)',
        kind: 'show',
        device: 'GM-2',
        command: 'show ip pim neighbor',
        test: (o) => /192\.168\.100\.1\s+Tunnel10.*\b100\/\s*DR/.test(o),
      },
      {
        label: 'Central runs Tunnel10 in nbma-mode',
        kind: 'show',
        device: 'Central',
        command: 'show running-config',
        test: (o) => /^ ip pim nbma-mode$/m.test(o),
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
        kind: 'show',
        device: 'KS',
        command: 'show ip pim rp mapping',
        test: (o) => o.includes('RP-mapping agent'),
      },
      {
        label: 'GM-1 learnt RP 1.1.1.1',
        kind: 'show',
        device: 'GM-1',
        command: 'show ip pim rp mapping',
        test: knowsRp,
      },
      {
        label: 'GM-2 learnt RP 1.1.1.1',
        kind: 'show',
        device: 'GM-2',
        command: 'show ip pim rp mapping',
        test: knowsRp,
      },
    ],
  },
  {
    title: 'Multicast versus unicast rekey',
    text: [
      'With unicast rekeys the KS sends one copy per group member (and waits for each acknowledgement); with multicast it sends one packet to 239.10.10.1 and the hub replicates it on the tunnel to each spoke that joined.',
      'Run to the next rekey: one ESP ⊃ GRE ⊃ GDOI packet leaves the KS, and copies fan out at Central.',
    ],
    actions: [{ label: 'Run to the next rekey', action: { kind: 'next-rekey', ks: 'KS' } }],
    checks: [
      {
        label: "GM-2's KEK says multicast rekey",
        kind: 'show',
        device: 'GM-2',
        command: 'show crypto gdoi',
        test: (o) => /Rekey Transport Type\s*:\s*Multicast/.test(o),
      },
      {
        label: 'GM-1 received a rekey',
        kind: 'show',
        device: 'GM-1',
        command: 'show crypto gdoi',
        test: (o) => rekeysReceived(o) > 0,
      },
      {
        label: 'GM-2 received a rekey',
        kind: 'show',
        device: 'GM-2',
        command: 'show crypto gdoi',
        test: (o) => rekeysReceived(o) > 0,
      },
    ],
  },
];
