/**
 * Adds a router of a role from the palette, its config filled from the role template (../templates.ts) with what
 * the lab's parsed configs say (lab-facts.ts): a new spoke joins the hub's DMVPN cloud, its EIGRP process, PIM
 * and the GDOI group, like the article's GM-1.
 */
import { type Ipv4, formatIpv4, maskFromLength } from '../../net/ipv4-address';
import type { Scenario, ScenarioDevice } from '../schema';
import {
  hubTemplate,
  keyServerTemplate,
  type MemberCryptoParams,
  plainRouterTemplate,
  providerTemplate,
  spokeTemplate,
} from '../templates';
import {
  freeRepeatedLoopback,
  nextSpokeLan,
  nextSpokeLoopback,
  nextTunnelAddress,
  wildcardOf,
} from './addressing';
import { addGlobalLines, addGlobalLinesAfter } from './config-text';
import { defaultName, nameProblem } from './device-names';
import type { EditRole } from './edit-ops';
import { classfulWildcard, type LabFacts, labFacts } from './lab-facts';

/** The rekey group, identity and key a lab without a GDOI group starts from: the article's. */
const ARTICLE_REKEY_GROUP = '239.10.10.1';
const ARTICLE_IDENTITY = 123;
const ARTICLE_PSK = 'cisco';
const ARTICLE_EIGRP_AS = 10;
/** The interfaces a new device's template names: the article's spokes' WAN, its hub's WAN and KS-side LAN. */
const SPOKE_WAN = 'Serial1/0';
const HUB_WAN = 'Serial2/0';
const HUB_KS_LINK = 'FastEthernet0/0';

export type AddRouterResult = { scenario: Scenario; device: string } | { error: string };

/** Adds a device of `role` at (x, y), named `name` or the role's first free default name. */
export function addRouter(
  scenario: Scenario,
  role: EditRole,
  x: number,
  y: number,
  name?: string,
): AddRouterResult {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return { error: 'A position must be two finite numbers.' };
  const facts = labFacts(scenario);
  const device = name ?? defaultName(scenario, role, facts.spokes);
  const problem = nameProblem(scenario, device);
  if (problem) return { error: problem };
  const made = configFor(role, device, facts);
  if ('error' in made) return made;
  const added: ScenarioDevice = {
    name: device,
    role: role === 'provider' ? 'provider' : 'router',
    x,
    y,
    config: made.config,
  };
  const devices = [...scenario.devices, added];
  const withKey = made.loopback === undefined ? devices : keyServerAccepts(devices, facts, made.loopback);
  return { scenario: { ...scenario, devices: withKey }, device };
}

interface MadeConfig {
  readonly config: string;
  /** A group member's Loopback0 (its ISAKMP and GDOI source), which the key server must accept. */
  readonly loopback?: Ipv4;
}

function configFor(role: EditRole, name: string, facts: LabFacts): MadeConfig | { error: string } {
  switch (role) {
    case 'spoke':
      return spokeConfig(name, facts);
    case 'hub':
      return hubConfig(name, facts);
    case 'key-server':
      return keyServerConfig(name, facts);
    case 'provider':
      return { config: providerTemplate({ hostname: name, interfaces: [], routes: [] }) };
    case 'router': {
      const loopback = freeRepeatedLoopback(facts, 1);
      if (loopback === undefined) return { error: 'No free loopback address is left in the lab.' };
      return { config: plainRouterTemplate({ hostname: name, loopback: formatIpv4(loopback) }) };
    }
  }
}

function memberOf(facts: LabFacts): MemberCryptoParams {
  const g = facts.group;
  return g
    ? { ksAddress: formatIpv4(g.ksAddress), identity: g.identity, preSharedKey: g.preSharedKey }
    : { ksAddress: '1.1.1.1', identity: ARTICLE_IDENTITY, preSharedKey: ARTICLE_PSK };
}

const rekeyGroupOf = (facts: LabFacts): string =>
  facts.rekeyGroup !== undefined ? formatIpv4(facts.rekeyGroup) : ARTICLE_REKEY_GROUP;

/** An EIGRP `network` for a LAN, written as the hub writes its own (with a wildcard, or classful). */
function lanNetwork(network: Ipv4, mask: Ipv4, facts: LabFacts): string {
  const withWildcard = facts.hub?.eigrpTunnelNetwork?.includes(' ') ?? false;
  if (withWildcard || classfulWildcard(network) !== ~mask >>> 0)
    return `${formatIpv4(network)} ${wildcardOf(mask)}`;
  return formatIpv4(network);
}

/** A spoke of the lab's hub (the article's GM-1 with the next free addresses). */
function spokeConfig(name: string, facts: LabFacts): MadeConfig | { error: string } {
  const hub = facts.hub;
  if (!hub)
    return {
      error: 'The lab has no DMVPN hub (a tunnel with "ip nhrp map multicast dynamic") for a spoke to join.',
    };
  if (hub.nbma === undefined)
    return { error: `The hub ${hub.device}'s tunnel source has no address: a spoke could not reach it.` };
  const loopback = nextSpokeLoopback(facts);
  const lan = nextSpokeLan(facts);
  const tunnel = nextTunnelAddress(facts);
  if (loopback === undefined || !lan) return { error: 'No free address is left for a new spoke.' };
  if (tunnel === undefined)
    return { error: `The hub ${hub.device}'s tunnel subnet has no free address left.` };
  const tunnelNetwork = (hub.tunnelAddress & hub.tunnelMask) >>> 0;
  const config = spokeTemplate({
    hostname: name,
    loopback: formatIpv4(loopback),
    lan: { address: formatIpv4(lan.network + 1), mask: formatIpv4(lan.mask) },
    wan: { interface: SPOKE_WAN },
    tunnel: {
      number: hub.tunnelNumber,
      address: { address: formatIpv4(tunnel), mask: formatIpv4(hub.tunnelMask) },
      ...(hub.key !== undefined ? { key: hub.key } : {}),
      networkId: hub.networkId ?? 1,
    },
    hub: { tunnel: formatIpv4(hub.tunnelAddress), nbma: formatIpv4(hub.nbma) },
    // A lab whose hub runs no multicast and has no GDOI group (the DMVPN phase 2 lab) gets a DMVPN spoke only.
    ...(facts.rekeyGroup !== undefined || hub.multicast ? { rekeyGroup: rekeyGroupOf(facts) } : {}),
    ...(facts.group ? { member: memberOf(facts) } : {}),
    eigrpAs: facts.eigrpAs ?? ARTICLE_EIGRP_AS,
    eigrpNetworks: [
      lanNetwork(lan.network, lan.mask, facts),
      hub.eigrpTunnelNetwork ?? `${formatIpv4(tunnelNetwork)} ${wildcardOf(hub.tunnelMask)}`,
    ],
  });
  return facts.group ? { config, loopback } : { config };
}

/**
 * A hub of a new DMVPN cloud: its own tunnel subnet, the lab's tunnel number, key and group. Its WAN and KS-side
 * interfaces get addresses when links are added.
 */
function hubConfig(name: string, facts: LabFacts): MadeConfig | { error: string } {
  const loopback = freeRepeatedLoopback(facts, 2);
  const lan = nextSpokeLan(facts);
  const cloud = freeCloud(facts);
  if (loopback === undefined || !lan || !cloud) return { error: 'No free address is left for a new hub.' };
  const config = hubTemplate({
    hostname: name,
    loopback: formatIpv4(loopback),
    lan: { address: formatIpv4(lan.network + 1), mask: formatIpv4(lan.mask) },
    ksLink: { interface: HUB_KS_LINK },
    wan: { interface: HUB_WAN },
    tunnel: {
      number: facts.hub?.tunnelNumber ?? 10,
      address: { address: formatIpv4(cloud.network + 1), mask: formatIpv4(cloud.mask) },
      key: facts.hub?.key ?? ARTICLE_IDENTITY,
      networkId: facts.hub?.networkId ?? ARTICLE_IDENTITY,
    },
    rekeyGroup: rekeyGroupOf(facts),
    member: memberOf(facts),
    eigrpAs: facts.eigrpAs ?? ARTICLE_EIGRP_AS,
    eigrpNetworks: [
      lanNetwork(lan.network, lan.mask, facts),
      `${formatIpv4(cloud.network)} ${wildcardOf(cloud.mask)}`,
    ],
    routes: [],
  });
  return { config, loopback };
}

/** A free /24 for a new cloud's tunnels, from 192.168.100.0 (the article's) on. */
function freeCloud(facts: LabFacts): { network: Ipv4; mask: Ipv4 } | undefined {
  const mask = maskFromLength(24);
  for (let third = 100; third <= 255; third++) {
    const network = ((192 << 24) | (168 << 16) | (third << 8)) >>> 0;
    if (!facts.usedSubnets.some((s) => (s.network & s.mask & mask) >>> 0 === (network & s.mask & mask) >>> 0))
      return { network, mask };
  }
  return undefined;
}

/**
 * A key server of the lab's group (same identity and rekey group) on the next free `n.n.n.n` loopback. GETLab
 * runs no COOP between key servers: a second KS serves the members that register to its address.
 */
function keyServerConfig(name: string, facts: LabFacts): MadeConfig | { error: string } {
  const loopback = freeRepeatedLoopback(facts, 1);
  if (loopback === undefined) return { error: 'No free loopback address is left for a key server.' };
  return {
    config: keyServerTemplate({
      hostname: name,
      loopback: formatIpv4(loopback),
      links: [],
      identity: facts.group?.identity ?? ARTICLE_IDENTITY,
      rekeyGroup: rekeyGroupOf(facts),
      routes: [],
      autoRp: !facts.hasRp,
    }),
  };
}

/**
 * The key server accepts the new member: the article's KS has one `crypto isakmp key` per member address (its
 * GMs' loopbacks), so a new member's loopback gets its own line unless a key already covers it (the generated
 * labs' `address 0.0.0.0 0.0.0.0`). Without it the KS has no pre-shared key for the member's IKE phase 1.
 */
function keyServerAccepts(devices: ScenarioDevice[], facts: LabFacts, loopback: Ipv4): ScenarioDevice[] {
  const ks = facts.group?.keyServer;
  const model = ks === undefined ? undefined : facts.models.get(ks);
  if (!model || !facts.group) return devices;
  const covered = model.crypto.isakmpKeys.some((k) => {
    const mask = k.mask ?? 0xffffffff;
    return (k.address & mask) >>> 0 === (loopback & mask) >>> 0;
  });
  if (covered) return devices;
  const line = `crypto isakmp key ${facts.group.preSharedKey} address ${formatIpv4(loopback)}`;
  return devices.map((d) =>
    d.name === ks
      ? {
          ...d,
          config: addKeyLine(d.config, line),
        }
      : d,
  );
}

function addKeyLine(config: string, line: string): string {
  const isKey = (l: string): boolean => /^crypto\s+isakmp\s+key\s/i.test(l.trim());
  return config.split(/\r?\n/).some(isKey)
    ? addGlobalLinesAfter(config, isKey, [line])
    : addGlobalLines(config, [line]);
}
