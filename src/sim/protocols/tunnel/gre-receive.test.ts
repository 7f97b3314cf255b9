import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import type { PacketRecord } from '../../kernel/trace';
import { encodeGre, GRE_PROTOCOL } from '../../net/gre';
import { encodeIpv4, IP_PROTO } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { loadLab } from '../../scenario/lab';

const ip = (t: string): number => parseIpv4(t) ?? 0;

/** A GRE packet from the hub's NBMA address to Spoke-1's, key 123 (the lab's tunnel key), carrying `inner`. */
function greFromHub(inner: Uint8Array): Uint8Array {
  const payload = encodeGre({ protocolType: GRE_PROTOCOL.IPV4, key: 123, payload: inner });
  return encodeIpv4({
    header: {
      tos: 0,
      identification: 7,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 254,
      protocol: IP_PROTO.GRE,
      source: ip('172.17.1.1'),
      destination: ip('172.27.1.1'),
      options: [],
    },
    payload,
  });
}

// The GRE receive path hands its inner packet on without an async function of its own (issue 18): a broken
// inner packet still ends as a traced drop on the tunnel's router, never as a lab problem, and the overlay
// keeps working. RFC 2784 §2.2: the payload is handed to the protocol named by the Protocol Type field; an
// IPv4 payload that does not decode is discarded like any malformed IPv4 packet.
describe('GRE input with a malformed inner packet', () => {
  it('drops it with the reason, counts nothing on the tunnel, and the DMVPN overlay stays up', async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/dmvpn-phase2.json', 'utf8'));
    const spoke = lab!.router('Spoke-1')!;
    await lab!.kernel.runUntil(seconds(60));
    const tunnelIn = spoke.countersOf('Tunnel10').packetsIn;
    const from = lab!.kernel.trace.total;
    // Inner "IPv4" of 8 bytes: shorter than an IPv4 header.
    await spoke.receiveFrame('Serial1/0', greFromHub(new Uint8Array([0x45, 0, 0, 8, 0, 0, 0, 0])), 0);
    const records = lab!.kernel.trace.since(from);
    const drop = records.find(
      (r): r is PacketRecord => r.kind === 'packet' && r.event === 'dropped' && r.device === 'Spoke-1',
    );
    expect(drop?.iface).toBe('Serial1/0');
    expect(drop?.reason).toMatch(/^malformed packet: ipv4: truncated/);
    expect(records.some((r) => r.kind === 'problem')).toBe(false);
    expect(spoke.countersOf('Tunnel10').packetsIn).toBe(tunnelIn);
    // The overlay carries on: the hub is still Spoke-1's EIGRP neighbour over the tunnel a minute later.
    await lab!.kernel.runUntil(seconds(120));
    const cli = new CliSession(spoke, { epochMs: lab!.epochMs });
    expect(await cli.execute('show ip eigrp neighbors')).toMatch(/192\.168\.100\.1 +Tu10/);
  });
});
