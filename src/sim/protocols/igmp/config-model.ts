/** IGMP's part of an interface's typed config (`InterfaceConfig.igmp`), and its defaults. */
import type { Ipv4 } from '../../net/ipv4-address';

export interface IgmpInterfaceConfig {
  joinGroups: Ipv4[];
  staticGroups: Ipv4[];
  /** Default 2. */
  version?: 1 | 2 | 3;
}

export function emptyIgmpInterfaceConfig(): IgmpInterfaceConfig {
  return { joinGroups: [], staticGroups: [] };
}
