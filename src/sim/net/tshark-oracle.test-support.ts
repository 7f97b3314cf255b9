/**
 * tshark as an oracle for hand-built frames (test-only): the frames go into one pcap (LINKTYPE_RAW), tshark
 * prints the named fields of each, and no frame may be malformed or carry an error-level expert item (a bad
 * checksum is one). Runs when /usr/bin/tshark exists, or GETLAB_REQUIRE_TSHARK=1 (a missing tshark then fails).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from './pcap';

export const TSHARK = '/usr/bin/tshark';

/** Whether a tshark test runs; says so on the console when it does not. */
export function tsharkRuns(testName: string): boolean {
  const runs = existsSync(TSHARK) || process.env.GETLAB_REQUIRE_TSHARK === '1';
  if (!runs) console.warn(`${testName}: ${TSHARK} not found, the tshark oracle test does not run`);
  return runs;
}

/** A frame and the tshark field values it must show ('' = field absent; repeated values joined by ','). */
export interface OracleFrame {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expect: Readonly<Record<string, string>>;
}

/** What tshark showed: per frame its expected fields' values, and its malformed/error lines ('' = none). */
export interface OracleResult {
  readonly frames: { name: string; fields: Record<string, string> }[];
  readonly problems: string;
}

/** Writes `frames` to a pcap, 1 ms apart, runs tshark with `prefs` (`-o` options) and reads it back. */
export function askTshark(frames: readonly OracleFrame[], prefs: readonly string[] = []): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'getlab-tshark-'));
  try {
    const file = join(dir, 'frames.pcap');
    const records = frames.map((f, i) => ({ timeUs: i * 1000, bytes: f.bytes }));
    writeFileSync(file, writePcap(records, 1_700_000_000));
    const run = (args: readonly string[]): string =>
      execFileSync(TSHARK, ['-r', file, ...prefs, ...args], { encoding: 'utf8' });
    const names = [...new Set(frames.flatMap((f) => Object.keys(f.expect)))];
    const rows = run([
      '-T',
      'fields',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
      ...names.flatMap((n) => ['-e', n]),
    ])
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => line.split('\t'));
    const problems = run([
      '-Y',
      '_ws.malformed || _ws.expert.severity == "error"',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      '_ws.expert.message',
    ]);
    return {
      frames: frames.map((f, i) => ({
        name: f.name,
        fields: Object.fromEntries(Object.keys(f.expect).map((k) => [k, rows[i]?.[names.indexOf(k)] ?? '?'])),
      })),
      problems,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `askTshark` shows when every frame decodes as expected. */
export function expectedOracle(frames: readonly OracleFrame[]): OracleResult {
  return { frames: frames.map((f) => ({ name: f.name, fields: { ...f.expect } })), problems: '' };
}
