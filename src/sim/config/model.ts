import type { Ipv4 } from '../net/ipv4-address';
import type { EigrpInterfaceConfig, EigrpProcessConfig } from '../protocols/eigrp/config-model';
import { emptyEigrpInterfaceConfig } from '../protocols/eigrp/config-model';
import type { CryptoMap, IpsecProfile, TransformSet } from '../protocols/esp/config-model';
import type { GdoiGroup, RsaKeyRequest } from '../protocols/gdoi/config-model';
import type { IgmpInterfaceConfig } from '../protocols/igmp/config-model';
import { emptyIgmpInterfaceConfig } from '../protocols/igmp/config-model';
import type { IsakmpKey, IsakmpPolicy } from '../protocols/ike/config-model';
import type { NhrpInterfaceConfig } from '../protocols/nhrp/config-model';
import { emptyNhrpInterfaceConfig } from '../protocols/nhrp/config-model';
import type { PimGlobalConfig, PimInterfaceConfig } from '../protocols/pim/config-model';
import { emptyPimGlobalConfig, emptyPimInterfaceConfig } from '../protocols/pim/config-model';
import type { TunnelConfig } from '../protocols/tunnel/config-model';
import { emptyTunnelConfig } from '../protocols/tunnel/config-model';

// The protocols that predate `ProtocolConfigs` keep typed fields here; their types and defaults live in their
// folders (`config-model.ts`) and are re-exported for the code that reads them.
export type { EigrpInterfaceConfig, EigrpProcessConfig } from '../protocols/eigrp/config-model';
export type { CryptoMap, CryptoMapEntry, IpsecProfile, TransformSet } from '../protocols/esp/config-model';
export type { GdoiGroup, GdoiLocalServer, GdoiServerSa, RsaKeyRequest } from '../protocols/gdoi/config-model';
export type { IgmpInterfaceConfig } from '../protocols/igmp/config-model';
export type { IsakmpKey, IsakmpPolicy } from '../protocols/ike/config-model';
export type { NhrpInterfaceConfig } from '../protocols/nhrp/config-model';
export type { PimGlobalConfig, PimInterfaceConfig, PimMode } from '../protocols/pim/config-model';
export type { TunnelConfig, TunnelSource } from '../protocols/tunnel/config-model';

/**
 * The typed running-config of one router. It is the only source of truth for behaviour: protocols read it,
 * the CLI edits it, `show running-config` renders it. Plain data (no classes) so it can be cloned and compared.
 */
export interface RouterConfig {
  hostname: string;
  multicastRouting: boolean;
  /** Interfaces, kept in IOS order (Loopback, Tunnel, then hardware by slot) by the config session. */
  interfaces: InterfaceConfig[];
  staticRoutes: StaticRoute[];
  /** `ip mroute` lines (static multicast RPF routes). */
  mroutes: StaticMroute[];
  /**
   * Numbered and named ACLs, keyed by their name or number as typed ("1", "ACL", "MULTICAST_REKEY"). A Map, not
   * an object: a user may name a list `constructor` or `__proto__` (issue 13 item 5).
   */
  accessLists: Map<string, AccessList>;
  pim: PimGlobalConfig;
  eigrp: EigrpProcessConfig[];
  crypto: CryptoConfig;
  /** Slices of protocols that declare their model in their own folder (see `ProtocolConfigs`). */
  protocols: ProtocolConfigs;
  /** `!` comment lines are not kept (IOS drops them); `! added:` annotations live only in scenario text. */
}

export interface InterfaceAddress {
  readonly address: Ipv4;
  readonly mask: Ipv4;
}

export interface InterfaceConfig {
  /** Canonical IOS name: `FastEthernet1/0`, `Serial2/0`, `Loopback0`, `Tunnel10`. */
  name: string;
  description?: string;
  address?: InterfaceAddress;
  shutdown: boolean;
  /** kbit/s; when unset the hardware default applies. */
  bandwidth?: number;
  /** Tens of microseconds, as `delay` takes it. */
  delay?: number;
  ipMtu?: number;
  tunnel: TunnelConfig;
  nhrp: NhrpInterfaceConfig;
  pim: PimInterfaceConfig;
  igmp: IgmpInterfaceConfig;
  eigrp: EigrpInterfaceConfig;
  cryptoMap?: string;
  /** Per-interface slices of protocols that declare their model in their own folder. */
  protocols: InterfaceProtocolConfigs;
}

/**
 * Config slices of protocols whose model lives in their own folder, keyed by their descriptor's
 * `config.slice.key`. A protocol adds its field by module augmentation, optional, so adding a protocol never
 * edits this file:
 *
 *     declare module '../../config/model' { interface ProtocolConfigs { bsr?: BsrConfig } }
 *
 * The protocol creates its slice with its descriptor's `config.slice` factory the first time a command edits
 * it (`model.protocols.bsr ??= emptyBsrConfig()`); readers take a missing slice as the empty one. (PIM, EIGRP and
 * crypto predate this and keep their typed fields above; their types live in their folders.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface ProtocolConfigs {}

/** The same per interface (`InterfaceConfig.protocols`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface InterfaceProtocolConfigs {}

export interface StaticRoute {
  readonly prefix: Ipv4;
  readonly mask: Ipv4;
  readonly nextHop?: Ipv4;
  readonly interface?: string;
  /** Administrative distance; default 1. */
  readonly distance?: number;
}

export interface StaticMroute {
  readonly source: Ipv4;
  readonly mask: Ipv4;
  /** RPF neighbour address, or an interface. */
  readonly rpfNeighbor?: Ipv4;
  readonly interface?: string;
  /** Default 0. */
  readonly distance?: number;
}

export type AclAction = 'permit' | 'deny';

/** Address match: `any`, `host A`, or `A wildcard`. */
export interface AclAddress {
  readonly address: Ipv4;
  readonly wildcard: Ipv4;
}

export interface StandardAce {
  readonly kind: 'standard';
  readonly action: AclAction;
  readonly source: AclAddress;
}

export interface ExtendedAce {
  readonly kind: 'extended';
  readonly action: AclAction;
  /** `ip`, `gre`, `udp`, `tcp`, `icmp`, `esp`, `pim`, `igmp`, or a number as typed. */
  readonly protocol: string;
  readonly source: AclAddress;
  readonly destination: AclAddress;
  readonly sourcePort?: PortMatch;
  readonly destinationPort?: PortMatch;
}

export interface PortMatch {
  readonly op: 'eq' | 'gt' | 'lt' | 'neq' | 'range';
  readonly ports: readonly number[];
}

export interface RemarkEntry {
  readonly kind: 'remark';
  readonly text: string;
}

export interface AccessList {
  readonly name: string;
  /** Numbered 1-99/1300-1999 and `ip access-list standard` are standard; the rest extended. */
  readonly type: 'standard' | 'extended';
  /** Numbered lists are rendered as `access-list N …`, named ones as `ip access-list … NAME`. */
  readonly numbered: boolean;
  entries: (StandardAce | ExtendedAce | RemarkEntry)[];
}

export interface CryptoConfig {
  isakmpPolicies: IsakmpPolicy[];
  isakmpKeys: IsakmpKey[];
  transformSets: TransformSet[];
  ipsecProfiles: IpsecProfile[];
  gdoiGroups: GdoiGroup[];
  cryptoMaps: CryptoMap[];
  /** The device's key store (NVRAM private config in IOS): not printed in the running-config. */
  rsaKeys: RsaKeyRequest[];
}

export function emptyRouterConfig(hostname = 'Router'): RouterConfig {
  return {
    hostname,
    multicastRouting: false,
    interfaces: [],
    staticRoutes: [],
    mroutes: [],
    accessLists: new Map(),
    pim: emptyPimGlobalConfig(),
    eigrp: [],
    crypto: {
      isakmpPolicies: [],
      isakmpKeys: [],
      transformSets: [],
      ipsecProfiles: [],
      gdoiGroups: [],
      cryptoMaps: [],
      rsaKeys: [],
    },
    protocols: {},
  };
}

export function emptyInterfaceConfig(name: string): InterfaceConfig {
  return {
    name,
    // IOS: physical interfaces start shut in a blank config; loopbacks and tunnels come up. Scenario configs
    // are running-configs, where a missing `shutdown` means the interface is enabled.
    shutdown: false,
    tunnel: emptyTunnelConfig(),
    nhrp: emptyNhrpInterfaceConfig(),
    pim: emptyPimInterfaceConfig(),
    igmp: emptyIgmpInterfaceConfig(),
    eigrp: emptyEigrpInterfaceConfig(),
    protocols: {},
  };
}
