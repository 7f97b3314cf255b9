import { describe, expect, it } from 'vitest';
import { createSimApi } from '../worker/api';
import { applyConfigEdit, cliDiagnostic, diffConfig, negate, parseConfigTree } from './config-diff';

// Vite's raw import: the UI's tests run without Node's fs in their types.
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';

const BEFORE = `Building configuration...

Current configuration : 200 bytes
!
hostname GM-2
!
interface Tunnel10
 ip address 192.168.100.3 255.255.255.0
 ip igmp join-group 239.10.10.1
!
router eigrp 10
 network 192.168.12.0
 no auto-summary
!
ip mroute 1.1.1.1 255.255.255.255 192.168.100.1
!
end
`;

describe('config editor diff', () => {
  it('nests lines by indentation and skips the banner, separators and end', () => {
    const tree = parseConfigTree(BEFORE);
    expect(tree.map((n) => n.text)).toEqual([
      'hostname GM-2',
      'interface Tunnel10',
      'router eigrp 10',
      'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
    ]);
    expect(tree[1]?.children.map((n) => n.text)).toEqual([
      'ip address 192.168.100.3 255.255.255.0',
      'ip igmp join-group 239.10.10.1',
    ]);
    expect(tree[1]?.line).toBe(6);
  });

  it('removes a deleted line with no, inside its section, and adds new lines after the removals', () => {
    const after = BEFORE.replace(' ip igmp join-group 239.10.10.1\n', ' ip pim nbma-mode\n')
      .replace('ip mroute 1.1.1.1 255.255.255.255 192.168.100.1\n', '')
      .replace(' no auto-summary\n', '');
    const steps = diffConfig(BEFORE, after);
    expect(steps.map((s) => [...s.path, s.command].join(' > '))).toEqual([
      'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
      'interface Tunnel10 > no ip igmp join-group 239.10.10.1',
      'interface Tunnel10 > ip pim nbma-mode',
      'router eigrp 10 > auto-summary',
    ]);
    expect(steps[2]?.line).toBe(8);
    expect(steps[0]?.removal).toBe(true);
  });

  it('removes a whole section with one line and enters a new one before its lines', () => {
    const after = `${BEFORE.replace(/router eigrp 10\n network 192.168.12.0\n no auto-summary\n/, '')}interface Loopback5\n ip address 5.5.5.5 255.255.255.255\n`;
    const steps = diffConfig(BEFORE, after);
    expect(steps.map((s) => [...s.path, s.command].join(' > '))).toEqual([
      'no router eigrp 10',
      'interface Loopback5',
      'interface Loopback5 > ip address 5.5.5.5 255.255.255.255',
    ]);
  });

  it('negates as IOS does', () => {
    expect(negate('shutdown')).toBe('no shutdown');
    expect(negate('no auto-summary')).toBe('auto-summary');
  });

  it("reads the column of IOS's caret, counting the prompt", () => {
    const out = "                       ^\n% Invalid input detected at '^' marker.";
    expect(cliDiagnostic(out, 'GM-2(config-if)#'.length)).toEqual({
      message: "% Invalid input detected at '^' marker.",
      column: 7,
    });
    expect(cliDiagnostic('', 10)).toBeUndefined();
  });

  it("applies an edit through a router's console and places a rejected line's diagnostic at its line", async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const before = await api.runningConfig('GM-2');
    const after = before
      .replace(' ip igmp join-group 239.10.10.1\n', ' ip pim bogus 3\n')
      .replace(/^ip mroute .*\n/m, '')
      .replace(' description Site LAN\n', ' description Branch LAN\n');
    const result = await applyConfigEdit(
      before,
      after,
      async (line) => {
        const r = await api.exec('GM-2', line);
        return { output: r.output, prompt: r.prompt };
      },
      await api.prompt('GM-2'),
    );
    const now = await api.runningConfig('GM-2');
    expect(now).not.toMatch(/^ip mroute/m);
    expect(now).not.toContain('ip igmp join-group');
    expect(now).toContain(' description Branch LAN');
    expect(result.sent[0]).toBe('configure terminal');
    expect(result.sent[result.sent.length - 1]).toBe('end');
    const bogusLine = after.split('\n').indexOf(' ip pim bogus 3');
    expect(result.diagnostics).toEqual([
      {
        line: bogusLine,
        column: 8,
        command: 'ip pim bogus 3',
        message: "% Invalid input detected at '^' marker.",
      },
    ]);
    expect(await api.prompt('GM-2')).toBe('GM-2#');
  });
});
