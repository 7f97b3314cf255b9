// Issue 18: "a checkpoint can also be saved and shared, so a lab opens at a moment without re-simulating it".
// A moment saved to bytes and opened in its place runs on to the same trace hash, events and `show` output as the
// run that never stopped; a file that is not a moment this build wrote is refused in plain language.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import { simRegistry, encodeGraph } from '../kernel/snapshot-codec';
import {
  MOMENT_FORMAT,
  MomentFileError,
  type MomentHeader,
  openMoment,
  readMomentHeader,
  saveMoment,
  writeMomentFile,
} from './checkpoint-file';
import { type Lab, loadLab } from './lab';

type Consoles = Map<string, CliSession>;

const TEXT = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

function load(): Lab {
  const { lab, problems } = loadLab(TEXT);
  if (!lab) throw new Error(problems.map((p) => p.message).join('; '));
  return lab;
}

const SHOWS: readonly (readonly [string, string])[] = [
  ['GM-2', 'show ip mroute'],
  ['GM-2', 'show crypto gdoi'],
  ['KS', 'show crypto gdoi ks members'],
  ['Central', 'show ip pim neighbor'],
];

async function shows(lab: Lab): Promise<string[]> {
  const out: string[] = [];
  for (const [device, line] of SHOWS)
    out.push(await new CliSession(lab.router(device)!, { epochMs: lab.epochMs }).execute(line));
  return out;
}

async function type(lab: Lab, consoles: Consoles, device: string, line: string): Promise<void> {
  let cli = consoles.get(device);
  if (!cli) consoles.set(device, (cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs })));
  await cli.execute(line);
}

/** A well-formed header of this build (for files made without a lab). */
async function header(): Promise<MomentHeader> {
  return {
    format: MOMENT_FORMAT,
    app: 'GETLab',
    build: (await simRegistry()).build,
    title: 't',
    t: 0,
    events: 0,
    mark: { total: 0, hashState: 0, nextFrameId: 1 },
    scenario: TEXT,
    commands: [],
  };
}

describe('a saved moment (issue 18)', () => {
  it('the reference lab saved at 0.5 s, 60.000 37 s (frames in flight) and 400 s opens and runs to 900 s as the straight run', async () => {
    const straight = load();
    await straight.kernel.runUntil(seconds(900));
    const expected = {
      hash: straight.kernel.trace.hash(),
      events: straight.kernel.eventsProcessed,
      shows: await shows(straight),
    };
    for (const at of [0.5, 60.000_37, 400]) {
      const lab = load();
      await lab.kernel.runUntil(seconds(at));
      const bytes = await saveMoment(lab, new Map(), TEXT, []);
      const opened = await openMoment<Consoles>(bytes);
      expect(opened.lab.kernel.now, `opened at ${at} s`).toBe(seconds(at));
      expect(opened.lab.kernel.trace.hash()).toBe(lab.kernel.trace.hash());
      expect(opened.header.scenario).toBe(TEXT);
      await opened.lab.kernel.runUntil(seconds(900));
      expect(
        `${opened.lab.kernel.trace.hash()} ${opened.lab.kernel.eventsProcessed}`,
        `opened at ${at} s`,
      ).toBe(`${expected.hash} ${expected.events}`);
      expect(await shows(opened.lab), `show output after opening at ${at} s`).toEqual(expected.shows);
    }
  }, 180_000);

  it("the central story: GM-2's console (in config mode at the moment) goes on where it was", async () => {
    const story = async (lab: Lab, consoles: Consoles, from: number): Promise<void> => {
      if (from < 320) {
        await lab.kernel.runUntil(seconds(320));
        await type(lab, consoles, 'GM-2', 'configure terminal');
        await type(lab, consoles, 'GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
      }
      await lab.kernel.runUntil(seconds(1000));
      await type(lab, consoles, 'GM-2', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
      await type(lab, consoles, 'GM-2', 'end');
      await lab.kernel.runUntil(seconds(1300));
    };
    const straight = load();
    await story(straight, new Map(), 0);
    const expected = `${straight.kernel.trace.hash()} ${straight.kernel.eventsProcessed}`;
    const lab = load();
    const consoles: Consoles = new Map();
    await lab.kernel.runUntil(seconds(320));
    await type(lab, consoles, 'GM-2', 'configure terminal');
    await type(lab, consoles, 'GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    await lab.kernel.runUntil(seconds(700));
    const opened = await openMoment<Consoles>(await saveMoment(lab, consoles, TEXT, []));
    expect(opened.extra.get('GM-2')!.prompt()).toBe('GM-2(config)#');
    await story(opened.lab, opened.extra, 700);
    expect(`${opened.lab.kernel.trace.hash()} ${opened.lab.kernel.eventsProcessed}`).toBe(expected);
    expect(await shows(opened.lab)).toEqual(await shows(straight));
  }, 180_000);

  it('keeps the scenario text and the console lines for a later rewind', async () => {
    const lab = load();
    await lab.kernel.runUntil(seconds(30));
    const commands = [
      { t: seconds(10), events: 5, device: 'GM-1', line: 'show ip mroute' },
      { t: seconds(20), events: 9, device: '', line: '', loss: { linkId: 'x', fraction: 0.5 } },
    ];
    const { header } = await readMomentHeader(await saveMoment(lab, new Map(), TEXT, commands));
    expect(header.commands).toEqual(commands);
    expect(header.t).toBe(seconds(30));
    expect(header.events).toBe(lab.kernel.eventsProcessed);
    expect(header.title).toBe(lab.title);
  });

  it('refuses random bytes, a cut file and a damaged byte in plain language (fast-check)', async () => {
    const good = writeMomentFile(await header(), await encodeGraph({ lab: undefined, extra: new Map() }));
    const refused = async (bytes: Uint8Array): Promise<void> => {
      await expect(openMoment(bytes)).rejects.toBeInstanceOf(MomentFileError);
    };
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (b) => refused(b)),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), async (n) => refused(good.slice(0, n))),
      { numRuns: 50 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const bad = good.slice();
        bad[i] = bad[i]! ^ x;
        await refused(bad);
      }),
      { numRuns: 50 },
    );
    await expect(openMoment(new TextEncoder().encode(TEXT))).rejects.toThrow(
      'This file is not a saved GETLab moment.',
    );
  }, 120_000);

  it('refuses another format, another build, a header that lies and a file with no lab, each in words', async () => {
    const graph = await encodeGraph({ lab: { not: 'a lab' }, extra: undefined });
    const open = (h: object) => openMoment(writeMomentFile(h as MomentHeader, graph));
    const good = await header();
    await expect(open({ ...good, format: 2 })).rejects.toThrow(
      'This moment was saved in format 2; this version of GETLab reads format 1.',
    );
    await expect(open({ ...good, build: '0123456789abcdef' })).rejects.toThrow(
      /saved by another version of GETLab \(build 0123456789abcdef; this page is build [0-9a-f]{16}\)/,
    );
    await expect(open({ ...good, t: -1 })).rejects.toThrow('its header has no valid time');
    await expect(open({ ...good, commands: [{ t: 0, events: 0, device: 'GM-1' }] })).rejects.toThrow(
      'its header has no valid console lines',
    );
    await expect(open({ ...good, mark: { total: 1 } })).rejects.toThrow('its header has no valid trace mark');
    await expect(open(good)).rejects.toThrow('This saved moment is damaged: it holds no lab.');
  });
});
