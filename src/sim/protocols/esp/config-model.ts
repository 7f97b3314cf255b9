/** ESP's part of the typed config (`RouterConfig.crypto`: transform sets, IPsec profiles, crypto maps). */
import type { Ipv4 } from '../../net/ipv4-address';

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
