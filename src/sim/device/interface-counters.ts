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
  /** The 5-minute rates: a running average and the open 5-second interval (constant size, see below). */
  readonly rates: InterfaceRates;
}

/** Bits and packets in and out, per second (a rate) or per 5-second interval (a sample). */
export interface RateValues {
  bitsIn: number;
  packetsIn: number;
  bitsOut: number;
  packetsOut: number;
}

/**
 * The running 5-minute averages as of the start of the open interval `interval`, and the traffic counted in
 * that open interval so far. Constant size whatever the simulated time (a list of samples grew with it).
 */
export interface InterfaceRates {
  interval: number;
  readonly average: RateValues;
  readonly open: RateValues;
}

/**
 * IOS's interface rates (Cisco, "What is the definition of bits/sec in the output of the show interfaces
 * command?", document 12816): "Take the difference every 5 seconds to calculate the rate", and
 * new average = ((average - interval) * exp(-t/C)) + interval, t = 5 s, C = 5 minutes (the `load-interval`,
 * 300 s by default). A running average: its state is the last average, so nothing grows with time.
 */
const SAMPLE_US = 5_000_000;
const LOAD_INTERVAL_S = 300;
const DECAY = Math.exp(-5 / LOAD_INTERVAL_S);

function zeroRates(): RateValues {
  return { bitsIn: 0, packetsIn: 0, bitsOut: 0, packetsOut: 0 };
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
    // Present from the start (undefined until the first packet): every interface's counters then share one
    // object shape, so the per-packet count reads and writes them without a shape check per interface.
    lastInput: undefined,
    lastOutput: undefined,
    rates: { interval: 0, average: zeroRates(), open: zeroRates() },
  };
}

/**
 * The average after the open interval and the empty ones up to `interval` (exclusive) are folded in: the open
 * sample once, then a decay per empty interval. Writes into `into` (may be `r.average`).
 */
function foldedAverage(r: InterfaceRates, interval: number, into: RateValues): RateValues {
  const empty = interval - r.interval - 1;
  const a = r.average;
  if (empty < 0) {
    into.bitsIn = a.bitsIn;
    into.packetsIn = a.packetsIn;
    into.bitsOut = a.bitsOut;
    into.packetsOut = a.packetsOut;
    return into;
  }
  // Field by field (not a loop over key names): run per interface every 5 simulated seconds (issue 18).
  const decayEmpty = DECAY ** empty;
  const o = r.open;
  into.bitsIn = fold(a.bitsIn, o.bitsIn, decayEmpty);
  into.packetsIn = fold(a.packetsIn, o.packetsIn, decayEmpty);
  into.bitsOut = fold(a.bitsOut, o.bitsOut, decayEmpty);
  into.packetsOut = fold(a.packetsOut, o.packetsOut, decayEmpty);
  return into;
}

/** One average after one interval of `counted` then `decayEmpty` (the decays of the empty intervals after it). */
function fold(average: number, counted: number, decayEmpty: number): number {
  const sample = counted / 5;
  return ((average - sample) * DECAY + sample) * decayEmpty;
}

/** The open sample of `now`'s 5-second interval, after the intervals before it are folded into the average. */
function sampleAt(r: InterfaceRates, now: number): RateValues {
  const interval = Math.floor(now / SAMPLE_US);
  if (interval === r.interval) return r.open;
  foldedAverage(r, interval, r.average);
  const o = r.open;
  o.bitsIn = 0;
  o.packetsIn = 0;
  o.bitsOut = 0;
  o.packetsOut = 0;
  r.interval = interval;
  return o;
}

/** The "5 minute input/output rate … bits/sec, … packets/sec" at `now` (completed 5-second intervals). */
export function fiveMinuteRates(c: InterfaceCounters, now: number): RateValues {
  const rate = foldedAverage(c.rates, Math.floor(now / SAMPLE_US), zeroRates());
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
  const sample = sampleAt(c.rates, now);
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
