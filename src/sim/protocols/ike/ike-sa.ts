/**
 * One IKEv1 phase-1 SA (ISAKMP SA): cookies, negotiated suite, keys and the CBC IV chains. Encryption follows
 * RFC 2409 Appendix B / RFC 2408 §3.1: the payloads after the header are zero-padded to the block size and
 * CBC-encrypted; inside one exchange (one M-ID) each message's IV is the last ciphertext block of the one before.
 */
import { blockSize, cbcDecrypt, cbcEncrypt } from '../../crypto';
import { concatBytes } from '../../net/bytes';
import {
  encodeIsakmpHeader,
  encodePayloads,
  ISAKMP_FLAG_ENCRYPTION,
  ISAKMP_HEADER_LENGTH,
  ISAKMP_VERSION,
  type IsakmpHeader,
  type IsakmpPayload,
  payloadType,
} from '../../net/isakmp';
import type { Ipv4 } from '../../net/ipv4-address';
import type { SimTime } from '../../kernel/time';
import type { KeyExchangeGroup, KeyExchangeKeyPair } from './key-exchange';
import { exchangeIv } from './keys';
import type { Phase1Keys } from './keys';
import type { EffectivePolicy } from './policy';

/** IOS state names as `show crypto isakmp sa` prints them. */
export type IkeState =
  'MM_NO_STATE' | 'MM_SA_SETUP' | 'MM_KEY_EXCH' | 'MM_KEY_AUTH' | 'QM_IDLE' | 'GDOI_IDLE' | 'MM_DEAD';

export class IkeSa {
  readonly role: 'initiator' | 'responder';
  readonly connId: number;
  readonly local: Ipv4;
  readonly peer: Ipv4;
  readonly port: number;
  readonly cookieI: Uint8Array;
  cookieR: Uint8Array = new Uint8Array(8);
  state: IkeState = 'MM_NO_STATE';
  policy: EffectivePolicy | undefined;
  group: KeyExchangeGroup | undefined;
  dh: KeyExchangeKeyPair | undefined;
  /** SA payload body as the initiator sent it (SAi_b, hashed into HASH_I/HASH_R). */
  saiBody: Uint8Array = new Uint8Array(0);
  nonceI: Uint8Array = new Uint8Array(0);
  nonceR: Uint8Array = new Uint8Array(0);
  keI: Uint8Array = new Uint8Array(0);
  keR: Uint8Array = new Uint8Array(0);
  keys: Phase1Keys | undefined;
  /** Last CBC block of phase 1 (seed of every per-exchange IV). */
  lastPhase1Block: Uint8Array = new Uint8Array(0);
  readonly createdAt: SimTime;
  establishedAt: SimTime | undefined;
  /** Next IV per message ID (0 = main mode). */
  private readonly ivs = new Map<number, Uint8Array>();
  /** The last message sent and the one it answered: a duplicate of the latter gets the former again. */
  lastSent: Uint8Array | undefined;
  lastReceived: Uint8Array | undefined;

  constructor(
    role: 'initiator' | 'responder',
    connId: number,
    local: Ipv4,
    peer: Ipv4,
    port: number,
    cookieI: Uint8Array,
    now: SimTime,
  ) {
    this.role = role;
    this.connId = connId;
    this.local = local;
    this.peer = peer;
    this.port = port;
    this.cookieI = cookieI;
    this.createdAt = now;
  }

  get established(): boolean {
    return this.state === 'QM_IDLE' || this.state === 'GDOI_IDLE';
  }

  /** dst/src as IOS prints them: the responder, then the initiator. */
  get dst(): Ipv4 {
    return this.role === 'initiator' ? this.peer : this.local;
  }

  get src(): Ipv4 {
    return this.role === 'initiator' ? this.local : this.peer;
  }

  setIv(messageId: number, iv: Uint8Array): void {
    this.ivs.set(messageId, iv);
  }

  private async ivFor(messageId: number): Promise<Uint8Array> {
    const known = this.ivs.get(messageId);
    if (known) return known;
    if (!this.policy) throw new Error('no negotiated policy');
    const iv = await exchangeIv(this.policy.hash, this.policy.cipher, this.lastPhase1Block, messageId);
    this.ivs.set(messageId, iv);
    return iv;
  }

  /** Builds an encrypted message (E flag set, Length = final on-wire length). */
  async encrypt(
    exchangeType: number,
    messageId: number,
    payloads: readonly IsakmpPayload[],
  ): Promise<Uint8Array> {
    const policy = this.policy;
    const keys = this.keys;
    if (!policy || !keys) throw new Error('IKE SA has no keys');
    const plain = encodePayloads(payloads);
    const bs = blockSize(policy.cipher);
    const padded = new Uint8Array(Math.ceil(plain.length / bs) * bs || bs);
    padded.set(plain);
    const ciphertext = await cbcEncrypt(
      policy.cipher,
      keys.encryptionKey,
      await this.ivFor(messageId),
      padded,
    );
    this.ivs.set(messageId, ciphertext.slice(ciphertext.length - bs));
    const first = payloads[0];
    const header = encodeIsakmpHeader(
      this.header(exchangeType, messageId, first ? payloadType(first) : 0, ciphertext.length),
    );
    return concatBytes(header, ciphertext);
  }

  header(
    exchangeType: number,
    messageId: number,
    nextPayload: number,
    bodyLength: number,
    flags = ISAKMP_FLAG_ENCRYPTION,
  ): IsakmpHeader {
    return {
      initiatorCookie: this.cookieI,
      responderCookie: this.cookieR,
      nextPayload,
      version: ISAKMP_VERSION,
      exchangeType,
      flags,
      messageId,
      length: ISAKMP_HEADER_LENGTH + bodyLength,
    };
  }

  /**
   * Decrypts the payload area of a received message. The IV chain advances only when `commit` is called, so
   * a message that fails its checks leaves the SA as it was (a retransmission is tried again from scratch).
   */
  async decrypt(
    messageId: number,
    ciphertext: Uint8Array,
  ): Promise<{ plaintext: Uint8Array; commit: () => void }> {
    const policy = this.policy;
    const keys = this.keys;
    if (!policy || !keys) throw new Error('IKE SA has no keys');
    const bs = blockSize(policy.cipher);
    if (ciphertext.length === 0 || ciphertext.length % bs !== 0) {
      throw new Error(`encrypted payload of ${ciphertext.length} bytes is not a whole number of blocks`);
    }
    const plaintext = await cbcDecrypt(
      policy.cipher,
      keys.encryptionKey,
      await this.ivFor(messageId),
      ciphertext,
    );
    const next = ciphertext.slice(ciphertext.length - bs);
    return { plaintext, commit: () => this.ivs.set(messageId, next) };
  }

  /** The IV a message under `messageId` will use next (tests, debug). */
  peekIv(messageId: number): Uint8Array | undefined {
    return this.ivs.get(messageId);
  }
}
