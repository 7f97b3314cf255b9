import type { ExtendedAce } from '../../config/model';
import type { SimTime } from '../../kernel/time';

/**
 * The contract between GDOI (which downloads a group's policy and keys from the key server) and ESP (which
 * applies them on the interfaces carrying the group's crypto map). Plain data.
 */

/** An ESP transform as IOS names it in a transform-set. */
export interface EspTransform {
  readonly encryption: 'esp-3des' | 'esp-des' | 'esp-aes';
  /** 192 for 3DES, 64 for DES, 128/192/256 for AES. */
  readonly keyBits: number;
  readonly integrity: 'esp-md5-hmac' | 'esp-sha-hmac' | 'esp-sha256-hmac';
}

/** Anti-replay as configured on the KS (`replay time window-size 5` / `replay counter window-size N`). */
export type ReplayPolicy =
  | { readonly kind: 'time'; readonly windowSize: number }
  | { readonly kind: 'counter'; readonly windowSize: number };

/** A group TEK: one ESP SA shared by every member (same SPI and keys everywhere). */
export interface GroupTek {
  readonly spi: number;
  readonly transform: EspTransform;
  readonly encryptionKey: Uint8Array;
  readonly integrityKey: Uint8Array;
  readonly installedAt: SimTime;
  readonly expiresAt: SimTime;
  readonly replay?: ReplayPolicy;
}

/** What a member enforces for one group: the downloaded ACL and its TEKs (newest first). */
export interface GroupPolicy {
  /** GDOI group name on this member (`crypto gdoi group GDOI_GM`). */
  readonly group: string;
  /** The KS's `match address` ACL, as downloaded (`permit gre any any`). */
  readonly acl: readonly ExtendedAce[];
  /** Current TEK first; older TEKs stay usable for inbound traffic until they expire. */
  readonly teks: readonly GroupTek[];
}
