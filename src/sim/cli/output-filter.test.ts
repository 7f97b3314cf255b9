import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../scenario/lab';
import { CliSession } from './cli-session';

// Output modifiers as Cisco documents them: "Using the Cisco IOS Command-Line Interface", "Searching and
// Filtering show Command Output": `show command | {begin | include | exclude} regular-expression`, plus
// `| section` and `| count` ("Count number of lines which match regular expression").
function session(device = 'GM-1') {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  return { lab: lab!, cli: new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs }) };
}

describe('output modifiers', () => {
  it('| include keeps the lines that match, | exclude drops them', async () => {
    const { cli } = session();
    const inc = await cli.execute('show ip interface brief | include Tunnel');
    expect(inc.split('\n')).toEqual([
      expect.stringMatching(/^Tunnel10 +192\.168\.100\.2 +YES NVRAM +up +up$/),
    ]);
    const exc = await cli.execute('show ip interface brief | exclude ^Loopback|^Interface');
    expect(exc).not.toMatch(/Loopback|Interface/);
    expect(exc).toMatch(/^Serial1\/0/m);
    // abbreviations, as IOS takes them
    expect(await cli.execute('sh ip int br | i Tunnel10_')).toBe(inc);
  });

  it('| begin starts at the first matching line', async () => {
    const { cli } = session();
    const out = await cli.execute('show running-config | begin ^interface Tunnel');
    expect(out.split('\n')[0]).toBe('interface Tunnel10');
    expect(out).toContain('router eigrp 10');
    expect(out).not.toContain('interface Loopback0');
  });

  it('| section prints a matching line with the lines indented under it', async () => {
    const { cli } = session();
    const out = await cli.execute('show running-config | section ^router eigrp');
    expect(out.split('\n')).toEqual([
      'router eigrp 10',
      ' network 192.168.11.0',
      ' network 192.168.100.0',
      ' no auto-summary',
    ]);
    const tunnel = await cli.execute('show running-config | section interface Tunnel');
    expect(tunnel.split('\n')[0]).toBe('interface Tunnel10');
    expect(tunnel).toContain(' tunnel key 123');
    expect(tunnel).not.toContain('interface Serial');
  });

  it('| count prints how many lines match', async () => {
    const { cli } = session();
    const all = (await cli.execute('show ip interface brief')).split('\n');
    const up = all.filter((l) => / up +up$/.test(l)).length;
    expect(await cli.execute('show ip interface brief | count up +up$')).toBe(
      `Number of lines which match regexp = ${up}`,
    );
  });

  it('a regex that does not compile is an IOS error, and the console goes on', async () => {
    // [M] The message's wording has no published source (see output-filter.ts); the test pins GETLab's text.
    const { cli } = session();
    expect(await cli.execute('show ip interface brief | include (Tunnel')).toBe(
      '% Invalid regular expression',
    );
    expect(await cli.execute('show ip interface brief | include [')).toBe('% Invalid regular expression');
    expect(await cli.execute('show clock')).toMatch(/UTC/);
  });

  it('a missing or unknown modifier gets the IOS diagnostics, caret under the bad word', async () => {
    const { cli } = session();
    expect(await cli.execute('show clock |')).toBe('% Incomplete command.');
    expect(await cli.execute('show clock | include')).toBe('% Incomplete command.');
    const bad = await cli.execute('show clock | grep x');
    expect(bad.split('\n')[0]!.indexOf('^')).toBe('GM-1#show clock | '.length);
    const bare = await cli.execute('  | include x');
    expect(bare.split('\n')[0]!.indexOf('^')).toBe('GM-1#  '.length);
    const badCmd = await cli.execute('show clok | include x');
    expect(badCmd.split('\n')[0]!.indexOf('^')).toBe('GM-1#show '.length);
  });

  it('? after | lists the modifiers, ? after the modifier asks for a LINE, Tab completes it', () => {
    const { cli } = session();
    const help = cli.help('show clock | ');
    expect(help).toMatch(/^ {2}begin +Begin with the line that matches$/m);
    expect(help).toMatch(/^ {2}include +Include lines that match$/m);
    expect(help).toMatch(/^ {2}section +Filter a section of output$/m);
    expect(cli.help('show clock | include ')).toMatch(/^ {2}LINE +Regular Expression$/m);
    // IOS lists the pipe above <cr> once a command is complete
    expect(cli.help('show clock ')).toMatch(/^ {2}\| +Output modifiers\n {2}<cr>/m);
    expect(cli.complete('show clock | inc')).toBe('show clock | include ');
    expect(cli.complete('show clock | s')).toBe('show clock | section ');
  });

  it('works on do-commands in configuration mode', async () => {
    const { cli } = session();
    await cli.execute('configure terminal');
    const out = await cli.execute('do show ip interface brief | include Serial');
    expect(out).toMatch(/^Serial1\/0 +172\.27\.1\.1/);
    expect(out.split('\n')).toHaveLength(1);
  });
});
