import { describe, expect, it } from 'vitest';
import type { ConfigContext } from '../../../config/context';
import { CommandTree } from '../../../config/grammar';
import { emptyRouterConfig } from '../../../config/model';
import type { BsrConfig } from './bsr-config';
import { bsrConfigCommands, renderBsrConfig } from './bsr-commands';

/** Runs global config lines against a BSR slice; returns the slice, or the grammar's verdict for a bad line. */
function run(lines: string[], cfg: BsrConfig = {}): BsrConfig | string {
  const tree = new CommandTree<ConfigContext>(
    bsrConfigCommands(() => cfg),
    { noFormDefault: true },
  );
  const ctx: Pick<ConfigContext, 'changed' | 'referenceInterface'> = {
    changed: () => undefined,
    referenceInterface: () => undefined,
  };
  for (const line of lines) {
    const r = tree.match(line);
    if (r.kind !== 'ok') return r.kind;
    r.spec.run({ ...ctx, model: emptyRouterConfig() } as ConfigContext, r.match);
  }
  return cfg;
}

describe('ip pim bsr-candidate / rp-candidate', () => {
  it('takes IOS defaults: hash mask length 0, priorities 0, interval 60', () => {
    expect(run(['ip pim bsr-candidate Loopback0', 'ip pim rp-candidate Loopback0'])).toEqual({
      candidateBsr: { interface: 'Loopback0', hashMaskLength: 0, priority: 0 },
      candidateRp: { interface: 'Loopback0', interval: 60, priority: 0 },
    });
  });

  it('reads hash mask length and priority, group-list, interval and priority, abbreviated as IOS allows', () => {
    const cfg = run(['ip pim bsr-cand lo0 31 100', 'ip pim rp-cand loopback 0 group-list 1 int 30 prio 5']);
    expect(cfg).toEqual({
      candidateBsr: { interface: 'Loopback0', hashMaskLength: 31, priority: 100 },
      candidateRp: { interface: 'Loopback0', groupList: '1', interval: 30, priority: 5 },
    });
    expect(renderBsrConfig(cfg as BsrConfig)).toEqual([
      'ip pim bsr-candidate Loopback0 31 100',
      'ip pim rp-candidate Loopback0 group-list 1 interval 30 priority 5',
    ]);
  });

  it('prints defaults back as IOS does (`ip pim rp-candidate Loopback0`) and round-trips', () => {
    const cfg = run(['ip pim bsr-candidate Loopback0 0 10', 'ip pim rp-candidate Loopback0']) as BsrConfig;
    const lines = renderBsrConfig(cfg);
    expect(lines).toEqual(['ip pim bsr-candidate Loopback0 0 10', 'ip pim rp-candidate Loopback0']);
    expect(run(lines)).toEqual(cfg);
  });

  it('the no forms remove the candidacies, with or without their arguments', () => {
    const cfg = run(['ip pim bsr-candidate Loopback0 31', 'ip pim rp-candidate Loopback0']) as BsrConfig;
    expect(run(['no ip pim bsr-candidate', 'no ip pim rp-candidate Loopback0 group-list 1'], cfg)).toEqual(
      {},
    );
  });

  it('rejects out-of-range values and a missing interface', () => {
    expect(run(['ip pim bsr-candidate Loopback0 33'])).toBe('invalid');
    expect(run(['ip pim bsr-candidate Loopback0 0 256'])).toBe('invalid');
    expect(run(['ip pim rp-candidate Loopback0 interval 0'])).toBe('invalid');
    expect(run(['ip pim rp-candidate'])).toBe('incomplete');
  });
});
