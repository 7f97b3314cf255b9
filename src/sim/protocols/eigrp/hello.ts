import type { Prng } from '../../kernel/prng';
import { seconds, type SimTime } from '../../kernel/time';
import { EIGRP_OPCODE, type EigrpPacket, type EigrpTlv } from '../../net/eigrp';
import { DEFAULT_K } from './metric';

/** The K values of a Parameters TLV (RFC 7868 §5.3.2, §6.7.1). */
export type KValues = Readonly<Record<'k1' | 'k2' | 'k3' | 'k4' | 'k5' | 'k6', number>>;

/** Every K value 255: the goodbye that tells neighbours to drop us now (IOS "PEER-TERMINATION"). */
export const PEER_TERMINATION_K: KValues = { k1: 255, k2: 255, k3: 255, k4: 255, k5: 255, k6: 255 };

/** Classic IOS software-version TLV: 12.4 / 1.2 ([M] IOS does not publish the values per release). */
const SOFTWARE_VERSION: EigrpTlv = { kind: 'software-version', release: [12, 4], tlvVersion: [1, 2] };

/** A Hello of AS `as` advertising `hold` seconds and the K values `k` (RFC 7868 §5.3.2). */
export function helloPacket(as: number, hold: number, k: KValues): EigrpPacket {
  return {
    opcode: EIGRP_OPCODE.HELLO,
    flags: 0,
    sequence: 0,
    ack: 0,
    vrid: 0,
    as,
    tlvs: [{ kind: 'parameters', ...k, holdTime: hold }, SOFTWARE_VERSION],
  };
}

const kList = (k: KValues): number[] => [k.k1, k.k2, k.k3, k.k4, k.k5, k.k6];

/** What a received Parameters TLV means for the adjacency: goodbye, K mismatch (RFC 7868 §5.3.2), or fine. */
export function helloVerdict(k: KValues): 'peer-termination' | 'k-mismatch' | 'ok' {
  const theirs = kList(k);
  if (theirs.every((v) => v === 255)) return 'peer-termination';
  const ours = kList(DEFAULT_K);
  return theirs.some((v, i) => v !== ours[i]) ? 'k-mismatch' : 'ok';
}

/**
 * The next hello comes a little before the interval is up, never after it: published `debug eigrp packets` shows
 * IOS's 5 s hellos leaving 4 to 5 s apart ("00:01:05: EIGRP: Sending HELLO on FastEthernet0/0" then "00:01:09"),
 * and `show ip eigrp neighbors` holds of 10 to 13 s against a 15 s hold time (itcertnotes.blogspot.com, "EIGRP
 * debug commands"; labs4ccnp.blogspot.com, "EIGRP protocol messages"). [INF] The 15 % bound is ours: it keeps
 * hellos from every router from falling in step, as they would at exact intervals. Drawn from the lab's PRNG.
 */
export function jitteredHello(intervalSeconds: number, prng: Prng): SimTime {
  const interval = seconds(intervalSeconds);
  return interval - prng.nextInt(0, Math.floor(interval * 0.15));
}
