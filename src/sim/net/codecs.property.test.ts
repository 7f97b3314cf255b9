/**
 * Property tests of every wire codec (issue 7 item 4), with fast-check:
 * - round trip: for random field values within each field's range, decode(encode(m)) holds m's fields, and
 *   encoding the decoded message gives the same bytes again (one canonical encoding);
 * - robustness: decoding random bytes, or a valid encoding with bytes changed and/or cut short, either succeeds
 *   or throws a DecodeError, never anything else (no TypeError, RangeError, or endless loop).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutoRpMessage, decodeAutoRp, encodeAutoRp } from './autorp';
import { DecodeError } from './decode-error';
import {
  decodeEigrp,
  EIGRP_TLV,
  type EigrpMetric,
  type EigrpPacket,
  type EigrpTlv,
  encodeEigrp,
} from './eigrp';
import { decodeEsp, type EspSaKeys, encodeEsp, type EspPacket, openEsp, sealEsp } from './esp';
import { decodeGre, encodeGre, type GrePacket } from './gre';
import { decodeIcmp, encodeIcmp, type IcmpMessage } from './icmp';
import { decodeIgmp, encodeIgmp, IGMP_TYPE, type IgmpMessage } from './igmp';
import { decodeIpv4, encodeIpv4, type Ipv4Datagram, type Ipv4Option } from './ipv4';
import {
  type Attribute,
  decodeIsakmp,
  encodeIsakmp,
  EXCHANGE,
  type IdData,
  type IsakmpMessage,
  type IsakmpPayload,
  PAYLOAD,
} from './isakmp';
import { decodeNhrp, encodeNhrp, NHRP_EXT, type NhrpCie, type NhrpExtension, type NhrpMessage } from './nhrp';
import {
  decodePim,
  encodePim,
  PIM_HELLO_OPTION,
  PIM_TYPE,
  type PimEncodedGroup,
  type PimMessage,
} from './pim';
import { decodeUdp, encodeUdp } from './udp';

const RUNS = Number(process.env.GETLAB_PROPERTY_RUNS ?? 300);

// ---- generators of field values (ranges as on the wire) ---------------------------------------------------

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const addr = u32;
const bool = fc.boolean();
const bytes = (maxLength: number, minLength = 0): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength, maxLength });
/** A type number not in `known` (so a raw/other entry does not decode as a known kind). */
const otherType = (max: number, known: readonly number[]): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max }).filter((t) => !known.includes(t));

const ipv4Option: fc.Arbitrary<Ipv4Option> = fc.oneof(
  fc.record({ kind: fc.constant('router-alert' as const), value: u16 }),
  fc.record({ kind: fc.constant('nop' as const) }),
  fc.record({ kind: fc.constant('raw' as const), type: otherType(0xff, [0, 1, 0x94]), data: bytes(6) }),
);

const ipv4Datagram: fc.Arbitrary<Ipv4Datagram> = fc.record({
  header: fc.record({
    tos: u8,
    identification: u16,
    dontFragment: bool,
    moreFragments: bool,
    fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
    ttl: u8,
    protocol: u8,
    source: addr,
    destination: addr,
    // At most 4 options of at most 8 bytes: always within the 40 bytes an IPv4 header has room for.
    options: fc.array(ipv4Option, { maxLength: 4 }),
  }),
  payload: bytes(64),
});

const icmp: fc.Arbitrary<IcmpMessage> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    identifier: u16,
    sequence: u16,
    data: bytes(40),
  }),
  fc.record({
    kind: fc.constant('destination-unreachable' as const),
    code: u8.filter((c) => c !== 4),
    original: bytes(28),
  }),
  fc.record({
    kind: fc.constant('destination-unreachable' as const),
    code: fc.constant(4),
    original: bytes(28),
    nextHopMtu: u16,
  }),
  fc.record({ kind: fc.constant('time-exceeded' as const), code: u8, original: bytes(28) }),
  fc.record({
    kind: fc.constant('other' as const),
    type: otherType(0xff, [0, 3, 8, 11]),
    code: u8,
    body: bytes(20),
  }),
);

const gre: fc.Arbitrary<GrePacket> = fc.record(
  { protocolType: u16, key: u32, sequence: u32, withChecksum: fc.constant(true), payload: bytes(40) },
  { requiredKeys: ['protocolType', 'payload'] },
);

const cie: fc.Arbitrary<NhrpCie> = fc.record(
  {
    code: u8,
    prefixLength: u8,
    mtu: u16,
    holdingTime: u16,
    preference: u8,
    clientNbma: addr,
    clientProtocol: addr,
  },
  { requiredKeys: ['code', 'prefixLength', 'mtu', 'holdingTime', 'preference'] },
);

const nhrpExtension: fc.Arbitrary<NhrpExtension> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'responder-address' as const,
      'forward-transit-nhs' as const,
      'reverse-transit-nhs' as const,
    ),
    compulsory: bool,
    cies: fc.array(cie, { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('authentication' as const), compulsory: bool, spi: u32, data: bytes(8) }),
  fc.record({
    kind: fc.constant('vendor-private' as const),
    compulsory: bool,
    vendorId: fc.integer({ min: 0, max: 0xffffff }),
    data: bytes(8),
  }),
  fc.record({
    kind: fc.constant('other' as const),
    type: otherType(0x3fff, Object.values(NHRP_EXT)),
    compulsory: bool,
    value: bytes(8),
  }),
);

const nhrpCommon = { hopCount: u8, sourceNbma: addr, sourceProtocol: addr, destinationProtocol: addr };

const nhrp: fc.Arbitrary<NhrpMessage> = fc.oneof(
  fc.record({
    ...nhrpCommon,
    kind: fc.constantFrom(
      'resolution-request' as const,
      'resolution-reply' as const,
      'registration-request' as const,
      'registration-reply' as const,
      'purge-request' as const,
      'purge-reply' as const,
    ),
    flags: u16,
    requestId: u32,
    cies: fc.array(cie, { maxLength: 3 }),
    extensions: fc.array(nhrpExtension, { maxLength: 4 }),
  }),
  fc.record({
    ...nhrpCommon,
    kind: fc.constant('error-indication' as const),
    errorCode: u16,
    errorOffset: u16,
    packet: bytes(40),
  }),
);

const eigrpMetric: fc.Arbitrary<EigrpMetric> = fc.record({
  delay: u32,
  bandwidth: u32,
  mtu: fc.integer({ min: 0, max: 0xffffff }),
  hopCount: u8,
  reliability: u8,
  load: u8,
  tag: u8,
  flags: u8,
});

/** A destination with no bits beyond its prefix length (only the significant octets go on the wire). */
const eigrpDestination = fc.tuple(addr, fc.integer({ min: 0, max: 32 })).map(([a, prefixLength]) => {
  const octets = Math.max(1, Math.ceil(prefixLength / 8));
  const mask = octets >= 4 ? 0xffffffff : ~(0xffffffff >>> (8 * octets)) >>> 0;
  return { destination: (a & mask) >>> 0, prefixLength };
});

const eigrpTlv: fc.Arbitrary<EigrpTlv> = fc.oneof(
  fc.record({
    kind: fc.constant('parameters' as const),
    k1: u8,
    k2: u8,
    k3: u8,
    k4: u8,
    k5: u8,
    k6: u8,
    holdTime: u16,
  }),
  fc.record({
    kind: fc.constant('software-version' as const),
    release: fc.tuple(u8, u8),
    tlvVersion: fc.tuple(u8, u8),
  }),
  fc.record({ kind: fc.constant('sequence' as const), addresses: fc.array(addr, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('next-multicast-sequence' as const), sequence: u32 }),
  fc.record({ kind: fc.constant('authentication' as const), value: bytes(24) }),
  fc
    .tuple(addr, eigrpMetric, eigrpDestination)
    .map(([nextHop, metric, d]) => ({ kind: 'ipv4-internal' as const, nextHop, metric, ...d })),
  fc
    .tuple(
      addr,
      eigrpMetric,
      eigrpDestination,
      fc.record({
        originatingRouter: addr,
        originatingAs: u32,
        tag: u32,
        externalMetric: u32,
        protocol: u8,
        flags: u8,
      }),
    )
    .map(([nextHop, metric, d, external]) => ({
      kind: 'ipv4-external' as const,
      nextHop,
      external,
      metric,
      ...d,
    })),
  fc.record({
    kind: fc.constant('other' as const),
    type: otherType(0xffff, Object.values(EIGRP_TLV)),
    value: bytes(12),
  }),
);

const eigrp: fc.Arbitrary<EigrpPacket> = fc.record({
  opcode: u8,
  flags: u32,
  sequence: u32,
  ack: u32,
  vrid: u16,
  as: u16,
  tlvs: fc.array(eigrpTlv, { maxLength: 4 }),
});

const igmp: fc.Arbitrary<IgmpMessage> = fc.oneof(
  fc.record({ kind: fc.constant('query' as const), maxResponseTime: u8, group: addr }),
  fc.record({
    kind: fc.constant('v3-query' as const),
    maxResponseCode: u8,
    group: addr,
    suppressRouterSide: bool,
    robustness: fc.integer({ min: 0, max: 7 }),
    queryIntervalCode: u8,
    sources: fc.array(addr, { maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constantFrom('v1-report' as const, 'v2-report' as const, 'leave' as const),
    group: addr,
  }),
  fc.record({
    kind: fc.constant('v3-report' as const),
    records: fc.array(
      fc.record({
        type: u8,
        group: addr,
        sources: fc.array(addr, { maxLength: 3 }),
        auxData: fc.integer({ min: 0, max: 3 }).chain((words) => bytes(words * 4, words * 4)),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('pimv1-rp-reachable' as const),
    group: addr,
    groupMask: addr,
    rp: addr,
    holdtime: u16,
  }),
  fc.record({ kind: fc.constant('pimv1' as const), code: u8.filter((c) => c !== 4), body: bytes(20) }),
  fc.record({
    kind: fc.constant('other' as const),
    type: otherType(0xff, Object.values(IGMP_TYPE)),
    code: u8,
    body: bytes(20),
  }),
);

const pimGroup: fc.Arbitrary<PimEncodedGroup> = fc.record(
  { address: addr, maskLength: u8, bidirectional: fc.constant(true), adminScope: fc.constant(true) },
  { requiredKeys: ['address', 'maskLength'] },
);
const pimSource = fc.record({ address: addr, maskLength: u8, sparse: bool, wildcard: bool, rpt: bool });

const pim: fc.Arbitrary<PimMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('hello' as const),
    options: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('holdtime' as const), holdtime: u16 }),
        fc.record({
          kind: fc.constant('lan-prune-delay' as const),
          tBit: bool,
          propagationDelay: fc.integer({ min: 0, max: 0x7fff }),
          overrideInterval: u16,
        }),
        fc.record({ kind: fc.constant('dr-priority' as const), priority: u32 }),
        fc.record({ kind: fc.constant('generation-id' as const), generationId: u32 }),
        fc.record({
          kind: fc.constant('address-list' as const),
          addresses: fc.array(addr, { maxLength: 3 }),
        }),
        fc.record({
          kind: fc.constant('other' as const),
          type: otherType(0xffff, Object.values(PIM_HELLO_OPTION)),
          value: bytes(8),
        }),
      ),
      { maxLength: 5 },
    ),
  }),
  fc.record({ kind: fc.constant('register' as const), border: bool, nullRegister: bool, packet: bytes(40) }),
  fc.record({ kind: fc.constant('register-stop' as const), group: pimGroup, source: addr }),
  fc.record({
    kind: fc.constant('join-prune' as const),
    upstreamNeighbor: addr,
    holdtime: u16,
    groups: fc.array(
      fc.record({
        group: pimGroup,
        joins: fc.array(pimSource, { maxLength: 3 }),
        prunes: fc.array(pimSource, { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('assert' as const),
    group: pimGroup,
    source: addr,
    rpt: bool,
    metricPreference: fc.integer({ min: 0, max: 0x7fffffff }),
    metric: u32,
  }),
  fc.record({
    kind: fc.constant('other' as const),
    type: otherType(0xf, Object.values(PIM_TYPE)),
    body: bytes(20),
  }),
);

const autoRp: fc.Arbitrary<AutoRpMessage> = fc.record({
  kind: fc.constantFrom('announce' as const, 'discovery' as const),
  holdtime: u16,
  rps: fc.array(
    fc.record({
      rp: addr,
      pimVersion: fc.integer({ min: 0, max: 3 }),
      groups: fc.array(
        fc.record(
          { prefix: addr, maskLength: u8, negative: bool, bidir: fc.constant(true) },
          { requiredKeys: ['prefix', 'maskLength', 'negative'] },
        ),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
});

const attribute: fc.Arbitrary<Attribute> = fc.oneof(
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), value: u16 }),
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), bytes: bytes(8) }),
);
const attributes = fc.array(attribute, { maxLength: 4 });
const idData = (maxData: number): fc.Arbitrary<IdData> =>
  fc.record({ idType: u8, port: u16, data: bytes(maxData) });

/** Payloads valid in every exchange; SA payloads depend on the exchange (IKE proposals or GDOI SA KEK/TEK). */
const commonPayload: fc.Arbitrary<IsakmpPayload> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('ke' as const, 'hash' as const, 'sig' as const, 'nonce' as const),
    data: bytes(24),
  }),
  fc.record({ kind: fc.constant('id' as const), protocol: u8, idType: u8, port: u16, data: bytes(8) }),
  fc.record({
    kind: fc.constant('notification' as const),
    doi: u32,
    protocolId: u8,
    messageType: u16,
    spi: bytes(8),
    data: bytes(8),
  }),
  fc
    .tuple(u32, u8, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 }))
    .chain(([doi, protocolId, spiSize, n]) =>
      fc.record({
        kind: fc.constant('delete' as const),
        doi: fc.constant(doi),
        protocolId: fc.constant(protocolId),
        spiSize: fc.constant(spiSize),
        spis: fc.array(bytes(spiSize, spiSize), { minLength: n, maxLength: n }),
      }),
    ),
  fc.record({ kind: fc.constant('seq' as const), sequence: u32 }),
  fc.record({
    kind: fc.constant('kd' as const),
    packets: fc.array(fc.record({ kdType: u8, spi: bytes(16), attributes }), { maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    type: otherType(0xff, [...Object.values(PAYLOAD), 0]),
    body: bytes(16),
  }),
);

const ikeSa: fc.Arbitrary<IsakmpPayload> = fc.record({
  kind: fc.constant('sa' as const),
  doi: u32,
  situation: u32,
  proposals: fc.array(
    fc.record({
      number: u8,
      protocolId: u8,
      spi: bytes(8),
      transforms: fc.array(fc.record({ number: u8, id: u8, attributes }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

const gdoiSa: fc.Arbitrary<IsakmpPayload> = fc.record(
  {
    kind: fc.constant('gdoi-sa' as const),
    situation: u32,
    kek: fc.record({
      protocol: u8,
      source: idData(8),
      destination: idData(8),
      spi: bytes(16, 16),
      attributes,
    }),
    teks: fc.array(
      fc.record({
        protocolId: u8,
        protocol: u8,
        source: idData(8),
        destination: idData(8),
        transformId: u8,
        spi: u32,
        attributes,
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['kind', 'situation', 'teks'] },
);

const header = (exchangeType: fc.Arbitrary<number>) =>
  fc.record({
    initiatorCookie: bytes(8, 8),
    responderCookie: bytes(8, 8),
    version: fc.integer({ min: 0x10, max: 0x1f }), // major version 1 (RFC 2408 §3.1), any minor
    exchangeType,
    flags: u8.map((f) => f & ~1), // plaintext: the E flag would make the payloads opaque
    messageId: u32,
  });

const isakmp: fc.Arbitrary<IsakmpMessage> = fc.oneof(
  fc.record({
    header: header(fc.constant(EXCHANGE.MAIN_MODE)),
    payloads: fc.array(fc.oneof(commonPayload, ikeSa), { maxLength: 4 }),
  }),
  fc.record({
    header: header(fc.constantFrom(EXCHANGE.GROUPKEY_PULL, EXCHANGE.GROUPKEY_PUSH)),
    payloads: fc.array(fc.oneof(commonPayload, gdoiSa), { maxLength: 4 }),
  }),
);

const ivLength = fc.constantFrom(0, 8, 16);
const icvLength = fc.constantFrom(12, 16);
const esp: fc.Arbitrary<{ packet: EspPacket; iv: number; icv: number }> = fc
  .tuple(ivLength, icvLength)
  .chain(([iv, icv]) =>
    fc.record({
      iv: fc.constant(iv),
      icv: fc.constant(icv),
      packet: fc.record({
        spi: u32,
        sequence: u32,
        iv: bytes(iv, iv),
        ciphertext: bytes(48),
        icv: bytes(icv, icv),
      }),
    }),
  );

// ---- the two properties ------------------------------------------------------------------------------------

/** decode(encode(m)) holds m's fields (decoders add checksum/length fields) and re-encodes to the same bytes. */
function roundTrip<T extends object>(
  arb: fc.Arbitrary<T>,
  encode: (m: T) => Uint8Array,
  decode: (b: Uint8Array) => object,
): void {
  fc.assert(
    fc.property(arb, (m) => {
      const wire = encode(m);
      const decoded = decode(wire);
      expect(decoded).toMatchObject(m);
      expect(encode(decoded as T)).toEqual(wire);
    }),
    { numRuns: RUNS },
  );
}

/** Runs `decode`; anything thrown must be a DecodeError. */
function decodesOrRejects(decode: (b: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input);
  } catch (e) {
    if (!(e instanceof DecodeError))
      throw new Error(`threw ${String(e)} instead of a DecodeError`, { cause: e });
  }
}

/** A valid encoding with a few bytes replaced, and maybe cut short or extended. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), u8), { maxLength: 4 }),
      fc.option(fc.nat(), { nil: undefined }),
      bytes(4),
    )
    .map(([b, edits, cut, tail]) => {
      const out = b.slice();
      for (const [i, v] of edits) if (out.length > 0) out[i % out.length] = v;
      if (cut !== undefined) return out.subarray(0, cut % (out.length + 1));
      const grown = new Uint8Array(out.length + tail.length);
      grown.set(out);
      grown.set(tail, out.length);
      return grown;
    });
}

function neverThrowsOtherThanDecodeError(
  decode: (b: Uint8Array) => unknown,
  valid: fc.Arbitrary<Uint8Array>,
): void {
  fc.assert(
    fc.property(fc.oneof(bytes(96), mutated(valid)), (input) => decodesOrRejects(decode, input)),
    { numRuns: RUNS * 2 },
  );
}

const SRC = 0x0a010101;
const DST = 0xe0000128;

interface Codec {
  readonly name: string;
  readonly roundTrip: () => void;
  readonly decode: (b: Uint8Array) => unknown;
  readonly valid: fc.Arbitrary<Uint8Array>;
}

const codec = <T extends object>(
  name: string,
  arb: fc.Arbitrary<T>,
  encode: (m: T) => Uint8Array,
  decode: (b: Uint8Array) => object,
): Codec => ({ name, roundTrip: () => roundTrip(arb, encode, decode), decode, valid: arb.map(encode) });

const CODECS: Codec[] = [
  codec('IPv4', ipv4Datagram, encodeIpv4, decodeIpv4),
  codec(
    'UDP',
    fc.record({ sourcePort: u16, destinationPort: u16, payload: bytes(64) }),
    (m) => encodeUdp(m, SRC, DST),
    (b) => decodeUdp(b, SRC, DST),
  ),
  codec('ICMP', icmp, encodeIcmp, decodeIcmp),
  codec('GRE', gre, encodeGre, decodeGre),
  codec('NHRP', nhrp, encodeNhrp, decodeNhrp),
  codec('EIGRP', eigrp, encodeEigrp, decodeEigrp),
  codec('IGMP (and PIMv1 RP-Reachable)', igmp, encodeIgmp, decodeIgmp),
  codec('PIMv2', pim, encodePim, decodePim),
  codec('Auto-RP', autoRp, encodeAutoRp, decodeAutoRp),
  codec('ISAKMP/GDOI', isakmp, encodeIsakmp, decodeIsakmp),
  {
    name: 'ESP',
    roundTrip: () =>
      fc.assert(
        fc.property(esp, ({ packet, iv, icv }) => {
          const wire = encodeEsp(packet);
          expect(decodeEsp(wire, iv, icv)).toEqual(packet);
        }),
        { numRuns: RUNS },
      ),
    decode: (b) => decodeEsp(b, 8, 12),
    valid: esp.map(({ packet }) => encodeEsp(packet)),
  },
];

describe('wire codecs: encode → decode round trip over random field values', () => {
  for (const c of CODECS) it(c.name, () => c.roundTrip());
});

describe('wire codecs: random or mutated bytes decode or throw DecodeError, nothing else', () => {
  for (const c of CODECS) it(c.name, () => neverThrowsOtherThanDecodeError(c.decode, c.valid));
});

describe('ESP seal/open', () => {
  const sa: fc.Arbitrary<EspSaKeys> = fc.oneof(
    fc.record({
      spi: u32,
      cipher: fc.constant('3des' as const),
      encryptionKey: bytes(24, 24),
      auth: fc.constant('md5' as const),
      integrityKey: bytes(16, 16),
    }),
    fc.record({
      spi: u32,
      cipher: fc.constant('aes' as const),
      encryptionKey: fc.constantFrom(16, 24, 32).chain((n) => bytes(n, n)),
      auth: fc.constantFrom('sha1' as const, 'sha256' as const),
      integrityKey: fc.constantFrom(20, 32).chain((n) => bytes(n, n)),
    }),
  );

  it('opens what it seals (any payload, any SA), and rejects any changed byte without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        sa,
        u32,
        bytes(16, 16),
        bytes(80),
        fc.nat(),
        async (keys, sequence, iv, payload, at) => {
          const sealed = await sealEsp(
            keys,
            sequence,
            iv.subarray(0, keys.cipher === 'aes' ? 16 : 8),
            payload,
          );
          const opened = await openEsp(keys, sealed);
          expect(opened.ok && [...opened.payload]).toEqual([...payload]);
          const altered = sealed.slice();
          altered[at % altered.length]! ^= 0x01;
          const rejected = await openEsp(keys, altered);
          expect(rejected.ok).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
