/**
 * Free addresses for what the editor adds, in the style of the lab it edits: the article numbers its spokes'
 * loopbacks 11.11.11.11, 12.12.12.12 and site LANs 192.168.11.0/24, 192.168.12.0/24; the generator counts
 * 11.0.0.i and 20.0.i.0/24. A new spoke continues the lab's own sequence, skipping anything in use.
 */
import type { RouterConfig } from '../../config/model';
import { formatIpv4, type Ipv4, maskFromLength } from '../../net/ipv4-address';
import { type LabFacts, loopback0, subnetInUse, type Subnet } from './lab-facts';

const HOST: Ipv4 = 0xffffffff;

const isFreeHost = (facts: LabFacts, a: Ipv4): boolean =>
  !facts.usedAddresses.has(a) && !subnetInUse(facts, a, HOST);

/** `n.n.n.n` for n = 1..223: the article's loopback style (1.1.1.1, 2.2.2.2, 11.11.11.11). */
const repeated = (n: number): Ipv4 => ((n << 24) | (n << 16) | (n << 8) | n) >>> 0;
const isRepeated = (a: Ipv4): boolean => a === repeated(a >>> 24);

/** The first free `n.n.n.n` loopback from `from` on (a key server's or plain router's). */
export function freeRepeatedLoopback(facts: LabFacts, from: number): Ipv4 | undefined {
  for (let n = from; n <= 223; n++) if (isFreeHost(facts, repeated(n))) return repeated(n);
  return undefined;
}

/** A new spoke's Loopback0: after the lab's spokes' (13.13.13.13 after 12.12.12.12; 11.0.0.31 after .30). */
export function nextSpokeLoopback(facts: LabFacts): Ipv4 | undefined {
  const loopbacks = spokeModels(facts)
    .map(loopback0)
    .filter((a): a is Ipv4 => a !== undefined);
  if (loopbacks.length === 0) return freeRepeatedLoopback(facts, 11);
  const max = Math.max(...loopbacks);
  if (loopbacks.every(isRepeated)) return freeRepeatedLoopback(facts, (max >>> 24) + 1);
  for (let a = max + 1; a < max + 65536 && a < 0xe0000000; a++) if (isFreeHost(facts, a)) return a;
  return undefined;
}

/** A new spoke's site LAN (Loopback1): the block after the lab's spokes' LANs that is free. */
export function nextSpokeLan(facts: LabFacts): Subnet | undefined {
  const lans = spokeModels(facts)
    .map((m) => m.interfaces.find((i) => i.name === 'Loopback1')?.address)
    .filter((a) => a !== undefined);
  const mask = lans[0]?.mask ?? maskFromLength(24);
  const size = (~mask >>> 0) + 1;
  const start =
    lans.length === 0
      ? 0xc0a80b00 // 192.168.11.0, the article's GM-1 site
      : Math.max(...lans.map((l) => (l.address & l.mask) >>> 0)) + size;
  for (let n = start, k = 0; k < 4096 && n < 0xe0000000; n += size, k++) {
    if (!subnetInUse(facts, n >>> 0, mask)) return { network: n >>> 0, mask };
  }
  return undefined;
}

/** The first free host address in the hub's tunnel subnet (192.168.100.4 in the article's lab). */
export function nextTunnelAddress(facts: LabFacts): Ipv4 | undefined {
  const hub = facts.hub;
  if (!hub) return undefined;
  const network = (hub.tunnelAddress & hub.tunnelMask) >>> 0;
  const broadcast = (network | ~hub.tunnelMask) >>> 0;
  for (let a = network + 1; a < broadcast; a++) if (!facts.usedAddresses.has(a)) return a;
  return undefined;
}

/**
 * A free subnet for a new link. Toward the provider, the article's WAN style first (172.17.1.0/24,
 * 172.27.1.0/24, 172.37.1.0/24, ... : the next is 172.47.1.0/24); otherwise, or when those are all taken,
 * a /30 from 10.0.0.0 on (two hosts, what a point-to-point link needs).
 */
export function freeLinkSubnet(facts: LabFacts, towardProvider: boolean): Subnet | undefined {
  if (towardProvider) {
    const mask = maskFromLength(24);
    for (let second = 17; second <= 247; second += 10) {
      const network = ((172 << 24) | (second << 16) | (1 << 8)) >>> 0;
      if (!subnetInUse(facts, network, mask)) return { network, mask };
    }
  }
  const mask = maskFromLength(30);
  for (let n = 0x0a000000; n < 0x0a400000; n += 4)
    if (!subnetInUse(facts, n, mask)) return { network: n, mask };
  return undefined;
}

/** The parsed configs of the lab's spokes. */
function spokeModels(facts: LabFacts): RouterConfig[] {
  return facts.spokes.map((s) => facts.models.get(s)).filter((m): m is RouterConfig => m !== undefined);
}

/** A dotted-quad wildcard for a mask (`0.0.0.255` for /24). */
export function wildcardOf(mask: Ipv4): string {
  return formatIpv4(~mask >>> 0);
}
