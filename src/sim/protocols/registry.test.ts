import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { Router, type RouterModule } from '../device/router';
import type { Lab } from '../scenario/lab';
import { loadTestLab } from '../scenario/test-lab.test-support';
import { attachProtocols } from './attach';
import type { ProtocolDescriptor } from './descriptor';
import { PROTOCOLS, protocolById, wireStyles } from './registry';
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
    for (const d of lab.devices.values()) {
      const r = d.router;
      const enabled = PROTOCOLS.filter((p) => p.service && (p.service.enabledBy?.(r.config) ?? true));
      expect(attachedServiceIds(r)).toEqual(enabled.map((p) => p.id));
      // The tunnel layer (GRE, NHRP) reads its config before IGMP, IKE, EIGRP, GDOI and PIM send through it.
      const positions = PROTOCOLS.map((p) => r.modules.indexOf(serviceOf(r, p.id) as RouterModule)).filter(
        (i) => i >= 0,
      );
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(r.modules.map((m) => m.name).slice(0, 3)).toEqual(['tunnel', 'nhrp', 'igmp']);
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
