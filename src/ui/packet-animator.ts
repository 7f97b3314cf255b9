// Packet animation on a canvas laid over Cytoscape. Records arrive in batches; each frame turns the new ones
// into hops, and hops play one simulated instant at a time over a fixed wall-clock duration: simulated link
// delays are a few milliseconds, far too short to watch, so pacing is decoupled from simulated time.
import type cytoscape from 'cytoscape';
import type { DropCode, LabView, TraceRecord } from '../worker/protocol';
import {
  type Hop,
  type LayerMode,
  classOf,
  encapsulation,
  encapsulationLabel,
  groupSteps,
  hopOf,
  stepDurationMs,
  type WireStyles,
  wrapText,
} from './hops';
import { type DetailLevel, detailFor, type FlowCandidate, pickFlows, takeBounded } from './flow-lod';
import { isShown } from './topology-sync';

export interface AnimatorHost {
  readonly cy: cytoscape.Core;
  readonly canvas: HTMLCanvasElement;
  /** Text of the hops now playing (readable without the canvas, and by screen readers on demand). */
  readonly caption: HTMLElement;
  lab(): LabView | undefined;
  speed(): number;
  layers(): LayerMode;
  /** Wire protocols' labels and colours (the worker's, through the store). */
  wire(): WireStyles;
  /** A packet clicked on the canvas: its record's trace seq (the event list's row). */
  select?(seq: number): void;
  /** Type scale for labels and callouts (projector mode reads larger). */
  fontScale?(): number;
}

/** A packet drawn in the last frame, where a pointer can find it. */
interface Hit {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly hop: Hop;
}

/** What the canvas shows, as plain data: Playwright reads it through `window.__getlab.animator.snapshot()`. */
export interface AnimatorSnapshot {
  /** `step`: simulation mode's current step alone; `flow`: the lab's packets as it runs. */
  readonly mode: 'flow' | 'step';
  /** Trace seqs of the step shown (simulation mode). */
  readonly stepSeqs: readonly number[];
  /** Every hop drawn now: moving, parked at its receiver at the end of a step, or stopped (a drop). */
  readonly onCanvas: readonly {
    readonly seq: number;
    readonly t: number;
    readonly kind: Hop['kind'];
    readonly from: string;
    readonly to?: string;
    readonly protocol: string;
    readonly layers: readonly string[];
  }[];
  /** Drop callouts drawn now. */
  readonly callouts: readonly {
    readonly seq: number;
    readonly t: number;
    readonly device: string;
    readonly code?: DropCode;
    readonly reason: string;
  }[];
  /** Packets carrying a label in the last frame, and whether busy traffic was faded. */
  readonly labelled: number;
  readonly faded: boolean;
  /** Centre (CSS pixels, relative to the canvas) of each packet drawn in the last frame, by seq. */
  readonly positions: readonly { readonly seq: number; readonly x: number; readonly y: number }[];
  readonly hover?: number;
  /** `packets`: every copy drawn; `flows`: one mark per edge and encapsulation (thousands in flight). */
  readonly lod: DetailLevel;
  /** Packets drawn moving in the last frame, and the marks that stood for them. */
  readonly inFlight: number;
  readonly marks: number;
}

/** Steps waiting beyond this are skipped (the oldest first): the animation stays near the present. */
const MAX_QUEUE = 40;
/** Above this backlog, waiting steps start together (a big lab); below it they play one after another. */
const CONCURRENT_QUEUE = 20;
/** Above this backlog, steps play faster. */
const COMFORTABLE_QUEUE = 6;
/** Packets labelled with their protocol when at most this many are in flight (more would overlap). */
const MAX_LABELLED = 6;
/** Above this many in flight, packets fade near the devices so node names stay legible. */
const FADE_ABOVE = 12;
/** The user's reduced-motion preference (absent outside a browser). */
const REDUCED_MOTION: MediaQueryList | undefined = globalThis.matchMedia?.(
  '(prefers-reduced-motion: reduce)',
);

/** From this speed on, realtime packets fade near devices and go unlabelled (steps overlap at that pace). */
const FAST_SPEED = 100;
/** A step with a drop stays this long at least: the callout belongs to it and must be readable. */
const DROP_STEP_MS = 2500;
/** How far from a packet's centre a pointer still finds it (CSS pixels). */
const HIT_SLOP = 4;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface Playing {
  readonly hops: readonly Hop[];
  readonly start: number;
  readonly duration: number;
  /** Simulation mode's step: parked at its receivers once moved, until the next step replaces it. */
  readonly parked?: boolean;
}

interface Stopped {
  readonly hop: Hop;
  /** Undefined: while its step is shown (simulation mode). */
  readonly until?: number;
  /** Stacking position among drops at one device. */
  readonly slot: number;
}

/** Counts of what has been drawn, published on the canvas as data attributes (tests and debugging read them). */
export interface AnimatorStats {
  link: number;
  overlay: number;
  drop: number;
  steps: number;
  skipped: number;
}

export class PacketAnimator {
  private readonly host: AnimatorHost;
  private pending: { record: TraceRecord; seq: number }[] = [];
  /** Simulation mode's step now shown (its trace seqs); empty in the flow. */
  private stepSeqs: readonly number[] = [];
  private hits: Hit[] = [];
  private hover: Hit | undefined;
  private labelled = 0;
  private faded = false;
  private readonly detach: () => void;
  private queue: Hop[][] = [];
  /** Steps moving now: one at a time, unless the lab produces them faster than they can play one by one. */
  private playing: Playing[] = [];
  private stopped: Stopped[] = [];
  private raf: number | undefined;
  private disposed = false;
  /**
   * Curves in model coordinates by sender, receiver and edge, resolved once: a frame only pans and zooms them,
   * and a fan-out's copies on one link share theirs.
   */
  private paths = new Map<string, Curve | null>();
  /** Each hop's curve and bitmap key, resolved once (a frame with thousands in flight must not rebuild keys). */
  private hopCurves = new WeakMap<Hop, Curve | null>();
  private readonly hopLooks = new WeakMap<Hop, string>();
  private lod: DetailLevel = 'packets';
  private inFlight = 0;
  private marks = 0;
  private readonly sprites = new SpriteCache();
  readonly stats: AnimatorStats = { link: 0, overlay: 0, drop: 0, steps: 0, skipped: 0 };

  constructor(host: AnimatorHost) {
    this.host = host;
    this.detach = this.listen();
    const w = window as unknown as { __getlab?: Record<string, unknown> };
    w.__getlab = { ...w.__getlab, animator: { snapshot: (): AnimatorSnapshot => this.snapshot() } };
  }

  /** Pointer over the canvas's parent (the canvas lets clicks through to the graph): hover and click packets. */
  private listen(): () => void {
    const target = this.host.canvas.parentElement;
    if (!target) return () => undefined;
    const at = (e: MouseEvent): Hit | undefined => {
      const box = this.host.canvas.getBoundingClientRect();
      return this.hitAt(e.clientX - box.left, e.clientY - box.top);
    };
    const move = (e: MouseEvent): void => {
      const hit = at(e);
      if (hit?.hop.seq === this.hover?.hop.seq) return;
      this.hover = hit;
      target.style.cursor = hit ? 'pointer' : '';
      this.kick();
    };
    const click = (e: MouseEvent): void => {
      const hit = at(e);
      if (!hit) return;
      e.stopPropagation();
      this.host.select?.(hit.hop.seq);
    };
    target.addEventListener('mousemove', move);
    target.addEventListener('click', click, { capture: true });
    return () => {
      target.removeEventListener('mousemove', move);
      target.removeEventListener('click', click, { capture: true });
    };
  }

  /** The packet drawn nearest to a point (canvas CSS pixels), if one is under it. */
  hitAt(x: number, y: number): Hit | undefined {
    let best: Hit | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const h of this.hits) {
      const d = Math.hypot(h.x - x, h.y - y);
      if (d <= h.r + HIT_SLOP && d < bestD) {
        best = h;
        bestD = d;
      }
    }
    return best;
  }

  snapshot(): AnimatorSnapshot {
    const now = performance.now();
    const moving = this.playing.filter((p) => p.parked || now - p.start < p.duration);
    return {
      mode: this.stepSeqs.length > 0 ? 'step' : 'flow',
      stepSeqs: [...this.stepSeqs],
      onCanvas: moving.flatMap((p) =>
        p.hops.map((h) => ({
          seq: h.seq,
          t: h.t,
          kind: h.kind,
          from: h.from,
          ...(h.to !== undefined ? { to: h.to } : {}),
          protocol: h.protocol,
          layers: [...h.layers],
        })),
      ),
      callouts: this.stopped
        .filter((x) => x.until === undefined || x.until > now)
        .map((x) => ({
          seq: x.hop.seq,
          t: x.hop.t,
          device: x.hop.from,
          ...(x.hop.dropCode !== undefined ? { code: x.hop.dropCode } : {}),
          reason: x.hop.reason ?? x.hop.summary,
        })),
      labelled: this.labelled,
      faded: this.faded,
      positions: this.hits.map((h) => ({ seq: h.hop.seq, x: h.x, y: h.y })),
      ...(this.hover ? { hover: this.hover.hop.seq } : {}),
      lod: this.lod,
      inFlight: this.inFlight,
      marks: this.marks,
    };
  }

  /** Forgets the curves resolved so far (devices moved, edges came or went, a layer was hidden). */
  geometryChanged(): void {
    this.paths.clear();
    this.hopCurves = new WeakMap();
  }

  /**
   * Buffers records as the lab runs (`firstSeq` numbers them as the event list does); they are turned into hops
   * on the next animation frame (one batch per frame). A flow after a step leaves the step's view.
   */
  push(records: readonly TraceRecord[], firstSeq = 0): void {
    if (records.length === 0) return;
    if (this.stepSeqs.length > 0) this.reset();
    records.forEach((record, i) => {
      if (record.kind === 'packet') this.pending.push({ record, seq: firstSeq + i });
    });
    this.kick();
  }

  /**
   * Simulation mode's step: replaces everything drawn with this step's packets, moving together (a hub's
   * replication is one step whose copies fan out), then parked at their receivers until the next step.
   */
  showStep(records: readonly TraceRecord[], seqs: readonly number[]): void {
    this.reset();
    this.stepSeqs = [...seqs];
    const lab = this.host.lab();
    const hops: Hop[] = [];
    records.forEach((r, i) => {
      const hop = lab ? hopOf(r, seqs[i] ?? i, lab) : undefined;
      if (hop && this.visible(hop)) hops.push(hop);
    });
    const now = performance.now();
    const duration = stepDurationMs(this.host.speed());
    this.playing.push({ hops, start: now, duration, parked: true });
    this.stats.steps++;
    hops.forEach((h, i) => {
      this.stats[h.kind]++;
      if (h.kind === 'drop') this.stopped.push({ hop: h, slot: this.slotAt(h.from, i) });
    });
    this.publish(hops, records);
    this.kick();
  }

  /** Forgets everything queued and drawn (a new lab, a rewind, a jump in time, a new step). */
  reset(): void {
    this.pending = [];
    this.queue = [];
    this.playing = [];
    this.stopped = [];
    this.stepSeqs = [];
    this.hits = [];
    this.hover = undefined;
    this.geometryChanged();
    this.draw(performance.now());
    this.host.caption.textContent = '';
    this.host.canvas.dataset.step = '';
  }

  dispose(): void {
    if (this.raf !== undefined) cancelAnimationFrame(this.raf);
    this.raf = undefined;
    this.disposed = true;
    this.detach();
  }

  /** Redraws once (the view was panned, zoomed or resized). */
  redraw(): void {
    this.kick();
  }

  private kick(): void {
    // Cytoscape is destroyed with the animator: nothing may be drawn from it afterwards.
    if (this.raf === undefined && !this.disposed) this.raf = requestAnimationFrame((t) => this.frame(t));
  }

  private frame(now: number): void {
    this.raf = undefined;
    this.absorb();
    this.advance(now);
    this.draw(now);
    const moving = this.playing.some((p) => now - p.start < p.duration);
    if (
      this.pending.length > 0 ||
      this.queue.length > 0 ||
      moving ||
      this.stopped.some((s) => s.until !== undefined)
    )
      this.kick();
  }

  private absorb(): void {
    if (this.pending.length === 0) return;
    const lab = this.host.lab();
    // A big worker batch is spread over frames: a frame resolves at most MAX_ABSORB records (issue 18).
    const { now: records, later, skipped } = takeBounded(this.pending);
    this.pending = later;
    this.stats.skipped += skipped;
    if (!lab) return;
    const hops: Hop[] = [];
    const shown = new Map<string, boolean>();
    for (const { record, seq } of records) {
      const hop = hopOf(record, seq, lab);
      if (hop && this.visible(hop, shown)) hops.push(hop);
    }
    this.queue.push(...groupSteps(hops));
    if (this.queue.length > MAX_QUEUE) {
      this.stats.skipped += this.queue.length - MAX_QUEUE;
      this.queue = keepLargest(this.queue, MAX_QUEUE);
    }
  }

  /** A hop is played only where its path is drawn in the current layer view (`shown`: nodes looked up so far). */
  private visible(hop: Hop, shown = new Map<string, boolean>()): boolean {
    const cy = this.host.cy;
    const layers = this.host.layers();
    const nodeShown = (name: string | undefined): boolean => {
      if (name === undefined) return true;
      const known = shown.get(name);
      if (known !== undefined) return known;
      const on = isShown(cy.getElementById(name));
      shown.set(name, on);
      return on;
    };
    if (!nodeShown(hop.from) || !nodeShown(hop.to)) return false;
    if (hop.kind === 'overlay') return layers !== 'underlay';
    if (hop.kind === 'link') {
      const edge = cy.getElementById(hop.edgeId ?? '');
      return isShown(edge);
    }
    return true;
  }

  private advance(now: number): void {
    this.playing = this.playing.filter((p) => p.parked || now - p.start < p.duration);
    this.stopped = this.stopped.filter((s) => s.until === undefined || s.until > now);
    // One step at a time while the lab is slow enough to follow. A big lab makes more instants per second
    // than anyone can watch in turn: above CONCURRENT_QUEUE waiting, steps start together, so a hub's
    // fan-out to every spoke is drawn when it happens instead of being skipped in a queue of small steps.
    while (this.queue.length > 0 && (this.playing.length === 0 || this.queue.length > CONCURRENT_QUEUE)) {
      this.start(now);
    }
  }

  private start(now: number): void {
    const hops = this.queue.shift() ?? [];
    const base = stepDurationMs(this.host.speed());
    const backlog = this.queue.length;
    const paced =
      backlog > COMFORTABLE_QUEUE ? Math.max(base * 0.35, (base * COMFORTABLE_QUEUE) / backlog) : base;
    // A drop's callout lives exactly as long as its step: that step lasts long enough to read it.
    const hasDrop = hops.some((h) => h.kind === 'drop');
    const duration = hasDrop ? Math.max(paced, DROP_STEP_MS) : paced;
    this.playing.push({ hops, start: now, duration });
    this.stats.steps++;
    hops.forEach((h, i) => {
      this.stats[h.kind]++;
      if (h.kind === 'drop')
        this.stopped.push({ hop: h, until: now + duration, slot: this.slotAt(h.from, i) });
    });
    this.publish(hops);
  }

  /** Stacking position of a new callout at a device (drops at one device stack up). */
  private slotAt(device: string, fallback: number): number {
    const n = this.stopped.filter((s) => s.hop.from === device).length;
    return Math.min(n, fallback + n);
  }

  private publish(hops: readonly Hop[], stepRecords?: readonly TraceRecord[]): void {
    const c = this.host.canvas.dataset;
    c.link = String(this.stats.link);
    c.overlay = String(this.stats.overlay);
    c.drop = String(this.stats.drop);
    c.steps = String(this.stats.steps);
    const wire = this.host.wire();
    c.lastLabel = hops[0] ? encapsulationLabel(hops[0].layers, wire) : '';
    c.step = this.stepSeqs.join(' ');
    // A step with no hop to draw (a packet delivered, a log line) still says what happened.
    const said =
      hops.length === 0 && stepRecords ? stepRecords.slice(0, 3).map((r) => recordLine(r, wire)) : [];
    const lines = [...said, ...hops.slice(0, 4).map((h) => captionLine(h, wire))];
    if (hops.length > 4) lines.push(`+${hops.length - 4} more`);
    // Drops stay in the caption while they stay on the canvas: with steps playing together in a busy lab,
    // the next step would otherwise replace the reason before anyone could read it.
    const playingDrops = new Set(hops.filter((h) => h.kind === 'drop'));
    const earlier = this.stopped
      .filter((x) => !playingDrops.has(x.hop))
      .slice(-2)
      .map((x) => captionLine(x.hop, wire));
    this.host.caption.textContent = [...earlier, ...lines].join('\n');
  }

  private draw(now: number): void {
    const { canvas, cy } = this.host;
    const ctx = canvas.getContext('2d', CONTEXT_OPTIONS);
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const scale = cy.zoom();
    const pan = cy.pan();
    const zoom = Math.max(0.6, Math.min(1.4, scale));
    const font = this.host.fontScale?.() ?? 1;
    const wire = this.host.wire();
    const count = this.playing.reduce((n, s) => n + s.hops.length, 0);
    // Busy traffic (many in flight, or a realtime run at 100× and faster where steps overlap) fades as it nears
    // a device and carries no labels: node names stay readable. A simulation step is never busy.
    const fast = this.stepSeqs.length === 0 && this.host.speed() >= FAST_SPEED;
    const fade = count > FADE_ABOVE || (fast && count > 0);
    const label = !fade && count <= MAX_LABELLED;
    this.faded = fade;
    const hits: Hit[] = [];
    // Where each bitmap goes, grouped by bitmap (one image copied many times in a row).
    const batches = new Map<Sprite, number[]>();
    // Copies of a fan-out travelling together (the hub's link to the provider carries all of them) land on the
    // same pixel: drawn once.
    const taken = new Set<string>();
    const labels: { at: Point; hop: Hop }[] = [];
    const faint: { sprite: Sprite; x: number; y: number; alpha: number }[] = [];
    const movers = this.movers(now, scale, pan, zoom, dpr, wire);
    const inFlight = movers.length;
    // Thousands in flight (a 1,000-spoke lab's overlapping fan-outs): one mark per edge and encapsulation, at
    // most MAX_MARKS, so a frame's work is bounded whatever the lab sends. The reference lab stays below.
    this.lod = detailFor(inFlight);
    const drawn = this.lod === 'flows' ? pickFlows(movers).drawn.map((i) => movers[i] as Mover) : movers;
    for (const { hop, x, y, sprite, progress: eased } of drawn) {
      if (label) labels.push({ at: { x, y }, hop });
      const key = `${sprite.id} ${Math.round(x * 2)} ${Math.round(y * 2)}`;
      if (taken.has(key)) continue;
      taken.add(key);
      hits.push({ x, y, r: Math.max(sprite.width, sprite.height) / 2, hop });
      const alpha = fade ? Math.max(0.15, Math.min(1, Math.min(eased, 1 - eased) / 0.2)) : 1;
      if (alpha < 1) {
        faint.push({ sprite, x, y, alpha });
        continue;
      }
      const list = batches.get(sprite);
      if (list) list.push(x, y);
      else batches.set(sprite, [x, y]);
    }
    this.inFlight = inFlight;
    this.marks = hits.length;
    for (const [sprite, xy] of batches) {
      for (let i = 0; i < xy.length; i += 2) {
        const x = xy[i] ?? 0;
        const y = xy[i + 1] ?? 0;
        ctx.drawImage(sprite.image, x - sprite.width / 2, y - sprite.height / 2, sprite.width, sprite.height);
      }
    }
    for (const f of faint) {
      ctx.globalAlpha = f.alpha;
      ctx.drawImage(
        f.sprite.image,
        f.x - f.sprite.width / 2,
        f.y - f.sprite.height / 2,
        f.sprite.width,
        f.sprite.height,
      );
    }
    ctx.globalAlpha = 1;
    for (const l of labels) drawLabel(ctx, l.at, l.hop, zoom * font, wire);
    this.hits = hits;
    this.labelled = labels.length;
    if (this.hover) {
      const seq = this.hover.hop.seq;
      const over = hits.find((h) => h.hop.seq === seq);
      if (over) drawTooltip(ctx, over, zoom * font, wire);
      else this.hover = undefined;
    }
    // Packets drawn moving in this frame: the page benchmark waits for a big fan-out with it.
    const flying = String(inFlight);
    if (canvas.dataset.inFlight !== flying) canvas.dataset.inFlight = flying;
    if (canvas.dataset.lod !== this.lod) canvas.dataset.lod = this.lod;
    const marks = String(this.marks);
    if (canvas.dataset.marks !== marks) canvas.dataset.marks = marks;
    for (const s of this.stopped) {
      const node = cy.getElementById(s.hop.from);
      if (!isShown(node)) continue;
      const pos = node.renderedPosition();
      drawDrop(ctx, { x: pos.x, y: pos.y - 30 * zoom }, s.hop, zoom * font, s.slot, wire);
    }
  }

  /** Every packet moving now, where it is drawn this frame (canvas CSS pixels) and with which bitmap. */
  private movers(
    now: number,
    scale: number,
    pan: Point,
    zoom: number,
    dpr: number,
    wire: WireStyles,
  ): Mover[] {
    const out: Mover[] = [];
    // Bitmaps by encapsulation for this frame's zoom: a lookup per packet, not a key built per packet.
    const looks = new Map<string, Sprite>();
    for (const step of this.playing) {
      const p = Math.min(1, (now - step.start) / step.duration);
      // prefers-reduced-motion (engineer G, issue 15): a packet is shown still, halfway along its link, for the
      // step's duration instead of gliding (WCAG 2.3.3 Animation from Interactions).
      const eased = REDUCED_MOTION?.matches ? 0.5 : p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2;
      const q = 1 - eased;
      for (const hop of step.hops) {
        if (hop.kind === 'drop') continue;
        const curve = this.hopCurve(hop);
        if (!curve) continue;
        // The quadratic curve at `eased`, in model coordinates, then panned and zoomed as Cytoscape draws.
        const x = (q * q * curve.x0 + 2 * q * eased * curve.cx + eased * eased * curve.x2) * scale + pan.x;
        const y = (q * q * curve.y0 + 2 * q * eased * curve.cy + eased * eased * curve.y2) * scale + pan.y;
        // One bitmap per encapsulation and size: a fan-out of hundreds of packets is hundreds of image
        // copies, not thousands of rounded-rectangle fills and strokes.
        const look = this.lookOf(hop);
        let sprite = looks.get(look);
        if (!sprite) looks.set(look, (sprite = this.sprites.get(look, hop.layers, zoom, dpr, wire)));
        out.push({ hop, x, y, sprite, progress: eased, path: curve, look: sprite });
      }
    }
    return out;
  }

  private hopCurve(hop: Hop): Curve | undefined {
    const known = this.hopCurves.get(hop);
    if (known !== undefined) return known ?? undefined;
    const curve = this.curve(hop) ?? null;
    this.hopCurves.set(hop, curve);
    return curve ?? undefined;
  }

  private lookOf(hop: Hop): string {
    let look = this.hopLooks.get(hop);
    if (look === undefined) this.hopLooks.set(hop, (look = hop.layers.join(' ')));
    return look;
  }

  /** The hop's path from its sender to its receiver, along the drawn edge's curve (model coordinates). */
  private curve(hop: Hop): Curve | undefined {
    const key = `${hop.from}\n${hop.to ?? ''}\n${hop.edgeId ?? ''}`;
    const known = this.paths.get(key);
    if (known !== undefined) return known ?? undefined;
    const cy = this.host.cy;
    const a = cy.getElementById(hop.from);
    const b = cy.getElementById(hop.to ?? '');
    let curve: Curve | null = null;
    if (a.nonempty() && b.nonempty()) {
      const p0 = a.position();
      const p2 = b.position();
      const edge = hop.edgeId ? cy.getElementById(hop.edgeId) : undefined;
      let c = { x: (p0.x + p2.x) / 2, y: (p0.y + p2.y) / 2 };
      if (edge && isShown(edge)) {
        // The quadratic curve through the edge's drawn midpoint at p = 0.5.
        const m = edge.midpoint();
        c = { x: 2 * m.x - (p0.x + p2.x) / 2, y: 2 * m.y - (p0.y + p2.y) / 2 };
      }
      curve = { x0: p0.x, y0: p0.y, cx: c.x, cy: c.y, x2: p2.x, y2: p2.y };
    }
    this.paths.set(key, curve);
    return curve ?? undefined;
  }
}

/**
 * The `max` steps to keep, in their order, when the animation must skip: those with a drop, then those with
 * the most hops (a hub's fan-out to every spoke), single hellos last; ties keep the newest.
 */
export function keepLargest(steps: readonly Hop[][], max: number): Hop[][] {
  if (steps.length <= max) return [...steps];
  const ranked = steps
    // A drop is the moment a student must see: it ranks above any fan-out.
    .map((s, i) => ({ i, n: s.length + (s.some((h) => h.kind === 'drop') ? 100_000 : 0) }))
    .sort((a, b) => b.n - a.n || b.i - a.i)
    .slice(0, max)
    .map((x) => x.i)
    .sort((a, b) => a - b);
  return ranked.map((i) => steps[i] ?? []);
}

/** A step's record that moves nothing (a delivery, a log line), for the caption. */
function recordLine(r: TraceRecord, wire: WireStyles): string {
  const c = classOf(r);
  if (r.kind === 'packet')
    return `${r.device} ${r.event} ${encapsulationLabel(c.layers, wire)}: ${r.summary}`;
  if (r.kind === 'log') return `${r.device}: ${r.text}`;
  if (r.kind === 'problem') return `${r.device}: ${r.message}`;
  return `${r.device}: ${r.what} ${r.detail}`;
}

function captionLine(h: Hop, wire: WireStyles): string {
  const what = encapsulationLabel(h.layers, wire);
  if (h.kind === 'drop') return `✕ ${h.from} dropped ${what}: ${h.reason ?? h.summary}`;
  const path = h.kind === 'overlay' ? 'tunnel' : 'link';
  return `${h.from} → ${h.to ?? '?'} (${path}) ${what}: ${h.summary}`;
}

/** A packet moving this frame: where it is drawn, with which bitmap, on which path (a flow candidate). */
interface Mover extends FlowCandidate {
  readonly hop: Hop;
  readonly x: number;
  readonly y: number;
  readonly sprite: Sprite;
}

/** A quadratic curve: start, control point, end. */
interface Curve {
  readonly x0: number;
  readonly y0: number;
  readonly cx: number;
  readonly cy: number;
  readonly x2: number;
  readonly y2: number;
}

interface Sprite {
  /** Unique in the cache's lifetime. */
  readonly id: number;
  readonly image: CanvasImageSource;
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
}

/**
 * The packet canvas and its bitmaps are GPU-backed (Chromium's default). A CPU-backed canvas redrawn at every
 * frame is a new software bitmap the compositor uploads and composites at every frame; in the benchmark's
 * headless Chromium (SwiftShader) that swap was the frame's longest task, and the reference lab played at
 * 15–18 frames/s against 25–32 GPU-backed, 33–42 with the canvas hidden (issue 18, bench/RESULTS.md). What is
 * drawn is one cached bitmap per packet (`drawImage`), not the paths that made a GPU-backed canvas slow before.
 */
const CONTEXT_OPTIONS: CanvasRenderingContext2DSettings = { willReadFrequently: false };

/** Zoom steps sprites are drawn at (the packet size follows the zoom in steps of 5 %). */
const SPRITE_ZOOM_STEP = 0.05;
/** Sprites kept at most (encapsulations × zoom steps seen); the cache restarts beyond. */
const MAX_SPRITES = 256;

/** Packet bitmaps, one per encapsulation, zoom step and pixel ratio. */
class SpriteCache {
  private readonly sprites = new Map<string, Sprite>();
  /** Sprites drawn so far: the next one's id (ids stay unique when the cache is cleared). */
  private drawn = 0;

  /** `look`: the protocols joined by spaces (the caller keeps it per hop). */
  get(look: string, protocols: readonly string[], zoom: number, dpr: number, wire: WireStyles): Sprite {
    const z = Math.round(zoom / SPRITE_ZOOM_STEP) * SPRITE_ZOOM_STEP;
    const key = `${look}@${z}@${dpr}`;
    const known = this.sprites.get(key);
    if (known) return known;
    if (this.sprites.size >= MAX_SPRITES) this.sprites.clear();
    const sprite = drawSprite(protocols, z, dpr, ++this.drawn, wire);
    this.sprites.set(key, sprite);
    return sprite;
  }
}

/** Nested boxes, outermost layer outside: ESP around GRE around PIM reads as three rings. */
function drawSprite(
  protocols: readonly string[],
  zoom: number,
  dpr: number,
  id: number,
  wire: WireStyles,
): Sprite {
  const layers = encapsulation(protocols);
  const n = layers.length;
  // The outer box plus its white outline.
  const pad = 1;
  const width = (16 + 10 * (n - 1)) * zoom + 2 * pad;
  const height = (12 + 7 * (n - 1)) * zoom + 2 * pad;
  const pw = Math.ceil(width * dpr);
  const ph = Math.ceil(height * dpr);
  const surface = new OffscreenCanvas(pw, ph);
  const ctx = surface.getContext('2d', CONTEXT_OPTIONS);
  if (ctx) {
    ctx.scale(dpr, dpr);
    let w = width - 2 * pad;
    let h = height - 2 * pad;
    for (const layer of layers) {
      ctx.beginPath();
      ctx.roundRect((width - w) / 2, (height - h) / 2, w, h, 4 * zoom);
      ctx.fillStyle = wire.color(layer);
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      w -= 10 * zoom;
      h -= 7 * zoom;
    }
  }
  // An immutable bitmap: drawing it copies pixels, without snapshotting a canvas at every use.
  return { id, image: surface.transferToImageBitmap(), width: pw / dpr, height: ph / dpr };
}

/** A packet's one-line summary beside it while the pointer is over it. */
function drawTooltip(ctx: CanvasRenderingContext2D, hit: Hit, zoom: number, wire: WireStyles): void {
  const h = hit.hop;
  const text = `${encapsulationLabel(h.layers, wire)} · ${h.from} → ${h.to ?? '?'} · ${h.summary}`;
  const size = Math.round(11 * zoom);
  ctx.font = `500 ${size}px ${FONT}`;
  const width = Math.min(ctx.measureText(text).width, ctx.canvas.clientWidth - 8) + 10;
  const x = Math.min(Math.max(4, hit.x + hit.r + 6), ctx.canvas.clientWidth - width - 4);
  const y = Math.max(4, hit.y - size - 14);
  ctx.fillStyle = 'rgba(28,38,48,0.94)';
  ctx.beginPath();
  ctx.roundRect(x, y, width, size + 8, 4);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'top';
  ctx.fillText(text, x + 5, y + 4, width - 10);
}

/** The protocol beside a packet, short (a few packets in flight: there is room to read it). */
function drawLabel(ctx: CanvasRenderingContext2D, at: Point, hop: Hop, zoom: number, wire: WireStyles): void {
  const n = encapsulation(hop.layers).length;
  const text = wire.name(hop.protocol);
  ctx.font = `600 ${Math.round(11 * zoom)}px ${FONT}`;
  const tw = ctx.measureText(text).width;
  const x = at.x + (16 + 10 * n) * zoom * 0.5 + 4;
  const y = at.y - 8 * zoom;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(x - 2, y - 2, tw + 4, 15 * zoom);
  ctx.fillStyle = '#1c2630';
  ctx.textBaseline = 'top';
  ctx.fillText(text, x, y);
}

/** A dropped packet: a red cross where it stopped and its reason in a box a student can read. */
function drawDrop(
  ctx: CanvasRenderingContext2D,
  at: Point,
  hop: Hop,
  zoom: number,
  slot: number,
  wire: WireStyles,
): void {
  const r = 9 * zoom;
  ctx.beginPath();
  ctx.arc(at.x, at.y, r, 0, Math.PI * 2);
  ctx.fillStyle = '#c62828';
  ctx.fill();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(at.x - r / 2, at.y - r / 2);
  ctx.lineTo(at.x + r / 2, at.y + r / 2);
  ctx.moveTo(at.x + r / 2, at.y - r / 2);
  ctx.lineTo(at.x - r / 2, at.y + r / 2);
  ctx.stroke();
  const lines = [
    `${encapsulationLabel(hop.layers, wire)} dropped`,
    ...wrapText(hop.reason ?? hop.summary, 38, 3),
  ];
  const size = Math.round(11 * zoom);
  ctx.font = `600 ${size}px ${FONT}`;
  const width = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 10;
  const height = lines.length * (size + 3) + 6;
  // Above the device (stacked when several drops stop there), kept inside the canvas.
  const x = Math.min(Math.max(4, at.x - width / 2), ctx.canvas.clientWidth - width - 4);
  const y = Math.max(4, at.y - r - 4 - height - slot * (height + 4));
  ctx.fillStyle = 'rgba(255,244,244,0.96)';
  ctx.strokeStyle = '#c62828';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(x, y, width, height, 4);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = '#8e0000';
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => ctx.fillText(l, x + 5, y + 4 + i * (size + 3)));
}
