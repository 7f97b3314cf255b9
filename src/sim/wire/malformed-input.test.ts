/**
 * Issue 7 item 1: a router that receives a malformed packet drops it, traces why, and never throws. The
 * reference lab runs until GET VPN is up; then, on its real links, we inject mutants of real frames of every
 * protocol (truncated, bit-flipped, randomised, extended; checksums repaired half the time so the mutant gets
 * past the checksum into the protocol's parser and logic), sealed in valid ESP with the group TEK where the
 * original travelled inside ESP, plus raw garbage. The kernel must keep running, every mutant must be traced
 * (dropped with a reason or handled), a "malformed" reason must be a codec's DecodeError (never a TypeError
 * caught by the router's last-resort catch), and the lab must still work afterwards.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import type { PacketRecord } from '../kernel/trace';
import { writeU16 } from '../net/bytes';
import { internetChecksum } from '../net/checksum';
import { type EspSaKeys, icvLength, ivLength, openEsp, peekEsp, sealEsp } from '../net/esp';
import { decodeGre, encodeGre, GRE_PROTOCOL } from '../net/gre';
import { decodeIpv4, encodeIpv4, IP_PROTO, type Ipv4Header, ipv4Header } from '../net/ipv4';
import { decodeUdp, encodeUdp } from '../net/udp';
import { servicesOf } from '../protocols/services.test-support';
import { pseudotimeBook } from '../protocols/esp/anti-replay';
import type { GroupTek } from '../protocols/esp/group-policy';
import { saKeysOf } from '../protocols/esp/transform';
import { type Lab, loadLab } from '../scenario/lab';

const SCENARIO = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

/** A deterministic xorshift32, so a failure replays exactly. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    this.s ^= this.s << 13;
    this.s ^= this.s >>> 17;
    this.s ^= this.s << 5;
    return (this.s >>> 0) / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
}

/** The protocol message a mutant replaces, and how to put a replacement back in its real encapsulation. */
interface Template {
  readonly protocol: string;
  readonly device: string;
  readonly iface: string;
  readonly payload: Uint8Array;
  readonly rebuild: (payload: Uint8Array) => Promise<Uint8Array>;
}

const ip = (header: Ipv4Header, payload: Uint8Array): Uint8Array => encodeIpv4({ header, payload });

/** Where each protocol keeps its checksum (offset into its message), so a mutant can carry a good one. */
const CHECKSUM_AT: Readonly<Record<string, number>> = { igmp: 2, pim: 2, eigrp: 2, nhrp: 10 };

function repairChecksum(protocol: string, bytes: Uint8Array): Uint8Array {
  const at = CHECKSUM_AT[protocol];
  if (at === undefined || bytes.length < at + 2) return bytes;
  const out = bytes.slice();
  writeU16(out, at, 0);
  // NHRP's checksum covers the packet as its Packet Size says (RFC 2332 §5.2.0.1); the rest, the whole message.
  writeU16(out, at, internetChecksum(out));
  return out;
}

function mutate(rng: Rng, protocol: string, payload: Uint8Array): Uint8Array {
  let out: Uint8Array;
  switch (rng.int(4)) {
    case 0: // truncated
      out = payload.slice(0, rng.int(payload.length));
      break;
    case 1: {
      // one to three bytes changed
      out = payload.slice();
      for (let i = 0, n = 1 + rng.int(3); i < n && out.length > 0; i++)
        out[rng.int(out.length)] = rng.int(256);
      break;
    }
    case 2: // random bytes of the same length
      out = rng.bytes(payload.length);
      break;
    default: {
      // trailing junk
      out = new Uint8Array(payload.length + 1 + rng.int(16));
      out.set(payload);
      out.set(rng.bytes(out.length - payload.length), payload.length);
    }
  }
  return rng.next() < 0.5 ? repairChecksum(protocol, out) : out;
}

const UDP_PROTOCOLS: Readonly<Record<number, string>> = { 496: 'auto_rp', 848: 'isakmp', 500: 'isakmp' };
const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  [IP_PROTO.IGMP]: 'igmp',
  [IP_PROTO.PIM]: 'pim',
  [IP_PROTO.EIGRP]: 'eigrp',
};

/**
 * Templates for the protocol carried by an IPv4 packet whose bytes are `packet`; `wrap` puts a rebuilt packet
 * back into whatever carried it (nothing, or ESP + GRE).
 */
function templatesOf(
  packet: Uint8Array,
  wrap: (inner: Uint8Array) => Promise<Uint8Array>,
  where: { device: string; iface: string },
): Template[] {
  const d = decodeIpv4(packet);
  const h = d.header;
  const out: Template[] = [];
  const add = (protocol: string, payload: Uint8Array, rebuild: (p: Uint8Array) => Uint8Array): void => {
    out.push({ protocol, ...where, payload, rebuild: (p) => wrap(rebuild(p)) });
  };
  if (h.protocol === IP_PROTO.UDP) {
    const u = decodeUdp(d.payload, h.source, h.destination);
    const protocol = UDP_PROTOCOLS[u.destinationPort] ?? UDP_PROTOCOLS[u.sourcePort] ?? 'udp';
    add(protocol, u.payload, (p) => ip(h, encodeUdp({ ...u, payload: p }, h.source, h.destination)));
  } else if (h.protocol === IP_PROTO.GRE) {
    const g = decodeGre(d.payload);
    const regre = (p: Uint8Array): Uint8Array => ip(h, encodeGre({ ...g, payload: p }));
    if (g.protocolType === GRE_PROTOCOL.NHRP) add('nhrp', g.payload, regre);
    else {
      add('gre', d.payload, (p) => ip(h, p));
      out.push(...templatesOf(g.payload, async (inner) => wrap(regre(inner)), where));
    }
  } else if (IP_PROTOCOLS[h.protocol]) {
    add(IP_PROTOCOLS[h.protocol]!, d.payload, (p) => ip(h, p));
  } else if (h.protocol === IP_PROTO.ESP) {
    add('esp', d.payload, (p) => ip(h, p));
  }
  return out;
}

/** The group TEK in use now, and a sealer that makes ESP the receivers accept (as a member would send it). */
function groupSealer(lab: Lab): {
  tek: GroupTek;
  seal: (header: Ipv4Header, inner: Uint8Array) => Promise<Uint8Array>;
} {
  const now = lab.kernel.now;
  const teks = servicesOf(lab.router('GM-1')!)
    .esp.knownTeks()
    .filter((t) => t.installedAt <= now && now < t.expiresAt);
  const tek = teks.at(-1);
  if (!tek) throw new Error('GM-1 holds no live TEK');
  const sa: EspSaKeys = saKeysOf(tek);
  let sequence = 0x4000_0000;
  const rng = new Rng(99);
  const seal = async (header: Ipv4Header, inner: Uint8Array): Promise<Uint8Array> => {
    const esp = await sealEsp(sa, ++sequence, rng.bytes(ivLength(sa.cipher)), inner);
    // Time-based anti-replay: stamp it as sent now, as the sender's crypto map does.
    pseudotimeBook(lab.kernel).record(tek.spi, esp.subarray(esp.length - icvLength(sa.auth)), lab.kernel.now);
    // Address preservation (GET VPN): the inner header's addresses, protocol ESP.
    return ip({ ...header, protocol: IP_PROTO.ESP }, esp);
  };
  return { tek, seal };
}

/** The interface each frame was sent on, from the trace's `sent` records. */
function sentInterfaces(lab: Lab): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of lab.kernel.trace.all())
    if (r.kind === 'packet' && r.event === 'sent' && r.iface) out.set(r.frameId, r.iface);
  return out;
}

/** Up to `perProtocol` templates of each protocol, from the first frames of the capture that carry it. */
async function collectTemplates(lab: Lab, perProtocol: number): Promise<Template[]> {
  const { tek, seal } = groupSealer(lab);
  const sa = saKeysOf(tek);
  const ifaces = sentInterfaces(lab);
  const byProtocol = new Map<string, Template[]>();
  for (const f of lab.kernel.trace.allFrames()) {
    const iface = ifaces.get(f.id);
    if (!iface) continue;
    const where = { device: f.from, iface };
    const d = decodeIpv4(f.bytes);
    let found: Template[];
    if (d.header.protocol === IP_PROTO.ESP && peekEsp(d.payload).spi === tek.spi) {
      const opened = await openEsp(sa, d.payload);
      if (!opened.ok) continue;
      found = [
        ...templatesOf(f.bytes, async (p) => p, where),
        ...templatesOf(opened.payload, async (inner) => seal(d.header, inner), where),
      ];
    } else if (d.header.protocol === IP_PROTO.GRE) {
      // Cleartext GRE (NHRP at boot, before registration): GRE travels inside the group's ESP now.
      found = templatesOf(f.bytes, async (inner) => seal(d.header, inner), where);
    } else found = templatesOf(f.bytes, async (p) => p, where);
    for (const t of found) {
      const list = byProtocol.get(t.protocol) ?? [];
      if (list.length < perProtocol) list.push(t);
      byProtocol.set(t.protocol, list);
    }
  }
  return [...byProtocol.values()].flat();
}

/** Random bytes, some behind a valid IPv4 header of each protocol the lab speaks. */
function garbage(rng: Rng): Uint8Array {
  const protocols = [
    IP_PROTO.ICMP,
    IP_PROTO.IGMP,
    IP_PROTO.UDP,
    IP_PROTO.GRE,
    IP_PROTO.ESP,
    IP_PROTO.EIGRP,
    IP_PROTO.PIM,
  ];
  if (rng.next() < 0.3) return rng.bytes(rng.int(60));
  const protocol = protocols[rng.int(protocols.length)]!;
  const header = ipv4Header({
    protocol,
    source: 0xac1b0101,
    destination: rng.next() < 0.5 ? 0xac110101 : 0xe000000d,
  });
  return ip(header, rng.bytes(rng.int(80)));
}

/** A DecodeError's message (`protocol: reason (offset N)`), or the ESP header check that precedes the codec. */
/** Each round injects one mutant of every template and two garbage packets per link. */
const ROUNDS = 30;

const DECODE_ERROR = /(: .+ \(offset \d+\)|^malformed ESP header \(shorter than SPI and sequence number\))$/;

describe('malformed packets on the reference lab', () => {
  it('are dropped and traced with a reason; no router throws; the lab keeps working', async () => {
    const { lab } = loadLab(SCENARIO);
    if (!lab) throw new Error('no lab');
    await lab.kernel.runUntil(seconds(120));
    const templates = await collectTemplates(lab, 6);
    const protocols = new Set(templates.map((t) => t.protocol));
    expect([...protocols].sort()).toEqual([
      'auto_rp',
      'eigrp',
      'esp',
      'gre',
      'igmp',
      'isakmp',
      'nhrp',
      'pim',
    ]);

    const rng = new Rng(7);
    const cursor = lab.kernel.trace.total;
    let injected = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of templates) {
        lab.transmit(t.device, t.iface, await t.rebuild(mutate(rng, t.protocol, t.payload)));
        injected++;
      }
      for (const l of lab.links) {
        lab.transmit(l.a.device, l.a.iface, garbage(rng));
        lab.transmit(l.b.device, l.b.iface, garbage(rng));
        injected += 2;
      }
      // Let every mutant arrive and be handled before the next round (no exception may escape).
      await lab.kernel.runUntil(lab.kernel.now + seconds(2));
    }
    const records = lab.kernel.trace.since(cursor).filter((r): r is PacketRecord => r.kind === 'packet');
    const drops = records.filter((r) => r.event === 'dropped');
    expect(injected).toBeGreaterThan(1000);
    expect(drops.length).toBeGreaterThan(injected / 2);
    for (const d of drops) expect(d.reason ?? '', `${d.device}: ${d.summary}`).not.toBe('');
    const malformed = drops.filter((d) => /malformed/i.test(d.reason ?? ''));
    expect(malformed.length).toBeGreaterThan(50);
    for (const d of malformed) expect(d.reason, `${d.device}: ${d.summary}`).toMatch(DECODE_ERROR);
    // Every protocol's parser rejected something, and said which one.
    const rejectedBy = new Set(
      malformed.map((d) => /^malformed ([\w-]+)/i.exec(d.reason ?? '')?.[1]?.toLowerCase()),
    );
    for (const p of ['igmp', 'pim', 'eigrp', 'nhrp', 'auto-rp', 'isakmp', 'packet'])
      expect(rejectedBy.has(p), `no "malformed ${p}" drop`).toBe(true);

    // The lab still works: GET VPN traffic keeps flowing (ESP received and decrypted at the hub).
    const after = lab.kernel.trace.total;
    await lab.kernel.runUntil(lab.kernel.now + seconds(30));
    const later = lab.kernel.trace.since(after).filter((r): r is PacketRecord => r.kind === 'packet');
    expect(
      later.some((r) => r.device === 'Central' && r.event === 'received' && r.protocols[1] === 'esp'),
    ).toBe(true);
    expect(later.filter((r) => r.event === 'dropped' && /malformed/.test(r.reason ?? ''))).toEqual([]);
  }, 60_000);
});
