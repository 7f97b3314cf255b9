import { describe, expect, it } from 'vitest';
import { encodeAutoRp } from './autorp';
import { fromHex } from './bytes';
import {
  EIGRP_HELLO,
  greFrame,
  ip,
  ipPacket,
  NHRP_REGISTRATION,
  PIM_JOIN_PRUNE,
  PIMV1_RP_REACHABLE,
  EIGRP_LAN_ROUTE,
  PIM_NULL_REGISTER,
} from './codec-fixtures.test-support';
import { dissect, type Layer, summarize } from './dissectors';
import { EIGRP_FLAG, EIGRP_OPCODE, encodeEigrp } from './eigrp';
import { GRE_PROTOCOL } from './gre';
import { encodeIcmp } from './icmp';
import { encodeIgmp } from './igmp';
import { IP_PROTO } from './ipv4';
import { encodeNhrp, nhrpCiscoAuthentication, type NhrpMessage } from './nhrp';
import { encodePim, type PimMessage } from './pim';
import { encodeUdp } from './udp';

/** The registration with only the Responder Address and Authentication extensions. */
const registration: NhrpMessage = {
  ...NHRP_REGISTRATION,
  extensions: [NHRP_REGISTRATION.extensions[0]!, nhrpCiscoAuthentication('cisco123')],
};

const hello: PimMessage = {
  kind: 'hello',
  options: [
    { kind: 'holdtime', holdtime: 105 },
    { kind: 'dr-priority', priority: 100 },
  ],
};

const pim = (m: PimMessage, src: string, dst: string) =>
  ipPacket(IP_PROTO.PIM, src, dst, encodePim(m), { ttl: 1 });

const ping = ipPacket(
  IP_PROTO.ICMP,
  '10.1.7.1',
  '239.10.10.1',
  encodeIcmp({ kind: 'echo-request', identifier: 7, sequence: 0, data: fromHex('abcd') }),
);

function expectRangesInside(layers: Layer[], frameLength: number): void {
  for (const layer of layers) {
    expect(0 <= layer.start && layer.start <= layer.end && layer.end <= frameLength).toBe(true);
    for (const f of layer.fields) {
      expect({
        field: f.name,
        inside: layer.start <= f.start && f.start <= f.end && f.end <= layer.end,
      }).toEqual({
        field: f.name,
        inside: true,
      });
    }
  }
}

function fieldOf(layers: Layer[], name: string) {
  return layers.flatMap((l) => l.fields).find((f) => f.name === name);
}

describe('dissectors.ts summaries', () => {
  const cases: [string, Uint8Array, string[], string][] = [
    [
      'NHRP in GRE',
      greFrame('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, encodeNhrp(registration)),
      ['ipv4', 'gre', 'nhrp'],
      'NHRP Registration Request 172.17.2.2 > 172.17.1.1 src=192.168.100.2 dst=192.168.100.1 id=7',
    ],
    [
      'PIM Hello in GRE',
      greFrame('172.17.1.1', '172.17.2.2', GRE_PROTOCOL.IPV4, pim(hello, '192.168.100.1', '224.0.0.13')),
      ['ipv4', 'gre', 'ipv4', 'pim'],
      'PIM Hello 192.168.100.1 > 224.0.0.13 holdtime=105 dr-priority=100 via gre 172.17.1.1 > 172.17.2.2',
    ],
    [
      'Auto-RP discovery',
      ipPacket(
        IP_PROTO.UDP,
        '1.1.1.1',
        '224.0.1.40',
        encodeUdp(
          {
            sourcePort: 496,
            destinationPort: 496,
            payload: encodeAutoRp({
              kind: 'discovery',
              holdtime: 181,
              rps: [
                {
                  rp: ip('1.1.1.1'),
                  pimVersion: 3,
                  groups: [
                    { prefix: ip('239.0.0.0'), maskLength: 8, negative: false },
                    { prefix: ip('239.1.0.0'), maskLength: 16, negative: true },
                  ],
                },
              ],
            }),
          },
          ip('1.1.1.1'),
          ip('224.0.1.40'),
        ),
      ),
      ['ipv4', 'udp', 'autorp'],
      'Auto-RP RP-Discovery 1.1.1.1 > 224.0.1.40 RP 1.1.1.1 239.0.0.0/8 (-)239.1.0.0/16',
    ],
    [
      'EIGRP Hello',
      ipPacket(IP_PROTO.EIGRP, '192.168.100.1', '224.0.0.10', encodeEigrp(EIGRP_HELLO)),
      ['ipv4', 'eigrp'],
      'EIGRP Hello 192.168.100.1 > 224.0.0.10 AS 10',
    ],
    [
      'EIGRP Update',
      ipPacket(
        IP_PROTO.EIGRP,
        '192.168.100.1',
        '192.168.100.2',
        encodeEigrp({
          opcode: EIGRP_OPCODE.UPDATE,
          flags: EIGRP_FLAG.INIT,
          sequence: 5,
          ack: 0,
          vrid: 0,
          as: 10,
          tlvs: [EIGRP_LAN_ROUTE],
        }),
      ),
      ['ipv4', 'eigrp'],
      'EIGRP Update 192.168.100.1 > 192.168.100.2 AS 10 seq=5 INIT routes=1',
    ],
    [
      'IGMP report',
      ipPacket(
        IP_PROTO.IGMP,
        '192.168.100.2',
        '239.10.10.1',
        encodeIgmp({ kind: 'v2-report', group: ip('239.10.10.1') }),
      ),
      ['ipv4', 'igmp'],
      'IGMP v2 Membership Report 192.168.100.2 > 239.10.10.1 group 239.10.10.1',
    ],
    [
      'PIMv1 RP-Reachable',
      ipPacket(IP_PROTO.IGMP, '1.1.1.1', '224.0.0.2', encodeIgmp(PIMV1_RP_REACHABLE)),
      ['ipv4', 'igmp', 'pim'],
      'PIMv1 RP-Reachable 1.1.1.1 > 224.0.0.2 group 239.10.10.1/32 RP 1.1.1.1 holdtime 270',
    ],
    [
      'PIM Join/Prune',
      pim(PIM_JOIN_PRUNE, '192.168.100.2', '224.0.0.13'),
      ['ipv4', 'pim'],
      'PIM Join/Prune 192.168.100.2 > 224.0.0.13 to 192.168.100.1 join (*,239.10.10.1) prune (10.1.7.1,239.10.10.1,rpt)',
    ],
    [
      'PIM Register (inner packet dissected, as Wireshark does)',
      pim({ kind: 'register', border: false, nullRegister: false, packet: ping }, '192.168.1.1', '1.1.1.1'),
      ['ipv4', 'pim', 'ipv4', 'icmp'],
      'ICMP echo request 10.1.7.1 > 239.10.10.1 id=7 seq=0 via pim 192.168.1.1 > 1.1.1.1',
    ],
    [
      'PIM Null-Register',
      pim(PIM_NULL_REGISTER, '192.168.1.1', '1.1.1.1'),
      ['ipv4', 'pim'],
      'PIM Null-Register 192.168.1.1 > 1.1.1.1 for 10.1.7.1 > 239.10.10.1',
    ],
    [
      'PIM Assert',
      pim(
        {
          kind: 'assert',
          group: { address: ip('239.10.10.1'), maskLength: 32 },
          source: ip('1.1.1.1'),
          rpt: false,
          metricPreference: 90,
          metric: 27008000,
        },
        '192.168.100.1',
        '224.0.0.13',
      ),
      ['ipv4', 'pim'],
      'PIM Assert 192.168.100.1 > 224.0.0.13 (1.1.1.1,239.10.10.1) [90/27008000]',
    ],
    [
      'GRE with an undissected payload',
      greFrame('172.17.1.1', '172.17.2.2', 0x86dd, fromHex('60000000')),
      ['ipv4', 'gre'],
      'GRE 172.17.1.1 > 172.17.2.2 key=123 proto=0x86dd len=4',
    ],
  ];

  it.each(cases)('%s', (_name, frame, protocols, summary) => {
    expect(summarize(frame)).toEqual({ protocols, summary });
    expectRangesInside(dissect(frame), frame.length);
  });
});

describe('dissectors.ts fields', () => {
  it('names fields as Wireshark does, with their byte ranges', () => {
    const frame = greFrame('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, encodeNhrp(registration));
    const layers = dissect(frame);
    expect(fieldOf(layers, 'gre.key')).toMatchObject({ value: '0x0000007b (123)', start: 24, end: 28 });
    expect(fieldOf(layers, 'nhrp.hdr.op.type')).toMatchObject({
      value: 'NHRP Registration Request (3)',
      start: 45,
      end: 46,
    });
    expect(fieldOf(layers, 'nhrp.hdr.chksum')?.value).toMatch(/\[correct\]$/);
    expect(fieldOf(layers, 'nhrp.src.prot.addr')).toMatchObject({
      value: '192.168.100.2',
      start: 28 + 32,
      end: 28 + 36,
    });
    expect(fieldOf(layers, 'nhrp.htime')?.value).toBe('7200');
    expect(fieldOf(layers, 'nhrp.auth_ext.data')?.value).toContain('"cisco123"');
    expect(
      layers
        .flatMap((l) => l.fields)
        .filter((f) => f.name === 'nhrp.ext.type')
        .map((f) => f.value),
    ).toEqual([
      'Responder Address (3, compulsory)',
      'Authentication (7, compulsory)',
      'End of Extension (0, compulsory)',
    ]);
  });

  it('turns a malformed NHRP packet into an error layer after the GRE layer', () => {
    const nhrp = encodeNhrp(registration).subarray(0, 30);
    const frame = greFrame('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, nhrp);
    const layers = dissect(frame);
    expect(layers.map((l) => l.protocol)).toEqual(['ipv4', 'gre', 'nhrp']);
    expect(layers[2]?.error).toMatch(/^nhrp: ar\$pktsz \d+ outside 20\.\.30/);
    expect(summarize(frame).summary).toMatch(/^malformed: nhrp: /);
  });

  it('flags bad checksums of the new protocols in the summary', () => {
    const frame = pim(hello, '192.168.100.1', '224.0.0.13');
    frame[frame.length - 1] = 99; // DR priority 100 -> 99 after the checksum was computed
    expect(summarize(frame).summary).toMatch(/\[bad PIM checksum\]$/);
  });
});
