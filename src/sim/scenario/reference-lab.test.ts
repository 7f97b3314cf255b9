import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import { loadLab } from './lab';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const asPrinted = readFileSync('public/scenarios/getvpn-as-printed.json', 'utf8');

async function runReference(seed: number): Promise<string> {
  const { lab } = loadLab(reference, seed);
  const gm1 = new CliSession(lab!.router('GM-1')!, { epochMs: lab!.epochMs });
  await lab!.kernel.runUntil(seconds(5));
  await gm1.execute('ping 1.1.1.1 source Loopback0 repeat 3');
  await lab!.kernel.runUntil(seconds(20));
  return lab!.kernel.trace.hash();
}

describe('the reference lab', () => {
  it('loads without errors and boots every interface that has a link', () => {
    const { lab, problems } = loadLab(reference);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const r of lab!.routers) {
      for (const i of r.config.interfaces)
        expect(r.interfaceState(i.name), `${r.name} ${i.name}`).toMatchObject({ protocol: 'up' });
    }
  });

  it('produces the same trace hash for the same seed', async () => {
    const a = await runReference(1);
    const b = await runReference(1);
    expect(a).toBe(b);
  });

  it('shows a frame on every hop of a ping, with its real bytes', async () => {
    const { lab } = loadLab(reference);
    const gm1 = new CliSession(lab!.router('GM-1')!, { epochMs: lab!.epochMs });
    await gm1.execute('ping 1.1.1.1 source Loopback0 repeat 1');
    const sent = lab!.kernel.trace
      .all()
      .filter(
        (r) =>
          r.kind === 'packet' && r.event === 'sent' && r.link !== undefined && r.protocols.includes('icmp'),
      );
    // GM-1 -> SP -> Central -> KS and back: six link transmissions.
    expect(sent.map((r) => (r.kind === 'packet' ? r.device : ''))).toEqual([
      'GM-1',
      'SP',
      'Central',
      'KS',
      'Central',
      'SP',
    ]);
    const first = sent[0]!.kind === 'packet' ? lab!.kernel.trace.frame(sent[0]!.frameId) : undefined;
    expect(first?.bytes[9]).toBe(1); // IP protocol ICMP
    expect(sent[0]!.kind === 'packet' && sent[0]!.summary).toContain(
      'ICMP echo request 11.11.11.11 > 1.1.1.1',
    );
  });
});

describe('the article as printed', () => {
  it('reports the inline remarks as IOS errors and the missing tunnel source as a warning', () => {
    const { lab, problems } = loadLab(asPrinted);
    const ks = problems.filter((p) => p.device === 'KS' && p.severity === 'error');
    expect(ks.length).toBeGreaterThan(0);
    expect(ks[0]!.message).toBe("% Invalid input detected at '^' marker.");
    expect(ks.some((p) => p.text?.includes('! Central router'))).toBe(true);
    const warn = problems.find((p) => p.device === 'GM-1' && p.severity === 'warning');
    expect(warn?.message).toContain('Serial0/0');
    expect(lab!.router('GM-1')!.interfaceState('Tunnel10')).toMatchObject({ protocol: 'down' });
  });

  it("explains GM-1's down tunnel in show interfaces", async () => {
    const { lab } = loadLab(asPrinted);
    const gm1 = new CliSession(lab!.router('GM-1')!, { epochMs: lab!.epochMs });
    const out = await gm1.execute('show interfaces Tunnel10');
    expect(out).toContain('Tunnel10 is up, line protocol is down');
    expect(out).toContain('Tunnel source Serial0/0 (interface does not exist)');
  });
});
