import { describe, expect, it } from 'vitest';
import { encodeAutoRp } from '../net/autorp';
import { type EspSaKeys, sealEsp } from '../net/esp';
import { encodeGre, GRE_PROTOCOL } from '../net/gre';
import { encodeIgmp } from '../net/igmp';
import { ip, ipPacket } from '../net/codec-fixtures.test-support';
import { IP_PROTO } from '../net/ipv4';
import { encodeNhrp, NHRP_FLAG } from '../net/nhrp';
import { encodePim } from '../net/pim';
import { encodeUdp } from '../net/udp';
import { ownFields } from './tshark-fields.test-support';

/** An IPv4 packet, TTL 255 unless given. */
const packet = (protocol: number, src: string, dst: string, payload: Uint8Array, ttl = 255): Uint8Array =>
  ipPacket(protocol, src, dst, payload, { ttl });

const SA: EspSaKeys = {
  spi: 0x33c8a7b7,
  cipher: '3des',
  encryptionKey: new Uint8Array(24).fill(7),
  auth: 'md5',
  integrityKey: new Uint8Array(16).fill(9),
};

const nhrpRequest = encodeNhrp({
  kind: 'registration-request',
  hopCount: 255,
  sourceNbma: ip('172.27.1.1'),
  sourceProtocol: ip('192.168.100.2'),
  destinationProtocol: ip('192.168.100.1'),
  flags: NHRP_FLAG.REGISTRATION_U,
  requestId: 1,
  cies: [],
  extensions: [],
});

describe('ownFields: our decode in tshark -T fields form', () => {
  it('prints GRE key 123 carrying NHRP as tshark does', async () => {
    const frame = packet(
      IP_PROTO.GRE,
      '172.27.1.1',
      '172.17.1.1',
      encodeGre({ protocolType: GRE_PROTOCOL.NHRP, key: 123, payload: nhrpRequest }),
    );
    const f = await ownFields(frame, new Map());
    expect(f['frame.protocols']).toBe('raw:ip:gre:nhrp');
    expect(f['gre.key']).toBe('0x0000007b');
    expect(f['gre.proto']).toBe('0x2001');
    expect(f['nhrp.hdr.op.type']).toBe('3');
    expect(f['nhrp.src.nbma.addr']).toBe('172.27.1.1');
    expect(f['ip.checksum.status']).toBe('1');
    expect(f['ip.len']).toBe(String(frame.length));
    expect(f['eigrp.opcode']).toBe('');
  });

  it('opens ESP with a known SA and walks inside; without it shows only ESP', async () => {
    const hello = packet(
      IP_PROTO.PIM,
      '192.168.100.1',
      '224.0.0.13',
      encodePim({ kind: 'hello', options: [{ kind: 'holdtime', holdtime: 105 }] }),
      1,
    );
    const greBytes = packet(
      IP_PROTO.GRE,
      '172.17.1.1',
      '172.27.1.1',
      encodeGre({ protocolType: GRE_PROTOCOL.IPV4, key: 123, payload: hello }),
    );
    const espBytes = await sealEsp(SA, 5, new Uint8Array(8).fill(1), greBytes);
    const frame = packet(IP_PROTO.ESP, '172.17.1.1', '172.27.1.1', espBytes);
    const open = await ownFields(frame, new Map([[SA.spi, SA]]));
    expect(open['frame.protocols']).toBe('raw:ip:esp:ip:gre:ip:pim');
    expect(open['ip.proto']).toBe('50;47;103');
    expect(open['ip.src']).toBe('172.17.1.1;172.17.1.1;192.168.100.1');
    expect(open['esp.spi']).toBe('0x33c8a7b7');
    expect(open['esp.sequence']).toBe('5');
    expect(open['esp.icv_good']).toBe('1');
    expect(open['esp.protocol']).toBe('0x04');
    expect(Number(open['esp.pad_len'])).toBe((8 - ((greBytes.length + 2) % 8)) % 8);
    expect(open['pim.type']).toBe('0');
    const closed = await ownFields(frame, new Map());
    expect(closed['frame.protocols']).toBe('raw:ip:esp');
    expect(closed['esp.icv_good']).toBe('');
  });

  it('prints IGMP as igmp:igmp, PIMv1 RP-Reachable as igmp:pim, and Auto-RP RP addresses', async () => {
    const report = await ownFields(
      packet(
        IP_PROTO.IGMP,
        '10.1.1.1',
        '239.10.10.1',
        encodeIgmp({ kind: 'v2-report', group: ip('239.10.10.1') }),
      ),
      new Map(),
    );
    expect(report['frame.protocols']).toBe('raw:ip:igmp:igmp');
    expect(report['igmp.type']).toBe('0x16');
    expect(report['igmp.maddr']).toBe('239.10.10.1');
    const rpReachable = encodeIgmp({
      kind: 'pimv1-rp-reachable',
      group: ip('239.10.10.1'),
      groupMask: ip('255.255.255.255'),
      rp: ip('1.1.1.1'),
      holdtime: 270,
    });
    const pimv1 = await ownFields(packet(IP_PROTO.IGMP, '10.1.1.2', '224.0.0.2', rpReachable), new Map());
    expect(pimv1['frame.protocols']).toBe('raw:ip:igmp:pim');
    expect([pimv1['pim.igmp_type'], pimv1['pim.code'], pimv1['pim.rp']]).toEqual([
      'PIM (0x14)',
      '4',
      '1.1.1.1',
    ]);
    const discovery = encodeAutoRp({
      kind: 'discovery',
      holdtime: 181,
      rps: [
        {
          rp: ip('1.1.1.1'),
          pimVersion: 3,
          groups: [{ prefix: ip('239.0.0.0'), maskLength: 8, negative: false }],
        },
      ],
    });
    const udp = encodeUdp(
      { sourcePort: 496, destinationPort: 496, payload: discovery },
      ip('1.1.1.1'),
      ip('224.0.1.40'),
    );
    const autoRp = await ownFields(packet(IP_PROTO.UDP, '1.1.1.1', '224.0.1.40', udp), new Map());
    expect(autoRp['frame.protocols']).toBe('raw:ip:udp:auto_rp');
    expect([autoRp['auto_rp.type'], autoRp['auto_rp.rp_addr'], autoRp['udp.checksum.status']]).toEqual([
      '2',
      '1.1.1.1',
      '1',
    ]);
  });
});
