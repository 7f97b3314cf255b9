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
  /**
   * "Total output drops". IOS counts output-queue drops there; GETLab has no congestion, so it counts the
   * packets an interface was given but could not send at all (an mGRE tunnel with no NBMA address for the
   * next hop). Crypto drops are the crypto map's (`#send errors`).
   */
  outputDrops: number;
  /** Simulated times of the last packet in and out ("Last input 00:00:02, output 00:00:01"). */
  lastInput?: number;
  lastOutput?: number;
  /** Traffic per 5-second interval, newest last, for the 5-minute rates. */
  readonly recent: RateSample[];
}

/** Bits and packets in and out during one 5-second interval. */
export interface RateSample {
  readonly interval: number;
  bitsIn: number;
  packetsIn: number;
  bitsOut: number;
  packetsOut: number;
}

/**
 * IOS's interface rates: every 5 seconds, rate = rate × e^(-5/load-interval) + sample × (1 - e^(-5/load-
 * interval)), load-interval 300 s by default (Cisco, "load-interval" command reference: the "5 minute input
 * rate" is an exponentially weighted average over the load interval, updated every 5 seconds).
 */
const SAMPLE_US = 5_000_000;
const LOAD_INTERVAL_S = 300;
const DECAY = Math.exp(-5 / LOAD_INTERVAL_S);
const RATE_KEYS = ['bitsIn', 'packetsIn', 'bitsOut', 'packetsOut'] as const;
/** Samples older than this weigh less than e^-10 and are dropped. */
const KEPT_SAMPLES = 600;

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
    recent: [],
  };
}

function sampleAt(c: InterfaceCounters, now: number): RateSample {
  const interval = Math.floor(now / SAMPLE_US);
  const last = c.recent[c.recent.length - 1];
  if (last && last.interval === interval) return last;
  const sample = { interval, bitsIn: 0, packetsIn: 0, bitsOut: 0, packetsOut: 0 };
  c.recent.push(sample);
  while (c.recent.length > 0 && c.recent[0]!.interval <= interval - KEPT_SAMPLES) c.recent.shift();
  return sample;
}

/** The "5 minute input/output rate … bits/sec, … packets/sec" at `now` (completed 5-second intervals). */
export function fiveMinuteRates(
  c: InterfaceCounters,
  now: number,
): { bitsIn: number; packetsIn: number; bitsOut: number; packetsOut: number } {
  const current = Math.floor(now / SAMPLE_US);
  const rate = { bitsIn: 0, packetsIn: 0, bitsOut: 0, packetsOut: 0 };
  let i = 0;
  for (let interval = current - KEPT_SAMPLES; interval < current; interval++) {
    while (i < c.recent.length && c.recent[i]!.interval < interval) i++;
    const s = c.recent[i]?.interval === interval ? c.recent[i] : undefined;
    for (const k of RATE_KEYS) {
      rate[k] = rate[k] * DECAY + ((s?.[k] ?? 0) / 5) * (1 - DECAY);
    }
  }
  return {
    bitsIn: Math.round(rate.bitsIn),
    packetsIn: Math.round(rate.packetsIn),
    bitsOut: Math.round(rate.bitsOut),
    packetsOut: Math.round(rate.packetsOut),
  };
}

/**
 * Bytes of link header IOS counts with each packet: an Ethernet frame's 14-byte MAC header (the FCS is not
 * counted), Cisco HDLC's 4 bytes (address, control, protocol type) on serial links; a tunnel or loopback
 * counts the IP packet alone (the GRE and outer IP header are counted on the transport interface).
 */
function linkHeaderBytes(ifName: string): number {
  if (interfaceKind(ifName) !== 'physical') return 0;
  return ifName.startsWith('Serial') ? 4 : 14;
}

/** Counts one IPv4 packet in or out of `ifName` (the destination decides broadcast/multicast). */
export function countPacket(
  c: InterfaceCounters,
  ifName: string,
  dir: 'in' | 'out',
  ip: Uint8Array,
  now: number,
): void {
  const bytes = ip.length + linkHeaderBytes(ifName);
  const sample = sampleAt(c, now);
  if (dir === 'in') {
    sample.bitsIn += bytes * 8;
    sample.packetsIn++;
  } else {
    sample.bitsOut += bytes * 8;
    sample.packetsOut++;
  }
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
