/**
 * `show running-config` body, from the first `!` to `end`, in IOS 12.4 order and layout. Values at their
 * IOS default are not printed (the model stores them as unset). The `Building configuration...` and
 * `Current configuration : N bytes` header lines are the caller's.
 */
import { formatIpv4 } from '../net/ipv4-address';
import { sortInterfaceNames } from './interface-names';
import type {
  AccessList,
  AclAddress,
  CryptoConfig,
  ExtendedAce,
  GdoiGroup,
  InterfaceConfig,
  PortMatch,
  RouterConfig,
  RsaKeyRequest,
  StandardAce,
} from './model';

const ip = formatIpv4;
const ALL_ONES = 0xffffffff;

export function renderRunningConfig(model: RouterConfig): string {
  return renderConfig(model, false);
}

/**
 * The config text a scenario file needs to boot this router as it is now. IOS keeps generated RSA keys in NVRAM
 * (the private config), not in the running-config, so they survive a reload while `show running-config` never
 * lists them ("crypto key generate rsa" is an EXEC-style action: Cisco IOS Security Command Reference). A scenario
 * has no NVRAM: its config carries the key generation, as the shipped labs do, or a saved lab's key server would
 * boot without its rekey keys (`%GDOI-1-KS_NO_RSA_KEYS`).
 */
export function renderScenarioConfig(model: RouterConfig): string {
  return renderConfig(model, true);
}

function renderKeyGeneration(k: RsaKeyRequest): string {
  return `crypto key generate rsa general-keys label ${k.label} modulus ${k.modulus}${k.exportable ? ' exportable' : ''}`;
}

function renderConfig(model: RouterConfig, withKeys: boolean): string {
  const sections: string[][] = [
    [`hostname ${model.hostname}`],
    model.multicastRouting ? ['ip multicast-routing'] : [],
    withKeys ? model.crypto.rsaKeys.map(renderKeyGeneration) : [],
    ...renderCrypto(model.crypto),
    ...renderInterfaces(model.interfaces),
    ...model.eigrp.map(renderEigrp),
    model.staticRoutes.map(renderRoute),
    model.mroutes.map(renderMroute),
    renderPimGlobals(model),
    renderNamedAcls(model.accessLists),
    renderNumberedAcls(model.accessLists),
  ];
  const out: string[] = ['!'];
  for (const s of sections) if (s.length > 0) out.push(...s, '!');
  out.push('end');
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------- crypto

function renderCrypto(c: CryptoConfig): string[][] {
  const isakmp = [
    ...c.isakmpPolicies.flatMap((p) => [
      `crypto isakmp policy ${p.priority}`,
      ...(p.encryption ? [` encr ${p.encryption}`] : []),
      ...(p.hash ? [` hash ${p.hash}`] : []),
      ...(p.authentication ? [` authentication ${p.authentication}`] : []),
      ...(p.group !== undefined ? [` group ${p.group}`] : []),
      ...(p.lifetime !== undefined ? [` lifetime ${p.lifetime}`] : []),
    ]),
    ...c.isakmpKeys.map(
      (k) =>
        `crypto isakmp key ${k.encryptionType === 0 ? '' : `${k.encryptionType} `}${k.key} address ${ip(k.address)}` +
        (k.mask !== undefined ? ` ${ip(k.mask)}` : ''),
    ),
  ];
  const transformSets = c.transformSets.flatMap((t) => [
    `crypto ipsec transform-set ${t.name} ${t.transforms.join(' ')}`,
    ...(t.mode ? [` mode ${t.mode}`] : []),
  ]);
  const profiles = c.ipsecProfiles.map((p) => [
    `crypto ipsec profile ${p.name}`,
    ...(p.lifetimeSeconds !== undefined
      ? [` set security-association lifetime seconds ${p.lifetimeSeconds}`]
      : []),
    ...(p.transformSet ? [` set transform-set ${p.transformSet}`] : []),
  ]);
  const maps = c.cryptoMaps.flatMap((m) => [
    ...(m.localAddress ? [`crypto map ${m.name} local-address ${m.localAddress}`] : []),
    ...m.entries.flatMap((e) => [
      `crypto map ${m.name} ${e.sequence} ${e.kind}`,
      ...(e.peer !== undefined ? [` set peer ${ip(e.peer)}`] : []),
      ...(e.transformSet ? [` set transform-set ${e.transformSet}`] : []),
      ...(e.group ? [` set group ${e.group}`] : []),
      ...(e.matchAddress ? [` match address ${e.matchAddress}`] : []),
    ]),
  ]);
  return [isakmp, transformSets, ...profiles, ...c.gdoiGroups.map(renderGdoiGroup), maps];
}

function renderGdoiGroup(g: GdoiGroup): string[] {
  const out = [`crypto gdoi group ${g.name}`];
  if (g.identity !== undefined) out.push(` identity number ${g.identity}`);
  const s = g.server;
  if (s) {
    out.push(' server local');
    if (s.rekeyAlgorithm) out.push(`  rekey algorithm ${s.rekeyAlgorithm}`);
    if (s.rekeyAddress) out.push(`  rekey address ipv4 ${s.rekeyAddress}`);
    if (s.rekeyLifetime !== undefined) out.push(`  rekey lifetime seconds ${s.rekeyLifetime}`);
    if (s.rekeyRetransmit)
      out.push(`  rekey retransmit ${s.rekeyRetransmit.interval} number ${s.rekeyRetransmit.count}`);
    if (s.rekeyAuthentication)
      out.push(`  rekey authentication mypubkey rsa ${s.rekeyAuthentication.keyLabel}`);
    for (const sa of s.sas) {
      out.push(`  sa ipsec ${sa.number}`);
      if (sa.profile) out.push(`   profile ${sa.profile}`);
      if (sa.matchAddress) out.push(`   match address ipv4 ${sa.matchAddress}`);
      if (sa.replay) out.push(`   replay ${sa.replay.kind} window-size ${sa.replay.windowSize}`);
    }
    if (s.address !== undefined) out.push(`  address ipv4 ${ip(s.address)}`);
  }
  for (const a of g.serverAddresses) out.push(` server address ipv4 ${ip(a)}`);
  return out;
}

// ------------------------------------------------------------------------------------------- interfaces

function renderInterfaces(list: readonly InterfaceConfig[]): string[][] {
  const byName = new Map(list.map((i) => [i.name, i]));
  return sortInterfaceNames([...byName.keys()]).map((n) => renderInterface(byName.get(n) as InterfaceConfig));
}

function renderInterface(i: InterfaceConfig): string[] {
  const out = [`interface ${i.name}`];
  const add = (cond: unknown, line: string): void =>
    void (cond !== undefined && cond !== false && out.push(` ${line}`));
  add(i.description, `description ${i.description}`);
  add(i.bandwidth, `bandwidth ${i.bandwidth}`);
  out.push(i.address ? ` ip address ${ip(i.address.address)} ${ip(i.address.mask)}` : ' no ip address');
  add(i.ipMtu, `ip mtu ${i.ipMtu}`);
  add(i.pim.drPriority, `ip pim dr-priority ${i.pim.drPriority}`);
  add(i.pim.nbmaMode, 'ip pim nbma-mode');
  add(i.pim.queryInterval, `ip pim query-interval ${i.pim.queryInterval}`);
  add(i.pim.mode, `ip pim ${i.pim.mode}-mode`);
  add(i.nhrp.authentication, `ip nhrp authentication ${i.nhrp.authentication}`);
  for (const m of i.nhrp.maps) out.push(` ip nhrp map ${ip(m.protocol)} ${ip(m.nbma)}`);
  for (const m of i.nhrp.multicastMaps) out.push(` ip nhrp map multicast ${m === 'dynamic' ? m : ip(m)}`);
  add(i.nhrp.networkId, `ip nhrp network-id ${i.nhrp.networkId}`);
  add(i.nhrp.holdtime, `ip nhrp holdtime ${i.nhrp.holdtime}`);
  for (const a of i.nhrp.nhs) out.push(` ip nhrp nhs ${ip(a)}`);
  add(i.nhrp.registrationTimeout, `ip nhrp registration timeout ${i.nhrp.registrationTimeout}`);
  for (const g of i.igmp.joinGroups) out.push(` ip igmp join-group ${ip(g)}`);
  for (const g of i.igmp.staticGroups) out.push(` ip igmp static-group ${ip(g)}`);
  add(i.igmp.version, `ip igmp version ${i.igmp.version}`);
  for (const as of i.eigrp.splitHorizonDisabled) out.push(` no ip split-horizon eigrp ${as}`);
  for (const as of i.eigrp.nextHopSelfDisabled) out.push(` no ip next-hop-self eigrp ${as}`);
  for (const [as, s] of Object.entries(i.eigrp.helloInterval))
    out.push(` ip hello-interval eigrp ${as} ${s}`);
  for (const [as, s] of Object.entries(i.eigrp.holdTime)) out.push(` ip hold-time eigrp ${as} ${s}`);
  add(i.delay, `delay ${i.delay}`);
  add(i.shutdown, 'shutdown');
  const src = i.tunnel.source;
  if (src) out.push(` tunnel source ${src.kind === 'interface' ? src.name : ip(src.address)}`);
  add(i.tunnel.destination, `tunnel destination ${ip(i.tunnel.destination ?? 0)}`);
  add(i.tunnel.mode === 'gre-multipoint' || undefined, 'tunnel mode gre multipoint');
  add(i.tunnel.key, `tunnel key ${i.tunnel.key}`);
  add(i.cryptoMap, `crypto map ${i.cryptoMap}`);
  return out;
}

// ------------------------------------------------------------------------------------------- routing

function renderEigrp(p: RouterConfig['eigrp'][number]): string[] {
  return [
    `router eigrp ${p.asNumber}`,
    ...p.passiveInterfaces.map((n) => ` passive-interface ${n}`),
    ...p.networks.map(
      (n) => ` network ${ip(n.address)}${n.wildcard !== undefined ? ` ${ip(n.wildcard)}` : ''}`,
    ),
    ...(p.autoSummary ? [] : [' no auto-summary']),
    ...(p.routerId !== undefined ? [` eigrp router-id ${ip(p.routerId)}`] : []),
  ];
}

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

function renderPimGlobals(model: RouterConfig): string[] {
  const p = model.pim;
  const out: string[] = [];
  if (p.autorpListener) out.push('ip pim autorp listener');
  if (!p.dmFallback) out.push('no ip pim dm-fallback');
  for (const r of p.rpAddresses) {
    out.push(
      `ip pim rp-address ${ip(r.address)}${r.groupList ? ` ${r.groupList}` : ''}${r.override ? ' override' : ''}`,
    );
  }
  if (p.sendRpAnnounce) {
    const a = p.sendRpAnnounce;
    out.push(
      `ip pim send-rp-announce ${a.interface} scope ${a.scope}` +
        (a.groupList ? ` group-list ${a.groupList}` : '') +
        (a.interval !== undefined ? ` interval ${a.interval}` : ''),
    );
  }
  if (p.sendRpDiscovery) {
    const d = p.sendRpDiscovery;
    out.push(
      `ip pim send-rp-discovery ${d.interface} scope ${d.scope}${d.interval !== undefined ? ` interval ${d.interval}` : ''}`,
    );
  }
  if (p.sptThresholdInfinity) out.push('ip pim spt-threshold infinity');
  return out;
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
