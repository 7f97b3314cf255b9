import { describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { servicesOf } from '../protocols/attach';
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

  it('parses the runner spec', () => {
    expect(parseGenerateSpec('hub-spokes:100')).toEqual({ spokes: 100 });
    expect(parseGenerateSpec('ring:3')).toHaveProperty('error');
    expect(parseGenerateSpec('hub-spokes:0')).toHaveProperty('error');
  });
});
