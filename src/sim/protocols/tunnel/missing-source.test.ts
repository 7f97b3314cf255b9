import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { logLines } from '../../scenario/test-lab.test-support';

// The article as printed: GM-1's Tunnel10 has `tunnel source serial 0/0`, an interface GM-1 does not have.
// GETLab keeps the line (config/parse.ts warns in Problems); what follows is what IOS shows for a tunnel
// whose source gives no address: line protocol down and, in IOS 15's `show interfaces`, "Tunnel linestate
// evaluation down - no IPv4 tunnel source address" (published IOS output).
describe('a tunnel source naming an interface the router does not have', () => {
  it('keeps Tunnel10 up/down with the reason visible, registers nothing, and recovers once fixed', async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-as-printed.json', 'utf8'));
    const cli = new CliSession(lab!.router('GM-1')!, { epochMs: lab!.epochMs });
    await lab!.kernel.runUntil(seconds(60));
    expect(await cli.execute('show ip interface brief | include ^Tunnel10')).toMatch(
      /^Tunnel10 +192\.168\.100\.2 +YES NVRAM +up +down$/,
    );
    const shown = await cli.execute('show interfaces Tunnel10');
    expect(shown).toContain(
      '  Keepalive not set\n  Tunnel linestate evaluation down - no IPv4 tunnel source address',
    );
    expect(shown).toContain('  Tunnel source Serial0/0 (interface does not exist)');
    expect(shown).toContain('  Line protocol is down: tunnel source Serial0/0 does not exist on this router');
    expect(await cli.execute('show ip nhrp nhs')).toContain('192.168.100.1  E priority = 0 cluster = 0');
    expect(await cli.execute('show running-config | include tunnel source')).toBe(' tunnel source Serial0/0');
    // Fixing the source brings the line protocol up and NHRP registers with the hub.
    await cli.execute('configure terminal');
    await cli.execute('interface Tunnel10');
    await cli.execute('tunnel source Serial1/0');
    await cli.execute('end');
    await lab!.kernel.runUntil(lab!.kernel.now + seconds(30));
    expect(logLines(lab!, 'GM-1')).toContain(
      '%LINEPROTO-5-UPDOWN: Line protocol on Interface Tunnel10, changed state to up',
    );
    expect(await cli.execute('show interfaces Tunnel10 | include linestate')).toBe(
      '  Tunnel linestate evaluation up',
    );
  });
});
