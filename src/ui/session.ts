// Edits are never lost (issue 13 item 10) and a link or a reload brings back the session (issue 15 "Share and
// save"): saved work per lab, two-tab conflicts, the session restored, and recovery from a failed or hung worker.
import { create } from 'zustand';
import { DEFAULT_CLOCK } from '../sim/scenario/lab';
import { onWorkerError, resetSimClient } from '../worker/client';
import {
  LEGACY_SAVED_KEY,
  SAVE_PREFIX,
  type SavedLab,
  type SessionState,
  encodeSessionParam,
  isConflict,
  labKey,
  parseSavedLab,
  readLast,
  readSaved,
  removeSaved,
  sessionFromHash,
  writeSaved,
} from './persistence';
import { type PanelId, panelHandles, useLayout } from './layout';
import { pcapSpan } from './pcap-span';
import { decodeShare, lessonFromHash, sharedFromHash } from './share';
import {
  type BottomTab,
  DEFAULT_SCENARIO,
  WEBGL_THRESHOLD,
  resetSerialQueue,
  serialCall,
  subscribeTrace,
  useSim,
} from './store';
import { getSimClient } from '../worker/client';

/** A message for the status line (role=status): confirmations and what the page did on its own. */
export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'warning';
}

export interface SessionUi {
  readonly notice?: Notice;
  /** Another tab saved edits of the lab open here. */
  readonly conflict?: { readonly key: string; readonly label: string };
  /** The worker crashed or was stopped: what happened (the recovery button reloads the saved lab). */
  readonly failure?: string;
  /** A worker call has been running for a while: the page offers Stop. */
  readonly busy: boolean;
  /** Devices the user dragged, in the topology's model coordinates. */
  readonly positions: readonly (readonly [string, number, number])[];
  /** Work the kernel's watchdog stopped (its `problem` trace records), newest last. */
  readonly watchdog: readonly WatchdogNote[];
}

/** One piece of runaway work the kernel's watchdog stopped: when, on which router, and what. */
export interface WatchdogNote {
  readonly t: number;
  readonly device: string;
  readonly message: string;
}

/** Watchdog reports the page keeps (a flood is reported once per router and instant; more is noise). */
const MAX_WATCHDOG_NOTES = 50;

export const useSession = create<SessionUi>()(() => ({ busy: false, positions: [], watchdog: [] }));

/** How long a worker call runs before the page offers to stop it (wall ms). */
const BUSY_AFTER_MS = 2500;
/** Saves wait this long for more changes (wall ms). */
const SAVE_DELAY_MS = 300;

const TAB_ID = globalThis.crypto?.randomUUID?.() ?? `tab-${Date.now()}`;

/** The lab open here as saved work: its key, label, scenario with the running-configs, and revision. */
let current:
  | {
      key: string;
      label: string;
      scenario: string;
      edited: boolean;
      /** The revision and configs this tab last read or wrote: another tab's later save is checked against them. */
      baseRev: number;
      baseScenario: string;
    }
  | undefined;
/** Set by a load this module starts: the key and session to use when the store reports the new lab. */
let pending:
  { key: string; label: string; edited: boolean; baseRev: number; baseScenario?: string } | undefined;
let noticeId = 0;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** How long a confirmation stays on screen (wall ms). */
const NOTICE_MS = 10_000;

export function notify(text: string, tone: Notice['tone'] = 'info'): void {
  const id = ++noticeId;
  useSession.setState({ notice: { id, text, tone } });
  setTimeout(() => {
    if (useSession.getState().notice?.id === id) useSession.setState({ notice: undefined });
  }, NOTICE_MS);
}

/** The session the page shows now. */
export function currentSession(): SessionState {
  const s = useSim.getState();
  return {
    time: s.now,
    faults: s.faults,
    positions: useSession.getState().positions,
    bottomTab: s.bottomTab,
    lessonOpen: s.lessonOpen,
    lessonStep: s.lessonStep,
    ...(s.selected !== undefined ? { selected: s.selected } : {}),
    showRpf: s.showRpf,
    showTree: s.showTree,
    collapsed: COLLAPSIBLE.filter((id) => useLayout.getState().collapsed[id]),
  };
}

/** Panels whose collapsed state a session carries (the lessons panel follows `lessonOpen`). */
const COLLAPSIBLE: readonly PanelId[] = ['devices', 'router', 'bottom'];

/** Collapses or expands the panels as a session had them. */
function restoreCollapsed(collapsed: readonly string[]): void {
  for (const id of COLLAPSIBLE) {
    const panel = panelHandles.get(id);
    const want = collapsed.includes(id);
    if (!panel || panel.isCollapsed() === want) continue;
    if (want) panel.collapse();
    else panel.expand();
  }
}

/** `&state=…`: what a share link adds so it opens at this moment, with these faults, positions and panels. */
export function sessionParam(): string {
  return `&state=${encodeSessionParam(currentSession())}`;
}

/** Writes the lab's saved work now (synchronous: also used when the page is hidden or closed). */
export function persistNow(): void {
  const store = storage();
  if (!current || !store || useSim.getState().loading) return;
  const stored = readSaved(store, current.key);
  if (isConflict(stored, TAB_ID, current.baseRev, current.baseScenario)) {
    useSession.setState({ conflict: { key: current.key, label: stored!.label } });
    return;
  }
  const rev = Math.max(current.baseRev, stored?.rev ?? 0) + 1;
  try {
    writeSaved(
      store,
      {
        key: current.key,
        label: current.label,
        scenario: current.scenario,
        session: currentSession(),
        writer: TAB_ID,
        edited: current.edited,
      },
      rev,
    );
    current.baseRev = rev;
    current.baseScenario = current.scenario;
  } catch {
    notify('Your edits could not be saved: the browser’s storage is full or disabled.', 'warning');
  }
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;
function schedulePersist(): void {
  if (persistTimer !== undefined) clearTimeout(persistTimer);
  persistTimer = setTimeout(() => {
    persistTimer = undefined;
    persistNow();
  }, SAVE_DELAY_MS);
}

let configSave: { running: boolean; again: boolean } = { running: false, again: false };
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
  if ((useSim.getState().lab?.devices.length ?? 0) > WEBGL_THRESHOLD) {
    persistNow();
    return;
  }
  try {
    const rendered = await useSim.getState().currentScenario();
    if (current !== target || target.scenario !== raw) return;
    target.scenario = rendered;
    if (target.baseScenario === raw) target.baseScenario = rendered;
  } catch {
    // The worker failed (the banner says so): compare with the text as loaded.
  }
  persistNow();
}

async function saveConfigs(): Promise<void> {
  const target = current;
  if (!target || useSim.getState().loading) return;
  try {
    const scenario = await useSim.getState().currentScenario();
    if (current !== target) return;
    target.edited ||= scenario !== target.scenario;
    target.scenario = scenario;
    persistNow();
  } catch {
    // The worker failed: the failure banner says so; the last saved work stays.
  }
}

/** Marks the lab changed by the user (a drag) and saves. */
export function setPosition(device: string, x: number, y: number): void {
  const others = useSession.getState().positions.filter(([d]) => d !== device);
  useSession.setState({ positions: [...others, [device, Math.round(x), Math.round(y)]] });
  if (current) current.edited = true;
  schedulePersist();
}

/** Reacts to what the store does: a lab loaded, configs changed, the session moved. */
function watchStore(): void {
  useSim.subscribe((s, prev) => {
    if (s.labSerial !== prev.labSerial && s.lab && s.scenarioText !== undefined) {
      const p = pending;
      pending = undefined;
      const key = p?.key ?? labKey(s.source ?? 'unknown');
      const stored = readSaved(storage() ?? emptyStore, key);
      current = {
        key,
        label: p?.label ?? s.sourceLabel ?? key,
        scenario: s.scenarioText,
        edited: p?.edited ?? false,
        // A fresh load replaces what was saved for this key (confirmReplace asked first if it had edits).
        baseRev: Math.max(p?.baseRev ?? 0, stored?.rev ?? 0),
        baseScenario: p ? (p.baseScenario ?? s.scenarioText) : (stored?.scenario ?? s.scenarioText),
      };
      if (!p) useSession.setState({ positions: [] });
      useSession.setState({ conflict: undefined, watchdog: [] });
      void normalizeScenario();
      return;
    }
    // A rewind undid what the watchdog stopped after that moment.
    if (prev.rewinding && !s.rewinding)
      useSession.setState((u) => ({ watchdog: u.watchdog.filter((w) => w.t <= s.now) }));
    const configsMoved =
      s.configVersion !== prev.configVersion ||
      s.faults !== prev.faults ||
      (prev.rewinding && !s.rewinding) ||
      configLineEntered(s.consoles, prev.consoles);
    if (configsMoved) {
      scheduleConfigSave();
      return;
    }
    if (
      (prev.running && !s.running) ||
      (!s.running && s.now !== prev.now) ||
      s.bottomTab !== prev.bottomTab ||
      s.lessonOpen !== prev.lessonOpen ||
      s.lessonStep !== prev.lessonStep ||
      s.selected !== prev.selected ||
      s.showRpf !== prev.showRpf ||
      s.showTree !== prev.showTree
    )
      schedulePersist();
  });
}

type Consoles = ReturnType<typeof useSim.getState>['consoles'];

/**
 * A line entered in configuration mode: IOS applies it at once, so it is saved at once, `end` or not (issue 13
 * item 10: lines typed without `end` were never saved).
 */
function configLineEntered(now: Consoles, before: Consoles): boolean {
  if (now === before) return false;
  for (const [device, c] of Object.entries(now)) {
    const b = before[device];
    if (!b || (c.history === b.history && c.prompt === b.prompt)) continue;
    if (c.prompt.includes('(config') || b.prompt.includes('(config')) return true;
  }
  return false;
}

const emptyStore = { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };

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
    if (rec && isConflict(rec, TAB_ID, current.baseRev, current.baseScenario))
      useSession.setState({ conflict: { key: rec.key, label: rec.label } });
  });
  // A closed or hidden tab keeps its last moment (time, panels) without waiting for the save delay.
  globalThis.addEventListener?.('pagehide', () => persistNow());
}

/** Resolves a two-tab conflict: open the other tab's saved lab, or keep this one and save over it. */
export async function resolveConflict(choice: 'theirs' | 'mine'): Promise<void> {
  const conflict = useSession.getState().conflict;
  useSession.setState({ conflict: undefined });
  const store = storage();
  if (!conflict || !store || !current) return;
  const stored = readSaved(store, conflict.key);
  if (choice === 'theirs' && stored) {
    await openSaved(stored);
    notify('Opened the edits saved in the other tab.');
    return;
  }
  current.baseRev = Math.max(current.baseRev, stored?.rev ?? 0);
  current.baseScenario = stored?.scenario ?? current.baseScenario;
  persistNow();
  notify('Kept this tab’s lab; it replaced the other tab’s save.');
}

/** Opens a lab's saved work and brings back its session. */
export async function openSaved(saved: SavedLab): Promise<void> {
  pending = { key: saved.key, label: saved.label, edited: saved.edited, baseRev: saved.rev };
  useSession.setState({ positions: saved.session.positions });
  await useSim
    .getState()
    .loadText(saved.scenario, `saved:${saved.key}`, `Saved lab (your edits): ${saved.label}`);
  if (useSim.getState().lab) await restoreSession(saved.session);
}

/** Brings back a session on the lab just loaded: time, faults, positions, panels, lesson step. */
export async function restoreSession(session: SessionState): Promise<void> {
  const sim = useSim.getState();
  useSession.setState({ positions: session.positions });
  if (session.time > sim.now) await sim.seek(session.time);
  // The faults' console lines are in the saved configs already; a link's loss is not: set it again.
  for (const { fault } of session.faults) {
    const loss = fault.apply.loss;
    if (loss) {
      const lab = await serialCall(() => getSimClient().setLinkLoss(loss.linkId, loss.fraction));
      if (lab) useSim.setState({ lab });
    }
  }
  const devices = new Set(useSim.getState().lab?.devices.map((d) => d.name));
  useSim.setState({
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
    await useSim.getState().refreshMulticast();
}

function asBottomTab(tab: string): BottomTab {
  return tab === 'multicast' || tab === 'faults' || tab === 'problems' ? tab : 'inspector';
}

/**
 * Before a shipped (or generated) lab replaces saved edits of it: asks. Returns true to load the shipped file;
 * false when the user kept the edits (they are opened instead).
 */
export async function confirmReplace(source: string, label: string): Promise<boolean> {
  const store = storage();
  const saved = store ? readSaved(store, labKey(source)) : undefined;
  if (!store || !saved?.edited) return true;
  const discard = globalThis.confirm(
    `You have saved edits of “${label}”.\n\nOK: discard them and open the lab as shipped.\nCancel: open your edits.`,
  );
  if (discard) {
    removeSaved(store, saved.key);
    return true;
  }
  await openSaved(saved);
  return false;
}

/** Collects the watchdog's `problem` records as they arrive (the Problems panel and a banner show them). */
function watchWatchdog(): void {
  subscribeTrace((records) => {
    const notes: WatchdogNote[] = [];
    for (const r of records)
      if (r.kind === 'problem') notes.push({ t: r.t, device: r.device, message: r.message });
    if (notes.length === 0) return;
    useSession.setState((u) => ({ watchdog: [...u.watchdog, ...notes].slice(-MAX_WATCHDOG_NOTES) }));
    const last = notes[notes.length - 1]!;
    notify(`${last.device}: ${last.message} (listed under Problems)`, 'warning');
  });
}

/** The page's first lab: a shared link (or the edits made to it), the lab open last, else the default. */
export async function openFirstLab(): Promise<void> {
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
    useSim.setState({
      loadFailure: { source: 'Shared link', problems: [{ severity: 'error', message: refused }] },
      bottomTab: 'problems',
    });
  }
}

/** The lab open last, else the pre-keyed saved lab, else the default scenario. */
async function openFallback(store: Storage | typeof emptyStore): Promise<void> {
  const last = readLast(store);
  if (last) {
    await openSaved(last);
    if (useSim.getState().lab) return;
  }
  const legacy = store.getItem(LEGACY_SAVED_KEY);
  if (legacy) {
    await useSim.getState().loadText(legacy, 'saved:local', 'Saved lab (your edits)');
    store.removeItem(LEGACY_SAVED_KEY);
    if (useSim.getState().lab) return;
  }
  await useSim.getState().loadShipped(DEFAULT_SCENARIO);
}

/**
 * Opens a shared link: the edits already made to it if there are (a reload after editing), else the link's lab
 * and session. Once in saved work the link leaves the URL, so the next reload restores the edited lab.
 */
async function openShared(
  shared: string,
  hash: string,
  store: Storage | typeof emptyStore,
): Promise<boolean | string> {
  const key = labKey('shared:link', shared);
  const saved = readSaved(store, key);
  if (saved) {
    await openSaved(saved);
    dropLinkFromUrl();
    notify('Opened your saved edits of this shared lab.');
    return useSim.getState().lab !== undefined;
  }
  let text: string;
  try {
    text = await decodeShare(shared);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  pending = { key, label: 'Shared lab', edited: false, baseRev: 0 };
  await useSim.getState().loadText(text, 'shared:link', 'Shared lab');
  if (!useSim.getState().lab) return false;
  const session = sessionFromHash(hash);
  const lesson = lessonFromHash(hash);
  if (session) await restoreSession(session);
  else if (lesson !== undefined) useSim.getState().setLessonStep(lesson);
  persistNow();
  dropLinkFromUrl();
  return true;
}

function dropLinkFromUrl(): void {
  const loc = globalThis.location;
  if (loc?.hash) globalThis.history?.replaceState(null, '', `${loc.pathname}${loc.search}`);
}

/** "Copy link": puts the share link on the clipboard and says so (or says why not). */
export async function copyShareLink(link: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(link);
    notify(`Link copied (${Math.ceil(link.length / 1024)} KB): it opens this lab at this moment.`);
  } catch {
    notify('The browser did not allow copying: select the link and copy it by hand.', 'warning');
  }
}

/** What an exported capture holds, said plainly (the page keeps a window; the runner writes everything). */
export function noteExport(pcap: Uint8Array): void {
  const scenario = useSim.getState().scenarioText ?? '{}';
  let clock = DEFAULT_CLOCK;
  try {
    const c = (JSON.parse(scenario) as { clock?: unknown }).clock;
    if (typeof c === 'string') clock = c;
  } catch {
    // A lab that loaded is valid JSON; keep the default otherwise.
  }
  // The newest frame number the page has seen is how many frames the lab has sent (the worker numbers from 1).
  let sent = 0;
  for (const e of useSim.getState().trace)
    if (e.record.kind === 'packet' && e.record.frameId > sent) sent = e.record.frameId;
  const held = pcapSpan(pcap, Math.floor(Date.parse(clock) / 1000)).frames;
  const span = pcapSpan(pcap, Math.floor(Date.parse(clock) / 1000), Math.max(0, sent - held));
  if (span.frames === 0) {
    notify('The capture is empty: no frame has been sent yet.');
    return;
  }
  const from = (span.firstUs / 1e6).toFixed(3);
  const to = (span.lastUs / 1e6).toFixed(3);
  const whole = span.firstId === 1;
  notify(
    `The pcap holds ${span.frames.toLocaleString('en')} frames, t = ${from} s to ${to} s` +
      (whole
        ? ': every frame since the lab started.'
        : `: the page keeps the newest 64 MB of frames, so the first ${(span.firstId - 1).toLocaleString('en')} are not in it. For a complete capture of any length: npm run sim -- <lab.json> --until <s> --pcap <file>.`),
  );
}

/** What an exported keylog holds: every SA since the lab started (the routers keep them all, unlike frames). */
export function noteKeylog(keylog: string): void {
  const sas = keylog.split('\n').filter((l) => l.startsWith('"')).length;
  notify(
    `The keylog holds ${sas} ESP SA${sas === 1 ? '' : 's'}: every one the routers installed since the lab started.`,
  );
}

// The worker: a call that throws, a crash, or a call that does not return.

let pendingCalls = 0;
let busyTimer: ReturnType<typeof setTimeout> | undefined;
let death = deathSignal();

/** Why a worker call will never answer: its worker was stopped or crashed (the page recovers on its own). */
export class WorkerGoneError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'WorkerGoneError';
  }
}

function deathSignal(): { promise: Promise<never>; reject: (e: Error) => void } {
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined);
  return { promise, reject };
}

/** Every worker call goes through here: it fails at once if the worker dies, and a long one shows Stop. */
export function watchCall<T>(call: Promise<T>): Promise<T> {
  if (pendingCalls++ === 0) busyTimer = setTimeout(() => useSession.setState({ busy: true }), BUSY_AFTER_MS);
  const settle = (): void => {
    if (--pendingCalls > 0) return;
    pendingCalls = 0;
    if (busyTimer !== undefined) clearTimeout(busyTimer);
    busyTimer = undefined;
    if (useSession.getState().busy) useSession.setState({ busy: false });
  };
  return Promise.race([call, death.promise]).finally(settle);
}

/** Whether a worker call is running (Ctrl+Shift+6 has something to stop). */
export function workPending(): boolean {
  return pendingCalls > 0;
}

function watchWorker(): void {
  // Callers of a call cut short need not each catch it: the banner and the status line report what happened.
  globalThis.addEventListener?.('unhandledrejection', (e: PromiseRejectionEvent) => {
    if (e.reason instanceof WorkerGoneError) e.preventDefault();
  });
  onWorkerError((message) => {
    useSession.setState({ failure: `The simulator crashed: ${message}` });
    death.reject(new WorkerGoneError(`the simulator crashed (${message})`));
    death = deathSignal();
  });
}

/**
 * Stops what the worker is doing (IOS's Ctrl+Shift+6 for a `ping … repeat 100000`, or the page's Stop): the
 * worker is replaced and the lab reopened from its saved work, at the same moment.
 */
export async function stopWork(): Promise<void> {
  await recover('Stopped: the simulator was restarted with your lab (edits kept).');
}

/** One click after a failure: a fresh worker, the lab's saved work and session loaded into it. */
export async function recover(
  done = 'The simulator was restarted with your lab (edits kept).',
): Promise<void> {
  const session = currentSession();
  const lab = current;
  death.reject(new WorkerGoneError('stopped: the simulator was restarted'));
  death = deathSignal();
  pendingCalls = 0;
  if (busyTimer !== undefined) clearTimeout(busyTimer);
  busyTimer = undefined;
  resetSimClient();
  resetSerialQueue();
  useSession.setState({ failure: undefined, busy: false });
  useSim.setState({ simError: undefined, loading: false });
  if (!lab) {
    await useSim.getState().loadShipped(DEFAULT_SCENARIO);
    return;
  }
  pending = { ...lab };
  await useSim.getState().loadText(lab.scenario, `saved:${lab.key}`, `Saved lab (your edits): ${lab.label}`);
  if (useSim.getState().lab) {
    await restoreSession(session);
    notify(done);
  }
}
