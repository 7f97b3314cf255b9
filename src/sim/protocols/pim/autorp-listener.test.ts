// How far Auto-RP's discoveries (224.0.1.40) travel over interfaces that are only `ip pim sparse-mode`:
// - the mapping agent sends on every PIM interface, so its neighbours always learn the RP [INF];
// - a router two hops away learns it only if the router between floods 224.0.1.39/40 in dense mode. With
//   `ip pim autorp listener` it does: "cause IP multicast traffic for the two Auto-RP groups 224.0.1.39 and
//   224.0.1.40 to be PIM dense mode flooded across interfaces operating in PIM sparse mode" (Cisco IP Multicast
//   Command Reference). Without it, Cisco technote 118405 (IOS 15.2(4)S6): "By default, RP discovery messages
//   cannot be sent out of PIM SM-enabled interfaces"; GETLab gives that behaviour with `no ip pim dm-fallback`
//   and keeps dense-mode fallback on by default, as the reference article's IOS releases behave [M].
// - a group without an RP falls back to dense mode (D) while `ip pim dm-fallback` is on (the IOS default), and
//   stays sparse without it (Cisco, "PIM Dense Mode Fallback Prevention in a Network Following RP Information
//   Loss", IOS 12.3(4)T).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { cli, configure, loadTestLab, mrouteBlock } from './test-lab.test-support';

/** The Auto-RP scenario's lab (RP - Transit - Edge), with lines added at the top of the named routers' configs. */
function autoRpLab(extra: Readonly<Record<'Transit' | 'Edge', readonly string[]>>): Lab {
  const scenario = JSON.parse(readFileSync('public/scenarios/autorp-sparse-mode.json', 'utf8')) as {
    devices: { name: string; config: string }[];
    lessons?: unknown;
  };
  delete scenario.lessons;
  for (const d of scenario.devices) {
    const lines = d.name === 'Transit' ? extra.Transit : d.name === 'Edge' ? extra.Edge : [];
    d.config = d.config.replace(/^end$/m, `${lines.join('\n')}\nend`);
  }
  return loadTestLab(scenario);
}

async function rpMapping(lab: Lab, device: string): Promise<string> {
  return cli(lab, device).execute('show ip pim rp mapping');
}

async function flags(lab: Lab, device: string, entry: string): Promise<string> {
  const show = await cli(lab, device).execute(`show ip mroute ${entry.split(', ')[1]!.slice(0, -1)}`);
  return /flags: (\S*)$/m.exec(mrouteBlock(show, entry).split('\n')[0] ?? '')?.[1] ?? '';
}

describe('Auto-RP over sparse-mode interfaces', () => {
  it('with dense-mode fallback (the default), Transit floods the discovery and Edge learns RP 1.1.1.1', async () => {
    const lab = autoRpLab({ Transit: [], Edge: [] });
    await lab.kernel.runUntil(seconds(90));
    expect(await rpMapping(lab, 'Edge')).toMatch(/^ {2}RP 1\.1\.1\.1 \(\?\), v2v1$/m);
    expect(await flags(lab, 'Edge', '(*, 239.1.1.1)')).toBe('SJCL');
    // 238.1.1.1 is outside the candidate RP's group-list: no RP, so dense.
    expect(await flags(lab, 'Edge', '(*, 238.1.1.1)')).toBe('DCL');
  });

  it('with no ip pim dm-fallback on Transit, only Transit learns the RP; Edge never does', async () => {
    const lab = autoRpLab({ Transit: ['no ip pim dm-fallback'], Edge: ['no ip pim dm-fallback'] });
    await lab.kernel.runUntil(seconds(130));
    expect(await rpMapping(lab, 'Transit')).toMatch(/^ {2}RP 1\.1\.1\.1 \(\?\), v2v1$/m);
    const edge = await rpMapping(lab, 'Edge');
    expect(edge).not.toMatch(/RP 1\.1\.1\.1/);
    // No fallback: the group with no RP stays sparse (RP 0.0.0.0, S), the Auto-RP groups stay dense.
    expect(await flags(lab, 'Edge', '(*, 239.1.1.1)')).toMatch(/^S/);
    expect(await flags(lab, 'Edge', '(*, 224.0.1.40)')).toMatch(/^D/);
    // Transit received the discovery but sent it on nowhere: its (S,G) for the mapping agent lists no Serial1/1.
    const sg = mrouteBlock(
      await cli(lab, 'Transit').execute('show ip mroute 224.0.1.40'),
      '(1.1.1.1, 224.0.1.40)',
    );
    expect(sg).toContain('Incoming interface: Serial1/0, RPF nbr 10.1.12.1');
    expect(sg).not.toContain('Serial1/1');
  });

  it('ip pim autorp listener on Transit floods the next discovery to Edge, which learns the RP', async () => {
    const lab = autoRpLab({ Transit: ['no ip pim dm-fallback'], Edge: ['no ip pim dm-fallback'] });
    await lab.kernel.runUntil(seconds(130));
    await configure(lab, 'Transit', ['ip pim autorp listener']);
    expect(await cli(lab, 'Transit').execute('show ip pim autorp')).toContain(
      'AutoRP groups over sparse mode interface is enabled',
    );
    await lab.kernel.runUntil(seconds(200));
    expect(await rpMapping(lab, 'Edge')).toMatch(/^ {2}RP 1\.1\.1\.1 \(\?\), v2v1$/m);
    expect(await flags(lab, 'Edge', '(*, 239.1.1.1)')).toBe('SJCL');
    expect(
      mrouteBlock(await cli(lab, 'Transit').execute('show ip mroute 224.0.1.40'), '(1.1.1.1, 224.0.1.40)'),
    ).toMatch(/^ {4}Serial1\/1, Forward\/Sparse, /m);
  });
});
