/**
 * The evaluator of a lesson's declarative checks (lesson-schema.ts) on a lab's typed state. Pure: it runs in the
 * worker (the page's student mode), in Vitest and in the headless runner (`--check`), and says in plain
 * language what it saw when a check fails.
 */
import { CliSession } from '../cli/cli-session';
import { IosRegex } from '../cli/ios-regex';
import type { Router } from '../device/router';
import type { SimTime } from '../kernel/time';
import type { TraceRecord } from '../kernel/trace';
import { formatIpv4, parseIpv4 } from '../net/ipv4-address';
import { eigrpOf } from '../protocols/eigrp/eigrp-service';
import { gdoiView, type GdoiMemberView } from '../protocols/gdoi/gdoi-view';
import { nhrpOf } from '../protocols/nhrp/nhrp-service';
import { entryFlags } from '../protocols/pim/mroute-table';
import { rpfSummary } from '../protocols/pim/multicast-view';
import { pimOf } from '../protocols/pim/pim-service';
import type { RpMapping } from '../protocols/pim/rp';
import type { Lab } from './lab';
import type { LessonCheck, LessonEventKind, RpOrigin } from './lesson-schema';

export interface CheckResult {
  readonly pass: boolean;
  /** What was seen, in plain language ("GM-2's RPF interface for 1.1.1.1 is Serial1/0, expected Tunnel10"). */
  readonly detail: string;
}

/**
 * What the evaluator cannot compute inside src/sim: the worker's classification of trace records
 * (src/worker/classify.ts). The worker and the runner pass their classifier; without one an `event-since-step`
 * check fails and says why.
 */
export interface CheckContext {
  readonly eventKind?: (record: TraceRecord) => string;
}

type Of<K extends LessonCheck['kind']> = Extract<LessonCheck, { kind: K }>;

/** Evaluates `check` on `lab` now; `sinceT` is when the lesson step began (simulated µs). Never throws. */
export async function evaluateCheck(
  lab: Lab,
  check: LessonCheck,
  sinceT: SimTime,
  context: CheckContext = {},
): Promise<CheckResult> {
  try {
    return await evaluate(lab, check, sinceT, context);
  } catch (e) {
    return { pass: false, detail: `The check could not be evaluated: ${(e as Error).message}` };
  }
}

async function evaluate(lab: Lab, c: LessonCheck, sinceT: SimTime, ctx: CheckContext): Promise<CheckResult> {
  if (c.kind === 'not') {
    const inner = await evaluateCheck(lab, c.check, sinceT, ctx);
    return { pass: !inner.pass, detail: `${inner.pass ? 'Holds' : 'Does not hold'}: ${inner.detail}` };
  }
  const device = c.kind === 'rekey-since-change' ? c.member : c.device;
  const router = lab.router(device);
  if (!router) return { pass: false, detail: `There is no device named "${device}".` };
  switch (c.kind) {
    case 'rpf':
      return checkRpf(router, c);
    case 'gm-current-tek':
      return checkCurrentTek(lab, router, c);
    case 'adjacency':
      return checkAdjacency(router, c);
    case 'event-since-step':
      return checkEvent(lab, c, sinceT, ctx);
    case 'rekey-since-change':
      return rekeySinceLastChange(lab, c.member);
    case 'show-matches':
      return checkShow(lab, router, c);
    case 'rp-mapping':
      return checkRpMapping(router, c);
    case 'mroute':
      return checkMroute(router, c);
  }
}

/** RFC 7761 §4.2's RPF interface (and neighbour) toward the source, as `show ip rpf` computes it. */
function checkRpf(router: Router, c: Of<'rpf'>): CheckResult {
  const source = parseIpv4(c.source);
  if (source === undefined) return { pass: false, detail: `"${c.source}" is not an IPv4 address.` };
  const rpf = rpfSummary(router, source);
  const who = `${router.name}'s RPF`;
  if (!rpf) return { pass: false, detail: `${router.name} has no RPF route to ${c.source}.` };
  if (c.interface !== undefined && rpf.interface !== c.interface)
    return {
      pass: false,
      detail: `${who} interface for ${c.source} is ${rpf.interface}, expected ${c.interface}.`,
    };
  const neighbor = rpf.neighbor ?? 'none (directly connected)';
  if (c.neighbor !== undefined && rpf.neighbor !== c.neighbor)
    return {
      pass: false,
      detail: `${who} neighbour for ${c.source} is ${neighbor}, expected ${c.neighbor}.`,
    };
  return {
    pass: true,
    detail: `${who} for ${c.source} is ${rpf.interface}, neighbour ${neighbor} (${rpf.description}).`,
  };
}

/** The member's newest TEK is the one its key server made last (RFC 6407: the KS creates every TEK). */
function checkCurrentTek(lab: Lab, router: Router, c: Of<'gm-current-tek'>): CheckResult {
  const members = gdoiView(router).members;
  const gm = c.group === undefined ? members[0] : members.find((m) => m.group === c.group);
  const group = c.group ?? 'any group';
  if (!gm) return { pass: false, detail: `${router.name} is not a member of ${group}.` };
  const ks = keyServerTek(lab, gm);
  if (ks === undefined)
    return { pass: false, detail: `No key server in the lab serves ${gm.group} at ${gm.keyServer}.` };
  if (gm.currentTekSpi !== ks.spi)
    return {
      pass: false,
      detail: `${router.name}'s newest TEK for ${gm.group} is ${gm.currentTekSpi ?? 'none'}, but ${ks.ks}'s current TEK is ${ks.spi ?? 'none'}.`,
    };
  return { pass: true, detail: `${router.name} holds ${gm.group}'s current TEK ${ks.spi}.` };
}

function keyServerTek(lab: Lab, gm: GdoiMemberView): { ks: string; spi?: string } | undefined {
  const address = parseIpv4(gm.keyServer);
  for (const r of lab.routers) {
    if (address === undefined || !r.ownsAddress(address)) continue;
    const ks = gdoiView(r).keyServers.find((k) => k.identity === gm.identity);
    if (ks) return { ks: r.name, spi: ks.tekSpi };
  }
  return undefined;
}

/** A neighbour as `show ip pim neighbor`, `show ip eigrp neighbors` or `show dmvpn` (state UP) lists it. */
function checkAdjacency(router: Router, c: Of<'adjacency'>): CheckResult {
  const want = c.up ?? true;
  const on = adjacencies(router, c.protocol).filter(
    (a) => c.interface === undefined || a.iface === c.interface,
  );
  const found = on.find((a) => a.address === c.neighbor && a.up);
  const where = c.interface !== undefined ? ` on ${c.interface}` : '';
  const proto = c.protocol.toUpperCase();
  const seen = on.filter((a) => a.up).map((a) => `${a.address} (${a.iface})`);
  const list = seen.length > 0 ? seen.join(', ') : 'none';
  if (found)
    return {
      pass: want,
      detail: `${router.name} has ${proto} neighbour ${c.neighbor} up on ${found.iface}${want ? '' : ', expected none'}.`,
    };
  return {
    pass: !want,
    detail: `${router.name} has no ${proto} neighbour ${c.neighbor} up${where}; its neighbours: ${list}.`,
  };
}

interface Adjacency {
  readonly address: string;
  readonly iface: string;
  readonly up: boolean;
}

function adjacencies(router: Router, protocol: Of<'adjacency'>['protocol']): Adjacency[] {
  if (protocol === 'pim')
    return pimOf(router)
      .neighbors.all()
      .map((n) => ({ address: formatIpv4(n.address), iface: n.interface, up: true }));
  if (protocol === 'eigrp')
    return [...(eigrpOf(router)?.processes.values() ?? [])].flatMap((p) =>
      [...p.neighbors.values()].map((n) => ({
        address: formatIpv4(n.address),
        iface: n.interface,
        up: n.state === 'up',
      })),
    );
  // NHRP: a peer's tunnel address; toward an NHS up only once it answers registrations (`show dmvpn` UP).
  return [...(nhrpOf(router)?.interfaces.values() ?? [])].flatMap((ni) =>
    ni.cache
      .all()
      .filter((e) => e.nbma !== undefined)
      .map((e) => {
        const nhs = ni.nhs.get(e.protocol);
        return {
          address: formatIpv4(e.protocol),
          iface: ni.name,
          up: nhs ? nhs.status === 'RE' : router.isUp(ni.name),
        };
      }),
  );
}

/** How a check names a mapping's origin, and how `show ip pim rp mapping` tells it. */
const ORIGIN_WORDS: Readonly<Record<RpMapping['origin'], string>> = {
  static: 'static',
  autorp: 'Auto-RP',
  bsr: 'BSR',
};
const ORIGIN_OF_CHECK: Readonly<Record<RpOrigin, RpMapping['origin']>> = {
  static: 'static',
  'auto-rp': 'autorp',
  bsr: 'bsr',
};

/**
 * The RP the device uses for the group, as `show ip pim rp mapping` elects it: an Auto-RP or BSR mapping beats
 * `ip pim rp-address` unless that line has `override` (rp.ts chooseRp; Cisco technote 118405).
 */
function checkRpMapping(router: Router, c: Of<'rp-mapping'>): CheckResult {
  const group = parseIpv4(c.group);
  if (group === undefined) return { pass: false, detail: `"${c.group}" is not an IPv4 address.` };
  const m = pimOf(router).rpMappingFor(group);
  if (!m) return { pass: false, detail: `${router.name} has no RP for ${c.group}.` };
  const rp = formatIpv4(m.rp);
  const from = m.infoSource !== undefined ? ` from ${formatIpv4(m.infoSource)}` : '';
  const seen = `${router.name} maps ${c.group} to RP ${rp} (${ORIGIN_WORDS[m.origin]}${from})`;
  if (c.rp !== undefined && rp !== c.rp) return { pass: false, detail: `${seen}, expected RP ${c.rp}.` };
  if (c.origin !== undefined && m.origin !== ORIGIN_OF_CHECK[c.origin])
    return { pass: false, detail: `${seen}, expected it from ${ORIGIN_WORDS[ORIGIN_OF_CHECK[c.origin]]}.` };
  return { pass: true, detail: `${seen}.` };
}

/** The (*,G) or (S,G) entry of `show ip mroute` and its mode: D (dense) or S (sparse) on the (*,G). */
function checkMroute(router: Router, c: Of<'mroute'>): CheckResult {
  const group = parseIpv4(c.group);
  const source = c.source === undefined ? undefined : parseIpv4(c.source);
  if (group === undefined) return { pass: false, detail: `"${c.group}" is not an IPv4 address.` };
  if (c.source !== undefined && source === undefined)
    return { pass: false, detail: `"${c.source}" is not an IPv4 address.` };
  const name = `(${c.source ?? '*'}, ${c.group})`;
  const e = pimOf(router).mroutes.get(source, group);
  if (!e) return { pass: false, detail: `${router.name} has no ${name} entry.` };
  const mode = e.dense ? 'dense' : 'sparse';
  const rp = e.source === undefined ? `, RP ${e.rp === undefined ? '0.0.0.0' : formatIpv4(e.rp)}` : '';
  const seen = `${router.name} has ${name}${rp}, flags: ${entryFlags(e)} (${mode})`;
  if (c.mode !== undefined && c.mode !== mode) return { pass: false, detail: `${seen}, expected ${c.mode}.` };
  return { pass: true, detail: `${seen}.` };
}

/** An event of the worker's kind on the device since the step began (the trace's window holds it). */
function checkEvent(lab: Lab, c: Of<'event-since-step'>, sinceT: SimTime, ctx: CheckContext): CheckResult {
  if (!ctx.eventKind)
    return { pass: false, detail: 'The event history is not available where this check runs.' };
  const found = recordsSince(lab, sinceT).find((r) => r.device === c.device && ctx.eventKind!(r) === c.event);
  const since = `since ${secondsText(sinceT)}`;
  if (!found) return { pass: false, detail: `No ${eventWords(c.event)} on ${c.device} ${since}.` };
  return { pass: true, detail: `${c.device}: ${eventWords(c.event)} at ${secondsText(found.t)} (${since}).` };
}

function recordsSince(lab: Lab, sinceT: SimTime): TraceRecord[] {
  const all = lab.kernel.trace.all();
  let i = all.length;
  while (i > 0 && all[i - 1]!.t >= sinceT) i--;
  return all.slice(i);
}

/**
 * A rekey received after the member's last configuration change (as rekeySinceLastChange in src/ui/lessons.ts):
 * a re-registration does not count, since Cisco 116737 (GM 1.0.4) has a member that missed the KEK rekey
 * re-register by unicast, which hides a broken multicast path instead of proving it works.
 */
export function rekeySinceLastChange(lab: Lab, member: string): CheckResult {
  const router = lab.router(member);
  if (!router) return { pass: false, detail: `There is no device named "${member}".` };
  const changed = lastConfigChange(lab, router.name);
  const gm = gdoiView(router).members[0];
  if (!gm) return { pass: false, detail: `${router.name} is not a GDOI group member.` };
  if (gm.secondsSinceLastRekey === undefined)
    return { pass: false, detail: `${router.name} has received no rekey.` };
  const at = lab.kernel.now - gm.secondsSinceLastRekey * 1_000_000;
  const after = changed === undefined ? '' : ` after its configuration changed at ${secondsText(changed)}`;
  if (changed !== undefined && at <= changed)
    return {
      pass: false,
      detail: `${router.name}'s last rekey came at ${secondsText(at)}, before its configuration changed at ${secondsText(changed)}.`,
    };
  return { pass: true, detail: `${router.name} received a rekey at ${secondsText(at)}${after}.` };
}

/** The time of the device's newest %SYS-5-CONFIG_I (left configuration mode), if any. */
function lastConfigChange(lab: Lab, device: string): SimTime | undefined {
  const all = lab.kernel.trace.all();
  for (let i = all.length - 1; i >= 0; i--) {
    const r = all[i]!;
    if (r.kind === 'log' && r.device === device && r.text.startsWith('%SYS-5-CONFIG_I')) return r.t;
  }
  return undefined;
}

/** A show command's output matches an IOS regular expression on one line, as `| include` would. */
async function checkShow(lab: Lab, router: Router, c: Of<'show-matches'>): Promise<CheckResult> {
  // A check only looks: anything but a show command could change the lab it grades.
  if (!/^\s*sh(o(w)?)?\s/i.test(c.command))
    return { pass: false, detail: `"${c.command}" is not a show command.` };
  let regex: IosRegex;
  try {
    regex = new IosRegex(c.pattern);
  } catch (e) {
    return {
      pass: false,
      detail: `The pattern "${c.pattern}" is not an IOS regular expression: ${(e as Error).message}`,
    };
  }
  const output = await new CliSession(router, { epochMs: lab.epochMs }).execute(c.command);
  const line = output.split('\n').find((l) => regex.test(l));
  if (line === undefined)
    return { pass: false, detail: `No line of "${c.command}" on ${router.name} matches "${c.pattern}".` };
  return { pass: true, detail: `${router.name}: "${line.trim()}"` };
}

function eventWords(kind: LessonEventKind): string {
  return kind.replace(/-/g, ' ');
}

function secondsText(t: SimTime): string {
  return `${Math.round(t / 1000) / 1000} s`;
}
