// The one shape every protocol folder exports (issue 16): what the core iterates instead of naming protocols.
// Adding a protocol is a new folder under `protocols/` whose `descriptor.ts` exports a `ProtocolDescriptor`,
// plus one line in `protocols/registry.ts`. Every part is optional: a protocol brings only what it has.
//
// This file holds types only (no runtime imports) so that anything may import it without a cycle.
import type { ConfigCommand } from '../config/context';
import type { RouterConfig, InterfaceConfig } from '../config/model';
import type { Router, RouterModule } from '../device/router';

/** Commands a protocol adds to a configuration mode, and the sub-modes it owns (with their IOS prompt). */
export interface ConfigModeContribution {
  /** A mode name: `global`, `interface`, or a sub-mode this protocol declares in `subModes`. */
  readonly mode: string;
  readonly commands: readonly ConfigCommand[];
}

export interface ConfigSubMode {
  readonly mode: string;
  /** IOS prompt suffix, e.g. `(config-router)`. */
  readonly prompt: string;
}

/**
 * A protocol's slice of the typed running-config. New protocols add their fields to `ProtocolConfigs` /
 * `InterfaceProtocolConfigs` in `config/model.ts` by module augmentation in their own folder
 * (`declare module '../../config/model' { interface ProtocolConfigs { bsr: BsrConfig } }`), so the model is
 * typed without the core naming them; `create` builds the empty slice for a new router or interface.
 */
export interface ConfigSlice<Global = unknown, PerInterface = unknown> {
  /** Key in `RouterConfig.protocols` / `InterfaceConfig.protocols`. */
  readonly key: string;
  readonly createGlobal?: () => Global;
  readonly createInterface?: () => PerInterface;
}

/**
 * Where a protocol's lines go in `show running-config`. IOS prints global sections in a fixed order; a
 * protocol names the anchor its block follows. Interface lines are appended inside each interface block.
 */
export type RunningConfigAnchor =
  'before-interfaces' | 'after-interfaces' | 'after-routing-processes' | 'after-static-routes';

export interface RunningConfigContribution {
  /** Global blocks (each block is separated by `!`), at their anchor. */
  readonly global?: {
    readonly anchor: RunningConfigAnchor;
    readonly render: (model: RouterConfig) => string[][];
  };
  /** Lines inside `interface X` (one space indented by the caller). */
  readonly interface?: (iface: InterfaceConfig, model: RouterConfig) => string[];
}

/** The service a protocol runs on one router. */
export interface ServiceContribution<S extends RouterModule = RouterModule> {
  /**
   * Whether this router's config runs the protocol. The service is attached the first time it is true (at boot
   * or after a config change) and stays attached, reading its config at every `reconcile` as IOS processes do.
   * Absent: every router runs it (ICMP).
   */
  readonly enabledBy?: (config: RouterConfig) => boolean;
  /** Other descriptors' ids this service needs attached first (GDOI needs IKE and ESP). */
  readonly requires?: readonly string[];
  readonly create: (router: Router, services: ServiceLookup) => S;
}

/** Finds a service already attached to the same router (for `requires`). */
export interface ServiceLookup {
  get<S extends RouterModule>(id: string): S | undefined;
}

/** One `debug …` option (see `cli/debug-commands.ts`). */
export interface DebugOptionSpec {
  readonly words: string;
  readonly flag: string;
  readonly title: string;
  readonly help: Record<string, string>;
}

/** How the page draws one wire protocol id (`Layer.protocol`): its label and colour. */
export interface WireProtocolStyle {
  /** Dissector protocol id, e.g. `pim`, `autorp`, `gdoi`. */
  readonly id: string;
  /** Short name for legends and captions, e.g. `PIM`, `Auto-RP`. */
  readonly label: string;
  /** A distinct hue, readable on light and dark backgrounds. */
  readonly color: string;
}

/**
 * A protocol, as the core sees it. `Exec` is the EXEC command type (kept generic so this file needs no import
 * from `cli/`, which would close a cycle: the CLI iterates descriptors).
 */
export interface ProtocolDescriptor<Exec = unknown> {
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
  readonly execCommands?: readonly Exec[];
  readonly debugOptions?: readonly DebugOptionSpec[];
  /** The wire protocol ids this protocol's packets carry, in legend order. */
  readonly wire?: readonly WireProtocolStyle[];
}
