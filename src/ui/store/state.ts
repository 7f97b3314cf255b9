// The page store's shape, slice by slice. Each slice (one file beside this one) owns its part of the state and its
// actions; `index.ts` composes them into one zustand store. Types only here, so the slices import this file and
// never each other: a slice reaches another one through `get()`.
import type {
  CheckResult,
  EditOp,
  EditResult,
  EditRole,
  EditRoleInfo,
  FrameView,
  InterfaceRef,
  GdoiView,
  LabView,
  Lesson,
  LessonAction,
  MulticastView,
  PimView,
  RewindResult,
  ScenarioProblem,
  PageApi,
  SimTime,
  TraceBatch,
  TraceRecord,
} from '../../worker/protocol';
import type { ApplyResult, LineAnswer } from '../config-diff';
import type { Fault } from '../faults';
import type { LayerMode, Marker, WireStyles } from '../hops';
import type { SavedLab, SessionState } from '../persistence';

export type PlayMode = 'realtime' | 'simulation';
export type BottomTab = 'inspector' | 'multicast' | 'faults' | 'problems';
export type Theme = 'light' | 'dark';

/** A fault applied from the faults panel (or a lesson), with the moment it was applied. */
export interface AppliedFault {
  readonly fault: Fault;
  readonly at: SimTime;
}

export interface ConsoleState {
  readonly transcript: string;
  readonly prompt: string;
  /** Lines entered, oldest first (Up/Down walk it, as IOS's `show history`). */
  readonly history: readonly string[];
}

/** A trace record with its position in the page's stream, a stable React key. */
export interface TraceEntry {
  readonly seq: number;
  readonly record: TraceRecord;
}

export interface LoadFailure {
  /** What the user tried to load: a shipped scenario's label or a file name. */
  readonly source: string;
  readonly problems: readonly ScenarioProblem[];
}

/**
 * How a batch is handed to the animation: `flow` plays it as the lab runs (realtime, a console command); `step` is
 * simulation mode's current step and replaces whatever the canvas showed; `firstSeq` numbers the records as the
 * event list does (a packet clicked on the canvas selects its row).
 */
export interface TraceDelivery {
  readonly firstSeq: number;
  readonly step: boolean;
  /** A step's records' seqs (a filtered step skips some). */
  readonly seqs?: readonly number[];
}

/** Listeners for every trace batch as it arrives (the packet animation subscribes here, outside React). */
export type TraceListener = (records: readonly TraceRecord[], now: SimTime, delivery: TraceDelivery) => void;

/** A step simulation mode showed: its records, and the trace's length after it (Back re-simulates to there). */
export interface ShownStep {
  readonly entries: readonly TraceEntry[];
  readonly end: number;
  readonly t: SimTime;
}

/** A message for the status line (role=status): confirmations and what the page did on its own. */
export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'warning';
}

/** One piece of runaway work the kernel's watchdog stopped: when, on which router, and what. */
export interface WatchdogNote {
  readonly t: number;
  readonly device: string;
  readonly message: string;
}

/** Worker bridge: every call goes through one queue; a long call offers Stop, a dead worker fails them all. */
export interface BridgeSlice {
  /** A worker call has been running for a while: the page offers Stop. */
  readonly busy: boolean;
  /** The worker crashed or was stopped: what happened (the recovery button reloads the saved lab). */
  readonly failure?: string;
  /** Runs `job` on the worker after every call queued before it (so a console line never lands mid-`runUntil`). */
  call<T>(job: (api: PageApi) => Promise<T>): Promise<T>;
  /** Whether a worker call is running (Ctrl+Shift+6 has something to stop). */
  workPending(): boolean;
  /** Replaces the worker (hung or crashed): calls pending on the old one fail, the queue starts empty. */
  restartWorker(why: string): void;
}

/** The lab: what is loaded, from where, with which problems; the worker's views of it. */
export interface LabSlice {
  readonly lab?: LabView;
  /** Increments on every successful load: the topology rebuilds its graph, panels reset. */
  readonly labSerial: number;
  /** `shipped:<file>`, `file:<name>`, `shared:link` or `saved:local` of the lab now loaded. */
  readonly source?: string;
  /** The scenario file text now loaded (exports and share links start from it). */
  readonly scenarioText?: string;
  readonly sourceLabel?: string;
  /** Problems the last successful load reported (the lab view may repeat them). */
  readonly loadProblems: readonly ScenarioProblem[];
  readonly loadFailure?: LoadFailure;
  /** Set when the worker threw while running the lab (a simulator bug, shown in the problems panel). */
  readonly simError?: string;
  readonly loading: boolean;
  readonly selected?: string;
  /** Labels, colours and legend of the wire protocols, from the lab view the worker sent at load. */
  readonly wire: WireStyles;
  loadShipped(file: string): Promise<void>;
  loadFile(file: File): Promise<void>;
  /** Loads a generated hub-and-spoke lab of `spokes` spokes over `hubs` hubs. */
  loadGenerated(spokes: number, hubs?: number): Promise<void>;
  /** Loads a scenario given as text (a shared link, a saved lab). */
  loadText(text: string, source: string, label: string): Promise<void>;
  /**
   * Opens a saved moment (a `.getlab` file, issue 18): the worker's lab is then at that moment, the page shows its
   * clock and state; a file that is not a moment is reported as a failed load and the lab stays as it was.
   */
  openMoment(file: File): Promise<void>;
  select(device: string): void;
  /** Hides the report of a failed load or a simulator error. */
  dismissFailure(): void;
  /** Reports a worker call that threw while running the lab (the problems panel shows it). */
  reportSimError(e: unknown): void;
  /**
   * Re-reads the lab view (interface and link states), and the multicast view when something shows it. `playing`:
   * the worker sends the clock alone when the view the page holds is unchanged (`labIfChanged`).
   */
  refreshLab(playing?: boolean): Promise<void>;
  /** A `show` command's output, outside the console (live state tabs, lesson checks). */
  show(device: string, line: string): Promise<string>;
  /** A device's GDOI key state (the GDOI tab). */
  gdoiView(device: string): Promise<GdoiView>;
  /** A device's PIM neighbours, RP mappings and nbma-mode interfaces (lesson checks). */
  pimView(device: string): Promise<PimView>;
  /** RPF towards `source` and `group`'s entries on every router, without touching the multicast panel's state. */
  multicastView(source: string, group: string): Promise<MulticastView>;
  runningConfig(device: string): Promise<string>;
  /** The scenario with every device's running-config: what the user built. */
  currentScenario(): Promise<string>;
  exportPcap(): Promise<Uint8Array>;
  exportKeylog(): Promise<string>;
}

/** Playback clock: realtime frames, simulation mode's steps, seeking and rewinding. */
export interface PlaybackSlice {
  readonly now: SimTime;
  readonly clock: string;
  readonly running: boolean;
  readonly speed: number;
  /** Realtime runs the clock; simulation goes event by event. */
  readonly mode: PlayMode;
  /** The latest simulated time reached: the timeline's extent (a rewind keeps it, to scrub forward again). */
  readonly maxTime: SimTime;
  /** True while the worker re-simulates to an earlier moment. */
  readonly rewinding: boolean;
  /** Simulation mode's current event: its simulated time. */
  readonly eventTime?: SimTime;
  /** Simulation mode's current step: the trace seqs of its records (the ones the canvas shows). */
  readonly stepSeqs: readonly number[];
  /** Why Next found nothing (no matching event within the horizon), until the next step. */
  readonly stepNote?: string;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  step(): Promise<void>;
  setMode(mode: PlayMode): void;
  /** Simulation mode: the next event (of the filtered protocols), skipping quiet periods. */
  nextEvent(): Promise<void>;
  /** Simulation mode: back to the previous event, re-simulated from the start. */
  previousEvent(): Promise<void>;
  /** Moves the lab to simulated time `t`: forward runs on, backward re-simulates from the start. */
  seek(t: SimTime): Promise<void>;
  /** Forgets the steps Back walks (a console line, a load: Back would replay them out of place). */
  forgetSteps(): void;
}

/** Trace window and markers: the records the panels show, the animation's feed, the inspected frame. */
export interface TraceSlice {
  readonly trace: readonly TraceEntry[];
  /** Records the worker has produced since the lab loaded (the window holds the newest of them). */
  readonly traceTotal: number;
  /** Protocols the event list and "next event" keep (empty: all). */
  readonly protocols: readonly string[];
  /** Timeline markers since the lab loaded, oldest first (the newest MAX_MARKERS). */
  readonly markers: readonly Marker[];
  /**
   * Moves whenever the routers' configurations may have changed: a configuration marker arrived, a lab
   * loaded, a rewind re-simulated. Panels that show configs re-read on a move. Not a count of `markers`,
   * which is a window: once it is full, a new config marker can push an old one out and leave the count.
   */
  readonly configVersion: number;
  /** The event list row (trace seq) selected for the inspector. */
  readonly selectedSeq?: number;
  /** The selected row's frame, fetched from the worker (undefined for records without bytes). */
  readonly frame?: FrameView;
  readonly frameLoading: boolean;
  /**
   * Takes records into the panels and the clock. `animate` false: the animation does not play them (a jump in
   * time, a step shown on its own): callouts belong to the moment they happened, not to the end of a jump.
   */
  ingest(batch: Omit<TraceBatch, 'total' | 'clock'> & Partial<TraceBatch>, animate?: boolean): void;
  /** Replaces the page's view of the lab with a re-simulated one (a rewind). */
  applyRewind(r: RewindResult): void;
  /** A new lab: the records held for the panels are dropped, the animation restarts, numbering starts at 0. */
  resetTrace(): void;
  /** Shows a simulation step: the canvas plays only its packets, the list marks its rows, its event is selected. */
  showStep(step: ShownStep): void;
  /** Subscribes to trace batches; returns the unsubscribe function. A lab load sends an empty batch at time 0. */
  subscribeTrace(listener: TraceListener): () => void;
  /** Listeners told when the record stream restarts (a new lab, a rewind): the animation drops its queue. */
  subscribeReset(listener: () => void): () => void;
  /** Tells the reset listeners the canvas must drop what it shows (a jump in time, a mode change). */
  restartAnimation(): void;
  inspect(seq: number | undefined): Promise<void>;
  /** Fetches the inspected frame again with a GDOI rekey's key material shown (or masked again). */
  revealKeys(on: boolean): Promise<void>;
  toggleProtocol(protocol: string): void;
  clearProtocols(): void;
}

/** Consoles: one IOS session per device, keyed by device name (a Map: a device may be named `constructor`). */
export interface ConsolesSlice {
  readonly consoles: ReadonlyMap<string, ConsoleState>;
  /** Runs a console line (shown in the device's console); resolves with what IOS answered. */
  exec(device: string, line: string): Promise<LineAnswer | undefined>;
  help(device: string, partial: string): Promise<void>;
  complete(device: string, partial: string): Promise<string>;
  /** Applies an edited running-config through the console: the diff as configuration lines. */
  applyConfig(device: string, before: string, after: string): Promise<ApplyResult>;
  /** Fresh consoles for a lab's devices, at the prompts the worker reports. */
  openConsoles(lab: LabView): Promise<ReadonlyMap<string, ConsoleState>>;
  /** IOS prints syslog and debug lines on the console (`logging console`): each device's log goes there. */
  logToConsoles(records: readonly TraceRecord[]): void;
}

/** Faults: teaching faults applied through the consoles (and link loss), undone the same way. */
export interface FaultsSlice {
  /** Faults applied and not undone, oldest first. */
  readonly faults: readonly AppliedFault[];
  /** `ip mroute` lines per device as first seen: what the per-spoke switch puts back. */
  readonly knownMroutes: ReadonlyMap<string, readonly string[]>;
  /** Applies a fault (or undoes it when a fault with its id is applied). */
  applyFault(fault: Fault): Promise<void>;
  undoFault(id: string): Promise<void>;
  /** Enters or removes a device's `ip mroute` lines through its console (configure terminal … end). */
  setMroute(device: string, on: boolean): Promise<void>;
  /** Notes the `ip mroute` lines a multicast view shows (the switch puts them back later). */
  noteMroutes(view: MulticastView): void;
}

/** The multicast panel: the source and group it looks at, and what the topology draws of it. */
export interface MulticastSlice {
  readonly multicastSource: string;
  readonly multicastGroup: string;
  readonly multicast?: MulticastView;
  /** Draw each router's RPF interface / the group's tree on the topology. */
  readonly showRpf: boolean;
  readonly showTree: boolean;
  setMulticast(source: string, group: string): void;
  refreshMulticast(): Promise<void>;
  setShowRpf(on: boolean): void;
  setShowTree(on: boolean): void;
}

/** A step's checks as the worker evaluated them, and on what state of the lab. */
export interface LessonResults {
  /** The step (index into every lesson's steps in order) they are for. */
  readonly step: number;
  /** The lab's state they were evaluated on (time, records, configs, faults): a new one asks again. */
  readonly key: string;
  readonly results: readonly CheckResult[];
  /** Asked by student mode's "Check my answer" (scored), not by the live refresh. */
  readonly graded: boolean;
}

/** Lessons: the scenario's lessons (format 2), the walk-through's panel and step, its checks, student mode. */
export interface LessonsSlice {
  /** The lessons panel is open, at this step (0-based, across every lesson's steps in order). */
  readonly lessonOpen: boolean;
  readonly lessonStep: number;
  /** Steps whose actions ran and whose `leave` action is owed when the student leaves them. */
  readonly lessonOwed: ReadonlySet<number>;
  /** The loaded scenario's lessons, as the worker validated them (none for a format 1 file). */
  readonly lessons: readonly Lesson[];
  /** Simulated time the step began: its `event-since-step` checks count from here. */
  readonly lessonStart: SimTime;
  /** Student mode: the buttons that give the answer are hidden, and the checks are scored on request. */
  readonly studentMode: boolean;
  /** A lesson button's action (or a step's `leave`) is running. */
  readonly lessonBusy: boolean;
  readonly lessonResults?: LessonResults;
  setLessonOpen(open: boolean): void;
  /** Goes to a step (opening the panel); the step left runs its owed `leave` first. */
  setLessonStep(step: number): void;
  /** A step's actions ran: its `leave` action is owed. */
  oweLeave(step: number): void;
  /** Whether a step's `leave` action was owed (it no longer is). */
  settleLeave(step: number): boolean;
  /** Reads the loaded lab's lessons from the worker. */
  refreshLessons(): Promise<void>;
  /** Runs a lesson button's action: console lines and faults as the page types them, runs by the worker. */
  runLessonAction(action: LessonAction): Promise<void>;
  /** Evaluates the step's checks when the lab changed since they last were (not in student mode). */
  refreshLessonChecks(): Promise<void>;
  /** Student mode's "Check my answer": the step's checks evaluated now and scored. */
  checkLessonAnswer(): Promise<void>;
  setStudentMode(on: boolean): void;
}

/** What the page shows and how: panels, layers, theme. */
export interface ViewSlice {
  /** The panel shown beside the event list. */
  readonly bottomTab: BottomTab;
  readonly layers: LayerMode;
  readonly theme: Theme;
  /** Projector mode: large type for a classroom screen. */
  readonly projector: boolean;
  /** Cytoscape's WebGL renderer (big labs). */
  readonly webgl: boolean;
  setBottomTab(tab: BottomTab): void;
  setLayers(layers: LayerMode): void;
  setTheme(theme: Theme): void;
  setProjector(on: boolean): void;
  setWebgl(on: boolean): void;
}

/** Persistence and share: saved work per lab, the session a reload restores, two tabs, links, recovery. */
export interface SessionSlice {
  readonly notice?: Notice;
  /** Another tab saved edits of the lab open here. */
  readonly conflict?: { readonly key: string; readonly label: string };
  /** Devices the user dragged, in the topology's model coordinates. */
  readonly positions: readonly (readonly [string, number, number])[];
  /** Work the kernel's watchdog stopped (its `problem` trace records), newest last. */
  readonly watchdog: readonly WatchdogNote[];
  /** Opens the page's first lab (a shared link, the lab open last, else the default) once; watches for saves. */
  start(): Promise<void>;
  notify(text: string, tone?: Notice['tone']): void;
  /** The session the page shows now. */
  currentSession(): SessionState;
  /**
   * Loads an edit of the lab open here (the topology editor): it stays this lab's saved work, marked edited, with
   * the session's positions and panels; the lab re-simulates from t = 0.
   */
  loadEdit(text: string): Promise<void>;
  /** Marks the lab changed by the user (a drag) and saves. */
  setPosition(device: string, x: number, y: number): void;
  /** Writes the lab's saved work now (synchronous: also used when the page is hidden or closed). */
  persistNow(): void;
  /** Resolves a two-tab conflict: open the other tab's saved lab, or keep this one and save over it. */
  resolveConflict(choice: 'theirs' | 'mine'): Promise<void>;
  /** Opens a lab's saved work and brings back its session. */
  openSaved(saved: SavedLab): Promise<void>;
  /** Brings back a session on the lab just loaded: time, faults, positions, panels, lesson step. */
  restoreSession(session: SessionState): Promise<void>;
  /** Before a shipped or generated lab replaces saved edits of it: asks; false when the edits were opened. */
  confirmReplace(source: string, label: string): Promise<boolean>;
  /** A link that opens this lab (with the user's edits) in any browser, at this moment. */
  shareLink(): Promise<string>;
  /** "Copy link": puts the share link on the clipboard and says so (or says why not). */
  copyShareLink(link: string): Promise<void>;
  /** One click after a failure: a fresh worker, the lab's saved work and session loaded into it. */
  recover(done?: string): Promise<void>;
  /** Stops what the worker is doing (IOS's Ctrl+Shift+6, or the page's Stop): recover, saying so. */
  stopWork(): Promise<void>;
  /** What an exported capture holds, said plainly (the page keeps a window; the runner writes everything). */
  noteExport(pcap: Uint8Array): void;
  /** What an exported keylog holds. */
  noteKeylog(keylog: string): void;
}

/** What the editor's selection is: a device, or a physical link (by one of its ends). */
export type EditTarget =
  | { readonly kind: 'device'; readonly device: string }
  | { readonly kind: 'link'; readonly id: string; readonly end: InterfaceRef };

/** One edit the editor made: the text it applied to and the text it gave (undo and redo swap them). */
export interface EditEntry {
  readonly op: EditOp;
  readonly before: string;
  readonly after: string;
}

/** An edit moved a device without re-simulating (a drag, or undo/redo of one): the topology places it. */
export interface EditPlacement {
  readonly device: string;
  /** Scenario coordinates (the file's `x`/`y`). */
  readonly x: number;
  readonly y: number;
  /** Counts placements: the same spot twice is still two moves. */
  readonly serial: number;
}

/** The topology editor (issue 17): edit mode, edits through the worker's EditApi, undo and redo. */
export interface EditorSlice {
  /** Edit mode is on (off by default: the page is the simulator it always was). */
  readonly editing: boolean;
  /** The palette, from the worker (`editRoles`). */
  readonly editRoles: readonly EditRoleInfo[];
  /** A palette role picked: the next click on the canvas adds a router of it there. */
  readonly armedRole?: EditRole;
  readonly editTarget?: EditTarget;
  /** Edits undo walks back, oldest first. */
  readonly undoStack: readonly EditEntry[];
  /** Edits undone that redo applies again, the next one last. */
  readonly redoStack: readonly EditEntry[];
  /** Why the last edit was refused (the Problems panel shows it), until the next edit or a dismissal. */
  readonly editError?: ScenarioProblem;
  /** An edit, undo or redo is being applied. */
  readonly editBusy: boolean;
  readonly placement?: EditPlacement;
  setEditing(on: boolean): void;
  armRole(role: EditRole | undefined): void;
  setEditTarget(target: EditTarget | undefined): void;
  /**
   * Applies an edit to the current scenario through the worker; on success the old text goes on the undo stack
   * and the new one is loaded (re-simulated from t = 0), except a move, which changes positions only. Resolves
   * with the worker's answer (undefined when no lab is loaded).
   */
  edit(op: EditOp): Promise<EditResult | undefined>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** A device's interfaces no link uses yet, valid for its platform, in IOS order. */
  freeInterfaces(device: string): Promise<readonly string[]>;
  dismissEditError(): void;
}

export type SimState = BridgeSlice &
  LabSlice &
  PlaybackSlice &
  TraceSlice &
  ConsolesSlice &
  FaultsSlice &
  MulticastSlice &
  LessonsSlice &
  ViewSlice &
  SessionSlice &
  EditorSlice;

/** How a slice is made: zustand's `set` and `get` over the whole store, and the page's surroundings. */
export type SetState = (
  partial: SimState | Partial<SimState> | ((s: SimState) => SimState | Partial<SimState>),
) => void;
export type GetState = () => SimState;
