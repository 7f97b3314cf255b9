/**
 * `EspService`: the ESP data plane behind a GET VPN crypto map (IOS `crypto map NAME 10 gdoi` + `crypto map NAME`
 * on an interface).
 *
 * Egress (docs/DESIGN.md §6, last step before the wire): a packet leaving an interface whose crypto map has
 * a gdoi
 * entry with an installed group policy, and that the downloaded ACL permits, is encrypted with the current
 * TEK in ESP tunnel mode with address preservation (RFC 6407 TEK attribute ADDRESS_PRESERVATION = 4; RFC
 * 5374 §3): the
 * outer header copies the original's source, destination, TOS, TTL and DF, protocol 50, and the ESP payload is
 * the entire original packet (next header 4).
 *
 * Ingress: ESP addressed to this router (or to a multicast group) arriving on such an interface is looked up
 * by SPI among the installed TEKs (the current and the older ones still alive), authenticated, checked
 * against the group's anti-replay, decrypted, and the inner packet re-enters the pipeline on the same
 * interface. Transit ESP (for another address) is forwarded untouched.
 *
 * Fail-open and cleartext: until GDOI installs a policy (the member is not registered yet) traffic passes in
 * clear, IOS's default (no `fail-close`). Once a policy is installed, a cleartext packet arriving on the
 * interface that the mirrored ACL permits is dropped with IOS's %CRYPTO-4-RECVD_PKT_NOT_IPSEC, as a crypto map
 * drops unprotected traffic its ACL says must be protected (no GM `receive-only` mode is modelled).
 */
import type { CryptoMap, ExtendedAce } from '../../config/model';
import type { PacketContext, Router } from '../../device/router';
import { bound } from '../../kernel/bound';
import type { Prng } from '../../kernel/prng';
import { type SimTime, seconds, toSeconds } from '../../kernel/time';
import {
  type EspOpenResult,
  type EspPacket,
  type EspSaKeys,
  icvLength,
  ivLength,
  openEsp,
  peekEsp,
  sealEsp,
  ESP_NEXT_HEADER_IPV4,
} from '../../net/esp';
import {
  decodeIpv4,
  type DecodedIpv4,
  encodeIpv4Header,
  IP_PROTO,
  IPV4_HEADER_BYTES,
  type Ipv4Header,
} from '../../net/ipv4';
import { formatIpv4, isMulticast } from '../../net/ipv4-address';
import { countAclMatch } from './acl-counters';
import { type FlowKey, flowKeyOf, matchAcl, mirrored } from './acl-match';
import { checkTimeWindow, pseudotimeBook, ReplayWindow } from './anti-replay';
import type { GroupPolicy, GroupTek } from './group-policy';
import { icvName, saKeysOf } from './transform';
import { serviceOf } from '../services';

/** IOS `show crypto ipsec sa [detail]` counters of one flow (interface, crypto map, group). */
export interface EspCounters {
  encaps: number;
  encrypt: number;
  digest: number;
  decaps: number;
  decrypt: number;
  verify: number;
  sendErrors: number;
  recvErrors: number;
  /** detail counters */
  noSaSend: number;
  invalidSaRecv: number;
  decapFailed: number;
  verifyFailed: number;
  replayFailed: number;
  invalidIdentity: number;
}

function zeroCounters(): EspCounters {
  return {
    encaps: 0,
    encrypt: 0,
    digest: 0,
    decaps: 0,
    decrypt: 0,
    verify: 0,
    sendErrors: 0,
    recvErrors: 0,
    noSaSend: 0,
    invalidSaRecv: 0,
    decapFailed: 0,
    verifyFailed: 0,
    replayFailed: 0,
    invalidIdentity: 0,
  };
}

/** A gdoi entry of the interface's crypto map whose group has an installed policy. */
export interface ActiveEntry {
  readonly sequence: number;
  readonly group: string;
  readonly policy: GroupPolicy;
  /** The member's own ACL on the gdoi entry (`match address NAME`), read before the downloaded one. */
  readonly localAcl?: readonly ExtendedAce[];
  /** This interface's counters for the entry (`show crypto ipsec sa`). */
  readonly counters: EspCounters;
}

export interface InterfaceCryptoMap {
  readonly map: CryptoMap;
  readonly entries: readonly ActiveEntry[];
}

/** How IOS numbers the SA pair in `conn id` / `flow_id`. */
export interface SaIds {
  readonly inbound: number;
  readonly outbound: number;
}

/**
 * Outbound moves from an older TEK to the next one this long before the older one expires [M: IOS switches
 * "about 30 s" before expiry; the exact figure is not documented].
 */
export const TEK_ROLLOVER = seconds(30);

/** IOS rate-limits %CRYPTO-4-RECVD_PKT_NOT_IPSEC and its siblings to one message a minute. */
const LOG_INTERVAL = seconds(60);

export class EspService {
  readonly router: Router;
  private readonly prng: Prng;
  /** crypto map name -> group name -> policy */
  private readonly policies = new Map<string, Map<string, GroupPolicy>>();
  private readonly counters = new Map<string, EspCounters>();
  private readonly outboundSequence = new Map<number, number>();
  private readonly windows = new Map<string, ReplayWindow>();
  /** Every TEK ever installed, by SPI, for the keylog (captures hold packets of superseded TEKs too). */
  private readonly history = new Map<number, GroupTek>();
  private readonly ids = new Map<number, SaIds>();
  private nextConnId = 2001;
  /**
   * Inner packets this service decrypted: they re-enter the pipeline and must not count as cleartext. Each is
   * removed once its re-entry has passed this service's ingress stage, inside the call that decrypted it, so the
   * set is empty between events (a checkpoint, issue 18, copies an empty set).
   */
  private readonly decrypted = new Set<Uint8Array>();
  private readonly lastLog = new Map<string, SimTime>();
  /** `interfaceCryptoMap` per interface, until the config or a group policy changes. */
  private readonly activeMaps = new Map<string, InterfaceCryptoMap | undefined>();

  constructor(router: Router) {
    this.router = router;
    this.prng = router.kernel.prng.fork(`${router.name}:esp`);
    // Bound methods, not closures, so a checkpoint copies the router's hooks (kernel/bound.ts).
    router.onConfigChange(bound(this, this.configChanged));
    router.addEgressStage(bound(this, this.trackedEgress));
    router.addIngressStage(bound(this, this.ingress));
    router.setProtocolHandler(IP_PROTO.ESP, bound(this, this.espToUs));
  }

  /** Which crypto map applies where is worked out again after any config change. */
  private configChanged(): void {
    this.activeMaps.clear();
  }

  /** Tracked: a caller that fires a send without awaiting it still gets its packet out within its event. */
  private trackedEgress(ifName: string, bytes: Uint8Array): Uint8Array | null | Promise<Uint8Array | null> {
    const out = this.egress(ifName, bytes);
    return out instanceof Promise ? this.router.kernel.track(out) : out;
  }

  /** ESP to us on an interface without a crypto map reaches local delivery: no SA can match it. */
  private espToUs(ctx: PacketContext): void {
    this.dropInvalidSpi(ctx, undefined);
  }

  // ---- the GDOI contract ------------------------------------------------------------------------------

  /**
   * Installs (or replaces) the policy GDOI downloaded for `policy.group`, to be enforced on every interface
   * carrying crypto map `cryptoMapName` whose gdoi entry names that group. Called at registration and after
   * every rekey with the full TEK list (newest first; older TEKs stay for inbound until they expire).
   */
  installGroupPolicy(cryptoMapName: string, policy: GroupPolicy): void {
    let groups = this.policies.get(cryptoMapName);
    if (!groups) this.policies.set(cryptoMapName, (groups = new Map()));
    groups.set(policy.group, policy);
    this.activeMaps.clear();
    for (const tek of policy.teks) {
      this.history.set(tek.spi, tek);
      if (!this.ids.has(tek.spi)) {
        this.ids.set(tek.spi, { inbound: this.nextConnId, outbound: this.nextConnId + 1 });
        this.nextConnId += 2;
      }
    }
  }

  /** Removes a group's policy (re-registration failed, `clear crypto gdoi`): traffic is clear again. */
  removeGroupPolicy(cryptoMapName: string, group: string): void {
    this.policies.get(cryptoMapName)?.delete(group);
    this.activeMaps.clear();
  }

  /** Names of the crypto maps with a gdoi entry for `group` (`crypto map DMVPN 10 gdoi` / `set group G`). */
  cryptoMapsOfGroup(group: string): string[] {
    return this.router.config.crypto.cryptoMaps
      .filter((m) => m.entries.some((e) => e.kind === 'gdoi' && e.group === group))
      .map((m) => m.name);
  }

  groupPolicy(cryptoMapName: string, group: string): GroupPolicy | undefined {
    return this.policies.get(cryptoMapName)?.get(group);
  }

  /** Every TEK ever installed on this router, oldest first (the keylog exports them). */
  knownTeks(): readonly GroupTek[] {
    return [...this.history.values()];
  }

  saIds(spi: number): SaIds | undefined {
    return this.ids.get(spi);
  }

  countersOf(ifName: string, mapName: string, group: string): Readonly<EspCounters> {
    return this.counters.get(`${ifName}|${mapName}|${group}`) ?? zeroCounters();
  }

  /** The crypto map on an interface and its entries with an installed policy, in sequence order. */
  interfaceCryptoMap(ifName: string): InterfaceCryptoMap | undefined {
    // Read for every packet in and out: kept until the config or an installed policy changes.
    const kept = this.activeMaps.get(ifName);
    if (kept !== undefined || this.activeMaps.has(ifName)) return kept;
    const active = this.buildInterfaceCryptoMap(ifName);
    this.activeMaps.set(ifName, active);
    return active;
  }

  private buildInterfaceCryptoMap(ifName: string): InterfaceCryptoMap | undefined {
    const name = this.router.interfaceConfig(ifName)?.cryptoMap;
    const map =
      name === undefined ? undefined : this.router.config.crypto.cryptoMaps.find((m) => m.name === name);
    if (!map) return undefined;
    const entries: ActiveEntry[] = [];
    for (const e of [...map.entries].sort((a, b) => a.sequence - b.sequence)) {
      if (e.kind !== 'gdoi' || e.group === undefined) continue;
      const policy = this.groupPolicy(map.name, e.group);
      const local =
        e.matchAddress !== undefined ? this.router.config.accessLists.get(e.matchAddress) : undefined;
      const localAcl = local?.entries.filter((a): a is ExtendedAce => a.kind === 'extended');
      if (policy)
        entries.push({
          sequence: e.sequence,
          group: e.group,
          policy,
          ...(localAcl ? { localAcl } : {}),
          counters: this.counter(ifName, map.name, e.group),
        });
    }
    return { map, entries };
  }

  /**
   * The TEK a member encrypts with. Every live TEK decrypts at once, but outbound stays on the oldest live TEK
   * until it is within TEK_ROLLOVER of its expiry, then moves to the next one ([M] the old TEK keeps
   * encrypting after a rekey; Juniper documents the same for group VPNs, keeping the two newest keys). All
   * members thus switch at the same moment, fixed by the key server's lifetimes, and a member that missed the
   * rekey but re-registered in time (100–160 s before expiry) already holds the new TEK when the others start
   * using it.
   */
  currentTek(policy: GroupPolicy, now = this.router.kernel.now): GroupTek | undefined {
    // Read for every packet sent, so without a filtered copy of the list: the newest live TEK is found first,
    // then the older live ones are walked from the oldest (policy.teks is newest first).
    const teks = policy.teks;
    let newest = 0;
    while (newest < teks.length && !isLive(teks[newest]!, now)) newest++;
    for (let i = teks.length - 1; i > newest; i--) {
      const t = teks[i]!;
      if (isLive(t, now) && t.expiresAt - now > TEK_ROLLOVER) return t;
    }
    return teks[newest];
  }

  // ---- egress -----------------------------------------------------------------------------------------

  private egress(ifName: string, bytes: Uint8Array): Uint8Array | null | Promise<Uint8Array | null> {
    const active = this.interfaceCryptoMap(ifName);
    if (!active || active.entries.length === 0) return bytes;
    let packet: DecodedIpv4;
    try {
      packet = decodeIpv4(bytes);
    } catch {
      return bytes;
    }
    const key = flowKeyOf(packet.header, packet.payload);
    for (const entry of active.entries) {
      if (this.locallyExcluded(entry, key)) continue;
      // A deny in one entry only means "not this entry": IOS goes on to the next sequence number.
      if (matchAcl(entry.policy.acl, key)?.action !== 'permit') continue;
      return this.encapsulate(ifName, entry, packet.header, bytes);
    }
    return bytes;
  }

  /**
   * The member's local ACL on its gdoi crypto map entry is read before the ACL downloaded from the KS: a
   * packet that stops at a local `deny` leaves in clear. Cisco, User Guide for Cisco Security Manager 4.4
   * (OL-28826-01), ch. 28, "Understanding the GET VPN Security Policy and Security Associations": "The group
   * member security policy always takes priority over the policy received from the key server … a new, single
   * security policy crypto map ACL by concatenating the individual security policies in this order: first, the
   * group member's ACL; second, the key server's first ACL … if traffic matches a deny statement from the group
   * member's ACL, that traffic is never tested against any ACL rules downloaded from the key server." [INF] A
   * local `permit` does not encrypt by itself: the packet goes on to the downloaded ACL (the guide's sentence on
   * where permit entries are allowed was not readable in the copy found). The ACE it stops at counts a match
   * (`show ip access-lists`).
   */
  private locallyExcluded(entry: ActiveEntry, key: FlowKey): boolean {
    if (!entry.localAcl) return false;
    const m = matchAcl(entry.localAcl, key);
    if (!m) return false;
    countAclMatch(this.router, entry.localAcl[m.index]!);
    return m.action === 'deny';
  }

  private encapsulate(
    ifName: string,
    entry: ActiveEntry,
    inner: Ipv4Header,
    bytes: Uint8Array,
  ): Uint8Array | null | Promise<Uint8Array | null> {
    const counters = entry.counters;
    const tek = this.currentTek(entry.policy);
    if (!tek) {
      counters.sendErrors++;
      counters.noSaSend++;
      this.router.tracePacket(
        'dropped',
        ifName,
        bytes,
        0,
        `matches the GET VPN ACL of group ${entry.group} but no TEK is alive (all expired): encryption impossible`,
      );
      return null;
    }
    const sa = saKeysOf(tek);
    const sequence = ((this.outboundSequence.get(tek.spi) ?? 0) + 1) >>> 0;
    this.outboundSequence.set(tek.spi, sequence);
    // Everything drawn from shared counters is drawn before the first await, in call order (determinism).
    const identification = this.router.nextIpId();
    // Sealed behind room for the outer header (address preservation writes no options), written in place below.
    const sealed = sealEsp(
      sa,
      sequence,
      this.prng.bytes(ivLength(sa.cipher)),
      bytes,
      ESP_NEXT_HEADER_IPV4,
      IPV4_HEADER_BYTES,
    );
    if (sealed instanceof Promise)
      return sealed.then((datagram) => this.sealed(entry, tek, sa, inner, identification, datagram));
    return this.sealed(entry, tek, sa, inner, identification, sealed);
  }

  /** The end of `encapsulate` once the ESP packet is sealed: the outer header, the ICV's pseudotime, counters. */
  private sealed(
    entry: ActiveEntry,
    tek: GroupTek,
    sa: EspSaKeys,
    inner: Ipv4Header,
    identification: number,
    datagram: Uint8Array,
  ): Uint8Array {
    const counters = entry.counters;
    // Address preservation: the outer header is the inner one with protocol 50 (and a fresh id, no options).
    const outer: Ipv4Header = {
      tos: inner.tos,
      identification,
      dontFragment: inner.dontFragment,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: inner.ttl,
      protocol: IP_PROTO.ESP,
      source: inner.source,
      destination: inner.destination,
      options: [],
    };
    pseudotimeBook(this.router.kernel).record(
      tek.spi,
      datagram.subarray(datagram.length - icvLength(sa.auth)),
      this.router.kernel.now,
    );
    counters.encaps++;
    counters.encrypt++;
    counters.digest++;
    return encodeIpv4Header(datagram, outer);
  }

  // ---- ingress ----------------------------------------------------------------------------------------

  /**
   * Synchronous unless the cipher is WebCrypto's (AES-128/256): a promise per stage per packet cost more than the
   * work (issue 18, steady state).
   */
  private ingress(ctx: PacketContext): boolean | Promise<void> {
    const ifName = ctx.inInterface;
    if (ifName === undefined || this.decrypted.has(ctx.bytes)) return false;
    const active = this.interfaceCryptoMap(ifName);
    if (!active) return false;
    const h = ctx.datagram.header;
    if (h.protocol === IP_PROTO.ESP) {
      // Transit ESP (another member's packet crossing this router) is forwarded like any packet.
      if (!this.router.ownsAddress(h.destination) && !isMulticast(h.destination)) return false;
      // Taken either way: at once, or with the promise of its asynchronous decryption (AES-128/256).
      return this.decapsulate(ifName, active, ctx) ?? true;
    }
    return this.dropCleartext(ifName, active, ctx);
  }

  private dropCleartext(ifName: string, active: InterfaceCryptoMap, ctx: PacketContext): boolean {
    const h = ctx.datagram.header;
    const key = mirrored(flowKeyOf(h, ctx.datagram.payload));
    const entry = active.entries.find((e) => matchAcl(e.policy.acl, key)?.action === 'permit');
    if (!entry) return false;
    entry.counters.recvErrors++;
    this.logLimited(
      'not-ipsec',
      `%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. (ip) vrf/dest_addr= /${formatIpv4(h.destination)}, src_addr= ${formatIpv4(h.source)}, prot= ${h.protocol}`,
    );
    this.router.drop(
      ctx,
      0,
      `cleartext packet matched the GET VPN ACL of group ${entry.group} on ${ifName} (crypto map ${active.map.name}): it should have been encrypted`,
    );
    return true;
  }

  private findTek(
    active: InterfaceCryptoMap,
    spi: number,
  ): { entry: ActiveEntry; tek: GroupTek } | undefined {
    const now = this.router.kernel.now;
    for (const entry of active.entries) {
      // A loop, not `find` with a closure: this runs for every ESP packet received.
      for (const tek of entry.policy.teks) if (tek.spi === spi && now < tek.expiresAt) return { entry, tek };
    }
    return undefined;
  }

  private decapsulate(ifName: string, active: InterfaceCryptoMap, ctx: PacketContext): void | Promise<void> {
    const payload = ctx.datagram.payload;
    let spi: number;
    try {
      spi = peekEsp(payload).spi;
    } catch {
      this.router.drop(ctx, 0, 'malformed ESP header (shorter than SPI and sequence number)');
      return;
    }
    const found = this.findTek(active, spi);
    if (!found) {
      const first = active.entries[0];
      if (first) {
        const c = first.counters;
        c.recvErrors++;
        c.invalidSaRecv++;
      }
      this.dropInvalidSpi(ctx, spi);
      return;
    }
    const opened = openEsp(saKeysOf(found.tek), payload);
    if (opened instanceof Promise) return this.openedLater(ifName, found, opened, ctx);
    return this.opened(ifName, found, opened, ctx);
  }

  /** `decapsulate`'s end for a packet WebCrypto decrypts (AES-128/256). */
  private async openedLater(
    ifName: string,
    found: { entry: ActiveEntry; tek: GroupTek },
    opened: Promise<EspOpenResult>,
    ctx: PacketContext,
  ): Promise<void> {
    await this.opened(ifName, found, await opened, ctx);
  }

  /** After decryption: a failed packet is counted and dropped, a good one passes anti-replay and goes in. */
  private opened(
    ifName: string,
    found: { entry: ActiveEntry; tek: GroupTek },
    opened: EspOpenResult,
    ctx: PacketContext,
  ): void | Promise<void> {
    const { entry, tek } = found;
    const spi = tek.spi;
    const counters = entry.counters;
    if (!opened.ok) {
      counters.recvErrors++;
      if (opened.reason === 'icv') {
        counters.verifyFailed++;
        this.logLimited(
          'mac',
          `%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=${this.saIds(spi)?.inbound ?? 0}`,
        );
        this.router.drop(
          ctx,
          0,
          `ESP ${icvName(tek.transform)} ICV check failed (SPI ${spiText(spi)}): packet altered or wrong key`,
        );
      } else {
        counters.decapFailed++;
        this.router.drop(ctx, 0, `ESP decapsulation failed (SPI ${spiText(spi)}): ${opened.detail}`);
      }
      return;
    }
    if (!this.replayCheck(entry, tek, opened.packet, ctx)) return;
    return this.deliverInner(ifName, entry, opened.payload, opened.nextHeader, ctx);
  }

  /** Anti-replay after authentication (RFC 4303 §3.4.3: the window moves only for authenticated packets). */
  private replayCheck(entry: ActiveEntry, tek: GroupTek, packet: EspPacket, ctx: PacketContext): boolean {
    const replay = tek.replay;
    if (!replay) return true;
    const h = ctx.datagram.header;
    const counters = entry.counters;
    if (replay.kind === 'time') {
      const now = this.router.kernel.now;
      const check = checkTimeWindow(
        pseudotimeBook(this.router.kernel),
        tek.spi,
        packet.icv,
        now,
        replay.windowSize,
      );
      if (check.ok) return true;
      counters.recvErrors++;
      counters.replayFailed++;
      const peer = check.peerPseudotime === undefined ? 'unknown' : pseudotimeText(check.peerPseudotime);
      this.router.log(
        'syslog',
        `%GDOI-4-TIMEBASED_REPLAY_FAILED: An anti replay check has failed in group ${entry.group} from sourceip-address ${formatIpv4(h.source)}. my_pseudotime is ${pseudotimeText(now)} secs, peer_pseudotime is ${peer} secs, replay_window is ${replay.windowSize} (second)`,
      );
      this.router.log('syslog', this.replayErrText(tek, packet));
      this.router.drop(
        ctx,
        0,
        `time-based anti-replay: sent at pseudotime ${peer} s, now ${pseudotimeText(now)} s, outside the ${replay.windowSize} s window`,
      );
      return false;
    }
    const windowKey = `${tek.spi}|${h.source}`;
    let window = this.windows.get(windowKey);
    if (!window) this.windows.set(windowKey, (window = new ReplayWindow(replay.windowSize)));
    if (window.check(packet.sequence)) {
      window.commit(packet.sequence);
      return true;
    }
    counters.recvErrors++;
    counters.replayFailed++;
    this.router.log('syslog', this.replayErrText(tek, packet));
    this.router.drop(
      ctx,
      0,
      `counter anti-replay: sequence ${packet.sequence} from ${formatIpv4(h.source)} already seen or left of the ${replay.windowSize}-packet window`,
    );
    return false;
  }

  /**
   * IOS's replay log line, built only for a failure (a method, not a closure made for every packet received:
   * the check runs for each one).
   */
  private replayErrText(tek: GroupTek, packet: EspPacket): string {
    return `%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=${this.saIds(tek.spi)?.inbound ?? 0}, sequence number=${packet.sequence}`;
  }

  private deliverInner(
    ifName: string,
    entry: ActiveEntry,
    inner: Uint8Array,
    nextHeader: number,
    ctx: PacketContext,
  ): void | Promise<void> {
    const counters = entry.counters;
    let datagram: DecodedIpv4 | undefined;
    try {
      datagram = nextHeader === ESP_NEXT_HEADER_IPV4 ? decodeIpv4(inner) : undefined;
    } catch {
      datagram = undefined;
    }
    if (!datagram || !datagram.headerChecksumValid) {
      counters.recvErrors++;
      counters.decapFailed++;
      this.router.drop(
        ctx,
        0,
        `ESP payload is not an IPv4 packet (next header ${nextHeader}): tunnel mode expected`,
      );
      return;
    }
    // The decrypted packet must be one the group's ACL protects (IOS "invalid identity").
    if (
      matchAcl(entry.policy.acl, mirrored(flowKeyOf(datagram.header, datagram.payload)))?.action !== 'permit'
    ) {
      counters.recvErrors++;
      counters.invalidIdentity++;
      this.router.drop(
        ctx,
        0,
        `decrypted packet is not permitted by the GET VPN ACL of group ${entry.group}`,
      );
      return;
    }
    counters.decaps++;
    counters.decrypt++;
    counters.verify++;
    // Marked while it re-enters. Only this service's ingress stage reads the mark, and processIngress reaches it
    // before it returns (a stage answers "not taken" at once: IngressStage), so the mark can go when the call
    // returns, even when the rest of the packet's way goes on asynchronously (PIM's multicast input).
    this.decrypted.add(inner);
    try {
      return this.router.processIngress({ datagram, bytes: inner, inInterface: ifName });
    } finally {
      this.decrypted.delete(inner);
    }
  }

  private dropInvalidSpi(ctx: PacketContext, spi: number | undefined): void {
    const h = ctx.datagram.header;
    const value = spi ?? safeSpi(ctx.datagram.payload);
    this.logLimited(
      'inv-spi',
      `%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=${formatIpv4(h.destination)}, prot=50, spi=${spiIos(value)}, srcaddr=${formatIpv4(h.source)}, input interface=${ctx.inInterface ?? 'local'}`,
    );
    this.router.drop(
      ctx,
      0,
      `ESP with unknown SPI ${spiText(value)}: no installed group SA${ctx.inInterface ? ` on ${ctx.inInterface}` : ''} (not registered, or the TEK expired)`,
    );
  }

  private counter(ifName: string, mapName: string, group: string): EspCounters {
    const key = `${ifName}|${mapName}|${group}`;
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = zeroCounters()));
    return c;
  }

  private logLimited(kind: string, text: string): void {
    const now = this.router.kernel.now;
    const last = this.lastLog.get(kind);
    if (last !== undefined && now - last < LOG_INTERVAL) return;
    this.lastLog.set(kind, now);
    this.router.log('syslog', text);
  }
}

/** `0x9CAE4C22(2628668450)`: IOS's SPI notation in logs and `show crypto ipsec sa`. */
export function spiIos(spi: number): string {
  return `0x${spi.toString(16).toUpperCase()}(${spi})`;
}

export function spiText(spi: number): string {
  return `0x${spi.toString(16).padStart(8, '0')}`;
}

/** Pseudotime as IOS prints it: seconds with two decimals. */
function pseudotimeText(t: SimTime): string {
  return toSeconds(t).toFixed(2);
}

function safeSpi(payload: Uint8Array): number {
  try {
    return peekEsp(payload).spi;
  } catch {
    return 0;
  }
}

/** The ESP service on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function espOf(router: Router): EspService | undefined {
  return serviceOf<EspService>(router, 'esp');
}

/** A TEK encrypts and decrypts from its installation until its expiry. */
function isLive(t: GroupTek, now: SimTime): boolean {
  return t.installedAt <= now && now < t.expiresAt;
}
