/**
 * Anti-replay for group SAs.
 *
 * Time-based (Cisco TBAR, `replay time window-size W`, reference §1.13): each sender stamps a packet with its
 * pseudotime and a receiver accepts it when |PT_receiver - PT_sender| <= W. Cisco carries the stamp in a
 * private field whose encoding is unknown, so — to keep the ESP bytes exactly what tshark decrypts — the stamp
 * is simulator metadata: a per-lab book from (SPI, ICV) to the send time. The ICV is a keyed MAC over SPI,
 * sequence, IV and ciphertext, so it names one packet; a replayed copy carries the same ICV and so the old
 * stamp. Every member's pseudotime is the simulation clock (GDOI resynchronises members on each rekey).
 *
 * Counter-based (`replay counter window-size N`): the RFC 4303 §3.4.3 sliding window, kept per sender, since
 * members share one SA and each numbers its own packets (RFC 5374 §5; Cisco offers it for two-member groups).
 */
import type { Kernel } from '../../kernel/kernel';
import { type SimTime, seconds } from '../../kernel/time';
import { toHex } from '../../net/bytes';

/** Stamps older than this are forgotten: IOS caps the window at 100 s, so a replay of one fails anyway. */
const STAMP_RETENTION = seconds(300);

class PseudotimeBook {
  private readonly stamps = new Map<string, SimTime>();

  record(spi: number, icv: Uint8Array, sentAt: SimTime): void {
    this.prune(sentAt);
    this.stamps.set(`${spi}:${toHex(icv)}`, sentAt);
  }

  sentAt(spi: number, icv: Uint8Array): SimTime | undefined {
    return this.stamps.get(`${spi}:${toHex(icv)}`);
  }

  /** Map iteration is insertion order, which is send-time order. */
  private prune(now: SimTime): void {
    for (const [key, t] of this.stamps) {
      if (now - t <= STAMP_RETENTION) return;
      this.stamps.delete(key);
    }
  }
}

const books = new WeakMap<Kernel, PseudotimeBook>();

/** The lab-wide pseudotime book (one per kernel: every router of a lab shares it). */
export function pseudotimeBook(kernel: Kernel): PseudotimeBook {
  let b = books.get(kernel);
  if (!b) books.set(kernel, (b = new PseudotimeBook()));
  return b;
}

export type { PseudotimeBook };

/** The verdict of a time-based check, with the numbers IOS logs. */
export interface TimeCheck {
  readonly ok: boolean;
  readonly myPseudotime: SimTime;
  /** Undefined when the packet was never stamped (forged or long forgotten). */
  readonly peerPseudotime?: SimTime;
}

export function checkTimeWindow(
  book: PseudotimeBook,
  spi: number,
  icv: Uint8Array,
  now: SimTime,
  windowSeconds: number,
): TimeCheck {
  const peer = book.sentAt(spi, icv);
  const ok = peer !== undefined && Math.abs(now - peer) <= seconds(windowSeconds);
  return { ok, myPseudotime: now, peerPseudotime: peer };
}

/** RFC 4303 §3.4.3 receive window for one sender on one SA. */
export class ReplayWindow {
  private readonly size: number;
  private top = 0;
  private readonly seen = new Set<number>();

  constructor(size: number) {
    this.size = size;
  }

  /** True when `seq` is new and not left of the window (checked before the ICV, committed after). */
  check(seq: number): boolean {
    if (seq === 0) return false;
    if (seq > this.top) return true;
    if (seq + this.size <= this.top) return false;
    return !this.seen.has(seq);
  }

  /** Records an authenticated packet, sliding the window right when it is the newest. */
  commit(seq: number): void {
    if (seq > this.top) {
      this.top = seq;
      for (const s of this.seen) if (s + this.size <= this.top) this.seen.delete(s);
    }
    this.seen.add(seq);
  }
}
