import { describe, expect, it } from 'vitest';
import { ByteArena } from './byte-arena';

const bytesOf = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (seed + i) & 0xff);

describe('ByteArena (trace bytes, issue 18)', () => {
  it('gives back what was appended, across chunks, as a copy the caller can no longer change', () => {
    const arena = new ByteArena(64);
    const src = bytesOf(40, 1);
    const a = arena.append(src);
    const b = arena.append(bytesOf(40, 2)); // does not fit the first chunk's 24 bytes left: a second chunk
    const big = arena.append(bytesOf(100, 3)); // bigger than a chunk: a chunk of its own
    src.fill(0);
    expect(arena.view(a, 40)).toEqual(bytesOf(40, 1));
    expect(arena.view(b, 40)).toEqual(bytesOf(40, 2));
    expect(arena.view(big, 100)).toEqual(bytesOf(100, 3));
    expect(arena.equals(b, 40, bytesOf(40, 2))).toBe(true);
    expect(arena.equals(b, 40, bytesOf(40, 3))).toBe(false);
    expect(arena.view(a, 0).length).toBe(0);
  });

  it('starts with a small chunk and doubles what it holds up to the chunk size (a scratch recorder stays small)', () => {
    const arena = new ByteArena(64 * 1024);
    const sizes: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      if (arena.needsChunk(100)) sizes.push(arena.heldBytes);
      arena.append(bytesOf(100, i));
    }
    expect(sizes.slice(0, 6)).toEqual([0, 4096, 8192, 16_384, 32_768, 65_536]);
    // Capped: chunks of 64 KiB from then on.
    expect(sizes.at(-1)! - sizes.at(-2)!).toBe(64 * 1024);
    // Released down to the last chunk, the one being filled.
    arena.release(Infinity);
    expect(arena.heldBytes).toBe(64 * 1024);
  });

  it('frees the chunks wholly before the floor and refuses to read them', () => {
    const arena = new ByteArena(64);
    const positions = Array.from({ length: 10 }, (_, i) => arena.append(bytesOf(30, i)));
    expect(arena.heldBytes).toBe(5 * 64);
    arena.release(positions[6]!);
    // Chunks are 2 slices each: the chunk of slices 6 and 7 and the later ones stay.
    expect(arena.heldBytes).toBe(2 * 64);
    expect(arena.view(positions[6]!, 30)).toEqual(bytesOf(30, 6));
    expect(() => arena.view(positions[5]!, 30)).toThrow(RangeError);
    // The last chunk is kept even past every position, so appending goes on.
    arena.release(Infinity);
    expect(arena.heldBytes).toBe(64);
    expect(arena.view(positions[9]!, 30)).toEqual(bytesOf(30, 9));
  });
});
