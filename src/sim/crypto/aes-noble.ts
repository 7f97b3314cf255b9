/**
 * AES-192-CBC without padding through @noble/ciphers, for the one AES key size WebCrypto cannot be trusted
 * with: Chromium's WebCrypto refuses 192-bit AES keys ("192-bit AES keys are not supported"), so `esp-aes 192`
 * and `encryption aes 192` would fail in the page while Node accepts them. AES-128/256 stay on WebCrypto
 * (issue 5: "WebCrypto where it can"); cipher.ts sends only 24-byte keys here, in Node as in the browser, so a
 * run gives the same bytes in both.
 */
import { cbc } from '@noble/ciphers/aes.js';

/** CBC over block-aligned `data` with a 24-byte key and a 16-byte IV; ESP and ISAKMP do their own padding. */
export function aes192Cbc(
  type: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  if (key.length !== 24) throw new RangeError(`aes192Cbc: key of ${key.length} bytes (want 24)`);
  const c = cbc(key, iv, { disablePadding: true });
  return type === 'encrypt' ? c.encrypt(data) : c.decrypt(data);
}
