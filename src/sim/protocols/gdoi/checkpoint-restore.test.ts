// Issue 18 (checkpoints): a GET VPN lab restored from a checkpoint taken in the middle of a rekey runs on exactly as
// the run it was taken from: the key server's pending retransmissions, a member's paced push processing (the
// article's `debug crypto gdoi` lines, 44 ms for the signature then ~4 ms a step), its ACK-free TEK install and
// re-registration timers all come back. Compared with a straight run of the same scenario and seed.
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds, type SimTime } from '../../kernel/time';
import type { TraceRecord } from '../../kernel/trace';
import { restoreCheckpoint, takeCheckpoint } from '../../scenario/checkpoint';
import { shippedLab } from '../../scenario/checkpoint.test-support';
import type { Lab } from '../../scenario/lab';

const END = seconds(420);

async function referenceLab(): Promise<Lab> {
  const lab = shippedLab('getvpn-multicast-rekey');
  await new CliSession(lab.router('GM-1')!, { epochMs: lab.epochMs }).execute('debug crypto gdoi');
  return lab;
}

/** What a student sees of records from `from` on: packets (where, what) and log lines. */
function seen(lab: Lab, from: SimTime): string[] {
  return lab.kernel.trace
    .all()
    .filter((r: TraceRecord) => r.t >= from)
    .flatMap((r) => {
      if (r.kind === 'packet') return [`${r.t} ${r.device} ${r.event} ${r.iface ?? ''} ${r.summary}`];
      if (r.kind === 'log') return [`${r.t} ${r.device} ${r.text}`];
      return [];
    });
}

async function show(lab: Lab, device: string, command: string): Promise<string> {
  return new CliSession(lab.router(device)!, { epochMs: lab.epochMs }).execute(command);
}

describe('a GET VPN lab restored mid-rekey runs on as the straight run does (issue 18)', () => {
  it('restored while GM-1 processes the first KEK rekey and the KS retransmits it', async () => {
    const straight = await referenceLab();
    await straight.kernel.runUntil(END);
    // The first rekey GM-1 receives (the article: `GDOI:INFRA:(GDOI_GM:...):Received Rekey Message!`).
    const received = straight.kernel.trace
      .all()
      .find((r) => r.kind === 'log' && r.device === 'GM-1' && r.text.endsWith(':Received Rekey Message!'));
    expect(received).toBeDefined();
    // 1 µs later: its signature check (44 ms) and the debug lines after it are still to come.
    const at = received!.t + 1;

    const lab = await referenceLab();
    await lab.kernel.runUntil(at);
    const cp = takeCheckpoint(lab, undefined);
    // The original runs on past the rekey (what a user sees before going back in time)...
    await lab.kernel.runUntil(END);
    const first = seen(lab, at);
    // ...then the checkpoint is restored onto the same trace and run again to the same instant.
    const { lab: restored } = restoreCheckpoint(cp, lab.kernel.trace);
    expect(restored.kernel.now).toBe(at);
    await restored.kernel.runUntil(END);
    const again = seen(restored, at);

    // GM-1's paced lines after the checkpoint, its GM_RECV_REKEY and the KS's next rekey are all there.
    expect(again.some((l) => l.includes('GM-1 GDOI:INFRA:') && l.includes('Signature Valid!'))).toBe(true);
    expect(again.some((l) => l.includes('GM-1 %GDOI-5-GM_RECV_REKEY'))).toBe(true);
    expect(again.filter((l) => l.includes('KS %GDOI-5-KS_SEND_MCAST_REKEY')).length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    expect(again).toEqual(seen(straight, at));
    for (const [device, command] of [
      ['GM-1', 'show crypto gdoi'],
      ['KS', 'show crypto gdoi ks members'],
      ['GM-2', 'show crypto gdoi gm rekey'],
    ] as const) {
      expect(await show(restored, device, command), `${device} ${command}`).toBe(
        await show(straight, device, command),
      );
    }
  }, 120_000);
});
