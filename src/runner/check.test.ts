// `npm run sim -- <scenario> --check [--json]` (issue 17, "Check your answer"): the reference lab's lessons
// graded headless, a broken submission failing with the reason, and --save writing format 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario/schema';
import { parseArgs, type RunnerOptions } from './args';
import type { GradeReport } from './check';
import { runHeadless } from './run';

const REFERENCE = 'public/scenarios/getvpn-multicast-rekey.json';
const referenceText = readFileSync(REFERENCE, 'utf8');
const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1';

function options(extra: Partial<RunnerOptions> = {}): RunnerOptions {
  return { scenarioPath: REFERENCE, until: 0, exec: [], log: false, check: true, ...extra };
}

/** The reference lab as a student who left out GM-2's static mroute would hand it in. */
function withoutGm2Mroute(): string {
  const file = JSON.parse(referenceText) as { devices: { name: string; config: string }[] };
  const gm2 = file.devices.find((d) => d.name === 'GM-2')!;
  expect(gm2.config).toContain(MROUTE);
  gm2.config = gm2.config.replace(MROUTE, '');
  return JSON.stringify(file);
}

describe('--check', () => {
  it("passes every check of the article's lessons on the reference lab (exit 0)", async () => {
    const r = await runHeadless({ options: options(), scenarioText: referenceText });
    const out = r.stdout.join('\n');
    expect(r.exitCode).toBe(0);
    expect(out).not.toContain('FAIL');
    expect(out).toContain(
      "PASS  GM-2 reaches the KS through Tunnel10 for RPF: GM-2's RPF for 1.1.1.1 is Tunnel10, neighbour 192.168.100.1 (static mroute 1.1.1.1/32).",
    );
    expect(out).toMatch(/PASS {2}GM-2 dropped a packet from the KS on RPF \(timeline\): GM-2: rpf drop at/);
    expect(r.stdout.at(-1)).toBe('28 checks: 28 passed, 0 failed.');
  }, 60_000);

  it('fails a submission without GM-2 mroute with the RPF interface it sees (exit 1), as one JSON document', async () => {
    const r = await runHeadless({ options: options({ json: true }), scenarioText: withoutGm2Mroute() });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout.join('\n')) as GradeReport;
    expect(report.pass).toBe(false);
    expect(report.passed + report.failed).toBe(28);
    const first = report.lessons[0]!.steps[0]!.checks.find((c) => c.kind === 'rpf')!;
    expect(first).toEqual({
      kind: 'rpf',
      label: 'GM-2 reaches the KS through Tunnel10 for RPF',
      pass: false,
      detail: "GM-2's RPF interface for 1.1.1.1 is Serial1/0, expected Tunnel10.",
    });
  }, 60_000);

  it('exits 1 with a message for a lab without lesson checks; --json needs --check', async () => {
    const v1 = readFileSync('public/scenarios/getvpn-as-printed.json', 'utf8');
    const r = await runHeadless({
      options: options({ scenarioPath: 'public/scenarios/getvpn-bsr.json' }),
      scenarioText: readFileSync('public/scenarios/getvpn-bsr.json', 'utf8'),
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.at(-1)).toBe('No checks: the scenario has no lessons with checks.');
    expect(r.stderr).toContain('--check: the scenario has no lesson checks');
    expect(parseScenario(v1).scenario?.lessons).toBeUndefined();
    expect(parseArgs(['x.json', '--json'])).toEqual({ error: '--json goes with --check' });
    expect(parseArgs(['x.json', '--check', '--json'])).toMatchObject({ check: true, json: true });
  }, 60_000);
});

describe('npm run sim --save', () => {
  it('writes format 2: a v1 file keeps every field and gains the format; lessons survive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'getlab-save-'));
    const saved = join(dir, 'v2.json');
    const v1 = 'src/sim/scenario/fixtures/v1-two-routers.json';
    const r = spawnSync('node_modules/.bin/tsx', ['src/runner/cli.ts', v1, '--save', saved], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const before = JSON.parse(readFileSync(v1, 'utf8')) as { devices: object[] };
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual({
      ...before,
      format: 'getlab-scenario/2',
      devices: [before.devices[0], { ...before.devices[1], role: 'router' }],
    });
    const again = join(dir, 'again.json');
    writeFileSync(join(dir, 'ref.json'), referenceText);
    const r2 = spawnSync(
      'node_modules/.bin/tsx',
      ['src/runner/cli.ts', join(dir, 'ref.json'), '--save', again],
      {
        encoding: 'utf8',
      },
    );
    expect(r2.status).toBe(0);
    expect(parseScenario(readFileSync(again, 'utf8')).scenario).toEqual(
      parseScenario(referenceText).scenario,
    );
  }, 60_000);
});
