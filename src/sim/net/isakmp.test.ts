import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, fromHex } from './bytes';
import {
  attrNumber,
  attrU32,
  decodeAttributes,
  decodeIsakmp,
  decodeIsakmpHeader,
  encodeAttributes,
  encodeIsakmp,
  EXCHANGE,
  type IsakmpMessage,
  type IsakmpPayload,
  ISAKMP_VERSION,
} from './isakmp';
import { ikeSaPayload } from './codec-fixtures.test-support';
import { DecodeError } from './decode-error';

const cookie = fromHex('0102030405060708');
const header = (exchangeType: number): IsakmpMessage['header'] => ({
  initiatorCookie: cookie,
  responderCookie: fromHex('1112131415161718'),
  version: ISAKMP_VERSION,
  exchangeType,
  flags: 0,
  messageId: exchangeType === EXCHANGE.MAIN_MODE ? 0 : 0x1234abcd,
});

const GDOI_SA: IsakmpPayload = {
  kind: 'gdoi-sa',
  situation: 0,
  kek: {
    protocol: 17,
    source: { idType: 1, port: 848, data: fromHex('01010101') },
    destination: { idType: 1, port: 848, data: fromHex('ef0a0a01') },
    spi: fromHex('00112233445566778899aabbccddeeff'),
    attributes: [{ type: 2, value: 2 }, attrU32(4, 300)],
  },
  teks: [
    {
      protocolId: 1,
      protocol: 47,
      source: { idType: 4, port: 0, data: new Uint8Array(8) },
      destination: { idType: 4, port: 0, data: new Uint8Array(8) },
      transformId: 3,
      spi: 0xf25434bf,
      attributes: [{ type: 1, value: 1 }, attrU32(2, 3600), { type: 14, value: 4 }],
    },
  ],
};

describe('ISAKMP codec', () => {
  it('encodes TV and TLV attributes (RFC 2408 §3.3) and reads them back', () => {
    const w = new ByteWriter();
    encodeAttributes(w, [{ type: 1, value: 5 }, attrU32(12, 86400)]);
    const bytes = w.finish();
    expect(bytes).toEqual(fromHex('80010005 000c0004 00015180'));
    const back = decodeAttributes(new ByteReader(bytes, 'isakmp'));
    expect(back.map(attrNumber)).toEqual([5, 86400]);
  });

  it('round-trips a main-mode SA with one proposal and its transforms', () => {
    const msg: IsakmpMessage = {
      header: header(EXCHANGE.MAIN_MODE),
      payloads: [
        ikeSaPayload([
          { number: 1, id: 1, attributes: [{ type: 1, value: 5 }, attrU32(12, 86400)] },
          { number: 2, id: 1, attributes: [{ type: 1, value: 1 }] },
        ]),
      ],
    };
    const bytes = encodeIsakmp(msg);
    // Header: next payload SA (1), version 0x10, exchange 2, Length covering everything.
    expect(bytes.subarray(16, 20)).toEqual(fromHex('01100200'));
    expect(decodeIsakmpHeader(bytes).length).toBe(bytes.length);
    expect(decodeIsakmp(bytes).payloads).toEqual(msg.payloads);
  });

  it('round-trips a GDOI push chain SEQ, SA(KEK, TEK), KD with 2-octet TEK ID lengths', () => {
    const payloads: IsakmpPayload[] = [
      { kind: 'seq', sequence: 7 },
      GDOI_SA,
      {
        kind: 'kd',
        packets: [
          {
            kdType: 1,
            spi: fromHex('f25434bf'),
            attributes: [{ type: 1, bytes: new Uint8Array(24).fill(1) }],
          },
          {
            kdType: 2,
            spi: new Uint8Array(16).fill(2),
            attributes: [{ type: 2, bytes: new Uint8Array(162) }],
          },
        ],
      },
    ];
    const bytes = encodeIsakmp({ header: header(EXCHANGE.GROUPKEY_PUSH), payloads });
    const decoded = decodeIsakmp(bytes);
    expect(decoded.payloads).toEqual(payloads);
    // SA payload: DOI 2, situation 0, SA attribute next payload 15 (SAK), 2 reserved bytes.
    const sa = decoded.raw[1]!;
    expect(bytes.subarray(sa.offset + 4, sa.offset + 16)).toEqual(fromHex('00000002 00000000 000f0000'));
    // The SAT's source ID: type 4, port 0, length 0x0008 on two octets.
    const satStart = bytes.indexOf(0x2f, sa.offset + 60) + 1;
    expect(bytes.subarray(satStart, satStart + 5)).toEqual(fromHex('04 0000 0008'));
  });

  it('returns an encrypted message as header plus ciphertext and rejects a truncated one', () => {
    const bytes = encodeIsakmp({
      header: { ...header(EXCHANGE.GROUPKEY_PULL), flags: 1 },
      payloads: [{ kind: 'hash', data: new Uint8Array(4) }],
    });
    const d = decodeIsakmp(bytes);
    expect(d.encrypted).toHaveLength(8);
    expect(d.payloads).toEqual([]);
    expect(() => decodeIsakmp(bytes.subarray(0, 30))).toThrow(DecodeError);
  });
});
