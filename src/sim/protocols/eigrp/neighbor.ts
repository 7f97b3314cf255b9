import { bound } from '../../kernel/bound';
import type { Kernel } from '../../kernel/kernel';
import { millis, type SimTime } from '../../kernel/time';
import { Timer } from '../../kernel/timer';
import type { EigrpPacket } from '../../net/eigrp';
import type { Ipv4 } from '../../net/ipv4-address';
import { pathKey } from './topology';

/** IOS gives up on a neighbour after 16 retransmissions of one reliable packet (RFC 7868 §5.3.3). */
export const RETRY_LIMIT = 16;
/** RTO bounds IOS uses (ms): never below 200, never above 5000; 6 × SRTT in between. */
const RTO_MIN_MS = 200;
const RTO_MAX_MS = 5000;
/** Before the first round trip is measured. */
const RTO_INITIAL_MS = 1000;

/** A reliable packet before it gets its sequence number. */
export type ReliablePacket = Omit<EigrpPacket, 'sequence' | 'ack'>;

/** What a neighbour needs from its process: the clock, a wire and sequence numbers. */
export interface NeighborHost {
  readonly kernel: Kernel;
  /** Next sequence number of the process (RFC 7868 §5.3.1: one counter, never 0). */
  nextSequence(): number;
  /** Sends a packet unicast to the neighbour. */
  send(nbr: Neighbor, packet: EigrpPacket): void;
  holdExpired(nbr: Neighbor): void;
  retryLimitExceeded(nbr: Neighbor): void;
  /** Our INIT was acknowledged and the peer's INIT received: the adjacency may carry routes. */
  established(nbr: Neighbor): void;
}

interface InFlight {
  readonly packet: EigrpPacket;
  readonly firstSent: SimTime;
  retries: number;
}

/**
 * One EIGRP neighbour: the hold timer and the reliable transport (RTP, RFC 7868 §5.3). Updates, Queries and
 * Replies are sent one at a time (window 1), each acknowledged by a Hello with Ack = its sequence number and
 * retransmitted on RTO until acknowledged or the retry limit resets the neighbour.
 *
 * Simplification: IOS sends reliable multicast on interfaces with several neighbours (with the Sequence TLV and
 * conditional receive for laggards); here every reliable packet is unicast to each neighbour, which is what IOS
 * itself falls back to for a neighbour that does not acknowledge a multicast.
 */
export class Neighbor {
  readonly address: Ipv4;
  readonly interface: string;
  /** `pathKey(interface, address)`: how the process's maps name this neighbour (built once, read per flush). */
  readonly key: string;
  /** The H column: the order neighbours were learned in. */
  readonly handle: number;
  readonly since: SimTime;
  /** Seconds, from the neighbour's Parameters TLV (RFC 7868 §5.3.2: the receiver uses the sender's hold time). */
  holdTime: number;
  state: 'pending' | 'up' = 'pending';
  /** The last sequence number received from the neighbour (`Seq Num` column). */
  lastSequence = 0;
  /** Smoothed round-trip time in ms (0 until measured). */
  srtt = 0;
  initAcked = false;
  peerInitReceived = false;

  private readonly host: NeighborHost;
  private readonly holdTimer: Timer;
  private readonly retransmitTimer: Timer;
  /** Reliable packets not yet sent; undefined when none (most of the time: issue 18, fewer objects per copy). */
  private queue: ReliablePacket[] | undefined = undefined;
  private inFlight: InFlight | undefined;
  private closed = false;

  constructor(host: NeighborHost, address: Ipv4, iface: string, handle: number, holdTime: number) {
    this.host = host;
    this.address = address;
    this.interface = iface;
    this.key = pathKey(iface, address);
    this.handle = handle;
    this.holdTime = holdTime;
    this.since = host.kernel.now;
    this.holdTimer = new Timer(host.kernel, bound(this, this.holdExpired));
    this.retransmitTimer = new Timer(host.kernel, bound(this, this.retransmit));
    this.resetHold();
  }

  /** Any packet from the neighbour restarts its hold timer. */
  resetHold(): void {
    if (!this.closed) this.holdTimer.start(this.holdTime * 1_000_000);
  }

  /** Seconds left before the neighbour is declared down (the Hold column). */
  holdRemaining(): number {
    return Math.floor((this.holdTimer.remaining ?? 0) / 1_000_000);
  }

  /** RTO in ms, as `show ip eigrp neighbors` prints it. */
  get rto(): number {
    if (this.srtt === 0) return RTO_INITIAL_MS;
    return Math.min(RTO_MAX_MS, Math.max(RTO_MIN_MS, 6 * this.srtt));
  }

  /** Reliable packets waiting, including the one in flight (the Q Cnt column). */
  get queueCount(): number {
    return (this.queue?.length ?? 0) + (this.inFlight ? 1 : 0);
  }

  /** Queues a reliable packet; it leaves when every earlier one is acknowledged. */
  enqueue(packet: ReliablePacket): void {
    if (this.closed) return;
    (this.queue ??= []).push(packet);
    this.sendNext();
  }

  /** Handles the Ack field of any packet from the neighbour. */
  acknowledge(ack: number): void {
    const f = this.inFlight;
    if (ack === 0 || !f || f.packet.sequence !== ack) return;
    // Karn: only a packet acknowledged on its first transmission gives an RTT sample.
    if (f.retries === 0) this.sample((this.host.kernel.now - f.firstSent) / 1000);
    this.inFlight = undefined;
    this.retransmitTimer.stop();
    if (f.packet.flags & 0x1 && !this.initAcked) {
      this.initAcked = true;
      this.checkEstablished();
    }
    this.sendNext();
  }

  /**
   * Sequence check for a reliable packet from the neighbour: returns false for a duplicate (already seen; it
   * is acknowledged again and ignored). An INIT restarts the sequence space.
   */
  accept(sequence: number, init: boolean): boolean {
    if (!init && sequence <= this.lastSequence) return false;
    this.lastSequence = sequence;
    if (init && !this.peerInitReceived) {
      this.peerInitReceived = true;
      this.checkEstablished();
    }
    return true;
  }

  /**
   * Sends our INIT again when the one we sent was acknowledged but the peer never answered with its own (it
   * finished the handshake with an earlier incarnation of us). An INIT still in flight needs no second one.
   */
  reinit(init: ReliablePacket): void {
    if (this.closed || !this.initAcked || this.state !== 'pending') return;
    this.initAcked = false;
    this.enqueue(init);
  }

  /** Stops every timer and drops the queue (neighbour down). */
  close(): void {
    this.closed = true;
    this.holdTimer.stop();
    this.retransmitTimer.stop();
    this.queue = undefined;
    this.inFlight = undefined;
  }

  private checkEstablished(): void {
    if (this.state === 'pending' && this.initAcked && this.peerInitReceived) {
      this.state = 'up';
      this.host.established(this);
    }
  }

  private sample(ms: number): void {
    const rtt = Math.max(1, Math.round(ms));
    this.srtt = this.srtt === 0 ? rtt : Math.round(0.8 * this.srtt + 0.2 * rtt);
  }

  private sendNext(): void {
    if (this.inFlight || this.closed) return;
    const next = this.queue?.shift();
    if (this.queue?.length === 0) this.queue = undefined;
    if (!next) return;
    const packet: EigrpPacket = { ...next, sequence: this.host.nextSequence(), ack: 0 };
    this.inFlight = { packet, firstSent: this.host.kernel.now, retries: 0 };
    this.transmit();
  }

  private transmit(): void {
    const f = this.inFlight;
    if (!f) return;
    // The Ack field piggybacks the last sequence received (RFC 7868 §5.3.1).
    this.host.send(this, { ...f.packet, ack: this.lastSequence });
    this.retransmitTimer.start(millis(this.rto));
  }

  private holdExpired(): void {
    this.host.holdExpired(this);
  }

  private retransmit(): void {
    const f = this.inFlight;
    if (!f || this.closed) return;
    f.retries++;
    if (f.retries > RETRY_LIMIT) {
      this.host.retryLimitExceeded(this);
      return;
    }
    this.transmit();
  }
}
