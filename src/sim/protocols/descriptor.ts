// The one shape every protocol folder exports (issue 16): what the core iterates instead of naming protocols.
// Adding a protocol is a new folder under `protocols/` whose `descriptor.ts` exports a `ProtocolDescriptor`,
// plus one line in `protocols/registry.ts`. Every part is optional: a protocol brings only what it has.
//
// This file holds types only (no runtime imports) so that anything may import it without a cycle.
import type { DebugOption, ExecCommand } from '../cli/exec-types';
import type { ConfigCommand, ConfigModeName } from '../config/context';
import type { RouterConfig, InterfaceConfig } from '../config/model';
import type { NextHop, Route, RouteSource } from '../device/rib';
import type { Router } from '../device/router';
import type { Ipv4 } from '../net/ipv4-address';

/** Commands a protocol adds to a configuration mode, and the sub-modes it owns (with their IOS prompt). */
export interface ConfigModeContribution {
  /**
   * `global`, `interface`, or a sub-mode this protocol declares in `subModes` (and types in
   * `ConfigModeFrames`, `config/context.ts`, by module augmentation).
   */
  readonly mode: ConfigModeName;
  readonly commands: readonly ConfigCommand[];
}

export interface ConfigSubMode {
  readonly mode: ConfigModeName;
  /** IOS prompt suffix, e.g. `(config-router)`. */
  readonly prompt: string;
}

/**
 * A protocol's slice of the typed running-config. A protocol whose model lives in its own folder adds its field
 * to `ProtocolConfigs` / `InterfaceProtocolConfigs` in `config/model.ts` by module augmentation
 * (`declare module '../../config/model' { interface ProtocolConfigs { bsr?: BsrConfig } }`), so the model is
 * typed without the core naming it. The field is optional: the protocol's commands create it with
 * `createGlobal` / `createInterface` the first time they edit it, and readers treat a missing slice as the
 * empty one. (Creating every slice up front would need the registry in `config/model.ts`, closing an import
 * cycle through the config commands.)
 */
export interface ConfigSlice<Global = unknown, PerInterface = unknown> {
  /** Key in `RouterConfig.protocols` / `InterfaceConfig.protocols`. */
  readonly key: string;
  readonly createGlobal?: () => Global;
  readonly createInterface?: () => PerInterface;
}

/**
 * Where a protocol's global lines go in `show running-config`. IOS prints the global sections in a fixed order
 * (the order `config/render.ts` lists them in, core sections included); a protocol names the place of each of its
 * blocks. Several protocols at one place print in registry order.
 */
export type RunningConfigAnchor =
  /** `crypto isakmp policy` / `crypto isakmp key`, after `ip multicast-routing`. */
  | 'crypto-isakmp'
  /** `crypto ipsec transform-set`, then each `crypto ipsec profile`. */
  | 'crypto-ipsec'
  /** Each `crypto gdoi group`. */
  | 'crypto-gdoi'
  /** `crypto map` entries, the last section before the interfaces. */
  | 'crypto-map'
  /** `router …` processes, after the interfaces. */
  | 'router'
  /** Global `ip pim …` lines, after `ip route` and `ip mroute`, before the access lists. */
  | 'ip-pim';

/** Where a protocol's lines go inside `interface X`, in IOS order. */
export type InterfaceRunningConfigAnchor =
  /** After `ip address` / `ip mtu`: `ip pim …`. */
  | 'ip-pim'
  /** `ip nhrp …`. */
  | 'ip-nhrp'
  /** `ip igmp …`. */
  | 'ip-igmp'
  /** Routing-protocol interface knobs (`ip hello-interval eigrp …`), before `delay` and `shutdown`. */
  | 'ip-routing'
  /** `tunnel …`, after `shutdown`. */
  | 'tunnel'
  /** `crypto map`, the last line. */
  | 'crypto';

export interface GlobalRunningConfig {
  readonly anchor: RunningConfigAnchor;
  /** Blocks; the caller prints `!` after each non-empty one. */
  readonly render: (model: RouterConfig) => string[][];
  /** The first block continues the block printed before it at the same anchor (one `ip pim` section). */
  readonly join?: boolean;
}

export interface InterfaceRunningConfig {
  readonly anchor: InterfaceRunningConfigAnchor;
  /** Lines inside `interface X`, without the leading space (the caller indents). */
  readonly render: (iface: InterfaceConfig, model: RouterConfig) => string[];
}

export interface RunningConfigContribution {
  readonly global?: readonly GlobalRunningConfig[];
  readonly interface?: readonly InterfaceRunningConfig[];
  /**
   * Lines only a scenario file carries, printed after `ip multicast-routing`: device state IOS keeps outside the
   * running-config (NVRAM), which a scenario has to recreate (RSA key generation).
   */
  readonly scenario?: (model: RouterConfig) => string[];
}

/**
 * The service a protocol runs on one router. Services that read their config at every reconcile also implement
 * `RouterModule` and push themselves on `router.modules`; others (ICMP, ESP) only hook the packet pipeline.
 */
export interface ServiceContribution<S extends object = object> {
  /**
   * Whether this router's config runs the protocol. The service is attached the first time it is true (at boot
   * or after a config change) and stays attached, reading its config at every `reconcile` as IOS processes do.
   * Absent: every router runs it (ICMP).
   */
  readonly enabledBy?: (config: RouterConfig) => boolean;
  /** Other descriptors' ids this service needs attached first (GDOI needs IKE and ESP). */
  readonly requires?: readonly string[];
  readonly create: (router: Router, services: ServiceLookup) => S;
  /**
   * What a router whose config does not enable the service does with the protocol's packets meanwhile (a
   * cheap handler that drops them with the reason the service would give), installed at boot where
   * `enabledBy` is false; the service, once attached, takes its hooks over.
   */
  readonly dormant?: (router: Router) => void;
}

/** Finds a service already attached to the same router (for `requires`). */
export interface ServiceLookup {
  /** A service named in `requires`: `attach.ts` attaches those first, so it is there (throws otherwise). */
  required<S extends object>(id: string): S;
}

/** How the page draws one wire protocol id (`Layer.protocol`): its label and colour. */
export interface WireProtocolStyle {
  /** Dissector protocol id, e.g. `pim`, `autorp`, `gdoi`. */
  readonly id: string;
  /** Short name for legends and captions, e.g. `PIM`, `Auto-RP`. */
  readonly label: string;
  /** A distinct hue, readable on light and dark backgrounds. */
  readonly color: string;
  /**
   * Place in the page's legend, which lists protocols in the order a packet of the reference lab nests them
   * (ESP outermost … ICMP innermost); absent: drawn in colour but left out of the legend (IPv4, UDP).
   */
  readonly legendOrder?: number;
  /**
   * A protocol that rides inside ISAKMP's header and is told from it by the exchange type (GDOI: RFC 6407's
   * GROUPKEY exchanges on UDP 848, where IKE phase 1 runs too). The trace classifier names such a packet by
   * this protocol instead of `isakmp`.
   */
  readonly isakmpExchangeTypes?: readonly number[];
}

/**
 * A protocol, as the core sees it. EXEC commands are typed by `cli/exec-types.ts`, a leaf module, so the CLI
 * can iterate descriptors without an import cycle.
 */
export interface ProtocolDescriptor {
  /** Stable id: `eigrp`, `pim`, `pim-bsr`, `gdoi` … */
  readonly id: string;
  /** Human name for documentation and the page: `PIM BSR (RFC 5059)`. */
  readonly title: string;
  readonly config?: {
    readonly slice?: ConfigSlice;
    readonly subModes?: readonly ConfigSubMode[];
    readonly commands?: readonly ConfigModeContribution[];
    readonly runningConfig?: RunningConfigContribution;
  };
  readonly service?: ServiceContribution;
  /** `show …`, `clear …` and other EXEC commands. */
  readonly execCommands?: readonly ExecCommand[];
  /** `debug …` options; `cli/debug-commands.ts` builds the `debug`/`undebug` pairs and `show debugging`. */
  readonly debugOptions?: readonly DebugOption[];
  /** The wire protocol ids this protocol's packets carry, in legend order. */
  readonly wire?: readonly WireProtocolStyle[];
  /** The routes this protocol installs, as `show ip route` prints them. */
  readonly routeSources?: readonly RouteSourceShow[];
  /** Tabs of the page's router panel: live views of this protocol's state on the selected router. */
  readonly routerViews?: readonly RouterViewContribution[];
}

/**
 * One live tab of the router panel: the `show` commands a student would type to see this protocol's state,
 * refreshed as the lab runs, and optionally a typed state object (plain, structured-clonable data) the page
 * draws beside them (GDOI's key table) and the lessons' checks read.
 */
export interface RouterViewContribution {
  /** Tab id, unique across protocols: `nhrp`, `pim`, `gdoi`. */
  readonly id: string;
  /** Tab label: `NHRP`. */
  readonly label: string;
  /** Place among the protocol tabs (after Console, Config and Routes), lowest first. */
  readonly order: number;
  readonly commands: readonly string[];
  readonly state?: (router: Router) => unknown;
}

/** A next hop with a gateway address (a directly connected next hop is printed by the core). */
export type GatewayHop = NextHop & { readonly address: Ipv4 };

/**
 * How `show ip route` prints one route source a protocol installs (its RIB `source`, declared by augmenting
 * `RouteSources` in `device/rib.ts`). What a protocol leaves out, the core prints as it does for static routes.
 */
export interface RouteSourceShow {
  readonly source: RouteSource;
  /** The code column: `D`, `D EX`, `O IA` (the IOS legend). */
  readonly code: string;
  /** `show ip route <address>`: the lines between `Routing entry for …` and `Routing Descriptor Blocks:`. */
  readonly header?: (router: Router, route: Route) => string[];
  /** One next hop's descriptor block (`star` is `*` for the one in use). */
  readonly nextHop?: (router: Router, route: Route, hop: GatewayHop, star: string) => string[];
  /** Lines a connected route on `ifName` gets from this protocol (`Redistributing via eigrp 10`). */
  readonly redistributing?: (router: Router, ifName: string) => string[];
}
