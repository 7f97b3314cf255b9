// Issue 17: the page knows no lab. Every device, address and group it shows comes from the loaded scenario through
// the worker (lessons, the multicast panel's rekey source and group, the faults read from running-configs). This
// guard reads the page's source and fails on any name of a shipped lab: each scenario's device names and GDOI
// group names (read from public/scenarios at test time, so a scenario added later is guarded too) and the
// reference lab's key-server, rekey-group and hub-tunnel addresses. Tests and test support are left out: they
// run the shipped labs and must name their devices.
import { describe, expect, it } from 'vitest';

/** The page's source (tests and test support left out below), read as text by Vite at test time. */
const SOURCES = import.meta.glob<string>(['./**/*.ts', './**/*.tsx', './**/*.css'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const SCENARIOS = import.meta.glob<string>('../../public/scenarios/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The reference lab's KS loopback, rekey group and hub tunnel address (the article's). */
const ADDRESSES = ['1.1.1.1', '239.10.10.1', '192.168.100.1'];

const isTest = (path: string): boolean => /\.test\.tsx?$|\.test-support\.ts$/.test(path);

interface Scenario {
  readonly devices?: readonly { readonly name?: string; readonly config?: string }[];
}

/** Device names and GDOI group names of every shipped scenario. */
function labNames(): Set<string> {
  const names = new Set<string>();
  for (const [path, text] of Object.entries(SCENARIOS)) {
    if (path.endsWith('/index.json')) continue;
    const scenario = JSON.parse(text) as Scenario;
    for (const d of scenario.devices ?? []) {
      if (d.name) names.add(d.name);
      for (const m of (d.config ?? '').matchAll(/^crypto gdoi group (\S+)/gm)) names.add(m[1]!);
    }
  }
  return names;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How a name is found in source: an address or a name with a digit, hyphen or underscore anywhere (`GM-2`,
 * `GDOI_GM`); a plain word (`KS`, `Central`) only as a quoted literal, since "KS" is also the role's own name in
 * prose (a key server).
 */
function pattern(name: string): RegExp {
  const e = escape(name);
  if (/[\d_.-]/.test(name)) return new RegExp(`(?<![\\w.-])${e}(?![\\w-]|\\.\\d)`);
  return new RegExp(`['"\`]${e}['"\`]`);
}

describe('the page names no lab', () => {
  it('has no device name, GDOI group or address of a shipped lab in src/ui (tests aside)', () => {
    const names = [...labNames(), ...ADDRESSES];
    expect(names).toEqual(expect.arrayContaining(['GM-1', 'KS', 'GDOI_GROUP', '239.10.10.1']));
    const files = Object.entries(SOURCES).filter(([path]) => !isTest(path));
    expect(files.map(([path]) => path)).toEqual(
      expect.arrayContaining(['./LessonsPanel.tsx', './store/multicast.ts', './styles.css']),
    );
    const found: string[] = [];
    for (const [path, text] of files)
      for (const name of names) if (pattern(name).test(text)) found.push(`${path}: ${name}`);
    expect(found).toEqual([]);
  });

  it('would find them: the patterns match the old lessons and store defaults', () => {
    expect(pattern('GM-2').test("{ kind: 'cli', device: 'GM-2', lines: [] }")).toBe(true);
    expect(pattern('KS').test("{ kind: 'next-rekey', ks: 'KS' }")).toBe(true);
    expect(pattern('KS').test('// the KS sends rekeys')).toBe(false);
    expect(pattern('1.1.1.1').test("multicastSource: '1.1.1.1',")).toBe(true);
    expect(pattern('1.1.1.1').test('11.1.1.1 or 1.1.1.10')).toBe(false);
    expect(pattern('GDOI_GROUP').test('crypto gdoi group GDOI_GROUP')).toBe(true);
  });
});
