import { describe, expect, it } from 'vitest';
import { Kernel } from '../../kernel/kernel';
import { seconds } from '../../kernel/time';
import { checkTimeWindow, pseudotimeBook, ReplayWindow } from './anti-replay';

describe('RFC 4303 §3.4.3 sliding window', () => {
  it('accepts new numbers, rejects duplicates, zero and numbers left of the window', () => {
    const w = new ReplayWindow(4);
    expect(w.check(0)).toBe(false);
    for (const s of [1, 3, 2]) {
      expect(w.check(s)).toBe(true);
      w.commit(s);
    }
    expect(w.check(2)).toBe(false);
    w.commit(10); // window now 7..10
    expect(w.check(6)).toBe(false);
    expect(w.check(7)).toBe(true);
    expect(w.check(10)).toBe(false);
  });
});

describe('time-based anti-replay book', () => {
  it('accepts within ±window of the send time and rejects unstamped packets', () => {
    const kernel = new Kernel(1);
    const book = pseudotimeBook(kernel);
    expect(pseudotimeBook(kernel)).toBe(book);
    const icv = new Uint8Array([1, 2, 3]);
    book.record(7, icv, seconds(10));
    expect(checkTimeWindow(book, 7, icv, seconds(15), 5).ok).toBe(true);
    expect(checkTimeWindow(book, 7, icv, seconds(15.01), 5)).toEqual({
      ok: false,
      myPseudotime: seconds(15.01),
      peerPseudotime: seconds(10),
    });
    expect(checkTimeWindow(book, 8, icv, seconds(10), 5).ok).toBe(false);
  });
});
