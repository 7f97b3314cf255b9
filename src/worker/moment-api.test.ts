// Issue 18: "a checkpoint can also be saved and shared, so a lab opens at a moment without re-simulating it",
// through the worker API as the page calls it: a moment saved by one worker opens in a fresh one, which runs on
// to the same trace hash and `show` output as the worker that never stopped, keeps the consoles and their lines,
// and re-simulates from the saved scenario on a rewind before the moment. A file that is not a moment is refused
// in plain language, and the lab loaded before is untouched.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seconds } from '../sim/kernel/time';
import { encodeGraph, simRegistry } from '../sim/kernel/snapshot-codec';
import { MOMENT_FORMAT, type MomentHeader, writeMomentFile } from '../sim/scenario/checkpoint-file';
import { createSimApi } from './api';

const TEXT = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

type Api = ReturnType<typeof createSimApi>;

const SHOWS: readonly (readonly [string, string])[] = [
  ['GM-2', 'show ip mroute'],
  ['GM-2', 'show ip rpf 1.1.1.1'],
  ['GM-2', 'show crypto gdoi'],
  ['KS', 'show crypto gdoi ks members'],
  ['Central', 'show ip nhrp'],
];

async function shows(api: Api): Promise<string[]> {
  return Promise.all(SHOWS.map(([device, line]) => api.show(device, line)));
}

async function loaded(): Promise<Api> {
  const api = createSimApi();
  const r = await api.load(TEXT);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return api;
}

/** The central story's console lines (as bench/trace-hashes.ts): GM-2's mroute out at 320 s, back at 1000 s. */
async function story(api: Api, from: number, until: number): Promise<void> {
  if (from < 320) {
    await api.runUntil(seconds(320));
    await api.exec('GM-2', 'configure terminal');
    await api.exec('GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  }
  if (from < 1000 && until >= 1000) {
    await api.runUntil(seconds(1000));
    await api.exec('GM-2', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    await api.exec('GM-2', 'end');
  }
  await api.runUntil(seconds(until));
}

describe('saving and opening a moment through the worker API (issue 18)', () => {
  it('the reference lab saved at 1.000 13 s, 300 s and 777.5 s opens in a fresh worker and runs to 1,200 s as the straight run', async () => {
    const straight = await loaded();
    await straight.runUntil(seconds(1200));
    const expected = { hash: await straight.traceHash(), shows: await shows(straight) };
    for (const at of [1.000_13, 300, 777.5]) {
      const api = await loaded();
      await api.runUntil(seconds(at));
      const bytes = await api.saveMoment();
      const fresh = createSimApi();
      const opened = await fresh.openMoment(bytes);
      if (!opened.ok) throw new Error(opened.problem);
      expect(opened.result.batch.now, `opened at ${at} s`).toBe(seconds(at));
      expect((await fresh.lab())?.clock).toBe((await api.lab())?.clock);
      expect(await fresh.traceHash()).toBe(await api.traceHash());
      const batch = await fresh.runUntil(seconds(1200));
      expect(batch.records.length).toBeGreaterThan(0);
      expect(await fresh.traceHash(), `opened at ${at} s`).toBe(expected.hash);
      expect(await shows(fresh), `show output after opening at ${at} s`).toEqual(expected.shows);
    }
  }, 240_000);

  it('the central story saved mid-story: the console goes on in config mode, and a rewind before the moment re-simulates from the scenario', async () => {
    const straight = await loaded();
    await story(straight, 0, 1300);
    const expectedHash = await straight.traceHash();
    const expectedShows = await shows(straight);

    const api = await loaded();
    await story(api, 0, 700);
    const bytes = await api.saveMoment();
    const fresh = createSimApi();
    const opened = await fresh.openMoment(bytes);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.scenario).toBe(TEXT);
    expect(opened.result.commands.map((c) => c.line)).toEqual([
      'configure terminal',
      'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
    ]);
    expect(await fresh.prompt('GM-2')).toBe('GM-2(config)#');
    // The opened moment is the worker's first checkpoint: a rewind after it starts there, not at t = 0.
    expect((await fresh.checkpoints()).times).toEqual([seconds(700)]);
    expect(await fresh.show('GM-2', 'show ip rpf 1.1.1.1')).toBe(
      await api.show('GM-2', 'show ip rpf 1.1.1.1'),
    );
    await story(fresh, 700, 1300);
    expect(await fresh.traceHash()).toBe(expectedHash);
    expect(await shows(fresh)).toEqual(expectedShows);
    expect((await fresh.commands()).map((c) => c.line)).toEqual(
      (await straight.commands()).map((c) => c.line),
    );

    // Between the moment and now: a rewind lands on the straight run's trace too.
    await fresh.rewind(seconds(900));
    await straight.rewind(seconds(900));
    expect(await fresh.traceHash()).toBe(await straight.traceHash());
    // Before the moment nothing of the run is held: the worker re-simulates from the saved scenario and lines.
    const back = await fresh.rewind(seconds(500));
    const straightBack = await straight.rewind(seconds(500));
    expect(back.batch.now).toBe(seconds(500));
    expect(await fresh.traceHash()).toBe(await straight.traceHash());
    expect(back.commands).toEqual(straightBack.commands);
  }, 240_000);

  it('refuses a file that is not a moment, in plain language, and leaves the lab as it was', async () => {
    const api = await loaded();
    await api.runUntil(seconds(30));
    const before = { hash: await api.traceHash(), clock: (await api.lab())?.clock };
    const scenarioFile = new TextEncoder().encode(TEXT);
    const refused = await api.openMoment(scenarioFile);
    expect(refused).toEqual({ ok: false, problem: 'This file is not a saved GETLab moment.' });
    const header: MomentHeader = {
      format: MOMENT_FORMAT,
      app: 'GETLab',
      build: (await simRegistry()).build,
      title: 'no lab',
      t: 0,
      events: 0,
      mark: { total: 0, hashState: 0, nextFrameId: 1 },
      scenario: TEXT,
      commands: [],
    };
    const file = writeMomentFile(header, await encodeGraph({ lab: undefined, extra: new Map() }));
    const cut = await api.openMoment(file.slice(0, file.length - 10));
    expect(cut).toEqual({
      ok: false,
      problem: 'This saved moment is damaged (its checksum does not match): save it again.',
    });
    expect(await api.openMoment(file)).toEqual({
      ok: false,
      problem: 'This saved moment is damaged: it holds no lab.',
    });
    expect(await api.traceHash()).toBe(before.hash);
    expect((await api.lab())?.clock).toBe(before.clock);
    await api.runUntil(seconds(31));
    expect((await api.lab())?.now).toBe(seconds(31));
  }, 60_000);

  it('random bytes never throw out of openMoment (fast-check): a plain refusal, the lab untouched', async () => {
    const api = await loaded();
    await api.runUntil(seconds(5));
    const hash = await api.traceHash();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const r = await api.openMoment(bytes);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problem).toMatch(/^This (file|saved moment)/);
      }),
      { numRuns: 100 },
    );
    expect(await api.traceHash()).toBe(hash);
  });

  it('saving with no lab loaded says so', async () => {
    await expect(createSimApi().saveMoment()).rejects.toThrow('No lab is loaded.');
  });
});
