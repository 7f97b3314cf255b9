// The object the worker exposes through comlink. Free of `self` and Comlink so Vitest calls it directly.
import { transfer } from 'comlink';
import { CliSession } from '../sim/cli/cli-session';
import { iosClock } from '../sim/cli/ios-time';
import { shortInterfaceName } from '../sim/config/interface-names';
import { renderRunningConfig, renderScenarioConfig } from '../sim/config/render';
import { dissect, type Layer } from '../sim/net/dissectors';
import type { Router } from '../sim/device/router';
import { formatIpv4, type Ipv4, lengthFromMask, parseIpv4 } from '../sim/net/ipv4-address';
import { writePcap } from '../sim/net/pcap';
import { espKeylog } from '../sim/protocols/esp/keylog';
import type { GdoiView } from '../sim/protocols/gdoi/gdoi-view';
import { routerViewById, routerViews, wireStyles } from '../sim/protocols/registry';
import { pimOf } from '../sim/protocols/pim/pim-service';
import { entryName } from '../sim/protocols/pim/mroute-table';
import { entrySummary, rpfSummary } from '../sim/protocols/pim/multicast-view';
import { generateHubSpokes } from '../sim/scenario/generate';
import { decryptForInspection } from '../sim/protocols/esp/inspect';
import { openRekeyForInspection } from '../sim/protocols/gdoi/inspect';
import { type Lab, labPcap, loadLab } from '../sim/scenario/lab';
import { MomentFileError, type OpenedMoment, openMoment, saveMoment } from '../sim/scenario/checkpoint-file';
import { type CheckResult, evaluateCheck } from '../sim/scenario/checks';
import { type Lesson, type LessonCheck, validateCheck } from '../sim/scenario/lesson-schema';
import { overlayEdges } from '../sim/scenario/overlay';
import { applyEdit } from '../sim/scenario/edit/apply-edit';
import { EDIT_ROLES, type EditOp, type EditResult, type EditRoleInfo } from '../sim/scenario/edit/edit-ops';
import { freeInterfaces } from '../sim/scenario/edit/free-interfaces';
import { type CheckpointSpacing, CheckpointTimeline, PLAY_ROOM_MS, type WorkerState } from './checkpoints';
import { MarkerLog } from './markers';
import { EventClassifier } from './classify';
import { encodeRecordColumns, transferables } from './record-columns';
import { rekeyGroupOf, runLessonAction } from './lesson-api';
import { cmlExportOf, configsExportOf } from './export-api';
import type {
  CheckpointsView,
  CommandRecord,
  DeviceView,
  EditApi,
  EventClass,
  ExportApi,
  ExecResult,
  FrameView,
  LayerView,
  LabClock,
  LabView,
  LessonApi,
  LessonRunAction,
  LoadResult,
  MomentApi,
  MomentOpenResult,
  MrouteEntryView,
  MulticastView,
  PimView,
  RekeyGroupView,
  RouterViewInfo,
  RewindResult,
  RpfView,
  SimApi,
  SimTime,
  TraceBatch,
  ColumnBatch,
  TraceRecord,
  TreeEdgeView,
  WireStyleView,
} from './protocol';

/**
 * A console line, or a link-loss fault set from the page: both are replayed by a rewind at the point where
 * they happened, in the order they happened.
 */
type Action = CommandRecord & { readonly loss?: { readonly linkId: string; readonly fraction: number } };

const consoleLines = (actions: readonly Action[]): CommandRecord[] =>
  actions
    .filter((a) => a.loss === undefined)
    .map(({ t, events, device, line }) => ({ t, events, device, line }));

/**
 * Largest generated lab the page may ask for (the runner's limit is higher; a page of more is unusable). Issue 18:
 * a 5,000-spoke lab loads and plays in the page.
 */
const MAX_PAGE_SPOKES = 5000;
const MAX_PAGE_HUBS = 16;

/**
 * How long the worker waits with no run or rewind before it copies a checkpoint ahead of the next rewind: longer
 * than the page's gap between two frames of play (one run call each), so playing never pays for spare copies.
 */
const SPARE_AFTER_MS = 150;

/** Records a rewind returns when the caller names no window. */
const DEFAULT_REWIND_WINDOW = 5000;

/** A frame's layers as plain data (field by field: only plain data may cross the worker boundary). */
function layerViews(bytes: Uint8Array): LayerView[] {
  return dissect(bytes).map(plainLayer);
}

function plainLayer(l: Layer): LayerView {
  return {
    protocol: l.protocol,
    title: l.title,
    start: l.start,
    end: l.end,
    fields: l.fields.map((x) => ({
      name: x.name,
      label: x.label,
      value: x.value,
      start: x.start,
      end: x.end,
    })),
    ...(l.error !== undefined ? { error: l.error } : {}),
    ...(l.warnings ? { warnings: [...l.warnings] } : {}),
  };
}

/** Records before a rewind's window classified with it: an ESP packet's inner layers are learnt from its sender. */
const CLASSIFY_MARGIN = 200;

/** A classifier reading one lab's frames and addresses. */
function classifierFor(lab: Lab): EventClassifier {
  return new EventClassifier(
    (id) => lab.kernel.trace.frame(id)?.bytes,
    (device, address) => lab.router(device)?.ownsAddress(address) ?? false,
  );
}

/** Creates the simulation API. Each instance holds one lab at a time. */
export function createSimApi(
  options: { readonly checkpoints?: CheckpointSpacing; readonly spareAfterMs?: number } = {},
): SimApi & LessonApi & EditApi & ExportApi & MomentApi {
  let lab: Lab | undefined;
  let classifier: EventClassifier | undefined;
  /** The timeline's markers of every record made, also those no batch's window carried. */
  const markerLog = new MarkerLog();
  /** Makes `next` the running lab: its records are classified and its markers followed from here on. */
  const runOn = (next: Lab): Lab => {
    lab = next;
    classifier = classifierFor(next);
    markerLog.follow(next.kernel.trace);
    return next;
  };
  let sessions = new Map<string, CliSession>();
  let cursor = 0;
  /** The scenario text now loaded and the console lines run on it: together they re-create any moment. */
  let scenarioText = '';
  let commands: Action[] = [];
  const timeline = new CheckpointTimeline(options.checkpoints);
  /** Runs and rewinds under way: the idle spare copy waits until none is (it must not slow them down). */
  let busy = 0;
  /** Runs and rewinds begun so far: a spare is made only when none began since it was scheduled. */
  let calls = 0;
  /** The page plays (`setPlaying`): a run comes every frame, so no idle work is scheduled between them. */
  let playing = false;
  const spareAfterMs = options.spareAfterMs ?? SPARE_AFTER_MS;

  /**
   * Once the worker is idle (a macrotask after the run or rewind returned: the page is drawing what it got), works
   * ahead of the next scrub, one piece per macrotask so a call waits at most one piece: in a big lab it fills the
   * gaps between checkpoints with closer ones; then it copies the checkpoint a scrub back from here restores, so
   * that restore takes the copy over instead of making it (`CheckpointTimeline.idleWork`). Never while the page
   * plays: its next frame's run would wait behind the piece.
   */
  const workWhenIdle = (): void => {
    if (playing) return;
    const scheduledAt = calls;
    const work = async (): Promise<void> => {
      if (busy !== 0 || calls !== scheduledAt || !lab) return;
      const k = lab.kernel;
      const at = { t: k.now, events: k.eventsProcessed, actions: commands.length };
      if (await timeline.idleWork(k.trace, at)) setTimeout(() => void work(), 0);
    };
    setTimeout(() => void work(), spareAfterMs);
  };

  /**
   * While the page plays a big lab: after a frame's run that left room, one small piece of shadow work before the
   * next frame's run (`CheckpointTimeline.playWork`: the checkpoints the run no longer copies).
   */
  const workWhilePlaying = (runMs: number): void => {
    if (!playing || runMs > PLAY_ROOM_MS) return;
    const scheduledAt = calls;
    setTimeout(() => {
      if (busy !== 0 || calls !== scheduledAt || !lab || !playing) return;
      const k = lab.kernel;
      void timeline.playWork(k.trace, { t: k.now, events: k.eventsProcessed, actions: commands.length });
    }, 0);
  };

  const session = (device: string): CliSession => {
    if (!lab) throw new Error('No lab is loaded.');
    let s = sessions.get(device);
    if (!s) {
      const router = lab.router(device);
      if (!router) throw new Error(`There is no device named "${device}".`);
      s = new CliSession(router, { epochMs: lab.epochMs });
      sessions.set(device, s);
    }
    return s;
  };

  const drain = (window?: number): TraceBatch => {
    if (!lab) return { now: 0, clock: '', records: [], total: 0 };
    const trace = lab.kernel.trace;
    const from = window === undefined ? cursor : Math.max(cursor, trace.total - window);
    const records = typed(trace.since(from));
    const markers = markerLog.since(cursor);
    const logsLeftOut = from > cursor ? markerLog.logsBetween(cursor, from) : [];
    cursor = trace.total;
    const clock = iosClock(lab.epochMs, lab.kernel.now);
    return {
      now: lab.kernel.now,
      clock,
      records,
      total: cursor,
      markers,
      ...(logsLeftOut.length > 0 ? { logsLeftOut } : {}),
    };
  };

  /** Every record leaves the worker with its class. */
  const typed = (records: readonly TraceRecord[]): TraceRecord[] =>
    classifier ? classifier.typed(records) : [...records];

  const classOf = (r: TraceRecord): EventClass | undefined => classifier?.classify(r);

  /**
   * The newest view handed to the page, by any call, numbered (`LabView.serial`), and its contents as `viewKey`
   * once `labIfChanged` has compared with it. The page says which view it holds, so the comparison is always with
   * that one.
   */
  let lastView: { readonly view: LabView; key?: string } | undefined;
  let viewSerial = 0;
  /** `view` numbered as the newest handed over (`key`: its `viewKey`, when already made). */
  const handedOver = (view: LabView, key?: string): LabView => {
    const numbered = { ...view, serial: ++viewSerial };
    lastView = key === undefined ? { view: numbered } : { view: numbered, key };
    return numbered;
  };
  const viewOf = (l: Lab): LabView => handedOver(labView(l));

  /** What a checkpoint keeps beside the lab (`checkpoints.ts`). */
  const workerState = (): WorkerState => ({ sessions, actions: commands.length });

  /** The lab to run: before its first run, a copy of the first checkpoint (`CheckpointTimeline.start`). */
  const adopted = async (current: Lab): Promise<Lab> => {
    const copy = await timeline.start(current, workerState);
    if (!copy) return current;
    runOn(copy.lab);
    sessions = copy.state.sessions;
    return copy.lab;
  };

  /**
   * Goes back to `time`: restores the latest checkpoint before it (or re-simulates from the start when there is
   * none), replays the actions after the checkpoint up to `time`, then runs while `more` holds (≤ time). `records`
   * bounds the checkpoint by trace position too (`atRecords`: Back to the end of a step).
   */
  const resimulate = async (
    time: number,
    window: number,
    more?: (fresh: Lab) => boolean,
    atRecords?: number,
  ): Promise<RewindResult> => {
    busy++;
    calls++;
    try {
      return await goBack(time, window, more, atRecords);
    } finally {
      busy--;
      workWhenIdle();
    }
  };

  const goBack = async (
    time: number,
    window: number,
    more?: (fresh: Lab) => boolean,
    atRecords?: number,
  ): Promise<RewindResult> => {
    await timeline.quiesce();
    const before = commands;
    const cp = lab && timeline.nearest(time, atRecords);
    let fresh: Lab;
    let replayFrom = 0;
    if (lab && cp) {
      const restored = timeline.restore(cp, lab);
      fresh = restored.lab;
      sessions = restored.state.sessions;
      replayFrom = restored.state.actions;
    } else {
      const loaded = loadLab(scenarioText).lab;
      if (!loaded) throw new Error('The scenario can no longer be loaded.');
      fresh = loaded;
      sessions = new Map();
      timeline.dropAll();
    }
    const replay = before.slice(replayFrom).filter((c) => c.t <= time);
    runOn(fresh);
    commands = before.slice(0, replayFrom);
    // Actions after `time` are dropped: checkpoints that had seen them belong to a future that is gone.
    timeline.dropBeyondActions(replayFrom + replay.length);
    for (const c of replay) {
      await replayUntil(fresh, c);
      if (c.loss) {
        fresh.setLinkLoss(c.loss.linkId, c.loss.fraction);
        commands.push({ ...c, t: fresh.kernel.now, events: fresh.kernel.eventsProcessed });
        continue;
      }
      const s = session(c.device);
      commands.push({ ...c, t: fresh.kernel.now, events: fresh.kernel.eventsProcessed });
      await s.execute(c.line);
    }
    await timeline.run(fresh, time, workerState, more && (() => more(fresh)));
    const trace = fresh.kernel.trace;
    cursor = trace.total;
    const first = Math.max(0, trace.total - window);
    const all = typed(trace.since(Math.max(0, first - CLASSIFY_MARGIN)));
    const records = all.slice(all.length - (trace.total - first));
    const clock = iosClock(fresh.epochMs, fresh.kernel.now);
    return {
      lab: viewOf(fresh),
      batch: { now: fresh.kernel.now, clock, records, total: cursor, markers: markerLog.all() },
      commands: consoleLines(commands),
    };
  };

  return {
    async load(text: string): Promise<LoadResult> {
      const { lab: next, problems } = loadLab(text);
      if (!next) return { ok: false, problems };
      runOn(next);
      sessions = new Map();
      cursor = 0;
      scenarioText = text;
      commands = [];
      timeline.reset();
      return { ok: true, lab: viewOf(next), problems };
    },
    async lab(): Promise<LabView | undefined> {
      return lab && viewOf(lab);
    },
    async labIfChanged(held?: number): Promise<LabView | LabClock | undefined> {
      if (!lab) return undefined;
      const last = lastView;
      if (held === undefined || !last || last.view.serial !== held) return viewOf(lab);
      const view = labView(lab);
      const key = viewKey(view);
      last.key ??= viewKey(last.view);
      if (key === last.key) return { unchanged: true, now: view.now, clock: view.clock };
      return handedOver(view, key);
    },
    async runUntil(time: number, window?: number): Promise<TraceBatch> {
      busy++;
      calls++;
      const start = performance.now();
      try {
        if (lab) await timeline.run(await adopted(lab), time, workerState, undefined, true);
      } finally {
        busy--;
        workWhenIdle();
        workWhilePlaying(performance.now() - start);
      }
      return drain(window);
    },
    async runUntilColumns(time: number, window?: number): Promise<ColumnBatch> {
      const { records, ...rest } = await this.runUntil(time, window);
      const columns = encodeRecordColumns(records);
      // Transferred, not cloned: the page's message handler then takes O(1) however many records there are.
      return transfer({ ...rest, columns }, transferables(columns));
    },
    async setPlaying(on: boolean): Promise<void> {
      playing = on;
      timeline.setPlaying(on);
      // Idle work already scheduled sees a new call and stops; stopped, it is scheduled again.
      calls++;
      workWhenIdle();
    },
    async step(): Promise<TraceBatch> {
      if (lab) await lab.kernel.step();
      return drain();
    },
    async exec(device: string, line: string): Promise<ExecResult> {
      const s = session(device);
      if (lab) {
        timeline.dropAfterEvent(lab.kernel.eventsProcessed);
        commands.push({ t: lab.kernel.now, events: lab.kernel.eventsProcessed, device, line });
      }
      const output = await s.execute(line);
      const batch = drain();
      return {
        output,
        prompt: s.prompt(),
        now: batch.now,
        records: batch.records,
        markers: batch.markers ?? [],
      };
    },
    async prompt(device: string): Promise<string> {
      return session(device).prompt();
    },
    async help(device: string, partial: string): Promise<string> {
      return session(device).help(partial);
    },
    async complete(device: string, partial: string): Promise<string> {
      return session(device).complete(partial);
    },
    async exportPcap(): Promise<Uint8Array> {
      return lab ? labPcap(lab) : writePcap([], 0);
    },
    async exportKeylog(): Promise<string> {
      return espKeylog(lab ? lab.routers : []);
    },
    async rewind(time: number, window = DEFAULT_REWIND_WINDOW): Promise<RewindResult> {
      return resimulate(time, window);
    },
    async rewindToRecord(
      records: number,
      time: number,
      window = DEFAULT_REWIND_WINDOW,
    ): Promise<RewindResult> {
      return resimulate(time, window, (fresh) => fresh.kernel.trace.total < records, records);
    },
    async stepMatching(protocols: readonly string[], limit: number): Promise<TraceBatch> {
      if (!lab) return drain();
      const kernel = lab.kernel;
      const trace = kernel.trace;
      const wanted = new Set(protocols);
      const before = cursor;
      let found = false;
      // Where the kernel event now running began (trace position), and where the matching one began.
      let event = -1;
      let eventStart = trace.total;
      let stepStart = trace.total;
      const stop = trace.subscribe((r) => {
        if (kernel.eventsProcessed !== event) {
          event = kernel.eventsProcessed;
          eventStart = trace.total - 1;
        }
        if (found) return;
        const layers = classOf(r)?.layers ?? [];
        if (wanted.size === 0 || (r.kind === 'packet' && layers.some((p) => wanted.has(p)))) {
          found = true;
          stepStart = eventStart;
        }
      });
      try {
        // Stops between kernel events: the matching event's records are all in.
        await kernel.runUntilCondition(() => found, limit);
      } finally {
        stop();
      }
      const batch = drain();
      if (!found) return batch;
      return { ...batch, step: { from: Math.max(0, stepStart - before), end: batch.total } };
    },
    async frame(
      frameId: number,
      options?: { readonly revealKeys?: boolean },
    ): Promise<FrameView | undefined> {
      const f = lab?.kernel.trace.frame(frameId);
      if (!f) return undefined;
      const layers = layerViews(f.bytes);
      // ESP is shown opened where a router holds the group TEK: the sender first, then the others.
      const sender = lab!.router(f.from);
      const holders = [...(sender ? [sender] : []), ...lab!.routers.filter((r) => r !== sender)];
      const opened = await decryptForInspection(f.bytes, holders);
      const decrypted = opened && { ...opened, layers: layerViews(opened.bytes) };
      // A GDOI rekey (clear on the KS's link, inside ESP on the tunnels) is opened with a member's KEK.
      const rekey = await openRekeyForInspection(opened?.bytes ?? f.bytes, lab!.routers, options?.revealKeys);
      return {
        ...(rekey ? { rekey: { ...rekey, layers: rekey.layers.map(plainLayer) } } : {}),
        id: f.id,
        t: f.t,
        link: f.link,
        from: f.from,
        bytes: f.bytes.slice(),
        layers,
        ...(decrypted ? { decrypted } : {}),
      };
    },
    async multicastView(source: string, group: string): Promise<MulticastView> {
      if (!lab) return { source, group, rpf: [], mroutes: [], tree: [], entries: [] };
      const src = parseIpv4(source);
      const rpf: RpfView[] = lab.routers.map((r) => {
        const info = src === undefined ? undefined : rpfSummary(r, src);
        return info ? { device: r.name, ...info } : { device: r.name };
      });
      const mroutes = lab.routers.map((r) => ({
        device: r.name,
        lines: renderRunningConfig(r.config)
          .split('\n')
          .filter((l) => l.startsWith('ip mroute ')),
      }));
      const g = parseIpv4(group);
      const tree = g === undefined ? [] : lab.routers.flatMap((r) => treeEdges(r, src, g));
      const entries: MrouteEntryView[] = [];
      for (const r of g === undefined ? [] : lab.routers) {
        const e = entrySummary(r, src, g ?? 0);
        if (e) entries.push({ device: r.name, ...e });
      }
      return { source, group, rpf, mroutes, tree, entries };
    },
    async runningConfig(device: string): Promise<string> {
      const r = lab?.router(device);
      if (!r) throw new Error(`There is no device named "${device}".`);
      return renderRunningConfig(r.config);
    },
    async scenarioConfig(device: string): Promise<string> {
      const r = lab?.router(device);
      if (!r) throw new Error(`There is no device named "${device}".`);
      return renderScenarioConfig(r.config);
    },
    async commands(): Promise<readonly CommandRecord[]> {
      return consoleLines(commands);
    },
    async show(device: string, line: string): Promise<string> {
      if (!/^\s*sh(o(w)?)?\s/i.test(line)) return '% The live view runs show commands only.';
      const router = lab?.router(device);
      if (!lab || !router) throw new Error(`There is no device named "${device}".`);
      return new CliSession(router, { epochMs: lab.epochMs }).execute(line);
    },
    async setLinkLoss(linkId: string, fraction: number): Promise<LabView | undefined> {
      if (!lab || !lab.setLinkLoss(linkId, fraction)) return undefined;
      const k = lab.kernel;
      timeline.dropAfterEvent(k.eventsProcessed);
      commands.push({
        t: k.now,
        events: k.eventsProcessed,
        device: '',
        line: '',
        loss: { linkId, fraction },
      });
      return viewOf(lab);
    },
    async generate(spokes: number, hubs = 1): Promise<string> {
      const n = Math.max(1, Math.min(MAX_PAGE_SPOKES, Math.floor(spokes)));
      const h = Math.max(1, Math.min(MAX_PAGE_HUBS, n, Math.floor(hubs)));
      return `${JSON.stringify(generateHubSpokes({ spokes: n, hubs: h }), null, 2)}\n`;
    },
    async traceHash(): Promise<string> {
      return lab ? lab.kernel.trace.hash() : '';
    },
    async checkpoints(): Promise<CheckpointsView> {
      const disabled = timeline.disabled;
      const spareAt = timeline.spareAt;
      return {
        times: timeline.times,
        handovers: timeline.handovers,
        consumed: timeline.consumedCount,
        filled: timeline.filledCount,
        idleDone: timeline.idleDone,
        ...(spareAt !== undefined ? { spareAt } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
      };
    },
    async gdoiView(device: string): Promise<GdoiView> {
      return viewState(lab, device, 'gdoi') as GdoiView;
    },
    async lessons(): Promise<readonly Lesson[]> {
      return lab?.lessons ?? [];
    },
    async runLesson(action: LessonRunAction, window?: number): Promise<TraceBatch> {
      if (lab) {
        // What a run action does is not an action a rewind replays: checkpoints after it would disagree.
        timeline.dropAfterEvent(lab.kernel.eventsProcessed);
        await runLessonAction(lab, action);
      }
      return drain(window);
    },
    async rekeyGroup(): Promise<RekeyGroupView | undefined> {
      return lab && rekeyGroupOf(lab);
    },
    async evaluateChecks(checks: readonly LessonCheck[], sinceT: SimTime): Promise<readonly CheckResult[]> {
      const current = lab;
      if (!current) return checks.map(() => ({ pass: false, detail: 'No lab is loaded.' }));
      const context = { eventKind: (r: TraceRecord) => classOf(r)?.kind ?? 'state' };
      const out: CheckResult[] = [];
      for (const [i, raw] of checks.entries()) {
        // What crosses the worker boundary is only data: validated as a scenario file's check would be.
        const problems: { path: string; message: string }[] = [];
        const check = validateCheck(raw as unknown as Parameters<typeof validateCheck>[0], `/${i}`, problems);
        out.push(
          check
            ? await evaluateCheck(current, check, sinceT, context)
            : { pass: false, detail: `Not a valid check: ${problems.map((p) => p.message).join(' ')}` },
        );
      }
      return out;
    },
    async pimView(device: string): Promise<PimView> {
      return viewState(lab, device, 'pim') as PimView;
    },
    async editScenario(text: string, op: EditOp): Promise<EditResult> {
      return applyEdit(text, op);
    },
    async freeInterfaces(text: string, device: string): Promise<readonly string[]> {
      return freeInterfaces(text, device);
    },
    async editRoles(): Promise<readonly EditRoleInfo[]> {
      return EDIT_ROLES;
    },
    async exportCml(text: string) {
      return cmlExportOf(text);
    },
    async exportConfigs(text: string) {
      return configsExportOf(text);
    },
    async saveMoment(): Promise<Uint8Array> {
      if (!lab) throw new Error('No lab is loaded.');
      return saveMoment(lab, sessions, scenarioText, commands);
    },
    async openMoment(bytes: Uint8Array): Promise<MomentOpenResult> {
      let opened: OpenedMoment<unknown>;
      try {
        opened = await openMoment<unknown>(bytes);
      } catch (e) {
        // The lab loaded before stays as it was: nothing is replaced until the moment is whole.
        const problem =
          e instanceof MomentFileError ? e.message : `This saved moment cannot be opened (${String(e)}).`;
        return { ok: false, problem };
      }
      const { header, extra } = opened;
      if (!(extra instanceof Map) || ![...extra.values()].every((s) => s instanceof CliSession))
        return { ok: false, problem: 'This saved moment is damaged: its consoles are not readable.' };
      const current = runOn(opened.lab);
      sessions = extra as Map<string, CliSession>;
      scenarioText = header.scenario;
      commands = [...header.commands];
      cursor = current.kernel.trace.total;
      timeline.reset();
      timeline.anchor(current, workerState());
      const now = current.kernel.now;
      return {
        ok: true,
        scenario: header.scenario,
        result: {
          lab: viewOf(current),
          batch: {
            now,
            clock: iosClock(current.epochMs, now),
            records: [],
            total: cursor,
            markers: markerLog.all(),
          },
          commands: consoleLines(commands),
        },
      };
    },
  };
}

/** A router's outgoing interfaces for the group: its (S,G) entry when it has one, else its (*,G). */
function treeEdges(router: Router, source: Ipv4 | undefined, group: Ipv4): TreeEdgeView[] {
  const table = pimOf(router).mroutes;
  const entry = (source !== undefined ? table.get(source, group) : undefined) ?? table.get(undefined, group);
  if (!entry) return [];
  // Only where traffic really leaves: a passive listing (own join-group where not DR) sends nothing.
  return [...entry.oil.values()]
    .filter((o) => o.passive !== true)
    .map((o) => ({
      device: router.name,
      iface: o.interface,
      ...(o.nextHop !== undefined ? { nextHop: formatIpv4(o.nextHop) } : {}),
      entry: entryName(entry),
    }));
}

/**
 * Runs a fresh lab to the exact point where a console line originally ran: the same number of kernel events,
 * then the clock moved to the line's time (runUntil had left it there when nothing was due at that instant).
 */
async function replayUntil(lab: Lab, c: CommandRecord): Promise<void> {
  const kernel = lab.kernel;
  await kernel.runUntilCondition(() => kernel.eventsProcessed >= c.events, c.t);
  if (kernel.now < c.t) await kernel.runUntil(c.t);
}

/** A protocol's typed state view of one router, from its descriptor (`routerViews[].state`). */
function viewState(lab: Lab | undefined, device: string, viewId: string): unknown {
  const r = lab?.router(device);
  if (!r) throw new Error(`There is no device named "${device}".`);
  const build = routerViewById(viewId)?.state;
  if (!build) throw new Error(`No protocol gives a "${viewId}" view.`);
  return build(r);
}

/** The router panel's protocol tabs: the same for every lab (the registry is fixed at build time). */
const ROUTER_VIEWS: readonly RouterViewInfo[] = routerViewInfo();

function routerViewInfo(): RouterViewInfo[] {
  return routerViews().map((v) => ({
    id: v.id,
    label: v.label,
    commands: v.commands,
    hasState: v.state !== undefined,
  }));
}

function labView(lab: Lab): LabView {
  const devices: DeviceView[] = [...lab.devices.values()].map((d) => ({
    name: d.name,
    role: d.role,
    x: d.x,
    y: d.y,
    interfaces: d.router.config.interfaces.map((i) => {
      const state = d.router.interfaceState(i.name);
      return {
        name: i.name,
        short: shortInterfaceName(i.name),
        address: i.address
          ? `${formatIpv4(i.address.address)}/${lengthFromMask(i.address.mask) ?? 32}`
          : undefined,
        status: state.status,
        protocol: state.protocol,
      };
    }),
  }));
  const links = lab.links.map((l) => ({
    id: l.id,
    a: l.a,
    b: l.b,
    delayMs: l.delay / 1000,
    loss: l.loss,
    up: Boolean(lab.router(l.a.device)?.isUp(l.a.iface) && lab.router(l.b.device)?.isUp(l.b.iface)),
  }));
  return {
    title: lab.title,
    description: lab.description,
    devices,
    links,
    overlay: overlayEdges(lab),
    problems: lab.problems,
    now: lab.kernel.now,
    clock: iosClock(lab.epochMs, lab.kernel.now),
    wireStyles: WIRE_STYLES,
    routerViews: ROUTER_VIEWS,
  };
}

/** A view's contents but its time, for `labIfChanged` to compare (~40 ms at 5,000 spokes, a third of the view). */
function viewKey(view: LabView): string {
  return JSON.stringify([
    view.devices,
    view.links,
    view.overlay,
    view.problems,
    view.title,
    view.description,
  ]);
}

/** The descriptors' wire styles: the same for every lab (the registry is fixed at build time). */
const WIRE_STYLES: readonly WireStyleView[] = wireStyles().map(({ id, label, color, legendOrder }) =>
  legendOrder === undefined ? { id, label, color } : { id, label, color, legendOrder },
);
