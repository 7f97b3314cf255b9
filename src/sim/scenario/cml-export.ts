/**
 * A bridge to real routers (issue 17): a scenario as a Cisco Modeling Labs 2.x topology file, and as one
 * running-config text per device.
 *
 * The CML topology format: CML's own topology models (VIRL 2 `topologies.py`, `links.py`, `nodes.py`, © Cisco,
 * published with xorrkaz/cml-mcp, src/cml_mcp/schemas): a `Topology` is `lab` (`version` required, one of
 * 0.0.1..0.3.0; `title`, `description`, `notes`), `nodes` and `links`, no other keys; a link is `id`, `n1`, `i1`,
 * `n2`, `i2`, optional `label` and `conditioning` (`latency` in ms 0..10000, `loss` in percent). And CML exports:
 * - CiscoDevNet/virl2-client, tests/test_data/mixed-*.yaml: `nodes` with `id` (n0..), `label`,
 *   `node_definition` (`iosv`), `x`/`y` canvas pixels, `configuration` (the day-0 config text), `interfaces`
 *   (`id` i0.., `label` as the image names it, `slot` for physical ports, `type` `loopback` | `physical`; an
 *   IOSv node lists Loopback0 as i0, then GigabitEthernet0/<slot> as i<slot+1>);
 * - CML 2.5+ exports (schema 0.2.x) carry the lab's own fields under `lab`.
 *
 * Honest about what changes: IOSv (CML's `iosv` node definition) has only GigabitEthernet0/<n> ports, no
 * Serial or FastEthernet. Each physical interface of a device becomes GigabitEthernet0/<slot>, slots given in
 * IOS running-config order, and every mention of it in the exported config (the `interface` line, `tunnel
 * source`, …) is rewritten the same way; virtual interfaces (Loopback, Tunnel) keep their names. What follows
 * from the change is not the lab's any more: a Gigabit port's default bandwidth and delay give EIGRP other
 * metrics than a serial line (the paths of the reference lab are the same: one link per router to the core).
 * A link's delay and loss become CML link conditioning (`latency`, `loss` in percent). The per-device export
 * (`deviceConfigFiles`) keeps the configs exactly as the scenario holds them.
 */
import { stringify } from 'yaml';
import { canonicalInterfaceName, interfaceTypeOf, sortInterfaceNames } from '../config/interface-names';
import type { Scenario, ScenarioDevice, ScenarioLink } from './schema';

/** The CML topology schema version written (CML 2.5 exports `0.2.x`; 2.10 `0.3.x` reads it). */
export const CML_SCHEMA_VERSION = '0.2.2';
/** CML's node definition for IOSv. */
export const CML_IOSV = 'iosv';
/**
 * Physical ports an IOSv node offers (GigabitEthernet0/0..0/15). No Cisco document with this number was found;
 * the virl2-client test labs show IOSv nodes with up to 10. A device with more cannot be exported.
 */
export const IOSV_MAX_PORTS = 16;

export interface CmlInterface {
  readonly id: string;
  readonly label: string;
  readonly slot?: number;
  readonly type: 'loopback' | 'physical';
}

export interface CmlNode {
  readonly id: string;
  readonly label: string;
  readonly node_definition: string;
  readonly x: number;
  readonly y: number;
  readonly configuration: string;
  readonly tags: readonly string[];
  readonly interfaces: readonly CmlInterface[];
}

export interface CmlLink {
  readonly id: string;
  readonly n1: string;
  readonly i1: string;
  readonly n2: string;
  readonly i2: string;
  readonly label: string;
  readonly conditioning?: { readonly enabled: true; readonly latency?: number; readonly loss?: number };
}

/** CML's largest link latency (ms), from its `LinkCondition` model. */
export const CML_MAX_LATENCY_MS = 10_000;

/** A scenario link's delay and loss as CML link conditioning; none for a plain link. */
function conditioning(l: ScenarioLink): CmlLink['conditioning'] | { error: string } {
  if (l.delayMs === undefined && l.loss === undefined) return undefined;
  if (l.delayMs !== undefined && l.delayMs > CML_MAX_LATENCY_MS)
    return { error: `its delay ${l.delayMs} ms is more than CML's ${CML_MAX_LATENCY_MS} ms.` };
  return {
    enabled: true,
    // CML takes whole milliseconds.
    ...(l.delayMs !== undefined ? { latency: Math.round(l.delayMs) } : {}),
    ...(l.loss !== undefined ? { loss: l.loss * 100 } : {}),
  };
}

export interface CmlTopology {
  readonly lab: {
    readonly title: string;
    readonly description: string;
    readonly notes: string;
    readonly version: string;
  };
  readonly nodes: readonly CmlNode[];
  readonly links: readonly CmlLink[];
}

/** One device's ports on IOSv: GETLab name (`Serial1/0`) -> IOSv name and slot. */
interface PortMap {
  readonly node: string;
  readonly bySource: Map<string, { readonly label: string; readonly slot: number }>;
}

const INTERFACE_LINE = /^\s*interface\s+(.+?)\s*$/i;

/** The canonical names of the interfaces a config declares, in IOS running-config order. */
export function configInterfaces(config: string): string[] {
  const names = new Set<string>();
  for (const line of config.split(/\r?\n/)) {
    const m = INTERFACE_LINE.exec(line);
    const name = m ? canonicalInterfaceName(m[1] ?? '') : undefined;
    if (name !== undefined) names.add(name);
  }
  return sortInterfaceNames([...names]);
}

const isPhysical = (name: string): boolean => interfaceTypeOf(name)?.virtual === false;

function portMap(device: ScenarioDevice, node: string): PortMap | { error: string } {
  const physical = configInterfaces(device.config).filter(isPhysical);
  if (physical.length > IOSV_MAX_PORTS)
    return {
      error: `${device.name} has ${physical.length} physical interfaces; an IOSv node has ${IOSV_MAX_PORTS}.`,
    };
  const bySource = new Map<string, { label: string; slot: number }>();
  physical.forEach((name, slot) => bySource.set(name, { label: `GigabitEthernet0/${slot}`, slot }));
  return { node, bySource };
}

/**
 * An interface mention: a type word (any IOS abbreviation), an optional space, a slot/port path and an optional
 * sub-interface. Only mentions that name one of the device's mapped ports are rewritten.
 */
const MENTION = /\b([A-Za-z][A-Za-z-]*)(\s?)(\d+(?:\/\d+){0,2})(\.\d+)?\b/g;

/** The device's config with each physical interface renamed to its IOSv port, everywhere it is named. */
export function rewriteInterfaces(config: string, ports: PortMap['bySource']): string {
  return config.replace(MENTION, (whole, word: string, _space: string, path: string, sub?: string) => {
    const name = canonicalInterfaceName(`${word}${path}`);
    const port = name !== undefined ? ports.get(name) : undefined;
    return port ? `${port.label}${sub ?? ''}` : whole;
  });
}

/**
 * IOS router interfaces start administratively down ("by default interfaces are initially down, both
 * 'administratively' and in terms of the protocol": The Open University, OpenLearn "Interfaces, up and down";
 * CML's own example labs write `no shutdown` under each GigabitEthernet). GETLab links need no such line, so the
 * export adds `no shutdown` to each IOSv port whose block says nothing about shutdown.
 */
export function enablePorts(config: string, labels: ReadonlySet<string>): string {
  const lines = config.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const m = INTERFACE_LINE.exec(line);
    if (!m || !labels.has(m[1] ?? '')) continue;
    let end = i + 1;
    while (end < lines.length && /^\s/.test(lines[end]!)) end++;
    if (!lines.slice(i + 1, end).some((l) => /^\s*(no\s+)?shutdown\s*$/i.test(l))) out.push(' no shutdown');
  }
  return out.join('\n');
}

function cmlInterfaces(ports: PortMap): CmlInterface[] {
  const loopback: CmlInterface = { id: 'i0', label: 'Loopback0', type: 'loopback' };
  const physical = [...ports.bySource.values()].map((p): CmlInterface => ({
    id: `i${p.slot + 1}`,
    label: p.label,
    slot: p.slot,
    type: 'physical',
  }));
  return [loopback, ...physical];
}

const portLabels = (ports: PortMap): Set<string> => new Set([...ports.bySource.values()].map((p) => p.label));

function cmlNode(device: ScenarioDevice, ports: PortMap): CmlNode {
  return {
    id: ports.node,
    label: device.name,
    node_definition: CML_IOSV,
    // Scenario positions are canvas pixels around 0, as CML's are: kept as they are, rounded.
    x: Math.round(device.x ?? 0),
    y: Math.round(device.y ?? 0),
    configuration: enablePorts(rewriteInterfaces(device.config, ports.bySource), portLabels(ports)).replace(
      /\s+$/,
      '',
    ),
    tags: device.role === 'provider' ? ['provider'] : [],
    interfaces: cmlInterfaces(ports),
  };
}

/** `"<device> <interface>"` -> its CML node and interface id, or why not. */
function linkEnd(
  end: string,
  ports: ReadonlyMap<string, PortMap>,
): { node: string; iface: string; label: string } | { error: string } {
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(end);
  const map = m ? ports.get(m[1] ?? '') : undefined;
  const name = m ? canonicalInterfaceName(m[2] ?? '') : undefined;
  const port = map && name !== undefined ? map.bySource.get(name) : undefined;
  if (!m || !map || !port) return { error: `Link end "${end}" names no physical interface of a device.` };
  return { node: map.node, iface: `i${port.slot + 1}`, label: `${m[1]}-${port.label}` };
}

/** The scenario as a CML 2.x topology object, or the reasons it cannot be one. */
export function cmlTopology(scenario: Scenario): { topology?: CmlTopology; problems: string[] } {
  const problems: string[] = [];
  const ports = new Map<string, PortMap>();
  scenario.devices.forEach((d, i) => {
    const map = portMap(d, `n${i}`);
    if ('error' in map) problems.push(map.error);
    else ports.set(d.name, map);
  });
  // A device that cannot be a node makes every link to it a follow-on error: name only the device.
  if (problems.length > 0) return { problems };
  const links: CmlLink[] = [];
  scenario.links.forEach((l, i) => {
    const a = linkEnd(l.a, ports);
    const b = linkEnd(l.b, ports);
    const c = conditioning(l);
    if ('error' in a || 'error' in b || (c && 'error' in c)) {
      for (const e of [a, b, c]) if (e && 'error' in e) problems.push(`Link #${i}: ${e.error}`);
      return;
    }
    links.push({
      id: `l${i}`,
      n1: a.node,
      i1: a.iface,
      n2: b.node,
      i2: b.iface,
      label: `${a.label}<->${b.label}`,
      ...(c ? { conditioning: c } : {}),
    });
  });
  if (problems.length > 0) return { problems };
  const nodes = scenario.devices.map((d) => cmlNode(d, ports.get(d.name)!));
  const notes =
    'Exported by GETLab. Physical interfaces are renamed to IOSv GigabitEthernet0/<slot> in each configuration.';
  const lab = {
    title: scenario.title,
    description: scenario.description,
    notes,
    version: CML_SCHEMA_VERSION,
  };
  return { topology: { lab, nodes, links }, problems };
}

/** The scenario as CML 2.x topology YAML text, or the reasons it cannot be exported. */
export function exportCml(scenario: Scenario): { yaml?: string; problems: string[] } {
  const { topology, problems } = cmlTopology(scenario);
  if (!topology) return { problems };
  // lineWidth 0: configs stay one IOS line per YAML line (block scalars), as CML writes them.
  return { yaml: stringify(topology, { lineWidth: 0 }), problems };
}

/** A file name a device's config can be written to on any OS: no path separators, no dot-only names. */
const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** One `<hostname>.cfg` per device, the running config exactly as the scenario holds it. */
export function deviceConfigFiles(scenario: Scenario): { files: Map<string, string>; problems: string[] } {
  const files = new Map<string, string>();
  const problems: string[] = [];
  // Case-insensitive file systems (macOS, Windows) would merge `GM-1.cfg` and `gm-1.cfg`.
  const taken = new Set<string>();
  for (const d of scenario.devices) {
    const file = `${d.name}.cfg`;
    if (!SAFE_FILE.test(d.name)) problems.push(`Device "${d.name}": its name cannot be a file name.`);
    else if (taken.has(file.toLowerCase())) problems.push(`Device "${d.name}": another device has its name.`);
    else {
      taken.add(file.toLowerCase());
      files.set(file, d.config.endsWith('\n') ? d.config : `${d.config}\n`);
    }
  }
  return { files, problems };
}
