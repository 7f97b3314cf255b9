import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../scenario/lab';
import { CliSession } from './cli-session';

function session(device = 'GM-1', mode: 'user' | 'privileged' = 'privileged') {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  return { lab: lab!, cli: new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs }, mode) };
}

describe('CliSession', () => {
  it('accepts abbreviations and prints IOS layouts', async () => {
    const { cli } = session();
    const brief = await cli.execute('sh ip int br');
    expect(brief.split('\n')[0]).toBe(
      'Interface                  IP-Address      OK? Method Status                Protocol',
    );
    expect(brief).toMatch(/^Serial1\/0 +172\.27\.1\.1 +YES NVRAM +up +up$/m);
    const route = await cli.execute('show ip route');
    expect(route).toContain('Gateway of last resort is 172.27.1.2 to network 0.0.0.0');
    expect(route).toContain('S*    0.0.0.0/0 [1/0] via 172.27.1.2');
    expect(route).toContain('C        11.11.11.11 is directly connected, Loopback0');
  });

  it('moves between user, privileged and configuration modes with IOS prompts', async () => {
    const { cli } = session('GM-2', 'user');
    expect(cli.prompt()).toBe('GM-2>');
    expect(await cli.execute('configure terminal')).toContain("% Invalid input detected at '^' marker.");
    await cli.execute('en');
    expect(cli.prompt()).toBe('GM-2#');
    await cli.execute('conf t');
    expect(cli.prompt()).toBe('GM-2(config)#');
    await cli.execute('int tu10');
    expect(cli.prompt()).toBe('GM-2(config-if)#');
    await cli.execute('exit');
    expect(cli.prompt()).toBe('GM-2(config)#');
    await cli.execute('end');
    expect(cli.prompt()).toBe('GM-2#');
  });

  it('reports ambiguous, incomplete and invalid input as IOS does', async () => {
    const { cli } = session();
    expect(await cli.execute('d')).toBe('% Ambiguous command:  "d"');
    expect(await cli.execute('show ip')).toBe('% Incomplete command.');
    const bad = await cli.execute('show ip rout x');
    const caret = bad.split('\n')[0]!;
    expect(caret.indexOf('^')).toBe('GM-1#show ip rout '.length);
  });

  it('answers ? with the next words and completes with Tab', async () => {
    const { cli } = session();
    expect(cli.help('show ip ')).toMatch(/^ {2}interface +IP interface status and configuration$/m);
    expect(cli.help('sh')).toContain('show');
    expect(cli.complete('sh')).toBe('show ');
  });

  it('changes the running lab at once: removing an ip mroute shows in the running-config', async () => {
    const { cli } = session('GM-2');
    expect(await cli.execute('show running-config')).toContain(
      'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
    );
    await cli.execute('configure terminal');
    await cli.execute('no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    await cli.execute('end');
    const run = await cli.execute('show running-config');
    expect(run).toMatch(/^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n/);
    expect(run).not.toContain('ip mroute');
  });

  it('shutting an interface brings the far end down and removes its connected route', async () => {
    const { lab, cli } = session('Central');
    await cli.execute('configure terminal');
    await cli.execute('interface Serial2/0');
    await cli.execute('shutdown');
    const sp = lab.router('SP')!;
    expect(sp.interfaceState('Serial1/0').status).toBe('down');
    expect(sp.rib.lookup(0xac110101)).toBeUndefined();
    await cli.execute('no shutdown');
    expect(sp.interfaceState('Serial1/0').status).toBe('up');
  });

  it('pings and tracerouts across the underlay', async () => {
    const { cli } = session('GM-1');
    expect(await cli.execute('ping 12.12.12.12 source Loopback0')).toContain(
      'Success rate is 100 percent (5/5)',
    );
    const trace = await cli.execute('traceroute 1.1.1.1 source Loopback0');
    expect(trace.split('\n').slice(3)).toEqual([
      expect.stringMatching(/^ {2}1 172\.27\.1\.2 \d+ msec \d+ msec \d+ msec$/),
      expect.stringMatching(/^ {2}2 172\.17\.1\.1 /),
      expect.stringMatching(/^ {2}3 1\.1\.1\.1 \d+ msec \* {2}\d+ msec$/),
    ]);
    expect(await cli.execute('ping 8.8.8.8 repeat 2')).toContain('Success rate is 0 percent (0/2)');
  });
});
