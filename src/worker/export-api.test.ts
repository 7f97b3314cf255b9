// The worker's exports for the page (issue 17, "A bridge to real routers"): the lab as it is now as CML 2.x
// topology YAML and as one configuration per device, the same as the runner's --export-cml / --export-configs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createSimApi } from './api';

const REFERENCE = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const DEVICES = ['KS', 'Central', 'SP', 'GM-1', 'GM-2'];

interface Topology {
  nodes: { id: string; label: string; node_definition: string; configuration: string; x: number }[];
  links: { n1: string; i1: string; n2: string; i2: string; label: string }[];
}

describe('exportCml', () => {
  it('gives the reference lab as CML YAML: one IOSv node per device with its config, one link per cable', async () => {
    const api = createSimApi();
    const r = await api.exportCml(REFERENCE);
    expect(r.problems).toEqual([]);
    const topology = parse(r.yaml!) as Topology;
    expect(topology.nodes.map((n) => n.label)).toEqual(DEVICES);
    for (const n of topology.nodes) {
      expect(n.node_definition).toBe('iosv');
      expect(n.configuration).toMatch(new RegExp(`^hostname ${n.label}$`, 'm'));
    }
    // Central's Serial2/0 to SP's Serial1/0: IOSv has GigabitEthernet ports only, renumbered in each config.
    expect(topology.links.map((l) => l.label)).toContain(
      'Central-GigabitEthernet0/1<->SP-GigabitEthernet0/0',
    );
    expect(topology.links).toHaveLength(4);
  });

  it('exports the lab as the page has it: a console change is in the topology', async () => {
    const api = createSimApi();
    const edited = REFERENCE.replace('hostname GM-2\\n', 'hostname GM-2\\nbanner motd ^C edited ^C\\n');
    expect(edited).not.toBe(REFERENCE);
    const topology = parse((await api.exportCml(edited)).yaml!) as Topology;
    expect(topology.nodes.find((n) => n.label === 'GM-2')!.configuration).toContain(
      'banner motd ^C edited ^C',
    );
  });

  it('refuses a device with more ports than an IOSv node, and a text that is not a scenario, saying why', async () => {
    const api = createSimApi();
    const big = await api.exportCml(await api.generate(30));
    expect(big).toEqual({ problems: ['SP has 31 physical interfaces; an IOSv node has 16.'] });
    expect(await api.exportCml('{"format"')).toEqual({
      problems: ['The scenario does not parse, so it cannot be exported.'],
    });
  });
});

describe('exportConfigs', () => {
  it("gives every device's configuration in lab order, each starting with its hostname", async () => {
    const api = createSimApi();
    const r = await api.exportConfigs(REFERENCE);
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => f.device)).toEqual(DEVICES);
    for (const f of r.files) {
      expect(f.config.split('\n')[0]).toBe(`hostname ${f.device}`);
      expect(f.config.endsWith('\n')).toBe(true);
    }
  });

  it('leaves out a device whose name cannot be a file name, with the reason', async () => {
    const api = createSimApi();
    const file = JSON.parse(REFERENCE) as { devices: { name: string }[]; links: unknown[] };
    file.devices = [{ ...file.devices[0]!, name: '../KS' }];
    file.links = [];
    const r = await api.exportConfigs(JSON.stringify(file));
    expect(r).toEqual({ files: [], problems: ['Device "../KS": its name cannot be a file name.'] });
  });
});
