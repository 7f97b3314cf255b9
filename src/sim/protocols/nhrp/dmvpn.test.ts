import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import type { PacketRecord } from '../../kernel/trace';
import { parseIpv4 } from '../../net/ipv4-address';
import { type Lab, loadLab } from '../../scenario/lab';
import { overlayEdges } from '../../scenario/overlay';
import { servicesOf } from '../services.test-support';
import { logLines } from '../eigrp/test-lab.test-support';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const asPrinted = readFileSync('public/scenarios/getvpn-as-printed.json', 'utf8');

function boot(text = reference): { lab: Lab; cli: (device: string) => CliSession } {
  const { lab } = loadLab(text);
  const sessions = new Map<string, CliSession>();
  const cli = (device: string): CliSession => {
    let s = sessions.get(device);
    if (!s) sessions.set(device, (s = new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs })));
    return s;
  };
  return { lab: lab!, cli };
}

const ip = (s: string): number => parseIpv4(s)!;

function nhrpEntries(lab: Lab, device: string) {
  return servicesOf(lab.router(device)!).nhrp.interfaces.get('Tunnel10')!.cache.all();
}

/** Why packets were dropped, in order, on every device or on those `on` accepts. */
function dropReasons(lab: Lab, on: (device: string) => boolean = () => true): string[] {
  return lab.kernel.trace
    .all()
    .flatMap((r) => (r.kind === 'packet' && r.event === 'dropped' && on(r.device) ? [r.reason ?? ''] : []));
}

const central = (device: string): boolean => device === 'Central';

function sentRecords(lab: Lab, from: number): PacketRecord[] {
  return lab.kernel.trace
    .since(from)
    .filter((r): r is PacketRecord => r.kind === 'packet' && r.event === 'sent' && r.link !== undefined);
}

describe('DMVPN in the reference lab', () => {
  it('registers both spokes, forms EIGRP over the tunnel and carries spoke traffic within 60 s', async () => {
    const { lab, cli } = boot();
    await lab.kernel.runUntil(seconds(60));
    const entries = nhrpEntries(lab, 'Central');
    expect(entries.map((e) => [e.protocol, e.type])).toEqual([
      [ip('192.168.100.2'), 'dynamic'],
      [ip('192.168.100.3'), 'dynamic'],
    ]);
    const nhrp = await cli('Central').execute('show ip nhrp');
    expect(nhrp).toContain('192.168.100.2/32 via 192.168.100.2');
    expect(nhrp).toContain('   Type: dynamic, Flags: unique registered used nhop');
    expect(nhrp).toContain('   NBMA address: 172.37.1.1');
    const neighbors = await cli('Central').execute('show ip eigrp neighbors');
    expect(neighbors).toMatch(/^0 +192\.168\.100\.2 +Tu10 /m);
    expect(neighbors).toMatch(/^1 +192\.168\.100\.3 +Tu10 /m);
    expect(await cli('GM-1').execute('ping 192.168.100.3')).toContain('Success rate is 100 percent (5/5)');
    const dmvpn = await cli('GM-1').execute('show dmvpn');
    expect(dmvpn).toContain('Type:Spoke, NHRP Peers:');
    expect(dmvpn).toMatch(/^ +1 172\.17\.1\.1 +192\.168\.100\.1 +UP [\d:]+ +S$/m);
  });

  it('sends the spokes’ first multicast to the hub as their tunnels come up (NHRP ready before anyone sends)', async () => {
    const { lab } = boot();
    await lab.kernel.runUntil(seconds(1));
    const lost = dropReasons(lab, (device) => device.startsWith('GM-'));
    expect(lost.filter((reason) => reason.includes('no NHRP multicast destination'))).toEqual([]);
    const spokeIgmp = lab.kernel.trace
      .all()
      .filter(
        (r): r is PacketRecord =>
          r.kind === 'packet' && r.device === 'GM-1' && r.overlayPeer === '172.17.1.1',
      );
    expect(spokeIgmp.some((r) => r.protocols.includes('igmp'))).toBe(true);
  });

  it('replicates multicast sent into the hub tunnel once per registered spoke', async () => {
    const { lab } = boot();
    await lab.kernel.runUntil(seconds(30));
    const start = lab.kernel.trace.total;
    await lab.kernel.runUntil(seconds(40));
    const hubHellos = lab.kernel.trace
      .since(start)
      .filter(
        (r): r is PacketRecord =>
          r.kind === 'packet' && r.device === 'Central' && r.overlayPeer !== undefined,
      )
      .filter((r) => r.summary.startsWith('EIGRP Hello'));
    const peers = new Set(hubHellos.map((r) => r.overlayPeer));
    expect(peers).toEqual(new Set(['172.27.1.1', '172.37.1.1']));
    // Each copy leaves Serial2/0 as its own unicast packet to a spoke's NBMA address (GRE, inside GET VPN's
    // ESP once the hub has registered with the KS; ESP keeps the GRE addresses).
    const wire = sentRecords(lab, start).filter((r) => r.device === 'Central' && r.iface === 'Serial2/0');
    const destinations = new Set(
      wire.map((r) => {
        const b = lab.kernel.trace.frame(r.frameId)!.bytes;
        return `${b[16]}.${b[17]}.${b[18]}.${b[19]}`;
      }),
    );
    expect(destinations).toEqual(new Set(['172.27.1.1', '172.37.1.1']));
    expect(wire.every((r) => r.protocols[1] === 'gre' || r.protocols[1] === 'esp')).toBe(true);
  });

  it('keeps spoke LANs apart by split horizon until the hub turns it off, then goes spoke to spoke', async () => {
    const { lab, cli } = boot();
    await lab.kernel.runUntil(seconds(30));
    const gm1 = lab.router('GM-1')!;
    expect(gm1.rib.lookup(ip('192.168.12.1'))?.source).not.toBe('eigrp');
    expect(gm1.rib.lookup(ip('192.168.1.1'))?.source).toBe('eigrp');

    const hub = cli('Central');
    for (const line of [
      'configure terminal',
      'interface Tunnel10',
      'no ip split-horizon eigrp 10',
      'no ip next-hop-self eigrp 10',
      'end',
    ]) {
      await hub.execute(line);
    }
    await lab.kernel.runUntil(seconds(60));
    const route = gm1.rib.lookup(ip('192.168.12.1'));
    expect(route?.source).toBe('eigrp');
    expect(route?.nextHops[0]?.address).toBe(ip('192.168.100.3'));

    // The first packets are resolved through the hub; then GM-1 sends straight to GM-2's NBMA address.
    await cli('GM-1').execute('ping 192.168.12.1 source Loopback1');
    const start = lab.kernel.trace.total;
    expect(await cli('GM-1').execute('ping 192.168.12.1 source Loopback1')).toContain(
      'Success rate is 100 percent',
    );
    const direct = lab.kernel.trace
      .since(start)
      .filter(
        (r): r is PacketRecord =>
          r.kind === 'packet' &&
          r.device === 'GM-1' &&
          r.overlayPeer !== undefined &&
          r.protocols.includes('icmp'),
      );
    expect(direct).toHaveLength(5);
    expect(new Set(direct.map((r) => r.overlayPeer))).toEqual(new Set(['172.37.1.1']));
    expect(
      nhrpEntries(lab, 'GM-1').some(
        (e) => e.protocol === ip('192.168.100.3') && e.learnedBy === 'resolution',
      ),
    ).toBe(true);
    expect(overlayEdges(lab).map((e) => [e.id, e.kind])).toContainEqual([
      'GM-1 Tunnel10==GM-2 Tunnel10',
      'spoke-spoke',
    ]);
  });

  it('expires an idle spoke-to-spoke tunnel', async () => {
    const { lab, cli } = boot();
    for (const [dev, lines] of [
      [
        'Central',
        [
          'configure terminal',
          'interface Tunnel10',
          'no ip split-horizon eigrp 10',
          'no ip next-hop-self eigrp 10',
          'end',
        ],
      ],
      ['GM-1', ['configure terminal', 'interface Tunnel10', 'ip nhrp holdtime 300', 'end']],
      ['GM-2', ['configure terminal', 'interface Tunnel10', 'ip nhrp holdtime 300', 'end']],
    ] as const) {
      for (const l of lines) await cli(dev).execute(l);
    }
    await lab.kernel.runUntil(seconds(40));
    await cli('GM-1').execute('ping 192.168.12.1 source Loopback1');
    expect(overlayEdges(lab).some((e) => e.kind === 'spoke-spoke')).toBe(true);
    await lab.kernel.runUntil(lab.kernel.now + seconds(400));
    expect(overlayEdges(lab).some((e) => e.kind === 'spoke-spoke')).toBe(false);
  });

  it('loses a spoke whose WAN is shut: EIGRP after the hold time, NHRP at expiry, and brings it back', async () => {
    const { lab, cli } = boot();
    await lab.kernel.runUntil(seconds(30));
    const gm2 = cli('GM-2');
    for (const l of ['configure terminal', 'interface Serial1/0', 'shutdown', 'end']) await gm2.execute(l);
    const shutAt = lab.kernel.now;
    await lab.kernel.runUntil(shutAt + seconds(10));
    expect(await cli('Central').execute('show ip eigrp neighbors')).toContain('192.168.100.3');
    await lab.kernel.runUntil(shutAt + seconds(16));
    expect(logLines(lab, 'Central')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.3 (Tunnel10) is down: holding time expired',
    );
    expect(nhrpEntries(lab, 'Central').map((e) => e.protocol)).toContain(ip('192.168.100.3'));

    // The registration's holdtime (7200 s) passes with no refresh: the entry and its replication go.
    await lab.kernel.runUntil(shutAt + seconds(7300));
    expect(nhrpEntries(lab, 'Central').map((e) => e.protocol)).toEqual([ip('192.168.100.2')]);
    const hub = servicesOf(lab.router('Central')!).nhrp;
    const tu = lab.router('Central')!.interfaceConfig('Tunnel10')!;
    expect(hub.multicastList(tu, hub.interfaces.get('Tunnel10')!)).toEqual([ip('172.27.1.1')]);

    for (const l of ['configure terminal', 'interface Serial1/0', 'no shutdown', 'end']) await gm2.execute(l);
    await lab.kernel.runUntil(lab.kernel.now + seconds(60));
    expect(nhrpEntries(lab, 'Central').map((e) => e.protocol)).toContain(ip('192.168.100.3'));
    expect(await cli('Central').execute('show ip eigrp neighbors')).toContain('192.168.100.3');
  }, 60_000);
});

describe('DMVPN diagnostics', () => {
  it('as printed: GM-1 has no valid tunnel source, stays down and never registers', async () => {
    const { lab, cli } = boot(asPrinted);
    await lab.kernel.runUntil(seconds(60));
    expect(lab.router('GM-1')!.interfaceState('Tunnel10').protocol).toBe('down');
    const nhs = servicesOf(lab.router('GM-1')!)
      .nhrp.interfaces.get('Tunnel10')!
      .nhs.get(ip('192.168.100.1'))!;
    expect(nhs.sent).toBe(0);
    expect(nhrpEntries(lab, 'Central').map((e) => e.protocol)).not.toContain(ip('192.168.100.2'));
    const out = await cli('GM-1').execute('show interfaces Tunnel10');
    expect(out).toContain('Tunnel10 is up, line protocol is down');
    expect(out).toContain('Line protocol is down: tunnel source Serial0/0 does not exist on this router');
  });

  it('drops NHRP with the wrong authentication string and says why', async () => {
    const text = reference.replace(
      ' ip nhrp network-id 123\\n ip pim dr-priority 100',
      ' ip nhrp network-id 123\\n ip nhrp authentication secret\\n ip pim dr-priority 100',
    );
    expect(text).not.toBe(reference);
    const { lab } = boot(text);
    await lab.kernel.runUntil(seconds(20));
    expect(nhrpEntries(lab, 'Central')).toEqual([]);
    expect(dropReasons(lab, central)).toContain(
      'NHRP authentication failure on Tunnel10: expected "secret", got no authentication',
    );
  });

  it('drops NHRP on a tunnel with NHRP off and a malformed NHRP packet, and keeps running', async () => {
    const text = reference.replace(
      ' ip nhrp map multicast dynamic\\n ip nhrp network-id 123\\n',
      ' ip nhrp map multicast dynamic\\n',
    );
    expect(text).not.toBe(reference);
    const { lab } = boot(text);
    await lab.kernel.runUntil(seconds(5));
    expect(dropReasons(lab)).toContain('NHRP is not enabled on Tunnel10 (no ip nhrp network-id)');

    const ok = boot();
    const tunnels = servicesOf(ok.lab.router('GM-1')!).tunnels;
    const cfg = ok.lab.router('GM-1')!.interfaceConfig('Tunnel10')!;
    await tunnels.sendGre(
      cfg,
      ip('172.17.1.1'),
      0x2001,
      new Uint8Array([0, 1, 8, 0, 0, 0, 0, 0, 0, 255, 0, 99]),
    );
    await ok.lab.kernel.runUntil(seconds(1));
    expect(dropReasons(ok.lab, central).some((r) => /^malformed NHRP packet: nhrp: /.test(r))).toBe(true);
    await ok.lab.kernel.runUntil(seconds(30));
    expect(nhrpEntries(ok.lab, 'Central')).toHaveLength(2);
  });

  it('drops GRE whose key does not match the tunnel', async () => {
    const text = reference.replace(
      'interface Tunnel 10\\n ip address 192.168.100.3 255.255.255.0\\n tunnel mode gre multipoint\\n tunnel source serial 1/0\\n tunnel key 123',
      'interface Tunnel 10\\n ip address 192.168.100.3 255.255.255.0\\n tunnel mode gre multipoint\\n tunnel source serial 1/0\\n tunnel key 124',
    );
    expect(text).not.toBe(reference);
    const { lab } = boot(text);
    await lab.kernel.runUntil(seconds(5));
    expect(dropReasons(lab)).toContain('GRE key mismatch: the packet has key 124, Tunnel10 expects key 123');
  });
});
