/**
 * PIM BSR (RFC 5059) on one router: the candidate-BSR state machine with its bootstrap timer (§3.1.1), the
 * non-candidate acceptance of Bootstraps (§3.1.2) with the RPF check on the BSR address (§3.1.3), hop-by-hop
 * flooding to ALL-PIM-ROUTERS never back out the arrival interface (§3.4), the elected BSR's RP-set built from
 * Candidate-RP-Advertisements (§3.2, §3.3), and the candidate RP unicasting its advertisement to the BSR every
 * C_RP_Adv_Period. The RP-set feeds PIM's RP choice through `RpMappingSource` (hash: RFC 7761 §4.7.2).
 *
 * Debug lines are IOS's `debug ip pim bsr` (published output: "PIM-BSR(0): 2.2.2.2 bootstrap forwarded on
 * FastEthernet0/0", "PIM-BSR(0): bootstrap on non-RPF path Loopback0", "PIM-BSR(0) BSR 2.2.2.2 expired",
 * "PIM-BSR(0): RP-set for 224.0.0.0/4", "PIM-BSR(0):   RP(1) 2.2.2.2, holdtime 150 sec priority 0",
 * "PIM-BSR(0): Bootstrap message for 1.1.1.1 originated", "PIM-BSR(0):  RP 3.3.3.3, 1 Group Prefixes,
 * Priority 0, Holdtime 150", "PIM-BSR(0): Mapping (224.0.0.0/4, RP:2.2.2.2) with holdtime 150 expired on BSR").
 */
import { interfaceKind } from '../../../device/interface-state';
import type { LazyText, PacketContext, Router, RouterModule } from '../../../device/router';
import { bound } from '../../../kernel/bound';
import type { Prng } from '../../../kernel/prng';
import { seconds, type SimTime } from '../../../kernel/time';
import { Timer } from '../../../kernel/timer';
import { IP_PROTO } from '../../../net/ipv4';
import { formatIpv4, type Ipv4, isMulticast } from '../../../net/ipv4-address';
import { PIM_TYPE } from '../../../net/pim';
import { formatPrefix, makePrefix, prefixContains } from '../../../net/prefix';
import { serviceOf } from '../../services';
import { ALL_PIM_ROUTERS, TOS_INTERNETWORK_CONTROL } from '../hello';
import type { PimService } from '../pim-service';
import { ALL_MULTICAST, type RpMapping, type RpMappingSource } from '../rp';
import { describeRpf, lookupRpf } from '../rpf';
import {
  type BootstrapMessage,
  type CandidateRpAdvertisement,
  encodeBootstrap,
  readBootstrapBody,
  readCandidateRpBody,
} from './bsr-codec';
import { type BsrConfig, type CandidateBsrConfig, type CandidateRpConfig } from './bsr-config';
import { type BsrIdentity, preferredBsr, randOverride } from './bsr-election';
import { CandidateRp, type CandidateRpHost } from './candidate-rp';
import { RpSet, rpSetKey } from './rp-set';

export const DEBUG_BSR = 'ip pim bsr';
/** RFC 5059 §5: BS_Period, the elected BSR's Bootstrap interval. */
export const BS_PERIOD = seconds(60);
/** RFC 5059 §5: BS_Timeout, how long a BSR is kept without a Bootstrap (IOS: `Expires: 00:02:10` at most). */
export const BS_TIMEOUT = seconds(130);

/**
 * RFC 5059 §3.1.1 states: a C-BSR is `candidate` (another BSR is preferred), `pending` (waiting out its
 * Rand_Override before claiming) or `elected`; a router that is not a candidate accepts `any` Bootstrap until it
 * knows a BSR, then only `preferred` ones (§3.1.2).
 */
export type BsrState = 'accept-any' | 'accept-preferred' | 'candidate' | 'pending' | 'elected';

/** The BSR this router follows (or itself, when elected), as `show ip pim bsr-router` prints it. */
export interface KnownBsr {
  readonly address: Ipv4;
  readonly priority: number;
  readonly hashMaskLength: number;
  readonly since: SimTime;
}

/** The descriptor id this service is attached under (`protocols/registry.ts`). */
export const PIM_BSR_ID = 'pim-bsr';

/** The BSR service attached to `router`, if any (for its show commands). */
export function bsrServiceOf(router: Router): BsrService | undefined {
  return serviceOf<BsrService>(router, PIM_BSR_ID);
}

export class BsrService implements RouterModule, RpMappingSource, CandidateRpHost {
  readonly name = PIM_BSR_ID;
  readonly router: Router;
  readonly pim: PimService;
  private readonly readConfig: () => BsrConfig;
  private readonly bootstrapTimer: Timer;
  private readonly candidateRp: CandidateRp;
  /** Elected BSR: the C-RP cache. Everyone else: the RP-set of the last accepted Bootstrap. */
  private readonly candidates: RpSet;
  private readonly learned: RpSet;
  private prng: Prng | undefined;
  private stateValue: BsrState = 'accept-any';
  private bsrValue: KnownBsr | undefined;

  constructor(router: Router, pim: PimService, readConfig: () => BsrConfig) {
    this.router = router;
    this.pim = pim;
    this.readConfig = readConfig;
    // Every callback handed out is bound (kernel/bound.ts), not a closure, so a checkpoint copies it.
    this.bootstrapTimer = new Timer(router.kernel, bound(this, this.bootstrapTimerExpired));
    this.candidateRp = new CandidateRp(this);
    this.candidates = new RpSet(router.kernel, bound(this, this.candidateExpired));
    this.learned = new RpSet(router.kernel, bound(this, this.rpSetChanged, true));
    pim.setTypeHandler(PIM_TYPE.BOOTSTRAP, { receive: bound(this, this.receiveBootstrap) });
    pim.setTypeHandler(PIM_TYPE.CANDIDATE_RP_ADVERTISEMENT, {
      unicast: true,
      receive: bound(this, this.receiveCandidateRp),
    });
    pim.addRpSource(this);
    router.modules.push(this);
  }

  get state(): BsrState {
    return this.stateValue;
  }

  /** The BSR we follow, or ourselves when elected. */
  get bsr(): KnownBsr | undefined {
    return this.bsrValue;
  }

  get config(): BsrConfig {
    return this.readConfig();
  }

  /** When the bootstrap timer fires: the next Bootstrap (elected) or the BSR's expiry (everyone else). */
  get bootstrapDue(): SimTime | undefined {
    const left = this.bootstrapTimer.remaining;
    return left === undefined ? undefined : this.router.kernel.now + left;
  }

  get advertisementDue(): SimTime | undefined {
    return this.candidateRp.due;
  }

  candidateRpConfig(): CandidateRpConfig | undefined {
    return this.config.candidateRp;
  }

  bsrAddress(): Ipv4 | undefined {
    return this.bsrValue?.address;
  }

  get isElected(): boolean {
    return this.stateValue === 'elected';
  }

  /** Our C-BSR address, while the candidate interface is up with an address and multicast routing is on. */
  candidateBsrAddress(): Ipv4 | undefined {
    return this.interfaceAddress(this.config.candidateBsr?.interface);
  }

  candidateRpAddress(): Ipv4 | undefined {
    return this.interfaceAddress(this.config.candidateRp?.interface);
  }

  private interfaceAddress(ifName: string | undefined): Ipv4 | undefined {
    if (ifName === undefined || !this.pim.enabled || !this.router.isUp(ifName)) return undefined;
    return this.router.interfaceAddress(ifName);
  }

  // ---- RpMappingSource ----------------------------------------------------------------------------------

  private activeSet(): RpSet {
    return this.isElected ? this.candidates : this.learned;
  }

  rpMappingFor(group: Ipv4): RpMapping | undefined {
    if (!this.bsrValue && this.activeSet().size === 0) return undefined;
    return this.activeSet().choose(group, this.bsrValue?.hashMaskLength ?? 0);
  }

  /** `show ip pim rp-hash`: every RP-set entry covering `group`, with its hash value, and the hash mask. */
  rpHash(group: Ipv4): { chosen: RpMapping | undefined; hashMaskLength: number; candidates: RpMapping[] } {
    const hashMaskLength = this.bsrValue?.hashMaskLength ?? 0;
    const covering = this.activeSet()
      .mappings()
      .filter((m) => prefixContains(m.prefix, group));
    return { chosen: this.rpMappingFor(group), hashMaskLength, candidates: covering };
  }

  /**
   * IOS prints `This system is a candidate RP (v2)` on a C-RP and `This system is the Bootstrap Router (v2)` on
   * the BSR (NetworkLessons, "Multicast PIM Bootstrap (BSR)"); on a box that is both, their order is [INF].
   */
  rpMappingShow(): { headers: string[]; mappings: RpMapping[] } {
    const headers: string[] = [];
    if (this.candidateRpAddress() !== undefined) headers.push('This system is a candidate RP (v2)');
    if (this.isElected) headers.push('This system is the Bootstrap Router (v2)');
    return { headers, mappings: this.activeSet().mappings() };
  }

  // ---- configuration ------------------------------------------------------------------------------------

  reconcile(): void {
    if (!this.pim.enabled) {
      this.reset();
      return;
    }
    const candidate = this.candidateBsrAddress() !== undefined;
    const claiming = this.stateValue === 'candidate' || this.stateValue === 'pending' || this.isElected;
    if (candidate && !claiming) this.enterPending();
    if (!candidate && claiming) this.stopCandidacy();
    if (this.isElected && this.bsrValue && this.bsrValue.address !== this.candidateBsrAddress())
      this.enterPending();
    this.candidateRp.reconcile();
  }

  private reset(): void {
    this.bootstrapTimer.stop();
    this.candidateRp.stop();
    const had = this.candidates.size + this.learned.size > 0;
    this.candidates.clear();
    this.learned.clear();
    this.stateValue = 'accept-any';
    this.bsrValue = undefined;
    if (had) this.pim.recompute();
  }

  /** RFC 5059 §3.1.1: a new C-BSR waits Rand_Override before claiming, so a better candidate can speak first. */
  private enterPending(): void {
    this.stateValue = 'pending';
    const me = this.config.candidateBsr;
    const address = this.candidateBsrAddress() ?? 0;
    this.bootstrapTimer.start(randOverride({ priority: me?.priority ?? 0, address }, this.bsrValue));
  }

  /** `no ip pim bsr-candidate`: an elected BSR (or one re-claiming after an address change) steps down. */
  private stopCandidacy(): void {
    const wasUs = this.bsrValue !== undefined && this.router.ownsAddress(this.bsrValue.address);
    const wasPending = this.stateValue === 'pending';
    if (this.isElected || wasUs) {
      this.bsrValue = undefined;
      this.candidates.clear();
      this.pim.recompute();
    }
    // A pending claim is dropped; another known BSR keeps its BS_Timeout (the timer already runs for it).
    if (wasPending || !this.bsrValue) this.bootstrapTimer.stop();
    this.stateValue = this.bsrValue ? 'accept-preferred' : 'accept-any';
  }

  // ---- the bootstrap timer ------------------------------------------------------------------------------

  private bootstrapTimerExpired(): void {
    switch (this.stateValue) {
      case 'pending':
      case 'elected':
        this.originate();
        return;
      case 'candidate':
        this.bsrExpired();
        this.enterPending();
        return;
      case 'accept-preferred':
        this.bsrExpired();
        this.stateValue = 'accept-any';
        return;
      case 'accept-any':
        return;
    }
  }

  private bsrExpired(): void {
    const old = this.bsrValue;
    if (old) this.debug(() => `PIM-BSR(0) BSR ${formatIpv4(old.address)} expired`);
    // The RP-set stays until its own holdtimes run out (RFC 5059 §3.1.2: the BSR timer does not flush it).
    this.bsrValue = undefined;
  }

  // ---- the elected BSR ----------------------------------------------------------------------------------

  private originate(): void {
    const me = this.config.candidateBsr;
    const address = this.candidateBsrAddress();
    if (!me || address === undefined) return;
    const becoming = !this.isElected;
    this.stateValue = 'elected';
    this.bootstrapTimer.start(BS_PERIOD);
    const fresh = becoming || this.bsrValue?.address !== address;
    const hashChanged = this.bsrValue?.hashMaskLength !== me.hashMaskLength;
    // A new priority or hash mask length from the console goes out with this Bootstrap.
    this.bsrValue = {
      address,
      priority: me.priority,
      hashMaskLength: me.hashMaskLength,
      since: fresh || !this.bsrValue ? this.router.kernel.now : this.bsrValue.since,
    };
    if (hashChanged && !fresh) this.pim.recompute();
    if (fresh) {
      this.learned.clear();
      // Our own C-RP joins the RP-set before the first Bootstrap leaves (no wait for its next period).
      void this.candidateRp.advertise();
      this.pim.recompute();
    }
    const msg = this.bootstrapFrom(me, address);
    for (const r of msg.ranges) {
      this.debug(
        () => `PIM-BSR(0): RP-set for ${formatPrefix(makePrefix(r.group.address, r.group.maskLength))}`,
      );
      r.rps.forEach((rp, i) =>
        this.debug(
          () =>
            `PIM-BSR(0):   RP(${i + 1}) ${formatIpv4(rp.rp)}, holdtime ${rp.holdtime} sec priority ${rp.priority}`,
        ),
      );
    }
    this.debug(() => `PIM-BSR(0): Bootstrap message for ${formatIpv4(address)} originated`);
    void this.flood(encodeBootstrap(msg), undefined, address);
  }

  /** Our RP-set as one Bootstrap fragment, ranges in address order (RFC 5059 §4.1). */
  private bootstrapFrom(me: CandidateBsrConfig, address: Ipv4): BootstrapMessage {
    return {
      fragmentTag: this.fragmentTag(),
      hashMaskLength: me.hashMaskLength,
      bsrPriority: me.priority,
      bsrAddress: address,
      ranges: this.candidates.bootstrapRanges(),
    };
  }

  /** RFC 5059 §3.6: a random tag per Bootstrap, from the lab's seeded PRNG (drawn only where BSR runs). */
  private fragmentTag(): number {
    this.prng ??= this.router.kernel.prng.fork(`pim-bsr ${this.router.name}`);
    return this.prng.nextInt(0, 0xffff);
  }

  private receiveCandidateRp(ctx: PacketContext, _ifName: string, body: Uint8Array): void {
    let adv: CandidateRpAdvertisement;
    try {
      adv = readCandidateRpBody(body);
    } catch (e) {
      this.router.drop(
        ctx,
        0,
        `malformed PIM Candidate-RP-Advertisement: ${e instanceof Error ? e.message : String(e)}`,
      );
      return;
    }
    if (!this.isElected) {
      this.router.drop(ctx, 0, 'Candidate-RP-Advertisement received, but this router is not the elected BSR');
      return;
    }
    this.takeCandidate(adv);
  }

  /** An advertisement for our RP-set (RFC 5059 §3.3), from a C-RP or our own. */
  takeCandidate(adv: CandidateRpAdvertisement): void {
    const count = Math.max(1, adv.groups.length);
    this.debug(
      () =>
        `PIM-BSR(0):  RP ${formatIpv4(adv.rp)}, ${count} Group Prefixes, Priority ${adv.priority}, Holdtime ${adv.holdtime}`,
    );
    const prefixes = adv.groups.length
      ? adv.groups.map((g) => makePrefix(g.address, g.maskLength))
      : [ALL_MULTICAST];
    let changed = false;
    for (const p of prefixes)
      changed = this.candidates.put(p, adv.rp, adv.priority, adv.holdtime, adv.rp) || changed;
    if (changed) this.pim.recompute();
  }

  private candidateExpired(m: RpMapping): void {
    this.debug(
      () =>
        `PIM-BSR(0): Mapping (${formatPrefix(m.prefix)}, RP:${formatIpv4(m.rp)}) with holdtime ${m.holdtime ?? 0} expired on BSR`,
    );
    this.rpSetChanged(true);
  }

  private rpSetChanged(expired: boolean): void {
    if (expired) this.pim.rpMappingExpired();
    else this.pim.recompute();
  }

  // ---- receiving and forwarding Bootstraps --------------------------------------------------------------

  private async receiveBootstrap(ctx: PacketContext, ifName: string, body: Uint8Array): Promise<void> {
    let msg: BootstrapMessage;
    try {
      msg = readBootstrapBody(body);
    } catch (e) {
      this.router.drop(ctx, 0, `malformed PIM Bootstrap: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const from = ctx.datagram.header.source;
    if (!this.passesRpf(ctx, ifName, from, msg.bsrAddress)) return;
    if (this.router.ownsAddress(msg.bsrAddress)) return;
    if (!this.accepts(msg)) {
      this.router.drop(
        ctx,
        0,
        `Bootstrap from BSR ${formatIpv4(msg.bsrAddress)} is not preferred over the current BSR`,
      );
      return;
    }
    this.accept(msg);
    await this.flood(encodeBootstrap(msg), ifName, msg.bsrAddress);
  }

  /**
   * RFC 5059 §3.1.3: a Bootstrap to ALL-PIM-ROUTERS must come from a PIM neighbour and from our RPF neighbour
   * towards the BSR address, on the RPF interface. Over DMVPN a spoke's RPF for the BSR (the KS loopback)
   * follows the unicast route out the WAN unless a static `ip mroute` points it at the hub over the tunnel, the
   * same lesson as Auto-RP's discoveries.
   */
  private passesRpf(ctx: PacketContext, ifName: string, from: Ipv4, bsr: Ipv4): boolean {
    if (!isMulticast(ctx.datagram.header.destination)) return true;
    if (!this.pim.neighbors.get(ifName, from)) {
      this.router.drop(ctx, 0, `Bootstrap from ${formatIpv4(from)}, not a PIM neighbour on ${ifName}`);
      return false;
    }
    const rpf = lookupRpf(this.router, bsr);
    if (rpf && rpf.interface === ifName && (rpf.neighbor === 0 || rpf.neighbor === from)) return true;
    this.debug(() => `PIM-BSR(0): bootstrap on non-RPF path ${ifName}`);
    const expected = rpf ? `RPF interface ${rpf.interface} (${describeRpf(rpf)})` : 'no route back';
    this.router.drop(
      ctx,
      0,
      `RPF check failed for Bootstrap from BSR ${formatIpv4(bsr)}: arrived on ${ifName} from ${formatIpv4(from)}, ${expected}`,
    );
    return false;
  }

  /** Whether the Bootstrap is taken in our state (RFC 5059 §3.1.1 and §3.1.2), moving state as it does. */
  private accepts(msg: BootstrapMessage): boolean {
    const current = this.bsrValue;
    const fromCurrent = current?.address === msg.bsrAddress;
    const beatsCurrent = !current || fromCurrent || preferredBsr(identityOf(msg), current);
    switch (this.stateValue) {
      case 'accept-any':
        return true;
      case 'accept-preferred':
        return beatsCurrent;
      case 'pending':
      case 'elected':
        return this.beatsUs(msg);
      case 'candidate':
        if (fromCurrent && !this.beatsUs(msg)) {
          // Our BSR fell below us: claim the role (RFC 5059 §3.1.1, C-BSR "Receive non-preferred BSM from BSR").
          this.enterPending();
          return false;
        }
        return beatsCurrent && this.beatsUs(msg);
    }
  }

  private beatsUs(msg: BootstrapMessage): boolean {
    const me = this.config.candidateBsr;
    const address = this.candidateBsrAddress();
    if (!me || address === undefined) return true;
    return preferredBsr(identityOf(msg), { priority: me.priority, address });
  }

  private accept(msg: BootstrapMessage): void {
    const current = this.bsrValue;
    const newBsr = current?.address !== msg.bsrAddress;
    const wasElected = this.isElected;
    this.stateValue =
      this.config.candidateBsr && this.candidateBsrAddress() !== undefined ? 'candidate' : 'accept-preferred';
    this.bsrValue = {
      address: msg.bsrAddress,
      priority: msg.bsrPriority,
      hashMaskLength: msg.hashMaskLength,
      since: newBsr || !current ? this.router.kernel.now : current.since,
    };
    this.bootstrapTimer.start(BS_TIMEOUT);
    if (wasElected) this.candidates.clear();
    const keep = new Set<string>();
    for (const r of msg.ranges) {
      const prefix = makePrefix(r.group.address, r.group.maskLength);
      for (const rp of r.rps) {
        keep.add(rpSetKey(rp.rp, prefix));
        this.learned.put(prefix, rp.rp, rp.priority, rp.holdtime, msg.bsrAddress);
      }
    }
    this.learned.retainOnly(keep);
    this.pim.recompute();
    // A C-RP tells a newly learned BSR about itself at once (RFC 5059 §3.2), then every C_RP_Adv_Period.
    if (newBsr) this.candidateRp.soon();
  }

  /**
   * Sends a Bootstrap out every PIM interface but `arrival` (RFC 5059 §3.4: never back where it came from, so
   * on an mGRE hub a BSR behind one spoke never reaches the others; `ip pim nbma-mode` changes only Join/Prune
   * handling, not this link-local flooding [INF]). Loopbacks have no neighbour to hear it.
   */
  private async flood(bytes: Uint8Array, arrival: string | undefined, bsr: Ipv4): Promise<void> {
    for (const ifName of this.pim.pimInterfaces()) {
      if (ifName === arrival || interfaceKind(ifName) === 'loopback') continue;
      if (arrival !== undefined)
        this.debug(() => `PIM-BSR(0): ${formatIpv4(bsr)} bootstrap forwarded on ${ifName}`);
      await this.router.sendIp({
        destination: ALL_PIM_ROUTERS,
        protocol: IP_PROTO.PIM,
        payload: bytes,
        outInterface: ifName,
        ttl: 1,
        tos: TOS_INTERNETWORK_CONTROL,
      });
    }
  }

  private debug(text: LazyText): void {
    this.router.debugLog(DEBUG_BSR, text);
  }
}

function identityOf(msg: BootstrapMessage): BsrIdentity {
  return { priority: msg.bsrPriority, address: msg.bsrAddress };
}
