/**
 * Adds a link between two free interfaces of the platform. With automatic addressing both ends get an address
 * in a free subnet, and the link gets what the article's configs have for its kind, so the lab works:
 * - a site and the provider: the site's default route points at the provider, the provider routes the site's
 *   Loopback0 (the address its IKE and GDOI use, `crypto map DMVPN local-address Loopback0`) to the site, and
 *   its interface's description names the site (the article's SP);
 * - a key server and the router in front of it: PIM on both ends, the KS's default route, and the routes to
 *   the KS's loopback (the article's KS–Central LAN).
 */
import { canonicalInterfaceName, shortInterfaceName } from '../../config/interface-names';
import type { RouterConfig } from '../../config/model';
import { formatIpv4, type Ipv4, parseIpv4 } from '../../net/ipv4-address';
import type { Scenario, ScenarioDevice, ScenarioLink } from '../schema';
import { freeLinkSubnet } from './addressing';
import {
  addInterfaceBlock,
  addInterfaceLine,
  addRouteLines,
  hasInterfaceBlock,
  lineInterfaces,
  setInterfaceAddress,
  setInterfaceDescription,
  splitLines,
} from './config-text';
import type { InterfaceRef } from './edit-ops';
import { usedInterfaces } from './free-interfaces';
import { isKeyServer, type LabFacts, labFacts, loopback0, type Subnet } from './lab-facts';
import { linkEnd, linkHasEnd, linkedInterfaces } from './link-ends';
import { platformInterface } from './platform';

/** The article's link delays: 1 ms on a LAN, 5 ms across the provider. */
const LAN_DELAY_MS = 1;
const WAN_DELAY_MS = 5;

/** Adds the link a–b; with `autoAddress`, addresses both ends and adds the follow-ups of its kind. */
export function addLink(
  scenario: Scenario,
  a: InterfaceRef,
  b: InterfaceRef,
  autoAddress: boolean,
): { scenario: Scenario } | { error: string } {
  const ends = [checkedEnd(scenario, a), checkedEnd(scenario, b)] as const;
  if ('error' in ends[0]) return ends[0];
  if ('error' in ends[1]) return ends[1];
  const [ea, eb] = [ends[0], ends[1]];
  if (ea.device === eb.device) return { error: 'A link joins two different devices.' };
  const providerA = roleOf(scenario, ea.device) === 'provider';
  const providerB = roleOf(scenario, eb.device) === 'provider';
  const link: ScenarioLink = {
    a: `${ea.device} ${shortInterfaceName(ea.interface)}`,
    b: `${eb.device} ${shortInterfaceName(eb.interface)}`,
    delayMs: providerA || providerB ? WAN_DELAY_MS : LAN_DELAY_MS,
  };
  let devices = scenario.devices.map((d) =>
    withInterface(d, d.name === ea.device ? ea : d.name === eb.device ? eb : undefined),
  );
  if (autoAddress) {
    const addressed = addressLink({ ...scenario, devices }, ea, eb, providerA, providerB);
    if ('error' in addressed) return addressed;
    devices = addressed.devices;
  }
  return { scenario: { ...scenario, devices, links: [...scenario.links, link] } };
}

const roleOf = (scenario: Scenario, device: string): ScenarioDevice['role'] | undefined =>
  scenario.devices.find((d) => d.name === device)?.role;

/** The end with its canonical interface name, or why it cannot take a link. */
function checkedEnd(scenario: Scenario, end: InterfaceRef): InterfaceRef | { error: string } {
  if (!scenario.devices.some((d) => d.name === end.device))
    return { error: `There is no device named "${end.device}".` };
  const checked = platformInterface(end.interface, usedInterfaces(scenario, end.device));
  if ('error' in checked) return { error: `${end.device}: ${checked.error}` };
  const canonical = { device: end.device, interface: checked.name };
  const taken = scenario.links.find((l) => linkHasEnd(l, canonical));
  if (taken) return { error: `${end.device} ${checked.name} is already linked (${taken.a} – ${taken.b}).` };
  return canonical;
}

/** The device with an `interface` block for the end (a link needs the interface in the config). */
function withInterface(d: ScenarioDevice, end: InterfaceRef | undefined): ScenarioDevice {
  if (!end || hasInterfaceBlock(d.config, end.interface)) return d;
  return { ...d, config: addInterfaceBlock(d.config, end.interface, []) };
}

/**
 * Addresses both ends in a free subnet, with the follow-ups of the article's two kinds of link: a site and the
 * provider (the site .1, the provider .2: GM-1 172.27.1.1, SP 172.27.1.2) and a key server and the router in
 * front of it (that router .1, the KS .2: Central 10.1.1.1, KS 10.1.1.2).
 */
function addressLink(
  scenario: Scenario,
  a: InterfaceRef,
  b: InterfaceRef,
  providerA: boolean,
  providerB: boolean,
): { devices: ScenarioDevice[] } | { error: string } {
  const facts = labFacts(scenario);
  const providerLink = providerA !== providerB;
  const ksA = !providerLink && isKs(facts, a.device);
  const ksB = !providerLink && isKs(facts, b.device);
  const swap = providerLink ? providerA : ksA && !ksB;
  const [first, second] = swap ? [b, a] : [a, b];
  const subnet = freeLinkSubnet(facts, providerLink);
  if (!subnet) return { error: 'No free subnet is left for the link.' };
  const mask = formatIpv4(subnet.mask);
  const firstAddress = subnet.network + 1;
  const secondAddress = subnet.network + 2;
  let devices = scenario.devices.map((d) => {
    if (d.name === first.device)
      return { ...d, config: setInterfaceAddress(d.config, first.interface, formatIpv4(firstAddress), mask) };
    if (d.name === second.device)
      return {
        ...d,
        config: setInterfaceAddress(d.config, second.interface, formatIpv4(secondAddress), mask),
      };
    return d;
  });
  if (providerLink) {
    const site = facts.models.get(first.device);
    const linked = linkedInterfaces(scenario, first.device);
    const tunnelWan = site ? retargetedWan(site, first.interface, linked) : undefined;
    devices = devices.map((d) => {
      if (d.name === first.device) return siteFollowUps(d, site, first.interface, tunnelWan, secondAddress);
      if (d.name === second.device)
        return providerFollowUps(
          d,
          facts.models.get(d.name),
          second.interface,
          first.device,
          site,
          firstAddress,
        );
      return d;
    });
  } else if (ksA !== ksB) {
    devices = keyServerFollowUps(scenario, devices, facts, {
      front: first,
      ks: second,
      frontAddress: firstAddress,
      ksAddress: secondAddress,
      subnet,
    });
  }
  return { devices };
}

const isKs = (facts: LabFacts, device: string): boolean => {
  const model = facts.models.get(device);
  return model !== undefined && isKeyServer(model);
};

interface KeyServerLink {
  /** The router in front of the key server (the article's Central). */
  readonly front: InterfaceRef;
  readonly ks: InterfaceRef;
  readonly frontAddress: Ipv4;
  readonly ksAddress: Ipv4;
  readonly subnet: Subnet;
}

/**
 * What the article's KS–Central LAN has: PIM sparse mode on both ends (the rekeys leave the KS as multicast),
 * the KS's default route via Central ("ip route 0.0.0.0 0.0.0.0 10.1.1.1"), Central's host route to the KS's
 * loopback ("ip route 1.1.1.1 255.255.255.255 10.1.1.2"), and, where Central is linked to the provider, the
 * provider's routes to the loopback and the LAN through Central ("ip route 1.1.1.1 255.255.255.255 172.17.1.1",
 * "ip route 10.1.1.0 255.255.255.0 172.17.1.1").
 */
function keyServerFollowUps(
  scenario: Scenario,
  devices: ScenarioDevice[],
  facts: LabFacts,
  l: KeyServerLink,
): ScenarioDevice[] {
  const ksModel = facts.models.get(l.ks.device);
  const frontModel = facts.models.get(l.front.device);
  const loopback = ksModel ? loopback0(ksModel) : undefined;
  const viaFront = frontWanAddress(scenario, facts, l.front.device);
  return devices.map((d) => {
    let config = d.config;
    if (d.name === l.ks.device) {
      if (needsPim(ksModel, l.ks.interface))
        config = addInterfaceLine(config, l.ks.interface, ' ip pim sparse-mode');
      if (!hasRoute(ksModel, 0, 0)) config = addRouteLines(config, [routeText(0, 0, l.frontAddress)]);
    } else if (d.name === l.front.device) {
      if (needsPim(frontModel, l.front.interface))
        config = addInterfaceLine(config, l.front.interface, ' ip pim sparse-mode');
      if (loopback !== undefined && !hasRoute(frontModel, loopback, HOST))
        config = addRouteLines(config, [routeText(loopback, HOST, l.ksAddress)]);
    } else if (viaFront !== undefined && d.name === viaFront.provider) {
      const provider = facts.models.get(d.name);
      const routes = [
        ...(loopback !== undefined && !hasRoute(provider, loopback, HOST)
          ? [routeText(loopback, HOST, viaFront.address)]
          : []),
        ...(!hasRoute(provider, l.subnet.network, l.subnet.mask)
          ? [routeText(l.subnet.network, l.subnet.mask, viaFront.address)]
          : []),
      ];
      if (routes.length > 0) config = addRouteLines(config, routes);
    }
    return config === d.config ? d : { ...d, config };
  });
}

const HOST: Ipv4 = 0xffffffff;

/** A multicast router's interface without PIM yet. */
const needsPim = (model: RouterConfig | undefined, iface: string): boolean =>
  model?.multicastRouting === true && model.interfaces.find((i) => i.name === iface)?.pim.mode === undefined;

const routeText = (prefix: Ipv4, mask: Ipv4, nextHop: Ipv4): string =>
  `ip route ${formatIpv4(prefix)} ${formatIpv4(mask)} ${formatIpv4(nextHop)}`;

const hasRoute = (model: RouterConfig | undefined, prefix: Ipv4, mask: Ipv4): boolean =>
  model?.staticRoutes.some((r) => r.prefix === prefix && r.mask === mask) ?? false;

/** The provider `device` is linked to, and the device's address on that link (the provider's next hop to it). */
function frontWanAddress(
  scenario: Scenario,
  facts: LabFacts,
  device: string,
): { provider: string; address: Ipv4 } | undefined {
  for (const link of scenario.links) {
    const ends = [linkEnd(link.a), linkEnd(link.b)];
    const mine = ends.find((e) => e?.device === device);
    const other = ends.find((e) => e !== mine);
    if (!mine || !other || scenario.devices.find((d) => d.name === other.device)?.role !== 'provider')
      continue;
    const address = facts.models.get(device)?.interfaces.find((i) => i.name === mine.interface)
      ?.address?.address;
    if (address !== undefined) return { provider: other.device, address };
  }
  return undefined;
}

/**
 * The site's DMVPN tunnel source, when the link uses another interface and the tunnel's source has no link (a
 * new spoke's template WAN, or a site re-linked after its link was deleted): the tunnel and its crypto map move
 * to the linked interface, as the tunnel can only run over a linked one.
 */
function retargetedWan(site: RouterConfig, linked: string, links: ReadonlySet<string>): string | undefined {
  const tunnel = site.interfaces.find(
    (i) => i.tunnel.mode === 'gre-multipoint' && i.tunnel.source?.kind === 'interface',
  );
  const source = tunnel?.tunnel.source?.kind === 'interface' ? tunnel.tunnel.source.name : undefined;
  return source === undefined || source === linked || links.has(source) ? undefined : source;
}

function siteFollowUps(
  d: ScenarioDevice,
  site: RouterConfig | undefined,
  iface: string,
  oldWan: string | undefined,
  providerAddress: Ipv4,
): ScenarioDevice {
  const config = oldWan === undefined ? d.config : moveWan(d.config, oldWan, iface);
  // The article's spokes: "ip route 0.0.0.0 0.0.0.0 172.27.1.2", the provider's address on their WAN link. A
  // default route of an earlier link (deleted, or the site re-linked) is replaced: it would point nowhere.
  return { ...d, config: setRoute(config, site, 0, 0, providerAddress) };
}

function providerFollowUps(
  d: ScenarioDevice,
  provider: RouterConfig | undefined,
  iface: string,
  siteName: string,
  site: RouterConfig | undefined,
  siteAddress: Ipv4,
): ScenarioDevice {
  const config = setInterfaceDescription(d.config, iface, siteName);
  const loopback = site ? loopback0(site) : undefined;
  // The article's SP: "ip route 11.11.11.11 255.255.255.255 172.27.1.1", the site's loopback via its WAN address.
  if (loopback === undefined) return { ...d, config };
  return { ...d, config: setRoute(config, provider, loopback, HOST, siteAddress) };
}

/** The static route to prefix/mask goes via `nextHop` only: other routes to it are removed, an equal one kept. */
function setRoute(
  config: string,
  model: RouterConfig | undefined,
  prefix: Ipv4,
  mask: Ipv4,
  nextHop: Ipv4,
): string {
  const routes = model?.staticRoutes.filter((r) => r.prefix === prefix && r.mask === mask) ?? [];
  if (routes.length === 1 && routes[0]?.nextHop === nextHop) return config;
  const others = splitLines(config).filter((l) => !isRouteTo(l, prefix, mask));
  return addRouteLines(others.join('\n'), [routeText(prefix, mask, nextHop)]);
}

/** True for a global `ip route <prefix> <mask> ...` line to this prefix and mask. */
function isRouteTo(line: string, prefix: Ipv4, mask: Ipv4): boolean {
  const m = /^ip\s+route\s+(\S+)\s+(\S+)\s/i.exec(line);
  return m !== null && parseIpv4(m[1] ?? '') === prefix && parseIpv4(m[2] ?? '') === mask;
}

/**
 * Moves the WAN role from `from` (no address, no link) to `to`: the `interface` line of `from`'s block is
 * renamed when `to` has no block of its own, and the tunnel's `tunnel source` follows.
 */
function moveWan(config: string, from: string, to: string): string {
  const lines = splitLines(config);
  const modes = lineInterfaces(lines);
  const toHasBlock = modes.includes(to);
  const out = lines.map((line) => (tunnelSourceOf(line) === from ? ` tunnel source ${to}` : line));
  if (toHasBlock) {
    // Both blocks exist: the crypto map goes with the tunnel source onto the linked interface.
    const withoutMap = out.filter((l, i) => !(modes[i] === from && /^\s*crypto\s+map\s/i.test(l)));
    const mapLine = out.find((l, i) => modes[i] === from && /^\s*crypto\s+map\s/i.test(l));
    const joined = withoutMap.join('\n');
    return mapLine === undefined ? joined : appendToBlock(joined, to, mapLine);
  }
  const header = modes.findIndex((m) => m === from);
  if (header >= 0) out[header] = `interface ${to}`;
  return out.join('\n');
}

/** The interface a `tunnel source` line names (canonical), if it is one. */
function tunnelSourceOf(line: string): string | undefined {
  const m = /^\s*tunnel\s+source\s+(.+?)\s*$/i.exec(line);
  return m ? canonicalInterfaceName((m[1] ?? '').replace(/\s+/g, '')) : undefined;
}

function appendToBlock(config: string, iface: string, line: string): string {
  const lines = splitLines(config);
  const modes = lineInterfaces(lines);
  const header = modes.findIndex((m) => m === iface);
  if (header < 0) return config;
  return [...lines.slice(0, header + 1), line, ...lines.slice(header + 1)].join('\n');
}
