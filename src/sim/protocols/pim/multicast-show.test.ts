import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { cli, configure, loadTestLab, logLines, mrouteBlock } from './test-lab.test-support';

/** The article's lab (public/scenarios/getvpn-multicast-rekey.json). */
function referenceLab(): Lab {
  return loadTestLab(
    JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as object,
  );
}

/** The reference lab just after the KS's first multicast rekey (about 300 s). */
async function afterFirstRekey(): Promise<Lab> {
  const lab = referenceLab();
  await lab.kernel.runUntil(seconds(330));
  return lab;
}

describe('show ip pim interface [IF] detail', () => {
  // Layout: genieparser's IOS golden output for ShowIpPimInterfaceDetail (`GigabitEthernet1 is up, line protocol
  // is up` / `  Internet address is 10.1.2.1/24` / … / `    PIM DR: 10.1.2.2` / … / `    PIM NBMA mode: disabled`).
  it('the hub’s Tunnel10: DR itself, two neighbours, NBMA mode enabled, counters that count', async () => {
    const lab = await afterFirstRekey();
    const out = (await cli(lab, 'Central').execute('show ip pim interface Tunnel10 detail')).split('\n');
    expect(out.slice(0, 3)).toEqual([
      'Tunnel10 is up, line protocol is up',
      '  Internet address is 192.168.100.1/24',
      '  Multicast switching: fast',
    ]);
    expect(out[3]).toMatch(/^ {2}Multicast packets in\/out: \d+\/[1-9]\d*$/);
    expect(out.slice(4, 10)).toEqual([
      '  Multicast TTL threshold: 0',
      '  PIM: enabled',
      '    PIM version: 2, mode: sparse',
      '    PIM DR: 192.168.100.1 (this system)',
      '    PIM neighbor count: 2',
      '    PIM Hello/Query interval: 30 seconds',
    ]);
    expect(out[10]).toMatch(/^ {4}PIM Hello packets in\/out: [1-9]\d*\/[1-9]\d*$/);
    expect(out.slice(11)).toEqual([
      '    PIM J/P interval: 60 seconds',
      '    PIM State-Refresh processing: enabled',
      '    PIM State-Refresh origination: disabled',
      '    PIM NBMA mode: enabled',
      '    PIM ATM multipoint signalling: disabled',
      '    PIM domain border: disabled',
      '    PIM neighbors rpf proxy capable: TRUE',
      '    PIM BFD: disabled',
      '    PIM Non-DR-Join: FALSE',
      '  Multicast Tagswitching: disabled',
    ]);
  });

  it('a spoke names the hub as DR and has NBMA mode off; without an interface every PIM interface is listed', async () => {
    const lab = await afterFirstRekey();
    const gm2 = cli(lab, 'GM-2');
    const all = await gm2.execute('show ip pim interface detail');
    expect(all.match(/^\S.* is up, line protocol is up$/gm)).toEqual([
      'Loopback0 is up, line protocol is up',
      'Tunnel10 is up, line protocol is up',
    ]);
    const tu = await gm2.execute('show ip pim interface Tunnel10 detail');
    expect(tu).toContain('\n    PIM DR: 192.168.100.1\n');
    expect(tu).toContain('\n    PIM NBMA mode: disabled\n');
    // The one-line form takes an interface too.
    expect((await gm2.execute('show ip pim interface Tunnel10')).split('\n').slice(2)).toEqual([
      expect.stringMatching(/^192\.168\.100\.3 +Tunnel10 +v2\/S +1 +30 +1 +192\.168\.100\.1$/),
    ]);
  });
});

describe('show ip pim rp', () => {
  // Cisco IP Multicast Command Reference, "show ip pim rp": `Group: 227.7.7.7, RP: 10.10.0.2, v2, v1, next
  // RP-reachable in 00:00:48` on the RP.
  it('on the KS (the RP) the next RP-Reachable; on a spoke the mapping’s uptime and expiry', async () => {
    const lab = await afterFirstRekey();
    expect(await cli(lab, 'KS').execute('show ip pim rp')).toMatch(
      /^Group: 239\.10\.10\.1, RP: 1\.1\.1\.1, v2, v1, next RP-reachable in 00:00:\d\d$/,
    );
    expect(await cli(lab, 'GM-1').execute('show ip pim rp')).toMatch(
      /^Group: 239\.10\.10\.1, RP: 1\.1\.1\.1, v2, v1, uptime 00:0\d:\d\d, expires 00:0[0-3]:\d\d$/,
    );
    expect(await cli(lab, 'GM-1').execute('show ip pim rp 9.9.9.9')).toBe('');
    // `show ip pim rp mapping` keeps the article's layout.
    expect((await cli(lab, 'GM-1').execute('show ip pim rp mapping')).split('\n')[1]).toBe(
      'Group(s) 239.0.0.0/8',
    );
  });

  it('a static RP on a router that is not the RP: no version field, expires never', async () => {
    // genieparser's golden output (iosxe/tests/ShowIpPimRp/cli/equal/golden_output1_output.txt):
    //   Group: 224.0.1.40, RP: 60.1.1.1, uptime 00:00:29, expires never
    const lab = await afterFirstRekey();
    const gm1 = cli(lab, 'GM-1');
    for (const line of ['configure terminal', 'ip pim rp-address 1.1.1.1 override', 'end'])
      await gm1.execute(line);
    await lab.kernel.runUntil(lab.kernel.now + seconds(5));
    expect(await gm1.execute('show ip pim rp')).toMatch(
      /^Group: 239\.10\.10\.1, RP: 1\.1\.1\.1, uptime \d\d:\d\d:\d\d, expires never$/m,
    );
  });
});

describe('show ip mroute <group> <source> and show ip mroute static', () => {
  it('a source narrows the table to that (S,G)', async () => {
    const lab = await afterFirstRekey();
    const out = await cli(lab, 'Central').execute('show ip mroute 239.10.10.1 1.1.1.1');
    expect(out).toMatch(/^IP Multicast Routing Table$/m);
    expect(out).not.toContain('(*, 239.10.10.1)');
    expect(mrouteBlock(out.slice(out.indexOf('\n\n(') + 2), '(1.1.1.1, 239.10.10.1)')).toMatch(
      /^\(1\.1\.1\.1, 239\.10\.10\.1\), .*flags: LJT\n {2}Incoming interface: FastEthernet0\/0, RPF nbr 10\.1\.1\.2$/m,
    );
  });

  // genieparser's IOS golden output for ShowIpMrouteStatic: `Mroute: 172.16.0.0/16, RPF neighbor: 172.30.10.13,
  // distance: 1`.
  it('lists GM-2’s ip mroute, and nothing once it is removed', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(5));
    expect(await cli(lab, 'GM-2').execute('show ip mroute static')).toBe(
      'Mroute: 1.1.1.1/32, RPF neighbor: 192.168.100.1, distance: 0',
    );
    await configure(lab, 'GM-2', [
      'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
      'ip mroute 10.0.0.0 255.0.0.0 192.168.100.1 5',
    ]);
    expect(await cli(lab, 'GM-2').execute('show ip mroute static')).toBe(
      'Mroute: 10.0.0.0/8, RPF neighbor: 192.168.100.1, distance: 5',
    );
  });
});

describe('show ip igmp groups <group> detail', () => {
  // Published IOS output (IOS 15 `show ip igmp groups detail`: Cisco pyATS genieparser golden outputs):
  // `Interface:`, `Group:`, `Flags: L U` for a join-group, `Uptime:`,
  // `Group mode: EXCLUDE (Expires: …)`, `Last reporter:`, `Source list is empty`, after the flag legend.
  it('the spoke’s own join-group is L U; a group filter narrows the list', async () => {
    const lab = await afterFirstRekey();
    const out = (await cli(lab, 'GM-2').execute('show ip igmp groups 239.10.10.1 detail')).split('\n');
    expect(out.slice(0, 4)).toEqual([
      'Flags: L - Local, U - User, SG - Static Group, VG - Virtual Group,',
      '       SS - Static Source, VS - Virtual Source,',
      '       Ac - Group accounted towards access control limit',
      '',
    ]);
    expect(out.slice(4)).toEqual([
      'Interface:      Tunnel10',
      'Group:          239.10.10.1',
      'Flags:          L U',
      expect.stringMatching(/^Uptime: {9}00:0\d:\d\d$/),
      expect.stringMatching(/^Group mode: {5}EXCLUDE \(Expires: 00:0[0-3]:\d\d\)$/),
      expect.stringMatching(/^Last reporter: {2}192\.168\.100\.[1-3]$/),
      'Source list is empty',
    ]);
    const brief = (await cli(lab, 'GM-2').execute('show ip igmp groups 239.10.10.1')).split('\n');
    expect(brief.slice(2)).toEqual([expect.stringMatching(/^239\.10\.10\.1 +Tunnel10 +/)]);
  });

  it('a static group shows SG', async () => {
    const lab = referenceLab();
    await configure(lab, 'GM-1', ['interface Loopback0', 'ip igmp static-group 239.5.5.5']);
    await lab.kernel.runUntil(seconds(5));
    const out = await cli(lab, 'GM-1').execute('show ip igmp groups 239.5.5.5 detail');
    expect(out).toContain('\nFlags:          SG\n');
    expect(out).toContain('\nGroup mode:     EXCLUDE (Expires: never)\n');
  });
});

describe('show ip mfib', () => {
  // The legend's first line and `Default`: genieparser's golden output (iosxe/tests/ShowIpMfib/cli/equal/
  // golden_6_output.txt, IOS-XE). Published IOS output (a PIM lab's `R1# show ip mfib`): the legend, `Default`,
  // ` (*,224.0.1.40) Flags: C` / `   SW Forwarding: 0/0/0/0, Other: 0/0/0` / `   Ethernet0/0 Flags: F IC NS` /
  // `     Pkts: 0/0/0    Rate: 0 pps`, an (S,G) with its accepting interface `Flags: A`.
  it('the hub forwards the rekey from FastEthernet0/0 out Tunnel10, and counts it', async () => {
    const lab = await afterFirstRekey();
    const out = await cli(lab, 'Central').execute('show ip mfib 239.10.10.1');
    const lines = out.split('\n');
    expect(lines[0]).toBe('Entry Flags:    C - Directly Connected, S - Signal, IA - Inherit A flag,');
    const from = lines.indexOf('Default');
    expect(from).toBeGreaterThan(0);
    expect(lines.slice(from + 1)).toEqual([
      ' (*,239.10.10.1) Flags: C',
      '   SW Forwarding: 0/0/0/0, Other: 0/0/0',
      '   FastEthernet0/0 Flags: A',
      '   Tunnel10 Flags: F IC NS',
      '     Pkts: 0/0/0    Rate: 0 pps',
      ' (1.1.1.1,239.10.10.1) Flags:',
      expect.stringMatching(/^ {3}SW Forwarding: ([1-9]\d*)\/0\/\d+\/0, Other: \1\/0\/0$/),
      '   FastEthernet0/0 Flags: A',
      '   Tunnel10 Flags: F IC NS',
      expect.stringMatching(/^ {5}Pkts: 0\/[1-9]\d*\/0 {4}Rate: 0 pps$/),
    ]);
  });

  it('the whole table starts with the (*,224.0.0.0/4) entry listing every PIM interface', async () => {
    const lab = await afterFirstRekey();
    const out = (await cli(lab, 'Central').execute('show ip mfib')).split('\n');
    const from = out.indexOf('Default');
    expect(out.slice(from + 1, from + 5)).toEqual([
      ' (*,224.0.0.0/4) Flags:',
      '   SW Forwarding: 0/0/0/0, Other: 0/0/0',
      '   FastEthernet0/0 Flags: NS',
      '   Tunnel10 Flags: NS',
    ]);
    expect(out).toContain(' (*,224.0.1.40) Flags: C');
  });
});

describe('debug ip mpacket', () => {
  // Cisco IOS Debug Command Reference, "debug ip mpacket": per packet the source and incoming interface, the
  // group and outgoing interface, IP id, TTL, protocol and length, then `mforward` for a forwarded packet.
  it('prints the rekeys the hub accepts and forwards, not only RPF failures', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(250));
    await cli(lab, 'Central').execute('debug ip mpacket');
    await lab.kernel.runUntil(seconds(330));
    const forwarded = logLines(lab, 'Central').filter((l) => l.endsWith(', mforward'));
    expect(forwarded).toContainEqual(
      expect.stringMatching(
        /^IP\(0\): s=1\.1\.1\.1 \(FastEthernet0\/0\) d=239\.10\.10\.1 \(Tunnel10\) id=\d+, ttl=\d+, prot=17, len=(\d+)\(\1\), mforward$/,
      ),
    );
    // The Auto-RP discovery is flooded the same way.
    expect(forwarded.some((l) => l.includes('d=224.0.1.40 (Tunnel10)'))).toBe(true);
  });
});
