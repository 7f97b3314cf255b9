/**
 * The evaluator of a lesson's declarative checks (lesson-schema.ts) on a lab's typed state. Pure: it runs in the
 * worker (the page's student mode), in Vitest and in the headless runner (`--check`), and says in plain
 * language what it saw when a check fails.
 */
import { CliSession } from '../cli/cli-session';
import { IosRegex } from '../cli/ios-regex';
import type { Route, RouteSource } from '../device/rib';
import type { Router } from '../device/router';
import type { SimTime } from '../kernel/time';
import type { TraceRecord } from '../kernel/trace';
import { formatIpv4, isMulticast, parseIpv4 } from '../net/ipv4-address';
import { formatPrefix, makePrefix, type Prefix } from '../net/prefix';
import { eigrpOf } from '../protocols/eigrp/eigrp-service';
import { gdoiOf } from '../protocols/gdoi/gdoi-service';
import { gdoiView, type GdoiMemberView } from '../protocols/gdoi/gdoi-view';
import type { NhrpEntry } from '../protocols/nhrp/nhrp-cache';
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
    case 'route':
      return checkRoute(router, c);
    case 'nhrp-entry':
      return checkNhrpEntry(router, c);
    case 'rekey-count':
      return checkRekeyCount(router, c, sinceT);
    case 'pim-dr':
      return checkPimDr(router, c);
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

/**
 * The DR the device elected on the interface (RFC 7761 §4.3.2: highest DR Priority when every router on the link
 * advertises one, else highest address), as `show ip pim interface … detail` prints it.
 */
function checkPimDr(router: Router, c: Of<'pim-dr'>): CheckResult {
  if (parseIpv4(c.address) === undefined)
    return { pass: false, detail: `"${c.address}" is not an IPv4 address.` };
  const pim = pimOf(router);
  if (!pim.pimInterfaces().includes(c.interface))
    return { pass: false, detail: `${router.name} runs no PIM on ${c.interface}.` };
  const own = router.interfaceConfig(c.interface)?.address?.address;
  const dr = pim.neighbors.dr(c.interface) ?? own;
  if (dr === undefined) return { pass: false, detail: `${router.name} has no address on ${c.interface}.` };
  const seen = `${router.name}'s PIM DR on ${c.interface} is ${formatIpv4(dr)}${dr === own ? ' (itself)' : ''}`;
  return formatIpv4(dr) === c.address
    ? { pass: true, detail: `${seen}.` }
    : { pass: false, detail: `${seen}, expected ${c.address}.` };
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

/** `a.b.c.d/len` with the host bits clear, as `show ip route` prints a network; undefined otherwise. */
function parsePrefixText(text: string): Prefix | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text.trim());
  const address = m ? parseIpv4(m[1]!) : undefined;
  const length = m ? Number(m[2]) : NaN;
  if (address === undefined || !(length <= 32)) return undefined;
  const prefix = makePrefix(address, length);
  return prefix.network === address ? prefix : undefined;
}

/** What a route check names `eigrp` covers both D and D EX (`show ip route` codes). */
function routeProtocolOf(source: RouteSource): string {
  return source === 'eigrp-external' ? 'eigrp' : source;
}

/** The route's next hops as `show ip route` gives them: address (or directly connected) and interface. */
function routeHops(router: Router, route: Route): { address?: string; iface?: string }[] {
  return route.nextHops.map((h) => ({
    address: h.address === undefined ? undefined : formatIpv4(h.address),
    iface: h.interface ?? (h.address === undefined ? undefined : router.rib.resolve(h.address)?.interface),
  }));
}

function routeWords(router: Router, route: Route): string {
  const hops = routeHops(router, route).map(
    (h) =>
      `${h.address === undefined ? 'directly connected' : `via ${h.address}`}${h.iface ? `, ${h.iface}` : ''}`,
  );
  return `${formatPrefix(route.prefix)} (${route.source}) ${hops.join('; ') || 'with no next hop'}`;
}

/**
 * The route the routing table holds for exactly the prefix (`show ip route <prefix>`), and whether it comes from the
 * protocol and goes via the next hop and interface asked for. Without one, the detail says which route forwards
 * the prefix's traffic instead (a DMVPN spoke without the other spoke's LAN sends it to its default route).
 */
function checkRoute(router: Router, c: Of<'route'>): CheckResult {
  const prefix = parsePrefixText(c.prefix);
  if (!prefix)
    return { pass: false, detail: `"${c.prefix}" is not a prefix (a.b.c.d/len with the host bits clear).` };
  const route = router.rib.exact(prefix);
  if (!route) {
    const used = router.rib.lookup(prefix.network);
    const instead = used
      ? `; traffic to ${formatIpv4(prefix.network)} follows ${routeWords(router, used)}`
      : ', and no route covers it';
    return { pass: false, detail: `${router.name} has no route for ${c.prefix}${instead}.` };
  }
  const seen = `${router.name} has ${routeWords(router, route)}`;
  if (c.protocol !== undefined && routeProtocolOf(route.source) !== c.protocol)
    return { pass: false, detail: `${seen}, expected it from ${c.protocol}.` };
  const hops = routeHops(router, route);
  if (c.nextHop !== undefined && !hops.some((h) => h.address === c.nextHop))
    return { pass: false, detail: `${seen}, expected via ${c.nextHop}.` };
  if (c.interface !== undefined && !hops.some((h) => h.iface === c.interface))
    return { pass: false, detail: `${seen}, expected out of ${c.interface}.` };
  return { pass: true, detail: `${seen}.` };
}

const LEARNT_BY: Readonly<Record<NhrpEntry['learnedBy'], string>> = {
  config: 'ip nhrp map',
  registration: 'a registration',
  resolution: 'a resolution',
};

/**
 * The NHRP cache entry for a tunnel address (`show ip nhrp`): its NBMA address and type. An incomplete entry maps
 * nothing yet, so it does not count (Cisco, show ip nhrp: `negative` "indicates that the requested NBMA mapping
 * has not yet been or could not be obtained").
 */
function checkNhrpEntry(router: Router, c: Of<'nhrp-entry'>): CheckResult {
  const address = parseIpv4(c.address);
  if (address === undefined) return { pass: false, detail: `"${c.address}" is not an IPv4 address.` };
  const tunnels = [...(nhrpOf(router)?.interfaces.values() ?? [])].filter(
    (ni) => c.interface === undefined || ni.name === c.interface,
  );
  const found = tunnels
    .map((ni) => ({ ni, e: ni.cache.get(address) }))
    .find((x) => x.e !== undefined && x.e.type !== 'incomplete' && x.e.nbma !== undefined);
  const where = c.interface !== undefined ? ` on ${c.interface}` : '';
  if (!found?.e) {
    const all = tunnels.flatMap((ni) =>
      ni.cache
        .all()
        .map(
          (e) =>
            `${formatIpv4(e.protocol)} → ${e.nbma === undefined ? 'none' : formatIpv4(e.nbma)} (${e.type})`,
        ),
    );
    const list = all.length > 0 ? all.join(', ') : 'none';
    return {
      pass: false,
      detail: `${router.name} has no NHRP mapping for ${c.address}${where}; its entries: ${list}.`,
    };
  }
  const e = found.e;
  const nbma = formatIpv4(e.nbma!);
  const seen = `${router.name} maps ${c.address} to NBMA ${nbma} on ${found.ni.name} (${e.type}, from ${LEARNT_BY[e.learnedBy]})`;
  if (c.nbma !== undefined && nbma !== c.nbma)
    return { pass: false, detail: `${seen}, expected NBMA ${c.nbma}.` };
  if (c.type !== undefined && e.type !== c.type)
    return { pass: false, detail: `${seen}, expected ${c.type}.` };
  return { pass: true, detail: `${seen}.` };
}

/**
 * The GROUPKEY-PUSH messages the device's key server sent since the step began, as `show crypto gdoi ks members`
 * counts them ("Rekeys sent" and "Rekeys retries"): a multicast rekey is one message to the rekey group, a unicast
 * rekey one message per member (Cisco GET VPN Configuration Guide, "Unicast Rekeying" and "Multicast Rekeying").
 */
function checkRekeyCount(router: Router, c: Of<'rekey-count'>, sinceT: SimTime): CheckResult {
  const service = gdoiOf(router);
  const groups = [...(service?.keyServers.values() ?? [])];
  if (groups.length === 0) return { pass: false, detail: `${router.name} is not a GDOI key server.` };
  const destination = c.destination === undefined ? undefined : parseIpv4(c.destination);
  if (c.destination !== undefined && destination === undefined)
    return { pass: false, detail: `"${c.destination}" is not an IPv4 address.` };
  const pushes = groups
    .flatMap((g) => g.sent)
    .filter(
      (p) =>
        p.time >= sinceT &&
        (c.transport === undefined ||
          (isMulticast(p.destination) ? 'multicast' : 'unicast') === c.transport) &&
        (c.retransmission === undefined || p.retransmission === c.retransmission) &&
        (destination === undefined || p.destination === destination),
    );
  const which = [
    c.retransmission === undefined ? '' : c.retransmission ? 'retransmitted ' : 'first-sent ',
    c.transport === undefined ? '' : `${c.transport} `,
  ].join('');
  const to = c.destination === undefined ? '' : ` to ${c.destination}`;
  const where = [...new Set(pushes.map((p) => formatIpv4(p.destination)))].join(', ');
  const seen = `${router.name} sent ${pushes.length} ${which}rekey message${pushes.length === 1 ? '' : 's'}${to} since ${secondsText(sinceT)}${where === '' ? '' : ` (to ${where})`}`;
  if (pushes.length !== c.count) return { pass: false, detail: `${seen}, expected ${c.count}.` };
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
 * A rekey received after the member's last configuration change:
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
