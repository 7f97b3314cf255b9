/**
 * The BSR service on the article's lab with Auto-RP swapped for BSR (the KS is C-BSR and C-RP on Loopback0):
 * election, flooding over the DMVPN hub, the RP hash choice feeding PIM, the RPF lesson on GM-2, expiry.
 * Expected layouts are IOS's as published (NetworkLessons, "Multicast PIM Bootstrap (BSR)").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../../kernel/time';
import { parseIpv4 } from '../../../net/ipv4-address';
import type { Lab } from '../../../scenario/lab';
import { loadTestLab, router } from '../../../scenario/test-lab';
import { servicesOf } from '../../attach';
import { cli } from '../test-lab';
import type { BsrConfig } from './bsr-config';
import { BsrService } from './bsr-service';
import { showIpPimBsrRouter } from './bsr-show';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const AUTORP = /^ip pim (send-rp-announce|send-rp-discovery|autorp listener).*$/gm;

function bsrLab(edit: (device: string, config: string) => string = (_d, c) => c): {
  lab: Lab;
  bsr: Map<string, BsrService>;
} {
  const scenario = JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as {
    devices: { name: string; config: string }[];
  };
  for (const d of scenario.devices) d.config = edit(d.name, d.config.replace(AUTORP, ''));
  const lab = loadTestLab(scenario);
  const bsr = new Map<string, BsrService>();
  for (const d of scenario.devices) {
    const r = router(lab, d.name);
    const config: BsrConfig =
      d.name === 'KS'
        ? {
            candidateBsr: { interface: 'Loopback0', hashMaskLength: 0, priority: 0 },
            candidateRp: { interface: 'Loopback0', groupList: '1', interval: 60, priority: 0 },
          }
        : {};
    const s = new BsrService(r, servicesOf(r).pim, () => config);
    s.reconcile();
    bsr.set(d.name, s);
  }
  return { lab, bsr };
}

describe('PIM BSR on the article lab', () => {
  it('elects the KS, floods its RP-set to every router and PIM maps 239.10.10.1 to 1.1.1.1', async () => {
    const { lab, bsr } = bsrLab();
    await lab.kernel.runUntil(seconds(90));
    expect(bsr.get('KS')?.state).toBe('elected');
    for (const name of ['Central', 'GM-1', 'GM-2']) {
      expect(bsr.get(name)?.bsr?.address, name).toBe(ip('1.1.1.1'));
      expect(servicesOf(router(lab, name)).pim.rpFor(ip('239.10.10.1')), name).toBe(ip('1.1.1.1'));
    }
    expect(showIpPimBsrRouter(bsr.get('KS')!).split('\n').slice(0, 3)).toEqual([
      'PIMv2 Bootstrap information',
      'This system is the Bootstrap Router (BSR)',
      '  BSR address: 1.1.1.1 (?)',
    ]);
    const gm2 = (await cli(lab, 'GM-2').execute('show ip pim rp mapping')).split('\n');
    expect(gm2.slice(0, 5)).toEqual([
      'PIM Group-to-RP Mappings',
      '',
      'Group(s) 239.0.0.0/8',
      '  RP 1.1.1.1 (?), v2',
      '    Info source: 1.1.1.1 (?), via bootstrap, priority 0, holdtime 150',
    ]);
  });

  it("GM-2 without its ip mroute drops the hub's bootstraps on the RPF check and never learns the RP", async () => {
    const { lab, bsr } = bsrLab((d, c) => (d === 'GM-2' ? c.replace(/^ip mroute .*$/m, '') : c));
    await lab.kernel.runUntil(seconds(90));
    expect(bsr.get('GM-2')?.bsr).toBeUndefined();
    expect(servicesOf(router(lab, 'GM-2')).pim.rpFor(ip('239.10.10.1'))).toBeUndefined();
    const drops = lab.kernel.trace
      .all()
      .filter((r) => r.kind === 'packet' && r.event === 'dropped' && r.device === 'GM-2')
      .map((r) => (r.kind === 'packet' ? (r.reason ?? '') : ''));
    expect(drops).toContainEqual(expect.stringMatching(/^RPF check failed for Bootstrap from BSR 1\.1\.1\.1: arrived on Tunnel10/));
    expect(bsr.get('GM-1')?.bsr?.address).toBe(ip('1.1.1.1'));
  });
});
