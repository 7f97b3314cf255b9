/** PIM's part of the typed config (`RouterConfig.pim`, `InterfaceConfig.pim`), and its defaults. */
import type { Ipv4 } from '../../net/ipv4-address';

export type PimMode = 'sparse' | 'dense' | 'sparse-dense';

export interface PimInterfaceConfig {
  mode?: PimMode;
  drPriority?: number;
  nbmaMode: boolean;
  /** Seconds; default 30. */
  queryInterval?: number;
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

export function emptyPimInterfaceConfig(): PimInterfaceConfig {
  return { nbmaMode: false };
}

export function emptyPimGlobalConfig(): PimGlobalConfig {
  return { rpAddresses: [], autorpListener: false, dmFallback: true, sptThresholdInfinity: false };
}
