/**
 * `show running-config` body, from the first `!` to `end`, in IOS 12.4 order and layout. Values at their
 * IOS default are not printed (the model stores them as unset). The `Building configuration...` and
 * `Current configuration : N bytes` header lines are the caller's.
 */
import { formatIpv4 } from '../net/ipv4-address';
import type {
  GlobalRunningConfig,
  InterfaceRunningConfig,
  InterfaceRunningConfigAnchor,
  RunningConfigAnchor,
} from '../protocols/descriptor';
import { PROTOCOLS } from '../protocols/registry';
import { sortInterfaceNames } from './interface-names';
import type {
  AccessList,
  AclAddress,
  ExtendedAce,
  InterfaceConfig,
  PortMatch,
  RouterConfig,
  StandardAce,
} from './model';

const ip = formatIpv4;
const ALL_ONES = 0xffffffff;

export function renderRunningConfig(model: RouterConfig): string {
  return renderConfig(model, false);
}

/**
 * The config text a scenario file needs to boot this router as it is now: the running-config plus what IOS keeps
 * outside it, in NVRAM, which a scenario has no other way to recreate (each protocol's `runningConfig.scenario`:
 * the key server's RSA key generation, without which a saved lab's key server would boot without its rekey keys,
 * `%GDOI-1-KS_NO_RSA_KEYS`).
 */
export function renderScenarioConfig(model: RouterConfig): string {
  return renderConfig(model, true);
}

/** Every protocol's global running-config parts at one anchor, in registry order (built once). */
function globalParts(anchor: RunningConfigAnchor): readonly GlobalRunningConfig[] {
  return PROTOCOLS.flatMap((p) => p.config?.runningConfig?.global ?? []).filter((g) => g.anchor === anchor);
}

function interfaceParts(anchor: InterfaceRunningConfigAnchor): readonly InterfaceRunningConfig[] {
  return PROTOCOLS.flatMap((p) => p.config?.runningConfig?.interface ?? []).filter(
    (g) => g.anchor === anchor,
  );
}

const GLOBAL_PARTS: Readonly<Record<RunningConfigAnchor, readonly GlobalRunningConfig[]>> = {
  'crypto-isakmp': globalParts('crypto-isakmp'),
  'crypto-ipsec': globalParts('crypto-ipsec'),
  'crypto-gdoi': globalParts('crypto-gdoi'),
  'crypto-map': globalParts('crypto-map'),
  router: globalParts('router'),
  'ip-pim': globalParts('ip-pim'),
};

const INTERFACE_PARTS: Readonly<Record<InterfaceRunningConfigAnchor, readonly InterfaceRunningConfig[]>> = {
  'ip-pim': interfaceParts('ip-pim'),
  'ip-nhrp': interfaceParts('ip-nhrp'),
  'ip-igmp': interfaceParts('ip-igmp'),
  'ip-routing': interfaceParts('ip-routing'),
  tunnel: interfaceParts('tunnel'),
  crypto: interfaceParts('crypto'),
};

/** The blocks protocols print at `anchor`; a `join` part continues the block before it. */
function renderAnchor(model: RouterConfig, anchor: RunningConfigAnchor): string[][] {
  const blocks: string[][] = [];
  for (const part of GLOBAL_PARTS[anchor]) {
    const own = part.render(model);
    const [first, ...rest] = own;
    const previous = blocks[blocks.length - 1];
    if (part.join && first && previous) {
      previous.push(...first);
      blocks.push(...rest);
    } else blocks.push(...own);
  }
  return blocks;
}

function renderScenarioLines(model: RouterConfig): string[] {
  return PROTOCOLS.flatMap((p) => p.config?.runningConfig?.scenario?.(model) ?? []);
}

/** IOS 12.4's order of the global sections; protocols' blocks sit at their anchors. */
function renderConfig(model: RouterConfig, withKeys: boolean): string {
  const sections: string[][] = [
    [`hostname ${model.hostname}`],
    model.multicastRouting ? ['ip multicast-routing'] : [],
    withKeys ? renderScenarioLines(model) : [],
    ...renderAnchor(model, 'crypto-isakmp'),
    ...renderAnchor(model, 'crypto-ipsec'),
    ...renderAnchor(model, 'crypto-gdoi'),
    ...renderAnchor(model, 'crypto-map'),
    ...renderInterfaces(model),
    ...renderAnchor(model, 'router'),
    model.staticRoutes.map(renderRoute),
    model.mroutes.map(renderMroute),
    ...renderAnchor(model, 'ip-pim'),
    renderNamedAcls(model.accessLists),
    renderNumberedAcls(model.accessLists),
  ];
  const out: string[] = ['!'];
  for (const s of sections) if (s.length > 0) out.push(...s, '!');
  out.push('end');
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------- interfaces

function renderInterfaces(model: RouterConfig): string[][] {
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  return sortInterfaceNames([...byName.keys()]).map((n) =>
    renderInterface(byName.get(n) as InterfaceConfig, model),
  );
}

function interfaceLines(
  i: InterfaceConfig,
  model: RouterConfig,
  anchor: InterfaceRunningConfigAnchor,
): string[] {
  return INTERFACE_PARTS[anchor].flatMap((part) => part.render(i, model).map((line) => ` ${line}`));
}

/** Core lines, with each protocol's lines at its IOS place. */
function renderInterface(i: InterfaceConfig, model: RouterConfig): string[] {
  const out = [`interface ${i.name}`];
  if (i.description !== undefined) out.push(` description ${i.description}`);
  if (i.bandwidth !== undefined) out.push(` bandwidth ${i.bandwidth}`);
  out.push(i.address ? ` ip address ${ip(i.address.address)} ${ip(i.address.mask)}` : ' no ip address');
  if (i.ipMtu !== undefined) out.push(` ip mtu ${i.ipMtu}`);
  out.push(...interfaceLines(i, model, 'ip-pim'));
  out.push(...interfaceLines(i, model, 'ip-nhrp'));
  out.push(...interfaceLines(i, model, 'ip-igmp'));
  out.push(...interfaceLines(i, model, 'ip-routing'));
  if (i.delay !== undefined) out.push(` delay ${i.delay}`);
  if (i.shutdown) out.push(' shutdown');
  out.push(...interfaceLines(i, model, 'tunnel'));
  out.push(...interfaceLines(i, model, 'crypto'));
  return out;
}

// ------------------------------------------------------------------------------------------- routing

function renderRoute(r: RouterConfig['staticRoutes'][number]): string {
  const via = [r.interface, r.nextHop !== undefined ? ip(r.nextHop) : undefined].filter(
    (x) => x !== undefined,
  );
  return `ip route ${ip(r.prefix)} ${ip(r.mask)} ${via.join(' ')}${r.distance !== undefined ? ` ${r.distance}` : ''}`;
}

function renderMroute(r: RouterConfig['mroutes'][number]): string {
  const via = r.rpfNeighbor !== undefined ? ip(r.rpfNeighbor) : (r.interface ?? '');
  return `ip mroute ${ip(r.source)} ${ip(r.mask)} ${via}${r.distance !== undefined ? ` ${r.distance}` : ''}`;
}

// ------------------------------------------------------------------------------------------- ACLs

/** Standard lists print a host as a bare address; extended ones as `host A`. */
function address(a: AclAddress, standard: boolean): string {
  if (a.wildcard === ALL_ONES) return 'any';
  if (a.wildcard === 0) return standard ? ip(a.address) : `host ${ip(a.address)}`;
  return `${ip(a.address)} ${ip(a.wildcard)}`;
}

function port(p: PortMatch | undefined): string {
  return p ? ` ${p.op} ${p.ports.join(' ')}` : '';
}

function entry(e: StandardAce | ExtendedAce | { kind: 'remark'; text: string }): string {
  switch (e.kind) {
    case 'remark':
      return `remark ${e.text}`;
    case 'standard':
      return `${e.action} ${address(e.source, true)}`;
    case 'extended':
      return (
        `${e.action} ${e.protocol} ${address(e.source, false)}${port(e.sourcePort)} ` +
        `${address(e.destination, false)}${port(e.destinationPort)}`
      );
  }
}

function sortedLists(acls: ReadonlyMap<string, AccessList>, numbered: boolean): AccessList[] {
  const lists = [...acls.values()].filter((a) => a.numbered === numbered);
  return numbered
    ? lists.sort((a, b) => Number(a.name) - Number(b.name))
    : lists.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function renderNamedAcls(acls: ReadonlyMap<string, AccessList>): string[] {
  return sortedLists(acls, false).flatMap((a) => [
    `ip access-list ${a.type} ${a.name}`,
    ...a.entries.map((e) => ` ${entry(e)}`),
  ]);
}

function renderNumberedAcls(acls: ReadonlyMap<string, AccessList>): string[] {
  return sortedLists(acls, true).flatMap((a) => a.entries.map((e) => `access-list ${a.name} ${entry(e)}`));
}
