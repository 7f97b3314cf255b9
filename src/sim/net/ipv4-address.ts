/** An IPv4 address as an unsigned 32-bit integer (network byte order read as a number). */
export type Ipv4 = number;

export function parseIpv4(text: string): Ipv4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

export function formatIpv4(a: Ipv4): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function maskFromLength(length: number): Ipv4 {
  return length <= 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** Prefix length of a contiguous netmask, or undefined when the mask has holes. */
export function lengthFromMask(mask: Ipv4): number | undefined {
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  let len = 0;
  for (let m = mask; m & 0x80000000; m = (m << 1) >>> 0) len++;
  return len;
}

/** 224.0.0.0/4 */
export function isMulticast(a: Ipv4): boolean {
  return a >>> 28 === 0xe;
}

/** 224.0.0.0/24: link-local multicast, never forwarded (RFC 5771). */
export function isLinkLocalMulticast(a: Ipv4): boolean {
  return a >>> 8 === 0xe00000;
}

export function ipv4ToBytes(a: Ipv4): Uint8Array {
  return new Uint8Array([(a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]);
}

export const IPV4_BROADCAST: Ipv4 = 0xffffffff;
