import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { CliSession } from '../cli-session';
import { iosUptime } from './show-version';

async function at(time: number, device = 'GM-1') {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await lab!.kernel.runUntil(time);
  return { lab: lab!, cli: new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs }) };
}

describe('show ip interface', () => {
  // Cisco IOS IP Addressing Services Command Reference, "show ip interface": sample output and field table.
  it('prints the IOS block for the tunnel: address, IP MTU, reserved groups joined by PIM and EIGRP', async () => {
    const { cli } = await at(seconds(30));
    const out = (await cli.execute('show ip interface Tunnel10')).split('\n');
    expect(out.slice(0, 6)).toEqual([
      'Tunnel10 is up, line protocol is up',
      '  Internet address is 192.168.100.2/24',
      '  Broadcast address is 255.255.255.255',
      '  Address determined by non-volatile memory',
      '  MTU is 1472 bytes',
      '  Helper address is not set',
    ]);
    expect(out).toContain(
      '  Multicast reserved groups joined: 224.0.0.1 224.0.0.2 224.0.0.22 224.0.0.13 224.0.0.10',
    );
    expect(out).toContain('  Outgoing access list is not set');
    expect(out).toContain('  Inbound  access list is not set');
    expect(out).toContain('  IP CEF switching is enabled');
    expect(out[out.length - 1]).toBe('  IPv4 WCCP Redirect exclude is disabled');
  });

  it('an address typed at the console is "manual" (brief) and "determined by configuration command"', async () => {
    const { cli } = await at(0);
    await cli.execute('configure terminal');
    await cli.execute('interface Loopback9');
    await cli.execute('ip address 10.9.9.9 255.255.255.255');
    await cli.execute('end');
    expect(await cli.execute('show ip interface brief | include ^Loopback9')).toMatch(
      /^Loopback9 +10\.9\.9\.9 +YES manual up +up$/,
    );
    expect(await cli.execute('show ip interface brief | include ^Loopback0')).toMatch(/YES NVRAM/);
    expect(await cli.execute('show ip interface Loopback9')).toContain(
      '  Address determined by configuration command',
    );
  });

  it('an interface the router does not have is invalid input, the caret under its name', async () => {
    const { cli } = await at(0);
    for (const cmd of ['show ip interface Serial9/0', 'show interfaces Serial9/0']) {
      const [caret, message] = (await cli.execute(cmd)).split('\n');
      expect(caret!.indexOf('^')).toBe(`GM-1#${cmd}`.indexOf('Serial9/0'));
      expect(message).toBe("% Invalid input detected at '^' marker.");
    }
  });

  it('lists every interface without a name; an unaddressed one has IP processing disabled', async () => {
    const { cli } = await at(0);
    await cli.execute('configure terminal');
    await cli.execute('interface Loopback9');
    await cli.execute('end');
    const all = await cli.execute('show ip interface');
    expect(all).toMatch(
      /^Serial1\/0 is up, line protocol is up\n {2}Internet address is 172\.27\.1\.1\/24$/m,
    );
    expect(all).toContain('Loopback9 is up, line protocol is up\n  Internet protocol processing disabled');
    expect(await cli.execute('show ip interface brief')).toMatch(/^Interface +IP-Address/);
  });
});

describe('show logging', () => {
  // genieparser's golden IOS output (ios/tests/ShowLogging/cli/equal/golden_output_5_output.txt): the header
  // line for line (its counts aside), then "Log Buffer (… bytes):", a blank line and the buffered lines.
  it('prints the header and the lines the router logged, with their timestamps', async () => {
    const { cli } = await at(seconds(120));
    const out = await cli.execute('show logging');
    const lines = out.split('\n');
    const n = /Console logging: level debugging, (\d+) messages/.exec(out)![1];
    const trap = /Trap logging: level informational, (\d+) message lines/.exec(out)![1];
    expect(lines.slice(0, lines.indexOf('Log Buffer (8192 bytes):') + 2)).toEqual([
      'Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)',
      '',
      'No Active Message Discriminator.',
      '',
      '',
      '',
      'No Inactive Message Discriminator.',
      '',
      '',
      `    Console logging: level debugging, ${n} messages logged, xml disabled,`,
      '                     filtering disabled',
      '    Monitor logging: level debugging, 0 messages logged, xml disabled,',
      '                     filtering disabled',
      `    Buffer logging:  level debugging, ${n} messages logged, xml disabled,`,
      '                    filtering disabled',
      '    Exception Logging: size (4096 bytes)',
      '    Count and timestamp logging messages: disabled',
      '    Persistent logging: disabled',
      '',
      'No active filter modules.',
      '',
      `    Trap logging: level informational, ${trap} message lines logged`,
      '        Logging Source-Interface:       VRF Name:',
      '',
      'Log Buffer (8192 bytes):',
      '',
    ]);
    expect(lines[0]).toBe(
      'Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)',
    );
    expect(out).toMatch(/^ {4}Buffer logging: {2}level debugging, \d+ messages logged, xml disabled,$/m);
    expect(out).toMatch(/^ {4}Trap logging: level informational, \d+ message lines logged$/m);
    const buffer = lines.slice(lines.indexOf('Log Buffer (8192 bytes):') + 2);
    expect(buffer.length).toBeGreaterThan(0);
    for (const l of buffer) expect(l).toMatch(/^\*[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: \S/);
    // the adjacency and registration lines the console printed are in the buffer
    expect(
      buffer.some((l) =>
        l.includes('%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.1 (Tunnel10) is up'),
      ),
    ).toBe(true);
    expect(buffer.some((l) => l.includes('%GDOI-5-GM_REGS_COMPL'))).toBe(true);
    // console lines typed in config mode are logged too
    await cli.execute('configure terminal');
    await cli.execute('end');
    expect((await cli.execute('show logging | include SYS-5-CONFIG.I')).split('\n').pop()).toMatch(
      /: %SYS-5-CONFIG_I: Configured from console by console$/,
    );
  });

  it('keeps only the newest 8192 bytes, as the circular buffer does', async () => {
    const { lab, cli } = await at(0);
    const r = lab.router('GM-1')!;
    for (let i = 0; i < 500; i++) r.log('syslog', `%TEST-5-LINE: line ${i}`);
    const out = await cli.execute('show logging');
    expect(out).toContain('%TEST-5-LINE: line 499');
    expect(out).not.toContain('%TEST-5-LINE: line 0\n');
    const buffered = out.slice(out.indexOf('Log Buffer (8192 bytes):\n\n') + 26);
    expect(buffered.length).toBeLessThanOrEqual(8192);
    expect(out).toMatch(/Buffer logging: {2}level debugging, 50\d messages logged/);
    // debug lines are buffered but not sent at the trap level (informational)
    r.log('debug', 'GDOI:GM:(GDOI_GM):a debug line');
    const withDebug = await cli.execute('show logging');
    const count = (re: RegExp): number => Number(re.exec(withDebug)![1]);
    expect(count(/Buffer logging: {2}level debugging, (\d+) messages/)).toBe(
      count(/Trap logging: level informational, (\d+) message lines/) + 1,
    );
  });
});

describe('show version', () => {
  it('is a 7206VXR running IOS 15.2(4)M11, with the uptime and the interfaces the router has', async () => {
    const { cli } = await at(seconds(3600 + 61));
    const out = (await cli.execute('show version')).split('\n');
    expect(out[0]).toBe(
      'Cisco IOS Software, 7200 Software (C7200-ADVENTERPRISEK9-M), Version 15.2(4)M11, RELEASE SOFTWARE (fc2)',
    );
    expect(out).toContain('GM-1 uptime is 1 hour, 1 minute');
    expect(out).toContain(
      'Cisco 7206VXR (NPE400) processor (revision A) with 491520K/32768K bytes of memory.',
    );
    expect(out).toContain('1 Serial interface');
    // The closing lines of a captured 7206VXR's show version (pop3165/apic, netsim/c/c0/show_version.sh).
    expect(out.slice(-5)).toEqual([
      '125K bytes of NVRAM.',
      '',
      '65536K bytes of ATA PCMCIA card at slot 0 (Sector size 512 bytes).',
      '8192K bytes of Flash internal SIMM (Sector size 256K).',
      'Configuration register is 0x2102',
    ]);
    // genieparser's IOS 15 golden output (ios/tests/ShowVersion/cli/equal/golden_output_iosv_output.txt).
    expect(out).toContain('Last reload reason: Unknown reason');
  });

  it('counts uptime as IOS words it', () => {
    expect(iosUptime(0)).toBe('0 minutes');
    expect(iosUptime(seconds(60))).toBe('1 minute');
    expect(iosUptime(seconds(8 * 86400 + 3600 + 120))).toBe('1 week, 1 day, 1 hour, 2 minutes');
  });
});
