// The worker's lesson calls (issue 17): the page reads the scenario's lessons and has their checks evaluated on
// the worker's lab, with the worker's own event classes for `event-since-step`.
import { readFileSync } from 'node:fs';
import { expect, expectTypeOf, it } from 'vitest';
import { loadLab } from '../sim/scenario/lab';
import { LessonDriver } from '../sim/scenario/lesson-actions';
import { EVENT_KINDS, type LessonAction, type LessonEventKind } from '../sim/scenario/lesson-schema';
import { createSimApi } from './api';
import type { EventKind, LessonCheck } from './protocol';
import { REFERENCE, SECOND } from './reference-lab.test-support';

it("gives the page the reference lab's lessons and evaluates a step's checks as plain data", async () => {
  const api = createSimApi();
  expect(await api.lessons()).toEqual([]);
  const none = await api.evaluateChecks([{ kind: 'rekey-since-change', member: 'GM-2' }], 0);
  expect(none).toEqual([{ pass: false, detail: 'No lab is loaded.' }]);

  await api.load(REFERENCE);
  const lessons = await api.lessons();
  expect(structuredClone(lessons)).toEqual(lessons);
  const first = lessons[0]!.steps[0]!;
  expect(first.title).toBe('Three considerations');
  await api.runUntil(60 * SECOND);
  const results = await api.evaluateChecks(first.checks, 0);
  expect(results.map((r) => r.pass)).toEqual([true, true, true]);
  expect(results[2]!.detail).toBe(
    "GM-2's RPF for 1.1.1.1 is Tunnel10, neighbour 192.168.100.1 (static mroute 1.1.1.1/32).",
  );
});

it('counts events with the worker classes since the step began, and fails a malformed check with the reason', async () => {
  const api = createSimApi();
  await api.load(REFERENCE);
  await api.runUntil(310 * SECOND);
  const received: LessonCheck = { kind: 'event-since-step', device: 'GM-1', event: 'rekey-received' };
  const [since0, since305] = [
    await api.evaluateChecks([received], 0),
    await api.evaluateChecks([received], 305 * SECOND),
  ];
  expect(since0[0]!.pass).toBe(true);
  expect(since305[0]).toEqual({ pass: false, detail: 'No rekey received on GM-1 since 305 s.' });
  const bad = {
    kind: 'adjacency',
    device: 'GM-1',
    protocol: 'ospf',
    neighbor: 'x',
  } as unknown as LessonCheck;
  expect(await api.evaluateChecks([bad], 0)).toEqual([
    { pass: false, detail: 'Not a valid check: "protocol" must be one of eigrp, pim, nhrp, not "ospf".' },
  ]);
});

it("names exactly the worker's event kinds in lesson checks (scenario format 2, event-since-step)", () => {
  // Checked by tsc (tsconfig.test.json): a kind added to EventKind must be added to EVENT_KINDS and the schema.
  expectTypeOf<LessonEventKind>().toEqualTypeOf<EventKind>();
  const schema = JSON.parse(
    readFileSync(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8'),
  ) as { $defs: { check: { oneOf: { properties: { event?: { enum: string[] } } }[] } } };
  const inSchema = schema.$defs.check.oneOf.find((o) => o.properties.event)!.properties.event!.enum;
  expect(inSchema).toEqual([...EVENT_KINDS]);
});

it("runs a button's run actions with the runner's LessonDriver: the page's lab is where --check's would be", async () => {
  const api = createSimApi();
  await api.load(REFERENCE);
  const { lab } = loadLab(REFERENCE);
  const driver = new LessonDriver(lab!);
  const steps: LessonAction[] = [
    { kind: 'run-to', seconds: 60 },
    { kind: 'next-rekey', ks: 'KS' },
    { kind: 'run-for', seconds: 5 },
    { kind: 'until-rekey', member: 'GM-2', maxSeconds: 700 },
  ];
  for (const action of steps) {
    if (action.kind === 'cli' || action.kind === 'fault' || action.kind === 'all') continue;
    const batch = await api.runLesson(action);
    await driver.perform(action);
    expect(batch.now).toBe(lab!.kernel.now);
    expect(await api.traceHash()).toBe(lab!.kernel.trace.hash());
  }
  // The KS's first rekey is at 300 s (its KEK lifetime); the run goes 2 s past it for the members' log lines.
  expect((await api.gdoiView('KS')).keyServers[0]!.rekeysSent).toBeGreaterThan(0);
});

it('refuses console lines, faults and malformed actions in plain language, and the lab goes on', async () => {
  const api = createSimApi();
  await api.load(REFERENCE);
  const cli = { kind: 'cli', device: 'GM-2', lines: ['show clock'] } as unknown as Parameters<
    typeof api.runLesson
  >[0];
  await expect(api.runLesson(cli)).rejects.toThrow(/typed at the page's consoles/);
  const bad = { kind: 'run-to', seconds: -1 } as unknown as Parameters<typeof api.runLesson>[0];
  await expect(api.runLesson(bad)).rejects.toThrow(/Not a valid lesson action: "seconds" must be/);
  expect((await api.runLesson({ kind: 'run-for', seconds: 1 })).now).toBe(SECOND);
});

it("gives the multicast panel the lab's rekey source and group, and nothing for a lab without a key server", async () => {
  const api = createSimApi();
  expect(await api.rekeyGroup()).toBeUndefined();
  await api.load(REFERENCE);
  // The article: members register to the KS's Loopback0 1.1.1.1; `rekey address ipv4 120` permits 239.10.10.1.
  expect(await api.rekeyGroup()).toEqual({ keyServer: 'KS', address: '1.1.1.1', group: '239.10.10.1' });
  const plain = JSON.stringify({
    format: 'getlab-scenario/1',
    title: 'two routers',
    devices: [
      { name: 'A', config: 'hostname A\ninterface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n' },
    ],
    links: [],
  });
  expect((await api.load(plain)).ok).toBe(true);
  expect(await api.rekeyGroup()).toBeUndefined();
});
