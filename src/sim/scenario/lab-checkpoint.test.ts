// Issue 18: the lab's own callbacks (a frame's arrival at the far end of its link, the watchdog's problem hook,
// the peer refresh after a config change) are bound to the lab, so a restored checkpoint runs them on the
// restored lab and never on the lab the checkpoint was taken from.
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import type { PacketRecord } from '../kernel/trace';
import { expectWatchdogExceptions } from '../../test-setup';
import { restoreCheckpoint, takeCheckpoint } from './checkpoint';
import { shippedLab } from './checkpoint.test-support';
import type { Lab } from './lab';

const referenceLab = (): Lab => shippedLab('getvpn-multicast-rekey');

function packets(lab: Lab): PacketRecord[] {
  return lab.kernel.trace.all().filter((r): r is PacketRecord => r.kind === 'packet');
}

/** A restored copy of `lab` at its current instant, sharing its trace recorder, and the console on `device`. */
function restoredAt(lab: Lab, device: string): { restored: Lab; cli: CliSession } {
  const cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  const cp = takeCheckpoint(lab, cli);
  const { lab: restored, extra } = restoreCheckpoint(cp, lab.kernel.trace);
  return { restored, cli: extra };
}

describe("a restored lab's own callbacks act on the restored lab (issue 18)", () => {
  it('a frame in flight at the checkpoint arrives at the restored far router, and only there', async () => {
    // The first frame the KS sends Central, found in a straight run (same scenario and seed, same trace).
    const probe = referenceLab();
    await probe.kernel.runUntil(seconds(5));
    const first = packets(probe).find((r) => r.event === 'sent' && r.device === 'KS')!;
    expect(first).toBeDefined();
    // Every frame the KS had on the link with it (one instant may send several) arrives 1 ms later.
    const inFlight = packets(probe).filter(
      (r) => r.event === 'sent' && r.device === 'KS' && r.t === first.t,
    ).length;
    // Checkpoint one microsecond after it left: it is on the link (1 ms).
    const lab = referenceLab();
    await lab.kernel.runUntil(first.t + 1);
    const { restored } = restoredAt(lab, 'KS');
    const arrivals = (l: Lab): number => l.router('Central')!.countersOf('FastEthernet0/0').packetsIn;
    const before = arrivals(lab);
    await restored.kernel.runUntil(first.t + seconds(0.002));
    const received = packets(restored).filter((r) => r.frameId === first.frameId && r.event === 'received');
    expect(received.map((r) => [r.device, r.iface, r.t])).toEqual([
      ['Central', 'FastEthernet0/0', first.t + seconds(0.001)],
    ]);
    expect(arrivals(restored)).toBe(before + inFlight);
    expect(arrivals(lab)).toBe(before);
  });

  it("`shutdown` typed in the restored console takes the restored far end down, not the original's", async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(5));
    const { restored, cli } = restoredAt(lab, 'SP');
    for (const line of ['configure terminal', 'interface Serial1/2', 'shutdown', 'end'])
      await cli.execute(line);
    // The far end's line goes down with its peer (Cisco: a shut interface drops the link's carrier).
    expect(restored.router('GM-2')!.interfaceState('Serial1/0').protocol).toBe('down');
    expect(lab.router('GM-2')!.interfaceState('Serial1/0').protocol).toBe('up');
    expect(lab.router('SP')!.interfaceConfig('Serial1/2')!.shutdown).toBeFalsy();
  });

  it('what the restored watchdog stops is listed among the restored lab problems only', async () => {
    expectWatchdogExceptions();
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(1));
    const { restored } = restoredAt(lab, 'KS');
    const before = lab.problems.length;
    restored.kernel.schedule(
      seconds(1),
      () => {
        throw new Error('boom');
      },
      'GM-1',
    );
    await restored.kernel.runUntil(seconds(3));
    expect(restored.problems.slice(before).map((p) => [p.device, p.message])).toEqual([
      [
        'GM-1',
        'GM-1: the simulator failed while handling an event (Error: boom); that event was abandoned and the lab goes on.',
      ],
    ]);
    expect(lab.problems.length).toBe(before);
  });
});
