import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { CliSession } from '../cli-session';

async function converged(device = 'GM-1') {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await lab!.kernel.runUntil(seconds(90));
  return { lab: lab!, cli: new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs }) };
}

function counter(out: string, re: RegExp): number {
  const m = re.exec(out);
  if (!m) throw new Error(`no ${String(re)} in\n${out}`);
  return Number(m[1]);
}

const PACKETS_OUT = /^ {5}(\d+) packets output, \d+ bytes, 0 underruns$/m;
const BYTES_OUT = /^ {5}\d+ packets output, (\d+) bytes, 0 underruns$/m;
const PACKETS_IN = /^ {5}(\d+) packets input, \d+ bytes, 0 no buffer$/m;
const MULTICASTS_IN = /^ {5}Received \d+ broadcasts \((\d+) IP multicasts\)$/m;

describe('show interfaces', () => {
  it('Tunnel10 with a GRE key: transport MTU 1472, tunnel MTU 17912 (1476 and 17916 without the key)', async () => {
    // GRE adds 24 bytes (20 IP + 4 GRE) and the key 4 more (Cisco, "Resolve IPv4 Fragmentation, MTU, MSS,
    // and PMTUD Issues with GRE and IPsec"); published IOS 15 output: "Tunnel transport MTU 1472 bytes".
    const { cli } = await converged();
    const out = await cli.execute('show interfaces Tunnel10');
    expect(out).toContain('  MTU 17912 bytes, BW 100 Kbit/sec, DLY 50000 usec, ');
    expect(out).toContain('  Tunnel protocol/transport multi-GRE/IP\n    Key 0x7B, sequencing disabled');
    expect(out).toContain('  Tunnel transport MTU 1472 bytes\n  Tunnel transmit bandwidth 8000 (kbps)');
    await cli.execute('configure terminal');
    await cli.execute('interface Tunnel10');
    await cli.execute('no tunnel key');
    await cli.execute('end');
    const keyless = await cli.execute('show interfaces Tunnel10');
    expect(keyless).toContain('  MTU 17916 bytes, BW 100 Kbit/sec, DLY 50000 usec, ');
    expect(keyless).toContain('  Tunnel transport MTU 1476 bytes');
  });

  it('counts the packets and bytes a ping really sends and receives, on the tunnel and the transport', async () => {
    const { cli } = await converged();
    const before = {
      tunnel: await cli.execute('show interfaces Tunnel10'),
      serial: await cli.execute('show interfaces Serial1/0'),
    };
    expect(await cli.execute('ping 192.168.1.1 source Loopback1 repeat 20 size 200')).toContain(
      'Success rate is 100 percent (20/20)',
    );
    const after = {
      tunnel: await cli.execute('show interfaces Tunnel10'),
      serial: await cli.execute('show interfaces Serial1/0'),
    };
    // 20 echo requests of 200 bytes leave through Tunnel10 (the tunnel counts the passenger packet) …
    expect(counter(after.tunnel, PACKETS_OUT) - counter(before.tunnel, PACKETS_OUT)).toBeGreaterThanOrEqual(
      20,
    );
    expect(counter(after.tunnel, BYTES_OUT) - counter(before.tunnel, BYTES_OUT)).toBeGreaterThanOrEqual(
      20 * 200,
    );
    // … and their 20 replies come back in on it; the transport carries each one GRE- and ESP-encapsulated.
    expect(counter(after.tunnel, PACKETS_IN) - counter(before.tunnel, PACKETS_IN)).toBeGreaterThanOrEqual(20);
    const serialBytes = counter(after.serial, BYTES_OUT) - counter(before.serial, BYTES_OUT);
    expect(serialBytes).toBeGreaterThan(20 * (200 + 24 + 4));
    // EIGRP and PIM hellos from the hub arrive on the tunnel as IP multicasts.
    expect(counter(after.tunnel, MULTICASTS_IN)).toBeGreaterThan(0);
    expect(after.tunnel).toMatch(
      /^ {2}Last input \d\d:\d\d:\d\d, output \d\d:\d\d:\d\d, output hang never$/m,
    );
    // EIGRP and PIM hellos keep the tunnel busy: its 5-minute rates are no longer zero.
    expect(
      counter(after.tunnel, /^ {2}5 minute output rate (\d+) bits\/sec, \d+ packets\/sec$/m),
    ).toBeGreaterThan(0);
    expect(
      counter(after.serial, /^ {2}5 minute input rate (\d+) bits\/sec, \d+ packets\/sec$/m),
    ).toBeGreaterThan(0);
  });

  it('counts output drops: the hub has no NBMA address for an unregistered tunnel neighbour', async () => {
    const { cli } = await converged('Central');
    const drops = /Total output drops: (\d+)$/m;
    const before = counter(await cli.execute('show interfaces Tunnel10'), drops);
    expect(await cli.execute('ping 192.168.100.50 repeat 5')).toContain('Success rate is 0 percent (0/5)');
    const after = counter(await cli.execute('show interfaces Tunnel10'), drops);
    expect(after - before).toBe(5);
  });

  it('an Ethernet port prints the 7200 FastEthernet lines and counts what crosses the KS link', async () => {
    const { lab, cli } = await converged('Central');
    const out = await cli.execute('show interfaces FastEthernet0/0');
    expect(out).toContain(
      '  Keepalive set (10 sec)\n  Half-duplex, 100Mb/s, 100BaseTX/FX\n  ARP type: ARPA, ARP Timeout 04:00:00',
    );
    expect(out).toContain('     0 watchdog\n     0 input packets with dribble condition detected');
    const mac = /^ {2}Hardware is DEC21140, address is (\w{4}\.\w{4}\.\w{4}) \(bia \1\)$/m.exec(out)![1];
    expect(mac).toMatch(/^ca[0-9a-f]{2}\.[0-9a-f]{4}\.0000$/);
    const ks = await new CliSession(lab.router('KS')!, { epochMs: lab.epochMs }).execute('show interfaces');
    expect(ks).not.toContain(mac); // every router has its own burned-in addresses
    expect(out).toContain('     0 babbles, 0 late collision, 0 deferred\n     0 lost carrier, 0 no carrier');
    // the KS's registrations, rekeys and PIM/Auto-RP traffic come in on this port, some of it multicast
    expect(counter(out, PACKETS_IN)).toBeGreaterThan(0);
    expect(counter(out, MULTICASTS_IN)).toBeGreaterThan(0);
  });

  it('an interface that has carried nothing shows zero counters and "never"', async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    const cli = new CliSession(lab!.router('GM-2')!, { epochMs: lab!.epochMs });
    const out = await cli.execute('show interfaces Loopback1');
    expect(out).toContain('  Last input never, output never, output hang never');
    expect(out).toContain('     0 packets input, 0 bytes, 0 no buffer');
    expect(out).toContain('     Received 0 broadcasts (0 IP multicasts)');
    expect(out).toContain('     0 packets output, 0 bytes, 0 underruns');
  });
});

describe('show interfaces: Tunnel linestate evaluation down reasons', () => {
  it('a GRE/IP tunnel without a destination, then with one it has no route to', async () => {
    // The wordings are published output (genieparser, src/genie/libs/parser/iosxe/tests/ShowInterfaces/cli/
    // equal/golden_interface_output_10_output.txt): Tunnel4 "Tunnel linestate evaluation down - no IPv4 tunnel
    // destination address" (a source, no destination), Tunnel10 "... down - no output interface".
    const { lab, cli } = await converged();
    for (const line of ['configure terminal', 'interface Tunnel99', 'tunnel source Loopback0', 'end'])
      await cli.execute(line);
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(await cli.execute('show interfaces Tunnel99 | include linestate')).toBe(
      '  Tunnel linestate evaluation down - no IPv4 tunnel destination address',
    );
    // GM-1's default route would cover any destination: take it away first.
    for (const line of [
      'configure terminal',
      'no ip route 0.0.0.0 0.0.0.0 172.27.1.2',
      'interface Tunnel99',
      'tunnel destination 203.0.113.9',
      'end',
    ])
      await cli.execute(line);
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(await cli.execute('show ip route 203.0.113.9')).toBe('% Network not in table');
    expect(await cli.execute('show interfaces Tunnel99 | include linestate')).toBe(
      '  Tunnel linestate evaluation down - no output interface',
    );
  });
});
