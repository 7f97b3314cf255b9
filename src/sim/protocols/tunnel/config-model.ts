/** The GRE tunnel's part of an interface's typed config (`InterfaceConfig.tunnel`), and its defaults. */
import type { Ipv4 } from '../../net/ipv4-address';

export type TunnelSource = { kind: 'interface'; name: string } | { kind: 'address'; address: Ipv4 };

export interface TunnelConfig {
  /** As typed and resolved: an interface name (canonical, may not exist) or an address. */
  source?: TunnelSource;
  destination?: Ipv4;
  /** `tunnel mode gre ip` is the IOS default and is not printed. */
  mode: 'gre-ip' | 'gre-multipoint';
  key?: number;
}

export function emptyTunnelConfig(): TunnelConfig {
  return { mode: 'gre-ip' };
}
