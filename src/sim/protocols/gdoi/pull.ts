/**
 * GROUPKEY-PULL (RFC 6407 §3, exchange 32) under an established ISAKMP SA, both roles (RFC 6407 §3):
 *   GM → KS  HDR*, HASH(1), Ni, ID          HASH(1) = prf(SKEYID_a, M-ID | Ni | ID)
 *   KS → GM  HDR*, HASH(2), Nr, SA          HASH(2) = prf(SKEYID_a, M-ID | Ni_b | Nr | SA)
 *   GM → KS  HDR*, HASH(3)                  HASH(3) = prf(SKEYID_a, M-ID | Ni_b | Nr_b)
 *   KS → GM  HDR*, HASH(4), SEQ, KD         HASH(4) = prf(SKEYID_a, M-ID | Ni_b | Nr_b | SEQ | KD)
 * X_b is a payload body; the others are whole payloads with their generic headers, as they appear on the wire.
 */
import { equalBytes, hmac } from '../../crypto';
import { concatBytes, readU32 } from '../../net/bytes';
import {
  type DecodedIsakmp,
  decodeDecryptedPayloads,
  encodePayloads,
  EXCHANGE,
  ID_TYPE,
  type IsakmpPayload,
  type RawPayload,
  u32Bytes,
} from '../../net/isakmp';
import type { IkeSa } from '../ike/ike-sa';
import type { IkeService } from '../ike/ike-service';
import type { KekMaterial, TekMaterial } from './material';
import { GdoiPolicyError, kdPayload, kekFrom, saPayload, teksFrom } from './payloads';

const NONCE_BYTES = 16;

export interface PullResult {
  readonly kek: KekMaterial | undefined;
  readonly teks: TekMaterial[];
  readonly seq: number;
}

/** What the KS side needs from the key server groups. */
export interface PullServer {
  /** The KS group for a group identity, with keys ready, or undefined (unknown group, no signing key). */
  groupFor(
    identity: number,
    member: IkeSa,
  ): Promise<
    | {
        name: string;
        kek: KekMaterial | undefined;
        teks: TekMaterial[];
        seq: () => number;
        registered(): void;
      }
    | undefined
  >;
}

interface Exchange {
  readonly role: 'gm' | 'ks';
  readonly nonceI: Uint8Array;
  nonceR: Uint8Array;
  identity: number;
  /** KS: what message 2 promised, downloaded in message 4. */
  snapshot?: { kek: KekMaterial | undefined; teks: TekMaterial[]; registered(): void; seq: () => number };
  /** GM: the policy from message 2, waiting for its keys. */
  sa?: Extract<IsakmpPayload, { kind: 'gdoi-sa' }>;
  readonly done?: (result: PullResult | undefined) => void | Promise<void>;
}

function hashOf(sa: IkeSa, messageId: number, ...parts: Uint8Array[]): Promise<Uint8Array> {
  return hmac(sa.policy!.hash, sa.keys!.skeyidA, concatBytes(u32Bytes(messageId), ...parts));
}

/** Throws unless `received` is HASH(`n`) of `parts` under `sa` (the hash every PULL message starts with). */
async function checkHash(
  n: number,
  received: Uint8Array,
  sa: IkeSa,
  messageId: number,
  ...parts: Uint8Array[]
): Promise<void> {
  if (!equalBytes(await hashOf(sa, messageId, ...parts), received))
    throw new GdoiPolicyError(`HASH(${n}) mismatch`);
}

/** The bytes of payloads [from, end) exactly as they were in the message. */
function span(plaintext: Uint8Array, raw: RawPayload[], from: number): Uint8Array {
  const first = raw[from];
  const last = raw[raw.length - 1];
  if (!first || !last) return new Uint8Array(0);
  return plaintext.slice(first.offset, last.offset + 4 + last.body.length);
}

function find<K extends IsakmpPayload['kind']>(
  payloads: readonly IsakmpPayload[],
  kind: K,
): Extract<IsakmpPayload, { kind: K }> {
  const p = payloads.find((x): x is Extract<IsakmpPayload, { kind: K }> => x.kind === kind);
  if (!p) throw new GdoiPolicyError(`GROUPKEY-PULL message without its ${kind} payload`);
  return p;
}

export class PullEngine {
  private readonly ike: IkeService;
  private readonly exchanges = new Map<string, Exchange>();
  server: PullServer | undefined;

  constructor(ike: IkeService) {
    this.ike = ike;
  }

  private async send(sa: IkeSa, messageId: number, hash: Uint8Array, rest: IsakmpPayload[]): Promise<void> {
    const bytes = await sa.encrypt(EXCHANGE.GROUPKEY_PULL, messageId, [
      { kind: 'hash', data: hash },
      ...rest,
    ]);
    await this.ike.transmit(sa, bytes, false);
  }

  /** GM: message 1 of a registration for group `identity`; `done` gets the downloaded policy and keys. */
  async start(
    sa: IkeSa,
    identity: number,
    done: (r: PullResult | undefined) => void | Promise<void>,
  ): Promise<number> {
    let messageId = 0;
    while (messageId === 0) messageId = this.ike.random.nextU32();
    const nonceI = this.ike.random.bytes(NONCE_BYTES);
    this.exchanges.set(`${sa.connId}:${messageId}`, {
      role: 'gm',
      nonceI,
      nonceR: new Uint8Array(0),
      identity,
      done,
    });
    const rest: IsakmpPayload[] = [
      { kind: 'nonce', data: nonceI },
      { kind: 'id', idType: ID_TYPE.KEY_ID, protocol: 0, port: 0, data: u32Bytes(identity) },
    ];
    await this.send(sa, messageId, await hashOf(sa, messageId, encodePayloads(rest)), rest);
    return messageId;
  }

  /** Forgets a GM exchange that will not complete (registration timed out). */
  abandon(sa: IkeSa, messageId: number): void {
    this.exchanges.delete(`${sa.connId}:${messageId}`);
  }

  /** A decrypted PULL message; throws on anything unsound (the IKE layer then logs IKMP_BAD_MESSAGE). */
  async receive(sa: IkeSa, msg: DecodedIsakmp, plaintext: Uint8Array): Promise<void> {
    const { payloads, raw } = decodeDecryptedPayloads(msg.header, plaintext);
    const mid = msg.header.messageId;
    const key = `${sa.connId}:${mid}`;
    const hash = find(payloads, 'hash').data;
    // Everything after HASH, as received: what the HASH covers besides the nonces.
    const signed = span(plaintext, raw, 1);
    const ex = this.exchanges.get(key);
    if (!ex) {
      if (sa.role === 'responder') await this.ksMessage1(sa, mid, payloads, signed, hash, key);
      return;
    }
    if (ex.role === 'ks') await this.ksMessage3(sa, mid, ex, hash, key);
    else if (!ex.sa) await this.gmMessage2(sa, mid, ex, payloads, signed, hash);
    else await this.gmMessage4(sa, mid, ex, payloads, signed, hash, key);
  }

  private async ksMessage1(
    sa: IkeSa,
    mid: number,
    payloads: IsakmpPayload[],
    signed: Uint8Array,
    hash: Uint8Array,
    key: string,
  ): Promise<void> {
    await checkHash(1, hash, sa, mid, signed);
    const nonceI = find(payloads, 'nonce').data;
    const id = find(payloads, 'id');
    const identity = id.data.length === 4 ? readU32(id.data, 0) : -1;
    const group = await this.server?.groupFor(identity, sa);
    if (!group) return;
    const nonceR = this.ike.random.bytes(NONCE_BYTES);
    const teks = group.teks;
    this.exchanges.set(key, {
      role: 'ks',
      nonceI,
      nonceR,
      identity,
      snapshot: { kek: group.kek, teks, registered: group.registered, seq: group.seq },
    });
    const now = this.ike.router.kernel.now;
    const rest: IsakmpPayload[] = [{ kind: 'nonce', data: nonceR }, saPayload(group.kek, teks, now)];
    await this.send(sa, mid, await hashOf(sa, mid, nonceI, encodePayloads(rest)), rest);
  }

  private async ksMessage3(
    sa: IkeSa,
    mid: number,
    ex: Exchange,
    hash: Uint8Array,
    key: string,
  ): Promise<void> {
    await checkHash(3, hash, sa, mid, ex.nonceI, ex.nonceR);
    const snap = ex.snapshot!;
    this.exchanges.delete(key);
    // The SEQ primes the member's replay state: it accepts only pushes above it (RFC 6407 §3 and §4).
    const rest: IsakmpPayload[] = [{ kind: 'seq', sequence: snap.seq() }, kdPayload(snap.kek, snap.teks)];
    await this.send(sa, mid, await hashOf(sa, mid, ex.nonceI, ex.nonceR, encodePayloads(rest)), rest);
    snap.registered();
  }

  private async gmMessage2(
    sa: IkeSa,
    mid: number,
    ex: Exchange,
    payloads: IsakmpPayload[],
    signed: Uint8Array,
    hash: Uint8Array,
  ): Promise<void> {
    await checkHash(2, hash, sa, mid, ex.nonceI, signed);
    ex.nonceR = find(payloads, 'nonce').data;
    ex.sa = find(payloads, 'gdoi-sa');
    await this.send(sa, mid, await hashOf(sa, mid, ex.nonceI, ex.nonceR), []);
  }

  private async gmMessage4(
    sa: IkeSa,
    mid: number,
    ex: Exchange,
    payloads: IsakmpPayload[],
    signed: Uint8Array,
    hash: Uint8Array,
    key: string,
  ): Promise<void> {
    await checkHash(4, hash, sa, mid, ex.nonceI, ex.nonceR, signed);
    const kd = find(payloads, 'kd');
    const seq = payloads.find((p) => p.kind === 'seq');
    const now = this.ike.router.kernel.now;
    const policy = ex.sa!;
    const kek = policy.kek
      ? kekFrom(
          policy.kek,
          kd.packets.find((p) => p.spi.length === 16),
          now,
        )
      : undefined;
    const teks = teksFrom(policy.teks, kd.packets, now);
    this.exchanges.delete(key);
    await ex.done?.({ kek, teks, seq: seq?.kind === 'seq' ? seq.sequence : 0 });
  }
}
