/**
 * What a new device needs to know about the lab it joins, read from the devices' parsed configs (the sim's own
 * config parser, so `interface Serial 2/0`, `Tunnel 10` and `Loopback 0` read as IOS reads them): the DMVPN hub
 * and its cloud, the key server and the GDOI group its members use, the rekey group, the EIGRP process, the
 * provider, and every address and subnet already in use.
 */
import { canonicalInterfaceName } from '../../config/interface-names';
import type { InterfaceConfig, RouterConfig } from '../../config/model';
import { parseConfig } from '../../config/parse';
import { formatIpv4, type Ipv4, isMulticast } from '../../net/ipv4-address';
import type { Scenario, ScenarioDevice } from '../schema';

/** A subnet as an interface's address and mask give it. */
export interface Subnet {
  readonly network: Ipv4;
  readonly mask: Ipv4;
}

/** The DMVPN hub: the router whose mGRE tunnel maps multicast to every registered spoke (`dynamic`). */
export interface HubFacts {
  readonly device: string;
  readonly tunnelNumber: number;
  readonly tunnelAddress: Ipv4;
  readonly tunnelMask: Ipv4;
  readonly key?: number;
  readonly networkId?: number;
  /** The hub's NBMA address: the address of its tunnel source. */
  readonly nbma?: Ipv4;
  /** The hub's EIGRP `network` statement that covers the tunnel, as its arguments (`192.168.100.0`). */
  readonly eigrpTunnelNetwork?: string;
  /** The hub runs PIM on its tunnel (the article's lab; the DMVPN phase 2 lab does not). */
  readonly multicast: boolean;
}

/** What group members use to reach their key server (the `server address ipv4` and group identity). */
export interface GroupFacts {
  readonly ksAddress: Ipv4;
  readonly identity: number;
  /** The key server's device, where one in the lab owns `ksAddress`. */
  readonly keyServer?: string;
  /** The pre-shared key members use toward the KS. */
  readonly preSharedKey: string;
}

export interface LabFacts {
  /** Each device's parsed config, by name (a Map: device names are user text). */
  readonly models: ReadonlyMap<string, RouterConfig>;
  readonly roles: ReadonlyMap<string, ScenarioDevice['role']>;
  readonly hub?: HubFacts;
  readonly group?: GroupFacts;
  /** The rekey group members join on their tunnels (`ip igmp join-group`), else the KS's rekey ACL's. */
  readonly rekeyGroup?: Ipv4;
  readonly eigrpAs?: number;
  /** The first device with role `provider`. */
  readonly provider?: string;
  /** Every interface address in the lab. */
  readonly usedAddresses: ReadonlySet<Ipv4>;
  /** Every interface's subnet in the lab (host routes of loopbacks included). */
  readonly usedSubnets: readonly Subnet[];
  /** The DMVPN spokes: routers whose tunnel names an NHS. */
  readonly spokes: readonly string[];
  /** Some router already announces or names an RP (Auto-RP candidate, static RP or BSR candidate). */
  readonly hasRp: boolean;
}

/** Each device's config parsed as the lab would load it. */
export function parseModels(scenario: Scenario): Map<string, RouterConfig> {
  const models = new Map<string, RouterConfig>();
  for (const d of scenario.devices) models.set(d.name, parseConfig(d.config, d.name).model);
  return models;
}

/** Reads the lab's facts from its devices' parsed configs. */
export function labFacts(scenario: Scenario): LabFacts {
  const models = parseModels(scenario);
  const roles = new Map(scenario.devices.map((d) => [d.name, d.role] as const));
  const hub = findHub(models);
  const group = findGroup(models);
  const usedAddresses = new Set<Ipv4>();
  const usedSubnets: Subnet[] = [];
  for (const model of models.values()) {
    for (const i of model.interfaces) {
      if (!i.address) continue;
      usedAddresses.add(i.address.address);
      usedSubnets.push({ network: (i.address.address & i.address.mask) >>> 0, mask: i.address.mask });
    }
  }
  const hubModel = hub ? models.get(hub.device) : undefined;
  return {
    models,
    roles,
    ...(hub ? { hub } : {}),
    ...(group ? { group } : {}),
    ...optional('rekeyGroup', findRekeyGroup(models)),
    ...optional('eigrpAs', hubModel?.eigrp[0]?.asNumber ?? firstEigrpAs(models)),
    ...optional('provider', scenario.devices.find((d) => d.role === 'provider')?.name),
    usedAddresses,
    usedSubnets,
    spokes: [...models].filter(([, m]) => m.interfaces.some((i) => i.nhrp.nhs.length > 0)).map(([n]) => n),
    hasRp: [...models.values()].some(
      (m) =>
        m.pim.sendRpAnnounce !== undefined ||
        m.pim.rpAddresses.length > 0 ||
        m.protocols.bsr?.candidateRp !== undefined,
    ),
  };
}

/** `{ [key]: value }` when the value is defined, else nothing (exactOptionalPropertyTypes-friendly spreads). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** The hub: a tunnel with `ip nhrp map multicast dynamic` (Cisco DMVPN configuration guide, hub config). */
function findHub(models: ReadonlyMap<string, RouterConfig>): HubFacts | undefined {
  for (const [device, model] of models) {
    const tunnel = model.interfaces.find(
      (i) => i.tunnel.mode === 'gre-multipoint' && i.nhrp.multicastMaps.includes('dynamic') && i.address,
    );
    if (!tunnel?.address) continue;
    const number = Number(/\d+$/.exec(tunnel.name)?.[0] ?? 0);
    const nbma = sourceAddress(model, tunnel);
    const eigrpNetwork = eigrpNetworkCovering(model, tunnel.address.address);
    return {
      device,
      tunnelNumber: number,
      tunnelAddress: tunnel.address.address,
      tunnelMask: tunnel.address.mask,
      multicast: tunnel.pim.mode !== undefined,
      ...optional('key', tunnel.tunnel.key),
      ...optional('networkId', tunnel.nhrp.networkId),
      ...optional('nbma', nbma),
      ...optional('eigrpTunnelNetwork', eigrpNetwork),
    };
  }
  return undefined;
}

/** The address a tunnel's source names: the interface's address, or the address given. */
function sourceAddress(model: RouterConfig, tunnel: InterfaceConfig): Ipv4 | undefined {
  const source = tunnel.tunnel.source;
  if (!source) return undefined;
  if (source.kind === 'address') return source.address;
  return interfaceNamed(model, source.name)?.address?.address;
}

/** The interface named `name` (any IOS spelling) in the model. */
export function interfaceNamed(model: RouterConfig, name: string): InterfaceConfig | undefined {
  const canonical = canonicalInterfaceName(name) ?? name;
  return model.interfaces.find((i) => i.name === canonical);
}

/**
 * The EIGRP `network` statement covering an address, as written (`192.168.100.0` or `10.255.0.0 0.0.255.255`).
 * Without a wildcard the statement names its classful network (Cisco EIGRP command reference, `network`).
 */
function eigrpNetworkCovering(model: RouterConfig, address: Ipv4): string | undefined {
  for (const process of model.eigrp) {
    for (const n of process.networks) {
      const wildcard = n.wildcard ?? classfulWildcard(n.address);
      if ((address & ~wildcard) >>> 0 === (n.address & ~wildcard) >>> 0)
        return n.wildcard === undefined
          ? formatIpv4(n.address)
          : `${formatIpv4(n.address)} ${formatIpv4(n.wildcard)}`;
    }
  }
  return undefined;
}

/** The wildcard of an address's classful network (class A /8, B /16, C /24). */
export function classfulWildcard(address: Ipv4): Ipv4 {
  const first = address >>> 24;
  if (first < 128) return 0x00ffffff;
  if (first < 192) return 0x0000ffff;
  return 0x000000ff;
}

function firstEigrpAs(models: ReadonlyMap<string, RouterConfig>): number | undefined {
  for (const m of models.values()) if (m.eigrp[0]) return m.eigrp[0].asNumber;
  return undefined;
}

/**
 * The group members use: a member's `server address ipv4` and `identity number` (RFC 6407 §1: members register
 * to the key server), else the key server's own `address ipv4`. The pre-shared key is the member's ISAKMP key
 * toward that address.
 */
function findGroup(models: ReadonlyMap<string, RouterConfig>): GroupFacts | undefined {
  const keyServerOwning = (address: Ipv4): string | undefined => {
    for (const [name, m] of models) {
      if (m.interfaces.some((i) => i.address?.address === address)) return name;
    }
    return undefined;
  };
  for (const m of models.values()) {
    for (const g of m.crypto.gdoiGroups) {
      const ksAddress = g.serverAddresses[0];
      if (ksAddress === undefined || g.identity === undefined || g.server) continue;
      const key = m.crypto.isakmpKeys.find((k) => k.address === ksAddress)?.key ?? 'cisco';
      return {
        ksAddress,
        identity: g.identity,
        preSharedKey: key,
        ...optional('keyServer', keyServerOwning(ksAddress)),
      };
    }
  }
  for (const [name, m] of models) {
    for (const g of m.crypto.gdoiGroups) {
      const address = g.server?.address ?? loopback0(m);
      if (!g.server || address === undefined || g.identity === undefined) continue;
      const key = m.crypto.isakmpKeys[0]?.key ?? 'cisco';
      return { ksAddress: address, identity: g.identity, preSharedKey: key, keyServer: name };
    }
  }
  return undefined;
}

/** True for a GET VPN key server: a GDOI group with `server local`. */
export function isKeyServer(model: RouterConfig): boolean {
  return model.crypto.gdoiGroups.some((g) => g.server !== undefined);
}

/** Loopback0's address, where the router has one. */
export function loopback0(model: RouterConfig): Ipv4 | undefined {
  return model.interfaces.find((i) => i.name === 'Loopback0')?.address?.address;
}

/**
 * The rekey group: the multicast group members join on their tunnels (the article's `ip igmp join-group
 * 239.10.10.1`), else the destination of the key server's `rekey address ipv4` ACL.
 */
function findRekeyGroup(models: ReadonlyMap<string, RouterConfig>): Ipv4 | undefined {
  for (const m of models.values()) {
    for (const i of m.interfaces) {
      const g = i.tunnel.mode === 'gre-multipoint' ? i.igmp.joinGroups[0] : undefined;
      if (g !== undefined) return g;
    }
  }
  for (const m of models.values()) {
    for (const g of m.crypto.gdoiGroups) {
      const acl = g.server?.rekeyAddress === undefined ? undefined : m.accessLists.get(g.server.rekeyAddress);
      for (const e of acl?.entries ?? []) {
        if (e.kind === 'extended' && e.action === 'permit' && isMulticast(e.destination.address))
          return e.destination.address;
      }
    }
  }
  return undefined;
}

/** True when `[network, mask]` overlaps a used subnet or holds a used address. */
export function subnetInUse(facts: LabFacts, network: Ipv4, mask: Ipv4): boolean {
  return facts.usedSubnets.some((s) => {
    const common = (s.mask & mask) >>> 0;
    return (s.network & common) >>> 0 === (network & common) >>> 0;
  });
}
