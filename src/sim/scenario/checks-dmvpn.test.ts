// The `route` and `nhrp-entry` lesson checks (issue 17) on the DMVPN phase 2 scenario's lab: the route a router's
// table holds for a prefix (`show ip route`) and the tunnel-to-NBMA mappings of its NHRP cache (`show ip nhrp`),
// with the plain-language detail a student reads when one fails. Behaviour checked against: a spoke registers with
// its NHS and the NHS keeps the mapping as a dynamic entry (RFC 2332 §5.2.3); `ip nhrp map` entries are static
// (Cisco, show ip nhrp: "static—NBMA address was statically configured"); with EIGRP split horizon on (the IOS
// default) the hub does not advertise one spoke's LAN to another.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCheck } from './checks';
import { lessonsWith, runShippedLab, scenarioSchema } from './checks.test-support';
import type { Lab } from './lab';
import { type LessonCheck, type PathProblem, validateLessons } from './lesson-schema';

const DMVPN = 'public/scenarios/dmvpn-phase2.json';

const check = async (lab: Lab, c: LessonCheck): Promise<{ pass: boolean; detail: string }> =>
  evaluateCheck(lab, c, 0);

describe('route and nhrp-entry checks on the DMVPN phase 2 lab (split horizon on)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await runShippedLab(DMVPN, 30);
  }, 60_000);

  it('route: the EIGRP route to the hub LAN, by protocol, next hop and interface', async () => {
    const c: LessonCheck = { kind: 'route', device: 'Spoke-1', prefix: '192.168.1.0/24' };
    expect(
      await check(lab, { ...c, protocol: 'eigrp', nextHop: '192.168.100.1', interface: 'Tunnel10' }),
    ).toEqual({
      pass: true,
      detail: 'Spoke-1 has 192.168.1.0/24 (eigrp) via 192.168.100.1, Tunnel10.',
    });
    expect(await check(lab, { ...c, protocol: 'static' })).toEqual({
      pass: false,
      detail: 'Spoke-1 has 192.168.1.0/24 (eigrp) via 192.168.100.1, Tunnel10, expected it from static.',
    });
    expect((await check(lab, { ...c, nextHop: '192.168.100.3' })).detail).toBe(
      'Spoke-1 has 192.168.1.0/24 (eigrp) via 192.168.100.1, Tunnel10, expected via 192.168.100.3.',
    );
    expect((await check(lab, { ...c, interface: 'Serial1/0' })).detail).toBe(
      'Spoke-1 has 192.168.1.0/24 (eigrp) via 192.168.100.1, Tunnel10, expected out of Serial1/0.',
    );
  });

  it('route: connected and static routes; the next hop of a static route resolves to its interface', async () => {
    expect(
      await check(lab, {
        kind: 'route',
        device: 'Spoke-1',
        prefix: '192.168.11.0/24',
        protocol: 'connected',
      }),
    ).toEqual({
      pass: true,
      detail: 'Spoke-1 has 192.168.11.0/24 (connected) directly connected, Loopback1.',
    });
    expect(
      await check(lab, {
        kind: 'route',
        device: 'Spoke-1',
        prefix: '0.0.0.0/0',
        protocol: 'static',
        interface: 'Serial1/0',
      }),
    ).toEqual({ pass: true, detail: 'Spoke-1 has 0.0.0.0/0 (static) via 172.27.1.2, Serial1/0.' });
  });

  it('route: a missing prefix says which route carries its traffic instead; bad input fails in words', async () => {
    // Split horizon on the hub's Tunnel10: Spoke-2's LAN never reaches Spoke-1, which sends it to the provider.
    expect(await check(lab, { kind: 'route', device: 'Spoke-1', prefix: '192.168.12.0/24' })).toEqual({
      pass: false,
      detail:
        'Spoke-1 has no route for 192.168.12.0/24; traffic to 192.168.12.0 follows 0.0.0.0/0 (static) via 172.27.1.2, Serial1/0.',
    });
    // The provider has neither the LAN nor a default route.
    expect((await check(lab, { kind: 'route', device: 'SP', prefix: '192.168.12.0/24' })).detail).toBe(
      'SP has no route for 192.168.12.0/24, and no route covers it.',
    );
    for (const prefix of ['192.168.12.1/24', '192.168.12.0/33', '192.168.12.0', 'x/8']) {
      expect((await check(lab, { kind: 'route', device: 'Spoke-1', prefix })).detail).toBe(
        `"${prefix}" is not a prefix (a.b.c.d/len with the host bits clear).`,
      );
    }
    expect((await check(lab, { kind: 'route', device: '__proto__', prefix: '0.0.0.0/0' })).detail).toBe(
      'There is no device named "__proto__".',
    );
  });

  it('nhrp-entry: the hub learnt each spoke dynamically; a spoke maps the hub statically', async () => {
    const hub: LessonCheck = { kind: 'nhrp-entry', device: 'Hub', address: '192.168.100.3' };
    expect(await check(lab, { ...hub, nbma: '172.37.1.1', type: 'dynamic' })).toEqual({
      pass: true,
      detail: 'Hub maps 192.168.100.3 to NBMA 172.37.1.1 on Tunnel10 (dynamic, from a registration).',
    });
    expect((await check(lab, { ...hub, nbma: '172.27.1.1' })).detail).toBe(
      'Hub maps 192.168.100.3 to NBMA 172.37.1.1 on Tunnel10 (dynamic, from a registration), expected NBMA 172.27.1.1.',
    );
    expect(
      await check(lab, { kind: 'nhrp-entry', device: 'Spoke-1', address: '192.168.100.1', type: 'dynamic' }),
    ).toEqual({
      pass: false,
      detail:
        'Spoke-1 maps 192.168.100.1 to NBMA 172.17.1.1 on Tunnel10 (static, from ip nhrp map), expected dynamic.',
    });
  });

  it('nhrp-entry: no mapping lists what the cache holds; an unknown tunnel or a router without NHRP has none', async () => {
    const spoke: LessonCheck = { kind: 'nhrp-entry', device: 'Spoke-1', address: '192.168.100.3' };
    expect(await check(lab, spoke)).toEqual({
      pass: false,
      detail:
        'Spoke-1 has no NHRP mapping for 192.168.100.3; its entries: 192.168.100.1 → 172.17.1.1 (static).',
    });
    expect((await check(lab, { ...spoke, address: '192.168.100.1', interface: 'Tunnel20' })).detail).toBe(
      'Spoke-1 has no NHRP mapping for 192.168.100.1 on Tunnel20; its entries: none.',
    );
    expect((await check(lab, { kind: 'nhrp-entry', device: 'SP', address: '192.168.100.1' })).detail).toBe(
      'SP has no NHRP mapping for 192.168.100.1; its entries: none.',
    );
    expect((await check(lab, { ...spoke, address: '192.168.100' })).detail).toBe(
      '"192.168.100" is not an IPv4 address.',
    );
  });
});

describe('route and nhrp-entry in a lesson file', () => {
  const route = {
    kind: 'route',
    device: 'Spoke-1',
    prefix: '192.168.12.0/24',
    protocol: 'eigrp',
    nextHop: '192.168.100.3',
    interface: 'Tunnel10',
  };
  const entry = {
    kind: 'nhrp-entry',
    device: 'Spoke-1',
    address: '192.168.100.3',
    nbma: '172.37.1.1',
    type: 'dynamic',
  };
  const broken = [
    { ...route, protocol: 'ospf' },
    { ...route, prefix: '192.168.12.0 255.255.255.0' },
    { ...entry, type: 'incomplete' },
    { kind: 'nhrp-entry', device: 'Spoke-1' },
  ];

  it('keeps the optional fields, and refuses a bad protocol, prefix or type with its path', () => {
    const problems: PathProblem[] = [];
    expect(validateLessons(lessonsWith(route), problems)[0]!.steps[0]!.checks).toEqual([route]);
    expect(validateLessons(lessonsWith(entry), problems)[0]!.steps[0]!.checks).toEqual([entry]);
    expect(problems).toEqual([]);
    for (const c of broken) validateLessons(lessonsWith(c), problems);
    expect(problems.map((p) => p.path)).toEqual([
      '/lessons/0/steps/0/checks/0/protocol',
      '/lessons/0/steps/0/checks/0/prefix',
      '/lessons/0/steps/0/checks/0/type',
      '/lessons/0/steps/0/checks/0/address',
    ]);
  });

  it('the JSON Schema accepts the same checks and refuses the same mistakes', () => {
    const { validate, file } = scenarioSchema();
    expect(validate(file(route)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(file(entry)), JSON.stringify(validate.errors)).toBe(true);
    for (const c of broken) expect(validate(file(c)), JSON.stringify(c)).toBe(false);
  });
});
