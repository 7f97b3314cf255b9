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

describe('time-based anti-replay book: forgetting old stamps', () => {
  const icvOf = (n: number): Uint8Array => {
    const icv = new Uint8Array(12);
    new DataView(icv.buffer).setUint32(0, n);
    new DataView(icv.buffer).setUint32(8, n ^ 0x5a5a5a5a);
    return icv;
  };

  it('forgets stamps older than 300 s in send order, across many thousands of packets', () => {
    const book = pseudotimeBook(new Kernel(2));
    // 20,000 packets, one every 50 ms: 1,000 s of traffic, so the front of the book is pruned many times.
    for (let i = 0; i < 20_000; i++) book.record(1, icvOf(i), seconds(i * 0.05));
    const last = seconds(19_999 * 0.05);
    expect(book.sentAt(1, icvOf(19_999))).toBe(last);
    // Stamps within 300 s of the last send are kept; older ones are gone (a replay of them finds no stamp).
    expect(book.sentAt(1, icvOf(19_999 - 6_000))).toBe(seconds((19_999 - 6_000) * 0.05));
    expect(book.sentAt(1, icvOf(19_999 - 6_001))).toBeUndefined();
    expect(book.sentAt(1, icvOf(0))).toBeUndefined();
    expect(book.size).toBe(6_001);
  });

  it('keeps a stamp that was recorded again, judged by its newest send time', () => {
    const book = pseudotimeBook(new Kernel(3));
    book.record(1, icvOf(1), seconds(0));
    book.record(1, icvOf(2), seconds(1));
    book.record(1, icvOf(1), seconds(200)); // same ICV key stamped again later
    book.record(1, icvOf(3), seconds(350)); // prunes icvOf(2) (sent at 1 s) but not the newer icvOf(1)
    expect(book.sentAt(1, icvOf(1))).toBe(seconds(200));
    expect(book.sentAt(1, icvOf(2))).toBeUndefined();
    book.record(1, icvOf(4), seconds(501)); // 301 s after the re-stamp: now it goes
    expect(book.sentAt(1, icvOf(1))).toBeUndefined();
    expect(book.sentAt(1, icvOf(3))).toBe(seconds(350));
  });
});
