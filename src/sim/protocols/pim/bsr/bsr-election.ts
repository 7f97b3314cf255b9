/**
 * The candidate-BSR comparisons of RFC 5059: which BSR is preferred (§3.1.1) and how long a new candidate waits
 * before claiming the role (§5, Rand_Override). Pure functions, so the election's arithmetic is tested alone.
 */
import type { SimTime } from '../../../kernel/time';
import type { Ipv4 } from '../../../net/ipv4-address';

/** A BSR as the election sees it. */
export interface BsrIdentity {
  readonly priority: number;
  readonly address: Ipv4;
}

/** RFC 5059 §3.1.1: the higher priority, then the higher address, is the preferred BSR. */
export function preferredBsr(a: BsrIdentity, b: BsrIdentity): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.address > b.address;
}

/**
 * RFC 5059 §5 Rand_Override, in µs: 5 + 2·log2(1 + bestPriority − myPriority) + AddrDelay seconds, where
 * AddrDelay is log2(1 + bestAddr − myAddr)/16 when our priority is the best, else 2 − myAddr/2^31. `stored` is
 * the BSR this router knew, if any. Deterministic: the best candidate claims first, without a draw.
 */
export function randOverride(me: BsrIdentity, stored: BsrIdentity | undefined): SimTime {
  const bestPriority = Math.max(stored?.priority ?? 0, me.priority);
  const addrDelay =
    bestPriority === me.priority
      ? Math.log2(1 + Math.max(0, (stored?.address ?? me.address) - me.address)) / 16
      : 2 - me.address / 2 ** 31;
  const delay = 5 + 2 * Math.log2(1 + bestPriority - me.priority) + addrDelay;
  return Math.round(delay * 1_000_000);
}
