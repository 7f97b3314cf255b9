import type { Router } from '../../device/router';
import { bound } from '../../kernel/bound';
import type { TimerHandle } from '../../kernel/kernel';
import type { Prng } from '../../kernel/prng';
import { millis, seconds, type SimTime } from '../../kernel/time';
import { IP_PROTO } from '../../net/ipv4';
import { encodePim, type PimHelloOption } from '../../net/pim';
import { Timer } from '../../kernel/timer';

/** ALL-PIM-ROUTERS (RFC 7761 §4.9: hellos, Join/Prunes and Asserts go here with TTL 1). */
export const ALL_PIM_ROUTERS = 0xe000000d; // 224.0.0.13
/** IOS sends PIM control packets with precedence 6 (ToS 0xC0). */
export const TOS_INTERNETWORK_CONTROL = 0xc0;
/** RFC 7761 §4.11: Hello_Period 30 s, Default_Hello_Holdtime 3.5 × Hello_Period. */
export const HELLO_PERIOD = 30;
/** Triggered_Hello_Delay: the first hello goes out at a random time within 5 s. */
const TRIGGERED_HELLO_DELAY_MS = 5000;
/** Answers to new neighbours closer together than this are merged into one (see `answerNewNeighbor`). */
const ANSWER_HOLDDOWN = seconds(1);

/** Holdtime advertised for a hello period: 3.5 × period (105 s for the default 30 s). */
export function helloHoldtime(period: number): number {
  return Math.min(0xffff, Math.floor(period * 3.5));
}

/**
 * The options in the order Cisco IOS sends them (IOS packet captures): Holdtime, Generation ID,
 * Bidir Capable (22), DR Priority, State-Refresh (21, version 1, interval 0), RPF Vector (65004).
 */
export function helloOptions(holdtime: number, generationId: number, drPriority: number): PimHelloOption[] {
  return [
    { kind: 'holdtime', holdtime },
    { kind: 'generation-id', generationId },
    { kind: 'other', type: 22, value: new Uint8Array(0) },
    { kind: 'dr-priority', priority: drPriority },
    { kind: 'other', type: 21, value: new Uint8Array([1, 0, 0, 0]) },
    { kind: 'other', type: 65004, value: new Uint8Array(0) },
  ];
}

/** Periodic and triggered hellos on one PIM interface. */
export class HelloSender {
  private readonly router: Router;
  readonly ifName: string;
  readonly generationId: number;
  /** Hellos sent (`PIM Hello packets in/out`). */
  sent = 0;
  private readonly timer: Timer;
  /** When the last answer to a new neighbour left, and the merged answer waiting for the hold-down, if any. */
  private lastAnswer: SimTime | undefined;
  private pendingAnswer: TimerHandle | undefined;

  constructor(router: Router, ifName: string, prng: Prng) {
    this.router = router;
    this.ifName = ifName;
    this.generationId = prng.nextU32();
    this.timer = new Timer(router.kernel, bound(this, this.periodic));
    this.timer.start(millis(prng.nextInt(1, TRIGGERED_HELLO_DELAY_MS)));
  }

  get period(): number {
    return this.router.interfaceConfig(this.ifName)?.pim.queryInterval ?? HELLO_PERIOD;
  }

  private async periodic(): Promise<void> {
    this.timer.start(seconds(this.period));
    await this.send();
  }

  /** Sends a hello now (IOS answers a new neighbour's hello at once, as captures show). */
  async send(holdtime = helloHoldtime(this.period)): Promise<void> {
    const cfg = this.router.interfaceConfig(this.ifName);
    this.sent++;
    const payload = encodePim({
      kind: 'hello',
      options: helloOptions(holdtime, this.generationId, cfg?.pim.drPriority ?? 1),
    });
    await this.router.sendIp({
      destination: ALL_PIM_ROUTERS,
      protocol: IP_PROTO.PIM,
      payload,
      outInterface: this.ifName,
      ttl: 1,
      tos: TOS_INTERNETWORK_CONTROL,
    });
  }

  /**
   * Answers a new (or restarted) neighbour. IOS answers at once (under 1 ms in IOS packet captures), and
   * the first new neighbour still is. But on a DMVPN hub every hello is replicated to every registered spoke, so
   * answering each of 1000 spokes as it comes up is a million packets at boot. A neighbour that appears less
   * than ANSWER_HOLDDOWN after the last answer gets one merged answer when the hold-down ends, which serves every
   * neighbour that appeared meanwhile; FRR likewise keeps one pending triggered hello instead of adding more
   * (pimd `pim_hello_restart_triggered`), and RFC 7761 §4.3.1 allows up to Triggered_Hello_Delay (5 s).
   */
  answerNewNeighbor(): void {
    if (this.pendingAnswer) return;
    const kernel = this.router.kernel;
    const last = this.lastAnswer;
    if (last === undefined || kernel.now - last >= ANSWER_HOLDDOWN) {
      this.lastAnswer = kernel.now;
      void this.send();
      return;
    }
    this.pendingAnswer = kernel.at(last + ANSWER_HOLDDOWN, bound(this, this.sendMergedAnswer));
  }

  /** The hold-down ended: one answer for every neighbour that appeared during it. */
  private sendMergedAnswer(): Promise<void> {
    this.pendingAnswer = undefined;
    this.lastAnswer = this.router.kernel.now;
    return this.send();
  }

  /** Stops the hellos; `goodbye` sends a holdtime-0 hello first (RFC 7761 §4.3.1). */
  stop(goodbye: boolean): void {
    this.timer.stop();
    this.router.kernel.cancel(this.pendingAnswer);
    this.pendingAnswer = undefined;
    if (goodbye) void this.send(0);
  }
}
