import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { parseConfig } from '../config/parse';
import { seconds } from '../kernel/time';
import { Router, type RouterModule } from '../device/router';
import { EIGRP_HELLO } from '../net/codec-fixtures.test-support';
import { encodeEigrp } from '../net/eigrp';
import { encodeGre, GRE_PROTOCOL } from '../net/gre';
import { encodeIpv4, IP_PROTO, type Ipv4Datagram, ipv4Header } from '../net/ipv4';
import { formatIpv4, parseIpv4 } from '../net/ipv4-address';
import type { Lab } from '../scenario/lab';
import { loadTestLab, router } from '../scenario/test-lab.test-support';
import { attachProtocols } from './attach';
import type { ProtocolDescriptor } from './descriptor';
import { PROTOCOLS, protocolById, routerViewById, routerViews, wireStyles } from './registry';
import { attachedServiceIds, serviceOf } from './services';

function referenceLab(): Lab {
  return loadTestLab(
    JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as object,
  );
}

/** A module that records when it reconciles, for the attach-order tests below. */
class Probe implements RouterModule {
  readonly name: string;
  private readonly log: string[];

  constructor(name: string, router: Router, log: string[]) {
    this.name = name;
    this.log = log;
    router.modules.push(this);
  }

  reconcile(): void {
    this.log.push(this.name);
  }
}

function probe(
  id: string,
  log: string[],
  extra: Partial<ProtocolDescriptor['service']> = {},
): ProtocolDescriptor {
  return { id, title: id, service: { create: (r) => new Probe(id, r, log), ...extra } };
}

describe('the protocol registry', () => {
  it('registers every protocol once, under a unique id, each with a title', () => {
    const ids = PROTOCOLS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Today's attach order (the order routers were built in before the registry): reconcile order, kept.
    expect(ids.slice(0, 9)).toEqual(['tunnel', 'nhrp', 'igmp', 'esp', 'ike', 'icmp', 'eigrp', 'gdoi', 'pim']);
    for (const p of PROTOCOLS) {
      expect(protocolById(p.id)).toBe(p);
      expect(p.title).not.toBe('');
    }
    // Ids come from configs and URLs: an object's own property names are not protocols.
    expect(protocolById('constructor')).toBeUndefined();
    expect(protocolById('__proto__')).toBeUndefined();
  });

  it('gives the router panel one tab per protocol view, ids unique, looked up through a Map', () => {
    const ids = routerViews().map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['nhrp', 'pim', 'gdoi']);
    for (const v of routerViews()) expect(v.commands.length, v.id).toBeGreaterThan(0);
    expect(routerViewById('constructor')).toBeUndefined();
    expect(routerViewById('__proto__')).toBeUndefined();
    expect(routerViewById('gdoi')?.state).toBeTypeOf('function');
  });

  it('names only registered protocols in `requires`, each earlier in the registry than its dependant', () => {
    PROTOCOLS.forEach((p, i) => {
      for (const need of p.service?.requires ?? []) {
        const at = PROTOCOLS.findIndex((q) => q.id === need);
        expect(at, `${p.id} requires ${need}`).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThan(i);
      }
    });
  });

  it('attaches the services on every router of the reference lab and reconciles them in registry order', () => {
    const lab = referenceLab();
    expect(
      router(lab, 'Central')
        .modules.map((m) => m.name)
        .slice(0, 3),
    ).toEqual(['tunnel', 'nhrp', 'igmp']);
    for (const d of lab.devices.values()) {
      const r = d.router;
      const ids = attachedServiceIds(r);
      const enabled = PROTOCOLS.filter((p) => p.service && (p.service.enabledBy?.(r.config) ?? true));
      for (const p of enabled) expect(ids, `${r.name} runs ${p.id}`).toContain(p.id);
      // Anything else attached is there because an attached service requires it (GDOI on the KS needs ESP).
      const required = new Set(
        PROTOCOLS.filter((p) => ids.includes(p.id)).flatMap((p) => p.service?.requires ?? []),
      );
      for (const id of ids) expect(enabled.some((p) => p.id === id) || required.has(id), id).toBe(true);
      expect(ids).toEqual(PROTOCOLS.map((p) => p.id).filter((id) => ids.includes(id)));
      const positions = PROTOCOLS.map((p) => r.modules.indexOf(serviceOf(r, p.id) as RouterModule)).filter(
        (i) => i >= 0,
      );
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('gives each wire protocol one style, the legend in the order the reference lab nests them', () => {
    const styles = wireStyles();
    expect(new Set(styles.map((s) => s.id)).size).toBe(styles.length);
    const legend = styles.filter((s) => s.legendOrder !== undefined).map((s) => s.id);
    expect(legend).toEqual([
      'esp',
      'gre',
      'nhrp',
      'eigrp',
      'pim',
      'autorp',
      'igmp',
      'gdoi',
      'isakmp',
      'icmp',
    ]);
    for (const s of styles) expect(s.color).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('attaching services by config', () => {
  function bareRouter(lab: Lab): Router {
    return new Router('R9', lab.kernel, parseConfig('hostname R9\n', 'R9').model, lab);
  }

  it('attaches a service when a config change enables it, and still reconciles in registry order', () => {
    const lab = referenceLab();
    const log: string[] = [];
    const late = probe('late', log, { enabledBy: (c) => c.hostname === 'LATE' });
    const r = bareRouter(lab);
    attachProtocols(r, [probe('first', log), late, probe('last', log)]);
    expect(attachedServiceIds(r)).toEqual(['first', 'last']);
    expect(serviceOf(r, 'late')).toBeUndefined();
    r.config.hostname = 'LATE';
    log.length = 0;
    r.reconcile();
    expect(attachedServiceIds(r)).toContain('late');
    expect(r.modules.map((m) => m.name)).toEqual(['first', 'late', 'last']);
    // Attached before the modules read the config: it reconciles in the same pass, in its place.
    expect(log).toEqual(['first', 'late', 'last']);
  });

  it('pulls in what a service requires, first, even where the dependency’s own config does not enable it', () => {
    const lab = referenceLab();
    const log: string[] = [];
    const r = bareRouter(lab);
    attachProtocols(r, [
      probe('base', log, { enabledBy: () => false }),
      probe('user', log, { requires: ['base'] }),
    ]);
    expect(attachedServiceIds(r)).toEqual(['base', 'user']);
    expect(r.modules.map((m) => m.name)).toEqual(['base', 'user']);
  });
});

/** A packet as it arrives on `iface` of `r`, addressed to `r`'s address there (`source` sent it). */
async function arrive(r: Router, iface: string, protocol: number, payload: Uint8Array): Promise<void> {
  const destination = r.interfaceAddress(iface)!;
  const datagram: Ipv4Datagram = {
    header: ipv4Header({ protocol, source: parseIpv4('203.0.113.9')!, destination }),
    payload,
  };
  await r.processIngress({ datagram, bytes: encodeIpv4(datagram), inInterface: iface });
}

function packetRecords(lab: Lab, device: string): { event: string; reason?: string; protocols: string }[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'packet' && r.device === device)
    .map((r) =>
      r.kind === 'packet'
        ? { event: r.event, reason: r.reason, protocols: r.protocols.join('/') }
        : { event: '', protocols: '' },
    );
}

describe('a router whose config does not run a protocol', () => {
  // The reference lab's KS runs no `router eigrp` and has no tunnel: it gets neither service. A packet of
  // either protocol still meets the handling it met when every router ran every service (delivered to the
  // protocol, dropped with the protocol's reason, no ICMP protocol-unreachable sent back).
  it('has no EIGRP service, and drops an EIGRP packet as a router without that AS did', async () => {
    const lab = referenceLab();
    const ks = router(lab, 'KS');
    expect(serviceOf(ks, 'eigrp')).toBeUndefined();
    const iface = ks.config.interfaces.find((i) => i.address && !i.name.startsWith('Loopback'))!.name;
    const before = packetRecords(lab, 'KS').length;
    await arrive(ks, iface, IP_PROTO.EIGRP, encodeEigrp(EIGRP_HELLO));
    expect(packetRecords(lab, 'KS').slice(before)).toEqual([
      { event: 'delivered', reason: undefined, protocols: 'ipv4/eigrp' },
      {
        event: 'dropped',
        reason: `EIGRP AS ${EIGRP_HELLO.as} is not configured on this router`,
        protocols: 'ipv4/eigrp',
      },
    ]);
  });

  it('has no tunnel layer, and drops a GRE packet as a router with no matching tunnel did', async () => {
    const lab = referenceLab();
    const ks = router(lab, 'KS');
    expect(serviceOf(ks, 'tunnel')).toBeUndefined();
    expect(serviceOf(ks, 'nhrp')).toBeUndefined();
    const iface = ks.config.interfaces.find((i) => i.address && !i.name.startsWith('Loopback'))!.name;
    const gre = encodeGre({ protocolType: GRE_PROTOCOL.NHRP, payload: new Uint8Array(4) });
    const before = packetRecords(lab, 'KS').length;
    await arrive(ks, iface, IP_PROTO.GRE, gre);
    const records = packetRecords(lab, 'KS').slice(before);
    expect(records.map((r) => r.event)).toEqual(['delivered', 'dropped']);
    expect(records[1]?.reason).toBe(
      `no tunnel interface accepts GRE from 203.0.113.9 to ${formatIpv4(ks.interfaceAddress(iface)!)}`,
    );
  });

  it('answers the shows of a protocol it does not run with their empty output, as before', async () => {
    const lab = referenceLab();
    const ks = new CliSession(router(lab, 'KS'), { epochMs: lab.epochMs });
    const sp = new CliSession(router(lab, 'SP'), { epochMs: lab.epochMs });
    await lab.kernel.runUntil(seconds(60));
    // What these printed when every router ran every service with nothing configured: nothing.
    expect(await ks.execute('show ip eigrp neighbors')).toBe('');
    expect(await sp.execute('show crypto gdoi')).toBe('');
    expect(await sp.execute('show ip nhrp')).toBe('');
  });

  it('attaches the service when a config change enables it (a first `router eigrp`)', async () => {
    const lab = referenceLab();
    const ks = router(lab, 'KS');
    const cli = new CliSession(ks, { epochMs: lab.epochMs });
    for (const line of ['configure terminal', 'router eigrp 10', 'network 10.0.0.0', 'end'])
      expect(await cli.execute(line)).not.toMatch(/^%/m);
    expect(serviceOf(ks, 'eigrp')).toBeDefined();
    expect(await cli.execute('show ip eigrp interfaces')).toContain('EIGRP-IPv4 Interfaces for AS(10)');
  });
});
