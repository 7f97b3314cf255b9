import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seconds } from '../kernel/time';
import {
  cmlTopology,
  configInterfaces,
  deviceConfigFiles,
  enablePorts,
  exportCml,
  IOSV_MAX_PORTS,
  rewriteInterfaces,
} from './cml-export';
import { loadLab } from './lab';
import { parseScenario, type Scenario } from './schema';

const referenceText = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const reference: Scenario = parseScenario(referenceText).scenario!;

/**
 * CML's topology schema, as JSON Schema. CML publishes it as pydantic models, not a schema file: VIRL 2
 * `topologies.py` / `links.py` / `interfaces.py` (© Cisco, published with xorrkaz/cml-mcp src/cml_mcp/schemas):
 * `Topology` forbids keys beyond nodes/links/lab/annotations; `LabTopology` needs `version` (0.0.1..0.3.0);
 * `LinkTopology` needs id/i1/i2/n1/n2 and allows label/conditioning; `InterfaceTopology` needs id/type. The
 * node and interface fields are also those of CML's exports (CiscoDevNet/virl2-client tests/test_data/mixed-*.yaml).
 */
const TOPOLOGY_VERSIONS = [
  '0.0.1',
  '0.0.2',
  '0.0.3',
  '0.0.4',
  '0.0.5',
  '0.1.0',
  '0.2.0',
  '0.2.1',
  '0.2.2',
  '0.3.0',
];
const CML_TOPOLOGY_SCHEMA = {
  type: 'object',
  required: ['lab', 'nodes', 'links'],
  additionalProperties: false,
  properties: {
    annotations: { type: 'array' },
    smart_annotations: { type: 'array' },
    lab: {
      type: 'object',
      required: ['version'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        notes: { type: 'string' },
        version: { enum: TOPOLOGY_VERSIONS },
        owner: { type: 'string' },
      },
    },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'node_definition', 'x', 'y', 'configuration', 'interfaces'],
        properties: {
          id: { type: 'string', pattern: '^n\\d+$' },
          label: { type: 'string', minLength: 1 },
          node_definition: { const: 'iosv' },
          x: { type: 'integer' },
          y: { type: 'integer' },
          configuration: { type: 'string', minLength: 1 },
          tags: { type: 'array', items: { type: 'string' } },
          interfaces: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'label', 'type'],
              additionalProperties: false,
              properties: {
                node: { type: 'string' },
                mac_address: { type: 'string' },
                id: { type: 'string', pattern: '^i\\d+$' },
                label: { type: 'string', pattern: '^(Loopback0|GigabitEthernet0/\\d+)$' },
                slot: { type: 'integer', minimum: 0 },
                type: { enum: ['loopback', 'physical'] },
              },
              if: { properties: { type: { const: 'physical' } } },
              then: { required: ['slot'] },
            },
          },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'n1', 'i1', 'n2', 'i2'],
        additionalProperties: false,
        properties: {
          conditioning: {
            type: 'object',
            additionalProperties: false,
            properties: {
              enabled: { type: 'boolean' },
              latency: { type: 'integer', minimum: 0, maximum: 10000 },
              loss: { type: 'number', minimum: 0, maximum: 100 },
            },
          },
          id: { type: 'string', pattern: '^l\\d+$' },
          n1: { type: 'string' },
          i1: { type: 'string' },
          n2: { type: 'string' },
          i2: { type: 'string' },
          label: { type: 'string' },
        },
      },
    },
  },
} as const;

interface ParsedTopology {
  lab: { title: string };
  nodes: {
    id: string;
    label: string;
    x: number;
    y: number;
    configuration: string;
    interfaces: { id: string; label: string; slot?: number; type: string }[];
  }[];
  links: { n1: string; i1: string; n2: string; i2: string; conditioning?: { latency?: number } }[];
}

function exported(scenario: Scenario = reference): ParsedTopology {
  const { yaml, problems } = exportCml(scenario);
  expect(problems).toEqual([]);
  return parse(yaml!) as ParsedTopology;
}

/** A GETLab scenario built back from a CML topology: the way a course moving the lab back would read it. */
function scenarioFromCml(t: ParsedTopology): Scenario {
  const end = (n: string, i: string): string => {
    const node = t.nodes.find((x) => x.id === n)!;
    return `${node.label} ${node.interfaces.find((x) => x.id === i)!.label}`;
  };
  return {
    ...reference,
    devices: t.nodes.map((n, k) => ({ ...reference.devices[k]!, config: n.configuration })),
    links: t.links.map((l, k) => ({ ...reference.links[k]!, a: end(l.n1, l.i1), b: end(l.n2, l.i2) })),
  };
}

describe('CML 2.x export of the reference lab', () => {
  it('is YAML that satisfies the documented CML topology fields', () => {
    const validate = new Ajv({ allErrors: true }).compile(CML_TOPOLOGY_SCHEMA);
    const topology = exported();
    expect(validate(topology), JSON.stringify(validate.errors)).toBe(true);
    expect(topology.lab.title).toBe(reference.title);
  });

  it('lists every device as an IOSv node with its position and config, the provider cloud too', () => {
    const { nodes } = exported();
    expect(nodes.map((n) => n.label)).toEqual(['KS', 'Central', 'SP', 'GM-1', 'GM-2']);
    expect(nodes.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    const sp = nodes.find((n) => n.label === 'SP')!;
    expect({ x: sp.x, y: sp.y }).toEqual({ x: 60, y: 0 });
    for (const n of nodes) expect(n.configuration).toMatch(new RegExp(`^hostname ${n.label}$`, 'm'));
  });

  it('maps each physical interface to an IOSv GigabitEthernet slot, in the config as well', () => {
    const { nodes } = exported();
    const labels = (name: string): string[] =>
      nodes.find((n) => n.label === name)!.interfaces.map((i) => i.label);
    expect(labels('SP')).toEqual([
      'Loopback0',
      'GigabitEthernet0/0',
      'GigabitEthernet0/1',
      'GigabitEthernet0/2',
    ]);
    expect(labels('Central')).toEqual(['Loopback0', 'GigabitEthernet0/0', 'GigabitEthernet0/1']);
    const central = nodes.find((n) => n.label === 'Central')!.configuration;
    // Central's FastEthernet0/0 (to the KS) and Serial2/0 (to the provider), and the tunnel's source with it.
    expect(central).toMatch(/^interface GigabitEthernet0\/0\n no shutdown$/m);
    expect(central).toMatch(/^interface GigabitEthernet0\/1$/m);
    expect(central).toMatch(/^ tunnel source GigabitEthernet0\/1$/m);
    expect(central).not.toMatch(/serial|fastethernet/i);
    // Virtual interfaces keep their names.
    expect(central).toMatch(/^interface Tunnel 10$/m);
  });

  it('lists every link, each end an existing node and interface', () => {
    const { nodes, links } = exported();
    expect(links).toHaveLength(reference.links.length);
    for (const l of links) {
      for (const [n, i] of [
        [l.n1, l.i1],
        [l.n2, l.i2],
      ] as const) {
        const node = nodes.find((x) => x.id === n);
        expect(node, n).toBeDefined();
        expect(node!.interfaces.map((x) => x.id)).toContain(i);
      }
    }
    const central = nodes.find((n) => n.label === 'Central')!;
    const sp = nodes.find((n) => n.label === 'SP')!;
    // Reference link 1: Central Se2/0 <-> SP Se1/0 = Central Gi0/1 (i2) <-> SP Gi0/0 (i1).
    expect(links[1]).toMatchObject({ n1: central.id, i1: 'i2', n2: sp.id, i2: 'i1' });
    // The scenario's link delays (1 ms on the LAN, 5 ms on the WAN) as CML link conditioning.
    expect(links.map((l) => l.conditioning?.latency)).toEqual(reference.links.map((l) => l.delayMs));
  });

  it('loads back into GETLab without errors, and the renamed lab still registers its group members', async () => {
    const { lab, problems } = loadLab(JSON.stringify(scenarioFromCml(exported())));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    await lab!.kernel.runUntil(seconds(60));
    for (const gm of ['GM-1', 'GM-2']) {
      const log = lab!.kernel.trace
        .all()
        .filter((r) => r.kind === 'log' && r.device === gm)
        .map((r) => (r.kind === 'log' ? r.text : ''));
      expect(log.join('\n'), gm).toMatch(/GDOI-5-GM_REGS_COMPL/);
    }
  });
});

describe('CML export of labs it cannot carry', () => {
  it('refuses a device with more physical interfaces than an IOSv node has, and says which', () => {
    const ports = Array.from({ length: IOSV_MAX_PORTS + 1 }, (_, i) => `interface Serial1/${i}\n`).join('');
    const big: Scenario = {
      ...reference,
      devices: [{ name: 'BIG', role: 'router', config: `hostname BIG\n${ports}` }],
      links: [],
    };
    expect(exportCml(big)).toEqual({ problems: [expect.stringContaining('BIG has 17 physical interfaces')] });
  });

  it('refuses a link delay CML cannot condition, and turns loss into a percentage', () => {
    const slow: Scenario = { ...reference, links: [{ ...reference.links[0]!, delayMs: 20_000 }] };
    expect(cmlTopology(slow).problems).toEqual(["Link #0: its delay 20000 ms is more than CML's 10000 ms."]);
    const lossy: Scenario = { ...reference, links: [{ ...reference.links[0]!, loss: 0.25 }] };
    expect(cmlTopology(lossy).topology!.links[0]!.conditioning).toEqual({
      enabled: true,
      latency: 1,
      loss: 25,
    });
  });

  it('reports a link end that names no interface instead of crashing', () => {
    const bad: Scenario = { ...reference, links: [{ a: 'constructor Se1/0', b: 'SP Se9/9' }] };
    expect(cmlTopology(bad).problems).toHaveLength(2);
  });

  it('rewrites only whole interface names the device has', () => {
    const ports = new Map([['Serial1/0', { label: 'GigabitEthernet0/0', slot: 0 }]]);
    const text =
      'interface serial 1/0.5\n tunnel source Se1/0\n ! the article prints serial 0/0\n ip address 10.1.0.1 255.0.0.0';
    expect(rewriteInterfaces(text, ports)).toBe(
      'interface GigabitEthernet0/0.5\n tunnel source GigabitEthernet0/0\n ! the article prints serial 0/0\n ip address 10.1.0.1 255.0.0.0',
    );
    expect(enablePorts('interface Gi0/0\n ip address 1.1.1.1 255.0.0.0\n!', new Set(['Gi0/0']))).toBe(
      'interface Gi0/0\n no shutdown\n ip address 1.1.1.1 255.0.0.0\n!',
    );
    expect(enablePorts('interface Gi0/0\n shutdown\n!', new Set(['Gi0/0']))).toBe(
      'interface Gi0/0\n shutdown\n!',
    );
    expect(configInterfaces('interface Tunnel 10\ninterface Fa1/0\ninterface Loopback 0')).toEqual([
      'Loopback0',
      'Tunnel10',
      'FastEthernet1/0',
    ]);
  });
});

describe('per-device config export', () => {
  it('writes one <hostname>.cfg per device, the config as the scenario holds it, which loads back unchanged', async () => {
    const { files, problems } = deviceConfigFiles(reference);
    expect(problems).toEqual([]);
    expect([...files.keys()]).toEqual(['KS.cfg', 'Central.cfg', 'SP.cfg', 'GM-1.cfg', 'GM-2.cfg']);
    const back: Scenario = {
      ...reference,
      devices: reference.devices.map((d) => ({ ...d, config: files.get(`${d.name}.cfg`)! })),
    };
    const hash = async (s: Scenario): Promise<string> => {
      const { lab, problems: p } = loadLab(JSON.stringify(s), 1);
      expect(p.filter((x) => x.severity === 'error')).toEqual([]);
      await lab!.kernel.runUntil(seconds(20));
      return lab!.kernel.trace.hash();
    };
    expect(await hash(back)).toBe(await hash(reference));
  });

  it('refuses a name that is no safe file name', () => {
    const bad: Scenario = { ...reference, devices: [{ name: '../x', role: 'router', config: 'hostname x' }] };
    expect(deviceConfigFiles(bad).problems).toEqual(['Device "../x": its name cannot be a file name.']);
  });
});
