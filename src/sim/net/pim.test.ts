import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { internetChecksum } from './checksum';
import { DecodeError } from './decode-error';
import { encodeIpv4, IP_PROTO, ipv4Header } from './ipv4';
import { ip, PIM_STAR_G_JOIN } from './codec-fixtures.test-support';
import { decodePim, encodePim, type PimMessage, pimTitle } from './pim';

const hubHello: PimMessage = {
  kind: 'hello',
  options: [
    { kind: 'holdtime', holdtime: 105 },
    { kind: 'dr-priority', priority: 100 },
    { kind: 'generation-id', generationId: 0x0badcafe },
    { kind: 'other', type: 21, value: fromHex('01000000') }, // State-Refresh v1, interval 0
  ],
};

const starGJoin = PIM_STAR_G_JOIN;

const inner = encodeIpv4({
  header: ipv4Header({
    protocol: IP_PROTO.UDP,
    source: ip('10.1.7.1'),
    destination: ip('225.2.2.2'),
    ttl: 63,
  }),
  payload: fromHex('1388 1388 000c 0000 01020304'),
});

describe('PIMv2', () => {
  it('encodes the hub hello of the reference byte for byte (checksum 0x073c)', () => {
    expect(toHex(encodePim(hubHello), ' ')).toBe(
      '20 00 07 3c 00 01 00 02 00 69 00 13 00 04 00 00 00 64 00 14 00 04 0b ad ca fe 00 15 00 04 01 00 00 00',
    );
    expect(decodePim(encodePim(hubHello))).toEqual({
      ...hubHello,
      version: 2,
      checksum: 0x073c,
      checksumValid: true,
    });
    expect(pimTitle(hubHello)).toBe('Hello');
  });

  it('round-trips LAN Prune Delay and Address List options', () => {
    const m: PimMessage = {
      kind: 'hello',
      options: [
        { kind: 'lan-prune-delay', tBit: true, propagationDelay: 500, overrideInterval: 2500 },
        { kind: 'address-list', addresses: [ip('10.0.0.1'), ip('10.0.0.2')] },
        { kind: 'holdtime', holdtime: 0 },
      ],
    };
    const bytes = encodePim(m);
    expect(toHex(bytes.subarray(4, 12))).toBe('0002000481f409c4');
    expect(decodePim(bytes)).toMatchObject({ ...m, checksumValid: true });
  });

  // RFC 7761 §4.9.5; the (*,G) source flags S|W|R as IOS packet captures show them.
  it('encodes the scenario (*,239.10.10.1) join byte for byte', () => {
    expect(toHex(encodePim(starGJoin))).toBe(
      '2300b233' + '0100c0a86401' + '000100d2' + '01000020ef0a0a01' + '00010000' + '0100072001010101',
    );
    expect(decodePim(encodePim(starGJoin))).toMatchObject({ ...starGJoin, checksumValid: true });
  });

  it('round-trips an SPT switchover join/prune with (S,G) join and (S,G,rpt) prune', () => {
    const m: PimMessage = {
      kind: 'join-prune',
      upstreamNeighbor: ip('10.0.12.1'),
      holdtime: 210,
      groups: [
        {
          group: { address: ip('225.2.2.2'), maskLength: 32 },
          joins: [{ address: ip('10.0.0.5'), maskLength: 32, sparse: true, wildcard: true, rpt: true }],
          prunes: [{ address: ip('10.1.7.1'), maskLength: 32, sparse: true, wildcard: false, rpt: true }],
        },
        {
          group: { address: ip('239.3.3.3'), maskLength: 32, bidirectional: true, adminScope: true },
          joins: [{ address: ip('10.10.10.122'), maskLength: 32, sparse: true, wildcard: false, rpt: false }],
          prunes: [],
        },
      ],
    };
    const bytes = encodePim(m);
    // Second group at 4 + 6 + 4 + (8 + 4 + 2 * 8) = 42: its flags byte carries B (0x80) and Z (0x01).
    expect(bytes[44]).toBe(0x81);
    expect(decodePim(bytes)).toMatchObject({ ...m, checksumValid: true });
  });

  it('checksums only the first 8 bytes of a Register (RFC 7761 §4.9.3) and keeps the inner packet', () => {
    const m: PimMessage = { kind: 'register', border: false, nullRegister: false, packet: inner };
    const bytes = encodePim(m);
    expect(internetChecksum(bytes.subarray(0, 8))).toBe(0);
    expect(internetChecksum(bytes)).not.toBe(0);
    expect(decodePim(bytes)).toMatchObject({ ...m, checksumValid: true });
    const nullRegister = encodePim({
      kind: 'register',
      border: true,
      nullRegister: true,
      packet: inner.subarray(0, 20),
    });
    expect(toHex(nullRegister.subarray(4, 8))).toBe('c0000000');
    expect(decodePim(nullRegister)).toMatchObject({ border: true, nullRegister: true, checksumValid: true });
    expect(pimTitle(decodePim(nullRegister))).toBe('Null-Register');
  });

  it('round-trips Register-Stop and Assert (RPT bit, preference, metric)', () => {
    const stop: PimMessage = {
      kind: 'register-stop',
      group: { address: ip('239.10.10.10'), maskLength: 32 },
      source: ip('10.10.10.122'),
    };
    expect(decodePim(encodePim(stop))).toMatchObject({ ...stop, checksumValid: true });
    const assert: PimMessage = {
      kind: 'assert',
      group: { address: ip('239.3.3.3'), maskLength: 32 },
      source: ip('192.168.1.1'),
      rpt: true,
      metricPreference: 110,
      metric: 2,
    };
    const bytes = encodePim(assert);
    expect(toHex(bytes.subarray(18, 26))).toBe('8000006e00000002');
    expect(decodePim(bytes)).toMatchObject({ ...assert, checksumValid: true });
  });

  it('keeps other types raw and detects a bad checksum', () => {
    const bsr: PimMessage = { kind: 'other', type: 4, body: fromHex('00010000') };
    expect(decodePim(encodePim(bsr))).toMatchObject({ ...bsr, checksumValid: true });
    const bytes = encodePim(hubHello);
    bytes[9] = 0x6a;
    expect(decodePim(bytes).checksumValid).toBe(false);
  });

  it('throws DecodeError on truncated input, PIMv1 and non-IPv4 encodings', () => {
    const join = encodePim(starGJoin);
    expect(() => decodePim(join.subarray(0, 3))).toThrow(DecodeError);
    expect(() => decodePim(join.subarray(0, join.length - 1))).toThrow(
      expect.objectContaining({ protocol: 'pim', offset: 30 }),
    );
    expect(() => decodePim(fromHex('1000 0000'))).toThrow(/version 1/);
    const v6 = join.slice();
    v6[4] = 2;
    expect(() => decodePim(v6)).toThrow(expect.objectContaining({ offset: 4 }));
    expect(() => decodePim(encodePim(hubHello).subarray(0, 12))).toThrow(DecodeError);
  });
});
