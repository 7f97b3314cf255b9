/**
 * The repository stands alone: a clone with nothing beside it builds, tests and documents itself. No code, test,
 * script or document may read or cite notes that live outside it (a `../shared` folder, its seed article, its
 * reference notes, its design file). The design is docs/DESIGN.md, the citation rules docs/SOURCES.md, and the
 * article's configs scenarios/source/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url));

/** What the project publishes: its code, tests, scripts, benchmarks and documents. */
const FOLDERS = ['src', 'e2e', 'scripts', 'bench', 'docs', 'scenarios'];
const FILES = ['README.md', 'ARCHITECTURE.md', 'package.json'];
const TEXT = /\.(ts|tsx|js|mjs|cjs|py|md|json|txt|css|html)$/;

/** References to notes outside the repository, each with why it is one. */
const OUTSIDE: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\.\.\/shared\b/, why: 'reads or links the folder beside the repository' },
  { pattern: /\bshared\/(seed|reference|DESIGN)/, why: 'names a file of the outside notes' },
  { pattern: /['"]shared['"]/, why: 'builds a path to the folder beside the repository' },
  { pattern: /\breference\/[a-z-]+\.md\b/, why: 'cites an outside reference note' },
  { pattern: /\breference (notes |capture )?§/i, why: 'cites a section of an outside reference note' },
  { pattern: /(?<!docs\/)\bDESIGN(\.md)? §/, why: 'cites the design without docs/ (docs/DESIGN.md §N)' },
  { pattern: /(?<![\w/])DESIGN\.md/, why: 'names a design file outside docs/' },
];

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(join(ROOT, path)).isDirectory()) return filesUnder(path);
    return TEXT.test(name) ? [path] : [];
  });
}

/** A comment's continuation lines joined, so a citation broken across lines (`reference\n * §1.10`) is seen. */
function joinedComments(text: string): string {
  return text.replace(/\n[ \t]*(?:\*(?!\/)|\/\/)[ \t]*/g, ' ');
}

/** Every passage of the published files that refers to the outside notes, as `file:line: why: text`. */
function outsideReferences(): string[] {
  const files = [...FOLDERS.flatMap(filesUnder), ...FILES].filter((f) => f !== THIS_FILE);
  return files.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const lines = text.split('\n').map((line, i) => ({ where: `${file}:${i + 1}`, line }));
    const joined = joinedComments(text)
      .split('\n')
      .map((line) => ({ where: `${file} (a comment spanning lines)`, line }));
    const found = [...lines, ...joined].flatMap(({ where, line }) =>
      OUTSIDE.filter(({ pattern }) => pattern.test(line)).map(({ why }) => `${why}: ${line.trim()}|${where}`),
    );
    // A reference on one line shows in both views; report each passage once, by its line.
    const byText = new Map<string, string>();
    for (const f of found) {
      const [what, where] = f.split('|') as [string, string];
      if (!byText.has(what) || !where.includes('spanning')) byText.set(what, `${where}: ${what}`);
    }
    return [...byText.values()];
  });
}

describe('the repository stands alone', () => {
  it('reads and cites nothing outside itself', () => {
    expect(outsideReferences()).toEqual([]);
  });

  it('finds a reference to the outside notes where there is one', () => {
    // The check itself must be able to fail: each pattern catches the form it is meant for.
    const samples = [
      "seed = root.parent / 'shared' / 'seed'",
      'see ../shared/DESIGN.md',
      '(reference/gdoi-nhrp-gre-esp-crypto.md)',
      'TTL 1 (reference §2.1)',
      'IOS does not send it (reference notes §2.2)',
      'Reference §1.11: the SEQ primes anti-replay',
      'DESIGN §11',
      'DESIGN.md §6',
    ];
    const caught = samples.filter((s) => OUTSIDE.some(({ pattern }) => pattern.test(s)));
    expect(caught).toEqual(samples);
    expect(OUTSIDE.some(({ pattern }) => pattern.test('docs/DESIGN.md §6'))).toBe(false);
    expect(joinedComments('/**\n * in the format (reference\n * §5.4: 8 fields)\n */')).toContain(
      '(reference §5.4:',
    );
  });
});
