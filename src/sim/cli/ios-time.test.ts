import { describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { iosClock, iosDuration, iosTimestamp } from './ios-time';

const epoch = Date.parse('2026-07-07T22:57:13.000Z');

describe('IOS time formats', () => {
  it('prints syslog timestamps as the article does', () => {
    expect(iosTimestamp(epoch, 167_000)).toBe('*Jul  7 22:57:13.167');
    expect(iosTimestamp(Date.parse('2026-07-17T01:02:03Z'), 0)).toBe('*Jul 17 01:02:03.000');
  });

  it('prints show clock', () => {
    expect(iosClock(epoch, seconds(1))).toBe('*22:57:14.000 UTC Tue Jul 7 2026');
  });

  it('prints uptimes like IOS', () => {
    expect(iosDuration(seconds(363))).toBe('00:06:03');
    expect(iosDuration(seconds(86400 + 7200))).toBe('1d02h');
    expect(iosDuration(seconds(86400 * 9))).toBe('1w2d');
  });
});
