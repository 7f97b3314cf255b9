/**
 * `show ip access-lists` in IOS layout (Cisco "Configuring IP Access Lists": "Extended IP access list 101",
 * entries numbered 10, 20, … and "(N matches)" once an entry has matched) with counters that count real
 * packets: a member's local ACL on its gdoi crypto map entry is read for every packet leaving the
 * interface, before the ACL downloaded from the KS.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds, type SimTime } from '../../kernel/time';
import { decodeIpv4, IP_PROTO } from '../../net/ipv4';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, router } from '../../scenario/test-lab.test-support';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

async function exec(lab: Lab, device: string, lines: string[]): Promise<string[]> {
  const cli = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  const out: string[] = [];
  for (const line of lines) out.push(await cli.execute(line));
  return out;
}

/** Packets of `protocol` that `device` sent on its WAN interface from `from` on. */
function sentOnWan(lab: Lab, device: string, protocol: number, from: SimTime): number {
  let n = 0;
  for (const r of lab.kernel.trace.all()) {
    if (r.kind !== 'packet' || r.device !== device || r.event !== 'sent' || r.t < from) continue;
    if (r.iface !== 'Serial1/0') continue;
    const frame = lab.kernel.trace.frame(r.frameId);
    if (frame && decodeIpv4(frame.bytes).header.protocol === protocol) n++;
  }
  return n;
}

describe('show ip access-lists', () => {
  it('lists the KS lists in IOS layout; lists no packet is checked against show no matches', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(60));
    const [all, one, none] = await exec(lab, 'KS', [
      'show ip access-lists',
      'show ip access-lists ACL',
      'show ip access-lists NOPE',
    ]);
    expect(all).toBe(
      [
        'Standard IP access list 1',
        '    10 permit 239.0.0.0, wildcard bits 0.255.255.255',
        'Extended IP access list ACL',
        '    10 permit gre any any',
        'Extended IP access list MULTICAST_REKEY',
        '    10 permit ip any host 239.10.10.1',
      ].join('\n'),
    );
    expect(one).toBe(['Extended IP access list ACL', '    10 permit gre any any'].join('\n'));
    expect(none).toBe('');
  }, 60_000);

  // The member's ACL comes first and its denies are never tested against the KS's ACL: Cisco Security Manager
  // 4.4 User Guide, ch. 28, "Understanding the GET VPN Security Policy and Security Associations".
  it('counts the packets a member’s local crypto ACL really matched, and clears them', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(60));
    await exec(lab, 'GM-1', [
      'configure terminal',
      'ip access-list extended LOCAL',
      'deny icmp any any',
      'permit gre any any',
      'exit',
      'crypto map DMVPN 10 gdoi',
      'match address LOCAL',
      'end',
    ]);
    const from = lab.kernel.now;
    // Five echo requests to the hub's WAN address leave in clear, stopped by the local deny.
    const [ping] = await exec(lab, 'GM-1', ['ping 172.17.1.1']);
    expect(ping).toContain('Success rate is 100 percent (5/5)');
    await lab.kernel.runUntil(seconds(120));
    const esp = sentOnWan(lab, 'GM-1', IP_PROTO.ESP, from);
    expect(esp).toBeGreaterThan(5);
    expect(sentOnWan(lab, 'GM-1', IP_PROTO.ICMP, from)).toBe(5);
    const [shown, gmAcl] = await exec(lab, 'GM-1', ['show ip access-lists LOCAL', 'show crypto gdoi gm acl']);
    // Every GRE packet stopped at the local permit, then was encrypted under the downloaded ACL.
    expect(shown).toBe(
      [
        'Extended IP access list LOCAL',
        '    10 deny icmp any any (5 matches)',
        `    20 permit gre any any (${esp} matches)`,
      ].join('\n'),
    );
    expect(gmAcl).toBe(
      [
        'Group Name: GDOI_GM',
        ' ACL Downloaded From KS 1.1.1.1:',
        '   access-list  permit gre any any',
        ' ACL Configured Locally: ',
        '   Map Name: DMVPN',
        '   access-list  deny icmp any any',
        '   access-list  permit gre any any',
      ].join('\n'),
    );
    const [, cleared] = await exec(lab, 'GM-1', [
      'clear ip access-list counters LOCAL',
      'show ip access-lists LOCAL',
    ]);
    expect(cleared).toBe(
      ['Extended IP access list LOCAL', '    10 deny icmp any any', '    20 permit gre any any'].join('\n'),
    );
  }, 60_000);
});
