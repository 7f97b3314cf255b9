/**
 * The one crypto module (issue 5, deliverable 5): WebCrypto for all it offers (RSA, AES, HMAC-SHA, SHA),
 * des.js for DES/3DES and @noble/hashes for MD5, behind one set of async functions. Protocol code imports
 * from here only.
 */
export {
  blockSize,
  type BlockCipher,
  cbcDecrypt,
  cbcEncrypt,
  withoutWebCrypto as cbcNow,
  keyLengths,
} from './cipher';
export { digest, digestLength, equalBytes, type HashAlgorithm, hmac, hmacNow, hmacNowInto } from './hash';
export { randomSpi, type RandomSource, systemRandom } from './random';
export {
  exportPkcs8,
  exportSpki,
  generateRsaKeyPair,
  importRsaPrivateKey,
  importRsaPublicKey,
  type RsaHash,
  type RsaKeyPair,
  rsaPublicFromPrivate,
  rsaSign,
  rsaVerify,
} from './rsa';
