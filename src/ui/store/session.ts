// Persistence and share. Edits are never lost (issue 13 item 10) and a link or a reload brings back the session
// (issue 15 "Share and save"): saved work per lab, two-tab conflicts, the session restored, share links, and
// recovery from a failed or hung worker. The saved-work bookkeeping lives in this slice's closure, per store.
import { DEFAULT_CLOCK } from '../../worker/page-helpers';
import type { SimApi } from '../../worker/protocol';
import { type PanelId, panelHandle, useLayout } from '../layout';
import { pcapSpan } from '../pcap-span';
import {
  type KeyValueStore,
  LEGACY_SAVED_KEY,
  SAVE_PREFIX,
  type SavedLab,
  type SessionState,
  encodeSessionParam,
  fromSource,
  isConflict,
  labKey,
  parseSavedLab,
  readLast,
  readSaved,
  removeSaved,
  reopensFromSource,
  sessionFromHash,
  writeSaved,
} from '../persistence';
import { decodeShare, encodeShare, lessonFromHash, sharedFromHash } from '../share';
import { WorkerGoneError } from './bridge';
import { DEFAULT_SCENARIO, WEBGL_THRESHOLD, errorText } from './constants';
import type { StoreEnv } from './env';
import type {
  BottomTab,
  ConsoleState,
  GetState,
  SessionSlice,
  SetState,
  SimState,
  WatchdogNote,
} from './state';

/** Watchdog reports the page keeps (a flood is reported once per router and instant; more is noise). */
const MAX_WATCHDOG_NOTES = 50;
/** Saves wait this long for more changes (wall ms). */
const SAVE_DELAY_MS = 300;
/** How long a confirmation stays on screen (wall ms). */
const NOTICE_MS = 10_000;

/** Panels whose collapsed state a session carries (the lessons panel follows `lessonOpen`). */
const COLLAPSIBLE: readonly PanelId[] = ['devices', 'router', 'bottom'];

/** The lab open here as saved work: its key, label, scenario with the running-configs, and revision. */
interface CurrentLab {
  key: string;
  label: string;
  scenario: string;
  edited: boolean;
  /** The revision and configs this tab last read or wrote: another tab's later save is checked against them. */
  baseRev: number;
  baseScenario: string;
  /**
   * A config line, fault or edit happened since the load. Until one does, a rewind cannot change the configs, so
   * it saves the session without reading them back: in a big lab, whose configs are not normalised at load, the
   * read-back text differs from the loaded one and would pass for an edit (and 1.5 MB per 1,000 spokes saved).
   */
  configsTouched?: boolean;
}

/** Set by a load this slice starts: the key and session to use when the store reports the new lab. */
type PendingLab = Pick<CurrentLab, 'key' | 'label' | 'edited' | 'baseRev'> & { baseScenario?: string };

const emptyStore: KeyValueStore = {
  getItem: () => null,
  setItem: () => undefined,
  removeItem: () => undefined,
};

/** Collapses or expands the panels as a session had them. */
function restoreCollapsed(collapsed: readonly string[]): void {
  for (const id of COLLAPSIBLE) {
    const panel = panelHandle(id);
    const want = collapsed.includes(id);
    if (!panel || panel.isCollapsed() === want) continue;
    if (want) panel.collapse();
    else panel.expand();
  }
}

function asBottomTab(tab: string): BottomTab {
  return tab === 'multicast' || tab === 'faults' || tab === 'problems' ? tab : 'inspector';
}

/**
 * A line entered in configuration mode: IOS applies it at once, so it is saved at once, `end` or not (issue 13
 * item 10: lines typed without `end` were never saved).
 */
function configLineEntered(
  now: ReadonlyMap<string, ConsoleState>,
  before: ReadonlyMap<string, ConsoleState>,
): boolean {
  if (now === before) return false;
  for (const [device, c] of now) {
    const b = before.get(device);
    if (!b || (c.history === b.history && c.prompt === b.prompt)) continue;
    if (c.prompt.includes('(config') || b.prompt.includes('(config')) return true;
  }
  return false;
}

/** The session moved in a way a reload should bring back (time when stopped, panels, selection). */
function sessionMoved(s: SimState, prev: SimState): boolean {
  return (
    (prev.running && !s.running) ||
    (!s.running && s.now !== prev.now) ||
    s.bottomTab !== prev.bottomTab ||
    s.lessonOpen !== prev.lessonOpen ||
    s.lessonStep !== prev.lessonStep ||
    s.selected !== prev.selected ||
    s.showRpf !== prev.showRpf ||
    s.showTree !== prev.showTree
  );
}

function dropLinkFromUrl(): void {
  const loc = globalThis.location;
  if (loc?.hash) globalThis.history?.replaceState(null, '', `${loc.pathname}${loc.search}`);
}

export function createSessionSlice(
  set: SetState,
  get: GetState,
  env: StoreEnv,
  subscribe: (listener: (s: SimState, prev: SimState) => void) => () => void,
): SessionSlice {
  let current: CurrentLab | undefined;
  let pending: PendingLab | undefined;
  let noticeId = 0;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  let configSave: { running: boolean; again: boolean } = { running: false, again: false };
  let started = false;
  const storage = (): KeyValueStore | undefined => env.storage;

  function schedulePersist(): void {
    if (persistTimer !== undefined) clearTimeout(persistTimer);
    persistTimer = setTimeout(() => {
      persistTimer = undefined;
      get().persistNow();
    }, SAVE_DELAY_MS);
  }

  /**
   * The configs changed (a line typed, a fault, a rewind): re-read them and save at once, not after a delay, so a
   * reload right after a line still finds it. Changes that come while a save is reading the configs are folded
   * into one more save.
   */
  function scheduleConfigSave(): void {
    if (configSave.running) {
      configSave.again = true;
      return;
    }
    const state: typeof configSave = { running: true, again: false };
    configSave = state;
    void saveConfigs().finally(() => {
      state.running = false;
      if (state.again && configSave === state) scheduleConfigSave();
    });
  }

  /**
   * A loaded scenario as the page writes it (every device's running-config, JSON re-indented): comparisons between
   * tabs and "edited" then compare like with like, not a shipped file's text with its re-rendered copy.
   */
  async function normalizeScenario(): Promise<void> {
    const target = current;
    if (!target) return;
    const raw = target.scenario;
    // A big lab's configs take one worker call per device: read them when one changes (saveConfigs), not on load.
    if ((get().lab?.devices.length ?? 0) > WEBGL_THRESHOLD) {
      get().persistNow();
      return;
    }
    try {
      const rendered = await get().currentScenario();
      if (current !== target || target.scenario !== raw) return;
      target.scenario = rendered;
      if (target.baseScenario === raw) target.baseScenario = rendered;
    } catch {
      // The worker failed (the banner says so): compare with the text as loaded.
    }
    get().persistNow();
  }

  async function saveConfigs(): Promise<void> {
    const target = current;
    if (!target || get().loading) return;
    try {
      const scenario = await get().currentScenario();
      if (current !== target) return;
      target.edited ||= scenario !== target.scenario;
      target.scenario = scenario;
      get().persistNow();
    } catch {
      // The worker failed: the failure banner says so; the last saved work stays.
    }
  }

  /** A new lab: it becomes the saved work this tab writes (from a load this slice started, or a fresh one). */
  function adoptLab(s: SimState, scenarioText: string): void {
    const p = pending;
    pending = undefined;
    const key = p?.key ?? labKey(s.source ?? 'unknown');
    const stored = readSaved(storage() ?? emptyStore, key);
    current = {
      key,
      label: p?.label ?? s.sourceLabel ?? key,
      scenario: scenarioText,
      edited: p?.edited ?? false,
      // A fresh load replaces what was saved for this key (confirmReplace asked first if it had edits).
      baseRev: Math.max(p?.baseRev ?? 0, stored?.rev ?? 0),
      baseScenario: p
        ? (p.baseScenario ?? scenarioText)
        : stored && !fromSource(stored)
          ? stored.scenario
          : scenarioText,
    };
    set({ conflict: undefined, watchdog: [], ...(p ? {} : { positions: [] }) });
    void normalizeScenario();
  }

  /** Reacts to what the store does: a lab loaded, configs changed, the session moved. */
  function watchStore(): void {
    subscribe((s, prev) => {
      if (s.labSerial !== prev.labSerial && s.lab && s.scenarioText !== undefined) {
        adoptLab(s, s.scenarioText);
        return;
      }
      // A rewind undid what the watchdog stopped after that moment.
      if (prev.rewinding && !s.rewinding && s.watchdog.some((w) => w.t > s.now))
        set({ watchdog: s.watchdog.filter((w) => w.t <= s.now) });
      // What changes configs: a config log line in the trace (the lab view stays; a rewind brings a new one), the
      // editor's text, a fault applied, a line typed in config mode. A rewind may undo them, so it re-reads the
      // configs only once one of them happened.
      const configsTouched =
        (s.configVersion !== prev.configVersion && s.lab === prev.lab) ||
        s.scenarioText !== prev.scenarioText ||
        s.faults.some((f) => !prev.faults.includes(f)) ||
        configLineEntered(s.consoles, prev.consoles);
      if (configsTouched && current) current.configsTouched = true;
      const configsMayMove =
        s.configVersion !== prev.configVersion ||
        s.faults !== prev.faults ||
        (prev.rewinding && !s.rewinding);
      if (configsTouched || (configsMayMove && current?.configsTouched)) scheduleConfigSave();
      else if (configsMayMove || sessionMoved(s, prev)) schedulePersist();
    });
  }

  /** A panel collapsed or expanded is part of the session a reload restores. */
  function watchLayout(): void {
    useLayout.subscribe((s, prev) => {
      if (s.collapsed !== prev.collapsed) schedulePersist();
    });
  }

  /** Another tab saved this lab: warn instead of letting the last save silently win. */
  function watchOtherTabs(): void {
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (!current || e.key !== SAVE_PREFIX + current.key) return;
      const rec = parseSavedLab(e.newValue);
      if (rec && isConflict(rec, env.tabId, current.baseRev, current.baseScenario))
        set({ conflict: { key: rec.key, label: rec.label } });
    });
    // A closed or hidden tab keeps its last moment (time, panels) without waiting for the save delay.
    globalThis.addEventListener?.('pagehide', () => get().persistNow());
  }

  /** Callers of a call cut short need not each catch it: the banner and the status line report what happened. */
  function watchWorker(): void {
    globalThis.addEventListener?.('unhandledrejection', (e: PromiseRejectionEvent) => {
      if (e.reason instanceof WorkerGoneError) e.preventDefault();
    });
  }

  /** Collects the watchdog's `problem` records as they arrive (the Problems panel and a banner show them). */
  function watchWatchdog(): void {
    get().subscribeTrace((records) => {
      const notes: WatchdogNote[] = [];
      for (const r of records)
        if (r.kind === 'problem') notes.push({ t: r.t, device: r.device, message: r.message });
      if (notes.length === 0) return;
      set((s) => ({ watchdog: [...s.watchdog, ...notes].slice(-MAX_WATCHDOG_NOTES) }));
      const last = notes[notes.length - 1]!;
      get().notify(`${last.device}: ${last.message} (listed under Problems)`, 'warning');
    });
  }

  /** Sets a link's loss again on a restored lab (a fault's console lines are in the configs; its loss is not). */
  async function restoreLoss(session: SessionState): Promise<void> {
    for (const { fault } of session.faults) {
      const loss = fault.apply.loss;
      if (!loss) continue;
      const lab = await get().call((api: SimApi) => api.setLinkLoss(loss.linkId, loss.fraction));
      if (lab) set({ lab });
    }
  }

  /**
   * A saved lab that kept no configs (an unedited shipped or generated lab): its source opened again under its
   * own name, then its session (moment, panels, positions). If the source cannot be had, no lab is opened and
   * the caller falls back as for a missing save.
   */
  async function openFromSource(saved: SavedLab): Promise<void> {
    let text: string;
    try {
      text = await sourceText(saved.key);
    } catch {
      return;
    }
    pending = { key: saved.key, label: saved.label, edited: false, baseRev: saved.rev };
    set({ positions: saved.session.positions });
    await get().loadText(text, saved.key, saved.label);
    if (get().lab) await get().restoreSession(saved.session);
  }

  /** The scenario text of a `shipped:<file>` or `generated:<N>[:<H>]` key (the generator is deterministic). */
  async function sourceText(key: string): Promise<string> {
    if (key.startsWith('shipped:'))
      return env.fetchText(`${env.baseUrl}scenarios/${key.slice('shipped:'.length)}`);
    const [spokes = 10, hubs = 1] = key.slice('generated:'.length).split(':').map(Number);
    return get().call((api: SimApi) => api.generate(spokes, hubs));
  }

  /** The lab open last, else the pre-keyed saved lab, else the default scenario. */
  async function openFallback(store: KeyValueStore): Promise<void> {
    const last = readLast(store);
    if (last) {
      await get().openSaved(last);
      if (get().lab) return;
    }
    const legacy = store.getItem(LEGACY_SAVED_KEY);
    if (legacy) {
      await get().loadText(legacy, 'saved:local', 'Saved lab (your edits)');
      store.removeItem(LEGACY_SAVED_KEY);
      if (get().lab) return;
    }
    await get().loadShipped(DEFAULT_SCENARIO);
  }

  /**
   * Opens a shared link: the edits already made to it if there are (a reload after editing), else the link's lab
   * and session. Once in saved work the link leaves the URL, so the next reload restores the edited lab.
   */
  async function openShared(shared: string, hash: string, store: KeyValueStore): Promise<boolean | string> {
    const key = labKey('shared:link', shared);
    const saved = readSaved(store, key);
    if (saved) {
      await get().openSaved(saved);
      dropLinkFromUrl();
      get().notify('Opened your saved edits of this shared lab.');
      return get().lab !== undefined;
    }
    let text: string;
    try {
      text = await decodeShare(shared);
    } catch (e) {
      return errorText(e);
    }
    pending = { key, label: 'Shared lab', edited: false, baseRev: 0 };
    await get().loadText(text, 'shared:link', 'Shared lab');
    if (!get().lab) return false;
    const session = sessionFromHash(hash);
    const lesson = lessonFromHash(hash);
    if (session) await get().restoreSession(session);
    else if (lesson !== undefined) get().setLessonStep(lesson);
    get().persistNow();
    dropLinkFromUrl();
    return true;
  }

  return {
    positions: [],
    watchdog: [],

    async start() {
      if (started) return;
      started = true;
      watchStore();
      watchWatchdog();
      watchLayout();
      watchOtherTabs();
      watchWorker();
      const store = storage() ?? emptyStore;
      const hash = globalThis.location?.hash ?? '';
      const shared = sharedFromHash(hash);
      const refused = shared !== undefined ? await openShared(shared, hash, store) : undefined;
      if (refused === true) return;
      await openFallback(store);
      // A refused link is reported after the fallback lab loaded (a load clears the problems shown).
      if (typeof refused === 'string') {
        dropLinkFromUrl();
        set({
          loadFailure: { source: 'Shared link', problems: [{ severity: 'error', message: refused }] },
          bottomTab: 'problems',
        });
      }
    },

    notify(text, tone = 'info') {
      const id = ++noticeId;
      set({ notice: { id, text, tone } });
      setTimeout(() => {
        if (get().notice?.id === id) set({ notice: undefined });
      }, NOTICE_MS);
    },

    currentSession() {
      const s = get();
      return {
        time: s.now,
        faults: s.faults,
        positions: s.positions,
        bottomTab: s.bottomTab,
        lessonOpen: s.lessonOpen,
        lessonStep: s.lessonStep,
        ...(s.selected !== undefined ? { selected: s.selected } : {}),
        showRpf: s.showRpf,
        showTree: s.showTree,
        collapsed: COLLAPSIBLE.filter((id) => useLayout.getState().collapsed[id]),
      };
    },

    async loadEdit(text) {
      const { source, sourceLabel } = get();
      if (current)
        pending = {
          key: current.key,
          label: current.label,
          edited: true,
          baseRev: current.baseRev,
          baseScenario: current.baseScenario,
        };
      const serial = get().labSerial;
      await get().loadText(text, source ?? 'edited', sourceLabel ?? 'Edited lab');
      // A refused load leaves the lab open here as it was: the next load is not this one.
      if (get().labSerial === serial) pending = undefined;
    },

    setPosition(device, x, y) {
      const others = get().positions.filter(([d]) => d !== device);
      if (current) current.edited = true;
      set({ positions: [...others, [device, Math.round(x), Math.round(y)]] });
      schedulePersist();
    },

    persistNow() {
      const store = storage();
      if (!current || !store || get().loading) return;
      const stored = readSaved(store, current.key);
      if (isConflict(stored, env.tabId, current.baseRev, current.baseScenario)) {
        set({ conflict: { key: current.key, label: stored!.label } });
        return;
      }
      const rev = Math.max(current.baseRev, stored?.rev ?? 0) + 1;
      try {
        const { key, label, scenario, edited } = current;
        // An unedited shipped or generated lab keeps no configs: a reload opens its source again.
        const kept = edited || !reopensFromSource(key) ? scenario : '';
        writeSaved(
          store,
          { key, label, scenario: kept, session: get().currentSession(), writer: env.tabId, edited },
          rev,
        );
        current.baseRev = rev;
        current.baseScenario = current.scenario;
      } catch {
        get().notify('Your edits could not be saved: the browser’s storage is full or disabled.', 'warning');
      }
    },

    async resolveConflict(choice) {
      const conflict = get().conflict;
      set({ conflict: undefined });
      const store = storage();
      if (!conflict || !store || !current) return;
      const stored = readSaved(store, conflict.key);
      if (choice === 'theirs' && stored) {
        await get().openSaved(stored);
        get().notify('Opened the edits saved in the other tab.');
        return;
      }
      current.baseRev = Math.max(current.baseRev, stored?.rev ?? 0);
      if (stored && !fromSource(stored)) current.baseScenario = stored.scenario;
      get().persistNow();
      get().notify('Kept this tab’s lab; it replaced the other tab’s save.');
    },

    async openSaved(saved) {
      if (fromSource(saved)) {
        await openFromSource(saved);
        return;
      }
      pending = { key: saved.key, label: saved.label, edited: saved.edited, baseRev: saved.rev };
      set({ positions: saved.session.positions });
      await get().loadText(saved.scenario, `saved:${saved.key}`, `Saved lab (your edits): ${saved.label}`);
      if (get().lab) await get().restoreSession(saved.session);
    },

    async restoreSession(session) {
      set({ positions: session.positions });
      if (session.time > get().now) await get().seek(session.time);
      // The faults' console lines are in the saved configs already; a link's loss is not: set it again.
      await restoreLoss(session);
      const devices = new Set(get().lab?.devices.map((d) => d.name));
      set({
        // In the configs from time 0: a rewind keeps them.
        faults: session.faults.map(({ fault }) => ({ fault, at: 0 })),
        bottomTab: asBottomTab(session.bottomTab),
        lessonOpen: session.lessonOpen,
        lessonStep: session.lessonStep,
        ...(session.selected !== undefined && devices.has(session.selected)
          ? { selected: session.selected }
          : {}),
        showRpf: session.showRpf,
        showTree: session.showTree,
      });
      if (session.collapsed) restoreCollapsed(session.collapsed);
      if (session.showRpf || session.showTree || session.bottomTab === 'multicast')
        await get().refreshMulticast();
    },

    async confirmReplace(source, label) {
      const store = storage();
      const saved = store ? readSaved(store, labKey(source)) : undefined;
      if (!store || !saved?.edited) return true;
      const discard = env.confirm(
        `You have saved edits of “${label}”.\n\nOK: discard them and open the lab as shipped.\nCancel: open your edits.`,
      );
      if (discard) {
        removeSaved(store, saved.key);
        return true;
      }
      await get().openSaved(saved);
      return false;
    },

    async shareLink() {
      const encoded = await encodeShare(await get().currentScenario());
      const { lessonOpen, lessonStep } = get();
      const lesson = lessonOpen ? `&lesson=${lessonStep + 1}` : '';
      const state = `&state=${encodeSessionParam(get().currentSession())}`;
      const loc = globalThis.location;
      return `${loc?.origin ?? ''}${loc?.pathname ?? '/'}#lab=${encoded}${state}${lesson}`;
    },

    async copyShareLink(link) {
      try {
        await navigator.clipboard.writeText(link);
        get().notify(`Link copied (${Math.ceil(link.length / 1024)} KB): it opens this lab at this moment.`);
      } catch {
        get().notify('The browser did not allow copying: select the link and copy it by hand.', 'warning');
      }
    },

    async stopWork() {
      await get().recover('Stopped: the simulator was restarted with your lab (edits kept).');
    },

    async recover(done = 'The simulator was restarted with your lab (edits kept).') {
      const session = get().currentSession();
      const lab = current;
      get().restartWorker('stopped: the simulator was restarted');
      set({ simError: undefined, loading: false });
      if (!lab) {
        await get().loadShipped(DEFAULT_SCENARIO);
        return;
      }
      pending = { ...lab };
      await get().loadText(lab.scenario, `saved:${lab.key}`, `Saved lab (your edits): ${lab.label}`);
      if (get().lab) {
        await get().restoreSession(session);
        get().notify(done);
      }
    },

    noteExport(pcap) {
      let clock = DEFAULT_CLOCK;
      try {
        const c = (JSON.parse(get().scenarioText ?? '{}') as { clock?: unknown }).clock;
        if (typeof c === 'string') clock = c;
      } catch {
        // A lab that loaded is valid JSON; keep the default otherwise.
      }
      // The newest frame number the page has seen is how many frames the lab has sent (the worker numbers from 1).
      let sent = 0;
      for (const e of get().trace)
        if (e.record.kind === 'packet' && e.record.frameId > sent) sent = e.record.frameId;
      const epoch = Math.floor(Date.parse(clock) / 1000);
      const held = pcapSpan(pcap, epoch).frames;
      const span = pcapSpan(pcap, epoch, Math.max(0, sent - held));
      if (span.frames === 0) {
        get().notify('The capture is empty: no frame has been sent yet.');
        return;
      }
      const from = (span.firstUs / 1e6).toFixed(3);
      const to = (span.lastUs / 1e6).toFixed(3);
      const whole = span.firstId === 1;
      get().notify(
        `The pcap holds ${span.frames.toLocaleString('en')} frames, t = ${from} s to ${to} s` +
          (whole
            ? ': every frame since the lab started.'
            : `: the page keeps the newest 64 MB of frames, so the first ${(span.firstId - 1).toLocaleString('en')} are not in it. For a complete capture of any length: npm run sim -- <lab.json> --until <s> --pcap <file>.`),
      );
    },

    noteKeylog(keylog) {
      const sas = keylog.split('\n').filter((l) => l.startsWith('"')).length;
      get().notify(
        `The keylog holds ${sas} ESP SA${sas === 1 ? '' : 's'}: every one the routers installed since the lab started.`,
      );
    },
  };
}
