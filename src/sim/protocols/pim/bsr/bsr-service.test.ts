/**
 * The BSR service on the article's lab with Auto-RP swapped for BSR (the KS is C-BSR and C-RP on Loopback0):
 * election, flooding over the DMVPN hub, the RP hash choice feeding PIM, the RPF lesson on GM-2, expiry.
 * Expected layouts are IOS's as published (NetworkLessons, "Multicast PIM Bootstrap (BSR)").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../../kernel/time';
import { formatIpv4, parseIpv4 } from '../../../net/ipv4-address';
import { formatPrefix } from '../../../net/prefix';
import type { Lab } from '../../../scenario/lab';
import { loadTestLab, router } from '../../../scenario/test-lab.test-support';
import { servicesOf } from '../../services.test-support';
import { cli } from '../test-lab.test-support';
import type { BsrConfig } from './bsr-config';
import { type BsrService, bsrServiceOf, DEBUG_BSR } from './bsr-service';
import { showIpPimBsrRouter, showIpPimRpHash } from './bsr-show';
import { rpHashValue } from './rp-hash';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const AUTORP = /^ip pim (send-rp-announce|send-rp-discovery|autorp listener).*$/gm;

const KS_BSR: BsrConfig = {
  candidateBsr: { interface: 'Loopback0', hashMaskLength: 0, priority: 0 },
  candidateRp: { interface: 'Loopback0', groupList: '1', interval: 60, priority: 0 },
};

/** The article lab without Auto-RP; `configs` is each router's BSR slice, set on its attached service. */
function bsrLab(
  edit: (device: string, config: string) => string = (_d, c) => c,
  configs = new Map<string, BsrConfig>([['KS', { ...KS_BSR }]]),
): {
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
    const s = bsrServiceOf(r);
    if (!s) continue;
    bsr.set(d.name, s);
    setBsrConfig(s, configs.get(d.name) ?? {});
  }
  return { lab, bsr };
}

/** Sets the router's BSR slice, as the config commands do, and lets the service re-read it. */
function setBsrConfig(s: BsrService | undefined, config: BsrConfig): void {
  if (!s) throw new Error('no BSR service');
  s.router.config.protocols.bsr = config;
  s.reconcile();
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
    expect(drops(lab, 'GM-2')).toContainEqual(
      expect.stringMatching(/^RPF check failed for Bootstrap from BSR 1\.1\.1\.1: arrived on Tunnel10/),
    );
    expect(bsr.get('GM-1')?.bsr?.address).toBe(ip('1.1.1.1'));
  });
});

function drops(lab: Lab, device: string): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'packet' && r.event === 'dropped' && r.device === device)
    .map((r) => (r.kind === 'packet' ? (r.reason ?? '') : ''));
}

function bsrTrace(lab: Lab, device: string): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device && r.text.startsWith('PIM-BSR'))
    .map((r) => (r.kind === 'log' ? r.text : ''));
}

describe('BSR election and expiry (RFC 5059 §3.1)', () => {
  it('the higher-priority C-BSR wins; the KS stays a candidate and advertises its C-RP to the elected BSR', async () => {
    const configs = new Map<string, BsrConfig>([
      ['KS', { ...KS_BSR }],
      ['Central', { candidateBsr: { interface: 'Loopback0', hashMaskLength: 0, priority: 10 } }],
    ]);
    const { lab, bsr } = bsrLab(undefined, configs);
    await lab.kernel.runUntil(seconds(90));
    const central = bsr.get('Central')!;
    const centralAddress = central.candidateBsrAddress();
    expect(central.state).toBe('elected');
    expect(bsr.get('KS')?.state).toBe('candidate');
    expect(bsr.get('KS')?.bsr?.address).toBe(centralAddress);
    // The KS's C-RP reached Central by unicast; both hash 239.10.10.1 to it.
    for (const name of ['KS', 'Central'])
      expect(servicesOf(router(lab, name)).pim.rpFor(ip('239.10.10.1')), name).toBe(ip('1.1.1.1'));
    // The spokes' `ip mroute` covers only 1.1.1.1: their RPF for Central's loopback is the WAN, not the tunnel.
    const bsrText = formatIpv4(centralAddress ?? 0).replace(/\./g, '\\.');
    for (const name of ['GM-1', 'GM-2']) {
      expect(bsr.get(name)?.bsr, name).toBeUndefined();
      expect(drops(lab, name), name).toContainEqual(
        expect.stringMatching(
          new RegExp(`^RPF check failed for Bootstrap from BSR ${bsrText}: arrived on Tunnel10`),
        ),
      );
    }
    const ks = showIpPimBsrRouter(bsr.get('KS')!).split('\n');
    expect(ks).toContain('This system is a candidate BSR');
    expect(ks).toContain('  Candidate BSR address: 1.1.1.1, priority: 0, hash mask length: 0');
    expect(ks).toContain(`  Expires:     ${ks.find((l) => l.startsWith('  Expires:'))?.slice(15)}`);
  });

  it('a C-RP that stops advertising expires from the BSR after its 150 s holdtime, then from every router', async () => {
    const configs = new Map<string, BsrConfig>([['KS', { ...KS_BSR }]]);
    const { lab, bsr } = bsrLab(undefined, configs);
    router(lab, 'KS').debug.add(DEBUG_BSR);
    router(lab, 'Central').debug.add(DEBUG_BSR);
    await lab.kernel.runUntil(seconds(60));
    // IOS's `debug ip pim bsr` lines (published output; see bsr-service.ts).
    expect(bsrTrace(lab, 'KS').slice(0, 4)).toEqual([
      'PIM-BSR(0):  RP 1.1.1.1, 1 Group Prefixes, Priority 0, Holdtime 150',
      'PIM-BSR(0): RP-set for 239.0.0.0/8',
      'PIM-BSR(0):   RP(1) 1.1.1.1, holdtime 150 sec priority 0',
      'PIM-BSR(0): Bootstrap message for 1.1.1.1 originated',
    ]);
    // Central floods each Bootstrap on to the spokes, never back out FastEthernet0/0 where it came from.
    const forwarded = bsrTrace(lab, 'Central').filter((l) => l.includes('forwarded'));
    expect(forwarded.length).toBeGreaterThan(0);
    expect(new Set(forwarded)).toEqual(new Set(['PIM-BSR(0): 1.1.1.1 bootstrap forwarded on Tunnel10']));
    expect(servicesOf(router(lab, 'GM-1')).pim.rpFor(ip('239.10.10.1'))).toBe(ip('1.1.1.1'));
    setBsrConfig(bsr.get('KS'), { candidateBsr: KS_BSR.candidateBsr });
    await lab.kernel.runUntil(seconds(60 + 151));
    expect(servicesOf(router(lab, 'KS')).pim.rpFor(ip('239.10.10.1'))).toBeUndefined();
    expect(bsrTrace(lab, 'KS')).toContain(
      'PIM-BSR(0): Mapping (239.0.0.0/8, RP:1.1.1.1) with holdtime 150 expired on BSR',
    );
    await lab.kernel.runUntil(seconds(60 + 151 + 150));
    for (const name of ['Central', 'GM-1', 'GM-2'])
      expect(servicesOf(router(lab, name)).pim.rpFor(ip('239.10.10.1')), name).toBeUndefined();
    expect(bsr.get('GM-1')?.bsr?.address).toBe(ip('1.1.1.1'));
  });

  it("the BSR's Bootstraps stop: every router lets the BSR expire after BS_Timeout (130 s)", async () => {
    const configs = new Map<string, BsrConfig>([['KS', { ...KS_BSR }]]);
    const { lab, bsr } = bsrLab(undefined, configs);
    await lab.kernel.runUntil(seconds(60));
    setBsrConfig(bsr.get('KS'), {});
    await lab.kernel.runUntil(seconds(60 + 131));
    for (const name of ['Central', 'GM-1', 'GM-2']) {
      expect(bsr.get(name)?.bsr, name).toBeUndefined();
      expect(bsr.get(name)?.state, name).toBe('accept-any');
    }
    expect(showIpPimBsrRouter(bsr.get('GM-1')!)).toBe('PIMv2 Bootstrap information');
  });
});

describe('two candidate RPs and the hash (RFC 7761 §4.7.2)', () => {
  it('every router picks the same RP per group; show ip pim rp-hash lists both with their hash values', async () => {
    const configs = new Map<string, BsrConfig>([
      ['KS', { ...KS_BSR, candidateBsr: { interface: 'Loopback0', hashMaskLength: 31, priority: 0 } }],
      ['Central', { candidateRp: { interface: 'Loopback0', groupList: '1', interval: 60, priority: 0 } }],
    ]);
    const { lab, bsr } = bsrLab(
      (d, c) =>
        d === 'Central' ? c.replace(/^end$/m, 'access-list 1 permit 239.0.0.0 0.255.255.255\nend') : c,
      configs,
    );
    await lab.kernel.runUntil(seconds(130));
    const central = bsr.get('Central')!.candidateRpAddress()!;
    // Both C-RPs serve 239.0.0.0/8 (their ACL 1), so the hash decides between them.
    expect(
      bsr
        .get('KS')!
        .rpMappingShow()
        .mappings.map((m) => `${formatIpv4(m.rp)} ${formatPrefix(m.prefix)}`)
        .sort(),
    ).toEqual([`${formatIpv4(central)} 239.0.0.0/8`, '1.1.1.1 239.0.0.0/8'].sort());
    for (const g of ['239.1.1.0', '239.1.1.2', '239.10.10.1']) {
      const expected = showIpPimRpHash(bsr.get('KS')!, ip(g)).split('\n')[0];
      expect(expected).toMatch(/^ {2}RP \d+\.\d+\.\d+\.\d+ \(\?\), v2$/);
      for (const name of ['KS', 'Central'])
        expect(showIpPimRpHash(bsr.get(name)!, ip(g)).split('\n')[0], `${name} ${g}`).toBe(expected);
    }
    const hash = showIpPimRpHash(bsr.get('Central')!, ip('239.1.1.0')).split('\n');
    expect(hash[1]).toBe('    Info source: 1.1.1.1 (?), via bootstrap, priority 0, holdtime 150');
    expect(hash[3]).toBe('  PIMv2 Hash Value (mask 255.255.255.254)');
    expect(hash.slice(4)).toEqual(
      [central, ip('1.1.1.1')]
        .sort((a, b) => b - a)
        .map(
          (rp) =>
            `    RP ${formatIpv4(rp)}, via bootstrap, priority 0, hash value ${rpHashValue(ip('239.1.1.0'), 31, rp)}`,
        ),
    );
    // PIM's RP is the hash winner.
    const chosen = hash[0]?.match(/RP (\S+)/)?.[1];
    expect(formatIpv4(servicesOf(router(lab, 'Central')).pim.rpFor(ip('239.1.1.0')) ?? 0)).toBe(chosen);
  });
});
