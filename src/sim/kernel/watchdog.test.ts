// The kernel's watchdog (issue 13): no sequence of events stops simulated time. Runaway work is stopped for the
// router it belongs to, logged as IOS's process watchdog would ("%SYS-3-CPUHOG", Cisco Document ID 15093 "What
// Causes %SYS-3-CPUHOG Messages?"; "%SYS-2-WATCHDOG: Process aborted on watchdog timeout"), recorded as a typed
// `problem` trace record, and every other router keeps running.
import { describe, expect, it } from 'vitest';
import { Kernel } from './kernel';
import { seconds } from './time';
import type { ProblemRecord, TraceRecord } from './trace';
import { MAX_EVENTS_PER_INSTANT, MAX_NESTING, MAX_WORK_PER_EVENT } from './watchdog';
import { expectWatchdogExceptions } from '../../test-setup';

function problems(k: Kernel): ProblemRecord[] {
  return k.trace.all().filter((r): r is ProblemRecord => r.kind === 'problem');
}

function syslog(k: Kernel): string[] {
  return k.trace
    .all()
    .filter((r): r is Extract<TraceRecord, { kind: 'log' }> => r.kind === 'log')
    .map((r) => `${r.device} ${r.text}`);
}

/** R2's one-second hello: the healthy work that must go on beside a runaway. */
function startHealthyTimer(k: Kernel, ticks: number[]): void {
  const tick = (): void => {
    ticks.push(k.now);
    k.schedule(seconds(1), tick);
  };
  k.schedule(seconds(1), tick, 'R2');
}

describe('kernel watchdog', () => {
  it('stops a timer re-armed with a delay of 0 (the rekey loop of issue 13 item 1) and lets time move', async () => {
    const k = new Kernel(1);
    let loops = 0;
    const loop = (): void => {
      loops++;
      k.schedule(0, loop);
    };
    k.schedule(seconds(2), loop, 'KS');
    const ticks: number[] = [];
    startHealthyTimer(k, ticks);
    await k.runUntil(seconds(10));
    expect(k.now).toBe(seconds(10));
    // The runaway ran up to the bound, then never again; R2's timer kept its pace.
    expect(loops).toBeGreaterThanOrEqual(MAX_EVENTS_PER_INSTANT);
    expect(loops).toBeLessThanOrEqual(MAX_EVENTS_PER_INSTANT + 1);
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(seconds));
    expect(problems(k)).toEqual([
      expect.objectContaining({ kind: 'problem', t: seconds(2), device: 'KS', problem: 'event-flood' }),
    ]);
    expect(syslog(k)).toEqual([
      expect.stringMatching(
        /^KS %SYS-3-CPUHOG: Task ran for more than 100000 events at one instant, process = /,
      ),
    ]);
    expect(k.watchdog.count).toBe(1);
  });

  it('stops the owner with the most events at the instant, not the one that happens to run', async () => {
    const k = new Kernel(1);
    // A fan-out: each event of R1 queues two more at the same instant.
    const fan = (): void => {
      k.schedule(0, fan);
      k.schedule(0, fan);
    };
    k.schedule(seconds(1), fan, 'R1');
    let r3 = 0;
    k.schedule(seconds(1), () => void r3++, 'R3');
    await k.runUntil(seconds(3));
    expect(k.now).toBe(seconds(3));
    expect(r3).toBe(1);
    expect(problems(k).map((p) => [p.device, p.problem])).toEqual([['R1', 'event-flood']]);
  });

  it('stops one handler queueing a flood for the same instant before the flood runs', async () => {
    const k = new Kernel(1);
    let ran = 0;
    k.schedule(
      seconds(1),
      () => {
        for (let i = 0; i < 3 * MAX_EVENTS_PER_INSTANT; i++) k.schedule(0, () => void ran++);
      },
      'KS',
    );
    const ticks: number[] = [];
    startHealthyTimer(k, ticks);
    await k.runUntil(seconds(3));
    expect(k.now).toBe(seconds(3));
    expect(ran).toBe(0);
    expect(k.pending).toBeLessThan(MAX_EVENTS_PER_INSTANT + 10);
    expect(ticks).toEqual([seconds(1), seconds(2), seconds(3)]);
    expect(problems(k).map((p) => [p.device, p.problem])).toEqual([['KS', 'event-flood']]);
  });

  it('a handler that throws is abandoned with a log line and a problem; the next events run', async () => {
    expectWatchdogExceptions();
    const k = new Kernel(1);
    const seen: string[] = [];
    k.schedule(
      10,
      () => {
        throw new TypeError('x.entries is not iterable');
      },
      'GM-1',
    );
    k.schedule(
      20,
      async () => {
        await Promise.resolve();
        throw new Error('async failure');
      },
      'GM-2',
    );
    k.schedule(30, () => void seen.push('later'), 'GM-1');
    await k.runUntil(100);
    expect(seen).toEqual(['later']);
    expect(problems(k).map((p) => [p.device, p.problem, p.message])).toEqual([
      ['GM-1', 'exception', expect.stringContaining('TypeError: x.entries is not iterable')],
      ['GM-2', 'exception', expect.stringContaining('Error: async failure')],
    ]);
    expect(syslog(k)[0]).toBe(
      'GM-1 %SYS-2-WATCHDOG: Process aborted on watchdog timeout, process = TypeError: x.entries is not iterable',
    );
  });

  it('a handler that overflows the stack is stopped as recursion and time goes on', async () => {
    expectWatchdogExceptions();
    const k = new Kernel(1);
    const recurse = (n: number): number => recurse(n + 1) + 1;
    k.schedule(5, () => void recurse(0), 'Spoke');
    await k.runUntil(seconds(1));
    expect(k.now).toBe(seconds(1));
    expect(problems(k)[0]).toMatchObject({ device: 'Spoke', problem: 'exception' });
    expect(problems(k)[0]!.message).toContain('stack overflow (recursion)');
  });

  it(`stops packet output nested more than ${MAX_NESTING} deep, once per router and instant`, async () => {
    const k = new Kernel(1);
    let deepest = 0;
    const send = (depth: number): void => {
      if (!k.enterOutput('Tunnel10')) return;
      try {
        deepest = Math.max(deepest, depth);
        send(depth + 1);
      } finally {
        k.leaveOutput();
      }
    };
    k.schedule(1, () => send(1), 'GM-1');
    k.schedule(1, () => send(1), 'GM-1');
    await k.runUntil(10);
    expect(deepest).toBe(MAX_NESTING);
    expect(problems(k)).toHaveLength(1);
    expect(problems(k)[0]).toMatchObject({ device: 'GM-1', problem: 'recursion' });
    expect(syslog(k)[0]).toContain(
      '%SYS-2-WATCHDOG: Process aborted on watchdog timeout, process = IP Output Tunnel10',
    );
  });

  it(`stops an output loop through awaited work after ${MAX_WORK_PER_EVENT} outputs in one event`, async () => {
    const k = new Kernel(1);
    let outputs = 0;
    k.schedule(
      1,
      async () => {
        // Each round trips through a microtask (as ESP's WebCrypto does), so the stack never grows.
        while (k.enterOutput('Serial1/0')) {
          k.leaveOutput();
          outputs++;
          await Promise.resolve();
        }
      },
      'Central',
    );
    let next = false;
    k.schedule(2, () => void (next = true), 'Central');
    await k.runUntil(10);
    expect(outputs).toBe(MAX_WORK_PER_EVENT);
    expect(next).toBe(true);
    expect(problems(k)[0]).toMatchObject({ device: 'Central', problem: 'recursion' });
  });

  it('a delay that is not a finite number is read as 0 rather than corrupting the queue', async () => {
    const k = new Kernel(1);
    const seen: string[] = [];
    k.schedule(Number.NaN, () => void seen.push('nan'));
    k.schedule(Number.POSITIVE_INFINITY, () => void seen.push('inf'));
    k.schedule(5, () => void seen.push('five'));
    await k.runUntil(10);
    expect(seen).toEqual(['nan', 'inf', 'five']);
  });

  it('runUntil with Infinity, NaN or a fraction keeps the clock an integer a timestamp can show', async () => {
    const k = new Kernel(1);
    await k.runUntil(Number.NaN);
    expect(k.now).toBe(0);
    await k.runUntil(10.7);
    expect(k.now).toBe(10);
    await k.runUntil(Number.POSITIVE_INFINITY);
    expect(k.now).toBe(Number.MAX_SAFE_INTEGER);
    expect(await k.runUntilCondition(() => false, Number.POSITIVE_INFINITY)).toBe(false);
    expect(Number.isSafeInteger(k.now)).toBe(true);
  });

  it('events inherit the owner of the work that scheduled them; runAs names console and config work', async () => {
    const k = new Kernel(1);
    const owners: (string | undefined)[] = [];
    k.runAs('Central', () => {
      k.schedule(1, () => {
        owners.push(k.owner);
        k.schedule(1, () => void owners.push(k.owner));
      });
    });
    k.schedule(1, () => void owners.push(k.owner), 'SP');
    expect(k.owner).toBeUndefined();
    await k.runUntil(10);
    expect(owners).toEqual(['Central', 'SP', 'Central']);
  });
});

describe('watchdog problems in the lab', () => {
  it("a lab lists what its watchdog stopped among its problems (the page's Problems panel)", async () => {
    expectWatchdogExceptions();
    const { loadLab } = await import('../scenario/lab');
    const { readFileSync } = await import('node:fs');
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    const k = lab!.kernel;
    const before = lab!.problems.length;
    k.schedule(
      seconds(1),
      () => {
        throw new Error('boom');
      },
      'GM-1',
    );
    await k.runUntil(seconds(2));
    expect(lab!.problems.slice(before)).toEqual([
      {
        severity: 'error',
        device: 'GM-1',
        message:
          'GM-1: the simulator failed while handling an event (Error: boom); that event was abandoned and the lab goes on.',
      },
    ]);
  });
});
