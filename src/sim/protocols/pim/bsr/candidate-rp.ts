/**
 * The candidate RP (RFC 5059 §3.2): every C_RP_Adv_Period it unicasts a Candidate-RP-Advertisement to the
 * elected BSR, with holdtime 2.5 × the period (IOS: `Holdtime 150 seconds`, `Advertisement interval 60
 * seconds`). On the BSR itself the advertisement goes straight into the RP-set. IOS runs the timer even before
 * it knows a BSR (`Next advertisement in 00:00:50` with no BSR address), and sends nothing until it does.
 */
import type { Router } from '../../../device/router';
import { bound } from '../../../kernel/bound';
import { seconds, type SimTime } from '../../../kernel/time';
import { Timer } from '../../../kernel/timer';
import { IP_PROTO } from '../../../net/ipv4';
import type { Ipv4 } from '../../../net/ipv4-address';
import type { PimEncodedGroup } from '../../../net/pim';
import { TOS_INTERNETWORK_CONTROL } from '../hello';
import { aclGroupRanges } from '../rp';
import { type CandidateRpAdvertisement, encodeCandidateRpAdvertisement } from './bsr-codec';
import { candidateRpHoldtime, type CandidateRpConfig } from './bsr-config';

/** What the C-RP needs from the BSR service it runs in. */
export interface CandidateRpHost {
  readonly router: Router;
  candidateRpConfig(): CandidateRpConfig | undefined;
  candidateRpAddress(): Ipv4 | undefined;
  /** The elected BSR's address; undefined while none is known. */
  bsrAddress(): Ipv4 | undefined;
  /** This router is the BSR: the advertisement is taken locally. */
  readonly isElected: boolean;
  takeCandidate(adv: CandidateRpAdvertisement): void;
}

export class CandidateRp {
  private readonly host: CandidateRpHost;
  private readonly timer: Timer;

  constructor(host: CandidateRpHost) {
    this.host = host;
    // A bound method (kernel/bound.ts), not a closure, so a checkpoint copies the timer.
    this.timer = new Timer(host.router.kernel, bound(this, this.periodic));
  }

  /** When the next advertisement is due (`Next advertisement in`). */
  get due(): SimTime | undefined {
    const left = this.timer.remaining;
    return left === undefined ? undefined : this.host.router.kernel.now + left;
  }

  /** Follows the config: the timer runs while `ip pim rp-candidate` is configured. */
  reconcile(): void {
    const cfg = this.host.candidateRpConfig();
    if (cfg && !this.timer.running) this.timer.start(seconds(cfg.interval));
    if (!cfg) this.timer.stop();
  }

  stop(): void {
    this.timer.stop();
  }

  /** A new BSR was learned: tell it at once (RFC 5059 §3.2), then every period. */
  soon(): void {
    if (this.host.candidateRpConfig()) this.timer.start(0);
  }

  private async periodic(): Promise<void> {
    const cfg = this.host.candidateRpConfig();
    if (!cfg) return;
    this.timer.start(seconds(cfg.interval));
    await this.advertise();
  }

  /** One advertisement, unicast to the BSR or, when we are the BSR, taken into our own RP-set. */
  async advertise(): Promise<void> {
    const cfg = this.host.candidateRpConfig();
    const rp = this.host.candidateRpAddress();
    const bsr = this.host.bsrAddress();
    if (!cfg || rp === undefined || bsr === undefined) return;
    if (!this.timer.running) this.timer.start(seconds(cfg.interval));
    const adv: CandidateRpAdvertisement = {
      priority: cfg.priority,
      holdtime: candidateRpHoldtime(cfg.interval),
      rp,
      groups: this.groups(cfg),
    };
    if (this.host.isElected) {
      this.host.takeCandidate(adv);
      return;
    }
    await this.host.router.sendIp({
      destination: bsr,
      source: rp,
      protocol: IP_PROTO.PIM,
      payload: encodeCandidateRpAdvertisement(adv),
      tos: TOS_INTERNETWORK_CONTROL,
    });
  }

  /** The group-list's permits, or none: every multicast group (RFC 5059 §4.2, Prefix Count 0). */
  private groups(cfg: CandidateRpConfig): PimEncodedGroup[] {
    if (cfg.groupList === undefined) return [];
    return aclGroupRanges(this.host.router.config.accessLists.get(cfg.groupList))
      .filter((r) => !r.negative)
      .map((r) => ({ address: r.prefix.network, maskLength: r.prefix.length }));
  }
}
