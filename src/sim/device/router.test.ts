import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { parseIpv4 } from '../net/ipv4-address';
import { loadLab } from '../scenario/lab';
import { generateHubSpokes } from '../scenario/generate';

const ip = (t: string): number => parseIpv4(t) ?? 0;

/** The router's per-packet indexes (own addresses, interface configs) follow config changes made at the console. */
describe('Router indexes', () => {
  it('owns an address once it is configured, and no longer once it is changed', async () => {
    const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes: 2 })));
    const gm = lab!.router('GM-1')!;
    const cli = new CliSession(gm, { epochMs: lab!.epochMs });
    expect(gm.ownsAddress(ip('11.0.0.1'))).toBe(true);
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(false);
    for (const line of [
      'enable',
      'configure terminal',
      'interface Loopback7',
      'ip address 99.9.9.9 255.255.255.255',
    ])
      await cli.execute(line);
    expect(gm.interfaceConfig('Loopback7')?.address?.address).toBe(ip('99.9.9.9'));
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(true);
    await cli.execute('ip address 99.9.9.8 255.255.255.255');
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(false);
    expect(gm.ownsAddress(ip('99.9.9.8'))).toBe(true);
    // Unknown interfaces stay unknown; known ones keep answering after the list grew.
    expect(gm.interfaceConfig('Loopback8')).toBeUndefined();
    expect(gm.interfaceConfig('Serial1/0')?.address?.address).toBe(ip('100.64.0.1'));
  });
});
