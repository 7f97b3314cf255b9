/**
 * Extended ACL evaluation for the crypto map (IOS semantics): entries in order, first match wins, an
 * implicit `deny ip any any` at the end. For a crypto ACL, permit = protect, deny = leave in clear.
 */
import type { AclAddress, ExtendedAce, PortMatch } from '../../config/model';
import type { Ipv4Header } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';

/** IOS protocol keywords and their IP protocol numbers; `ip` matches every protocol. */
const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ahp: 51,
  eigrp: 88,
  ospf: 89,
  pim: 103,
};

/** The fields an ACL looks at. Ports are present for the first fragment of TCP and UDP packets only. */
export interface FlowKey {
  readonly protocol: number;
  readonly source: Ipv4;
  readonly destination: Ipv4;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
}

/** The protocol number an ACE names, or undefined for `ip` (any protocol). */
export function aceProtocolNumber(protocol: string): number | undefined {
  if (protocol === 'ip') return undefined;
  return PROTOCOL_NUMBERS[protocol] ?? Number(protocol);
}

/** The flow key of a packet: TCP/UDP ports read from the payload of a first fragment. */
export function flowKeyOf(header: Ipv4Header, payload: Uint8Array): FlowKey {
  const key = { protocol: header.protocol, source: header.source, destination: header.destination };
  const ported = header.protocol === 6 || header.protocol === 17;
  if (!ported || header.fragmentOffset !== 0 || payload.length < 4) return key;
  return {
    ...key,
    sourcePort: ((payload[0] ?? 0) << 8) | (payload[1] ?? 0),
    destinationPort: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

/** The same flow seen from the other end (IOS checks inbound traffic against the mirrored crypto ACL). */
export function mirrored(k: FlowKey): FlowKey {
  return {
    protocol: k.protocol,
    source: k.destination,
    destination: k.source,
    sourcePort: k.destinationPort,
    destinationPort: k.sourcePort,
  };
}

function addressMatches(a: AclAddress, ip: Ipv4): boolean {
  return ((a.address ^ ip) & ~a.wildcard) >>> 0 === 0;
}

function portMatches(m: PortMatch | undefined, port: number | undefined): boolean {
  if (!m) return true;
  if (port === undefined) return false;
  const [a = 0, b = 0] = m.ports;
  switch (m.op) {
    case 'eq':
      return m.ports.includes(port);
    case 'neq':
      return !m.ports.includes(port);
    case 'gt':
      return port > a;
    case 'lt':
      return port < a;
    case 'range':
      return port >= a && port <= b;
  }
}

export function aceMatches(ace: ExtendedAce, k: FlowKey): boolean {
  const proto = aceProtocolNumber(ace.protocol);
  if (proto !== undefined && proto !== k.protocol) return false;
  return (
    addressMatches(ace.source, k.source) &&
    addressMatches(ace.destination, k.destination) &&
    portMatches(ace.sourcePort, k.sourcePort) &&
    portMatches(ace.destinationPort, k.destinationPort)
  );
}

/** Index of the first matching entry and its action, or undefined (the implicit deny). */
export function matchAcl(
  aces: readonly ExtendedAce[],
  k: FlowKey,
): { index: number; action: 'permit' | 'deny' } | undefined {
  // A loop, not findIndex with a closure: every packet out of a crypto-map interface is matched.
  for (let index = 0; index < aces.length; index++) {
    const ace = aces[index]!;
    if (aceMatches(ace, k)) return { index, action: ace.action };
  }
  return undefined;
}

/** `access-list  permit gre any any`, as IOS prints a downloaded ACE. */
export function aceText(ace: ExtendedAce): string {
  const addr = (a: AclAddress): string =>
    a.wildcard >>> 0 === 0xffffffff
      ? 'any'
      : a.wildcard === 0
        ? `host ${formatIpv4(a.address)}`
        : `${formatIpv4(a.address)} ${formatIpv4(a.wildcard)}`;
  const port = (p: PortMatch | undefined): string => (p ? ` ${p.op} ${p.ports.join(' ')}` : '');
  return `${ace.action} ${ace.protocol} ${addr(ace.source)}${port(ace.sourcePort)} ${addr(ace.destination)}${port(ace.destinationPort)}`;
}
