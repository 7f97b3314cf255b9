/**
 * The group's key material as the key server creates it and members hold it: the KEK (protects pushes;
 * RFC 6407 §5.3) and the TEKs (ESP group SAs; §5.4). Plain data shared by ks.ts, gm.ts and the payload codec.
 */
import type { ExtendedAce } from '../../config/model';
import type { BlockCipher } from '../../crypto';
import type { SimTime } from '../../kernel/time';
import type { Ipv4 } from '../../net/ipv4-address';
import type { EspTransform, ReplayPolicy } from '../esp/group-policy';

export interface KekMaterial {
  /** 16 bytes; the cookie pair of every push under this KEK. */
  readonly spi: Uint8Array;
  readonly cipher: BlockCipher;
  readonly keyBits: number;
  readonly key: Uint8Array;
  /**
   * The static IV of every push under this KEK (RFC 3547 gives rekeys a static IV; the Cisco GDOI reference
   * implementation re-installs it for every push).
   */
  readonly iv: Uint8Array;
  /** Seconds, as configured (`rekey lifetime seconds`). */
  readonly lifetime: number;
  readonly createdAt: SimTime;
  readonly expiresAt: SimTime;
  /** The KS's signing key as DER SubjectPublicKeyInfo (162 bytes for RSA-1024). */
  readonly sigKey: Uint8Array;
  readonly sigKeyBits: number;
  /** Rekey source (`address ipv4`) and destination (the `rekey address` ACL's group, or 0 for unicast). */
  readonly source: Ipv4;
  readonly destination: Ipv4;
}

export interface TekMaterial {
  readonly spi: number;
  readonly transform: EspTransform;
  readonly encryptionKey: Uint8Array;
  readonly integrityKey: Uint8Array;
  readonly lifetime: number;
  readonly createdAt: SimTime;
  readonly expiresAt: SimTime;
  /** The permit entries of the `match address` ACL (one SA TEK payload each). */
  readonly acl: readonly ExtendedAce[];
  readonly replay?: ReplayPolicy;
}
