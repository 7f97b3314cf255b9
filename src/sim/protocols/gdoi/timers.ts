/**
 * GET VPN timing (Cisco 116737, "GETVPN KEK Rekey Behavior Change"; `show crypto gdoi`), as the article's
 * IOS shows it:
 *  - the KEK is rekeyed when it reaches the end of its `rekey lifetime` (article: lifetime 300, 4 rekeys in
 *    ~1480 s, remaining lifetimes 71 s at SA remaining 3072 s and 22 s at 2123 s: a 300 s period);
 *  - a TEK is rekeyed ahead of its expiry by max(90 s, 5 % of its lifetime, retransmit period × (n + 1)) so that
 *    every retransmission lands before the old TEK dies [M];
 *  - a member re-registers 100–160 s (drawn from its PRNG) before its newest TEK expires unless a rekey brings a
 *    newer one first (the article's GM: remaining 3594 s, "Reregisters in 3436 secs") [M].
 */
import { seconds, type SimTime } from '../../kernel/time';
import type { Prng } from '../../kernel/prng';

export function tekRekeyLead(lifetime: number, retransmit: { interval: number; count: number }): SimTime {
  return seconds(Math.max(90, Math.floor(lifetime * 0.05), retransmit.interval * (retransmit.count + 1)));
}

/** When a member re-registers for a TEK that expires at `expiresAt`. */
export function reregisterAt(now: SimTime, expiresAt: SimTime, prng: Prng): SimTime {
  const remaining = expiresAt - now;
  const lead = seconds(100 + prng.nextInt(0, 60));
  // Very short lifetimes: re-register in the last fifth instead.
  return now + Math.max(seconds(1), lead < remaining * 0.8 ? remaining - lead : Math.floor(remaining * 0.8));
}

/**
 * [M] How long after its KEK's lifetime ends a member re-registers when no KEK rekey came (Cisco 116737: the
 * GM "triggers a reregistration if the KEK rekey is not received"). The article's key server sends each KEK
 * rekey as the current KEK ends (4 rekeys in ~1480 s at `rekey lifetime 300`, not the 15.2(1)T "at least 200
 * seconds before"), so the rekey arrives a second after the member's copy of the KEK runs out; a few seconds
 * of grace let it arrive instead of re-registering every member at every KEK rekey.
 */
export const KEK_EXPIRY_GRACE = seconds(5);

/** When a member whose KEK expires at `expiresAt` re-registers if no KEK rekey arrives first. */
export function kekReregisterAt(now: SimTime, expiresAt: SimTime): SimTime {
  return Math.max(now + seconds(1), expiresAt + KEK_EXPIRY_GRACE);
}
