/**
 * tshark as an oracle for every wire codec: one pcap (LINKTYPE_RAW) with each message type in IPv4, decoded by
 * the installed tshark, which must show the expected field values, good checksums and no malformed/error expert
 * info. Runs when /usr/bin/tshark exists or GETLAB_REQUIRE_TSHARK=1 (then a missing tshark fails the test).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeAutoRp } from './autorp';
import { fromHex } from './bytes';
import { EIGRP_FLAG, EIGRP_OPCODE, type EigrpMetric, encodeEigrp } from './eigrp';
import { encodeGre, GRE_PROTOCOL } from './gre';
import { encodeIcmp } from './icmp';
import { encodeIgmp, type IgmpMessage } from './igmp';
import { encodeIpv4, IP_PROTO, type Ipv4Header, ipv4Header } from './ipv4';
import { parseIpv4 } from './ipv4-address';
import { encodeNhrp, NHRP_ERROR, NHRP_FLAG, nhrpCiscoAuthentication, type NhrpMessage } from './nhrp';
import { writePcap } from './pcap';
import { encodePim, pimNullRegisterHeader, type PimMessage } from './pim';
import { encodeUdp } from './udp';

const ip = (text: string): number => parseIpv4(text) ?? 0;

const TSHARK = '/usr/bin/tshark';
const runTshark = existsSync(TSHARK) || process.env.GETLAB_REQUIRE_TSHARK === '1';
if (!runTshark) console.warn(`wire-tshark.test.ts: ${TSHARK} not found, the tshark oracle test does not run`);

function packet(
  protocol: number,
  src: string,
  dst: string,
  payload: Uint8Array,
  extra: Partial<Ipv4Header> = {},
) {
  return encodeIpv4({
    header: ipv4Header({ protocol, source: ip(src), destination: ip(dst), ...extra }),
    payload,
  });
}

/** Link-local control traffic as IOS sends it: TTL 1, ToS 0xC0 (reference §2.1, §3.1, §5.1). */
const control = { ttl: 1, tos: 0xc0 };
const routerAlert: Partial<Ipv4Header> = { ...control, options: [{ kind: 'router-alert', value: 0 }] };

function gre(src: string, dst: string, protocolType: number, payload: Uint8Array, withChecksum = false) {
  return packet(IP_PROTO.GRE, src, dst, encodeGre({ protocolType, key: 123, payload, withChecksum }));
}

const registration: NhrpMessage = {
  kind: 'registration-request',
  hopCount: 255,
  sourceNbma: ip('172.17.2.2'),
  sourceProtocol: ip('192.168.100.2'),
  destinationProtocol: ip('192.168.100.1'),
  flags: NHRP_FLAG.REGISTRATION_U,
  requestId: 7,
  cies: [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 7200, preference: 0 }],
  extensions: [
    { kind: 'responder-address', compulsory: true, cies: [] },
    { kind: 'forward-transit-nhs', compulsory: true, cies: [] },
    { kind: 'reverse-transit-nhs', compulsory: true, cies: [] },
    nhrpCiscoAuthentication('cisco123'),
  ],
};

const registrationReply: NhrpMessage = {
  ...registration,
  kind: 'registration-reply',
  extensions: [
    {
      kind: 'responder-address',
      compulsory: true,
      cies: [
        {
          ...registration.cies[0]!,
          clientNbma: ip('172.17.1.1'),
          clientProtocol: ip('192.168.100.1'),
        },
      ],
    },
    { kind: 'forward-transit-nhs', compulsory: true, cies: [] },
    { kind: 'reverse-transit-nhs', compulsory: true, cies: [] },
  ],
};

const resolution: NhrpMessage = {
  ...registration,
  kind: 'resolution-request',
  flags: NHRP_FLAG.RESOLUTION_Q | NHRP_FLAG.RESOLUTION_U,
  destinationProtocol: ip('192.168.100.3'),
  requestId: 8,
  cies: [],
  extensions: [{ kind: 'vendor-private', compulsory: false, vendorId: 0x00000c, data: fromHex('0102') }],
};

const errorIndication: NhrpMessage = {
  kind: 'error-indication',
  hopCount: 255,
  sourceNbma: ip('172.17.1.1'),
  sourceProtocol: ip('192.168.100.1'),
  destinationProtocol: ip('192.168.100.2'),
  errorCode: NHRP_ERROR.AUTHENTICATION_FAILURE,
  errorOffset: 0,
  packet: encodeNhrp(registration),
};

const hubHello: PimMessage = {
  kind: 'hello',
  options: [
    { kind: 'holdtime', holdtime: 105 },
    { kind: 'generation-id', generationId: 0x0badcafe },
    { kind: 'dr-priority', priority: 100 },
    { kind: 'lan-prune-delay', tBit: false, propagationDelay: 500, overrideInterval: 2500 },
    { kind: 'address-list', addresses: [ip('10.9.9.1')] },
  ],
};

const joinPrune: PimMessage = {
  kind: 'join-prune',
  upstreamNeighbor: ip('192.168.100.1'),
  holdtime: 210,
  groups: [
    {
      group: { address: ip('239.10.10.1'), maskLength: 32 },
      joins: [{ address: ip('1.1.1.1'), maskLength: 32, sparse: true, wildcard: true, rpt: true }],
      prunes: [{ address: ip('10.1.7.1'), maskLength: 32, sparse: true, wildcard: false, rpt: true }],
    },
  ],
};

/** The first multicast packet a DR registers: a ping to the group, as the lab's `ping 239.10.10.1`. */
const data = packet(
  IP_PROTO.ICMP,
  '10.1.7.1',
  '239.10.10.1',
  encodeIcmp({ kind: 'echo-request', identifier: 7, sequence: 0, data: fromHex('abcdabcd') }),
  { ttl: 63 },
);

const lanMetric: EigrpMetric = {
  delay: 0x100,
  bandwidth: 0xa00,
  mtu: 1500,
  hopCount: 0,
  reliability: 255,
  load: 1,
  tag: 0,
  flags: 0,
};

const rpMapping = (kind: 'announce' | 'discovery') =>
  encodeAutoRp({
    kind,
    holdtime: 181,
    rps: [
      {
        rp: ip('1.1.1.1'),
        pimVersion: 3,
        groups: [{ prefix: ip('239.0.0.0'), maskLength: 8, negative: false }],
      },
    ],
  });

const igmp = (m: IgmpMessage, dst: string, src = '192.168.100.2') =>
  packet(IP_PROTO.IGMP, src, dst, encodeIgmp(m), routerAlert);

const pim = (m: PimMessage, src: string, dst: string, extra: Partial<Ipv4Header> = control) =>
  packet(IP_PROTO.PIM, src, dst, encodePim(m), extra);

/** Each frame and the tshark field values it must show ('' = field absent). */
const FRAMES: { name: string; bytes: Uint8Array; expect: Record<string, string> }[] = [
  {
    name: 'GRE key 123 / NHRP Registration Request',
    bytes: gre('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, encodeNhrp(registration)),
    expect: {
      'gre.key': '0x0000007b',
      'gre.proto': '0x2001',
      'nhrp.hdr.op.type': '3',
      'nhrp.hdr.chksum.status': '1',
      'nhrp.flag.u': '1',
      'nhrp.src.nbma.addr': '172.17.2.2',
      'nhrp.src.prot.addr': '192.168.100.2',
      'nhrp.dst.prot.addr': '192.168.100.1',
      'nhrp.htime': '7200',
      'nhrp.mtu': '1514',
      'nhrp.auth_ext.spi': '1',
      'nhrp.ext.type': '0x0003,0x0004,0x0005,0x0007,0x0000',
    },
  },
  {
    name: 'GRE key 123 / NHRP Registration Reply',
    bytes: gre('172.17.1.1', '172.17.2.2', GRE_PROTOCOL.NHRP, encodeNhrp(registrationReply)),
    expect: {
      'nhrp.hdr.op.type': '4',
      'nhrp.hdr.chksum.status': '1',
      'nhrp.client.nbma.addr': '172.17.1.1',
      'nhrp.client.prot.addr': '192.168.100.1',
    },
  },
  {
    name: 'GRE / NHRP Resolution Request',
    bytes: gre('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, encodeNhrp(resolution)),
    expect: { 'nhrp.hdr.op.type': '1', 'nhrp.hdr.chksum.status': '1', 'nhrp.vendor_ext.id': '12' },
  },
  {
    name: 'GRE / NHRP Error Indication',
    bytes: gre('172.17.1.1', '172.17.2.2', GRE_PROTOCOL.NHRP, encodeNhrp(errorIndication)),
    expect: { 'nhrp.hdr.op.type': '7,3', 'nhrp.err.code': '11', 'nhrp.hdr.chksum.status': '1,1' },
  },
  {
    name: 'GRE key 123 with checksum / IPv4 / PIM Hello',
    bytes: gre(
      '172.17.1.1',
      '172.17.2.2',
      GRE_PROTOCOL.IPV4,
      pim(hubHello, '192.168.100.1', '224.0.0.13'),
      true,
    ),
    expect: {
      'gre.key': '0x0000007b',
      'gre.proto': '0x0800',
      'gre.checksum.status': '1',
      'ip.src': '172.17.1.1,192.168.100.1',
      'pim.type': '0',
      'pim.cksum.status': '1',
      'pim.holdtime': '105',
      'pim.dr_priority': '100',
      'pim.generation_id': String(0x0badcafe),
      'pim.override_interval': '2500',
      'pim.address_list': '10.9.9.1',
    },
  },
  {
    name: 'EIGRP Hello AS 10',
    bytes: packet(
      IP_PROTO.EIGRP,
      '192.168.100.1',
      '224.0.0.10',
      encodeEigrp({
        opcode: EIGRP_OPCODE.HELLO,
        flags: 0,
        sequence: 0,
        ack: 0,
        vrid: 0,
        as: 10,
        tlvs: [
          { kind: 'parameters', k1: 1, k2: 0, k3: 1, k4: 0, k5: 0, k6: 0, holdTime: 15 },
          { kind: 'software-version', release: [12, 4], tlvVersion: [1, 2] },
        ],
      }),
      control,
    ),
    expect: {
      'eigrp.opcode': '5',
      'eigrp.as': '10',
      'eigrp.checksum.status': '1',
      'eigrp.par.holdtime': '15',
      'eigrp.par.k1': '1',
    },
  },
  {
    name: 'EIGRP Update (internal + external)',
    bytes: packet(
      IP_PROTO.EIGRP,
      '192.168.100.1',
      '192.168.100.2',
      encodeEigrp({
        opcode: EIGRP_OPCODE.UPDATE,
        flags: EIGRP_FLAG.INIT | EIGRP_FLAG.EOT,
        sequence: 5,
        ack: 3,
        vrid: 0,
        as: 10,
        tlvs: [
          { kind: 'sequence', addresses: [ip('192.168.100.3')] },
          { kind: 'next-multicast-sequence', sequence: 6 },
          {
            kind: 'ipv4-internal',
            nextHop: 0,
            metric: lanMetric,
            destination: ip('10.2.2.0'),
            prefixLength: 24,
          },
          {
            kind: 'ipv4-internal',
            nextHop: 0,
            metric: { ...lanMetric, delay: 0xffffffff },
            destination: 0,
            prefixLength: 0,
          },
          {
            kind: 'ipv4-external',
            nextHop: 0,
            external: {
              originatingRouter: ip('2.2.2.2'),
              originatingAs: 0,
              tag: 77,
              externalMetric: 0,
              protocol: 3,
              flags: 0,
            },
            metric: { ...lanMetric, hopCount: 1 },
            destination: ip('172.16.0.0'),
            prefixLength: 12,
          },
        ],
      }),
      control,
    ),
    expect: {
      'eigrp.opcode': '1',
      'eigrp.flags.init': '1',
      'eigrp.flags.eot': '1',
      'eigrp.seq': '5',
      'eigrp.ack': '3',
      'eigrp.checksum.status': '1',
      'eigrp.ipv4.prefixlen': '24,0,12',
      'eigrp.ipv4.destination': '10.2.2.0,0.0.0.0,172.16.0.0',
      'eigrp.old_metric.mtu': '1500,1500,1500',
      'eigrp.extdata.origrid': '2.2.2.2',
      'eigrp.seq.ipv4addr': '192.168.100.3',
      'eigrp.next_mcast_seq': '6',
    },
  },
  {
    name: 'IGMPv2 report',
    bytes: igmp({ kind: 'v2-report', group: ip('239.10.10.1') }, '239.10.10.1'),
    expect: {
      'igmp.type': '0x16',
      'igmp.maddr': '239.10.10.1',
      'igmp.checksum.status': '1',
      'ip.opt.type': '148',
    },
  },
  {
    name: 'IGMPv2 general query',
    bytes: igmp({ kind: 'query', maxResponseTime: 100, group: 0 }, '224.0.0.1', '192.168.100.1'),
    expect: { 'igmp.type': '0x11', 'igmp.version': '2', 'igmp.max_resp': '100', 'igmp.checksum.status': '1' },
  },
  {
    name: 'IGMPv2 leave',
    bytes: igmp({ kind: 'leave', group: ip('239.10.10.1') }, '224.0.0.2'),
    expect: { 'igmp.type': '0x17', 'igmp.maddr': '239.10.10.1', 'igmp.checksum.status': '1' },
  },
  {
    name: 'IGMPv3 query and report',
    bytes: igmp(
      {
        kind: 'v3-query',
        maxResponseCode: 100,
        group: 0,
        suppressRouterSide: false,
        robustness: 2,
        queryIntervalCode: 125,
        sources: [],
      },
      '224.0.0.1',
      '192.168.100.1',
    ),
    expect: {
      'igmp.type': '0x11',
      'igmp.version': '3',
      'igmp.qrv': '2',
      'igmp.qqic': '125',
      'igmp.checksum.status': '1',
    },
  },
  {
    name: 'IGMPv3 report',
    bytes: igmp(
      {
        kind: 'v3-report',
        records: [
          { type: 2, group: ip('239.10.10.1'), sources: [], auxData: new Uint8Array(0) },
          { type: 1, group: ip('232.1.1.1'), sources: [ip('10.1.1.1')], auxData: new Uint8Array(0) },
        ],
      },
      '224.0.0.22',
    ),
    expect: {
      'igmp.type': '0x22',
      'igmp.num_grp_recs': '2',
      'igmp.record_type': '2,1',
      'igmp.saddr': '10.1.1.1',
      'igmp.checksum.status': '1',
    },
  },
  {
    name: 'PIMv1 RP-Reachable in IGMP',
    bytes: packet(
      IP_PROTO.IGMP,
      '1.1.1.1',
      '224.0.0.2',
      encodeIgmp({
        kind: 'pimv1-rp-reachable',
        group: ip('239.10.10.1'),
        groupMask: 0xffffffff,
        rp: ip('1.1.1.1'),
        holdtime: 270,
      }),
      control,
    ),
    expect: {
      'pim.igmp_type': 'PIM (0x14)',
      'pim.version': '1',
      'pim.code': '4',
      'pim.group_address': '239.10.10.1',
      'pim.rp': '1.1.1.1',
      'pim.holdtime': '270',
    },
  },
  {
    name: 'PIM Join/Prune',
    bytes: pim(joinPrune, '192.168.100.2', '224.0.0.13'),
    expect: {
      'pim.type': '3',
      'pim.cksum.status': '1',
      'pim.upstream_neighbor': '192.168.100.1',
      'pim.holdtime': '210',
      'pim.numjoins': '1',
      'pim.numprunes': '1',
      'pim.join_ip': '1.1.1.1',
      'pim.prune_ip': '10.1.7.1',
      'pim.source_addr.flags.w': '1,0',
    },
  },
  {
    name: 'PIM Register with an inner ICMP echo',
    bytes: pim(
      { kind: 'register', border: false, nullRegister: false, packet: data },
      '192.168.1.1',
      '1.1.1.1',
      { ttl: 255 },
    ),
    expect: {
      'pim.type': '1',
      'pim.cksum.status': '1',
      'pim.register_flag.null_register': '0',
      'ip.dst': '1.1.1.1,239.10.10.1',
      'icmp.type': '8',
    },
  },
  {
    name: 'PIM Null-Register',
    bytes: pim(
      {
        kind: 'register',
        border: false,
        nullRegister: true,
        packet: pimNullRegisterHeader(ip('10.1.7.1'), ip('239.10.10.1')),
      },
      '192.168.1.1',
      '1.1.1.1',
      { ttl: 255 },
    ),
    expect: { 'pim.type': '1', 'pim.cksum.status': '1', 'pim.register_flag.null_register': '1' },
  },
  {
    name: 'PIM Register-Stop',
    bytes: pim(
      {
        kind: 'register-stop',
        group: { address: ip('239.10.10.1'), maskLength: 32 },
        source: ip('10.1.7.1'),
      },
      '1.1.1.1',
      '192.168.1.1',
      { ttl: 255, tos: 0xc0 },
    ),
    expect: { 'pim.type': '2', 'pim.cksum.status': '1', 'pim.source': '10.1.7.1' },
  },
  {
    name: 'PIM Assert',
    bytes: pim(
      {
        kind: 'assert',
        group: { address: ip('239.10.10.1'), maskLength: 32 },
        source: ip('1.1.1.1'),
        rpt: true,
        metricPreference: 90,
        metric: 27008000,
      },
      '192.168.100.1',
      '224.0.0.13',
    ),
    expect: {
      'pim.type': '5',
      'pim.cksum.status': '1',
      'pim.rpt': '1',
      'pim.metric_pref': '90',
      'pim.metric': '27008000',
    },
  },
  ...(['announce', 'discovery'] as const).map((kind) => {
    const group = kind === 'announce' ? '224.0.1.39' : '224.0.1.40';
    return {
      name: `Auto-RP ${kind}`,
      bytes: packet(
        IP_PROTO.UDP,
        '1.1.1.1',
        group,
        encodeUdp(
          { sourcePort: 496, destinationPort: 496, payload: rpMapping(kind) },
          ip('1.1.1.1'),
          ip(group),
        ),
        { ttl: 10, tos: 0xc0 },
      ),
      expect: {
        'auto_rp.type': kind === 'announce' ? '1' : '2',
        'auto_rp.holdtime': '181',
        'auto_rp.rp_addr': '1.1.1.1',
        'auto_rp.pim_ver': '3',
        'auto_rp.group_prefix': '239.0.0.0',
        'auto_rp.mask_len': '8',
        'auto_rp.prefix_sign': '0',
      },
    };
  }),
  {
    name: 'GRE key 123 / IPv4 / ICMP echo (data plane)',
    bytes: gre(
      '172.17.2.2',
      '172.17.1.1',
      GRE_PROTOCOL.IPV4,
      packet(
        IP_PROTO.ICMP,
        '192.168.100.2',
        '192.168.100.1',
        encodeIcmp({ kind: 'echo-request', identifier: 1, sequence: 1, data: fromHex('abcd') }),
      ),
    ),
    expect: { 'gre.key': '0x0000007b', 'icmp.type': '8', 'ip.src': '172.17.2.2,192.168.100.2' },
  },
];

const PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];

function tshark(file: string, args: readonly string[]): string {
  return execFileSync(TSHARK, ['-r', file, ...PREFS, ...args], { encoding: 'utf8' });
}

describe('wire codecs decoded by tshark', () => {
  it.runIf(runTshark)(
    'decodes every message type with the expected fields, good checksums and no errors',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'getlab-wire-'));
      try {
        const file = join(dir, 'wire.pcap');
        writeFileSync(
          file,
          writePcap(
            FRAMES.map((f, i) => ({ timeUs: i * 1000, bytes: f.bytes })),
            1_700_000_000,
          ),
        );
        const names = [...new Set(FRAMES.flatMap((f) => Object.keys(f.expect)))];
        const output = tshark(file, [
          '-T',
          'fields',
          '-E',
          'occurrence=a',
          '-E',
          'aggregator=,',
          ...names.flatMap((n) => ['-e', n]),
        ]);
        const rows = output
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => line.split('\t'));
        expect(rows).toHaveLength(FRAMES.length);
        const actual = FRAMES.map((f, i) => ({
          name: f.name,
          fields: Object.fromEntries(
            Object.keys(f.expect).map((k) => [k, rows[i]?.[names.indexOf(k)] ?? '?']),
          ),
        }));
        expect(actual).toEqual(FRAMES.map((f) => ({ name: f.name, fields: f.expect })));
        // No frame may carry a malformed-packet or error-level expert item (bad checksums are errors too).
        const problems = tshark(file, [
          '-Y',
          '_ws.malformed || _ws.expert.severity == "error"',
          '-T',
          'fields',
          '-e',
          'frame.number',
          '-e',
          '_ws.expert.message',
        ]);
        expect(problems).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
