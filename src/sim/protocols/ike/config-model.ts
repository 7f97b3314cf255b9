/** ISAKMP's part of the typed config (`RouterConfig.crypto`: policies and pre-shared keys). */
import type { Ipv4 } from '../../net/ipv4-address';

export interface IsakmpPolicy {
  priority: number;
  /** IOS defaults: des, sha, rsa-sig, group 1, 86400 s. */
  encryption?: 'des' | '3des' | 'aes' | 'aes 192' | 'aes 256';
  hash?: 'sha' | 'md5' | 'sha256';
  authentication?: 'pre-share' | 'rsa-sig';
  group?: number;
  lifetime?: number;
}

export interface IsakmpKey {
  readonly encryptionType: 0 | 6 | 7;
  readonly key: string;
  readonly address: Ipv4;
  readonly mask?: Ipv4;
}
