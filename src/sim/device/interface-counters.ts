import { isMulticast, IPV4_BROADCAST } from '../net/ipv4-address';
import { readU32 } from '../net/bytes';
import { interfaceKind } from './interface-state';

/**
 * The counters `show interfaces` prints (Cisco IOS Interface and Hardware Component Command Reference,
 * "show interfaces", field descriptions): "packets input … bytes", "Received … broadcasts (… IP
 * multicasts)", "packets output … bytes", the input queue's drops and "Total output drops".
 */
export interface InterfaceCounters {
  packetsIn: number;
  bytesIn: number;
  /** Frames received to a broadcast or multicast address ("Received N broadcasts"). */
  broadcastsIn: number;
  /** Of those, IP multicasts ("(M IP multicasts)"). */
  multicastsIn: number;
  packetsOut: number;
  bytesOut: number;
  multicastsOut: number;
  /** Input packets dropped (shown in the input queue's drops field). */
  inputDrops: number;
  /** "Total output drops": packets routed out the interface that never left it. */
  outputDrops: number;
  /** Simulated times of the last packet in and out ("Last input 00:00:02, output 00:00:01"). */
  lastInput?: number;
  lastOutput?: number;
}

export function zeroInterfaceCounters(): InterfaceCounters {
  return {
    packetsIn: 0,
    bytesIn: 0,
    broadcastsIn: 0,
    multicastsIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    multicastsOut: 0,
    inputDrops: 0,
    outputDrops: 0,
  };
}

/**
 * Bytes of link header IOS counts with each packet: an Ethernet frame's 14-byte MAC header (the FCS is not
 * counted), Cisco HDLC's 4 bytes (address, control, protocol type) on serial links; a tunnel or loopback
 * counts the IP packet alone (the GRE and outer IP header are counted on the transport interface).
 */
export function linkHeaderBytes(ifName: string): number {
  if (interfaceKind(ifName) !== 'physical') return 0;
  return ifName.startsWith('Serial') ? 4 : 14;
}

/** Counts one IPv4 packet in or out of `ifName` (the destination decides broadcast/multicast). */
export function countPacket(c: InterfaceCounters, ifName: string, dir: 'in' | 'out', ip: Uint8Array): void {
  const bytes = ip.length + linkHeaderBytes(ifName);
  const dst = ip.length >= 20 ? readU32(ip, 16) : 0;
  const multicast = isMulticast(dst);
  if (dir === 'in') {
    c.packetsIn++;
    c.bytesIn += bytes;
    if (multicast || dst === IPV4_BROADCAST) c.broadcastsIn++;
    if (multicast) c.multicastsIn++;
  } else {
    c.packetsOut++;
    c.bytesOut += bytes;
    if (multicast) c.multicastsOut++;
  }
}
