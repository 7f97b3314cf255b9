/**
 * The BSR slice of the running-config: `ip pim bsr-candidate` and `ip pim rp-candidate` (Cisco IOS IP Multicast
 * Command Reference; defaults as IOS shows them: hash mask length 0, priorities 0, `Advertisement interval 60
 * seconds`, `Holdtime 150 seconds`, NetworkLessons "Multicast PIM Bootstrap (BSR)").
 */
import type { RouterConfig } from '../../../config/model';

/** `ip pim bsr-candidate <interface> [hash-mask-length] [priority]`. */
export interface CandidateBsrConfig {
  readonly interface: string;
  readonly hashMaskLength: number;
  /** 0-255, higher wins the election (RFC 5059 §3.1.1). */
  readonly priority: number;
}

/** `ip pim rp-candidate <interface> [group-list <acl>] [interval <s>] [priority <p>]`. */
export interface CandidateRpConfig {
  readonly interface: string;
  readonly groupList?: string;
  /** C_RP_Adv_Period in seconds. */
  readonly interval: number;
  /** 0-255, lower is preferred (RFC 7761 §4.7.2). */
  readonly priority: number;
}

export interface BsrConfig {
  candidateBsr?: CandidateBsrConfig;
  candidateRp?: CandidateRpConfig;
}

export const DEFAULT_HASH_MASK_LENGTH = 0;
export const DEFAULT_BSR_PRIORITY = 0;
/** RFC 5059 §5 C_RP_Adv_Period; IOS prints `Advertisement interval 60 seconds`. */
export const DEFAULT_C_RP_INTERVAL = 60;
export const DEFAULT_C_RP_PRIORITY = 0;

export function emptyBsrConfig(): BsrConfig {
  return {};
}

// The slice lives in `RouterConfig.protocols` without `config/model.ts` naming it (issue 16).
declare module '../../../config/model' {
  interface ProtocolConfigs {
    bsr?: BsrConfig;
  }
}

const NO_BSR: BsrConfig = Object.freeze({});

/** The BSR slice for a command to edit, created on first use. */
export function editBsrConfig(model: RouterConfig): BsrConfig {
  return (model.protocols.bsr ??= emptyBsrConfig());
}

/** The BSR slice as the running router reads it (an empty one when no command made it). */
export function readBsrConfig(model: RouterConfig): BsrConfig {
  return model.protocols.bsr ?? NO_BSR;
}

/**
 * The BSR slice of `router`'s running config: what the BSR service reads, bound to its router with `boundFn`
 * (kernel/bound.ts) rather than a closure, so a checkpoint copies it.
 */
export function readRouterBsrConfig(router: { readonly config: RouterConfig }): BsrConfig {
  return readBsrConfig(router.config);
}

/**
 * The C-RP holdtime for an advertisement interval: 2.5 × C_RP_Adv_Period (RFC 5059 §3.3), 150 s for the
 * default 60 s as IOS prints (`Holdtime 150 seconds`).
 */
export function candidateRpHoldtime(interval: number): number {
  return Math.min(0xffff, Math.floor(interval * 2.5));
}
