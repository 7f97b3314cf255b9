// Teaching faults, one click each: what each one types at a router's console (or sets on a link) and what
// puts it back. Pure: the roles come from the routers' running-configs, nothing is hard-wired to the article.
import { type FaultLines, globalLineFault, tunnelLineFault } from '../worker/page-helpers';
import { type ConfigNode, parseConfigTree } from './config-diff';

/** Lines typed at one device's console, from `configure terminal` to `end`. */
export interface CliChange {
  readonly device: string;
  readonly lines: readonly string[];
}

/** What applying or undoing a fault does: console lines, and a link's loss for the loss fault. */
export interface FaultAction {
  readonly cli: readonly CliChange[];
  readonly loss?: { readonly linkId: string; readonly fraction: number };
}

export type FaultKind = 'mroute' | 'igmp-join' | 'nbma-mode' | 'dr-priority' | 'shut' | 'ks-stop' | 'loss';

export interface Fault {
  /** Stable per target (`mroute:<device>`): applying a fault with the id of an applied one toggles it off. */
  readonly id: string;
  readonly kind: FaultKind;
  /** What the list shows, e.g. `<device>: no ip mroute <source> 255.255.255.255 <next hop>`. */
  readonly label: string;
  readonly apply: FaultAction;
  readonly undo: FaultAction;
}

/** The roles the faults panel offers faults for, read from the configs. */
export interface LabRoles {
  /** Devices with `ip nhrp nhs` on a tunnel (DMVPN spokes), in lab order. */
  readonly spokes: readonly string[];
  /** Devices with `ip nhrp map multicast dynamic` on a tunnel (DMVPN hubs). */
  readonly hubs: readonly string[];
  /** Devices with a `server local` GDOI group (key servers). */
  readonly keyServers: readonly string[];
}

const configure = (device: string, body: readonly string[]): CliChange => ({
  device,
  lines: ['configure terminal', ...body, 'end'],
});

function sections(config: string, prefix: string): ConfigNode[] {
  return parseConfigTree(config).filter((n) => n.text.startsWith(prefix));
}

function hasChild(node: ConfigNode, test: (text: string) => boolean): boolean {
  return node.children.some((c) => test(c.text) || hasChild(c, test));
}

export function rolesOf(configs: Readonly<Record<string, string>>, order: readonly string[]): LabRoles {
  const spokes: string[] = [];
  const hubs: string[] = [];
  const keyServers: string[] = [];
  for (const device of order) {
    const config = configs[device] ?? '';
    const tunnels = sections(config, 'interface Tunnel');
    if (tunnels.some((t) => hasChild(t, (x) => x.startsWith('ip nhrp nhs ')))) spokes.push(device);
    if (tunnels.some((t) => hasChild(t, (x) => x === 'ip nhrp map multicast dynamic'))) hubs.push(device);
    if (sections(config, 'crypto gdoi group').some((g) => hasChild(g, (x) => x === 'server local')))
      keyServers.push(device);
  }
  return { spokes, hubs, keyServers };
}

/** A fault of console lines at one device, from the simulator's reading of its running-config. */
function linesFault(
  kind: FaultKind,
  device: string,
  lines: FaultLines | undefined,
  label: string,
): Fault | undefined {
  if (!lines) return undefined;
  return {
    id: `${kind}:${device}`,
    kind,
    label: `${device}: ${label}`,
    apply: { cli: [{ device, lines: lines.apply }] },
    undo: { cli: [{ device, lines: lines.undo }] },
  };
}

/** Removes a spoke's static mroutes (the article's RPF failure); undo enters them again. */
export function mrouteFault(device: string, config: string): Fault | undefined {
  const lines = globalLineFault(config, (l) => l.startsWith('ip mroute '));
  return linesFault('mroute', device, lines, lines?.found.map((f) => `no ${f.line}`).join('; ') ?? '');
}

function tunnelFault(
  kind: FaultKind,
  device: string,
  config: string,
  test: (text: string) => boolean,
): Fault | undefined {
  const lines = tunnelLineFault(config, test);
  const label = lines?.found
    .map((f) => `${(f.iface ?? '').replace('interface ', '')} no ${f.line}`)
    .join('; ');
  return linesFault(kind, device, lines, label ?? '');
}

/** Removes `ip igmp join-group` from a spoke's tunnel: it no longer asks for the rekey group. */
export function joinGroupFault(device: string, config: string): Fault | undefined {
  return tunnelFault('igmp-join', device, config, (x) => x.startsWith('ip igmp join-group '));
}

/** Removes `ip pim nbma-mode` from the hub's tunnel: one spoke's prune then cuts the others off. */
export function nbmaModeFault(device: string, config: string): Fault | undefined {
  return tunnelFault('nbma-mode', device, config, (x) => x === 'ip pim nbma-mode');
}

/**
 * Removes `ip pim dr-priority` from the hub's tunnel: with every router at the default priority the highest
 * address wins the DR election (RFC 7761 §4.3.2), a spoke on the hub's side, so the hub no longer takes the
 * spokes' group membership on the tunnel into its outgoing list.
 */
export function drPriorityFault(device: string, config: string): Fault | undefined {
  return tunnelFault('dr-priority', device, config, (x) => x.startsWith('ip pim dr-priority '));
}

/** Shuts one interface (a link goes down at that end). */
export function shutFault(device: string, iface: string): Fault {
  return {
    id: `shut:${device}:${iface}`,
    kind: 'shut',
    label: `${device}: interface ${iface} shutdown`,
    apply: { cli: [configure(device, [`interface ${iface}`, 'shutdown'])] },
    undo: { cli: [configure(device, [`interface ${iface}`, 'no shutdown'])] },
  };
}

/** Stops a key server: every interface it has that is not already shut goes down. */
export function ksStopFault(device: string, config: string): Fault | undefined {
  const ifaces = sections(config, 'interface ')
    .filter((i) => !i.children.some((c) => c.text === 'shutdown'))
    .map((i) => i.text.replace('interface ', ''));
  if (ifaces.length === 0) return undefined;
  const body = (shut: boolean): string[] =>
    ifaces.flatMap((i) => [`interface ${i}`, shut ? 'shutdown' : 'no shutdown', 'exit']);
  return {
    id: `ks-stop:${device}`,
    kind: 'ks-stop',
    label: `${device} stopped: ${ifaces.join(', ')} shutdown`,
    apply: { cli: [configure(device, body(true))] },
    undo: { cli: [configure(device, body(false))] },
  };
}

/** Loses a fraction of the frames on a link, in both directions; undo restores the loss it had. */
export function lossFault(linkId: string, fraction: number, previous: number): Fault {
  return {
    id: `loss:${linkId}`,
    kind: 'loss',
    label: `${linkId}: ${Math.round(fraction * 100)}% packet loss`,
    apply: { cli: [], loss: { linkId, fraction } },
    undo: { cli: [], loss: { linkId, fraction: previous } },
  };
}
