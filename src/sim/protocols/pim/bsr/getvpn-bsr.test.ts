/**
 * The shipped lab public/scenarios/getvpn-bsr.json: the article's GET VPN lab with Auto-RP swapped for BSR, the
 * KS candidate BSR and candidate RP on Loopback0, configured through the console as IOS accepts it. Layouts are
 * IOS's as published (NetworkLessons, "Multicast PIM Bootstrap (BSR)").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../../kernel/time';
import { internetChecksum } from '../../../net/checksum';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../../net/ipv4';
import { parseIpv4 } from '../../../net/ipv4-address';
import type { Lab } from '../../../scenario/lab';
import { cli, configure, loadTestLab, logLines } from '../test-lab.test-support';
import { encodeBootstrap, encodeCandidateRpAdvertisement } from './bsr-codec';

const ip = (t: string): number => parseIpv4(t) ?? 0;

function bsrLab(edit: (device: string, config: string) => string = (_d, c) => c): Lab {
  const scenario = JSON.parse(readFileSync('public/scenarios/getvpn-bsr.json', 'utf8')) as {
    devices: { name: string; config: string }[];
  };
  for (const d of scenario.devices) d.config = edit(d.name, d.config);
  return loadTestLab(scenario);
}

function drops(lab: Lab, device: string, since = 0): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'packet' && r.event === 'dropped' && r.device === device && r.t >= since)
    .map((r) => (r.kind === 'packet' ? (r.reason ?? '') : ''));
}

const REKEY_1 =
  '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GDOI_GM from 1.1.1.1 to 239.10.10.1 with seq # 1';
const SPOKE_MAPPING = [
  'PIM Group-to-RP Mappings',
  '',
  'Group(s) 239.0.0.0/8',
  '  RP 1.1.1.1 (?), v2',
  '    Info source: 1.1.1.1 (?), via bootstrap, priority 0, holdtime 150',
];

describe('the GET VPN lab with BSR instead of Auto-RP', () => {
  it('loads with the KS as candidate BSR and candidate RP in its running-config', async () => {
    const lab = bsrLab();
    const run = await cli(lab, 'KS').execute('show running-config');
    expect(run).toContain('ip pim bsr-candidate Loopback0\nip pim rp-candidate Loopback0 group-list 1\n');
    expect(run).not.toContain('send-rp-announce');
  });

  it('the KS is the BSR; GM-1 and GM-2 learn RP 1.1.1.1 via bootstrap, in IOS layout', async () => {
    const lab = bsrLab();
    await lab.kernel.runUntil(seconds(90));
    const ks = (await cli(lab, 'KS').execute('show ip pim bsr-router')).split('\n');
    expect(ks.slice(0, 3)).toEqual([
      'PIMv2 Bootstrap information',
      'This system is the Bootstrap Router (BSR)',
      '  BSR address: 1.1.1.1 (?)',
    ]);
    expect(ks[3]).toMatch(/^ {2}Uptime: {6}00:01:2\d, BSR Priority: 0, Hash mask length: 0$/);
    expect(ks[4]).toMatch(/^ {2}Next bootstrap message in 00:00:[0-5]\d$/);
    expect(ks.slice(5, 8)).toEqual([
      '  Candidate RP: 1.1.1.1(Loopback0)',
      '    Holdtime 150 seconds',
      '    Advertisement interval 60 seconds',
    ]);
    const kMap = (await cli(lab, 'KS').execute('show ip pim rp mapping')).split('\n');
    expect(kMap.slice(0, 4)).toEqual([
      'PIM Group-to-RP Mappings',
      'This system is a candidate RP (v2)',
      'This system is the Bootstrap Router (v2)',
      '',
    ]);
    for (const gm of ['GM-1', 'GM-2']) {
      const map = (await cli(lab, gm).execute('show ip pim rp mapping')).split('\n');
      expect(map.slice(0, 5), gm).toEqual(SPOKE_MAPPING);
      expect(map[5], gm).toMatch(/^ {9}Uptime: 00:01:\d\d, expires: 00:0[12]:\d\d$/);
      const bsr = (await cli(lab, gm).execute('show ip pim bsr-router')).split('\n');
      expect(bsr[1], gm).toBe('  BSR address: 1.1.1.1 (?)');
      expect(bsr[3], gm).toMatch(/^ {2}Expires: {5}00:0[12]:\d\d$/);
    }
  });

  it('every member receives the first multicast rekey', async () => {
    const lab = bsrLab();
    await lab.kernel.runUntil(seconds(310));
    for (const gm of ['Central', 'GM-1', 'GM-2']) expect(logLines(lab, gm), gm).toContain(REKEY_1);
    expect(await cli(lab, 'GM-1').execute('show ip pim rp')).toMatch(
      /^Group: 239\.10\.10\.1, RP: 1\.1\.1\.1, v2, uptime \d\d:\d\d:\d\d, expires 00:0[0-2]:\d\d$/,
    );
    // A BSR-learned RP is PIMv2 only: the KS sends no PIMv1 RP-Reachable down its trees (the Auto-RP lab's v2v1
    // RP does).
    const v1 = lab.kernel.trace
      .all()
      .filter((r) => r.kind === 'packet' && r.device === 'KS' && r.event === 'sent')
      .filter((r) => r.kind === 'packet' && r.summary.includes('RP-Reachable'));
    expect(v1).toEqual([]);
  });

  it("without GM-2's ip mroute its bootstraps fail the RPF check, as Auto-RP's discoveries do, and no RP is learned", async () => {
    const lab = bsrLab((d, c) => (d === 'GM-2' ? c.replace(/^ip mroute .*$/m, '') : c));
    await lab.kernel.runUntil(seconds(310));
    expect(drops(lab, 'GM-2')).toContainEqual(
      expect.stringMatching(
        /^RPF check failed for Bootstrap from BSR 1\.1\.1\.1: arrived on Tunnel10 from 192\.168\.100\.1, RPF interface Serial1\/0 \(unicast static route 0\.0\.0\.0\/0 via 172\.37\.1\.2\)$/,
      ),
    );
    expect(await cli(lab, 'GM-2').execute('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings');
    expect(await cli(lab, 'GM-2').execute('show ip pim bsr-router')).toBe('PIMv2 Bootstrap information');
    expect(logLines(lab, 'GM-1')).toContain(REKEY_1);
  });

  it('removing the mroute at the console: the next bootstraps are dropped and the RP-set expires 150 s later', async () => {
    const lab = bsrLab();
    await lab.kernel.runUntil(seconds(100));
    await cli(lab, 'GM-2').execute('debug ip pim bsr');
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(seconds(100 + 61));
    expect(logLines(lab, 'GM-2', seconds(100))).toContain('PIM-BSR(0): bootstrap on non-RPF path Tunnel10');
    await lab.kernel.runUntil(seconds(100 + 210));
    expect(await cli(lab, 'GM-2').execute('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings');
  });
});

describe('BSR configured at the console', () => {
  it('a new priority and hash mask length reach every router with the next Bootstrap; the no forms withdraw', async () => {
    const lab = bsrLab();
    await lab.kernel.runUntil(seconds(30));
    expect(await cli(lab, 'KS').execute('debug ip pim bsr')).toBe('PIM-BSR debugging is on');
    await configure(lab, 'KS', ['ip pim bsr-candidate Loopback0 30 5']);
    expect(await cli(lab, 'KS').execute('show running-config | include ^ip pim')).toBe(
      ['ip pim bsr-candidate Loopback0 30 5', 'ip pim rp-candidate Loopback0 group-list 1'].join('\n'),
    );
    await lab.kernel.runUntil(seconds(100));
    const gm1 = (await cli(lab, 'GM-1').execute('show ip pim bsr-router')).split('\n');
    expect(gm1[2]).toMatch(/^ {2}Uptime: {6}00:01:\d\d, BSR Priority: 5, Hash mask length: 30$/);
    await configure(lab, 'KS', ['no ip pim rp-candidate', 'no ip pim bsr-candidate']);
    expect(await cli(lab, 'KS').execute('show running-config | include ^ip pim (bsr|rp)-candidate')).toBe('');
    expect(await cli(lab, 'KS').execute('show ip pim bsr-router')).toBe('PIMv2 Bootstrap information');
  });
});

describe('bad BSR input', () => {
  async function deliver(
    lab: Lab,
    device: string,
    ifName: string,
    src: string,
    dst: string,
    payload: Uint8Array,
  ) {
    const header = ipv4Header({ protocol: IP_PROTO.PIM, source: ip(src), destination: ip(dst), ttl: 1 });
    const r = lab.router(device)!;
    await r.deliverLocal({
      datagram: { header, payload },
      bytes: encodeIpv4({ header, payload }),
      inInterface: ifName,
    });
  }

  function truncated(bytes: Uint8Array, length: number): Uint8Array {
    const cut = bytes.slice(0, length);
    cut[2] = 0;
    cut[3] = 0;
    const sum = internetChecksum(cut);
    cut[2] = sum >> 8;
    cut[3] = sum & 0xff;
    return cut;
  }

  it('a truncated Bootstrap or C-RP-Advertisement is a traced drop, and the lab goes on', async () => {
    const lab = bsrLab();
    await lab.kernel.runUntil(seconds(30));
    const good = encodeBootstrap({
      fragmentTag: 1,
      hashMaskLength: 0,
      bsrPriority: 255,
      bsrAddress: ip('9.9.9.9'),
      ranges: [
        {
          group: { address: ip('224.0.0.0'), maskLength: 4 },
          rpCount: 1,
          rps: [{ rp: ip('9.9.9.9'), holdtime: 150, priority: 0 }],
        },
      ],
    });
    // Cut inside the RP entry (and inside the RP address), the PIM checksum fixed so only the body is wrong.
    await deliver(lab, 'GM-1', 'Tunnel10', '192.168.100.1', '224.0.0.13', truncated(good, 30));
    const adv = encodeCandidateRpAdvertisement({ priority: 0, holdtime: 150, rp: ip('9.9.9.9'), groups: [] });
    await deliver(lab, 'KS', 'FastEthernet1/0', '10.1.1.1', '1.1.1.1', truncated(adv, 9));
    const dropped = lab.kernel.trace
      .all()
      .filter((r) => r.kind === 'packet' && r.event === 'dropped')
      .map((r) => (r.kind === 'packet' ? `${r.device}: ${r.reason ?? ''}` : ''));
    expect(dropped).toContainEqual(expect.stringMatching(/^GM-1: malformed PIM Bootstrap: /));
    expect(dropped).toContainEqual(expect.stringMatching(/^KS: malformed PIM Candidate-RP-Advertisement: /));
    await lab.kernel.runUntil(seconds(310));
    expect(logLines(lab, 'GM-1')).toContain(REKEY_1);
    expect(await cli(lab, 'GM-1').execute('show ip pim bsr-router')).toContain('  BSR address: 1.1.1.1 (?)');
  });
});
