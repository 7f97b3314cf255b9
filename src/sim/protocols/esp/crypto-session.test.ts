import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';

async function session(device: string, until = seconds(120)) {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await lab!.kernel.runUntil(until);
  return { lab: lab!, cli: new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs }) };
}

// Layout: Cisco IOS Security Command Reference, "show crypto session", and published IOS 15 output
// ("Interface: …", "Session status: UP-ACTIVE", "Peer: … port 500", "IKEv1 SA: local …/500 remote …/500
// Active", "IPSEC FLOW: permit ip …/… …/…", "Active SAs: 2, origin: crypto map"; detail adds "Uptime:",
// "fvrf: (none) ivrf: (none)", "Phase1_id:", "Capabilities:(none) connid:… lifetime:…" and the
// "Inbound:  #pkts dec'ed … drop … life (KB/Sec) KB Vol Rekey Disabled/…" lines).
describe('show crypto session', () => {
  it('shows the GM session with the key server: UP-ACTIVE, IKE SA on 848, the group flow and its SAs', async () => {
    const { cli } = await session('GM-1');
    const out = (await cli.execute('show crypto session')).split('\n');
    expect(out.slice(0, 7)).toEqual([
      'Crypto session current status',
      '',
      'Interface: Serial1/0',
      'Session status: UP-ACTIVE',
      'Peer: 1.1.1.1 port 848',
      '  Session ID: 0',
      '  IKEv1 SA: local 11.11.11.11/848 remote 1.1.1.1/848 Active',
    ]);
    expect(out[7]).toMatch(/^ {2}IPSEC FLOW: permit \S+ \S+ \S+$/);
    expect(out[8]).toBe('        Active SAs: 2, origin: crypto map');
  });

  it('detail adds the uptime, IKE lifetime and the packets ESP really encrypted and decrypted', async () => {
    const { cli } = await session('GM-1');
    await cli.execute('ping 192.168.12.1 source Loopback1 repeat 7');
    const out = await cli.execute('show crypto session detail');
    const lines = out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Crypto session current status',
      '',
      'Code: C - IKE Configuration mode, D - Dead Peer Detection',
      'K - Keepalives, N - NAT-traversal, T - cTCP encapsulation',
      'X - IKE Extended Authentication, F - IKE Fragmentation',
      '',
    ]);
    expect(out).toMatch(/^Interface: Serial1\/0\nUptime: \d\d:\d\d:\d\d\nSession status: UP-ACTIVE$/m);
    expect(out).toContain(
      'Peer: 1.1.1.1 port 848 fvrf: (none) ivrf: (none)\n      Phase1_id: 1.1.1.1\n      Desc: (none)',
    );
    expect(out).toMatch(/^ {10}Capabilities:\(none\) connid:\d+ lifetime:23:\d\d:\d\d$/m);
    const inbound =
      /^ {8}Inbound: {2}#pkts dec'ed (\d+) drop 0 life \(KB\/Sec\) KB Vol Rekey Disabled\/(\d+)$/m.exec(out);
    const outbound =
      /^ {8}Outbound: #pkts enc'ed (\d+) drop 0 life \(KB\/Sec\) KB Vol Rekey Disabled\/(\d+)$/m.exec(out);
    expect(inbound).not.toBeNull();
    expect(outbound).not.toBeNull();
    // the numbers agree with show crypto ipsec sa, which counts every ESP packet
    const sa = await cli.execute('show crypto ipsec sa');
    expect(sa).toContain(`#pkts encrypt: ${outbound![1]},`);
    expect(sa).toContain(`#pkts decrypt: ${inbound![1]},`);
    expect(Number(outbound![1])).toBeGreaterThanOrEqual(7);
  });

  it('is DOWN-NEGOTIATING before the member has registered', async () => {
    const { cli } = await session('GM-2', 0);
    const out = await cli.execute('show crypto session');
    expect(out).toMatch(
      /^Interface: Serial1\/0\nSession status: DOWN(-NEGOTIATING)?\nPeer: 1\.1\.1\.1 port 848$/m,
    );
  });
});
