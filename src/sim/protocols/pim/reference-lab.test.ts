import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { cli, loadTestLab, logLines } from './test-lab.test-support';

/** The article's lab (public/scenarios/getvpn-multicast-rekey.json), optionally with its configs edited. */
function referenceLab(edit: (device: string, config: string) => string = (_d, c) => c): Lab {
  const scenario = JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as {
    devices: { name: string; config: string }[];
  };
  for (const d of scenario.devices) d.config = edit(d.name, d.config);
  return loadTestLab(scenario);
}

async function configure(lab: Lab, name: string, lines: string[]): Promise<void> {
  const c = cli(lab, name);
  for (const l of ['configure terminal', ...lines, 'end']) {
    const out = await c.execute(l);
    expect(out, l).not.toMatch(/^%/m);
  }
}

function drops(lab: Lab, device: string, since = 0): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'packet' && r.event === 'dropped' && r.device === device && r.t >= since)
    .map((r) => (r.kind === 'packet' ? `${r.summary} | ${r.reason ?? ''}` : ''));
}

async function pingFromKs(lab: Lab): Promise<string> {
  return cli(lab, 'KS').execute('ping 239.10.10.1 source Loopback0');
}

const CLIENT_MAPPING = [
  'PIM Group-to-RP Mappings',
  'Group(s) 239.0.0.0/8',
  '  RP 1.1.1.1 (?), v2v1',
  '    Info source: 1.1.1.1 (?), elected via Auto-RP',
];

describe('the reference lab by 180 simulated seconds', () => {
  it('every router maps 239.0.0.0/8 to RP 1.1.1.1 through Auto-RP, in the article layout', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    const ks = (await cli(lab, 'KS').execute('show ip pim rp mapping')).split('\n');
    expect(ks.slice(0, 7)).toEqual([
      'PIM Group-to-RP Mappings',
      'This system is an RP (Auto-RP)',
      'This system is an RP-mapping agent (Loopback0)',
      'Group(s) 239.0.0.0/8',
      '  RP 1.1.1.1 (?), v2v1',
      '    Info source: 1.1.1.1 (?), elected via Auto-RP',
      expect.stringMatching(/^ {9}Uptime: 00:0\d:\d\d, expires: 00:0[0-3]:\d\d$/),
    ]);
    for (const name of ['Central', 'GM-1', 'GM-2']) {
      const out = (await cli(lab, name).execute('show ip pim rp mapping')).split('\n');
      expect(out.slice(0, 4), name).toEqual(CLIENT_MAPPING);
      expect(out[4], name).toMatch(/^ {9}Uptime: \d\d:\d\d:\d\d, expires: 00:0[0-3]:\d\d$/);
    }
  });

  it("GM-2's RPF for 1.1.1.1 is Tunnel10 via the hub, from the static mroute", async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    expect(await cli(lab, 'GM-2').execute('show ip rpf 1.1.1.1')).toBe(
      [
        'RPF information for ? (1.1.1.1)',
        '  RPF interface: Tunnel10',
        '  RPF neighbor: ? (192.168.100.1)',
        '  RPF route/mask: 1.1.1.1/32',
        '  RPF type: multicast (static)',
        '  RPF recursion count: 0',
        '  Doing distance-preferred lookups across tables',
      ].join('\n'),
    );
  });

  it('Central has both spokes as PIM neighbours and is the DR on Tunnel10', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    const nbrs = await cli(lab, 'Central').execute('show ip pim neighbor');
    expect(nbrs).toMatch(/^192\.168\.100\.2 +Tunnel10 +\d\d:\d\d:\d\d\/00:01:\d\d v2 +1 \/ B S P G$/m);
    expect(nbrs).toMatch(/^192\.168\.100\.3 +Tunnel10 +\d\d:\d\d:\d\d\/00:01:\d\d v2 +1 \/ B S P G$/m);
    expect(await cli(lab, 'Central').execute('show ip pim interface')).toMatch(
      /^192\.168\.100\.1 +Tunnel10 +v2\/S +2 +30 +100 +192\.168\.100\.1$/m,
    );
    // The spokes agree: the hub (priority 100) is their DR.
    expect(await cli(lab, 'GM-2').execute('show ip pim neighbor')).toMatch(
      /^192\.168\.100\.1 +Tunnel10 +\S+ v2 +100\/ DR B S P G$/m,
    );
  });
});

describe("removing GM-2's ip mroute live", () => {
  it('drops the KS packets on RPF with the article debug lines, expires the mapping; GM-1 is unaffected', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    await cli(lab, 'GM-2').execute('debug ip pim');
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    const cut = lab.kernel.now;
    expect(await cli(lab, 'GM-2').execute('show ip rpf 1.1.1.1')).toContain('RPF interface: Serial1/0');
    await lab.kernel.runUntil(cut + seconds(200));

    const dropped = drops(lab, 'GM-2', cut);
    expect(dropped).toContainEqual(
      expect.stringMatching(
        /Auto-RP.*\| RPF check failed: 1\.1\.1\.1 arrived on Tunnel10 but the RPF interface is Serial1\/0 \(unicast static route 0\.0\.0\.0\/0 via 172\.37\.1\.2\)/,
      ),
    );
    expect(dropped).toContainEqual(
      expect.stringMatching(/RP-Reachable.*\| RP-Reachable dropped: RPF check failed/),
    );
    const lines = logLines(lab, 'GM-2', cut);
    const i = lines.indexOf('PIM(0): Received RP-Reachable on Tunnel10 from 1.1.1.1');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(lines.slice(i, i + 3)).toEqual([
      'PIM(0): Received RP-Reachable on Tunnel10 from 1.1.1.1',
      '     for group 239.10.10.1',
      'PIM(0): RP not known, or mismatch',
    ]);
    // The article's three prune lines, in its order: the (*,G) ones together when the mapping GM-2 can no longer
    // refresh expires, the (S,G) one when the dense source lifetime runs out afterwards.
    const prunes = lines.filter((l) => / from \(.*, 2(39\.10\.10\.1|24\.0\.1\.40)\) - deleted$/.test(l));
    expect(prunes).toEqual([
      'PIM(0): Prune Tunnel10/239.10.10.1 from (*, 239.10.10.1) - deleted',
      'PIM(0): Prune Tunnel10/224.0.1.40 from (*, 224.0.1.40) - deleted',
      'PIM(0): Prune Tunnel10/224.0.1.40 from (1.1.1.1/32, 224.0.1.40) - deleted',
    ]);
    const at = (text: string): number =>
      lab.kernel.trace.all().find((r) => r.kind === 'log' && r.device === 'GM-2' && r.text === text)?.t ?? -1;
    const star = at(prunes[0] ?? '');
    expect(at(prunes[1] ?? '')).toBe(star);
    expect(at(prunes[2] ?? '') - star).toBeGreaterThan(seconds(15));

    expect(await cli(lab, 'GM-2').execute('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings');
    expect((await cli(lab, 'GM-1').execute('show ip pim rp mapping')).split('\n').slice(0, 4)).toEqual(
      CLIENT_MAPPING,
    );
    expect(drops(lab, 'GM-1', cut).filter((d) => d.includes('RPF'))).toEqual([]);
  });

  it('putting the line back restores the mapping within one announce interval', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(seconds(400));
    expect(await cli(lab, 'GM-2').execute('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings');
    await configure(lab, 'GM-2', ['ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(seconds(400 + 61));
    const out = (await cli(lab, 'GM-2').execute('show ip pim rp mapping')).split('\n');
    expect(out.slice(0, 4)).toEqual(CLIENT_MAPPING);
    expect(out[4]).toMatch(/Uptime: 00:00:\d\d, expires: 00:0[23]:\d\d/);
  });
});

describe('ping 239.10.10.1 source Loopback0 on the KS', () => {
  it('gets a reply from every router that joined the group', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    const out = await pingFromKs(lab);
    expect(out).toMatch(/^Reply to request 0 from 10\.1\.1\.1, \d+ ms$/m);
    expect(out).toMatch(/^Reply to request 0 from 192\.168\.100\.2, \d+ ms$/m);
    expect(out).toMatch(/^Reply to request 0 from 192\.168\.100\.3, \d+ ms$/m);
  });

  it('gets none from GM-2 while its mroute is missing', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(180));
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    const out = await pingFromKs(lab);
    expect(out).toMatch(/from 192\.168\.100\.2,/);
    expect(out).not.toMatch(/from 192\.168\.100\.3,/);
    expect(drops(lab, 'GM-2')).toContainEqual(
      expect.stringMatching(
        /ICMP.*\| RPF check failed: 1\.1\.1\.1 arrived on Tunnel10 but the RPF interface is Serial1\/0/,
      ),
    );
    // `show ip mroute count` shows the echo counted as an RPF failure.
    expect(await cli(lab, 'GM-2').execute('show ip mroute 239.10.10.1 count')).toMatch(
      /^ {2}(RP-tree:|Source: 1\.1\.1\.1\/32,) Forwarding: 0\/0\/0\/0, Other: (\d+)\/\2\/0$/m,
    );
  });
});

describe('the mapping agent moved behind a spoke', () => {
  it('the other spoke never learns the RP: the hub does not flood the discovery back out Tunnel10', async () => {
    const lab = referenceLab((name, config) => {
      if (name === 'KS') return config.replace('ip pim send-rp-discovery Loopback 0 scope 10\n', '');
      if (name === 'GM-1')
        return config.replace('ip mroute', 'ip pim send-rp-discovery Loopback0 scope 10\nip mroute');
      // Central accepts GM-1's discovery (its unicast route to 11.11.11.11 is the SP default): the RPF check
      // is not what stops the flood here.
      if (name === 'Central')
        return config.replace(
          'ip route 1.1.1.1',
          'ip mroute 11.11.11.11 255.255.255.255 192.168.100.2\nip route 1.1.1.1',
        );
      return config;
    });
    await lab.kernel.runUntil(seconds(240));
    const gm1 = await cli(lab, 'GM-1').execute('show ip pim rp mapping');
    expect(gm1).toContain('This system is an RP-mapping agent (Loopback0)');
    expect(gm1).toContain('    Info source: 1.1.1.1 (?), elected via Auto-RP');
    for (const name of ['Central', 'KS']) {
      expect(await cli(lab, name).execute('show ip pim rp mapping'), name).toContain(
        '    Info source: 11.11.11.11 (?), elected via Auto-RP',
      );
    }
    expect(await cli(lab, 'GM-2').execute('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings');
    const central = await cli(lab, 'Central').execute('show ip mroute 224.0.1.40');
    const sg = central.split('\n\n').find((b) => b.startsWith('(11.11.11.11, 224.0.1.40)')) ?? '';
    expect(sg).toContain('Incoming interface: Tunnel10, RPF nbr 192.168.100.2, Mroute');
    expect(sg).not.toMatch(/^ {4}Tunnel10/m);
  });
});

describe('ip pim nbma-mode on the hub', () => {
  /** Spokes join on their loopbacks (they are DR there, so they send PIM joins); nobody joins on Tunnel10. */
  function joinLab(nbma: boolean): Lab {
    return referenceLab((name, config) => {
      let c = config.replace(' ip igmp join-group 239.10.10.1\n', '');
      if (name === 'GM-1' || name === 'GM-2')
        c = c.replace(
          /(interface Loopback 0\n ip address \S+ \S+\n ip pim sparse-mode\n)/,
          '$1 ip igmp join-group 239.10.10.1\n',
        );
      if (name === 'Central' && !nbma) c = c.replace(' ip pim nbma-mode\n', '');
      return c;
    });
  }

  async function pruneGm1ThenPing(lab: Lab): Promise<string> {
    await lab.kernel.runUntil(seconds(185));
    await configure(lab, 'GM-1', ['interface Loopback0', 'no ip igmp join-group 239.10.10.1']);
    await lab.kernel.runUntil(seconds(190));
    return pingFromKs(lab);
  }

  it('tracks each spoke on Tunnel10, so one spoke’s prune leaves the other receiving', async () => {
    const lab = joinLab(true);
    await lab.kernel.runUntil(seconds(180));
    const before = await cli(lab, 'Central').execute('show ip mroute 239.10.10.1');
    expect(before).toMatch(/^ {4}Tunnel10, 192\.168\.100\.2, Forward\/Sparse, \S+\/00:0[23]:\d\d$/m);
    expect(before).toMatch(/^ {4}Tunnel10, 192\.168\.100\.3, Forward\/Sparse, \S+\/00:0[23]:\d\d$/m);
    const out = await pruneGm1ThenPing(lab);
    // A spoke answers from the interface the echo came in on (its Tunnel10 address).
    expect(out).toMatch(/^Reply to request 0 from 192\.168\.100\.3, \d+ ms$/m);
    expect(out).not.toMatch(/from 192\.168\.100\.2,/);
  });

  it('without it, one spoke’s prune stops the group’s traffic to the other spoke', async () => {
    const lab = joinLab(false);
    await lab.kernel.runUntil(seconds(180));
    expect(await cli(lab, 'Central').execute('show ip mroute 239.10.10.1')).toMatch(
      /^ {4}Tunnel10, Forward\/Sparse/m,
    );
    await cli(lab, 'Central').execute('debug ip pim');
    const out = await pruneGm1ThenPing(lab);
    expect(out).not.toMatch(/from 192\.168\.100\.3,/);
    expect(logLines(lab, 'Central')).toContain(
      'PIM(0): Prune Tunnel10/239.10.10.1 from (*, 239.10.10.1) - deleted',
    );
  });
});
