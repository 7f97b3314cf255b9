import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../net/ipv4-address';
import { type CommandSpec, CommandTree, diagnosticLines, type MatchResult } from './grammar';

type Ctx = { ran: string[] };
const spec = (syntax: string, extra: Partial<CommandSpec<Ctx>> = {}): CommandSpec<Ctx> => ({
  syntax,
  run: (ctx) => void ctx.ran.push(syntax),
  ...extra,
});

const exec = new CommandTree<Ctx>([
  spec('show ip interface brief', {
    help: {
      show: 'Show running system information',
      ip: 'IP information',
      interface: 'IP interface status and configuration',
      brief: 'Brief summary of IP status and configuration',
    },
  }),
  spec('show ip mroute [<group:ipv4>]', {
    help: { mroute: 'IP multicast routing table', group: 'Group address' },
  }),
  spec('show ip pim rp mapping', { help: { pim: 'PIM information' } }),
  spec('show ipv6 route'),
  spec('show interfaces [<name:interface>]'),
  spec('configure terminal'),
  spec('ping <host:ipv4> [repeat <count:int:1-2147483647>]', { help: { repeat: 'specify repeat count' } }),
  spec('clear (counters | <what:word>)'),
]);

const config = new CommandTree<Ctx>(
  [
    spec('interface <name:interface>'),
    spec('description <text:line>'),
    spec('shutdown'),
    spec('ip route <prefix:ipv4> <mask:mask> <hop:ipv4>'),
    spec('access-list <n:int:1-99> permit <a:ipv4> <w:wildcard>'),
    spec('tunnel key <key:hex>'),
    spec('network <a:ipv4>'),
  ],
  { noFormDefault: true },
);

function ok<C>(r: MatchResult<C>) {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.match;
}

describe('CommandTree.match', () => {
  it('matches abbreviations case-insensitively and reports canonical keywords', () => {
    expect(ok(exec.match('sh ip int br')).keywords).toEqual(['show', 'ip', 'interface', 'brief']);
    expect(ok(exec.match('CONF T')).keywords).toEqual(['configure', 'terminal']);
  });

  it('prefers the exact keyword over a longer one sharing the prefix (ip vs ipv6)', () => {
    expect(ok(exec.match('show ip mroute')).keywords).toEqual(['show', 'ip', 'mroute']);
    expect(ok(exec.match('show ipv route')).keywords).toEqual(['show', 'ipv6', 'route']);
  });

  it('converts params to their typed values', () => {
    expect(ok(exec.match('sh ip mro 239.10.10.1')).params).toEqual({ group: parseIpv4('239.10.10.1') });
    expect(ok(exec.match('ping 1.1.1.1 repeat 5')).params).toEqual({ host: parseIpv4('1.1.1.1'), count: 5 });
  });

  it('prefers a keyword over a param that would also match', () => {
    const m = ok(exec.match('clear counters'));
    expect(m.has('counters')).toBe(true);
    expect(m.params).toEqual({});
    expect(ok(exec.match('clear arp')).params).toEqual({ what: 'arp' });
  });

  it('reports an ambiguous abbreviation with the line as typed', () => {
    expect(exec.match('sh i')).toEqual({ kind: 'ambiguous', input: 'sh i' });
    expect(diagnosticLines(exec.match('sh i'), 'sh i', 3)).toEqual(['% Ambiguous command:  "sh i"']);
  });

  it('reports a line that stops before a required token as incomplete', () => {
    expect(exec.match('show ip')).toEqual({ kind: 'incomplete' });
    expect(exec.match('ping')).toEqual({ kind: 'incomplete' });
    expect(diagnosticLines({ kind: 'incomplete' }, 'show ip', 3)).toEqual(['% Incomplete command.']);
  });

  it('puts the caret under the first character of the offending token', () => {
    const r = exec.match('show ip mroutx');
    expect(r).toEqual({ kind: 'invalid', column: 8 });
    expect(diagnosticLines(r, 'show ip mroutx', 'GM-2#'.length)).toEqual([
      ' '.repeat(13) + '^',
      "% Invalid input detected at '^' marker.",
    ]);
  });

  it('rejects an int out of range, a non-contiguous mask and extra tokens at their column', () => {
    expect(exec.match('ping 1.1.1.1 repeat 0')).toEqual({ kind: 'invalid', column: 20 });
    expect(config.match('ip route 10.0.0.0 255.0.255.0 1.1.1.1')).toEqual({ kind: 'invalid', column: 18 });
    expect(config.match('shutdown now')).toEqual({ kind: 'invalid', column: 9 });
    expect(config.match('access-list 100 permit 1.0.0.0 0.255.255.255')).toEqual({
      kind: 'invalid',
      column: 12,
    });
  });

  it('accepts any dotted quad as a wildcard and hex strings', () => {
    expect(ok(config.match('access-list 1 permit 10.0.0.0 0.255.0.255')).params.w).toBe(
      parseIpv4('0.255.0.255'),
    );
    expect(ok(config.match('tunnel key 0x1F')).params.key).toBe('0x1F');
    expect(config.match('tunnel key zz')).toEqual({ kind: 'invalid', column: 11 });
  });

  it('returns empty for a blank line', () => {
    expect(exec.match('   ')).toEqual({ kind: 'empty' });
  });

  it.each([
    ['interface Fa1/0', 'FastEthernet1/0'],
    ['int fastethernet 1/0', 'FastEthernet1/0'],
    ['interface Loopback 0', 'Loopback0'],
    ['int lo0', 'Loopback0'],
    ['interface serial2/0', 'Serial2/0'],
    ['interface serial 2/0', 'Serial2/0'],
    ['interface Tunnel 10', 'Tunnel10'],
    ['int gi0/1', 'GigabitEthernet0/1'],
    ['int e0/0', 'Ethernet0/0'],
  ])('interface param: %s -> %s', (line, name) => {
    expect(ok(config.match(line)).params.name).toBe(name);
  });

  it('rejects bad interface names and needs the number', () => {
    expect(config.match('interface Foo0')).toEqual({ kind: 'invalid', column: 10 });
    expect(config.match('interface Loopback')).toEqual({ kind: 'incomplete' });
    expect(config.match('interface Loopback 1/0')).toEqual({ kind: 'invalid', column: 19 });
  });

  it('keeps the rest of the line, inner spaces included, for a line param', () => {
    expect(ok(config.match('description  Link to  Central   ')).params.text).toBe('Link to  Central');
  });

  it('accepts a leading no in config trees only', () => {
    const m = ok(config.match('no shutdown'));
    expect(m.negated).toBe(true);
    expect(m.keywords).toEqual(['shutdown']);
    expect(ok(config.match('shut')).negated).toBe(false);
    expect(exec.match('no show ip mroute')).toEqual({ kind: 'invalid', column: 0 });
    // `n` is ambiguous between `network` and `no`, as on IOS.
    expect(config.match('n 10.0.0.0')).toEqual({ kind: 'ambiguous', input: 'n 10.0.0.0' });
  });

  it('rejects malformed DSL when the tree is built', () => {
    expect(() => new CommandTree([spec('show [ip')])).toThrow();
    expect(() => new CommandTree([spec('show <x:colour>')])).toThrow();
  });
});

describe('CommandTree.help', () => {
  it('lists the next tokens with their help after a space', () => {
    expect(exec.help('show ip ')).toEqual([
      { word: 'interface', help: 'IP interface status and configuration' },
      { word: 'mroute', help: 'IP multicast routing table' },
      { word: 'pim', help: 'PIM information' },
    ]);
  });

  it('lists keywords starting with a partial word', () => {
    expect(exec.help('show i').map((h) => h.word)).toEqual(['interfaces', 'ip', 'ipv6']);
  });

  it('shows params and <cr> when the command may end', () => {
    expect(exec.help('show ip mroute ')).toEqual([
      { word: 'A.B.C.D', help: 'Group address' },
      { word: '<cr>', help: '' },
    ]);
    expect(exec.help('ping 1.1.1.1 ').map((h) => h.word)).toEqual(['repeat', '<cr>']);
    expect(exec.help('ping 1.1.1.1 repeat ').map((h) => h.word)).toEqual(['<1-2147483647>']);
  });

  it('lists interface types, then the unit number once the type is typed', () => {
    expect(config.help('interface ').map((h) => h.word)).toContain('Tunnel');
    expect(config.help('interface Tunnel ')).toEqual([
      { word: '<0-2147483647>', help: 'Tunnel interface number' },
    ]);
  });
});

describe('CommandTree.complete', () => {
  it('completes a unique keyword and leaves ambiguous ones alone', () => {
    expect(exec.complete('sh')).toBe('show ');
    expect(exec.complete('sh ip mr')).toBe('sh ip mroute ');
    expect(exec.complete('show i')).toBeUndefined();
    expect(exec.complete('show ')).toBeUndefined();
    expect(config.complete('interface Tun')).toBe('interface Tunnel ');
  });
});
