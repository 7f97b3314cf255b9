import { formatIpv4, type Ipv4, maskFromLength } from './ipv4-address';

/** An IPv4 prefix; `network` always has its host bits cleared. */
export interface Prefix {
  readonly network: Ipv4;
  readonly length: number;
}

export function makePrefix(address: Ipv4, length: number): Prefix {
  return { network: (address & maskFromLength(length)) >>> 0, length };
}

export function prefixContains(p: Prefix, a: Ipv4): boolean {
  return (a & maskFromLength(p.length)) >>> 0 === p.network;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIpv4(p.network)}/${p.length}`;
}

/** Classful network of an address (for EIGRP `network` without wildcard and IOS route headers). */
export function classfulPrefix(a: Ipv4): Prefix {
  const first = a >>> 24;
  const length = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 4;
  return makePrefix(a, length);
}
