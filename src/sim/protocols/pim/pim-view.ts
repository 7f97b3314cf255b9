// The page's typed view of a router's PIM state (the lessons' checks and the router panel read it): what
// `show ip pim neighbor` and `show ip pim rp mapping` print, as plain data from the same state (pim-cli.ts).
import type { Router } from '../../device/router';
import { formatIpv4 } from '../../net/ipv4-address';
import { formatPrefix } from '../../net/prefix';
import { pimOf } from './pim-service';

/** A router's PIM state as `show ip pim neighbor` and `show ip pim rp mapping` show it, as plain data. */
export interface PimView {
  readonly device: string;
  readonly neighbors: readonly {
    readonly address: string;
    readonly iface: string;
    /** The priority the neighbour's hello carries (1 when it carries none, IOS's `N`). */
    readonly drPriority: number;
    /** The neighbour is the DR on that interface (RFC 7761 §4.3.2). */
    readonly dr: boolean;
  }[];
  /** `This system is an RP-mapping agent`: Auto-RP RP-Discovery is sent from here. */
  readonly mappingAgent: boolean;
  /** Group-to-RP mappings in use (on a mapping agent: the candidates it elected). */
  readonly rpMappings: readonly { readonly group: string; readonly rp: string; readonly origin: string }[];
  /** Interfaces configured with `ip pim nbma-mode`. */
  readonly nbmaMode: readonly string[];
}

export function pimView(router: Router): PimView {
  const p = pimOf(router);
  const neighbors = p.neighbors
    .all()
    .sort((a, b) => a.interface.localeCompare(b.interface) || a.address - b.address)
    .map((n) => ({
      address: formatIpv4(n.address),
      iface: n.interface,
      drPriority: n.drPriority ?? 1,
      dr: p.neighbors.dr(n.interface) === n.address,
    }));
  const mappings = p.autorp.isMappingAgent
    ? p.autorp
        .candidateMappings()
        .filter((m) => m.elected)
        .map((m) => m.mapping)
    : p.autorp.activeMappings();
  return {
    device: router.name,
    neighbors,
    mappingAgent: p.autorp.isMappingAgent && router.config.pim.sendRpDiscovery !== undefined,
    // Mappings from other sources (PIM BSR's RP-set) as `show ip pim rp mapping` lists them.
    rpMappings: [...mappings, ...p.rpMappingSources().flatMap((s) => s.rpMappingShow().mappings)]
      .concat(p.staticRps().map((s) => s.mapping))
      .filter((m) => !m.negative)
      .map((m) => ({ group: formatPrefix(m.prefix), rp: formatIpv4(m.rp), origin: m.origin })),
    nbmaMode: router.config.interfaces.filter((i) => i.pim.nbmaMode).map((i) => i.name),
  };
}
