/**
 * The part of des.js 1.1.0 (indutny, CommonJS, no bundled types) that GETLab uses: DES and EDE (3DES) block
 * ciphers wrapped in CBC mode, without padding (the reference the tests compare with), and the bit-level
 * primitives of `utils` from which des.ts builds its table-driven DES.
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
  /** FIPS 46-3 primitives on 32-bit halves; `out[off]`, `out[off + 1]` receive a pair. */
  interface DesUtils {
    ip(inL: number, inR: number, out: number[], off: number): void;
    rip(inL: number, inR: number, out: number[], off: number): void;
    pc1(inL: number, inR: number, out: number[], off: number): void;
    r28shl(num: number, shift: number): number;
    pc2(inL: number, inR: number, out: number[], off: number): void;
    /** S-boxes on a 48-bit value given as two 24-bit halves; returns the 32-bit output. */
    substitute(inL: number, inR: number): number;
    /** The P permutation. */
    permute(num: number): number;
  }
  interface DesModule {
    readonly utils: DesUtils;
    readonly DES: DesCipherClass;
    readonly EDE: DesCipherClass;
    readonly CBC: { instantiate(base: DesCipherClass): DesCipherClass };
  }
  const desjs: DesModule;
  export default desjs;
}
