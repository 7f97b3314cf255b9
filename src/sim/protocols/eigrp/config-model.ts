/** EIGRP's part of the typed config (`RouterConfig.eigrp`, `InterfaceConfig.eigrp`), and its defaults. */
import type { Ipv4 } from '../../net/ipv4-address';

export interface EigrpInterfaceConfig {
  /** AS numbers with `no ip split-horizon eigrp <as>`. */
  splitHorizonDisabled: number[];
  /** AS numbers with `no ip next-hop-self eigrp <as>`. */
  nextHopSelfDisabled: number[];
  helloInterval: Record<number, number>;
  holdTime: Record<number, number>;
}

export interface EigrpProcessConfig {
  asNumber: number;
  autoSummary: boolean;
  /** `network A` (classful, wildcard undefined) or `network A W`. */
  networks: { address: Ipv4; wildcard?: Ipv4 }[];
  passiveInterfaces: string[];
  routerId?: Ipv4;
}

export function emptyEigrpInterfaceConfig(): EigrpInterfaceConfig {
  return { splitHorizonDisabled: [], nextHopSelfDisabled: [], helloInterval: {}, holdTime: {} };
}
