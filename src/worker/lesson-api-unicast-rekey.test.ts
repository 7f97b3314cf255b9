// The unicast-rekey scenario's lesson through the worker (issue 17), as the page's student mode runs it: the
// console lines typed at the KS, the run actions through runLesson, the rekey-count checks evaluated on the
// worker's lab. Cisco GET VPN Configuration Guide: a multicast rekey is one message to the group; with
// `rekey transport unicast` the KS sends one rekey per member, each acknowledged.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createSimApi } from './api';

const SCENARIO = readFileSync(
  new URL('../../public/scenarios/getvpn-unicast-rekey.json', import.meta.url),
  'utf8',
);

it('counts one multicast rekey, then one unicast rekey per member once the KS is switched', async () => {
  const api = createSimApi();
  await api.load(SCENARIO);
  const lessons = await api.lessons();
  expect(lessons.map((l) => l.id)).toEqual(['unicast-rekey']);
  const [first, , change] = lessons[0]!.steps;
  const firstBatch = await api.runLesson({ kind: 'next-rekey', ks: 'KS' });
  expect(firstBatch.now).toBeGreaterThan(300_000_000);
  const multicast = await api.evaluateChecks(first!.checks.slice(0, 1), 0);
  expect(multicast).toEqual([
    { pass: true, detail: 'KS sent 1 first-sent multicast rekey message since 0 s (to 239.10.10.1).' },
  ]);

  const since = (await api.runLesson({ kind: 'run-for', seconds: 125 })).now;
  for (const line of [
    'configure terminal',
    'crypto gdoi group GDOI_GROUP',
    'server local',
    'rekey transport unicast',
    'end',
  ])
    await api.exec('KS', line);
  await api.runLesson({ kind: 'next-rekey', ks: 'KS' });
  const perMember = change!.checks.find((c) => c.label === 'The KS sent one unicast rekey per member')!;
  const [unicast] = await api.evaluateChecks([perMember], since);
  expect(unicast!.pass).toBe(true);
  expect(unicast!.detail).toContain('(to 2.2.2.2, 11.11.11.11, 12.12.12.12)');
}, 60_000);
