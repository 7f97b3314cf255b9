import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { type Lab, loadLab } from '../../scenario/lab';

async function converged(): Promise<{ lab: Lab; cli: (d: string) => CliSession }> {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await lab!.kernel.runUntil(seconds(600));
  return { lab: lab!, cli: (d) => new CliSession(lab!.router(d)!, { epochMs: lab!.epochMs }) };
}

function count(out: string, section: 'Sent' | 'Rcvd', kind: string): number {
  const block = out.slice(out.indexOf(`   ${section}:`));
  const m = new RegExp(`(\\d+) ${kind}`).exec(block);
  return Number(m![1]);
}

// Layouts from Cisco's IP Addressing Services Command Reference, "show ip nhrp traffic" and "show ip nhrp
// nhs" sample output (IOS 15): "Tunnel0: Max-send limit:100Pkts/10Sec, Usage:0%", "Sent: Total 79",
// three counters per line; "req-sent 5  req-failed 0  repl-recv 4 (00:00:25 ago)".
describe('show ip nhrp traffic', () => {
  it('counts the registrations the spokes really sent and the hub really received', async () => {
    const { cli } = await converged();
    const gm1 = await cli('GM-1').execute('show ip nhrp traffic');
    const lines = gm1.split('\n');
    expect(lines[0]).toMatch(/^Tunnel10: Max-send limit:100Pkts\/10Sec, Usage:\d+%$/);
    expect(lines[1]).toMatch(/^ {3}Sent: Total \d+$/);
    expect(lines[2]).toMatch(
      /^ {9}\d+ Resolution Request {2}\d+ Resolution Reply {2}\d+ Registration Request$/,
    );
    expect(lines[3]).toMatch(/^ {9}\d+ Registration Reply {2}\d+ Purge Request {2}\d+ Purge Reply$/);
    expect(lines[4]).toMatch(/^ {9}\d+ Error Indication {2}\d+ Traffic Indication {2}\d+ Redirect Suppress$/);
    expect(lines[5]).toMatch(/^ {3}Rcvd: Total \d+$/);
    const gm2 = await cli('GM-2').execute('show ip nhrp traffic interface Tunnel10');
    const hub = await cli('Central').execute('show ip nhrp traffic');
    const sent = count(gm1, 'Sent', 'Registration Request') + count(gm2, 'Sent', 'Registration Request');
    expect(count(gm1, 'Sent', 'Registration Request')).toBeGreaterThan(0);
    expect(count(hub, 'Rcvd', 'Registration Request')).toBe(sent);
    expect(count(hub, 'Sent', 'Registration Reply')).toBe(sent);
    expect(count(gm1, 'Rcvd', 'Registration Reply')).toBe(count(gm1, 'Sent', 'Registration Request'));
    expect(await cli('GM-1').execute('show ip nhrp traffic interface Tunnel99')).toBe('');
  });
});

describe('show ip nhrp nhs detail', () => {
  it('adds the request counters and when the last reply came', async () => {
    const { cli } = await converged();
    const out = (await cli('GM-1').execute('show ip nhrp nhs detail')).split('\n');
    expect(out[0]).toBe('Legend: E=Expecting replies, R=Responding, W=Waiting');
    expect(out[1]).toBe('Tunnel10:');
    expect(out[2]).toMatch(
      /^192\.168\.100\.1 {2}RE priority = 0 cluster = 0 {2}req-sent (\d+) {2}req-failed 0 {2}repl-recv \1 \(\d\d:\d\d:\d\d ago\)$/,
    );
    // genieparser's golden show ip nhrp nhs detail (iosxe/tests/ShowIpNhrpNhsDetail/cli/equal/
    // golden_output_2_output.txt): two blank lines, then "Pending Registration Requests:".
    expect(out.slice(3)).toEqual(['', '', 'Pending Registration Requests:']);
    expect(await cli('GM-1').execute('show ip nhrp nhs')).toBe(
      'Legend: E=Expecting replies, R=Responding, W=Waiting\nTunnel10:\n192.168.100.1  RE priority = 0 cluster = 0',
    );
  });
});

describe('show ip nhrp nhs detail: a registration the NHS does not answer', () => {
  it('is listed under Pending Registration Requests as the golden output prints it', async () => {
    // genieparser ShowIpNhrpNhsDetail golden_output_output.txt:
    //   "Registration Request: Reqid 57, Ret 64  NHS 172.16.0.1 expired (Tu100)"
    // The hub's tunnel is shut from the start: GM-1's registrations go unanswered.
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    const cli = (d: string) => new CliSession(lab!.router(d)!, { epochMs: lab!.epochMs });
    const hub = cli('Central');
    for (const line of ['configure terminal', 'interface Tunnel10', 'shutdown', 'end'])
      await hub.execute(line);
    await lab!.kernel.runUntil(seconds(120));
    const out = (await cli('GM-1').execute('show ip nhrp nhs detail')).split('\n');
    expect(out[2]).toMatch(/^192\.168\.100\.1 {2}E priority = 0 cluster = 0 {2}req-sent \d+/);
    expect(out.slice(3, 6)).toEqual(['', '', 'Pending Registration Requests:']);
    expect(out[6]).toMatch(
      /^Registration Request: Reqid \d+, Ret \d+ {2}NHS 192\.168\.100\.1 expired \(Tu10\)$/,
    );
  });
});
