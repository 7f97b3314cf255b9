/**
 * A GDOI key server group (`crypto gdoi group G / server local`): its members, its current KEK and TEKs, the
 * push sequence number, and the rekey schedule. Keys are created when the first member registers (IOS starts
 * the group's lifetimes then); each rekey is sent once and retransmitted as `rekey retransmit` says.
 */
import { randomSpi } from '../../crypto';
import { bound } from '../../kernel/bound';
import type { Router } from '../../device/router';
import type { Prng } from '../../kernel/prng';
import { seconds, type SimTime } from '../../kernel/time';
import { Timer } from '../../kernel/timer';
import { bytesEqual } from '../../net/bytes';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { GDOI_PORT, type IsakmpPayload } from '../../net/isakmp';
import type { IkeService } from '../ike/ike-service';
import { transformKeyLengths } from '../esp/transform';
import type { KsPolicy } from './ks-policy';
import { policyKey, tekPolicyKey } from './ks-policy';
import type { KekMaterial, TekMaterial } from './material';
import { kdPayload, saPayload } from './payloads';
import { buildPush } from './push';
import type { StoredRsaKey } from './rsa-keys';
import { tekRekeyLead } from './timers';

export const DEBUG_GDOI = 'crypto gdoi';
export const DEBUG_GDOI_REKEY = 'crypto gdoi rekey';

/**
 * Unicast rekeys are acknowledged; a member that leaves this many rekeys in a row unacknowledged (after all
 * their retransmissions) is removed from the group and gets no more rekeys (Cisco: "the KS
 * drops a GM after 3 missed ACKs"). It re-registers on its own before its TEK expires, if it still can.
 */
export const MISSED_ACK_LIMIT = 3;

/**
 * [M] A KEK rekey is prepared this long before it is sent: the new KEK is generated (and its lifetime starts)
 * one second before the push that carries it leaves, on the KS's `rekey lifetime` schedule. Fitted to the
 * article, whose four numbers all follow from it and from no simpler rule: its seq 1 push carries
 * KEY_LIFETIME 299 next to a TEK lifetime of 3300 (sent 300 s after the keys were made, the KEK made 1 s
 * earlier), and its KS shows KEK remaining 71 s at SA remaining 3072 s and 22 s at 2123 s (KEKs expiring at
 * 599 s and 1499 s, while rekeys go out at 300, 600, 900 and 1200 s: 4 sent).
 */
export const KEK_PREPARATION = seconds(1);

export interface KsMember {
  readonly address: Ipv4;
  registeredAt: SimTime;
  /** IOS `show crypto gdoi ks members` counters. */
  rekeysSent: number;
  rekeyRetries: number;
  readonly sentSeq: number[];
  /** Unicast rekey acknowledgements (`Rekey Acks Rcvd` / `Rekey Acks missed`) and the last sequence numbers. */
  acksReceived: number;
  acksMissed: number;
  /** Rekeys in a row left unacknowledged; reset by any acknowledgement or re-registration. */
  consecutiveMissed: number;
  /** True from a unicast rekey's first transmission until this member acknowledges it. */
  awaitingAck: boolean;
  readonly rcvdSeq: number[];
}

export interface SentPush {
  readonly time: SimTime;
  readonly seq: number;
  readonly destination: Ipv4;
  readonly retransmission: boolean;
  readonly bytes: Uint8Array;
  readonly plaintextCopy: Uint8Array;
}

/** What the last rekey carries (see `KeyServerGroup.rekeyPayloads`). */
interface LastRekey {
  readonly kek: KekMaterial;
  readonly newKek: KekMaterial | undefined;
  readonly teks: readonly TekMaterial[];
}

export class KeyServerGroup {
  policy: KsPolicy;
  readonly router: Router;
  readonly ike: IkeService;
  readonly members = new Map<Ipv4, KsMember>();
  kek: KekMaterial | undefined;
  teks: TekMaterial[] = [];
  /** Push sequence number under the current KEK (reset with each new KEK, as the GM's debug says). */
  seq = 0;
  rekeysSent = 0;
  rekeysRetransmitted = 0;
  registrationsAfterRekey = 0;
  /** Every push sent (tests and the page read them; the plaintext copy feeds a debugging capture). */
  readonly sent: SentPush[] = [];
  private readonly prng: Prng;
  private readonly signingKey: () => Promise<StoredRsaKey | undefined>;
  private readonly kekTimer: Timer;
  /** When the next KEK rekey is sent, and the KEK made for it while it is being prepared. */
  private kekDue: SimTime | undefined;
  private preparedKek: KekMaterial | undefined;
  private readonly tekTimer: Timer;
  readonly retransmitTimer: Timer;
  /** Unicast: the end of a rekey's retransmissions, when members that did not acknowledge count a miss. */
  private readonly ackTimer: Timer;
  /** Members removed for missed acknowledgements (tests and the page). */
  readonly removed: { address: Ipv4; time: SimTime }[] = [];
  private pendingRetransmits = 0;
  /**
   * The last rekey, retransmitted as it was: the KEK it travels under, the KEK it hands over (a KEK rekey) and
   * its TEKs. Data, not a closure, so a checkpoint copies it (issue 18); `rekeyPayloads` builds its payloads.
   */
  private lastRekeyPayloads: LastRekey | undefined;
  /** A TEK policy change (ACL, transform set, profile, replay) waiting for the next rekey to carry it. */
  private tekPolicyPending = false;
  /** One POLICY_CHANGE / no-policy syslog per episode, not one per config line. */
  private policyChangeLogged = false;
  private noPolicyLogged = false;

  constructor(
    router: Router,
    ike: IkeService,
    policy: KsPolicy,
    signingKey: () => Promise<StoredRsaKey | undefined>,
  ) {
    this.router = router;
    this.ike = ike;
    this.policy = policy;
    this.signingKey = signingKey;
    this.prng = router.kernel.prng.fork(`gdoi ks ${router.name} ${policy.group}`);
    // Bound methods, not closures, so a checkpoint copies the timers with the group (kernel/bound.ts).
    this.kekTimer = new Timer(router.kernel, bound(this, this.kekTimerFired));
    this.tekTimer = new Timer(router.kernel, bound(this, this.rekey, 'tek'));
    this.retransmitTimer = new Timer(router.kernel, bound(this, this.retransmit));
    this.ackTimer = new Timer(router.kernel, bound(this, this.closeAckRound));
  }

  get name(): string {
    return this.policy.group;
  }

  /** The address pushes come from: `address ipv4`, else the interface towards the first member (IOS). */
  get sourceAddress(): Ipv4 {
    return this.policy.address ?? this.router.sourceAddressFor(this.policy.rekeyDestination ?? 0) ?? 0;
  }

  get multicast(): boolean {
    return this.policy.rekeyDestination !== undefined;
  }

  stop(): void {
    this.kekTimer.stop();
    this.tekTimer.stop();
    this.retransmitTimer.stop();
    this.ackTimer.stop();
  }

  kekRemaining(): number {
    return this.kek ? Math.max(0, Math.floor((this.kek.expiresAt - this.router.kernel.now) / 1e6)) : 0;
  }

  tekRemaining(): number {
    const t = this.teks[0];
    return t ? Math.max(0, Math.floor((t.expiresAt - this.router.kernel.now) / 1e6)) : 0;
  }

  /** Seconds until the next KEK rekey leaves (`time to rekey` in `show crypto gdoi ks policy`). */
  kekRekeyIn(): number | undefined {
    return this.kekDue === undefined
      ? undefined
      : Math.max(0, Math.ceil((this.kekDue - this.router.kernel.now) / 1e6));
  }

  /** Seconds until the next TEK rekey, or undefined while none is scheduled. */
  tekRekeyIn(): number | undefined {
    const r = this.tekTimer.remaining;
    return r === undefined ? undefined : Math.ceil(r / 1e6);
  }

  retransmitRemaining(): number {
    const r = this.retransmitTimer.remaining;
    return r === undefined ? 0 : Math.ceil(r / 1e6);
  }

  /** Creates the group's keys on first use (first registration) and starts the rekey timers. */
  async ensureKeys(): Promise<boolean> {
    // A KEK whose rekeys stopped (no signing key at its rekey) is not handed out: it is replaced.
    const kekOk = this.kek !== undefined && this.kekTimer.running;
    const teksOk = this.liveTeks().length > 0;
    if (kekOk && teksOk) return true;
    const key = await this.signingKey();
    if (!key) {
      this.router.log(
        'syslog',
        `%GDOI-1-KS_NO_RSA_KEYS: RSA Keys not created for group ${this.name}. Registration is not allowed.`,
      );
      return false;
    }
    if (!teksOk && !this.tekPolicyValid()) {
      this.logNoPolicy();
      return false;
    }
    if (!kekOk) {
      this.kek = this.newKek(key);
      this.seq = 0;
      this.scheduleKekRekey(this.kek.expiresAt);
    }
    if (!teksOk) {
      this.teks = this.newTeks();
      this.tekPolicyPending = false;
      this.scheduleTekRekey();
    }
    return true;
  }

  /** True when every piece of at least one `sa ipsec` policy is there (a TEK can be made). */
  tekPolicyValid(): boolean {
    return this.policy.sas.some((sa) => sa.problem === undefined);
  }

  /**
   * [M] The KS cannot make a TEK: IOS's exact message for a group whose IPsec policy is incomplete is not in
   * our sources; the tag follows IOS's GDOI naming and the text says which piece is missing. Logged once per
   * episode; the TEK rekey is not re-armed until the policy is whole again (issue 13: no zero-delay loop).
   */
  private logNoPolicy(): void {
    if (this.noPolicyLogged) return;
    this.noPolicyLogged = true;
    const why = this.policy.sas.map((sa) => `sa ipsec ${sa.number}: ${sa.problem ?? 'ok'}`).join(', ');
    this.router.log(
      'syslog',
      `%GDOI-3-KS_NO_IPSEC_POLICY: No valid IPsec policy for group ${this.name} (${why || 'no sa ipsec configured'}). No TEK created.`,
    );
  }

  /**
   * The running-config changed the group's policy. Cisco "GET VPN GM Removal and Policy Trigger" (GET VPN
   * 1.0.2 and later, our KS claims 1.0.4): the KS logs that the policy changed and sends it with the next
   * rekey, scheduled or triggered by `crypto gdoi ks rekey`, as one rekey for all the changes. A change of
   * the TEK policy (ACL, transform set, profile, anti-replay) makes new TEKs at that rekey; the SA lifetime
   * and the KEK settings (lifetime, rekey address) apply from the next TEK or KEK they create (table 1).
   * [M] The POLICY_CHANGE wording is IOS's as we remember it; the sources at hand do not print it.
   */
  updatePolicy(policy: KsPolicy): void {
    const before = this.policy;
    this.policy = policy;
    if (!this.kek) return;
    const tekChanged = tekPolicyKey(before) !== tekPolicyKey(policy);
    if (!tekChanged && policyKey(before) === policyKey(policy)) return;
    if (tekChanged) this.tekPolicyPending = true;
    if (!this.policyChangeLogged) {
      this.policyChangeLogged = true;
      this.router.log(
        'syslog',
        `%GDOI-5-POLICY_CHANGE: GDOI group ${this.name} policy has changed. Use 'crypto gdoi ks rekey' to send a rekey, or the changes will be send in the next scheduled rekey`,
      );
    }
    // A TEK rekey held back for want of a valid policy resumes as soon as the policy is whole again; a KEK
    // rekey held back for want of a signing key, at once (its KEK may have run out meanwhile).
    if (!this.tekTimer.running && this.tekPolicyValid()) this.scheduleTekRekey();
    if (!this.kekTimer.running) this.scheduleKekRekey(Math.max(this.router.kernel.now, this.kek.expiresAt));
  }

  /**
   * `clear crypto gdoi` on the KS [M: the command reference says it clears the group's GDOI state; what
   * follows is what that implies]: keys, members and counters are gone; the next registration creates new
   * keys. Members find out when their KEK runs out and they re-register (GM version 1.0.4, Cisco 116737).
   */
  clear(): void {
    this.stop();
    this.kek = undefined;
    this.teks = [];
    this.seq = 0;
    this.members.clear();
    this.rekeysSent = 0;
    this.rekeysRetransmitted = 0;
    this.registrationsAfterRekey = 0;
    this.pendingRetransmits = 0;
    this.lastRekeyPayloads = undefined;
    this.preparedKek = undefined;
    this.kekDue = undefined;
    this.tekPolicyPending = false;
    this.policyChangeLogged = false;
    this.noPolicyLogged = false;
    this.router.log(
      'syslog',
      `%GDOI-5-KS_CLEAR_REGISTER: Config: KS cleared gdoi configuration for the group ${this.name}.`,
    );
  }

  private newKek(key: StoredRsaKey): KekMaterial {
    const now = this.router.kernel.now;
    const bs = this.policy.kekCipher === 'aes' ? 16 : 8;
    return {
      spi: this.prng.bytes(16),
      cipher: this.policy.kekCipher,
      keyBits: this.policy.kekKeyBits,
      key: this.prng.bytes(this.policy.kekKeyBits / 8),
      iv: this.prng.bytes(bs),
      lifetime: this.policy.kekLifetime,
      createdAt: now,
      expiresAt: now + seconds(this.policy.kekLifetime),
      sigKey: key.spki,
      sigKeyBits: key.modulusBits,
      source: this.sourceAddress,
      destination: this.policy.rekeyDestination ?? 0,
    };
  }

  private newTeks(): TekMaterial[] {
    const now = this.router.kernel.now;
    const out: TekMaterial[] = [];
    for (const sa of this.policy.sas) {
      if (!sa.transform || sa.acl.length === 0) continue;
      const lengths = transformKeyLengths(sa.transform);
      const tek: TekMaterial = {
        spi: randomSpi(this.prng),
        transform: sa.transform,
        encryptionKey: this.prng.bytes(lengths.encryption),
        integrityKey: this.prng.bytes(lengths.integrity),
        lifetime: sa.lifetime,
        createdAt: now,
        expiresAt: now + seconds(sa.lifetime),
        acl: sa.acl,
      };
      out.push(sa.replay ? { ...tek, replay: sa.replay } : tek);
    }
    return out;
  }

  /** The next KEK rekey leaves at `due`; its KEK is made KEK_PREPARATION earlier. */
  private scheduleKekRekey(due: SimTime): void {
    this.kekDue = due;
    this.preparedKek = undefined;
    this.kekTimer.start(Math.max(0, due - KEK_PREPARATION - this.router.kernel.now));
  }

  /** First the new KEK is made, then (KEK_PREPARATION later) the rekey carrying it is sent. */
  private async kekTimerFired(): Promise<void> {
    const now = this.router.kernel.now;
    if (this.preparedKek) {
      await this.rekey('kek');
      return;
    }
    const key = await this.signingKey();
    if (!key) return;
    this.preparedKek = this.newKek(key);
    this.kekTimer.start(Math.max(0, (this.kekDue ?? now) - now));
  }

  /** The next TEK rekey, ahead of the newest TEK's expiry; at once when there is no live TEK. */
  private scheduleTekRekey(): void {
    const now = this.router.kernel.now;
    const tek = this.liveTeks()[0];
    if (!tek) {
      this.tekTimer.start(0);
      return;
    }
    // Never more than half a lifetime ahead, so that a short lifetime cannot rekey back to back.
    const lead = Math.min(tekRekeyLead(tek.lifetime, this.policy.retransmit), seconds(tek.lifetime) / 2);
    this.tekTimer.start(Math.max(0, tek.expiresAt - lead - now));
  }

  /** The TEKs a policy change or an operator's rekey supersedes, cut to TEK_SLT (see triggerRekey). */
  private shortenedTeks(): TekMaterial[] {
    const now = this.router.kernel.now;
    return this.liveTeks().map((t) => {
      const shortLifetime = seconds(Math.max(90, Math.min(Math.floor(t.lifetime * 0.05), 3600)));
      return { ...t, expiresAt: Math.min(t.expiresAt, now + shortLifetime) };
    });
  }

  /** TEKs still alive, newest first (what a registering member downloads). */
  liveTeks(): TekMaterial[] {
    const now = this.router.kernel.now;
    return this.teks.filter((t) => t.expiresAt > now);
  }

  memberRegistered(address: Ipv4): void {
    const existing = this.members.get(address);
    if (existing) {
      existing.registeredAt = this.router.kernel.now;
      existing.consecutiveMissed = 0;
      existing.awaitingAck = false;
    } else
      this.members.set(address, {
        address,
        registeredAt: this.router.kernel.now,
        rekeysSent: 0,
        rekeyRetries: 0,
        sentSeq: [],
        acksReceived: 0,
        acksMissed: 0,
        consecutiveMissed: 0,
        awaitingAck: false,
        rcvdSeq: [],
      });
    if (this.rekeysSent > 0) this.registrationsAfterRekey++;
    this.router.log(
      'syslog',
      `%GDOI-5-KS_REGS_COMPL: KS completed successful registration in group ${this.name} with GM ${formatIpv4(address)}`,
    );
  }

  /**
   * `crypto gdoi ks rekey`: an operator's rekey, sent now with a new TEK (GET VPN GM Removal and Policy
   * Trigger). The TEKs it supersedes stay usable for their short lifetime TEK_SLT = MIN(TEK_RLT, MAX(90 s,
   * MIN(5 % of TEK_CLT, 3600 s))) (Cisco, "GET VPN GM Removal and Policy Trigger"), carried to members as
   * their remaining lifetime.
   * False when the group has no keys yet (no member has registered).
   */
  async triggerRekey(): Promise<'sent' | 'no-keys' | 'no-policy'> {
    if (!this.kek) return 'no-keys';
    if (!this.tekPolicyValid()) {
      this.logNoPolicy();
      return 'no-policy';
    }
    this.tekPolicyPending = true;
    await this.rekey('tek');
    return 'sent';
  }

  /**
   * A rekey: `kek` makes a new KEK (sent under the old one, used from then on), `tek` a new TEK (the old
   * one stays in the message list until it expires so members keep decrypting with it).
   */
  async rekey(what: 'kek' | 'tek'): Promise<void> {
    const key = await this.signingKey();
    if (!key || !this.kek) return;
    const now = this.router.kernel.now;
    const sendingKek = this.kek;
    // A TEK rekey, or any rekey carrying a TEK policy change, needs a new TEK from a whole policy. Without one
    // a TEK rekey is not sent and not re-armed (updatePolicy re-arms it): no zero-delay loop (issue 13).
    const teksRenewed = what === 'tek' || this.tekPolicyPending;
    if (teksRenewed && !this.renewTeks()) {
      if (what === 'tek') return;
    }
    let newKek: KekMaterial | undefined;
    if (what === 'kek') {
      newKek = this.preparedKek ?? this.newKek(key);
      this.preparedKek = undefined;
    }
    this.lastRekeyPayloads = { kek: sendingKek, newKek, teks: this.liveTeks() };
    this.rekeysSent++;
    // A rekey still waiting for acknowledgements is over: whoever has not answered missed it.
    if (this.ackTimer.running) this.closeAckRound();
    await this.sendPush(key, false);
    if (!this.multicast) {
      const r = this.policy.retransmit;
      this.ackTimer.start(seconds(r.interval * (r.count + 1)));
    }
    if (newKek) {
      // Members switch to the new KEK with this message; so does the KS for everything after it.
      this.kek = newKek;
      this.seq = 0;
    }
    this.pendingRetransmits = this.policy.retransmit.count;
    if (this.pendingRetransmits > 0) this.retransmitTimer.start(seconds(this.policy.retransmit.interval));
    if (what === 'kek') this.scheduleKekRekey(now + seconds(this.policy.kekLifetime));
    if (teksRenewed && this.tekPolicyValid()) this.scheduleTekRekey();
  }

  /**
   * New TEKs first; the ones they replace stay in the rekey until they expire, cut to TEK_SLT when a policy
   * change or an operator's rekey replaced them. False (nothing changed) when the policy cannot make a TEK.
   */
  private renewTeks(): boolean {
    const fresh = this.newTeks();
    if (fresh.length === 0) {
      this.logNoPolicy();
      return false;
    }
    const old = this.tekPolicyPending ? this.shortenedTeks() : this.liveTeks();
    this.teks = [...fresh, ...old];
    this.tekPolicyPending = false;
    this.policyChangeLogged = false;
    this.noPolicyLogged = false;
    return true;
  }

  private async retransmit(): Promise<void> {
    const key = await this.signingKey();
    if (!key || this.pendingRetransmits <= 0) return;
    // Unicast: only members that have not acknowledged get the retransmission; none left, none sent.
    if (!this.multicast && ![...this.members.values()].some((m) => m.awaitingAck)) {
      this.pendingRetransmits = 0;
      return;
    }
    this.pendingRetransmits--;
    this.rekeysRetransmitted++;
    await this.sendPush(key, true);
    if (this.pendingRetransmits > 0) this.retransmitTimer.start(seconds(this.policy.retransmit.interval));
  }

  /** One transmission of the last rekey, with the next sequence number under the KEK members hold. */
  private async sendPush(key: StoredRsaKey, retransmission: boolean): Promise<void> {
    const last = this.lastRekeyPayloads;
    if (!last) return;
    // Retransmissions of a KEK rekey still travel under the KEK that members who missed it hold.
    const sameKek = last.kek === this.kek;
    let seq: number;
    if (sameKek || !retransmission) seq = ++this.seq;
    else seq = ++this.retransmitSeq;
    if (!retransmission) this.retransmitSeq = seq;
    const payloads = this.rekeyPayloads(last, seq);
    const built = await buildPush(last.kek, key.privateKey, key.modulusBits / 8, payloads);
    const destinations = this.multicast
      ? [this.policy.rekeyDestination!]
      : [...this.members.values()].filter((m) => !retransmission || m.awaitingAck).map((m) => m.address);
    for (const destination of destinations) {
      this.sent.push({ time: this.router.kernel.now, seq, destination, retransmission, ...built });
      // A multicast push reaches every member; a unicast one only the member it is addressed to.
      const reached = this.multicast ? this.members.values() : [this.members.get(destination)];
      for (const m of reached) {
        if (!m) continue;
        if (retransmission) m.rekeyRetries++;
        else m.rekeysSent++;
        if (!this.multicast) m.awaitingAck = true;
        m.sentSeq.unshift(seq);
        m.sentSeq.splice(4);
      }
      const from = formatIpv4(this.sourceAddress);
      const to = formatIpv4(destination);
      this.router.log(
        'syslog',
        this.multicast
          ? `%GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey for group ${this.name} from address ${from} to ${to}  with seq # ${seq}`
          : `%GDOI-5-KS_SEND_UNICAST_REKEY: Sending Unicast Rekey for group ${this.name} from address ${from} to ${to} with seq # ${seq}`,
      );
      this.router.debugLog(
        DEBUG_GDOI_REKEY,
        () =>
          `GDOI:KS:(${this.name}):Sending ${this.multicast ? 'Multicast' : 'Unicast'} Rekey to ${to} with seq # ${seq}`,
      );
      await this.ike.sendUdp(this.sourceAddress, destination, GDOI_PORT, built.bytes);
    }
  }

  private retransmitSeq = 0;

  /**
   * The payloads of a transmission of `last` with sequence number `seq`: the KEK it hands over (else the
   * current one, read now) and its TEKs, their lifetimes counted from now.
   */
  private rekeyPayloads(last: LastRekey, seq: number): IsakmpPayload[] {
    const kek = last.newKek ?? this.kek;
    return [
      { kind: 'seq', sequence: seq },
      saPayload(kek, last.teks, this.router.kernel.now),
      kdPayload(kek, last.teks),
    ];
  }

  /** The push sequence number now (a registering member's PULL message 4 carries it). */
  currentSeq(): number {
    return this.seq;
  }

  /** True when `cookies` name the KEK pushes go out under now, or the one the last rekey went out under. */
  knowsKek(cookies: Uint8Array): boolean {
    return [this.kek, this.lastRekeyPayloads?.kek].some((k) => k !== undefined && bytesEqual(k.spi, cookies));
  }

  /** A verified acknowledgement of push `seq` from `address` (unicast rekeys, RFC 8263). */
  receiveAck(address: Ipv4, seq: number): void {
    const m = this.members.get(address);
    if (!m || !m.sentSeq.includes(seq)) {
      this.router.debugLog(
        DEBUG_GDOI,
        () =>
          `GDOI:KS:(${this.name}):ACK for seq # ${seq} from ${formatIpv4(address)} matches no rekey sent to it`,
      );
      return;
    }
    m.rcvdSeq.unshift(seq);
    m.rcvdSeq.splice(4);
    if (m.awaitingAck) {
      m.awaitingAck = false;
      m.acksReceived++;
      m.consecutiveMissed = 0;
    }
    this.router.debugLog(
      DEBUG_GDOI_REKEY,
      () => `GDOI:KS:(${this.name}):Received ACK for Rekey seq # ${seq} from GM ${formatIpv4(address)}`,
    );
  }

  /** The retransmissions of a unicast rekey are over: count the misses, remove members that keep missing. */
  private closeAckRound(): void {
    this.ackTimer.stop();
    for (const m of [...this.members.values()]) {
      if (!m.awaitingAck) continue;
      m.awaitingAck = false;
      m.acksMissed++;
      m.consecutiveMissed++;
      if (m.consecutiveMissed < MISSED_ACK_LIMIT) continue;
      this.members.delete(m.address);
      this.removed.push({ address: m.address, time: this.router.kernel.now });
      // [M] IOS's message for this removal is not in our references; the wording says what happened.
      this.router.log(
        'syslog',
        `%GDOI-4-KS_GM_DELETED: GM ${formatIpv4(m.address)} deleted from group ${this.name}: no ACK for ${m.consecutiveMissed} unicast rekeys`,
      );
    }
  }
}
