import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateHubSpokes } from '../sim/scenario/generate';
import { parseArgs, type RunnerOptions } from './args';
import { writeExports } from './export';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

function options(argv: string[]): RunnerOptions {
  const o = parseArgs(argv);
  if ('error' in o) throw new Error(o.error);
  return o;
}

describe('runner --export-cml and --export-configs', () => {
  it('writes the CML topology and one .cfg per device, each config as the scenario holds it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'getlab-export-'));
    const o = options([
      'lab.json',
      '--export-cml',
      join(dir, 'lab.yaml'),
      '--export-configs',
      join(dir, 'cfg'),
    ]);
    expect(writeExports(o, reference)).toEqual([]);
    const topology = parse(readFileSync(join(dir, 'lab.yaml'), 'utf8')) as { nodes: { label: string }[] };
    expect(topology.nodes.map((n) => n.label)).toEqual(['KS', 'Central', 'SP', 'GM-1', 'GM-2']);
    expect(readdirSync(join(dir, 'cfg')).sort()).toEqual([
      'Central.cfg',
      'GM-1.cfg',
      'GM-2.cfg',
      'KS.cfg',
      'SP.cfg',
    ]);
    const ks = (JSON.parse(reference) as { devices: { name: string; config: string }[] }).devices[0]!;
    expect(readFileSync(join(dir, 'cfg', 'KS.cfg'), 'utf8').trimEnd()).toBe(ks.config.trimEnd());
  });

  it('says why a lab cannot become a CML topology instead of writing a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'getlab-export-'));
    const big = JSON.stringify(generateHubSpokes({ spokes: 30 }));
    expect(writeExports(options(['x.json', '--export-cml', join(dir, 'big.yaml')]), big)).toEqual([
      expect.stringMatching(/^--export-cml: SP has \d+ physical interfaces; an IOSv node has 16\.$/),
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('asks for a path after each option', () => {
    expect(parseArgs(['x.json', '--export-configs'])).toEqual({
      error: '--export-configs takes a directory',
    });
    expect(parseArgs(['x.json', '--export-cml'])).toEqual({ error: '--export-cml takes a file' });
  });
});
