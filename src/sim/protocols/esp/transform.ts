/**
 * IOS transform names (`esp-3des esp-md5-hmac`) mapped to the ESP codec's algorithms and to the names
 * Wireshark's esp_sa table expects (Wireshark 4.0 packet-esp.c's esp_sa preference, strings from
 * libwireshark 4.0.17).
 */
import type { EspSaKeys } from '../../net/esp';
import type { EspTransform, GroupTek } from './group-policy';

const CIPHER = { 'esp-3des': '3des', 'esp-des': 'des', 'esp-aes': 'aes' } as const;
const AUTH = { 'esp-md5-hmac': 'md5', 'esp-sha-hmac': 'sha1', 'esp-sha256-hmac': 'sha256' } as const;

/** Key lengths in bytes a transform needs: encryption key, then the HMAC key (RFC 2403/2404/4868). */
export function transformKeyLengths(t: EspTransform): { encryption: number; integrity: number } {
  const encryption = t.encryption === 'esp-3des' ? 24 : t.encryption === 'esp-des' ? 8 : t.keyBits / 8;
  const integrity = t.integrity === 'esp-md5-hmac' ? 16 : t.integrity === 'esp-sha-hmac' ? 20 : 32;
  return { encryption, integrity };
}

export function saKeysOf(tek: GroupTek): EspSaKeys {
  return {
    spi: tek.spi,
    cipher: CIPHER[tek.transform.encryption],
    encryptionKey: tek.encryptionKey,
    auth: AUTH[tek.transform.integrity],
    integrityKey: tek.integrityKey,
  };
}

/** `esp-3des esp-md5-hmac`, `esp-256-aes esp-sha-hmac`: as `show crypto ipsec sa` prints the transform. */
export function transformText(t: EspTransform): string {
  const enc = t.encryption === 'esp-aes' && t.keyBits !== 128 ? `esp-${t.keyBits}-aes` : t.encryption;
  return `${enc} ${t.integrity}`;
}

/** Wireshark esp_sa "Encryption" column. AES-CBC covers 128/192/256 (the key length tells them apart). */
export function wiresharkEncryption(t: EspTransform): string {
  if (t.encryption === 'esp-3des') return 'TripleDES-CBC [RFC2451]';
  if (t.encryption === 'esp-des') return 'DES-CBC [RFC2405]';
  return 'AES-CBC [RFC3602]';
}

/** Wireshark esp_sa "Authentication" column. */
export function wiresharkAuthentication(t: EspTransform): string {
  if (t.integrity === 'esp-md5-hmac') return 'HMAC-MD5-96 [RFC2403]';
  if (t.integrity === 'esp-sha-hmac') return 'HMAC-SHA-1-96 [RFC2404]';
  return 'HMAC-SHA-256-128 [RFC4868]';
}

/** ICV name for trace reasons: HMAC-MD5-96 … */
export function icvName(t: EspTransform): string {
  if (t.integrity === 'esp-md5-hmac') return 'HMAC-MD5-96';
  if (t.integrity === 'esp-sha-hmac') return 'HMAC-SHA1-96';
  return 'HMAC-SHA256-128';
}
