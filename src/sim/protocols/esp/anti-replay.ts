/**
 * Anti-replay for group SAs.
 *
 * Time-based (Cisco TBAR, `replay time window-size W`; Cisco, User Guide for Cisco Security Manager 4.4, ch.
 * 28, GET VPN): each sender stamps a packet with its
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

/** Stamps older than this are forgotten: IOS caps the window at 100 s, so a replay of one fails anyway. */
const STAMP_RETENTION = seconds(300);

/**
 * One stamp: its key in the book, the rest of the ICV (to tell two packets apart whose keys collide) and the
 * send time. The key is kept on the stamp so the send-order queue holds the stamps themselves (one object per
 * packet, not two).
 */
interface Stamp {
  readonly key: number;
  readonly spi: number;
  readonly icvTail: number;
  readonly sentAt: SimTime;
}

/** 48 bits of `icv` from byte `at` on, as a number (ICVs are MAC outputs: uniformly distributed). */
function icvBits(icv: Uint8Array, at: number): number {
  let n = 0;
  for (let i = at; i < at + 6; i++) n = n * 256 + (icv[i] ?? 0);
  return n;
}

export class PseudotimeBook {
  /**
   * Keyed by the ICV's first 48 bits, not a hex string: every ESP packet of a lab is stamped, so this book is
   * on the per-packet path and holds a few hundred thousand stamps in a 1000-spoke lab.
   */
  private readonly stamps = new Map<number, Stamp>();
  /**
   * Every recorded stamp in send-time order (the kernel clock never goes back), read from `head`. `prune`
   * used to walk the Map from the front, past the holes its own deletions leave, which cost 40 % of self
   * time in a 1000-spoke steady state (issue 18); a FIFO pops expired stamps in O(1) each.
   */
  private queue: Stamp[] = [];
  private head = 0;

  record(spi: number, icv: Uint8Array, sentAt: SimTime): void {
    this.prune(sentAt);
    const key = icvBits(icv, 0);
    // Frozen: a stamp never changes, so a checkpoint shares it instead of copying it (issue 18: a 1000-spoke lab
    // holds ~170,000 stamps, a fifth of its objects).
    const stamp: Stamp = Object.freeze({ key, spi, icvTail: icvBits(icv, 6), sentAt });
    this.stamps.set(key, stamp);
    this.queue.push(stamp);
  }

  sentAt(spi: number, icv: Uint8Array): SimTime | undefined {
    const s = this.stamps.get(icvBits(icv, 0));
    return s && s.spi === spi && s.icvTail === icvBits(icv, 6) ? s.sentAt : undefined;
  }

  /** Number of stamps still remembered (for tests). */
  get size(): number {
    return this.stamps.size;
  }

  /**
   * Forgets stamps older than the retention. A queue entry whose key was stamped again later is stale: it
   * is dropped without touching the Map, which holds the newer stamp.
   */
  private prune(now: SimTime): void {
    const q = this.queue;
    while (this.head < q.length) {
      const e = q[this.head];
      if (e === undefined || now - e.sentAt <= STAMP_RETENTION) break;
      if (this.stamps.get(e.key) === e) this.stamps.delete(e.key);
      this.head++;
    }
    // Compact once the consumed prefix dominates, so memory follows the live stamps (amortised O(1)).
    if (this.head > 1024 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
  }
}

/** The book's key in `Kernel.labState`. */
const BOOK = 'esp pseudotime book';

/**
 * The lab-wide pseudotime book (one per kernel: every router of a lab shares it). It lives on the kernel, not
 * in a module WeakMap, so a checkpoint of the lab carries it (issue 18).
 */
export function pseudotimeBook(kernel: Kernel): PseudotimeBook {
  const kept = kernel.labState.get(BOOK);
  if (kept instanceof PseudotimeBook) return kept;
  const b = new PseudotimeBook();
  kernel.labState.set(BOOK, b);
  return b;
}

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
