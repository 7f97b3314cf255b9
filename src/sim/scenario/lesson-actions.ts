/**
 * A lesson button's action performed on a lab in simulated time: console lines through a console session, faults
 * as the lines the page's faults panel types (src/ui/faults.ts), runs of the kernel. Pure; the headless runner's
 * `--check` runs every action with it, and the page's lessons panel runs its run actions with it (the worker's
 * `runLesson`), typing console lines and faults at its own consoles.
 */
import { CliSession } from '../cli/cli-session';
import { renderRunningConfig } from '../config/render';
import { seconds, type SimTime } from '../kernel/time';
import { gdoiOf } from '../protocols/gdoi/gdoi-service';
import { rekeySinceLastChange } from './checks';
import { faultLines } from './fault-lines';
import type { Lab } from './lab';
import type { LessonAction, LessonFault } from './lesson-schema';

/** How long `next-rekey` waits at most for the key server's next rekey (simulated). */
export const MAX_REKEY_WAIT: SimTime = seconds(3600);
/** The members' log lines follow the KS's send by the path's delay: the run goes a little past it. */
const AFTER_REKEY: SimTime = seconds(2);
const LOOK_EVERY: SimTime = seconds(1);

/** One lab's console sessions (a Map: a device may be named `constructor`) and the faults applied. */
export class LessonDriver {
  private readonly lab: Lab;
  private readonly sessions = new Map<string, CliSession>();
  /** Per `fault:device`, the console lines that undo it. */
  private readonly applied = new Map<string, readonly string[]>();
  /** Every line typed and what the console answered, for a transcript. */
  readonly transcript: string[] = [];

  constructor(lab: Lab) {
    this.lab = lab;
  }

  async perform(action: LessonAction): Promise<void> {
    const kernel = this.lab.kernel;
    switch (action.kind) {
      case 'run-to':
        if (kernel.now < seconds(action.seconds)) await kernel.runUntil(seconds(action.seconds));
        return;
      case 'run-for':
        await kernel.runUntil(kernel.now + seconds(action.seconds));
        return;
      case 'next-rekey':
        return this.runToNextRekey(action.ks);
      case 'until-rekey':
        return this.runUntilRekey(action.member, seconds(action.maxSeconds));
      case 'cli':
        for (const line of action.lines) await this.type(action.device, line);
        return;
      case 'fault':
        return this.setFault(action.fault, action.device, action.on);
      case 'all':
        for (const a of action.actions) await this.perform(a);
        return;
    }
  }

  /** Types one line at the device's console; an unknown device is a line in the transcript, not a crash. */
  async type(device: string, line: string): Promise<void> {
    const router = this.lab.router(device);
    if (!router) {
      this.transcript.push(`% There is no device named "${device}" (line "${line}").`);
      return;
    }
    let s = this.sessions.get(device);
    if (!s) this.sessions.set(device, (s = new CliSession(router, { epochMs: this.lab.epochMs })));
    const prompt = s.prompt();
    const output = await s.execute(line);
    this.transcript.push(`${prompt}${line}`, ...(output !== '' ? [output] : []));
  }

  private rekeysSent(ks: string): number {
    const router = this.lab.router(ks);
    let n = 0;
    for (const k of (router && gdoiOf(router)?.keyServers.values()) ?? []) n += k.sent.length;
    return n;
  }

  private async runToNextRekey(ks: string): Promise<void> {
    const kernel = this.lab.kernel;
    const before = this.rekeysSent(ks);
    const sent = await kernel.runUntilCondition(
      () => this.rekeysSent(ks) > before,
      kernel.now + MAX_REKEY_WAIT,
    );
    if (sent) await kernel.runUntil(kernel.now + AFTER_REKEY);
  }

  private async runUntilRekey(member: string, max: SimTime): Promise<void> {
    const kernel = this.lab.kernel;
    const end = kernel.now + max;
    while (!rekeySinceLastChange(this.lab, member).pass && kernel.now < end)
      await kernel.runUntil(Math.min(end, kernel.now + LOOK_EVERY));
  }

  /** Applies or undoes a fault; one already in the wanted state is left alone (as the page does). */
  private async setFault(fault: LessonFault, device: string, on: boolean): Promise<void> {
    const id = `${fault}:${device}`;
    const undo = this.applied.get(id);
    if ((undo !== undefined) === on) return;
    if (undo) {
      this.applied.delete(id);
      for (const line of undo) await this.type(device, line);
      return;
    }
    const router = this.lab.router(device);
    const lines = router ? faultLines(fault, renderRunningConfig(router.config)) : undefined;
    if (!lines) {
      this.transcript.push(`% ${device} has nothing the ${fault} fault removes.`);
      return;
    }
    this.applied.set(id, lines.undo);
    for (const line of lines.apply) await this.type(device, line);
  }
}
