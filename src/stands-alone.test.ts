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
  { pattern: /\breference §/, why: 'cites a section of an outside reference note' },
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

/** Every line of the published files that refers to the outside notes, as `file:line: why: text`. */
function outsideReferences(): string[] {
  const files = [...FOLDERS.flatMap(filesUnder), ...FILES].filter((f) => f !== THIS_FILE);
  return files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((text, i) =>
        OUTSIDE.filter(({ pattern }) => pattern.test(text)).map(
          ({ why }) => `${file}:${i + 1}: ${why}: ${text.trim()}`,
        ),
      ),
  );
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
      'DESIGN §11',
      'DESIGN.md §6',
    ];
    const caught = samples.filter((s) => OUTSIDE.some(({ pattern }) => pattern.test(s)));
    expect(caught).toEqual(samples);
    expect(OUTSIDE.some(({ pattern }) => pattern.test('docs/DESIGN.md §6'))).toBe(false);
  });
});
