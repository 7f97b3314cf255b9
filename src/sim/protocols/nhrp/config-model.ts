/** NHRP's part of an interface's typed config (`InterfaceConfig.nhrp`), and its defaults. */
import type { Ipv4 } from '../../net/ipv4-address';

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

export function emptyNhrpInterfaceConfig(): NhrpInterfaceConfig {
  return { nhs: [], maps: [], multicastMaps: [] };
}
