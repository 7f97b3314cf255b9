/**
 * ISAKMP / GDOI dissector (UDP 500 and 848). Field names follow Wireshark's isakmp.* display filters; an
 * encrypted message (E flag) shows its header and the ciphertext length, as Wireshark does without keys.
 */
import { toHex } from './bytes';
import { field, type Field, type Layer, registerUdpPortDissector } from './dissect';
import { hex } from './dissect-helpers';
import {
  decodeIsakmp,
  EXCHANGE_NAMES,
  GDOI_PORT,
  ISAKMP_FLAG_ENCRYPTION,
  ISAKMP_HEADER_LENGTH,
  ISAKMP_PORT,
  type IsakmpPayload,
  type RawPayload,
} from './isakmp';

const PAYLOAD_NAMES: Readonly<Record<number, string>> = {
  1: 'Security Association',
  4: 'Key Exchange',
  5: 'Identification',
  8: 'Hash',
  9: 'Signature',
  10: 'Nonce',
  11: 'Notification',
  12: 'Delete',
  15: 'SA KEK',
  16: 'SA TEK',
  17: 'Key Download',
  18: 'Sequence Number',
};

function payloadFields(p: IsakmpPayload, raw: RawPayload, base: number): Field[] {
  const s = base + raw.offset;
  const e = s + 4 + raw.body.length;
  const fields = [
    field('isakmp.typepayload', 'Payload', `${PAYLOAD_NAMES[raw.type] ?? 'Unknown'} (${raw.type})`, s, e),
  ];
  switch (p.kind) {
    case 'sa':
      fields.push(field('isakmp.sa.doi', 'Domain of interpretation', p.doi, s + 4, s + 8));
      break;
    case 'gdoi-sa':
      fields.push(field('isakmp.sa.doi', 'Domain of interpretation', 'GDOI (2)', s + 4, s + 8));
      if (p.kek) fields.push(field('isakmp.sak.spi', 'SA KEK SPI', toHex(p.kek.spi), s, e));
      for (const t of p.teks) fields.push(field('isakmp.sat.spi', 'SA TEK SPI', hex(t.spi, 8), s, e));
      break;
    case 'seq':
      fields.push(field('isakmp.seq.seq', 'Sequence Number', p.sequence, s + 4, e));
      break;
    case 'kd':
      fields.push(field('isakmp.kd.num_pkt', 'Number of Key Packets', p.packets.length, s + 4, s + 6));
      break;
    case 'id':
      fields.push(field('isakmp.id.type', 'ID type', p.idType, s + 4, s + 5));
      break;
    case 'hash':
    case 'sig':
    case 'nonce':
    case 'ke':
      fields.push(
        field(
          `isakmp.${p.kind === 'ke' ? 'key_exchange.data' : p.kind}`,
          p.kind.toUpperCase(),
          `${p.data.length} bytes`,
          s + 4,
          e,
        ),
      );
      break;
    default:
      break;
  }
  return fields;
}

function dissectIsakmp(ctx: Parameters<Parameters<typeof registerUdpPortDissector>[1]>[0]): Layer[] {
  const m = decodeIsakmp(ctx.bytes);
  const h = m.header;
  const s = ctx.start;
  const exchange = EXCHANGE_NAMES[h.exchangeType] ?? `exchange ${h.exchangeType}`;
  const fields: Field[] = [
    field('isakmp.ispi', 'Initiator SPI', toHex(h.initiatorCookie), s, s + 8),
    field('isakmp.rspi', 'Responder SPI', toHex(h.responderCookie), s + 8, s + 16),
    field('isakmp.nextpayload', 'Next payload', h.nextPayload, s + 16, s + 17),
    field('isakmp.version', 'Version', `${h.version >> 4}.${h.version & 15}`, s + 17, s + 18),
    field('isakmp.exchangetype', 'Exchange type', `${exchange} (${h.exchangeType})`, s + 18, s + 19),
    field('isakmp.flags', 'Flags', hex(h.flags, 2), s + 19, s + 20),
    field('isakmp.messageid', 'Message ID', hex(h.messageId, 8), s + 20, s + 24),
    field('isakmp.length', 'Length', h.length, s + 24, s + 28),
  ];
  if (h.flags & ISAKMP_FLAG_ENCRYPTION) {
    fields.push(
      field('isakmp.enc.data', 'Encrypted Data', `${h.length - ISAKMP_HEADER_LENGTH} bytes`, s + 28, ctx.end),
    );
  } else {
    m.payloads.forEach((p, i) => fields.push(...payloadFields(p, m.raw[i]!, s)));
  }
  return [
    {
      protocol: 'isakmp',
      title: `Internet Security Association and Key Management Protocol (${exchange})`,
      start: s,
      end: ctx.end,
      fields,
      info: { name: h.exchangeType >= 32 ? 'GDOI' : 'ISAKMP', detail: exchange },
    },
  ];
}

registerUdpPortDissector(ISAKMP_PORT, dissectIsakmp);
registerUdpPortDissector(GDOI_PORT, dissectIsakmp);
