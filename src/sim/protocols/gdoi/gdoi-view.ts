/**
 * Plain data for the page's GDOI panel (issue 5, deliverable 8): each member's key state and each key server's
 * counters, read from live state. Structured-clone safe (strings and numbers only) so it crosses the worker
 * boundary; the worker API re-exports these types.
 */
import type { Router } from '../../device/router';
import type { SimTime } from '../../kernel/time';
import { toHex } from '../../net/bytes';
import { formatIpv4 } from '../../net/ipv4-address';
import { espOf } from '../esp/esp-service';
import { gdoiOf } from './gdoi-service';
import { transformText } from '../esp/transform';
import type { GroupMember } from './gm';
import type { KeyServerGroup } from './ks';
import type { TekMaterial } from './material';

/** One TEK a member holds (newest first in `GdoiMemberView.teks`). */
export interface GdoiTekView {
  /** `0x9CAE4C22`, as IOS prints SPIs. */
  readonly spi: string;
  /** `esp-3des esp-md5-hmac` */
  readonly transform: string;
  readonly secondsToExpiry: number;
  /** True for the TEK outbound traffic is encrypted with now (the old one until 30 s before it expires). */
  readonly outbound: boolean;
}

export interface GdoiMemberView {
  readonly group: string;
  readonly identity: number;
  /** The key server it registers with (`server address ipv4`). */
  readonly keyServer: string;
  readonly status: 'Registering' | 'Registered';
  /** The newest TEK downloaded (registration or rekey): the group's current TEK. */
  readonly currentTekSpi?: string;
  /** The TEK before it, while it is still alive (decrypts until it expires). */
  readonly previousTekSpi?: string;
  /** The 16-byte KEK SPI (the cookie pair of every rekey), 32 upper-case hex digits. */
  readonly kekSpi?: string;
  /** Sequence number of the last rekey accepted (or the one registration primed). */
  readonly lastSeq: number;
  readonly tekSecondsToExpiry?: number;
  readonly kekSecondsToExpiry?: number;
  /** Until the member re-registers on its own (no rekey arrived in time). */
  readonly reregisterInSeconds?: number;
  readonly rekeysReceived: number;
  readonly rekeysAfterRegistration: number;
  readonly secondsSinceLastRekey?: number;
  /** Rekeys dropped: bad signature, old sequence number, unknown KEK, malformed. */
  readonly rekeysRejected: number;
  /** `multicast` (the KEK names a rekey group) or `unicast`; absent before registration. */
  readonly rekeyTransport?: 'multicast' | 'unicast';
  readonly teks: readonly GdoiTekView[];
}

export interface GdoiKsMemberView {
  readonly address: string;
  readonly rekeysSent: number;
  readonly rekeyRetries: number;
  /** Unicast rekeys only; multicast rekeys are not acknowledged. */
  readonly acksReceived: number;
  readonly acksMissed: number;
}

export interface GdoiKeyServerView {
  readonly group: string;
  readonly identity: number;
  readonly rekeyTransport: 'multicast' | 'unicast';
  /** The multicast rekey group, e.g. `239.10.10.1`. */
  readonly rekeyDestination?: string;
  readonly members: readonly GdoiKsMemberView[];
  /** The sequence number of the last push sent (retransmissions included; it restarts with each new KEK). */
  readonly seq: number;
  readonly rekeysSent: number;
  readonly rekeysRetransmitted: number;
  readonly kekSpi?: string;
  readonly kekSecondsToExpiry?: number;
  readonly tekSpi?: string;
  readonly tekSecondsToExpiry?: number;
  /** Members removed for unacknowledged unicast rekeys. */
  readonly removedMembers: readonly string[];
}

export interface GdoiView {
  readonly device: string;
  readonly now: SimTime;
  readonly members: readonly GdoiMemberView[];
  readonly keyServers: readonly GdoiKeyServerView[];
}

const spiText = (spi: number): string => `0x${spi.toString(16).toUpperCase().padStart(8, '0')}`;
const secondsTo = (t: SimTime, now: SimTime): number => Math.max(0, Math.floor((t - now) / 1_000_000));

export function gdoiView(router: Router): GdoiView {
  // A router without GDOI configured runs no GDOI service: no groups to show.
  const g = gdoiOf(router);
  const now = router.kernel.now;
  return {
    device: router.name,
    now,
    members: [...(g?.members.values() ?? [])].map((m) => memberView(router, m, now)),
    keyServers: [...(g?.keyServers.values() ?? [])].map((k) => keyServerView(k, now)),
  };
}

function memberView(router: Router, gm: GroupMember, now: SimTime): GdoiMemberView {
  const live = gm.teks.filter((t) => t.expiresAt > now);
  const esp = espOf(router);
  const policy = esp?.groupPolicy(gm.binding.cryptoMap, gm.binding.group);
  const outbound = policy ? esp?.currentTek(policy, now)?.spi : undefined;
  const [current, previous] = live;
  const kek = gm.kek;
  return {
    group: gm.binding.group,
    identity: gm.binding.identity,
    keyServer: formatIpv4(gm.binding.server),
    status: gm.status,
    ...(current
      ? { currentTekSpi: spiText(current.spi), tekSecondsToExpiry: secondsTo(current.expiresAt, now) }
      : {}),
    ...(previous ? { previousTekSpi: spiText(previous.spi) } : {}),
    ...(kek
      ? {
          kekSpi: toHex(kek.spi).toUpperCase(),
          kekSecondsToExpiry: secondsTo(kek.expiresAt, now),
          rekeyTransport: kek.destination !== 0 ? ('multicast' as const) : ('unicast' as const),
        }
      : {}),
    lastSeq: gm.lastSeq,
    ...(gm.status === 'Registered' && gm.reregisterDue !== undefined
      ? { reregisterInSeconds: secondsTo(gm.reregisterDue, now) }
      : {}),
    rekeysReceived: gm.rekeysCumulative,
    rekeysAfterRegistration: gm.rekeysAfterRegistration,
    ...(gm.lastRekeyAt !== undefined
      ? { secondsSinceLastRekey: Math.floor((now - gm.lastRekeyAt) / 1_000_000) }
      : {}),
    rekeysRejected: gm.rejected.length,
    teks: live.map((t: TekMaterial) => ({
      spi: spiText(t.spi),
      transform: transformText(t.transform),
      secondsToExpiry: secondsTo(t.expiresAt, now),
      outbound: t.spi === outbound,
    })),
  };
}

function keyServerView(ks: KeyServerGroup, now: SimTime): GdoiKeyServerView {
  const tek = ks.teks[0];
  const dest = ks.policy.rekeyDestination;
  return {
    group: ks.name,
    identity: ks.policy.identity,
    rekeyTransport: ks.multicast ? 'multicast' : 'unicast',
    ...(dest !== undefined ? { rekeyDestination: formatIpv4(dest) } : {}),
    members: [...ks.members.values()].map((m) => ({
      address: formatIpv4(m.address),
      rekeysSent: m.rekeysSent,
      rekeyRetries: m.rekeyRetries,
      acksReceived: m.acksReceived,
      acksMissed: m.acksMissed,
    })),
    seq: ks.sent.at(-1)?.seq ?? 0,
    rekeysSent: ks.rekeysSent,
    rekeysRetransmitted: ks.rekeysRetransmitted,
    ...(ks.kek
      ? { kekSpi: toHex(ks.kek.spi).toUpperCase(), kekSecondsToExpiry: secondsTo(ks.kek.expiresAt, now) }
      : {}),
    ...(tek ? { tekSpi: spiText(tek.spi), tekSecondsToExpiry: secondsTo(tek.expiresAt, now) } : {}),
    removedMembers: ks.removed.map((r) => formatIpv4(r.address)),
  };
}
