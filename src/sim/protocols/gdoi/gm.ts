/**
 * A GDOI group member (`crypto map M 10 gdoi / set group G` on an interface): registration to the group's key
 * server from the crypto map's `local-address`, the downloaded KEK and TEKs, rekey processing (signature,
 * sequence, KEK switch, TEK overlap) and re-registration before the newest TEK expires when rekeys stop coming.
 * The TEKs go to ESP through `installGroupPolicy` at registration and after every rekey.
 */
import type { ExtendedAce } from '../../config/model';
import { importRsaPublicKey } from '../../crypto';
import type { LazyText, PacketContext, Router } from '../../device/router';
import type { IkeSa } from '../ike/ike-sa';
import { bound } from '../../kernel/bound';
import type { Prng } from '../../kernel/prng';
import { millis, seconds, type SimTime } from '../../kernel/time';
import { Timer } from '../../kernel/timer';
import { bytesEqual, toHex } from '../../net/bytes';
import { formatIpv4, type Ipv4, isMulticast } from '../../net/ipv4-address';
import {
  GDOI_PORT,
  type IsakmpPayload,
  KEK_ATTR,
  attrNumber,
  KD_TYPE,
  decodeIsakmpHeader,
} from '../../net/isakmp';
import type { IkeService } from '../ike/ike-service';
import type { EspService } from '../esp/esp-service';
import type { GroupPolicy, GroupTek } from '../esp/group-policy';
import { buildPushAck } from './ack';
import { DEBUG_GDOI, DEBUG_GDOI_REKEY } from './ks';
import type { KekMaterial, TekMaterial } from './material';
import { kekFrom, teksFrom } from './payloads';
import type { PullEngine, PullResult } from './pull';
import { openPush } from './push';
import { kekReregisterAt, reregisterAt } from './timers';

/**
 * [M] A member's processing time for a push, fitted to the article's `debug crypto gdoi ks rekey` on GM-1:
 * 44 ms from "Received Rekey Message!" (36.975) to "Signature Valid!" (37.019), then about 4 ms per step
 * (33 more lines to 37.151).
 */
export const SIGNATURE_CHECK_TIME = millis(44);
export const REKEY_STEP_TIME = millis(4);

/** A registration that has not completed in this time is abandoned and retried (IOS retries every 60 s). */
export const REGISTRATION_RETRY = seconds(60);

/** IOS prints the KEK algorithm with its IKE encryption numbers (DES 1, 3DES 5, AES 7) in the rekey debug. */
const IOS_KEK_ALG: Readonly<Record<string, number>> = { des: 1, '3des': 5, aes: 7 };

/**
 * [M] The number in the article's `Multicast Rekey from KS 2`. Read as the rekey transport (the `Rekey
 * Transport Type` of `show crypto gdoi`), coded unicast 1 / multicast 2; the article shows only the multicast
 * value. It could also be the count of key packets (2 there); either reading gives the article's line.
 */
const REKEY_TRANSPORT = { Unicast: 1, Multicast: 2 } as const;

/** RFC 2407 §4.5: SA attribute types 32001-32767 are private use (Cisco's TBAR settings travel there). */
function hasPrivateAttribute(attributes: readonly { type: number }[]): boolean {
  return attributes.some((a) => a.type >= 32001 && a.type <= 32767);
}

export interface GmBinding {
  readonly group: string;
  readonly identity: number;
  readonly server: Ipv4;
  readonly cryptoMap: string;
  readonly local: Ipv4;
}

export class GroupMember {
  binding: GmBinding;
  readonly router: Router;
  status: 'Registering' | 'Registered' = 'Registering';
  kek: KekMaterial | undefined;
  previousKek: KekMaterial | undefined;
  teks: TekMaterial[] = [];
  lastSeq = 0;
  private readonly lastSeqByKek = new Map<string, number>();
  rekeysCumulative = 0;
  rekeysAfterRegistration = 0;
  /** Unicast rekey acknowledgements sent (`show crypto gdoi gm rekey`). */
  acksSent = 0;
  lastRekeyAt: SimTime | undefined;
  lastRekeyFrom: Ipv4 | undefined;
  lastRekeySeq = 0;
  registeredAt: SimTime | undefined;
  succeededRegistrations = 0;
  attemptedRegistrations = 0;
  registeredWith: Ipv4 | undefined;
  /** Rekeys rejected, by reason (tests and the panel). */
  readonly rejected: { reason: 'signature' | 'sequence' | 'unknown-kek' | 'malformed'; time: SimTime }[] = [];
  private verifier: CryptoKey | undefined;
  private readonly ike: IkeService;
  private readonly esp: EspService;
  private readonly pull: PullEngine;
  private readonly prng: Prng;
  private readonly registerTimer: Timer;
  private readonly reregisterTimer: Timer;
  private readonly expiryTimer: Timer;
  /** GM version 1.0.4 (IOS 15.2(1)T+): the KEK's own lifetime timer; re-registers when it runs out. */
  private readonly kekTimer: Timer;
  /** When the TEK-driven and the KEK-driven re-registrations are due; "GM Reregisters in" shows the first. */
  private tekReregisterDue: SimTime | undefined;
  private kekReregisterDue: SimTime | undefined;
  private pending: { connId: number; mid: number } | undefined;
  /** The processing clock of the push being processed (see receivePush). */
  private pace: { at: SimTime } | undefined;
  /** The message ID of the GROUPKEY-PULL our keys came from: IOS prints it for each key packet of a push. */
  registrationMid = 0;

  constructor(router: Router, ike: IkeService, esp: EspService, pull: PullEngine, binding: GmBinding) {
    this.router = router;
    this.ike = ike;
    this.esp = esp;
    this.pull = pull;
    this.binding = binding;
    this.prng = router.kernel.prng.fork(`gdoi gm ${router.name} ${binding.group}`);
    // Bound methods, not closures, so a checkpoint copies the timers with the member (kernel/bound.ts).
    this.registerTimer = new Timer(router.kernel, bound(this, this.register));
    this.reregisterTimer = new Timer(router.kernel, bound(this, this.reregister));
    this.expiryTimer = new Timer(router.kernel, bound(this, this.install));
    this.kekTimer = new Timer(router.kernel, bound(this, this.kekExpired));
  }

  /** Cisco 116737: "Reregisters in" counts down to the TEK- or KEK-driven re-registration, whichever comes first. */
  get reregisterDue(): SimTime | undefined {
    const due = [this.tekReregisterDue, this.kekReregisterDue].filter((t): t is SimTime => t !== undefined);
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  get name(): string {
    return this.binding.group;
  }

  /** Starts (or restarts) registration after `delay`. */
  scheduleRegistration(delay: SimTime): void {
    this.registerTimer.start(delay);
  }

  stop(): void {
    this.registerTimer.stop();
    this.reregisterTimer.stop();
    this.expiryTimer.stop();
    this.kekTimer.stop();
    this.esp.removeGroupPolicy(this.binding.cryptoMap, this.binding.group);
  }

  private debug(text: LazyText): void {
    this.router.debugLog(DEBUG_GDOI, text);
  }

  /**
   * One step of push processing: the clock of the push being processed moves on by `cost`, and the debug line
   * (when `debug crypto gdoi [gm|ks] rekey` or `debug crypto gdoi` is on) is printed at that time.
   */
  private rekeyDebug(text: string, cost: SimTime = REKEY_STEP_TIME): void {
    if (this.pace) this.pace.at += cost;
    if (this.router.debug.has(DEBUG_GDOI_REKEY) || this.router.debug.has(DEBUG_GDOI))
      this.paced('debug', text);
  }

  /** Logs now, or at the processing clock of the push being processed (lines advance as the work does). */
  private paced(level: 'syslog' | 'debug', text: string): void {
    const delay = this.pace ? this.pace.at - this.router.kernel.now : 0;
    if (delay <= 0) this.router.log(level, text);
    else this.router.kernel.schedule(delay, bound(this.router, this.router.log, level, text));
  }

  /** Runs `work` when the push being processed is done (now when none is). */
  private whenProcessed(work: () => void | Promise<void>): void {
    const delay = this.pace ? this.pace.at - this.router.kernel.now : 0;
    if (delay <= 0) this.router.kernel.track(Promise.resolve(work()));
    else this.router.kernel.schedule(delay, work);
  }

  async register(): Promise<void> {
    const b = this.binding;
    this.attemptedRegistrations++;
    this.router.log(
      'syslog',
      `%CRYPTO-5-GM_REGSTER: Start registration to KS ${formatIpv4(b.server)} for group ${b.group} using address ${formatIpv4(b.local)}`,
    );
    // Retry if nothing completes (no route, wrong key, KS down).
    this.registerTimer.start(REGISTRATION_RETRY);
    await this.ike.initiate(b.local, b.server, GDOI_PORT, bound(this, this.phase1Done, b));
  }

  /** Phase 1 to the KS of `b` is up (or failed: undefined): GROUPKEY-PULL starts under it. */
  private async phase1Done(b: GmBinding, sa: IkeSa | undefined): Promise<void> {
    if (!sa) {
      this.debug(
        `GDOI:GM:(${b.group}):Registration to KS ${formatIpv4(b.server)} failed: phase 1 did not complete`,
      );
      return;
    }
    if (this.pending) this.pull.abandon(sa, this.pending.mid);
    const mid = await this.pull.start(sa, b.identity, bound(this, this.registered));
    this.pending = { connId: sa.connId, mid };
  }

  private async reregister(): Promise<void> {
    this.router.log(
      'syslog',
      `%GDOI-4-GM_RE_REGISTER: The IPSec SA created for group ${this.binding.group} may have expired/been cleared, or didn't go through. Re-register to KS.`,
    );
    await this.register();
  }

  private async registered(r: PullResult | undefined): Promise<void> {
    const mid = this.pending?.mid ?? 0;
    this.pending = undefined;
    if (!r) return;
    this.registrationMid = mid;
    const b = this.binding;
    this.registerTimer.stop();
    if (r.kek) await this.adoptKek(r.kek);
    // A registration hands over the group's current KEK and SEQ: pushes under any older KEK are stale.
    this.previousKek = undefined;
    this.teks = mergeTeks(r.teks, this.teks, this.router.kernel.now);
    this.lastSeq = r.seq;
    // RFC 6407 §3 and §4: the SEQ of PULL message 4 primes push anti-replay; it never lowers what was accepted.
    if (this.kek) {
      const spi = toHex(this.kek.spi);
      this.lastSeqByKek.set(spi, Math.max(this.lastSeqByKek.get(spi) ?? 0, r.seq));
    }
    this.status = 'Registered';
    this.registeredWith = b.server;
    this.registeredAt = this.router.kernel.now;
    this.succeededRegistrations++;
    this.rekeysAfterRegistration = 0;
    const ks = formatIpv4(b.server);
    const me = formatIpv4(b.local);
    this.router.log(
      'syslog',
      `%GDOI-5-GM_REGS_COMPL: Registration to KS ${ks} complete for group ${b.group} using address ${me}`,
    );
    this.router.log(
      'syslog',
      `%GDOI-5-GM_INSTALL_POLICIES_SUCCESS: SUCCESS: Installation of Reg/Rekey policies from KS ${ks} for group ${b.group} & gm identity ${me}`,
    );
    this.install();
    this.scheduleReregistration();
  }

  private async adoptKek(kek: KekMaterial): Promise<void> {
    const spi = toHex(kek.spi);
    if (this.kek && toHex(this.kek.spi) !== spi) this.previousKek = this.kek;
    // RFC 6407 §4 / the article's IOS debug "New Kek is received, reset last_seq_num to 0": the replay counter
    // starts again only for a KEK never seen before; a KEK repeated by a TEK rekey keeps its counter.
    if (!this.lastSeqByKek.has(spi)) this.lastSeqByKek.set(spi, 0);
    this.kek = kek;
    // Counters of KEKs we no longer hold are dropped: a push under them is refused as an unknown KEK anyway.
    const held = new Set([spi, ...(this.previousKek ? [toHex(this.previousKek.spi)] : [])]);
    for (const k of [...this.lastSeqByKek.keys()]) if (!held.has(k)) this.lastSeqByKek.delete(k);
    this.verifier = await importRsaPublicKey(kek.sigKey);
    this.scheduleKekExpiry();
  }

  private scheduleReregistration(): void {
    const newest = this.teks[0];
    if (!newest) return;
    const now = this.router.kernel.now;
    const at = reregisterAt(now, newest.expiresAt, this.prng);
    this.tekReregisterDue = at;
    this.reregisterTimer.start(at - now);
  }

  /** Arms the KEK lifetime timer for the KEK just adopted (registration or rekey). */
  private scheduleKekExpiry(): void {
    if (!this.kek) return;
    const now = this.router.kernel.now;
    const at = kekReregisterAt(now, this.kek.expiresAt);
    this.kekReregisterDue = at;
    this.kekTimer.start(at - now);
  }

  /**
   * Cisco 116737 ("GETVPN KEK Rekey Behavior Change", IOS 15.2(1)T / GM version 1.0.4): "The GM maintains a
   * timer to keep track of the remaining KEK lifetime and triggers a reregistration if the KEK rekey is not
   * received." The registration replaces the expired KEK (and forgets the one before it).
   */
  private async kekExpired(): Promise<void> {
    this.kekReregisterDue = undefined;
    this.debug(`GDOI:GM:(${this.binding.group}):KEK lifetime expired without a KEK rekey`);
    this.reregisterTimer.stop();
    this.tekReregisterDue = undefined;
    await this.reregister();
  }

  /**
   * `clear crypto gdoi [group]` and `clear crypto sa` on a member: its KEK and TEKs are deleted and it
   * registers again at once (Cisco "GET VPN GM Removal and Policy Trigger", table 1: after `clear crypto sa`
   * the GM "will re-register and download" the group's SAs again). `clear crypto sa` logs what published IOS
   * output shows for it (`%GDOI-4-GM_RE_REGISTER`); the `%GDOI-5-GM_CLEAR_REGISTER` wording is [M].
   */
  async clear(command: 'gdoi' | 'sa'): Promise<void> {
    if (command === 'gdoi')
      this.router.log(
        'syslog',
        `%GDOI-5-GM_CLEAR_REGISTER: Config: GM cleared gdoi configuration for the group ${this.binding.group}.`,
      );
    this.reregisterTimer.stop();
    this.kekTimer.stop();
    this.expiryTimer.stop();
    this.tekReregisterDue = undefined;
    this.kekReregisterDue = undefined;
    this.kek = undefined;
    this.previousKek = undefined;
    this.verifier = undefined;
    this.teks = [];
    this.status = 'Registering';
    this.registeredWith = undefined;
    this.esp.removeGroupPolicy(this.binding.cryptoMap, this.binding.group);
    if (command === 'sa') await this.reregister();
    else await this.register();
  }

  /** Hands the live TEKs (newest first) to ESP and wakes up when the next one expires. */
  install(): void {
    const now = this.router.kernel.now;
    this.teks = this.teks.filter((t) => t.expiresAt > now);
    const acl = this.teks[0]?.acl ?? [];
    const teks: GroupTek[] = this.teks.map((t) => ({
      spi: t.spi,
      transform: t.transform,
      encryptionKey: t.encryptionKey,
      integrityKey: t.integrityKey,
      installedAt: t.createdAt,
      expiresAt: t.expiresAt,
      ...(t.replay ? { replay: t.replay } : {}),
    }));
    const policy: GroupPolicy = { group: this.binding.group, acl, teks };
    if (teks.length === 0) this.esp.removeGroupPolicy(this.binding.cryptoMap, this.binding.group);
    else this.esp.installGroupPolicy(this.binding.cryptoMap, policy);
    const next = Math.min(...this.teks.map((t) => t.expiresAt));
    if (Number.isFinite(next)) this.expiryTimer.start(next - now);
  }

  /** True when this member holds the KEK a push's cookies name. */
  knowsKek(cookies: Uint8Array): boolean {
    return this.kekNamed(cookies) !== undefined;
  }

  /** The current or previous KEK whose SPI is `cookies` (a push's cookie pair). */
  private kekNamed(cookies: Uint8Array): KekMaterial | undefined {
    return [this.kek, this.previousKek].find((k) => k !== undefined && bytesEqual(k.spi, cookies));
  }

  /**
   * A GROUPKEY-PUSH whose cookies name one of our KEKs. It is checked at once (replay state changes
   * atomically), while what can be seen of it (debug and syslog lines, the new keys reaching ESP, the ACK)
   * follows the member's processing time.
   */
  async receivePush(ctx: PacketContext, bytes: Uint8Array): Promise<void> {
    this.pace = { at: this.router.kernel.now };
    try {
      await this.processPush(ctx, bytes);
    } finally {
      this.pace = undefined;
    }
  }

  private async processPush(ctx: PacketContext, bytes: Uint8Array): Promise<void> {
    const h = decodeIsakmpHeader(bytes);
    const cookies = new Uint8Array([...h.initiatorCookie, ...h.responderCookie]);
    const kek = this.kekNamed(cookies);
    const connId = this.ike.findEstablished(this.binding.local, this.binding.server)?.connId ?? 0;
    const tag = `GDOI:INFRA:(${this.binding.group}:${connId})`;
    if (!kek || !this.verifier) {
      this.reject(ctx, 'unknown-kek', 'no KEK with the rekey SPI');
      return;
    }
    this.rekeyDebug(`${tag}:Received Rekey Message!`, 0);
    const opened = await openPush(bytes, kek, this.verifier);
    if (!opened.ok) {
      this.rekeyDebug(`${tag}:Signature Invalid!`, SIGNATURE_CHECK_TIME);
      this.reject(ctx, opened.reason === 'signature' ? 'signature' : 'malformed', opened.detail);
      return;
    }
    this.rekeyDebug(`${tag}:Signature Valid!`, SIGNATURE_CHECK_TIME);
    const seqPayload = opened.payloads.find((p) => p.kind === 'seq');
    const seq = seqPayload?.kind === 'seq' ? seqPayload.sequence : 0;
    const last = this.lastSeqByKek.get(toHex(kek.spi)) ?? 0;
    const id = `(${connId})`;
    this.rekeyDebug(`GDOI:INFRA:${id}:received payload type 18`);
    this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI Seq Payload, message_id  ${h.messageId}`);
    if (seq <= last) {
      this.paced(
        'syslog',
        `%GDOI-3-GDOI_REKEY_SEQ_FAILURE: Failed to process rekey seq # ${seq} in seq payload for group ${this.binding.group}, last seq # ${last}`,
      );
      this.reject(ctx, 'sequence', `seq ${seq} is not above ${last}`);
      return;
    }
    this.lastSeqByKek.set(toHex(kek.spi), seq);
    // The previous KEK only carries the retransmissions of the rekey that replaced it: once a push arrives
    // under the current KEK, nothing under the previous one can be news, only a replay.
    if (kek === this.kek) this.previousKek = undefined;
    this.rekeyDebug(`GDOI:INFRA:${id}:Completed SEQ Processing for seq ${seq}`);
    // A unicast rekey is acknowledged (RFC 8263; Cisco GET VPN Configuration Guide, "Unicast Rekeying": "after
    // receiving the rekey message from the key server, a group member sends an encrypted acknowledge (ACK)
    // message"). It is one under a KEK without a multicast destination, or one sent to this member's own
    // address: the first unicast rekey after the KS switched to `rekey transport unicast` still travels under the
    // KEK that named the multicast group.
    const unicast = kek.destination === 0 || !isMulticast(ctx.datagram.header.destination);
    const aclBefore = this.teks[0]?.acl ?? [];
    await this.applyRekey(opened.payloads, h.messageId, id, tag);
    const transport = unicast ? 'Unicast' : 'Multicast';
    this.rekeyDebug(`GDOI:INFRA:${id}:${transport} Rekey from KS ${REKEY_TRANSPORT[transport]}`);
    this.rekeysCumulative++;
    this.rekeysAfterRegistration++;
    this.lastRekeyAt = this.router.kernel.now;
    this.lastRekeyFrom = ctx.datagram.header.source;
    this.lastRekeySeq = seq;
    this.lastSeq = seq;
    this.paced(
      'syslog',
      `%GDOI-5-GM_RECV_REKEY: Received Rekey for group ${this.binding.group} from ${formatIpv4(ctx.datagram.header.source)} to ${formatIpv4(ctx.datagram.header.destination)} with seq # ${seq}`,
    );
    if (this.kek) this.rekeyDebug(`${tag}: using SPI ${toHex(this.kek.spi.slice(0, 8)).toUpperCase()}`);
    this.debugAceMatches(aclBefore);
    this.whenProcessed(bound(this, this.pushProcessed, unicast, kek, seq, ctx.datagram.header.source));
  }

  /** A push is processed: its keys reach ESP, re-registration is re-armed, a unicast rekey is acknowledged. */
  private async pushProcessed(unicast: boolean, kek: KekMaterial, seq: number, from: Ipv4): Promise<void> {
    this.install();
    this.scheduleReregistration();
    if (unicast) await this.acknowledge(kek, seq, from);
  }

  /** The ACK of a unicast rekey, to the address it came from, under our registration SA's keys. */
  private async acknowledge(kek: KekMaterial, seq: number, ks: Ipv4): Promise<void> {
    const sa = this.ike.findEstablished(this.binding.local, this.binding.server);
    if (!sa) {
      this.debug(`GDOI:GM:(${this.binding.group}):no ISAKMP SA to KS: rekey seq # ${seq} not acknowledged`);
      return;
    }
    const bytes = await buildPushAck(sa, kek.spi, seq, this.binding.local);
    this.rekeyDebug(
      `GDOI:GM:(${this.binding.group}):Sending ACK for Rekey seq # ${seq} to KS ${formatIpv4(ks)}`,
    );
    this.acksSent++;
    await this.ike.sendUdp(this.binding.local, ks, GDOI_PORT, bytes);
  }

  private async applyRekey(payloads: IsakmpPayload[], mid: number, id: string, tag: string): Promise<void> {
    const now = this.router.kernel.now;
    const sa = payloads.find((p) => p.kind === 'gdoi-sa');
    const kd = payloads.find((p) => p.kind === 'kd');
    if (sa?.kind !== 'gdoi-sa' || kd?.kind !== 'kd') return;
    this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI SA Payload, message ID + ${mid}`);
    let newKek: KekMaterial | undefined;
    if (sa.kek) {
      const k = sa.kek;
      const n = (type: number): number => {
        const a = k.attributes.find((x) => x.type === type);
        return a ? attrNumber(a) : 0;
      };
      this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI SA KEK Payload`);
      newKek = kekFrom(
        k,
        kd.packets.find((p) => p.kdType === KD_TYPE.KEK),
        now,
      );
      this.rekeyDebug(
        `GDOI:INFRA:(0): kek_sa->src ${formatIpv4(newKek.source)} kek_sa->dst ${formatIpv4(newKek.destination)}`,
      );
      this.rekeyDebug(`GDOI:INFRA:(0):    KEK_ALGORITHM ${IOS_KEK_ALG[newKek.cipher] ?? 0}`);
      this.rekeyDebug(`GDOI:INFRA:(0):    KEY_LENGTH ${n(KEK_ATTR.KEY_LENGTH) || newKek.keyBits}`);
      this.rekeyDebug(`GDOI:INFRA:(0):    KEY_LIFETIME ${n(KEK_ATTR.KEY_LIFETIME)}`);
      this.rekeyDebug(`GDOI:INFRA:(0):    SIG_HASH_ALG ${n(KEK_ATTR.SIG_HASH_ALGORITHM)}`);
      this.rekeyDebug(`GDOI:INFRA:(0):    SIG_ALG ${n(KEK_ATTR.SIG_ALGORITHM)}`);
      this.rekeyDebug(`GDOI:INFRA:(0):    SIG_KEY_LEN ${n(KEK_ATTR.SIG_KEY_LENGTH)}`);
      if (!this.kek || toHex(this.kek.spi) !== toHex(newKek.spi)) {
        this.rekeyDebug(`GDOI:INFRA:(0): New Kek is received, reset last_seq_num to 0`);
      }
      this.rekeyDebug(`GDOI:INFRA:(0): Completed KEK Processing`);
    }
    const teks = teksFrom(sa.teks, kd.packets, now);
    // Cisco's private TEK attributes (the TBAR window) are processed as their own step of each SA TEK.
    for (const t of sa.teks) {
      if (!hasPrivateAttribute(t.attributes)) continue;
      this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI Private Attribute Payload`);
      this.rekeyDebug(`GDOI:INFRA:${id}: Completed GDOI Attribute Processing`);
    }
    this.rekeyDebug(`${tag}:Completed processing ${sa.teks.length} GDOI SA TEK Payloads`);
    this.rekeyDebug(`GDOI:INFRA:${id}:received payload type 17`);
    this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI KD Payload, message_id  ${mid}`);
    for (const p of kd.packets) {
      // [M] The article prints a non-zero ID here while the push's own M-ID is 0: the registration's M-ID.
      this.rekeyDebug(`GDOI:INFRA:${id}:processing GDOI Key Packet, message_id  ${this.registrationMid}`);
      if (p.kdType === KD_TYPE.TEK) {
        const t = teks.find((x) => toHex(p.spi) === x.spi.toString(16).padStart(8, '0'));
        this.rekeyDebug(`GDOI:INFRA:${id}:processing TEK KD: spi is 0x${toHex(p.spi).toUpperCase()}`);
        this.rekeyDebug(`GDOI:INFRA:${id}:                   lifetime is ${t?.lifetime ?? 0} seconds`);
        this.rekeyDebug(`GDOI:INFRA:${id}:TEK Integrity Key ${t?.integrityKey.length ?? 0} bytes`);
      } else {
        const alg = p.attributes.find((a) => a.type === 1);
        const sig = p.attributes.find((a) => a.type === 2);
        this.rekeyDebug(`GDOI:INFRA:${id}: Processing KEK KD`);
        this.rekeyDebug(`GDOI:INFRA:${id}:KEK Alg Key ${alg && 'bytes' in alg ? alg.bytes.length : 0} bytes`);
        this.rekeyDebug(`GDOI:INFRA:${id}:KEK Sig Key ${sig && 'bytes' in sig ? sig.bytes.length : 0} bytes`);
      }
      this.rekeyDebug(`GDOI:INFRA:${id}:Completed KeyPkt Processing`);
    }
    if (newKek) await this.adoptKek(newKek);
    this.teks = mergeTeks(teks, this.teks, now);
  }

  /** Each ACE of the rekeyed policy that is already installed, by its number in the downloaded ACL. */
  private debugAceMatches(before: readonly ExtendedAce[]): void {
    if (!this.router.debug.has(DEBUG_GDOI_REKEY) && !this.router.debug.has(DEBUG_GDOI)) return;
    const same = (a: ExtendedAce, b: ExtendedAce): boolean => JSON.stringify(a) === JSON.stringify(b);
    (this.teks[0]?.acl ?? []).forEach((ace, i) => {
      if (before.some((b) => same(b, ace)))
        this.rekeyDebug(`GDOI:INFRA:(${this.binding.group}:0):crypto exact match ace number : ${i + 1}`);
    });
  }

  private reject(
    ctx: PacketContext,
    reason: GroupMember['rejected'][number]['reason'],
    detail: string,
  ): void {
    this.rejected.push({ reason, time: this.router.kernel.now });
    if (reason !== 'sequence') {
      this.paced(
        'syslog',
        `%GDOI-3-GDOI_REKEY_FAILURE: Processing of REKEY payloads failed on GM ${formatIpv4(this.binding.local)} in the group ${this.binding.group}, with peer at ${formatIpv4(ctx.datagram.header.source)}`,
      );
    }
    this.router.drop(ctx, 0, `GDOI rekey rejected: ${detail}`);
  }
}

/** New TEKs first (replacing same-SPI entries), then older ones still alive. */
function mergeTeks(fresh: readonly TekMaterial[], old: readonly TekMaterial[], now: SimTime): TekMaterial[] {
  const spis = new Set(fresh.map((t) => t.spi));
  const kept = old.filter((t) => !spis.has(t.spi) && t.expiresAt > now);
  // A rekey repeats the current TEK with its remaining lifetime: keep the original install time, and never
  // let a repeated SA live longer than it already did (only a KS policy change shortens it: TEK_SLT).
  const merged = fresh.map((t) => {
    const before = old.find((o) => o.spi === t.spi);
    return before
      ? { ...t, createdAt: before.createdAt, expiresAt: Math.min(before.expiresAt, t.expiresAt) }
      : t;
  });
  return [...merged, ...kept].sort((a, b) => b.createdAt - a.createdAt);
}
