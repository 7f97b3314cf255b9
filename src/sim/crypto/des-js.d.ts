/**
 * The part of des.js 1.1.0 (indutny, CommonJS, no bundled types) that cipher.ts uses: DES and EDE (3DES) block
 * ciphers wrapped in CBC mode, without padding.
 */
declare module 'des.js' {
  interface DesCipherOptions {
    readonly type: 'encrypt' | 'decrypt';
    readonly key: ArrayLike<number>;
    readonly iv?: ArrayLike<number>;
    /** PKCS#5 padding; ESP and ISAKMP pad themselves, so callers pass false. */
    readonly padding?: boolean;
  }
  interface DesCipher {
    update(data: ArrayLike<number>): number[];
    final(): number[];
  }
  interface DesCipherClass {
    create(options: DesCipherOptions): DesCipher;
  }
  interface DesModule {
    readonly DES: DesCipherClass;
    readonly EDE: DesCipherClass;
    readonly CBC: { instantiate(base: DesCipherClass): DesCipherClass };
  }
  const desjs: DesModule;
  export default desjs;
}
