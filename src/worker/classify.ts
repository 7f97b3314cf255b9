// The worker's one classification of trace records: protocol, encapsulation, kind and drop code, decided once
// from the decoded packet (or a syslog's IOS message code), so that the page's filters, legend, timeline,
// captions, event list and lessons read typed fields instead of matching text.
import { type PacketRecord, packetRecordBytes, type TraceRecord } from '../sim/kernel/trace';
import { decodeGre } from '../sim/net/gre';
import { decodeIpv4Header, IP_PROTO } from '../sim/net/ipv4';
import { formatIpv4, type Ipv4 } from '../sim/net/ipv4-address';
import { decodeIsakmpHeader, EXCHANGE, GDOI_PORT, ISAKMP_PORT } from '../sim/net/isakmp';
import { wireStyles } from '../sim/protocols/registry';
import { UDP_HEADER_LENGTH } from '../sim/net/udp';
import type { DropCode, EventClass, EventKind } from './protocol';

/** Inner layers remembered per ESP packet at most (oldest forgotten first): a long run stays bounded. */
const MAX_ESP_KEYS = 50_000;

/** Reads a frame's bytes by id (the recorder's frame store): used when a record was built without bytes. */
export type FrameBytes = (frameId: number) => Uint8Array | undefined;

/** Whether a device holds an address (a packet it sends with its own source address is one it built). */
export type OwnsAddress = (device: string, address: Ipv4) => boolean;

/** ISAKMP exchange types that are another protocol (GDOI's GROUPKEY exchanges), from the descriptors. */
const ISAKMP_EXCHANGE_OWNERS: ReadonlyMap<number, string> = new Map(
  wireStyles().flatMap((s) => (s.isakmpExchangeTypes ?? []).map((t): [number, string] => [t, s.id])),
);

/**
 * The protocol an ISAKMP header carries: GDOI for its GROUPKEY exchanges (see gdoi/descriptor.ts), else IKE
 * phase 1 (RFC 2409 main mode, exchange 2) or an informational exchange: ISAKMP. On UDP 848 the port cannot
 * tell them apart (RFC 3547 §2.1 runs phase 1 there too): the exchange type does.
 */
function isakmpProtocol(exchangeType: number): string {
  return ISAKMP_EXCHANGE_OWNERS.get(exchangeType) ?? 'isakmp';
}

/** What the bytes say beyond the record's protocol list: the innermost ISAKMP exchange, an ESP packet's identity. */
interface Decoded {
  exchangeType?: number;
  /** `src dst spi seq` of the outermost ESP header. */
  espKey?: string;
  /** Outermost IPv4 source and destination. */
  source?: string;
  destination?: string;
  /** Innermost IPv4 source. */
  innerSource?: Ipv4;
}

/** Walks IPv4 ⊃ GRE ⊃ IPv4 ⊃ UDP ⊃ ISAKMP with the codecs; stops quietly at anything it cannot read. */
function decodeBytes(bytes: Uint8Array): Decoded {
  const out: Decoded = {};
  let at = bytes;
  for (let depth = 0; depth < 8; depth++) {
    let ip;
    try {
      ip = decodeIpv4Header(at);
    } catch {
      return out;
    }
    const h = ip.header;
    out.innerSource = h.source;
    if (depth === 0) {
      out.source = formatIpv4(h.source);
      out.destination = formatIpv4(h.destination);
    }
    const payload = at.subarray(ip.ihl * 4, Math.min(at.length, ip.totalLength));
    if (h.fragmentOffset > 0 || h.moreFragments) return out;
    if (h.protocol === IP_PROTO.ESP) {
      // RFC 4303 §2: SPI then sequence number, in the clear.
      if (payload.length >= 8 && out.espKey === undefined) {
        const v = new DataView(payload.buffer, payload.byteOffset, 8);
        out.espKey = `${formatIpv4(h.source)} ${formatIpv4(h.destination)} ${v.getUint32(0)} ${v.getUint32(4)}`;
      }
      return out;
    }
    if (h.protocol === IP_PROTO.GRE) {
      try {
        at = decodeGre(payload).payload;
      } catch {
        return out;
      }
      continue;
    }
    if (h.protocol === IP_PROTO.UDP && payload.length >= UDP_HEADER_LENGTH + 28) {
      const v = new DataView(payload.buffer, payload.byteOffset, 4);
      const ports = [v.getUint16(0), v.getUint16(2)];
      if (ports.includes(GDOI_PORT) || ports.includes(ISAKMP_PORT)) {
        try {
          out.exchangeType = decodeIsakmpHeader(payload.subarray(UDP_HEADER_LENGTH)).exchangeType;
        } catch {
          // A malformed ISAKMP header stays ISAKMP.
        }
      }
    }
    return out;
  }
  return out;
}

/**
 * The encapsulation a student names, outermost first, without the IPv4 and UDP that carry everything here:
 * ['ipv4','gre','ipv4','udp','isakmp'] with a GROUPKEY-PUSH inside is ['gre','gdoi'].
 */
function layersOf(protocols: readonly string[], exchangeType: number | undefined): string[] {
  const shown = protocols.filter((p) => p !== 'ipv4' && p !== 'udp' && p !== 'data');
  const mapped = shown.map((p) =>
    p === 'isakmp' && exchangeType !== undefined ? isakmpProtocol(exchangeType) : p,
  );
  return mapped.length > 0 ? mapped : protocols.slice(-1);
}

/**
 * Drop codes from the reasons the simulator writes (each reason is built in one place: the comment names it).
 * Matched here, once, in the worker: the page reads the code.
 */
const DROP_CODES: readonly { readonly code: DropCode; readonly test: (reason: string) => boolean }[] = [
  // pim/rpf.ts rpfFailureReason; pim RP-Reachable checks (RFC 7761 §4.2 RPF check on multicast data).
  { code: 'rpf-failed', test: (r) => r.startsWith('RPF check failed') },
  // tunnel/gre-tunnel.ts: an mGRE tunnel with no `ip nhrp map multicast` destination yet.
  { code: 'no-nhrp-multicast', test: (r) => r.includes('no NHRP multicast destination') },
  // scenario/lab.ts: a link-loss fault.
  { code: 'link-loss', test: (r) => r.startsWith('lost on the link') },
  { code: 'no-route', test: (r) => r.startsWith('no route to') },
  { code: 'ttl-expired', test: (r) => r.startsWith('TTL expired') },
  {
    code: 'esp-failed',
    test: (r) => r.startsWith('ESP decapsulation failed') || r.startsWith('malformed ESP'),
  },
  { code: 'gdoi-rejected', test: (r) => r.startsWith('GDOI') || r.startsWith('GROUPKEY') },
  { code: 'malformed', test: (r) => r.startsWith('malformed') },
  { code: 'bad-checksum', test: (r) => r.startsWith('bad ') && r.includes('checksum') },
  { code: 'interface-down', test: (r) => r.endsWith(' is down') },
  { code: 'own-multicast', test: (r) => r.startsWith('our own multicast') },
  {
    code: 'not-enabled',
    test: (r) => r.includes('is not enabled') || r.includes('not running') || r.includes('not configured'),
  },
];

export function dropCode(reason: string): DropCode {
  return DROP_CODES.find((d) => d.test(reason))?.code ?? 'other';
}

/**
 * Syslog kinds by IOS message code (%FACILITY-SEVERITY-MNEMONIC): the article's own log (
 * `%GDOI-5-KS_SEND_MCAST_REKEY`, `%GDOI-5-GM_RECV_REKEY`) and the message codes of
 * Cisco's GET VPN documentation (`%GDOI-5-GM_REGS_COMPL: Registration to KS … complete`).
 */
const SYSLOG_KINDS: ReadonlyMap<string, EventKind> = new Map<string, EventKind>([
  ['GDOI-5-GM_REGS_COMPL', 'registration'],
  ['GDOI-5-KS_SEND_MCAST_REKEY', 'rekey-sent'],
  ['GDOI-5-KS_SEND_UNICAST_REKEY', 'rekey-sent'],
  ['GDOI-5-GM_RECV_REKEY', 'rekey-received'],
  ['GDOI-5-GM_INSTALL_POLICIES_SUCCESS', 'key-installed'],
  ['SYS-5-CONFIG_I', 'config-change'],
]);

/** The protocol a syslog facility speaks for (the legend colour of a log line). */
const FACILITY_PROTOCOLS: ReadonlyMap<string, string> = new Map([
  ['GDOI', 'gdoi'],
  ['CRYPTO', 'gdoi'],
  ['PIM', 'pim'],
  ['DUAL', 'eigrp'],
  ['DMVPN', 'nhrp'],
  ['NHRP', 'nhrp'],
]);

/**
 * Neighbour changes: %PIM-5-NBRCHG "neighbor … UP/DOWN", %DUAL-5-NBRCHANGE "… is up/down", %DMVPN-5-NHRP_NHS_UP /
 * _DOWN and NHRP_NHC_UP / _DOWN (Cisco System Message Guide for IOS 15). Read from the message code, then the one
 * word IOS uses for the direction.
 */
function adjacencyKind(code: string, text: string): EventKind | undefined {
  if (code.startsWith('DMVPN-5-NHRP_')) return code.endsWith('_UP') ? 'adjacency-up' : 'adjacency-down';
  if (code === 'PIM-5-NBRCHG' || code === 'DUAL-5-NBRCHANGE') {
    return /\b(UP|is up)\b/.test(text) ? 'adjacency-up' : 'adjacency-down';
  }
  return undefined;
}

export function classifyLog(text: string, level: 'syslog' | 'debug'): EventClass {
  const m = level === 'syslog' ? /^%(([A-Z0-9_]+)-\d-[A-Z0-9_]+)/.exec(text) : null;
  const code = m?.[1] ?? '';
  const facility = m?.[2] ?? '';
  const protocol = FACILITY_PROTOCOLS.get(facility) ?? 'log';
  const kind = SYSLOG_KINDS.get(code) ?? adjacencyKind(code, text) ?? 'log';
  return { protocol, layers: protocol === 'log' ? [] : [protocol], kind, ...(code ? { code } : {}) };
}

/**
 * Classifies records in the order the recorder made them. Keeps what it learnt about ESP packets: the device that
 * encrypts one records the inner packet first (into the tunnel, or forwarded), so the ESP packet's identity
 * (addresses, SPI, sequence number: RFC 4303) carries the inner layers to every later record of it, on the
 * provider's routers and at the receiver, without decrypting anything.
 */
export class EventClassifier {
  private readonly frames: FrameBytes;
  private readonly owns: OwnsAddress;
  private readonly known = new WeakMap<TraceRecord, EventClass>();
  private readonly espInner = new Map<string, readonly string[]>();
  /**
   * The last cleartext packet each device sent into a tunnel towards an NBMA peer (`<device> <peer>`), or
   * forwarded out of an interface (`<device> <interface>`), and when: what an ESP packet it sends just after wraps.
   */
  private readonly lastClear = new Map<string, { t: number; layers: readonly string[] }>();

  constructor(frames: FrameBytes, owns: OwnsAddress) {
    this.frames = frames;
    this.owns = owns;
  }

  classify(r: TraceRecord): EventClass {
    const done = this.known.get(r);
    if (done) return done;
    const c =
      r.kind === 'packet'
        ? this.classifyPacket(r)
        : r.kind === 'log'
          ? classifyLog(r.text, r.level)
          : r.kind === 'problem'
            ? { protocol: 'watchdog', layers: [], kind: 'problem' as const }
            : { protocol: 'state', layers: [], kind: 'state' as const };
    this.known.set(r, c);
    return c;
  }

  /** The records with their class: plain data for the page. */
  typed(records: readonly TraceRecord[]): TraceRecord[] {
    return records.map((r) => ({ ...r, typed: this.classify(r) }));
  }

  private classifyPacket(r: PacketRecord): EventClass {
    const bytes = packetRecordBytes(r) ?? (r.frameId > 0 ? this.frames(r.frameId) : undefined);
    const d = bytes ? decodeBytes(bytes) : {};
    let layers = layersOf(r.protocols, d.exchangeType);
    if (layers[0] === 'esp' && layers.length === 1) layers = ['esp', ...this.espLayers(r, d)];
    else if (r.overlayPeer !== undefined && r.event === 'sent') {
      // A tunnel's inner packet: GRE wraps it before ESP encrypts it towards the NBMA peer.
      this.lastClear.set(`${r.device} ${r.overlayPeer}`, { t: r.t, layers: ['gre', ...layers] });
    } else if (r.event === 'forwarded' && r.iface !== undefined) {
      this.lastClear.set(`${r.device} ${r.iface}`, { t: r.t, layers });
    }
    const protocol = layers[layers.length - 1] ?? 'ipv4';
    const drop =
      r.event === 'dropped' && r.reason !== undefined
        ? { drop: { code: dropCode(r.reason), text: r.reason } }
        : {};
    const own = d.innerSource !== undefined && this.owns(r.device, d.innerSource);
    return { protocol, layers, kind: packetKind(r, protocol, drop.drop?.code, d, own), ...drop };
  }

  /** The layers inside an ESP packet: learnt from its identity, or from what its sender just sent in clear. */
  private espLayers(r: PacketRecord, d: Decoded): readonly string[] {
    const key = d.espKey;
    if (key === undefined) return [];
    const known = this.espInner.get(key);
    if (known) return known;
    if (r.event !== 'sent') return [];
    // A tunnel's packet is encrypted towards its NBMA peer (the ESP header's destination), else a forwarded
    // packet on the interface it leaves by (RFC 4303 tunnel mode with address preservation, as GET VPN does).
    const clear =
      this.lastClear.get(`${r.device} ${d.destination ?? ''}`) ??
      this.lastClear.get(`${r.device} ${r.iface ?? ''}`);
    if (!clear || clear.t !== r.t) return [];
    this.espInner.set(key, clear.layers);
    if (this.espInner.size > MAX_ESP_KEYS) {
      const oldest = this.espInner.keys().next().value;
      if (oldest !== undefined) this.espInner.delete(oldest);
    }
    return clear.layers;
  }
}

/**
 * What happened, for a packet: a drop (RPF or other); a GROUPKEY-PUSH leaving the key server that built it (sent
 * on a link with the sender's own source address), or reaching the GDOI process of a member (`delivered` without
 * GRE around it); else a packet on its way.
 */
function packetKind(
  r: PacketRecord,
  protocol: string,
  code: DropCode | undefined,
  d: Decoded,
  own: boolean,
): EventKind {
  if (r.event === 'dropped') return code === 'rpf-failed' ? 'rpf-drop' : 'drop';
  if (protocol !== 'gdoi' || d.exchangeType !== EXCHANGE.GROUPKEY_PUSH) return 'packet';
  const tunnelled = r.protocols.includes('gre') || r.protocols.includes('esp');
  if (r.event === 'sent' && r.link !== undefined && !tunnelled && own) return 'rekey-sent';
  if (r.event === 'delivered' && !tunnelled) return 'rekey-received';
  return 'packet';
}
