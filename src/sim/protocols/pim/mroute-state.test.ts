import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { cli, loadTestLab, logLines, logRecords, mrouteBlock } from './test-lab.test-support';

/** The article's lab (public/scenarios/getvpn-multicast-rekey.json), optionally with its configs edited. */
function referenceLab(edit: (device: string, config: string) => string = (_d, c) => c): Lab {
  const scenario = JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as {
    devices: { name: string; config: string }[];
  };
  for (const d of scenario.devices) d.config = edit(d.name, d.config);
  return loadTestLab(scenario);
}

/** The flags of an entry in `show ip mroute` output, or '' when the entry is missing. */
function flagsOf(show: string, entry: string): string {
  return /flags: (\S*)$/m.exec(mrouteBlock(show, entry).split('\n')[0] ?? '')?.[1] ?? '';
}

describe('the key server shows the (S,G) state of the traffic it sources', () => {
  // Published IOS output (NetworkLessons, "Multicast PIM Auto-RP"): a mapping agent shows its own discoveries
  // as `(2.2.2.2, 224.0.1.40) … flags: LT` / `Incoming interface: Loopback0, RPF nbr 0.0.0.0` with the LAN
  // interface forwarding. The rekeys to 239.10.10.1 are sourced the same way from Loopback0; the KS is the DR
  // of that directly connected source (RFC 7761 §4.4.1 CouldRegister: F) and the RP itself, so it never
  // shows `Registering`.
  it('(1.1.1.1, 239.10.10.1) after the first rekey and (1.1.1.1, 224.0.1.40) as mapping agent', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(330));
    const ks = cli(lab, 'KS');
    const rekey = mrouteBlock(await ks.execute('show ip mroute 239.10.10.1'), '(1.1.1.1, 239.10.10.1)');
    expect(rekey.split('\n')).toEqual([
      expect.stringMatching(/^\(1\.1\.1\.1, 239\.10\.10\.1\), 00:00:\d\d\/00:0[23]:\d\d, flags: FT$/),
      '  Incoming interface: Loopback0, RPF nbr 0.0.0.0',
      '  Outgoing interface list:',
      expect.stringMatching(/^ {4}FastEthernet1\/0, Forward\/Sparse, 00:00:\d\d\/00:0[23]:\d\d$/),
    ]);
    const discovery = mrouteBlock(await ks.execute('show ip mroute 224.0.1.40'), '(1.1.1.1, 224.0.1.40)');
    expect(discovery.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^\(1\.1\.1\.1, 224\.0\.1\.40\), 00:0\d:\d\d\/00:0[23]:\d\d, flags: LT$/),
      '  Incoming interface: Loopback0, RPF nbr 0.0.0.0',
      '  Outgoing interface list:',
    ]);
    expect(discovery).toMatch(/^ {4}FastEthernet1\/0, Forward\/Sparse, /m);
    // The rekeys it sends are counted against that entry.
    expect(await ks.execute('show ip mroute 239.10.10.1 count')).toMatch(
      /^ {2}Source: 1\.1\.1\.1\/32, Forwarding: [1-9]\d*\/0\/\d+\/0, Other: [1-9]\d*\/0\/0$/m,
    );
  });

  it('a router that sources nothing for a group keeps no (S,G) for it', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(200));
    // Before the first rekey (about 300 s) nobody has sent to 239.10.10.1.
    expect(await cli(lab, 'KS').execute('show ip mroute 239.10.10.1')).not.toContain(
      '(1.1.1.1, 239.10.10.1)',
    );
  });
});

describe('flags from local membership', () => {
  // Published IOS output (NetworkLessons, "Multicast PIM RP RPF failure"): a router with `ip igmp join-group`
  // on the interface its static mroute makes the RPF interface shows
  // `(*, 239.1.1.1), 00:06:08/stopped, RP 1.1.1.1, flags: SJPCL` / `Incoming interface: Serial0/0, RPF nbr
  // 192.168.21.1, Mroute` / `Outgoing interface list: Null`: the spokes' case exactly.
  it('both spokes show SJPCL for 239.10.10.1 at every moment, whoever reported last', async () => {
    const lab = referenceLab();
    for (let t = 120; t <= 720; t += 15) {
      await lab.kernel.runUntil(seconds(t));
      for (const name of ['GM-1', 'GM-2']) {
        const show = await cli(lab, name).execute('show ip mroute 239.10.10.1');
        const star = mrouteBlock(show, '(*, 239.10.10.1)').split('\n');
        expect(star[0], `${name} at ${t} s`).toMatch(/, RP 1\.1\.1\.1, flags: SJPCL$/);
        expect(star.slice(1), `${name} at ${t} s`).toEqual([
          '  Incoming interface: Tunnel10, RPF nbr 192.168.100.1, Mroute',
          '  Outgoing interface list: Null',
        ]);
      }
    }
  });

  it('the hub, DR on Tunnel10, shows SJCL; the Auto-RP discovery group shows DCL everywhere', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(200));
    expect(flagsOf(await cli(lab, 'Central').execute('show ip mroute'), '(*, 239.10.10.1)')).toBe('SJCL');
    // The automatic 224.0.1.40 join on Loopback0 (DR there): `(*, 224.0.1.40) … RP 0.0.0.0, flags: DCL`
    // (published IOS output, NetworkLessons' R4).
    for (const name of ['KS', 'Central', 'GM-1', 'GM-2']) {
      expect(flagsOf(await cli(lab, name).execute('show ip mroute'), '(*, 224.0.1.40)'), name).toBe('DCL');
    }
  });

  it('the (S,G) flags follow IOS order: P before L (`PLT`, NetworkLessons R1/R3)', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(330));
    // The spokes receive the rekey but forward it nowhere: pruned, local, on the SPT.
    for (const name of ['GM-1', 'GM-2']) {
      const show = await cli(lab, name).execute('show ip mroute 239.10.10.1');
      expect(flagsOf(show, '(1.1.1.1, 239.10.10.1)'), name).toBe('PLT');
    }
  });
});

describe('timers', () => {
  // The KS sends a rekey every 300 s and retransmits it at +60 s and +120 s (`rekey retransmit 60 number 2`):
  // the next rekey comes exactly 180 s after the last retransmission, IOS's (S,G) lifetime (published `show
  // ip mroute`: `00:00:03/00:02:57`).
  it('the (S,G) of the rekeys survives from rekey to rekey: no prune and join every five minutes', async () => {
    const lab = referenceLab();
    await cli(lab, 'Central').execute('debug ip pim');
    await lab.kernel.runUntil(seconds(1300));
    const churn = logLines(lab, 'Central').filter((l) => /\(1\.1\.1\.1\/32, 239\.10\.10\.1\).*Prune/.test(l));
    expect(churn).toEqual([]);
    const sg = mrouteBlock(
      await cli(lab, 'Central').execute('show ip mroute 239.10.10.1'),
      '(1.1.1.1, 239.10.10.1)',
    );
    // Created by the first rekey (about 300 s) and never rebuilt since: up for more than 15 minutes.
    expect(sg).toMatch(/^\(1\.1\.1\.1, 239\.10\.10\.1\), 00:1[5-6]:\d\d\/00:0[0-3]:\d\d, flags: LJT$/m);
  });

  // RFC 7761 §4.5.7: the Join Timer starts when the upstream state turns Joined, so periodic Join/Prunes keep
  // each router's own phase, t_periodic (60 s) apart.
  it('periodic Join/Prunes go every 60 s in the router’s own phase, the same in every run', async () => {
    const times = async (): Promise<number[]> => {
      const lab = referenceLab();
      await cli(lab, 'Central').execute('debug ip pim');
      await lab.kernel.runUntil(seconds(400));
      return logRecords(lab, 'Central')
        .filter((l) => l.text.startsWith('PIM(0): Building Periodic (*,G) Join'))
        .map((l) => l.t);
    };
    const first = await times();
    expect(first.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < first.length; i++) expect(first[i]! - first[i - 1]!).toBe(seconds(60));
    expect(first[0]! % seconds(60)).not.toBe(0);
    expect(await times()).toEqual(first);
  });
});

describe('a spoke sourcing traffic from its loopback registers it with the RP (RFC 7761 §4.4)', () => {
  it('GM-1 registers, the KS forwards the packet down the shared tree and stops the DR', async () => {
    const lab = referenceLab();
    await lab.kernel.runUntil(seconds(150));
    await cli(lab, 'GM-1').execute('debug ip pim');
    await cli(lab, 'KS').execute('debug ip pim');
    const out = await cli(lab, 'GM-1').execute('ping 239.10.10.1 source Loopback0 repeat 1');
    // RFC 7761 §4.4.2: the RP forwards the inner packet on inherited_olist(S,G,rpt) even as it sends the
    // Register-Stop (its (S,G) list is empty: the way back to 11.11.11.11 is the shared tree's own interface).
    expect(out).toMatch(/^Reply to request 0 from 192\.168\.100\.3, \d+ ms$/m);
    expect(logLines(lab, 'KS')).toContain('PIM(0): Received v2 Register on FastEthernet1/0 from 172.27.1.1');
    // The Register-Stop is unicast and arrives on GM-1's WAN interface, which runs no PIM.
    expect(logLines(lab, 'GM-1')).toContain(
      'PIM(0): Received v2 Register-Stop for (11.11.11.11, 239.10.10.1)',
    );
    const sg = mrouteBlock(
      await cli(lab, 'GM-1').execute('show ip mroute 239.10.10.1'),
      '(11.11.11.11, 239.10.10.1)',
    );
    // F stays after the Register-Stop (`FT` on a source-side DR: published IOS-XE 17.15 lab output);
    // `Registering` goes.
    expect(sg.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^\(11\.11\.11\.11, 239\.10\.10\.1\), 00:00:0\d\/00:0[23]:\d\d, flags: LFT$/),
      '  Incoming interface: Loopback0, RPF nbr 0.0.0.0',
    ]);
  });
});

describe('the automatic 224.0.1.40 join where the router is not the DR', () => {
  // Published IOS output (NetworkLessons, "Multicast PIM Auto-RP", sparse mode without the Auto-RP flood):
  // R1, not DR on its only PIM link, shows `(*, 224.0.1.40) … RP 0.0.0.0, flags: DPL` with `Outgoing interface
  // list: Null`; the DR on a link shows `DCL` with the link in the list.
  function twoRouters() {
    const router = (n: number): { name: string; role: string; config: string } => ({
      name: `R${n}`,
      role: 'router',
      config: [
        `hostname R${n}`,
        'ip multicast-routing',
        'no ip pim dm-fallback',
        'interface Serial1/0',
        ` ip address 10.0.12.${n} 255.255.255.0`,
        ' ip pim sparse-mode',
      ].join('\n'),
    });
    return loadTestLab({
      format: 'getlab-scenario/1',
      title: 'auto-join',
      description: '',
      seed: 5,
      devices: [router(1), router(2)],
      links: [{ a: 'R1 Se1/0', b: 'R2 Se1/0' }],
    });
  }

  it('R1 (not DR) shows DPL with a Null list; R2 (the DR) shows DCL with Serial1/0', async () => {
    const lab = twoRouters();
    await lab.kernel.runUntil(seconds(60));
    const r1 = mrouteBlock(await cli(lab, 'R1').execute('show ip mroute 224.0.1.40'), '(*, 224.0.1.40)');
    // The join is made at boot (t = 0, where the lab finishes its boot work), so the entry is 1:00 old.
    expect(r1.split('\n')).toEqual([
      expect.stringMatching(/^\(\*, 224\.0\.1\.40\), 00:01:00\/\S+, RP 0\.0\.0\.0, flags: DPL$/),
      '  Incoming interface: Null, RPF nbr 0.0.0.0',
      '  Outgoing interface list: Null',
    ]);
    const r2 = mrouteBlock(await cli(lab, 'R2').execute('show ip mroute 224.0.1.40'), '(*, 224.0.1.40)');
    expect(r2.split('\n')[0]).toMatch(/flags: DCL$/);
    expect(r2).toMatch(/^ {4}Serial1\/0, Forward\/Sparse, /m);
  });
});
