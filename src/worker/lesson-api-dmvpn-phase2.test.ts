// The DMVPN phase 2 scenario's lesson through the worker (issue 17), as a student in student mode works it: the
// configuration typed at the hub's console, the ping typed at Spoke-1's, then the step's route and nhrp-entry
// checks evaluated on the worker's lab. What the console shows follows IOS: with next-hop-self the first traceroute
// hop is the hub; once Spoke-1 resolved Spoke-2 (RFC 2332 §5.2.1-5.2.2, the Resolution Request through the hub,
// the Reply direct) the traceroute has a single hop, Spoke-2 itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';

type Api = ReturnType<typeof createSimApi>;

const DMVPN = readFileSync(new URL('../../public/scenarios/dmvpn-phase2.json', import.meta.url), 'utf8');
const SECOND = 1_000_000;
const TRACE = 'traceroute 192.168.12.1 source Loopback1';

async function type(api: Api, device: string, lines: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) out.push((await api.exec(device, line)).output);
  return out;
}

async function hubTunnel(api: Api, lines: readonly string[]): Promise<void> {
  await type(api, 'Hub', ['enable', 'configure terminal', 'interface Tunnel10', ...lines, 'end']);
}

async function stepChecks(api: Api, title: string) {
  const step = (await api.lessons())[0]!.steps.find((s) => s.title === title)!;
  return { checks: step.checks, results: await api.evaluateChecks(step.checks, 0) };
}

describe('the DMVPN phase 2 lesson through the worker', () => {
  it('a student who turns split horizon and next-hop-self off sees the spoke-to-spoke tunnel come up', async () => {
    const api = createSimApi();
    await api.load(DMVPN);
    await api.runUntil(30 * SECOND);
    await hubTunnel(api, ['no ip split-horizon eigrp 10']);
    await api.runUntil(40 * SECOND);
    const [, viaHub] = await type(api, 'Spoke-1', ['enable', TRACE]);
    expect(viaHub).toMatch(/^ {2}1 192\.168\.100\.1 /m);
    expect(viaHub).toMatch(/^ {2}2 192\.168\.12\.1 /m);

    await hubTunnel(api, ['no ip next-hop-self eigrp 10']);
    await api.runUntil(50 * SECOND);
    const before = await stepChecks(api, 'Resolution: the spoke-to-spoke tunnel');
    expect(before.checks.map((c) => c.kind)).toEqual(['nhrp-entry', 'nhrp-entry', 'show-matches', 'not']);
    expect(before.results[0]).toEqual({
      pass: false,
      detail:
        'Spoke-1 has no NHRP mapping for 192.168.100.3; its entries: 192.168.100.1 → 172.17.1.1 (static).',
    });

    const [ping, trace] = await type(api, 'Spoke-1', ['ping 192.168.12.1 source Loopback1', TRACE]);
    expect(ping).toContain('Success rate is 100 percent (5/5)');
    expect(trace).toMatch(/^ {2}1 192\.168\.12\.1 /m);
    expect(trace).not.toContain('192.168.100.1');
    const after = await stepChecks(api, 'Resolution: the spoke-to-spoke tunnel');
    expect(after.results.map((r) => r.pass)).toEqual([true, true, true, true]);
    expect(after.results[0]!.detail).toBe(
      'Spoke-1 maps 192.168.100.3 to NBMA 172.37.1.1 on Tunnel10 (dynamic, from a resolution).',
    );
  });

  it('a student who forgets no ip next-hop-self still reaches Spoke-2, through the hub, and the step fails', async () => {
    const api = createSimApi();
    await api.load(DMVPN);
    await api.runUntil(30 * SECOND);
    await hubTunnel(api, ['no ip split-horizon eigrp 10']);
    await api.runUntil(40 * SECOND);
    const [, ping, trace] = await type(api, 'Spoke-1', [
      'enable',
      'ping 192.168.12.1 source Loopback1',
      TRACE,
    ]);
    expect(ping).toContain('Success rate is 100 percent (5/5)');
    expect(trace).toMatch(/^ {2}1 192\.168\.100\.1 /m);
    const step = await stepChecks(api, 'no ip next-hop-self eigrp 10');
    expect(step.results[0]).toEqual({
      pass: false,
      detail: 'Spoke-1 has 192.168.12.0/24 (eigrp) via 192.168.100.1, Tunnel10, expected via 192.168.100.3.',
    });
    const resolution = await stepChecks(api, 'Resolution: the spoke-to-spoke tunnel');
    expect(resolution.results.map((r) => r.pass)).toEqual([false, false, false, true]);
  });
});
