/**
 * tshark as an oracle for every wire codec: each message type in IPv4, decoded by the installed tshark, which
 * must show the expected field values, good checksums and no malformed/error expert info (see
 * tshark-oracle.test-support.ts for when it runs).
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from './bytes';
import {
  EIGRP_HELLO,
  EIGRP_LAN_METRIC,
  encodedAutoRpMapping,
  greFrame,
  ip,
  ipPacket,
  LINK_LOCAL,
  NHRP_AUTHENTICATED_REGISTRATION,
  NHRP_REGISTRATION,
  NHRP_REGISTRATION_REPLY,
  PIM_JOIN_PRUNE,
  ROUTER_ALERT,
  PIMV1_RP_REACHABLE,
  EIGRP_EXTERNAL_DATA,
  EIGRP_LAN_ROUTE,
  PIM_NULL_REGISTER,
  nhrpAuthenticationFailure,
} from './codec-fixtures.test-support';
import { EIGRP_FLAG, EIGRP_OPCODE, encodeEigrp } from './eigrp';
import { GRE_PROTOCOL } from './gre';
import { encodeIcmp } from './icmp';
import { encodeIgmp, type IgmpMessage } from './igmp';
import { IP_PROTO, type Ipv4Header } from './ipv4';
import { encodeNhrp, NHRP_FLAG, type NhrpMessage } from './nhrp';
import { encodePim, type PimMessage } from './pim';
import { askTshark, expectedOracle, type OracleFrame, tsharkRuns } from './tshark-oracle.test-support';
import { encodeUdp } from './udp';

const runTshark = tsharkRuns('wire-tshark.test.ts');

const resolution: NhrpMessage = {
  ...NHRP_REGISTRATION,
  kind: 'resolution-request',
  flags: NHRP_FLAG.RESOLUTION_Q | NHRP_FLAG.RESOLUTION_U,
  destinationProtocol: ip('192.168.100.3'),
  requestId: 8,
  cies: [],
  extensions: [{ kind: 'vendor-private', compulsory: false, vendorId: 0x00000c, data: fromHex('0102') }],
};

const errorIndication = nhrpAuthenticationFailure(encodeNhrp(NHRP_AUTHENTICATED_REGISTRATION), 0);

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

/** The first multicast packet a DR registers: a ping to the group, as the lab's `ping 239.10.10.1`. */
const data = ipPacket(
  IP_PROTO.ICMP,
  '10.1.7.1',
  '239.10.10.1',
  encodeIcmp({ kind: 'echo-request', identifier: 7, sequence: 0, data: fromHex('abcdabcd') }),
  { ttl: 63 },
);

const igmp = (m: IgmpMessage, dst: string, src = '192.168.100.2') =>
  ipPacket(IP_PROTO.IGMP, src, dst, encodeIgmp(m), ROUTER_ALERT);

const pim = (m: PimMessage, src: string, dst: string, extra: Partial<Ipv4Header> = LINK_LOCAL) =>
  ipPacket(IP_PROTO.PIM, src, dst, encodePim(m), extra);

/** Each frame and the tshark field values it must show ('' = field absent). */
const FRAMES: OracleFrame[] = [
  {
    name: 'GRE key 123 / NHRP Registration Request',
    bytes: greFrame(
      '172.17.2.2',
      '172.17.1.1',
      GRE_PROTOCOL.NHRP,
      encodeNhrp(NHRP_AUTHENTICATED_REGISTRATION),
    ),
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
    bytes: greFrame('172.17.1.1', '172.17.2.2', GRE_PROTOCOL.NHRP, encodeNhrp(NHRP_REGISTRATION_REPLY)),
    expect: {
      'nhrp.hdr.op.type': '4',
      'nhrp.hdr.chksum.status': '1',
      'nhrp.client.nbma.addr': '172.17.1.1',
      'nhrp.client.prot.addr': '192.168.100.1',
    },
  },
  {
    name: 'GRE / NHRP Resolution Request',
    bytes: greFrame('172.17.2.2', '172.17.1.1', GRE_PROTOCOL.NHRP, encodeNhrp(resolution)),
    expect: { 'nhrp.hdr.op.type': '1', 'nhrp.hdr.chksum.status': '1', 'nhrp.vendor_ext.id': '12' },
  },
  {
    name: 'GRE / NHRP Error Indication',
    bytes: greFrame('172.17.1.1', '172.17.2.2', GRE_PROTOCOL.NHRP, encodeNhrp(errorIndication)),
    expect: { 'nhrp.hdr.op.type': '7,3', 'nhrp.err.code': '11', 'nhrp.hdr.chksum.status': '1,1' },
  },
  {
    name: 'GRE key 123 with checksum / IPv4 / PIM Hello',
    bytes: greFrame(
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
    bytes: ipPacket(IP_PROTO.EIGRP, '192.168.100.1', '224.0.0.10', encodeEigrp(EIGRP_HELLO), LINK_LOCAL),
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
    bytes: ipPacket(
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
          EIGRP_LAN_ROUTE,
          {
            kind: 'ipv4-internal',
            nextHop: 0,
            metric: { ...EIGRP_LAN_METRIC, delay: 0xffffffff },
            destination: 0,
            prefixLength: 0,
          },
          {
            kind: 'ipv4-external',
            nextHop: 0,
            external: EIGRP_EXTERNAL_DATA,
            metric: { ...EIGRP_LAN_METRIC, hopCount: 1 },
            destination: ip('172.16.0.0'),
            prefixLength: 12,
          },
        ],
      }),
      LINK_LOCAL,
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
    bytes: ipPacket(IP_PROTO.IGMP, '1.1.1.1', '224.0.0.2', encodeIgmp(PIMV1_RP_REACHABLE), LINK_LOCAL),
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
    bytes: pim(PIM_JOIN_PRUNE, '192.168.100.2', '224.0.0.13'),
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
    bytes: pim(PIM_NULL_REGISTER, '192.168.1.1', '1.1.1.1', { ttl: 255 }),
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
      bytes: ipPacket(
        IP_PROTO.UDP,
        '1.1.1.1',
        group,
        encodeUdp(
          { sourcePort: 496, destinationPort: 496, payload: encodedAutoRpMapping(kind) },
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
    bytes: greFrame(
      '172.17.2.2',
      '172.17.1.1',
      GRE_PROTOCOL.IPV4,
      ipPacket(
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

describe('wire codecs decoded by tshark', () => {
  it.runIf(runTshark)(
    'decodes every message type with the expected fields, good checksums and no errors',
    () => {
      expect(askTshark(FRAMES, PREFS)).toEqual(expectedOracle(FRAMES));
    },
  );
});
