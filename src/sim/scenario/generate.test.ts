import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import { servicesOf } from '../protocols/services.test-support';
import { generateHubSpokes, parseGenerateSpec } from './generate';
import { loadLab } from './lab';

describe('generateHubSpokes', () => {
  it('builds a lab that loads clean and converges: every spoke registered and an EIGRP neighbour', async () => {
    const scenario = generateHubSpokes({ spokes: 20 });
    const { lab, problems } = loadLab(JSON.stringify(scenario));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    await lab!.kernel.runUntil(seconds(30));
    const hub = lab!.router('Central')!;
    expect(servicesOf(hub).nhrp.interfaces.get('Tunnel10')!.cache.all()).toHaveLength(20);
    expect(servicesOf(hub).eigrp.process(10)!.neighbors.size).toBe(20);
    const spoke = lab!.router('GM-20')!;
    expect(spoke.rib.lookup(0xc0a80101)?.source).toBe('eigrp');
  });

  it('spreads spokes over several hubs, one DMVPN cloud each, and the KS rekeys them all by multicast', async () => {
    const { lab, problems } = loadLab(JSON.stringify(generateHubSpokes({ spokes: 6, hubs: 2 })));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    await lab!.kernel.runUntil(seconds(40));
    // Spokes are dealt in turn: GM-1, GM-3, GM-5 behind Central-1; GM-2, GM-4, GM-6 behind Central-2.
    for (const [hub, spokes] of [
      ['Central-1', ['GM-1', 'GM-3', 'GM-5']],
      ['Central-2', ['GM-2', 'GM-4', 'GM-6']],
    ] as const) {
      const s = servicesOf(lab!.router(hub)!);
      expect(s.nhrp.interfaces.get('Tunnel10')!.cache.all()).toHaveLength(3);
      expect(s.eigrp.process(10)!.neighbors.size).toBe(3);
      for (const spoke of spokes) {
        const nhs = lab!.router(hub)!.interfaceConfig('Tunnel10')!.address!.address;
        expect(lab!.router(spoke)!.config.interfaces.find((i) => i.name === 'Tunnel10')!.nhrp.nhs).toEqual([
          nhs,
        ]);
      }
    }
    const ks = servicesOf(lab!.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    expect(ks.members.size).toBe(8);
    const cli = new CliSession(lab!.router('KS')!, { epochMs: lab!.epochMs });
    await cli.execute('enable');
    // The RP (the KS) forwards the group out of both hub links.
    expect(await cli.execute('show ip mroute 239.10.10.1')).toMatch(
      /Outgoing interface list:\n\s+FastEthernet1\/0, Forward\/Sparse.*\n\s+FastEthernet1\/1, Forward\/Sparse/,
    );
    const from = lab!.kernel.now;
    await cli.execute('crypto gdoi ks rekey');
    await lab!.kernel.runUntil(from + seconds(2));
    const received = lab!.kernel.trace
      .all()
      .filter((r) => r.kind === 'log' && r.t >= from && r.text.startsWith('%GDOI-5-GM_RECV_REKEY'))
      .map((r) => r.device)
      .sort();
    expect(received).toEqual(['Central-1', 'Central-2', 'GM-1', 'GM-2', 'GM-3', 'GM-4', 'GM-5', 'GM-6']);
  });

  it('parses the runner spec', () => {
    expect(parseGenerateSpec('hub-spokes:100')).toEqual({ spokes: 100 });
    expect(parseGenerateSpec('hub-spokes:100:4')).toEqual({ spokes: 100, hubs: 4 });
    expect(parseGenerateSpec('hub-spokes:3:4')).toEqual({ error: '4 hubs need at least 4 spokes' });
    expect(parseGenerateSpec('hub-spokes:10:0')).toHaveProperty('error');
    expect(parseGenerateSpec('ring:3')).toHaveProperty('error');
    expect(parseGenerateSpec('hub-spokes:0')).toHaveProperty('error');
  });
});
