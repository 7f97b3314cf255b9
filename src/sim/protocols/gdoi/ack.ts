/**
 * The GROUPKEY-PUSH acknowledgement a member returns for a unicast rekey (RFC 8263 §2, figure "HDR, HASH, SEQ,
 * ID"), so that the key server knows who holds the new keys and can drop members that stop answering
 * (Cisco, "GET VPN GM Removal and Policy Trigger": in unicast mode the KS drops a GM after 3 missed ACKs).
 *
 *   HDR   cookies = the KEK SPI of the push acknowledged, exchange GROUPKEY-PUSH-ACK, M-ID 0, not encrypted
 *   HASH  prf(ack_key, SEQ | ID)       SEQ and ID as whole payloads, as PULL hashes cover payloads
 *   SEQ   the sequence number of the push acknowledged
 *   ID    ID_IPV4_ADDR of the member
 *
 * ack_key = prf(SKEYID_a, "GROUPKEY-PUSH ACK" | CKY-I | CKY-R) of the ISAKMP SA the member registered under,
 * which both ends hold. RFC 8263 derives its ack key from the registration in this shape; the exact inputs, the
 * exchange number and Cisco's own pre-RFC encoding are not verified [M]. Only GETLab speaks this on both ends.
 */
import { equalBytes, hmac } from '../../crypto';
import { concatBytes, readU32 } from '../../net/bytes';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import {
  type DecodedIsakmp,
  encodeIsakmp,
  encodePayloads,
  EXCHANGE,
  ID_TYPE,
  type IsakmpPayload,
  ISAKMP_VERSION,
  PAYLOAD,
  u32Bytes,
} from '../../net/isakmp';
import type { IkeSa } from '../ike/ike-sa';

const LABEL = new TextEncoder().encode('GROUPKEY-PUSH ACK');

async function ackHash(sa: IkeSa, seq: number, member: Ipv4): Promise<Uint8Array> {
  const hash = sa.policy!.hash;
  const ackKey = await hmac(hash, sa.keys!.skeyidA, concatBytes(LABEL, sa.cookieI, sa.cookieR));
  return hmac(hash, ackKey, encodePayloads(ackBody(seq, member), PAYLOAD.NONE));
}

function ackBody(seq: number, member: Ipv4): IsakmpPayload[] {
  return [
    { kind: 'seq', sequence: seq },
    { kind: 'id', idType: ID_TYPE.IPV4_ADDR, protocol: 0, port: 0, data: u32Bytes(member) },
  ];
}

/** The acknowledgement of push `seq` under the KEK whose SPI is `kekSpi`, from `member` registered under `sa`. */
export async function buildPushAck(
  sa: IkeSa,
  kekSpi: Uint8Array,
  seq: number,
  member: Ipv4,
): Promise<Uint8Array> {
  const hash = await ackHash(sa, seq, member);
  return encodeIsakmp({
    header: {
      initiatorCookie: kekSpi.slice(0, 8),
      responderCookie: kekSpi.slice(8, 16),
      version: ISAKMP_VERSION,
      exchangeType: EXCHANGE.GROUPKEY_PUSH_ACK,
      flags: 0,
      messageId: 0,
    },
    payloads: [{ kind: 'hash', data: hash }, ...ackBody(seq, member)],
  });
}

export interface PushAck {
  readonly seq: number;
  readonly member: Ipv4;
  readonly kekSpi: Uint8Array;
}

/** The member and sequence number an ACK names, or a reason it is not sound. */
export function readPushAck(msg: DecodedIsakmp): PushAck | string {
  const [hash, seq, id] = msg.payloads;
  if (hash?.kind !== 'hash' || seq?.kind !== 'seq' || id?.kind !== 'id' || id.data.length !== 4) {
    return 'GROUPKEY-PUSH-ACK without HASH, SEQ and ID payloads';
  }
  const member = readU32(id.data, 0);
  const kekSpi = concatBytes(msg.header.initiatorCookie, msg.header.responderCookie);
  return { seq: seq.sequence, member, kekSpi };
}

/** True when the ACK's HASH is the one `sa` (the member's registration SA at the KS) computes. */
export async function verifyPushAck(sa: IkeSa, msg: DecodedIsakmp, ack: PushAck): Promise<boolean> {
  const hash = msg.payloads[0];
  if (hash?.kind !== 'hash' || !sa.keys || !sa.policy) return false;
  return equalBytes(await ackHash(sa, ack.seq, ack.member), hash.data);
}

export function ackText(ack: PushAck): string {
  return `seq # ${ack.seq} from GM ${formatIpv4(ack.member)}`;
}
