import type { Ipv4 } from '../net/ipv4-address';

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

export type TunnelSource = { kind: 'interface'; name: string } | { kind: 'address'; address: Ipv4 };

export interface TunnelConfig {
  /** As typed and resolved: an interface name (canonical, may not exist) or an address. */
  source?: TunnelSource;
  destination?: Ipv4;
  /** `tunnel mode gre ip` is the IOS default and is not printed. */
  mode: 'gre-ip' | 'gre-multipoint';
  key?: number;
}

export interface NhrpInterfaceConfig {
  networkId?: number;
  authentication?: string;
  /** Seconds; IOS default 7200 (not printed when default). */
  holdtime?: number;
  registrationTimeout?: number;
  nhs: Ipv4[];
  /** `ip nhrp map <tunnel-ip> <nbma-ip>` */
  maps: { readonly protocol: Ipv4; readonly nbma: Ipv4 }[];
  /** `ip nhrp map multicast dynamic` and `ip nhrp map multicast <nbma>` in the order typed. */
  multicastMaps: ('dynamic' | Ipv4)[];
}

export type PimMode = 'sparse' | 'dense' | 'sparse-dense';

export interface PimInterfaceConfig {
  mode?: PimMode;
  drPriority?: number;
  nbmaMode: boolean;
  /** Seconds; default 30. */
  queryInterval?: number;
}

export interface IgmpInterfaceConfig {
  joinGroups: Ipv4[];
  staticGroups: Ipv4[];
  /** Default 2. */
  version?: 1 | 2 | 3;
}

export interface EigrpInterfaceConfig {
  /** AS numbers with `no ip split-horizon eigrp <as>`. */
  splitHorizonDisabled: number[];
  /** AS numbers with `no ip next-hop-self eigrp <as>`. */
  nextHopSelfDisabled: number[];
  helloInterval: Record<number, number>;
  holdTime: Record<number, number>;
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
 * crypto predate this and keep their typed fields above.)
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

export interface PimGlobalConfig {
  sendRpAnnounce?: { interface: string; scope: number; groupList?: string; interval?: number };
  sendRpDiscovery?: { interface: string; scope: number; interval?: number };
  rpAddresses: { address: Ipv4; groupList?: string; override: boolean }[];
  autorpListener: boolean;
  /** IOS default true: Auto-RP groups are dense-mode flooded (the article's behaviour). */
  dmFallback: boolean;
  sptThresholdInfinity: boolean;
}

export interface EigrpProcessConfig {
  asNumber: number;
  autoSummary: boolean;
  /** `network A` (classful, wildcard undefined) or `network A W`. */
  networks: { address: Ipv4; wildcard?: Ipv4 }[];
  passiveInterfaces: string[];
  routerId?: Ipv4;
}

export interface IsakmpPolicy {
  priority: number;
  /** IOS defaults: des, sha, rsa-sig, group 1, 86400 s. */
  encryption?: 'des' | '3des' | 'aes' | 'aes 192' | 'aes 256';
  hash?: 'sha' | 'md5' | 'sha256';
  authentication?: 'pre-share' | 'rsa-sig';
  group?: number;
  lifetime?: number;
}

export interface IsakmpKey {
  readonly encryptionType: 0 | 6 | 7;
  readonly key: string;
  readonly address: Ipv4;
  readonly mask?: Ipv4;
}

export interface TransformSet {
  name: string;
  /** e.g. ['esp-3des', 'esp-md5-hmac'] */
  transforms: string[];
  mode?: 'tunnel' | 'transport';
}

export interface IpsecProfile {
  name: string;
  transformSet?: string;
  /** `set security-association lifetime seconds N`: the TEK lifetime a KS gives its group (default 3600). */
  lifetimeSeconds?: number;
}

export interface GdoiServerSa {
  number: number;
  profile?: string;
  matchAddress?: string;
  replay?: { kind: 'time'; windowSize: number } | { kind: 'counter'; windowSize: number };
}

export interface GdoiLocalServer {
  rekeyAddress?: string;
  rekeyLifetime?: number;
  rekeyRetransmit?: { interval: number; count: number };
  rekeyAuthentication?: { keyLabel: string };
  rekeyAlgorithm?: string;
  sas: GdoiServerSa[];
  address?: Ipv4;
}

export interface GdoiGroup {
  name: string;
  identity?: number;
  /** Key-server side (`server local`). */
  server?: GdoiLocalServer;
  /** Member side (`server address ipv4 …`), in order. */
  serverAddresses: Ipv4[];
}

export interface CryptoMapEntry {
  sequence: number;
  kind: 'gdoi' | 'ipsec-isakmp';
  group?: string;
  /** `ipsec-isakmp` entries: `set peer`, `set transform-set`, `match address`. */
  peer?: Ipv4;
  transformSet?: string;
  matchAddress?: string;
}

export interface CryptoMap {
  name: string;
  localAddress?: string;
  entries: CryptoMapEntry[];
}

export interface RsaKeyRequest {
  /** `crypto key generate rsa general-keys label L modulus N [exportable]`: an action, kept as the key store. */
  label: string;
  modulus: number;
  exportable: boolean;
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
    pim: { rpAddresses: [], autorpListener: false, dmFallback: true, sptThresholdInfinity: false },
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
    tunnel: { mode: 'gre-ip' },
    nhrp: { nhs: [], maps: [], multicastMaps: [] },
    pim: { nbmaMode: false },
    igmp: { joinGroups: [], staticGroups: [] },
    eigrp: { splitHorizonDisabled: [], nextHopSelfDisabled: [], helloInterval: {}, holdTime: {} },
    protocols: {},
  };
}
