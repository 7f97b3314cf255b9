// Issue 18, "time travel in constant time", as the page sees it: a rewind restores the nearest checkpoint and
// replays from there, and what it returns (the records window, the console lines, the trace hash, `show` output,
// and the run forward from there) is what re-simulating from t = 0 returns.
import { describe, expect, it } from 'vitest';
import { loadLab } from '../sim/scenario/lab';
import { createSimApi } from './api';
import { backFromLab, type RunPace, tailDue, widthForRoom } from './checkpoints';
import type { RewindResult } from './protocol';
import { REFERENCE } from './reference-lab.test-support';

const S = 1_000_000;
type Api = ReturnType<typeof createSimApi>;

/** The central story's console lines: GM-2's mroute removed at 320 s and put back at 1,000 s. */
const STORY: readonly (readonly [number, string])[] = [
  [320, 'configure terminal'],
  [320, 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
  [320, 'end'],
  [1000, 'configure terminal'],
  [1000, 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
  [1000, 'end'],
];

/** Checkpoints every 64 events: dense, so the rewinds below start from many different ones. */
const DENSE = { minMs: 0, copyFactor: 0 };

const NEW_FUTURE: readonly (readonly [number, string])[] = [
  ...STORY.slice(0, 3),
  [500, 'configure terminal'],
  [500, 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
  [500, 'end'],
];

/** A lab run to `toS` with the story's lines typed up to there (dense checkpoints, or none: from t = 0). */
async function straight(toS: number, lines = STORY, dense = false): Promise<Api> {
  const spacing = dense ? DENSE : { minMs: 1e12, copyFactor: 0 };
  const api = createSimApi({ checkpoints: spacing, spareAfterMs: 0 });
  await api.load(REFERENCE);
  for (const [t, line] of lines.filter(([t]) => t <= toS)) {
    await api.runUntil(t * S);
    await api.exec('GM-2', line);
  }
  await api.runUntil(toS * S);
  return api;
}

const SHOWS = ['show ip mroute', 'show crypto gdoi', 'show ip rpf 1.1.1.1'];

async function state(api: Api): Promise<string[]> {
  const out = [await api.traceHash(), JSON.stringify((await api.commands()).map((c) => [c.t, c.line]))];
  for (const line of SHOWS) out.push(await api.show('GM-2', line));
  return out;
}

const summary = (r: RewindResult): string[] =>
  r.batch.records.map((x) => `${x.t} ${x.kind} ${x.kind === 'packet' ? x.summary : ''}`);

describe('rewinds from checkpoints (issue 18)', () => {
  it('the central story: rewinds to many earlier moments equal a run from t = 0 to them', async () => {
    const api = await straight(1400, STORY, true);
    const { times, disabled } = await api.checkpoints();
    expect(disabled).toBeUndefined();
    expect(times[0]).toBe(0);
    expect(times.length).toBeGreaterThan(50);
    // Latest first: a rewind drops the console lines after its moment, which later (earlier) moments do not need.
    const onCheckpoints = [times[times.length - 1]!, times[Math.floor(times.length / 2)]!].map((t) => t / S);
    const targets = [1399, 1000, 999.5, 700, 320, 319, 100, 0.5, ...onCheckpoints].sort((a, b) => b - a);
    for (const s of targets) {
      const back = await api.rewind(s * S, 300);
      const expected = await straight(s);
      expect(back.batch.now).toBe(s * S);
      expect(await state(api), `rewound to ${s} s`).toEqual(await state(expected));
      const windowOfExpected = await expected.rewind(s * S, 300);
      expect(summary(back), `records window at ${s} s`).toEqual(summary(windowOfExpected));
      expect(back.commands).toEqual(windowOfExpected.commands);
    }
  }, 300_000);

  it.each([1250, 700, 320])(
    'rewound to %d s and run on to 1,400 s: the run from t = 0 to there',
    async (s) => {
      const api = await straight(1400, STORY, true);
      await api.rewind(s * S);
      await api.runUntil(1400 * S);
      const expected = await straight(s);
      await expected.runUntil(1400 * S);
      expect(await state(api)).toEqual(await state(expected));
    },
    300_000,
  );

  it('a console line after a rewind makes a new future: later checkpoints are dropped, the run matches', async () => {
    const api = await straight(1400, STORY, true);
    expect((await api.checkpoints()).times.some((t) => t > 1000 * S)).toBe(true);
    await api.rewind(500 * S);
    // The lines at 1,000 s were after the moment: gone from the timeline, and so are the checkpoints after them.
    expect((await api.checkpoints()).times.every((t) => t <= 1000 * S)).toBe(true);
    for (const [, line] of NEW_FUTURE.slice(3)) await api.exec('GM-2', line);
    expect((await api.checkpoints()).times.every((t) => t <= 500 * S)).toBe(true);
    await api.runUntil(900 * S);
    expect(await state(api)).toEqual(await state(await straight(900, NEW_FUTURE)));
    // A rewind into the new future starts from its own checkpoints.
    expect((await api.checkpoints()).times.some((t) => t > 600 * S)).toBe(true);
    await api.rewind(800 * S);
    expect(await state(api)).toEqual(await state(await straight(800, NEW_FUTURE)));
  }, 300_000);

  it('Back to the end of a step stops at the same record as from t = 0', async () => {
    const api = await straight(600, STORY, true);
    const fresh = await straight(600);
    const total = (await api.runUntil(600 * S)).total;
    const a = await api.rewindToRecord(total - 50, 600 * S, 100);
    const b = await fresh.rewindToRecord(total - 50, 600 * S, 100);
    expect(a.batch.total).toBe(b.batch.total);
    expect(a.batch.now).toBe(b.batch.now);
    expect(summary(a)).toEqual(summary(b));
    expect(await api.traceHash()).toBe(await fresh.traceHash());
  }, 300_000);
});

/** One macrotask: the worker is idle, so the spare copy it schedules after a run or a rewind is made (at once: 0 ms). */
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Only the checkpoint at t = 0: every rewind restores that one, so its spare is the one taken over each time. */
const ANCHOR_ONLY = { minMs: 1e12, copyFactor: 0 };

describe('rewinds that take over a spare copy made while idle (issue 18, restore by handover)', () => {
  it('twice to one checkpoint, then Back, then without an idle moment: each equals the run from t = 0', async () => {
    const api = createSimApi({ checkpoints: ANCHOR_ONLY, spareAfterMs: 0 });
    await api.load(REFERENCE);
    for (const [t, line] of STORY.filter(([t]) => t <= 600)) {
      await api.runUntil(t * S);
      await api.exec('GM-2', line);
    }
    await api.runUntil(600 * S);
    await idle();
    expect(await api.checkpoints()).toMatchObject({ times: [0], spareAt: 0, handovers: 0 });

    await api.rewind(500 * S, 300);
    expect((await api.checkpoints()).handovers).toBe(1);
    expect(await state(api)).toEqual(await state(await straight(500)));

    await idle();
    expect((await api.checkpoints()).spareAt).toBe(0);
    const again = await api.rewind(400 * S, 300);
    expect((await api.checkpoints()).handovers).toBe(2);
    const expected = await straight(400);
    expect(await state(api)).toEqual(await state(expected));
    expect(summary(again)).toEqual(summary(await expected.rewind(400 * S, 300)));

    await idle();
    const total = (await api.runUntil(400 * S)).total;
    await idle();
    const back = await api.rewindToRecord(total - 50, 400 * S, 100);
    const backHash = await api.traceHash();
    // Straight on, with no idle moment since: no spare is ready, the checkpoint is copied then; same result.
    await api.rewind(300 * S, 300);
    expect((await api.checkpoints()).handovers).toBe(3);
    expect(await state(api)).toEqual(await state(await straight(300)));

    const fresh = await straight(400);
    const backFresh = await fresh.rewindToRecord(total - 50, 400 * S, 100);
    expect(back.batch.total).toBe(backFresh.batch.total);
    expect(summary(back)).toEqual(summary(backFresh));
    expect(backHash).toBe(await fresh.traceHash());
  }, 300_000);

  it('the first run runs a copy of the first checkpoint: its trace is the plain lab run to the same time', async () => {
    const api = createSimApi({ checkpoints: ANCHOR_ONLY, spareAfterMs: 0 });
    await api.load(REFERENCE);
    await api.runUntil(400 * S);
    expect((await api.checkpoints()).times).toEqual([0]);
    const plain = loadLab(REFERENCE).lab!;
    await plain.kernel.runUntil(400 * S);
    expect(await api.traceHash()).toBe(plain.kernel.trace.hash());
  }, 60_000);

  it('calls that follow each other (the page playing) make no spare; a quiet moment after them does', async () => {
    const api = createSimApi({ checkpoints: ANCHOR_ONLY, spareAfterMs: 0 });
    await api.load(REFERENCE);
    for (const s of [50, 100, 150]) await api.runUntil(s * S);
    expect((await api.checkpoints()).spareAt).toBeUndefined();
    await idle();
    expect((await api.checkpoints()).spareAt).toBe(0);
  }, 60_000);

  it('the spare of the newest checkpoint, taken over by a rewind from where the run stopped, matches', async () => {
    const api = await straight(600, STORY, true);
    await idle();
    const { times, spareAt } = await api.checkpoints();
    const newest = times[times.length - 1]!;
    expect(spareAt).toBe(newest);
    const toS = Math.ceil(newest / S);
    await api.rewind(toS * S, 300);
    expect((await api.checkpoints()).handovers).toBe(1);
    expect(await state(api)).toEqual(await state(await straight(toS)));
    await api.runUntil(700 * S);
    expect(await state(api)).toEqual(await state(await straight(700)));
  }, 300_000);
});

/** Waits (on state) until the idle worker is done working ahead: gaps filled, spare made. */
async function idleDone(api: Api): Promise<void> {
  for (let i = 0; i < 5_000 && (await api.checkpoints()).idleDone !== true; i++) await idle();
  expect((await api.checkpoints()).idleDone).toBe(true);
}

/**
 * A big lab as the 1,000-spoke one behaves (a copy costs ~1 s there), in the reference lab: every copy counts as
 * big, so a rewind with no spare hands the checkpoint itself over, and the idle worker fills gaps every ~100
 * events. Checkpoints taken by runs only at the start (the gaps are the idle worker's to fill).
 */
const BIG = { minMs: 1e12, copyFactor: 0, bigCopyMs: 0, fillMs: 0 };

describe('a big lab: gaps filled while idle, restores by handing the checkpoint over (issue 18)', () => {
  it('the gap the lab stands in is filled; rewinds into it equal the run from t = 0, and so does a run on', async () => {
    const api = createSimApi({ checkpoints: BIG, spareAfterMs: 0 });
    await api.load(REFERENCE);
    await api.runUntil(600 * S);
    expect((await api.checkpoints()).times).toEqual([0]);
    await idleDone(api);
    const { times, filled } = await api.checkpoints();
    expect(filled).toBeGreaterThan(5);
    expect(times.length).toBe(filled! + 1);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Densest where the lab stopped: the newest filled checkpoint is within the last simulated minute.
    expect(times[times.length - 1]).toBeGreaterThan(540 * S);

    // Between two filled checkpoints, no spare of either: the earlier one is handed over (and leaves the list).
    const i = times.length - 3;
    const toS = (times[i]! + times[i + 1]!) / 2 / S;
    const back = await api.rewind(toS * S, 300);
    const after = await api.checkpoints();
    expect(after.consumed).toBe(1);
    expect(after.times).not.toContain(times[i]);
    const expected = await straight(toS, []);
    expect(await state(api)).toEqual(await state(expected));
    expect(summary(back)).toEqual(summary(await expected.rewind(toS * S, 300)));

    // Back from there, then a run on past the old future's checkpoints: same as from t = 0, list still in order.
    const total = (await api.runUntil(toS * S)).total;
    const a = await api.rewindToRecord(total - 40, toS * S, 100);
    const b = await expected.rewindToRecord(total - 40, toS * S, 100);
    expect(summary(a)).toEqual(summary(b));
    await api.runUntil(700 * S);
    await expected.runUntil(700 * S);
    expect(await state(api)).toEqual(await state(expected));
    const ordered = (await api.checkpoints()).times;
    expect([...ordered].sort((x, y) => x - y)).toEqual(ordered);
  }, 300_000);

  it('a gap with a console line in it is not filled; rewinds on both sides of the line still match', async () => {
    const api = createSimApi({ checkpoints: BIG, spareAfterMs: 0 });
    await api.load(REFERENCE);
    for (const [t, line] of STORY.filter(([t]) => t <= 600)) {
      await api.runUntil(t * S);
      await api.exec('GM-2', line);
    }
    await api.runUntil(600 * S);
    await idleDone(api);
    // The anchor at t = 0 had seen no line; the lab has seen three: nothing in between may be replayed alone.
    expect(await api.checkpoints()).toMatchObject({ times: [0], filled: 0 });
    for (const s of [500, 300]) {
      await api.rewind(s * S, 300);
      expect(await state(api)).toEqual(await state(await straight(s)));
    }
    // The first checkpoint is never handed over: a rewind before every other one must not re-run the boot.
    expect(await api.checkpoints()).toMatchObject({ times: [0], consumed: 0 });
  }, 300_000);

  it('after a rewind into the past, idle filling works from the checkpoints of the old future too', async () => {
    const api = createSimApi({ checkpoints: BIG, spareAfterMs: 0 });
    await api.load(REFERENCE);
    await api.runUntil(600 * S);
    await idleDone(api);
    const before = (await api.checkpoints()).filled!;
    await api.rewind(100 * S, 300);
    await idleDone(api);
    const { times, filled } = await api.checkpoints();
    expect(filled).toBeGreaterThan(before);
    expect(times.some((t) => t > 100 * S && t < 540 * S)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const s of [580, 90]) {
      await api.rewind(s * S, 300);
      expect(await state(api)).toEqual(await state(await straight(s, [])));
    }
  }, 300_000);
});

describe('widthForRoom', () => {
  it('spends the room on the widest gaps first, never below the floor', () => {
    expect(widthForRoom([100, 10], 1, 5)).toBe(50);
    expect(widthForRoom([100, 100], 2, 5)).toBe(50);
    expect(widthForRoom([100, 60], 3, 5)).toBe(34);
    expect(widthForRoom([100], 1_000, 30)).toBe(30);
    expect(widthForRoom([100, 10], 0, 5)).toBe(100);
  });
});

describe('backFromLab', () => {
  it('puts checkpoints 1, 3, 7, 15... spacings back from the lab, none at the start of the gap', () => {
    expect(backFromLab(0, 1000, 10, 4)).toEqual([850, 930, 970, 990]);
    expect(backFromLab(0, 1000, 10, 99)).toEqual([370, 690, 850, 930, 970, 990]);
    expect(backFromLab(980, 1000, 10, 4)).toEqual([990]);
    expect(backFromLab(990, 1000, 10, 4)).toEqual([]);
  });
});

/**
 * A big lab whose forward runs take a tail checkpoint as soon as the pace is known (tailMs far beyond any run):
 * where it lands depends on the machine's speed, what it must do does not.
 */
const TAIL = { minMs: 1e12, copyFactor: 0, bigCopyMs: 0, fillMs: 0, tailMs: 1e9 };

describe('the tail checkpoint of a long run (issue 18: a scrub straight after a run)', () => {
  it('a forward run takes one before its end; a rewind just after it hands it over and equals the run from t = 0', async () => {
    // No idle work (it would add checkpoints of its own between the calls below).
    const api = createSimApi({ checkpoints: TAIL, spareAfterMs: 1e9 });
    await api.load(REFERENCE);
    await api.runUntil(1200 * S);
    const { times } = await api.checkpoints();
    expect(times.length).toBe(2);
    const tail = times[1]!;
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1200 * S);

    const toS = Math.ceil(tail / S) + 1;
    const back = await api.rewind(toS * S, 300);
    expect(await api.checkpoints()).toMatchObject({ consumed: 1, times: [0] });
    const expected = await straight(toS, []);
    expect(await state(api)).toEqual(await state(expected));
    expect(summary(back)).toEqual(summary(await expected.rewind(toS * S, 300)));
    // A rewind's replay is not a forward run: it takes no tail checkpoint of its own.
    await api.rewind(1100 * S, 300);
    expect((await api.checkpoints()).times).toEqual([0]);
  }, 300_000);
});

describe('tailDue', () => {
  // 100 ms of work covered 10 simulated s: 10 ms per simulated second.
  const pace = (simLeftS: number, more: Partial<RunPace> = {}): RunPace => ({
    stretchMs: 100,
    stretchSimUs: 10 * S,
    simLeftUs: simLeftS * S,
    callMs: 5_000,
    sinceCheckpointMs: 2_000,
    ...more,
  });

  it('is due once the work left to the limit, at the stretch pace, is within the tail', () => {
    expect(tailDue(pace(31), 300, 1_000)).toBe(false); // 310 ms left
    expect(tailDue(pace(29), 300, 1_000)).toBe(true); // 290 ms left
  });

  it('not in a short call (a frame of play), nor right after a checkpoint, nor before the pace is known', () => {
    expect(tailDue(pace(29, { callMs: 100 }), 300, 1_000)).toBe(false);
    expect(tailDue(pace(29, { sinceCheckpointMs: 100 }), 300, 1_000)).toBe(false);
    expect(tailDue(pace(29, { stretchMs: 5, stretchSimUs: S / 2 }), 300, 1_000)).toBe(false);
    expect(tailDue(pace(29), 0, 1_000)).toBe(false);
  });
});

/** Every copy counts as big, and a run spacing is 20 ms of work: a few seconds of play cross several. */
const PLAYED = { minMs: 20, copyFactor: 0, bigCopyMs: 0, fillMs: 0 };

describe('playing a small lab: frames of a few events each (issue 18)', () => {
  it('takes checkpoints as it plays, so a scrub back after long play replays from near its target', async () => {
    const api = createSimApi({ checkpoints: DENSE, spareAfterMs: 1e9 });
    await api.load(REFERENCE);
    await api.runUntil(60 * S);
    const before = (await api.checkpoints()).times.length;
    await api.setPlaying(true);
    // The page's frames at 10x: 1/60 s of wall time, 1/6 s of simulated time, each running a handful of events.
    let frames = 0;
    for (let t = 60 * S; t < 400 * S; frames++) {
      t += S / 6;
      await api.runUntilColumns(t, 300);
    }
    await api.setPlaying(false);
    const played = (await api.checkpoints()).times.filter((x) => x > 60 * S);
    // The clock is read every 64 events across frames, and (dense spacing) each read takes one: one every few
    // simulated seconds here. Counted per frame, no frame reached 64 events and none was taken.
    expect(frames).toBe(2040);
    expect(played.length).toBeGreaterThan(20);
    expect((await api.checkpoints()).times.length).toBeGreaterThan(before + 20);
    await api.rewind(390 * S, 300);
    expect(await state(api)).toEqual(await state(await straight(390, [])));
  }, 120_000);
});

describe('playing a big lab: the run copies nothing, a shadow takes its checkpoints between frames (issue 18)', () => {
  it('checkpoints in the played stretch are the shadow ones; rewinds into it equal the run from t = 0', async () => {
    const api = createSimApi({ checkpoints: PLAYED, spareAfterMs: 1e9 });
    await api.load(REFERENCE);
    await api.runUntil(30 * S);
    const before = (await api.checkpoints()).times.length;
    await api.setPlaying(true);
    // Frames of play as the page makes them, each followed by the macrotasks the worker has between two frames.
    for (let t = 30 * S; t < 900 * S;) {
      t += 2 * S;
      await api.runUntilColumns(t, 300);
      await idle();
      await idle();
    }
    await api.setPlaying(false);
    const { times, filled } = await api.checkpoints();
    const played = times.filter((x) => x > 30 * S);
    expect(played.length).toBeGreaterThan(2);
    // None of them was copied by a run: all are the shadow's (filled); the run's own ones stop at 30 s.
    // (the first may fall before 30 s: the shadow starts from the run's last checkpoint, before play began).
    expect(filled).toBe(times.length - before);
    expect(filled).toBeGreaterThanOrEqual(played.length);
    for (const s of [played[0]! / S + 3, 777]) {
      await api.rewind(s * S, 300);
      expect(await state(api)).toEqual(await state(await straight(s, [])));
    }
  }, 300_000);

  it('after a console line the run takes a checkpoint of its own again, and the shadow goes on from it', async () => {
    const lines: readonly (readonly [number, string])[] = [
      [30, 'configure terminal'],
      [30, 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
    ];
    const api = createSimApi({ checkpoints: PLAYED, spareAfterMs: 1e9 });
    await api.load(REFERENCE);
    await api.runUntil(30 * S);
    await api.setPlaying(true);
    for (const [, line] of lines) await api.exec('GM-2', line);
    for (let t = 30 * S; t < 600 * S;) {
      t += 20 * S; // a run reads its clock every 64 events: a 2 s frame of this lab runs fewer
      await api.runUntilColumns(t, 300);
      await idle();
      await idle();
    }
    await api.setPlaying(false);
    const { times, filled } = await api.checkpoints();
    // A shadow replays the kernel alone: the gap with the lines in it is the run's to cross, with a copy of its own.
    const after = times.filter((x) => x > 30 * S);
    expect(after.length - filled!).toBeGreaterThanOrEqual(1);
    expect(filled).toBeGreaterThan(0);
    for (const s of [after[0]! / S + 1, 555]) {
      await api.rewind(s * S, 300);
      expect(await state(api)).toEqual(await state(await straight(s, lines)));
    }
  }, 300_000);
});
