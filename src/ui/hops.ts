// Pure helpers that turn trace records into what the page draws: hops on links, labels, colours and
// timeline markers. No DOM, no protocol logic: every fact comes from the records the worker produced.
import type {
  DropCode,
  EventClass,
  LabView,
  LinkView,
  Marker,
  MarkerKind,
  SimTime,
  TraceRecord,
  WireStyleView,
} from '../worker/protocol';

/** Which edges the topology shows: physical links, the mGRE overlay, or both. */
export type LayerMode = 'underlay' | 'overlay' | 'both';

export type HopKind = 'link' | 'overlay' | 'drop';

/** One movement of a packet the animation plays: along a link, along a tunnel edge, or stopped at a device. */
export interface Hop {
  readonly seq: number;
  readonly t: SimTime;
  readonly kind: HopKind;
  readonly from: string;
  /** The far device (links and tunnel edges); absent for drops. */
  readonly to?: string;
  /** The Cytoscape edge the hop follows, when one is drawn for it. */
  readonly edgeId?: string;
  readonly protocols: readonly string[];
  /** The worker's classification: encapsulation outermost first (`['esp','gre','gdoi']`), its protocol, kind. */
  readonly layers: readonly string[];
  readonly protocol: string;
  readonly eventKind: EventClass['kind'];
  readonly summary: string;
  readonly reason?: string;
  /** A drop's code, as the worker classified its reason. */
  readonly dropCode?: DropCode;
}

/**
 * A record's class as the worker decided it (`src/worker/classify.ts`). A record without one (built by hand in a
 * test) is read from its protocol list alone: its innermost layer, kind `packet` or `log`.
 */
export function classOf(r: TraceRecord): EventClass {
  if (r.typed) return r.typed;
  if (r.kind !== 'packet') return { protocol: r.kind, layers: [], kind: r.kind };
  const layers = encapsulation(r.protocols);
  return { protocol: layers[layers.length - 1] ?? 'ipv4', layers, kind: 'packet' };
}

/** The encapsulation the page shows for a record: the worker's layers. */
export function layersOf(r: TraceRecord): readonly string[] {
  return classOf(r).layers;
}

/**
 * A lab view's links, tunnel edges and addresses by what records and views name them with (a big lab has a
 * thousand of each), built once per view.
 */
interface LabIndex {
  readonly links: ReadonlyMap<string, LinkView>;
  /** `<device> <interface>` → the physical link at that end. */
  readonly linkEnds: ReadonlyMap<string, LinkView>;
  /** `<device> <NBMA address of the far end>` → the far device and the tunnel edge. */
  readonly nbma: ReadonlyMap<string, { device: string; edgeId: string }>;
  /** An interface address (without its prefix length) → the device holding it. */
  readonly owners: ReadonlyMap<string, string>;
}

const indexes = new WeakMap<LabView, LabIndex>();

function indexOf(lab: LabView): LabIndex {
  let index = indexes.get(lab);
  if (!index) {
    // The first one listed wins, as a search in list order would find it.
    const put = <V>(map: Map<string, V>, key: string, value: V): void => {
      if (!map.has(key)) map.set(key, value);
    };
    const nbma = new Map<string, { device: string; edgeId: string }>();
    for (const e of lab.overlay) {
      put(nbma, `${e.a.device} ${e.nbmaB}`, { device: e.b.device, edgeId: e.id });
      put(nbma, `${e.b.device} ${e.nbmaA}`, { device: e.a.device, edgeId: e.id });
    }
    const linkEnds = new Map<string, LinkView>();
    for (const l of lab.links) {
      put(linkEnds, `${l.a.device} ${l.a.iface}`, l);
      put(linkEnds, `${l.b.device} ${l.b.iface}`, l);
    }
    const owners = new Map<string, string>();
    for (const d of lab.devices) {
      for (const i of d.interfaces) if (i.address) put(owners, i.address.split('/')[0] ?? '', d.name);
    }
    index = { links: new Map(lab.links.map((l) => [l.id, l])), linkEnds, nbma, owners };
    indexes.set(lab, index);
  }
  return index;
}

/** The far end of a physical link from `device`, from the link id the record names. */
function linkPeer(lab: LabView, linkId: string, device: string): string | undefined {
  const link = indexOf(lab).links.get(linkId);
  if (!link) return undefined;
  return link.a.device === device ? link.b.device : link.a.device;
}

/** The physical link at a device's interface (as the lab view names the interface), if any. */
export function linkAt(lab: LabView, device: string, iface: string): LinkView | undefined {
  return indexOf(lab).linkEnds.get(`${device} ${iface}`);
}

/** The device with an interface holding `address` (the first in the lab's order), if any. */
export function addressOwner(lab: LabView, address: string): string | undefined {
  return indexOf(lab).owners.get(address);
}

/**
 * The device owning an NBMA address, seen from `device`: the overlay edge that joins them (it names both NBMA
 * ends), else the device with an interface holding that address.
 */
function nbmaOwner(
  lab: LabView,
  device: string,
  nbma: string,
): { device: string; edgeId?: string } | undefined {
  const known = indexOf(lab).nbma.get(`${device} ${nbma}`);
  if (known) return { ...known };
  const owner = addressOwner(lab, nbma);
  if (owner === undefined) return undefined;
  const edge = lab.overlay.find(
    (e) => (e.a.device === device && e.b.device === owner) || (e.b.device === device && e.a.device === owner),
  );
  return { device: owner, ...(edge ? { edgeId: edge.id } : {}) };
}

/**
 * The hop a record stands for, or undefined when it is not a movement: frames `sent` on a link are the outer
 * packet on the physical path; a packet `sent` into a tunnel towards an NBMA peer is the inner packet on the
 * overlay edge; a `dropped` packet stops at the device.
 */
export function hopOf(record: TraceRecord, seq: number, lab: LabView): Hop | undefined {
  if (record.kind !== 'packet') return undefined;
  const c = classOf(record);
  const base = {
    seq,
    t: record.t,
    from: record.device,
    protocols: record.protocols,
    layers: c.layers,
    protocol: c.protocol,
    eventKind: c.kind,
    summary: record.summary,
  };
  if (record.event === 'dropped') {
    const reason = c.drop?.text ?? record.reason;
    return {
      ...base,
      kind: 'drop',
      ...(reason !== undefined ? { reason } : {}),
      ...(c.drop ? { dropCode: c.drop.code } : {}),
    };
  }
  if (record.event !== 'sent') return undefined;
  if (record.link !== undefined) {
    const to = linkPeer(lab, record.link, record.device);
    return to === undefined ? undefined : { ...base, kind: 'link', to, edgeId: record.link };
  }
  if (record.overlayPeer !== undefined) {
    const peer = nbmaOwner(lab, record.device, record.overlayPeer);
    if (!peer) return undefined;
    return { ...base, kind: 'overlay', to: peer.device, ...(peer.edgeId ? { edgeId: peer.edgeId } : {}) };
  }
  return undefined;
}

/** Hops grouped by simulated instant: each group plays as one animation step (copies of one packet fan out). */
export function groupSteps(hops: readonly Hop[]): Hop[][] {
  const steps: Hop[][] = [];
  let current: Hop[] | undefined;
  for (const h of hops) {
    if (current && current[0]?.t === h.t) current.push(h);
    else steps.push((current = [h]));
  }
  return steps;
}

/**
 * The layers worth showing, outermost first: IPv4 and UDP carry every packet here, so they are left out unless
 * nothing else is known. ['ipv4','gre','ipv4','eigrp'] -> ['gre','eigrp'].
 */
export function encapsulation(protocols: readonly string[]): string[] {
  const shown = protocols.filter((p) => p !== 'ipv4' && p !== 'udp');
  return shown.length > 0 ? shown : protocols.slice(-1);
}

/** "ESP ⊃ GRE ⊃ PIM": what wraps what. */
export function encapsulationLabel(protocols: readonly string[], styles: WireStyles): string {
  return encapsulation(protocols).map(styles.name).join(' ⊃ ');
}

/**
 * How the page draws wire protocols: their labels, colours and the legend. The table comes from the worker
 * (`LabView.wireStyles`, built from each protocol folder's descriptor), so a new protocol brings its own colour.
 */
export interface WireStyles {
  /** Legend entries in the order a packet of the reference lab nests them (ESP outermost … ICMP innermost). */
  readonly legend: readonly string[];
  color(protocol: string): string;
  /** Short name for legends and captions: `PIM`, `Auto-RP`. */
  name(protocol: string): string;
}

/** A protocol no descriptor styles. */
const UNSTYLED_COLOR = '#455a64';
/** What the dissectors call a payload they do not decode: no protocol, so no descriptor names it. */
const PAYLOAD_NAMES: ReadonlyMap<string, string> = new Map([['data', 'Data']]);

/** The worker's wire styles as the page reads them (none before a lab loads: grey, names in capitals). */
export function wireStyles(views: readonly WireStyleView[] = []): WireStyles {
  const byId = new Map(views.map((v) => [v.id, v]));
  const legend = views
    .filter((v) => v.legendOrder !== undefined)
    .sort((a, b) => (a.legendOrder ?? 0) - (b.legendOrder ?? 0))
    .map((v) => v.id);
  return {
    legend,
    color: (p) => byId.get(p)?.color ?? UNSTYLED_COLOR,
    name: (p) => byId.get(p)?.label ?? PAYLOAD_NAMES.get(p) ?? p.toUpperCase(),
  };
}

export type { Marker, MarkerKind };

export const MARKER_LABELS: Readonly<Record<MarkerKind, string>> = {
  registration: 'Registration',
  rekey: 'Rekey',
  'rpf-drop': 'RPF drop',
  config: 'Configuration change',
};

const counted = new WeakMap<readonly Marker[], ReadonlyMap<MarkerKind, number>>();

/**
 * Markers of each kind, counted once per markers array: the panels read counts in store selectors, which run
 * at every store update (every frame while the lab plays).
 */
export function markerCounts(markers: readonly Marker[]): ReadonlyMap<MarkerKind, number> {
  let n = counted.get(markers);
  if (!n) {
    const m = new Map<MarkerKind, number>();
    for (const x of markers) m.set(x.kind, (m.get(x.kind) ?? 0) + 1);
    counted.set(markers, m);
    n = m;
  }
  return n;
}

/**
 * True when a record passes the protocol filter: a packet whose encapsulation (as the worker classified it) has
 * one of the protocols. An empty filter passes everything; logs only pass then.
 */
export function matchesProtocols(r: TraceRecord, protocols: readonly string[]): boolean {
  if (protocols.length === 0) return true;
  return r.kind === 'packet' && layersOf(r).some((p) => protocols.includes(p));
}

/** Wall-clock milliseconds one animation step takes at a realtime speed: 800 ms at 1×, 400 ms at 1000×. */
export function stepDurationMs(speed: number): number {
  const s = Math.max(1, speed);
  return Math.round(800 - (400 * Math.min(3, Math.log10(s))) / 3);
}

/** Wraps text to lines of at most `width` characters, at spaces, for a drop's reason on the canvas. */
export function wrapText(text: string, width: number, maxLines = 4): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1] ?? ''} …`;
  return kept;
}
