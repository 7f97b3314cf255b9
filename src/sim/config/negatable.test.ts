// The `no` form derived from the positive one (Cisco, "Understanding no and default Forms of Commands": `no`
// disables a feature or puts its default back, and takes the command with its trailing arguments left out).
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../net/ipv4-address';
import { assignNegatable, editListEntry, negatedSyntax } from './negatable';
import { renderRunningConfig } from './render';
import { ConfigSession } from './session';

const ip = (s: string): number => parseIpv4(s) ?? -1;

function configure(...lines: string[]): ConfigSession {
  const s = new ConfigSession();
  for (const l of lines) {
    const r = s.apply(l);
    if (r.kind === 'error') throw new Error(`${l}: ${JSON.stringify(r)}`);
  }
  return s;
}

function interfaceBlock(s: ConfigSession, name: string): string[] {
  const lines = renderRunningConfig(s.model).split('\n');
  const start = lines.indexOf(`interface ${name}`);
  const end = lines.indexOf('!', start);
  return lines.slice(start, end);
}

describe('negatedSyntax', () => {
  it.each([
    ['ip mtu <bytes:int:68-17916>', 'ip mtu [<bytes:int:68-17916>]'],
    ['ip address <address:ipv4> <mask:mask>', 'ip address [<address:ipv4> <mask:mask>]'],
    ['ip pim (sparse-mode | dense-mode)', 'ip pim [(sparse-mode | dense-mode)]'],
    [
      'ip pim send-rp-discovery <iface:interface> scope <ttl:int:1-255> [interval <s:int:1-16383>]',
      'ip pim send-rp-discovery [<iface:interface> scope <ttl:int:1-255> [interval <s:int:1-16383>]]',
    ],
    ['shutdown', 'shutdown'],
  ])('%s -> %s', (syntax, no) => {
    expect(negatedSyntax(syntax)).toBe(no);
  });
});

describe('assignNegatable', () => {
  it('stores a value, and leaves the field unset for `no` or for the IOS default', () => {
    const t: { holdtime?: number } = {};
    assignNegatable(t, 'holdtime', 300, 7200);
    expect(t).toEqual({ holdtime: 300 });
    assignNegatable(t, 'holdtime', 7200, 7200);
    expect('holdtime' in t).toBe(false);
    assignNegatable(t, 'holdtime', 300);
    assignNegatable(t, 'holdtime', undefined);
    expect('holdtime' in t).toBe(false);
  });
});

describe('negatable commands in a session', () => {
  it('`no ip mtu` and `no ip mtu 1400` both clear the MTU, and the running-config drops the line', () => {
    const s = configure('interface Tunnel1', 'ip mtu 1400');
    expect(interfaceBlock(s, 'Tunnel1')).toContain(' ip mtu 1400');
    s.apply('no ip mtu 1400');
    expect(s.model.interfaces[0]?.ipMtu).toBeUndefined();
    s.apply('ip mtu 1300');
    s.apply('no ip mtu');
    expect(interfaceBlock(s, 'Tunnel1')).toEqual(['interface Tunnel1', ' no ip address']);
  });

  it('a value typed at its IOS default is not printed back (DR priority 1, NHRP holdtime 7200)', () => {
    const s = configure('interface Tunnel1', 'ip pim dr-priority 1', 'ip nhrp holdtime 7200');
    expect(interfaceBlock(s, 'Tunnel1')).toEqual(['interface Tunnel1', ' no ip address']);
    s.apply('ip pim dr-priority 5');
    expect(interfaceBlock(s, 'Tunnel1')).toContain(' ip pim dr-priority 5');
  });

  it('`no` on a sub-mode parameter clears it (ISAKMP policy hash, key-server rekey algorithm)', () => {
    const s = configure('crypto isakmp policy 10', 'hash md5', 'no hash');
    expect(s.model.crypto.isakmpPolicies[0]).toEqual({ priority: 10 });
    s.apply('crypto gdoi group G');
    s.apply('server local');
    s.apply('rekey algorithm aes 256');
    expect(renderRunningConfig(s.model)).toContain('  rekey algorithm aes 256\n');
    s.apply('no rekey algorithm');
    expect(renderRunningConfig(s.model)).not.toContain('rekey algorithm');
  });

  it('`?` after a derived `no` form offers the optional argument and <cr>', () => {
    const s = configure('interface Tunnel1');
    expect(s.help('no ip mtu ').map((h) => h.word)).toEqual(['<68-17916>', '<cr>']);
  });

  it('flags: `shutdown` / `no shutdown`, `ip pim autorp listener` / `no …`', () => {
    const s = configure('interface Serial0/0', 'shutdown');
    expect(s.model.interfaces[0]?.shutdown).toBe(true);
    s.apply('no shutdown');
    expect(s.model.interfaces[0]?.shutdown).toBe(false);
    s.apply('ip pim autorp listener');
    expect(s.model.pim.autorpListener).toBe(true);
    s.apply('no ip pim autorp listener');
    expect(s.model.pim.autorpListener).toBe(false);
  });
});

describe('editListEntry', () => {
  it('keeps one copy of an entry, moved to the end when typed again; `no` removes it', () => {
    const a = ip('239.1.1.1');
    const b = ip('239.1.1.2');
    let list = editListEntry<number>([], (x) => x === a, a, false);
    list = editListEntry(list, (x) => x === b, b, false);
    expect(editListEntry(list, (x) => x === a, a, false)).toEqual([b, a]);
    expect(editListEntry(list, (x) => x === a, a, true)).toEqual([b]);
  });
});
