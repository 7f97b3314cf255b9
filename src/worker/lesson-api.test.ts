// The worker's lesson calls (issue 17): the page reads the scenario's lessons and has their checks evaluated on
// the worker's lab, with the worker's own event classes for `event-since-step`.
import { readFileSync } from 'node:fs';
import { expect, expectTypeOf, it } from 'vitest';
import { EVENT_KINDS, type LessonEventKind } from '../sim/scenario/lesson-schema';
import { createSimApi } from './api';
import type { EventKind, LessonCheck } from './protocol';

const REFERENCE = readFileSync(
  new URL('../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);
const SECOND = 1_000_000;

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
