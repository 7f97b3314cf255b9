// Modes come from the core commands plus every protocol descriptor's `config` (issue 16): a protocol's
// sub-mode has the IOS prompt it declares, and its commands are accepted there and nowhere else.
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../protocols/registry';
import { modeDefinition, modeTree } from './modes';

const declared = PROTOCOLS.flatMap((p) => (p.config?.subModes ?? []).map((m) => ({ id: p.id, ...m })));

describe('config modes from the descriptors', () => {
  it('has every sub-mode the descriptors declare, once, with its prompt', () => {
    expect(new Set(declared.map((m) => m.mode)).size).toBe(declared.length);
    for (const m of declared) expect(modeDefinition(m.mode).prompt).toBe(m.prompt);
    expect(modeDefinition('router-eigrp').prompt).toBe('(config-router)');
    expect(modeDefinition('gdoi-local-server').prompt).toBe('(gdoi-local-server)');
  });

  it("takes each descriptor's commands in the mode it names", () => {
    for (const p of PROTOCOLS) {
      for (const c of p.config?.commands ?? []) {
        const tree = modeTree(c.mode);
        for (const cmd of c.commands) {
          const first = cmd.syntax.split(' ')[0] ?? '';
          expect(
            tree.help('').map((h) => h.word),
            `${p.id}: ${cmd.syntax} in ${c.mode}`,
          ).toContain(first);
        }
      }
    }
  });

  it('keeps a sub-mode command out of global configuration', () => {
    expect(modeTree('global').match('rekey lifetime seconds 600').kind).not.toBe('ok');
    expect(modeTree('gdoi-local-server').match('rekey lifetime seconds 600').kind).toBe('ok');
  });
});
