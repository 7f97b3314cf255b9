import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import type { ExtendedAce } from '../config/model';
import { parseConfig } from '../config/parse';
import { Kernel } from '../kernel/kernel';
import { copyGraph } from '../kernel/snapshot';
import { parseIpv4 } from '../net/ipv4-address';
import { makePrefix } from '../net/prefix';
import { attachProtocols } from '../protocols/attach';
import type { ProtocolDescriptor } from '../protocols/descriptor';
import { countAclMatch } from '../protocols/esp/acl-counters';
import { attachedServiceIds, serviceOf } from '../protocols/services';
import { loadLab } from '../scenario/lab';
import { generateHubSpokes } from '../scenario/generate';
import { Router, type RouterModule } from './router';
import { Wire } from './wire.test-support';

const ip = (t: string): number => parseIpv4(t) ?? 0;

/** The router's per-packet indexes (own addresses, interface configs) follow config changes made at the console. */
describe('Router indexes', () => {
  it('owns an address once it is configured, and no longer once it is changed', async () => {
    const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes: 2 })));
    const gm = lab!.router('GM-1')!;
    const cli = new CliSession(gm, { epochMs: lab!.epochMs });
    expect(gm.ownsAddress(ip('11.0.0.1'))).toBe(true);
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(false);
    for (const line of [
      'enable',
      'configure terminal',
      'interface Loopback7',
      'ip address 99.9.9.9 255.255.255.255',
    ])
      await cli.execute(line);
    expect(gm.interfaceConfig('Loopback7')?.address?.address).toBe(ip('99.9.9.9'));
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(true);
    await cli.execute('ip address 99.9.9.8 255.255.255.255');
    expect(gm.ownsAddress(ip('99.9.9.9'))).toBe(false);
    expect(gm.ownsAddress(ip('99.9.9.8'))).toBe(true);
    // Unknown interfaces stay unknown; known ones keep answering after the list grew.
    expect(gm.interfaceConfig('Loopback8')).toBeUndefined();
    expect(gm.interfaceConfig('Serial1/0')?.address?.address).toBe(ip('100.64.0.1'));
  });
});

/** A service a config change can enable (`hostname ON`), as `attach.ts` attaches protocols. */
class Probe implements RouterModule {
  readonly name = 'probe';
  readonly router: Router;
  reconciles = 0;
  constructor(router: Router) {
    this.router = router;
    router.modules.push(this);
  }
  reconcile(): void {
    this.reconciles++;
  }
}

const PROBES: readonly ProtocolDescriptor[] = [
  { id: 'always', title: 'Always', service: { create: (r) => new Probe(r) } },
  {
    id: 'later',
    title: 'Later',
    service: { enabledBy: (c) => c.hostname === 'ON', create: (r) => new Probe(r) },
  },
];

const LONE_CONFIG = [
  'hostname R9',
  'interface GigabitEthernet0/0',
  ' ip address 10.0.0.1 255.255.255.0',
  'ip access-list extended WAN',
  ' permit ip any any',
  'ip route 192.0.2.0 255.255.255.0 10.9.9.9',
].join('\n');

/**
 * Issue 18: a checkpoint is a copy of the object graph. What used to sit in module-level WeakMaps keyed by the
 * router (attached services, ACL match counts, console-typed addresses) and the router's own callbacks (the
 * RIB's change hook, the attach hook, a console's config listener) must come along and act on the copy.
 */
describe('Router copied by a checkpoint (issue 18)', () => {
  async function loneRouter(): Promise<{ r: Router; cli: CliSession; wire: Wire; kernel: Kernel }> {
    const kernel = new Kernel(1);
    const wire = new Wire();
    const r = new Router('R9', kernel, parseConfig(LONE_CONFIG, 'R9').model, wire);
    attachProtocols(r, PROBES);
    r.reconcile();
    countAclMatch(r, r.config.accessLists.get('WAN')!.entries[0] as ExtendedAce);
    const cli = new CliSession(r, { epochMs: 0 });
    for (const line of [
      'configure terminal',
      'interface GigabitEthernet0/0',
      'ip address 10.0.0.2 255.255.255.0',
    ])
      await cli.execute(line);
    return { r, cli, wire, kernel };
  }

  it('carries services, ACL counts and console-typed addresses, each the copy’s own', async () => {
    const { r, cli, wire, kernel } = await loneRouter();
    const copy = copyGraph({ r, cli, wire }, { share: (o) => o === kernel.trace });
    const service = serviceOf<Probe>(copy.r, 'always');
    expect(service).toBeInstanceOf(Probe);
    expect(service).not.toBe(serviceOf(r, 'always'));
    expect(service!.router).toBe(copy.r);
    expect(copy.r.modules).toEqual([service]);
    expect(attachedServiceIds(copy.r)).toEqual(['always']);
    countAclMatch(copy.r, copy.r.config.accessLists.get('WAN')!.entries[0] as ExtendedAce);
    const show = async (c: CliSession, line: string): Promise<string> =>
      (await c.execute(`do ${line}`)).trim();
    expect(await show(copy.cli, 'show ip access-lists WAN')).toContain('permit ip any any (2 matches)');
    expect(await show(cli, 'show ip access-lists WAN')).toContain('permit ip any any (1 match)');
    // Cisco IP Addressing Services Command Reference, "show ip interface" brief: "manual" = typed at the CLI.
    expect(await show(copy.cli, 'show ip interface brief | include GigabitEthernet0/0')).toMatch(
      /^GigabitEthernet0\/0\s+10\.0\.0\.2\s+YES manual/,
    );
  });

  it('a config line typed into the copied console reconciles the copy only, and attaches what it enables there', async () => {
    const { r, cli, wire, kernel } = await loneRouter();
    const copy = copyGraph({ r, cli, wire }, { share: (o) => o === kernel.trace });
    await copy.cli.execute('hostname ON');
    expect(copy.r.hostname).toBe('ON');
    expect(r.hostname).toBe('R9');
    expect(attachedServiceIds(copy.r)).toEqual(['always', 'later']);
    expect(serviceOf<Probe>(copy.r, 'later')!.router).toBe(copy.r);
    expect(attachedServiceIds(r)).toEqual(['always']);
  });

  it("the RIB's change hook refreshes the copy's static routes, not the original's", async () => {
    const { r, cli, wire, kernel } = await loneRouter();
    const copy = copyGraph({ r, cli, wire }, { share: (o) => o === kernel.trace });
    const target = ip('192.0.2.1');
    expect(copy.r.rib.resolve(target)).toBeUndefined();
    // A protocol learns the static route's next hop: the static route follows (router.ts `ribChanged`).
    copy.r.rib.setRoutes('eigrp', [
      {
        prefix: makePrefix(ip('10.9.9.0'), 24),
        source: 'eigrp',
        distance: 90,
        metric: 1,
        nextHops: [{ address: ip('10.0.0.254'), interface: 'GigabitEthernet0/0' }],
        since: 0,
      },
    ]);
    expect(copy.r.rib.resolve(target)?.interface).toBe('GigabitEthernet0/0');
    expect(r.rib.resolve(target)).toBeUndefined();
  });
});
