import { interfaceKind } from '../../device/interface-state';
import { errorText, type LazyText, type PacketContext, textOf } from '../../device/router';
import { bound } from '../../kernel/bound';
import { seconds, type SimTime } from '../../kernel/time';
import {
  AUTORP_ANNOUNCE_GROUP,
  AUTORP_DISCOVERY_GROUP,
  AUTORP_PIM_VERSION,
  AUTORP_PORT,
  type AutoRpEntry,
  type AutoRpMessage,
  decodeAutoRp,
  encodeAutoRp,
} from '../../net/autorp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { formatPrefix, makePrefix, type Prefix, prefixContains } from '../../net/prefix';
import { encodeUdp, UDP_HEADER_LENGTH } from '../../net/udp';
import { TOS_INTERNETWORK_CONTROL } from './hello';
import { DEBUG_AUTORP, type PimCore } from './pim-core';
import { aclGroupRanges, ALL_MULTICAST, type RpMapping } from './rp';
import { Timer } from '../../kernel/timer';

/**
 * Cisco defaults (IP Multicast Command Reference, `ip pim send-rp-announce`/`send-rp-discovery`): announce
 * and discovery every 60 s, holdtime 181 on the wire.
 */
export const AUTORP_INTERVAL = 60;
const IP_UDP_HEADERS = 20 + UDP_HEADER_LENGTH;

/**
 * Holdtime IOS advertises for an interval: 3 × interval + 1 (181 for 60 s: IOS captures, and `debug ip pim
 * auto-rp` prints `ht 181`).
 */
export function autoRpHoldtime(interval: number): number {
  return Math.min(0xffff, interval * 3 + 1);
}

/** A cached Auto-RP mapping with its expiry timer (a candidate on the MA, a learned mapping on a client). */
interface CachedMapping {
  mapping: RpMapping;
  readonly timer: Timer;
}

export interface AutoRpStats {
  announceSent: number;
  announceReceived: number;
  discoverySent: number;
  discoveryReceived: number;
}

/**
 * Cisco Auto-RP: the candidate RP's RP-Announce to 224.0.1.39, the mapping agent's election (highest RP
 * address per range) and RP-Discovery to 224.0.1.40, and every router's discovery listener with expiry.
 */
export class AutoRp {
  private readonly svc: PimCore;
  private readonly announceTimer: Timer;
  private readonly discoveryTimer: Timer;
  /** Mapping agent: every candidate heard, by `rp prefix sign`. */
  private readonly candidates = new Map<string, CachedMapping>();
  /** Client: mappings learned from discoveries, by `prefix sign`. */
  private readonly learned = new Map<string, CachedMapping>();
  private lastElected = '';
  readonly stats: AutoRpStats = {
    announceSent: 0,
    announceReceived: 0,
    discoverySent: 0,
    discoveryReceived: 0,
  };

  constructor(svc: PimCore) {
    this.svc = svc;
    // Timers fire bound methods (kernel/bound.ts), not closures, so a checkpoint copies them.
    this.announceTimer = new Timer(svc.router.kernel, bound(this, this.announce));
    this.discoveryTimer = new Timer(svc.router.kernel, bound(this, this.discover));
  }

  private get config(): PimCore['router']['config']['pim'] {
    return this.svc.router.config.pim;
  }

  get isCandidateRp(): boolean {
    return this.svc.enabled && this.config.sendRpAnnounce !== undefined;
  }

  get isMappingAgent(): boolean {
    return this.svc.enabled && this.config.sendRpDiscovery !== undefined;
  }

  reconcile(): void {
    // IOS sends the first announcement as soon as the command is entered (here: within a second).
    if (this.isCandidateRp && !this.announceTimer.running) this.announceTimer.start(seconds(1));
    if (!this.isCandidateRp) this.announceTimer.stop();
    if (this.isMappingAgent && !this.discoveryTimer.running)
      this.discoveryTimer.start(seconds(this.config.sendRpDiscovery?.interval ?? AUTORP_INTERVAL));
    if (!this.isMappingAgent) {
      this.discoveryTimer.stop();
      for (const c of this.candidates.values()) c.timer.stop();
      this.candidates.clear();
      this.lastElected = '';
    }
    if (!this.svc.enabled) {
      for (const c of this.learned.values()) c.timer.stop();
      this.learned.clear();
    }
  }

  // ---- mappings -----------------------------------------------------------------------------------------

  /** The mappings that decide RPs here: the MA's elected candidates, else what discoveries taught us. */
  activeMappings(): RpMapping[] {
    if (this.isMappingAgent) return this.elected();
    return [...this.learned.values()].map((c) => c.mapping);
  }

  /** Every candidate the MA holds, each with whether it won its range (`show ip pim rp mapping` on the MA). */
  candidateMappings(): { mapping: RpMapping; elected: boolean }[] {
    const won = new Set(this.elected());
    return [...this.candidates.values()].map((c) => ({ mapping: c.mapping, elected: won.has(c.mapping) }));
  }

  /**
   * The MA election: per range the highest RP address wins (FRRouting pim_autorp.c; published IOS-XE 17.15
   * lab output).
   */
  elected(): RpMapping[] {
    const best = new Map<string, RpMapping>();
    for (const { mapping: m } of this.candidates.values()) {
      const k = `${formatPrefix(m.prefix)} ${m.negative}`;
      const cur = best.get(k);
      if (!cur || m.rp > cur.rp) best.set(k, m);
    }
    const all = [...best.values()];
    // No duplicates: a range covered by a shorter one from the same RP is left out.
    return all.filter(
      (m) =>
        !all.some(
          (o) =>
            o !== m &&
            o.rp === m.rp &&
            o.negative === m.negative &&
            o.prefix.length < m.prefix.length &&
            prefixContains(o.prefix, m.prefix.network),
        ),
    );
  }

  // ---- candidate RP -------------------------------------------------------------------------------------

  private groupRanges(): { prefix: Prefix; negative: boolean }[] {
    const list = this.config.sendRpAnnounce?.groupList;
    if (list === undefined) return [{ prefix: ALL_MULTICAST, negative: false }];
    return aclGroupRanges(this.svc.router.config.accessLists.get(list));
  }

  private async announce(): Promise<void> {
    const cfg = this.config.sendRpAnnounce;
    if (!cfg || !this.svc.enabled) return;
    const interval = cfg.interval ?? AUTORP_INTERVAL;
    this.announceTimer.start(seconds(interval));
    const rp = this.svc.router.interfaceAddress(cfg.interface);
    if (rp === undefined || !this.svc.router.isUp(cfg.interface)) return;
    const ranges = this.groupRanges();
    const holdtime = autoRpHoldtime(interval);
    this.debug(() => `Build RP-Announce for ${formatIpv4(rp)}, PIMv2/v1, ttl ${cfg.scope}, ht ${holdtime}`);
    for (const r of ranges) this.debug(() => ` Build announce entry for (${rangeText(r)})`);
    const msg: AutoRpMessage = { kind: 'announce', holdtime, rps: [entryFor(rp, ranges)] };
    await this.transmit(msg, rp, AUTORP_ANNOUNCE_GROUP, cfg.scope, 'RP-Announce', '');
  }

  /**
   * Sends on every PIM interface; on a loopback the copy is processed by this router itself (`Loopback0(*)`),
   * which is how a box that is both C-RP and MA hears its own announcement.
   */
  private async transmit(
    msg: AutoRpMessage,
    source: Ipv4,
    group: Ipv4,
    ttl: number,
    what: string,
    suffix: string,
  ): Promise<void> {
    const payload = encodeAutoRp(msg);
    const length = IP_UDP_HEADERS + payload.length;
    // Our own announcements and discoveries are (S,G) state here, as IOS shows them (`LT`, Loopback0 in).
    this.svc.noteLocalSource(source, group);
    const udp = encodeUdp({ sourcePort: AUTORP_PORT, destinationPort: AUTORP_PORT, payload }, source, group);
    for (const ifName of this.svc.pimInterfaces()) {
      const local = interfaceKind(ifName) === 'loopback';
      this.debug(() => `Send ${what} packet of length ${length} on ${ifName}${local ? '(*)' : ''}${suffix}`);
      if (msg.kind === 'announce') this.stats.announceSent++;
      else this.stats.discoverySent++;
      if (local) continue;
      await this.svc.router.sendIp({
        destination: group,
        source,
        protocol: IP_PROTO.UDP,
        payload: udp,
        outInterface: ifName,
        ttl,
        tos: TOS_INTERNETWORK_CONTROL,
      });
    }
    // Our own copy: the MA on this box takes the announcement; our own discovery is ignored.
    if (msg.kind === 'announce' && this.isMappingAgent) this.takeAnnounce(msg, source, length);
  }

  // ---- mapping agent --------------------------------------------------------------------------------------

  private takeAnnounce(msg: AutoRpMessage, from: Ipv4, length: number): void {
    this.stats.announceReceived++;
    this.debug(
      () =>
        `Received RP-announce packet of length ${length}, from ${formatIpv4(from)}, RP_cnt ${msg.rps.length}, ht ${msg.holdtime}`,
    );
    for (const rp of msg.rps) {
      for (const g of rp.groups) {
        const prefix = makePrefix(g.prefix, g.maskLength);
        const key = `${rp.rp} ${formatPrefix(prefix)} ${g.negative}`;
        this.cache(this.candidates, key, rp, prefix, g.negative, rp.rp, msg.holdtime);
      }
    }
    this.electionChanged();
  }

  private cache(
    into: Map<string, CachedMapping>,
    key: string,
    rp: AutoRpEntry,
    prefix: Prefix,
    negative: boolean,
    infoSource: Ipv4,
    holdtime: number,
  ): void {
    const now = this.svc.router.kernel.now;
    const existing = into.get(key);
    const same = existing?.mapping.rp === rp.rp;
    const expires: SimTime | undefined = holdtime === 0 ? undefined : now + seconds(holdtime);
    const mapping: RpMapping = {
      prefix,
      negative,
      rp: rp.rp,
      origin: 'autorp',
      infoSource,
      pimVersion: rp.pimVersion,
      since: same && existing ? existing.mapping.since : now,
      expires,
    };
    const text = `(${negative ? '-' : ''}${formatPrefix(prefix)}, RP:${formatIpv4(rp.rp)}), ${versionText(rp.pimVersion)}`;
    this.debug(() => (same ? `Update ${text}` : `Added with ${text}`));
    const c: CachedMapping = existing ?? {
      mapping,
      timer: new Timer(this.svc.router.kernel, bound(this, this.expire, into, key)),
    };
    c.mapping = mapping;
    into.set(key, c);
    if (expires === undefined) c.timer.stop();
    else c.timer.start(seconds(holdtime));
  }

  private expire(from: Map<string, CachedMapping>, key: string): void {
    const c = from.get(key);
    if (!c) return;
    from.delete(key);
    this.debug(() => `Mapping (${formatPrefix(c.mapping.prefix)}, RP:${formatIpv4(c.mapping.rp)}) expired,`);
    if (from === this.candidates) this.electionChanged();
    this.svc.rpMappingExpired();
  }

  /** A change in the elected set is announced at once (triggered discovery), then every interval. */
  private electionChanged(): void {
    const signature = this.elected()
      .map((m) => `${formatPrefix(m.prefix)}${m.negative}${m.rp}`)
      .sort()
      .join();
    this.svc.recompute();
    if (signature === this.lastElected) return;
    this.lastElected = signature;
    if (this.isMappingAgent) void this.discover(false);
  }

  private async discover(periodic = true): Promise<void> {
    const cfg = this.config.sendRpDiscovery;
    if (!cfg || !this.svc.enabled) return;
    const interval = cfg.interval ?? AUTORP_INTERVAL;
    if (periodic) this.discoveryTimer.start(seconds(interval));
    const source = this.svc.router.interfaceAddress(cfg.interface);
    if (source === undefined || !this.svc.router.isUp(cfg.interface)) return;
    const byRp = new Map<Ipv4, AutoRpEntry>();
    this.debug('Build RP-Discovery packet');
    for (const m of this.elected()) {
      this.debug(() => `Build mapping (${formatPrefix(m.prefix)}, RP:${formatIpv4(m.rp)}), PIMv2 v1,`);
      let e = byRp.get(m.rp);
      if (!e)
        byRp.set(m.rp, (e = { rp: m.rp, pimVersion: m.pimVersion ?? AUTORP_PIM_VERSION.V1_V2, groups: [] }));
      e.groups.push({ prefix: m.prefix.network, maskLength: m.prefix.length, negative: m.negative });
    }
    const msg: AutoRpMessage = {
      kind: 'discovery',
      holdtime: autoRpHoldtime(interval),
      rps: [...byRp.values()],
    };
    await this.transmit(
      msg,
      source,
      AUTORP_DISCOVERY_GROUP,
      cfg.scope,
      'RP-discovery',
      ` (${byRp.size} RP entries)`,
    );
  }

  // ---- receive ------------------------------------------------------------------------------------------

  /** UDP 496, delivered only after the packet passed the RPF check and we are a member of its group. */
  receive(ctx: PacketContext, payload: Uint8Array): void {
    const h = ctx.datagram.header;
    let msg;
    try {
      msg = decodeAutoRp(payload);
    } catch (e) {
      this.svc.router.drop(ctx, 0, `malformed Auto-RP packet: ${errorText(e)}`);
      return;
    }
    const length = ctx.bytes.length;
    if (msg.kind === 'announce') {
      if (!this.isMappingAgent) return;
      this.takeAnnounce(msg, h.source, length);
      return;
    }
    this.stats.discoveryReceived++;
    const head = `Received RP-discovery packet of length ${length}, from ${formatIpv4(h.source)}`;
    if (this.isMappingAgent) {
      // The MA keeps its own election; another MA's discovery is noted and ignored
      // (published `debug ip pim auto-rp`: `Received RP-discovery packet …, ignored`); how IOS weighs
      // several MAs is [INF].
      this.debug(() => `${head}, ignored`);
      return;
    }
    this.debug(() => `${head}, RP_cnt ${msg.rps.length}, ht ${msg.holdtime}`);
    for (const rp of msg.rps) {
      for (const g of rp.groups) {
        const prefix = makePrefix(g.prefix, g.maskLength);
        this.cache(
          this.learned,
          `${formatPrefix(prefix)} ${g.negative}`,
          rp,
          prefix,
          g.negative,
          h.source,
          msg.holdtime,
        );
      }
    }
    this.svc.recompute();
  }

  private debug(text: LazyText): void {
    this.svc.router.debugLog(DEBUG_AUTORP, () => `Auto-RP(0): ${textOf(text)}`);
  }
}

function entryFor(rp: Ipv4, ranges: { prefix: Prefix; negative: boolean }[]): AutoRpEntry {
  return {
    rp,
    pimVersion: AUTORP_PIM_VERSION.V1_V2,
    groups: ranges.map((r) => ({
      prefix: r.prefix.network,
      maskLength: r.prefix.length,
      negative: r.negative,
    })),
  };
}

function rangeText(r: { prefix: Prefix; negative: boolean }): string {
  return `${r.negative ? '-' : ''}${formatPrefix(r.prefix)}`;
}

function versionText(v: number): string {
  return v === AUTORP_PIM_VERSION.V1_V2 ? 'PIMv2 v1' : v === AUTORP_PIM_VERSION.V2 ? 'PIMv2' : 'PIMv1';
}
