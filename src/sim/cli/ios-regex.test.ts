import { describe, expect, it } from 'vitest';
import { IosRegex, IosRegexError } from './ios-regex';

// Cisco, "Regular Expressions" (Cisco IOS Configuration Fundamentals / Terminal Services, "Cisco Regular
// Expression Pattern Matching Characters") and "Searching and Filtering show Command Output" (cf-cli-search).
const matches = (pattern: string, line: string): boolean => new IosRegex(pattern).test(line);

describe('IOS regular expressions', () => {
  it('underscore matches a comma, brace, parenthesis, space, or the start or end of the string', () => {
    // "_1300_ matches any string that has 1300 somewhere in the string and is preceded by or followed by a
    // space, brace, comma" (Cisco's own example)
    expect(matches('_1300_', 'as-path 100 1300 200')).toBe(true);
    expect(matches('_1300_', '1300')).toBe(true);
    expect(matches('_1300_', '{1300,5}')).toBe(true);
    expect(matches('_1300_', '(1300)')).toBe(true);
    expect(matches('_1300_', '11300')).toBe(false);
    expect(matches('_1300_', '13001')).toBe(false);
    expect(matches('Tunnel1_', 'Tunnel10 is up')).toBe(false);
    expect(matches('Tunnel10_', 'Tunnel10 is up')).toBe(true);
  });

  it('anchors, ranges, inverted ranges and escapes as the IOS guide lists them', () => {
    expect(matches('^abcd', 'abcdef')).toBe(true);
    expect(matches('^abcd', 'xabcd')).toBe(false);
    expect(matches('\\.12$', '10.1.1.12')).toBe(true);
    expect(matches('[aeiou]', 'xyz')).toBe(false);
    expect(matches('[a-dA-D]', 'xxCxx')).toBe(true);
    expect(matches('[^a-dqsv]', 'abcd')).toBe(false);
    expect(matches('[^\\]d]', ']d]')).toBe(false);
    expect(matches('[a-dA-D\\-\\]]', '-')).toBe(true);
    expect(matches('\\$', 'cost $5')).toBe(true);
    expect(matches('\\_', 'a_b')).toBe(true);
    expect(matches('\\+', 'a+b')).toBe(true);
    expect(matches('a.c', 'a c')).toBe(true); // "." matches any single character, including white space
  });

  it('multipliers, groups and alternation ("codex|telebit", "(ab)*", "([A-Za-z][0-9])+")', () => {
    expect(matches('codex|telebit', 'a telebit modem')).toBe(true);
    expect(matches('^(ab)*$', 'ababab')).toBe(true);
    expect(matches('^(ab)*$', 'ababa')).toBe(false);
    expect(matches('^([A-Za-z][0-9])+$', 'A9b3')).toBe(true);
    expect(matches('^([A-Za-z][0-9])+$', '9Ab3')).toBe(false);
    expect(matches('^10?$', '1')).toBe(true);
    expect(matches('^10?$', '100')).toBe(false);
  });

  it('is case sensitive ("Regular expressions are case sensitive")', () => {
    expect(matches('serial', 'Serial1/0 is up')).toBe(false);
    expect(matches('[Ss]erial', 'Serial1/0 is up')).toBe(true);
  });

  it('refuses malformed patterns with an error instead of throwing anything else', () => {
    for (const bad of ['(', 'a)', '[abc', '*a', 'a\\', '^*', '[z-a]']) {
      expect(() => new IosRegex(bad), bad).toThrow(IosRegexError);
    }
  });

  it('takes time linear in the line for patterns that make a backtracking engine explode', () => {
    // (a*)*b against 5000 a's: exponential for a backtracking matcher, one pass here. The bound is on work
    // done, not wall time: a state-set simulation visits each (state, position) once.
    const line = 'a'.repeat(5000);
    expect(matches('(a*)*b', line)).toBe(false);
    expect(matches('(a|aa)+$', line)).toBe(true);
    expect(matches('(x+x+)+y', 'x'.repeat(3000))).toBe(false);
  });

  it('any typed pattern either compiles or is refused with IosRegexError, and matching never throws', () => {
    // A fixed linear congruential generator: the same 3000 patterns every run.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = 'ab1 _.*+?^$|()[]-\\{},';
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: 1 + next(12) }, () => alphabet[next(alphabet.length)]).join('');
      let re: IosRegex;
      try {
        re = new IosRegex(pattern);
      } catch (e) {
        expect(e, pattern).toBeInstanceOf(IosRegexError);
        continue;
      }
      compiled++;
      const line = Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join('');
      expect(typeof re.test(line)).toBe('boolean');
      // Where IOS and JavaScript syntax agree (no `_`, escapes, braces or brackets), the answers agree.
      if (!/[_\\{}[\]]/.test(pattern)) {
        let js: RegExp | undefined;
        try {
          js = new RegExp(pattern);
        } catch {
          js = undefined;
        }
        if (js) expect(re.test(line), `${pattern} on ${JSON.stringify(line)}`).toBe(js.test(line));
      }
    }
    expect(compiled).toBeGreaterThan(300);
  });
});
