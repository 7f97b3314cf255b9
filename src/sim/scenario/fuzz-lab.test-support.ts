/**
 * Test support for the configuration fuzzer (config-fuzz.property.test.ts): the lab state a user checks, the
 * parts of the running-config a change can remove, and the console lines that remove and restore them.
 */
import { CliSession } from '../cli/cli-session';
import { renderRunningConfig } from '../config/render';
import type { Router } from '../device/router';
import { seconds } from '../kernel/time';
import { formatIpv4, parseIpv4 } from '../net/ipv4-address';
import { formatPrefix } from '../net/prefix';
import { eigrpOf } from '../protocols/eigrp/eigrp-service';
import { pimOf } from '../protocols/pim/pim-service';
import { gdoiView } from '../protocols/gdoi/gdoi-view';
import type { Lab } from './lab';

const REKEY_GROUP = parseIpv4('239.10.10.1')!;

// ---- what the lab looks like ----------------------------------------------------------------------------

/** The state a user checks: adjacencies, routes, RP mappings, group keys. Uptimes and ages are left out. */
export function labState(lab: Lab): string[] {
  const out: string[] = [];
  const ks = gdoiView(lab.router('KS')!).keyServers[0];
  for (const r of lab.routers) {
    for (const p of [eigrpOf(r)?.process(10)].filter((x) => x !== undefined)) {
      for (const n of p.neighbors.values())
        out.push(`${r.name} eigrp ${formatIpv4(n.address)} ${n.interface} ${n.state}`);
    }
    for (const route of r.rib.installed()) {
      const hops = route.nextHops.map(
        (h) => `${h.address === undefined ? '-' : formatIpv4(h.address)}/${h.interface ?? '-'}`,
      );
      out.push(
        `${r.name} route ${formatPrefix(route.prefix)} ${route.source} ${route.distance}/${route.metric} ${hops.join(',')}`,
      );
    }
    const rp = pimOf(r).rpMappingFor(REKEY_GROUP)?.rp;
    out.push(`${r.name} rp ${rp === undefined ? 'none' : formatIpv4(rp)}`);
    for (const m of gdoiView(r).members) {
      const current = m.currentTekSpi !== undefined && m.currentTekSpi === ks?.tekSpi;
      const kek = m.kekSpi !== undefined && m.kekSpi === ks?.kekSpi;
      out.push(
        `${r.name} gdoi ${m.group} ${m.status} tek=${current ? 'current' : m.currentTekSpi} kek=${kek ? 'current' : m.kekSpi}`,
      );
    }
  }
  return out.sort();
}

// ---- the parts of the configuration a change removes ----------------------------------------------------

/** A config line with the mode lines that lead to it (`crypto gdoi group G`, ` server local`, …). */
export interface ConfigPart {
  readonly device: string;
  readonly path: readonly string[];
  readonly line: string;
  /** The line's sub-mode lines (a block): restored with it. */
  readonly children: readonly string[];
}

const RELEVANT =
  /crypto|gdoi|isakmp|ipsec|transform|profile|rekey|sa ipsec|match address|replay|identity|server|set (group|transform)|pim|igmp|mroute|multicast|eigrp|network|auto-summary|tunnel|nhrp|access-list|permit|deny|remark|^interface (Tunnel|Serial|Loopback0)/;

/** Every line of every router's running-config, with its mode path and block (IOS indents sub-modes). */
export function configParts(lab: Lab): ConfigPart[] {
  const parts: ConfigPart[] = [];
  for (const r of lab.routers) {
    const lines = renderRunningConfig(r.config).split('\n');
    lines.forEach((raw, i) => {
      const depth = raw.length - raw.trimStart().length;
      const line = raw.trim();
      if (
        line === '' ||
        line.startsWith('!') ||
        line === 'end' ||
        /^(hostname|crypto key generate)/.test(line)
      )
        return;
      if (!RELEVANT.test(line)) return;
      const path: string[] = [];
      let want = depth;
      for (let j = i - 1; j >= 0 && want > 0; j--) {
        const d = lines[j]!.length - lines[j]!.trimStart().length;
        if (d < want && lines[j]!.trim() !== '' && !lines[j]!.trim().startsWith('!')) {
          path.unshift(lines[j]!.trim());
          want = d;
        }
      }
      const children: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const d = lines[j]!.length - lines[j]!.trimStart().length;
        if (lines[j]!.trim() === '' || d <= depth) break;
        children.push(lines[j]!.trim());
      }
      parts.push({ device: r.name, path, line, children });
    });
  }
  return parts;
}

/** Console lines that remove a part, and those that put it back. */
export function removal(p: ConfigPart): string[] {
  // A line that is itself a `no` (`no auto-summary`) is removed by its positive form.
  return [...p.path, p.line.startsWith('no ') ? p.line.slice(3) : `no ${p.line}`];
}

export function restoration(p: ConfigPart): string[] {
  return [...p.path, p.line, ...p.children];
}

// ---- running a sequence ----------------------------------------------------------------------------------

export interface Change {
  readonly part: number;
  /** Seconds after the baseline. */
  readonly at: number;
  /** Seconds removed. */
  readonly outage: number;
  /** Change the line's last number (a wrong key, address, priority, lifetime) instead of removing it. */
  readonly edit?: boolean;
}

/** The line with its last number changed by one (`tunnel key 123` -> `tunnel key 124`), or undefined. */
export function editedLine(line: string): string | undefined {
  if (line.startsWith('no ')) return undefined;
  const m = /(\d+)(?!.*\d)/.exec(line);
  if (!m) return undefined;
  const n = Number(m[1]);
  const changed = n > 0 ? n - 1 : n + 1;
  return line.slice(0, m.index) + String(changed) + line.slice(m.index + m[1]!.length);
}

export interface Step {
  readonly t: number;
  readonly device: string;
  readonly lines: readonly string[];
  readonly restore: boolean;
}

export function steps(baselineAt: number, parts: readonly ConfigPart[], changes: readonly Change[]): Step[] {
  const out: Step[] = [];
  for (const c of changes) {
    const p = parts[c.part % parts.length]!;
    const t = baselineAt + seconds(c.at);
    // Only a leaf line gets a wrong value: a changed block header (`interface Loopback0` -> `Loopback1`) would
    // name another block, and taking that back with `no` would delete a block of the baseline.
    const edited =
      c.edit && p.children.length === 0 && !/^interface /.test(p.line) ? editedLine(p.line) : undefined;
    if (edited === undefined) {
      out.push({ t, device: p.device, lines: removal(p), restore: false });
      out.push({ t: t + seconds(c.outage), device: p.device, lines: restoration(p), restore: true });
      continue;
    }
    // The wrong value is taken back with `no` (a second network, NHS or key would otherwise stay).
    out.push({ t, device: p.device, lines: [...p.path, edited], restore: false });
    const undo = [...p.path, `no ${edited}`, ...restoration(p).slice(p.path.length)];
    out.push({ t: t + seconds(c.outage), device: p.device, lines: undo, restore: true });
  }
  // At one instant removals come first, so every part's last change is its restoration.
  return out.sort((a, b) => a.t - b.t || Number(a.restore) - Number(b.restore));
}

export async function configure(router: Router, lab: Lab, lines: readonly string[]): Promise<void> {
  const s = new CliSession(router, { epochMs: lab.epochMs });
  await s.execute('configure terminal');
  for (const l of lines) await s.execute(l);
  await s.execute('end');
}
