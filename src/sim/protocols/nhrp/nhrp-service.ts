import { bound } from '../../kernel/bound';
import type { InterfaceConfig } from '../../config/model';
import type { InterfaceState } from '../../device/interface-state';
import { interfaceKind } from '../../device/interface-state';
import type { PacketContext, Router, RouterModule } from '../../device/router';
import { Timer } from '../../kernel/timer';
import { seconds, type SimTime } from '../../kernel/time';
import { GRE_PROTOCOL } from '../../net/gre';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import {
  decodeNhrp,
  encodeNhrp,
  type DecodedNhrp,
  NHRP_ERROR,
  type NhrpMessage,
  nhrpTitle,
} from '../../net/nhrp';
import type { GreTunnels, NbmaDirectory } from '../tunnel/gre-tunnel';
import { NhrpCache, type NhrpEntry, type NhrpFlag } from './nhrp-cache';
import { NhrpTraffic } from './nhrp-traffic';
import {
  authenticationOf,
  errorIndication,
  type NhrpEndpoint,
  registrationReply,
  registrationRequest,
  resolutionReply,
  resolutionRequest,
} from './nhrp-messages';
import { serviceOf } from '../services';

type DecodedRequestReply = Exclude<DecodedNhrp, { kind: 'error-indication' }>;

/** IOS defaults: `ip nhrp holdtime 7200`; registrations every holdtime/3 unless `registration timeout`. */
export const DEFAULT_HOLDTIME = 7200;
/** Retransmission of an unanswered registration: 1, 2, 4 … 32 s (IOS backs off the same way). */
const MAX_REGISTRATION_BACKOFF = 32;
/** A spoke-to-spoke entry used within this long before it expires is refreshed instead of dropped. */
const REFRESH_IF_USED_WITHIN = seconds(120);

/** Per-NHS state on a spoke: `show ip nhrp nhs` and `show dmvpn` read it. */
export interface NhsState {
  readonly address: Ipv4;
  /** `E` expecting replies, `RE` responding (IOS legend). */
  status: 'E' | 'RE';
  requestId: number;
  sent: number;
  replies: number;
  backoff: number;
  upSince?: SimTime;
  /** When the last Registration Reply came (`show ip nhrp nhs detail`: "repl-recv N (00:00:12 ago)"). */
  lastReply?: SimTime;
  readonly timer: Timer;
}

/** NHRP state of one tunnel interface. */
export interface NhrpInterface {
  readonly name: string;
  readonly cache: NhrpCache;
  /** NBMA addresses added by `ip nhrp map multicast dynamic` when spokes register, with when they did. */
  readonly dynamicMulticast: Map<Ipv4, SimTime>;
  readonly nhs: Map<Ipv4, NhsState>;
  readonly expiry: Map<Ipv4, Timer>;
  readonly pending: Set<Ipv4>;
  /** `show ip nhrp traffic`: packets sent and received by kind. */
  readonly traffic: NhrpTraffic;
}

/**
 * NHRP (RFC 2332) with Cisco DMVPN behaviour: spokes register with their NHS, the hub learns spokes
 * dynamically and replicates multicast to them, spokes resolve each other through the hub (phase 2).
 */
export class NhrpService implements RouterModule, NbmaDirectory {
  readonly name = 'nhrp';
  readonly interfaces = new Map<string, NhrpInterface>();
  private readonly router: Router;
  private readonly tunnels: GreTunnels;
  private nextRequestId = 1;

  constructor(router: Router, tunnels: GreTunnels) {
    this.router = router;
    this.tunnels = tunnels;
    tunnels.nhrp = this;
    router.modules.push(this);
  }

  // ---- configuration ----------------------------------------------------------------------------------

  reconcile(): void {
    const seen = new Set<string>();
    for (const cfg of this.router.config.interfaces) {
      if (interfaceKind(cfg.name) !== 'tunnel' || cfg.nhrp.networkId === undefined) continue;
      seen.add(cfg.name);
      const ni = this.ensure(cfg.name);
      ni.cache.syncStatic(cfg.nhrp.maps, this.router.kernel.now);
      this.syncNhs(ni, cfg);
    }
    for (const [name, ni] of this.interfaces) if (!seen.has(name)) this.teardown(ni);
  }

  onInterfaceStateChange(ifName: string, state: InterfaceState): void {
    const ni = this.interfaces.get(ifName);
    if (!ni) return;
    if (state.protocol === 'up') {
      for (const nhs of ni.nhs.values()) this.register(ni, nhs);
    } else {
      this.clearDynamic(ni);
      for (const nhs of ni.nhs.values()) {
        nhs.timer.stop();
        nhs.status = 'E';
        nhs.upSince = undefined;
      }
    }
  }

  private ensure(name: string): NhrpInterface {
    let ni = this.interfaces.get(name);
    if (!ni) {
      ni = {
        name,
        cache: new NhrpCache(),
        dynamicMulticast: new Map(),
        nhs: new Map(),
        expiry: new Map(),
        pending: new Set(),
        traffic: new NhrpTraffic(),
      };
      this.interfaces.set(name, ni);
    }
    return ni;
  }

  private teardown(ni: NhrpInterface): void {
    for (const nhs of ni.nhs.values()) nhs.timer.stop();
    for (const t of ni.expiry.values()) t.stop();
    this.interfaces.delete(ni.name);
  }

  private syncNhs(ni: NhrpInterface, cfg: InterfaceConfig): void {
    const wanted = new Set(cfg.nhrp.nhs);
    for (const [addr, nhs] of ni.nhs) {
      if (!wanted.has(addr)) {
        nhs.timer.stop();
        ni.nhs.delete(addr);
      }
    }
    for (const addr of wanted) {
      if (ni.nhs.has(addr)) continue;
      const nhs: NhsState = {
        address: addr,
        status: 'E',
        requestId: 0,
        sent: 0,
        replies: 0,
        backoff: 1,
        timer: new Timer(this.router.kernel, bound(this, this.registerWith, ni, addr)),
      };
      ni.nhs.set(addr, nhs);
      // First registration as soon as the tunnel is up (this event, after boot settles).
      if (this.router.isUp(cfg.name)) nhs.timer.start(0);
    }
  }

  private holdtime(cfg: InterfaceConfig): number {
    return cfg.nhrp.holdtime ?? DEFAULT_HOLDTIME;
  }

  private self(cfg: InterfaceConfig): NhrpEndpoint | undefined {
    const nbma = this.tunnels.sourceAddress(cfg);
    const protocol = cfg.address?.address;
    return nbma !== undefined && protocol !== undefined ? { nbma, protocol } : undefined;
  }

  // ---- the tunnel's view ------------------------------------------------------------------------------

  nbmaFor(ifName: string, gateway: Ipv4, multicast: boolean): Ipv4[] {
    const cfg = this.router.interfaceConfig(ifName);
    const ni = this.interfaces.get(ifName);
    if (!cfg || !ni) return [];
    if (multicast) return this.multicastList(cfg, ni);
    const entry = ni.cache.get(gateway);
    if (entry?.nbma !== undefined && entry.type !== 'incomplete') {
      entry.lastUsed = this.router.kernel.now;
      entry.flags.add('used');
      return [entry.nbma];
    }
    // Phase 2: resolve through the NHS, and meanwhile send the packet to the NHS, which forwards it.
    void this.resolve(ni, cfg, gateway);
    const nhs = this.nhsNbma(ni);
    return nhs !== undefined ? [nhs] : [];
  }

  /** `ip nhrp map multicast <nbma>` entries, then the spokes added by `ip nhrp map multicast dynamic`. */
  multicastList(cfg: InterfaceConfig, ni: NhrpInterface): Ipv4[] {
    const list = new Set<Ipv4>();
    for (const m of cfg.nhrp.multicastMaps) {
      if (m !== 'dynamic') list.add(m);
      else for (const nbma of ni.dynamicMulticast.keys()) list.add(nbma);
    }
    return [...list];
  }

  private nhsNbma(ni: NhrpInterface): Ipv4 | undefined {
    for (const nhs of ni.nhs.values()) {
      const e = ni.cache.get(nhs.address);
      if (e?.nbma !== undefined) return e.nbma;
    }
    return undefined;
  }

  // ---- sending ----------------------------------------------------------------------------------------

  private async send(ni: NhrpInterface, nbma: Ipv4, m: NhrpMessage, detail: string): Promise<void> {
    const cfg = this.router.interfaceConfig(ni.name);
    if (!cfg) return;
    const bytes = encodeNhrp(m);
    ni.traffic.count('sent', m.kind, this.router.kernel.now);
    this.router.debugLog(
      'nhrp',
      () => `NHRP: Send ${nhrpTitle(m.kind)} via ${ni.name} vrf 0, packet size: ${bytes.length}`,
    );
    this.router.debugLog('nhrp', () => `      ${detail}`);
    this.router.debugLog('nhrp', () => `NHRP: ${bytes.length} bytes out ${ni.name}`);
    await this.tunnels.sendGre(cfg, nbma, GRE_PROTOCOL.NHRP, bytes);
  }

  /** Sends (or re-sends) a Registration Request to one NHS and arms the next one. */
  private register(ni: NhrpInterface, nhs: NhsState): void {
    const cfg = this.router.interfaceConfig(ni.name);
    const self = cfg && this.self(cfg);
    const nbma = ni.cache.get(nhs.address)?.nbma;
    if (!cfg || !self || nbma === undefined || !this.router.isUp(ni.name)) return;
    nhs.requestId = this.nextRequestId++;
    nhs.sent++;
    const holdtime = this.holdtime(cfg);
    const m = registrationRequest(self, nhs.address, nhs.requestId, holdtime, cfg.nhrp.authentication);
    void this.send(ni, nbma, m, `src: ${formatIpv4(self.protocol)}, dst: ${formatIpv4(nhs.address)}`);
    if (nhs.status === 'RE') {
      nhs.timer.start(seconds(cfg.nhrp.registrationTimeout ?? Math.floor(holdtime / 3)));
    } else {
      nhs.timer.start(seconds(nhs.backoff));
      nhs.backoff = Math.min(nhs.backoff * 2, MAX_REGISTRATION_BACKOFF);
    }
  }

  private async resolve(ni: NhrpInterface, cfg: InterfaceConfig, target: Ipv4): Promise<void> {
    if (ni.pending.has(target)) return;
    const self = this.self(cfg);
    const nhs = this.nhsNbma(ni);
    if (!self || nhs === undefined) return;
    ni.pending.add(target);
    const m = resolutionRequest(
      self,
      target,
      this.nextRequestId++,
      this.holdtime(cfg),
      cfg.nhrp.authentication,
    );
    await this.send(ni, nhs, m, `src: ${formatIpv4(self.protocol)}, dst: ${formatIpv4(target)}`);
    // Give up after a while so a later packet can try again.
    this.router.kernel.schedule(seconds(10), bound(this, this.forgetPending, ni, target));
  }

  /** The NHS's registration timer: registers with it while it is still configured. */
  private registerWith(ni: NhrpInterface, nhsAddress: Ipv4): void {
    const nhs = ni.nhs.get(nhsAddress);
    if (nhs) this.register(ni, nhs);
  }

  private forgetPending(ni: NhrpInterface, target: Ipv4): void {
    ni.pending.delete(target);
  }

  // ---- receiving --------------------------------------------------------------------------------------

  async receive(ifName: string, nbmaSource: Ipv4, payload: Uint8Array, outer: PacketContext): Promise<void> {
    const ni = this.interfaces.get(ifName);
    const cfg = this.router.interfaceConfig(ifName);
    // IOS's network-id is local (not on the wire): a tunnel without one simply has NHRP off.
    if (!ni || !cfg) {
      this.router.drop(outer, 0, `NHRP is not enabled on ${ifName} (no ip nhrp network-id)`);
      return;
    }
    const m = this.router.decodeOrDrop(outer, 'NHRP', decodeNhrp, payload, 'NHRP checksum is wrong');
    if (!m) return;
    ni.traffic.count('received', m.kind, this.router.kernel.now);
    this.router.debugLog(
      'nhrp',
      () => `NHRP: Receive ${nhrpTitle(m.kind)} via ${ifName} vrf 0, packet size: ${m.packetSize}`,
    );
    if (!this.authenticated(cfg, m)) {
      const got = authenticationOf(m);
      this.router.drop(
        outer,
        0,
        `NHRP authentication failure on ${ifName}: expected "${cfg.nhrp.authentication ?? ''}", got ${got === undefined ? 'no authentication' : `"${got}"`}`,
      );
      const self = this.self(cfg);
      if (self && m.kind !== 'error-indication') {
        await this.send(
          ni,
          nbmaSource,
          errorIndication(self, m, NHRP_ERROR.AUTHENTICATION_FAILURE, payload),
          'authentication failure',
        );
      }
      return;
    }
    await this.dispatch(ni, cfg, nbmaSource, m, outer);
  }

  /** RFC 2332 §5.3.4: with `ip nhrp authentication`, every packet must carry the same string. */
  private authenticated(cfg: InterfaceConfig, m: NhrpMessage): boolean {
    if (cfg.nhrp.authentication === undefined || m.kind === 'error-indication') return true;
    return authenticationOf(m) === cfg.nhrp.authentication.slice(0, 8);
  }

  private async dispatch(
    ni: NhrpInterface,
    cfg: InterfaceConfig,
    nbmaSource: Ipv4,
    m: DecodedNhrp,
    outer: PacketContext,
  ): Promise<void> {
    switch (m.kind) {
      case 'registration-request':
        return this.onRegistrationRequest(ni, cfg, nbmaSource, m);
      case 'registration-reply':
        return this.onRegistrationReply(ni, m);
      case 'resolution-request':
        return this.onResolutionRequest(ni, cfg, m);
      case 'resolution-reply':
        return this.onResolutionReply(ni, cfg, m);
      case 'purge-request':
        return this.onPurge(ni, m);
      case 'purge-reply':
        return;
      case 'error-indication':
        this.router.drop(
          outer,
          0,
          `NHRP Error Indication code ${m.errorCode} from ${formatIpv4(m.sourceProtocol)}`,
        );
        return;
    }
  }

  /** The hub (NHS) side: learn the spoke, add it to the multicast list, answer. */
  private async onRegistrationRequest(
    ni: NhrpInterface,
    cfg: InterfaceConfig,
    nbmaSource: Ipv4,
    m: DecodedRequestReply,
  ): Promise<void> {
    const self = this.self(cfg);
    if (!self) return;
    const hold = m.cies[0]?.holdingTime ?? this.holdtime(cfg);
    const existing = ni.cache.get(m.sourceProtocol);
    // RFC 2332 code 14: a unique registration from another NBMA address is refused while the entry lives.
    const clash =
      existing?.type === 'dynamic' && existing.flags.has('unique') && existing.nbma !== m.sourceNbma;
    const code = clash ? 14 : 0;
    if (!clash) this.learnSpoke(ni, cfg, m.sourceProtocol, m.sourceNbma, hold, existing);
    await this.send(
      ni,
      nbmaSource,
      registrationReply(m, self, code, cfg.nhrp.authentication),
      `src: ${formatIpv4(self.protocol)}, dst: ${formatIpv4(m.sourceProtocol)}`,
    );
  }

  private learnSpoke(
    ni: NhrpInterface,
    cfg: InterfaceConfig,
    protocol: Ipv4,
    nbma: Ipv4,
    hold: number,
    existing?: NhrpEntry,
  ): void {
    const isNew = !existing || existing.type !== 'dynamic';
    this.setDynamic(
      ni,
      protocol,
      nbma,
      hold,
      'registration',
      ['unique', 'registered', 'used', 'nhop'],
      existing,
    );
    if (cfg.nhrp.multicastMaps.includes('dynamic') && !ni.dynamicMulticast.has(nbma))
      ni.dynamicMulticast.set(nbma, this.router.kernel.now);
    if (isNew) {
      this.router.debugLog(
        'nhrp',
        () => `NHRP: Adding Tunnel Endpoints (VPN: ${formatIpv4(protocol)}, NBMA: ${formatIpv4(nbma)})`,
      );
      const self = this.self(cfg);
      this.router.log(
        'syslog',
        `%DMVPN-5-NHRP_NHC_UP: ${ni.name}: Next Hop Client : (Tunnel: ${formatIpv4(protocol)} NBMA: ${formatIpv4(nbma)} ) for (Tunnel: ${formatIpv4(self?.protocol ?? 0)} NBMA: ${formatIpv4(self?.nbma ?? 0)}) is UP`,
      );
    }
  }

  private onRegistrationReply(ni: NhrpInterface, m: DecodedRequestReply): void {
    const nhs = ni.nhs.get(m.destinationProtocol);
    if (!nhs || m.requestId !== nhs.requestId) return;
    const code = m.cies[0]?.code ?? 0;
    if (code !== 0) {
      this.router.debugLog(
        'nhrp',
        () => `NHRP: Registration with ${formatIpv4(nhs.address)} refused, code ${code}`,
      );
      return;
    }
    nhs.replies++;
    nhs.lastReply = this.router.kernel.now;
    nhs.backoff = 1;
    const cfg = this.router.interfaceConfig(ni.name);
    if (nhs.status !== 'RE' && cfg) {
      nhs.status = 'RE';
      nhs.upSince = this.router.kernel.now;
      const self = this.self(cfg);
      const nbma = ni.cache.get(nhs.address)?.nbma ?? 0;
      this.router.log(
        'syslog',
        `%DMVPN-5-NHRP_NHS_UP: ${ni.name}: Next Hop Server : (Tunnel: ${formatIpv4(nhs.address)} NBMA: ${formatIpv4(nbma)} ) for (Tunnel: ${formatIpv4(self?.protocol ?? 0)} NBMA: ${formatIpv4(self?.nbma ?? 0)}) is UP`,
      );
      nhs.timer.start(seconds(cfg.nhrp.registrationTimeout ?? Math.floor(this.holdtime(cfg) / 3)));
    }
  }

  /**
   * Phase 2 resolution. The station that owns the target answers directly to the requester; an NHS that
   * knows the target forwards the request to it (IOS: the hub does not answer for a spoke).
   */
  private async onResolutionRequest(
    ni: NhrpInterface,
    cfg: InterfaceConfig,
    m: DecodedRequestReply,
  ): Promise<void> {
    const self = this.self(cfg);
    if (!self) return;
    if (m.destinationProtocol === self.protocol) {
      const hold = this.holdtime(cfg);
      // The target learns the requester too, so its answer and its own traffic go direct.
      this.learnShortcut(ni, m.sourceProtocol, m.sourceNbma, hold);
      await this.send(
        ni,
        m.sourceNbma,
        resolutionReply(m, self, hold, cfg.nhrp.authentication),
        `src: ${formatIpv4(self.protocol)}, dst: ${formatIpv4(m.sourceProtocol)}`,
      );
      return;
    }
    const target = ni.cache.get(m.destinationProtocol);
    if (target?.nbma === undefined || m.hopCount <= 1) {
      this.router.debugLog(
        'nhrp',
        () => `NHRP: No entry for ${formatIpv4(m.destinationProtocol)}; resolution request dropped`,
      );
      return;
    }
    await this.send(
      ni,
      target.nbma,
      { ...m, hopCount: m.hopCount - 1 },
      `forwarding to ${formatIpv4(m.destinationProtocol)}`,
    );
  }

  private onResolutionReply(ni: NhrpInterface, cfg: InterfaceConfig, m: DecodedRequestReply): void {
    const cie = m.cies[0];
    if (!cie || cie.code !== 0 || cie.clientNbma === undefined) return;
    ni.pending.delete(m.destinationProtocol);
    this.learnShortcut(ni, m.destinationProtocol, cie.clientNbma, cie.holdingTime || this.holdtime(cfg));
  }

  private learnShortcut(ni: NhrpInterface, protocol: Ipv4, nbma: Ipv4, hold: number): void {
    const existing = ni.cache.get(protocol);
    if (existing && existing.type !== 'dynamic') return;
    this.setDynamic(ni, protocol, nbma, hold, 'resolution', ['router', 'nhop'], existing);
    this.router.debugLog(
      'nhrp',
      () => `NHRP: Adding Tunnel Endpoints (VPN: ${formatIpv4(protocol)}, NBMA: ${formatIpv4(nbma)})`,
    );
  }

  /** Adds or refreshes a dynamic entry (a refresh keeps its creation time) and (re)arms its expiry. */
  private setDynamic(
    ni: NhrpInterface,
    protocol: Ipv4,
    nbma: Ipv4,
    hold: number,
    learnedBy: 'registration' | 'resolution',
    flags: readonly NhrpFlag[],
    existing: NhrpEntry | undefined,
  ): void {
    const now = this.router.kernel.now;
    ni.cache.set({
      protocol,
      prefixLength: 32,
      nbma,
      type: 'dynamic',
      flags: new Set(flags),
      created: existing?.type === 'dynamic' ? existing.created : now,
      expires: now + seconds(hold),
      learnedBy,
    });
    this.armExpiry(ni, protocol, seconds(hold));
  }

  private onPurge(ni: NhrpInterface, m: DecodedRequestReply): void {
    for (const cie of m.cies)
      if (cie.clientProtocol !== undefined) this.removeEntry(ni, cie.clientProtocol, 'purged');
  }

  // ---- expiry -----------------------------------------------------------------------------------------

  private armExpiry(ni: NhrpInterface, protocol: Ipv4, after: SimTime): void {
    let t = ni.expiry.get(protocol);
    if (!t) {
      t = new Timer(this.router.kernel, bound(this, this.expire, ni, protocol));
      ni.expiry.set(protocol, t);
    }
    t.start(after);
  }

  private expire(ni: NhrpInterface, protocol: Ipv4): void {
    const entry = ni.cache.get(protocol);
    if (!entry || entry.type !== 'dynamic') return;
    const now = this.router.kernel.now;
    const cfg = this.router.interfaceConfig(ni.name);
    if (
      entry.learnedBy === 'resolution' &&
      cfg &&
      entry.lastUsed !== undefined &&
      now - entry.lastUsed < REFRESH_IF_USED_WITHIN
    ) {
      this.removeEntry(ni, protocol, 'expired, re-resolving');
      void this.resolve(ni, cfg, protocol);
      return;
    }
    this.removeEntry(ni, protocol, 'expired');
  }

  private removeEntry(ni: NhrpInterface, protocol: Ipv4, why: string): void {
    const entry = ni.cache.get(protocol);
    if (!entry || entry.type === 'static') return;
    ni.cache.delete(protocol);
    ni.expiry.get(protocol)?.stop();
    ni.expiry.delete(protocol);
    this.router.debugLog(
      'nhrp',
      () =>
        `NHRP: Deleting Tunnel Endpoints (VPN: ${formatIpv4(protocol)}, NBMA: ${formatIpv4(entry.nbma ?? 0)}) (${why})`,
    );
    if (entry.learnedBy === 'registration' && entry.nbma !== undefined) {
      ni.dynamicMulticast.delete(entry.nbma);
      const cfg = this.router.interfaceConfig(ni.name);
      const self = cfg && this.self(cfg);
      this.router.log(
        'syslog',
        `%DMVPN-5-NHRP_NHC_DOWN: ${ni.name}: Next Hop Client : (Tunnel: ${formatIpv4(protocol)} NBMA: ${formatIpv4(entry.nbma)} ) for (Tunnel: ${formatIpv4(self?.protocol ?? 0)} NBMA: ${formatIpv4(self?.nbma ?? 0)}) is DOWN, Reason: ${why}`,
      );
    }
  }

  /** `clear ip nhrp`: forget every dynamic entry (spokes re-register on their next timer). */
  clearDynamic(ni: NhrpInterface): void {
    for (const e of ni.cache.all()) if (e.type !== 'static') this.removeEntry(ni, e.protocol, 'cleared');
    ni.dynamicMulticast.clear();
    ni.pending.clear();
  }
}

/** The NHRP service on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function nhrpOf(router: Router): NhrpService | undefined {
  return serviceOf<NhrpService>(router, 'nhrp');
}
