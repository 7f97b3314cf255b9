import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's quick start is a contract with every newcomer: two commands, one opens the app with the
// reference lab, one installs and runs every check — the same one CI runs. (CI itself, on a clean clone,
// is the end-to-end proof; this keeps the pieces from drifting apart.)
const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const ci = readFileSync('.ci/run', 'utf8');

function quickStartCommands(): string[] {
  const section = readme.slice(
    readme.indexOf('## Quick start'),
    readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5),
  );
  return [...section.matchAll(/```sh\n([^`]+)```/g)].map((m) => m[1]!.trim());
}

describe('README quick start', () => {
  it('has exactly two commands: open the app, and install + check everything', () => {
    expect(quickStartCommands()).toEqual(['npm start', 'npm run check']);
  });

  it('opens the app after installing, with the reference lab as the page default', () => {
    expect(pkg.scripts.start).toMatch(/^npm (install|ci) && vite/);
    expect(readFileSync('src/ui/store/constants.ts', 'utf8')).toMatch(
      /DEFAULT_SCENARIO\b[^\n]*getvpn-multicast-rekey\.json/,
    );
  });

  it('checks everything: install, type check, lint and format, unit and browser tests — as CI does', () => {
    expect(pkg.scripts.check).toBe('npm ci && npm test');
    const test = pkg.scripts.test!;
    for (const step of ['typecheck', 'lint', 'test:unit', 'test:e2e'])
      expect(test).toContain(`npm run ${step}`);
    expect(pkg.scripts.lint).toContain('prettier --check');
    expect(ci).toMatch(/^npm run check$/m);
  });
});
