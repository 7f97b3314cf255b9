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

  it('stops at the end of the calendar instead of printing *undefined NaN (issue 13 item 9)', () => {
    // Year 275760 is where a JavaScript Date ends (ECMA-262: ±8.64e15 ms); a run past it must still print.
    const nearEnd = Date.parse('+275760-09-12T23:59:00.000Z');
    const later = seconds(86400 * 400);
    expect(iosTimestamp(nearEnd, later)).toBe('*Sep 13 00:00:00.000');
    expect(iosClock(nearEnd, later)).toBe('*00:00:00.000 UTC Sat Sep 13 275760');
    expect(iosClock(Number.MAX_VALUE, 0)).not.toMatch(/undefined|NaN/);
    expect(iosTimestamp(Number.NaN, 0)).not.toMatch(/undefined|NaN/);
  });
});
