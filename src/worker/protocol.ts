// Plain-data types that cross the worker boundary (structured clone): no classes, no functions.
import type { LinkEnd } from '../sim/device/link';
import type { SimTime } from '../sim/kernel/time';
import type {
  LogRecord,
  PacketRecord as SimPacketRecord,
  ProblemRecord,
  StateRecord,
} from '../sim/kernel/trace';
import type { GdoiView } from '../sim/protocols/gdoi/gdoi-view';
import type { PimView } from '../sim/protocols/pim/pim-view';
import type { EntrySummary, RpfSummary } from '../sim/protocols/pim/multicast-view';
import type { LabProblem } from '../sim/scenario/lab';
import type { OverlayEdge } from '../sim/scenario/overlay';
import type { CheckResult } from '../sim/scenario/checks';
import type { Lesson, LessonCheck, LessonRunAction } from '../sim/scenario/lesson-schema';
import type { EditOp, EditResult, EditRoleInfo } from '../sim/scenario/edit/edit-ops';

export type { SimTime };

/**
 * What a record is, decided once by the worker (`classify.ts`) from the decoded packet or the syslog's IOS
 * message code. The page's filters, legend, timeline, captions, event list and lessons read these, never text.
 */
export type EventKind =
  /** A group member completed GDOI registration (%GDOI-5-GM_REGS_COMPL). */
  | 'registration'
  /** The key server sent a rekey: its GROUPKEY-PUSH leaving it, or %GDOI-5-KS_SEND_*_REKEY. */
  | 'rekey-sent'
  /** A member's GDOI process got a rekey: the push delivered to it, or %GDOI-5-GM_RECV_REKEY. */
  | 'rekey-received'
  /** A member installed the group's policies and keys. */
  | 'key-installed'
  /** A packet dropped by the multicast RPF check (RFC 7761 §4.2). */
  | 'rpf-drop'
  /** Any other dropped packet. */
  | 'drop'
  /** %SYS-5-CONFIG_I: someone left configuration mode. */
  | 'config-change'
  /** A PIM, EIGRP or NHRP neighbour came up or went down. */
  | 'adjacency-up'
  | 'adjacency-down'
  /** A packet on its way, a log line or a state change with nothing more to say. */
  | 'packet'
  | 'log'
  | 'state'
  /** The kernel's watchdog stopped a router's runaway work (a `problem` record): a Problems entry. */
  | 'problem';

/** Why a packet was dropped, as a code the page can switch on (the text stays for the student). */
export type DropCode =
  | 'rpf-failed'
  | 'no-nhrp-multicast'
  | 'link-loss'
  | 'no-route'
  | 'ttl-expired'
  | 'esp-failed'
  | 'gdoi-rejected'
  | 'malformed'
  | 'bad-checksum'
  | 'interface-down'
  | 'own-multicast'
  | 'not-enabled'
  | 'other';

export interface EventClass {
  /**
   * The protocol a student names the record by: the innermost known layer (`gdoi` for GROUPKEY-PULL/PUSH on UDP
   * 848, `isakmp` only for IKE phase 1, `pim` for ESP ⊃ GRE ⊃ PIM); for a log line, its facility's protocol.
   */
  readonly protocol: string;
  /** The encapsulation outermost first, without the IPv4 and UDP that carry everything: `['esp','gre','gdoi']`. */
  readonly layers: readonly string[];
  readonly kind: EventKind;
  /** For a dropped packet: the reason's code and its text. */
  readonly drop?: { readonly code: DropCode; readonly text: string };
  /** For a syslog line: its IOS message code, e.g. `GDOI-5-KS_SEND_MCAST_REKEY`. */
  readonly code?: string;
}

/** A record as the worker hands it out: the recorder's record and its class (absent only in hand-built tests). */
export type PacketRecord = SimPacketRecord & { readonly typed?: EventClass };
export type TraceRecord =
  | PacketRecord
  | (LogRecord & { readonly typed?: EventClass })
  | (StateRecord & { readonly typed?: EventClass })
  /** The kernel's watchdog stopped a router's runaway work (sim/kernel/watchdog.ts): show it as a Problem. */
  | (ProblemRecord & { readonly typed?: EventClass });
export type { LinkEnd as LinkEndView } from '../sim/device/link';
export type {
  GdoiKeyServerView,
  GdoiKsMemberView,
  GdoiMemberView,
  GdoiTekView,
  GdoiView,
} from '../sim/protocols/gdoi/gdoi-view';
export type { OutgoingSummary as OutgoingView } from '../sim/protocols/pim/multicast-view';
export type { PimView } from '../sim/protocols/pim/pim-view';
export type { LabProblem as ScenarioProblem } from '../sim/scenario/lab';
export type { OverlayEdge as OverlayEdgeView } from '../sim/scenario/overlay';
export type { CheckResult } from '../sim/scenario/checks';
export type {
  Lesson,
  LessonAction,
  LessonButton,
  LessonCheck,
  LessonRunAction,
  LessonStepData,
} from '../sim/scenario/lesson-schema';
export type { EditOp, EditResult, EditRole, EditRoleInfo, InterfaceRef } from '../sim/scenario/edit/edit-ops';

export interface InterfaceView {
  /** Canonical IOS name, e.g. `FastEthernet1/0`. */
  readonly name: string;
  /** IOS short form, e.g. `Fa1/0`. */
  readonly short: string;
  /** `a.b.c.d/len` when addressed. */
  readonly address?: string;
  /** IOS `Status` column: `up`, `down` or `administratively down`. */
  readonly status: string;
  /** IOS `Protocol` column. */
  readonly protocol: 'up' | 'down';
}

export interface DeviceView {
  readonly name: string;
  /** Only changes the drawing: `provider` is drawn as a cloud. */
  readonly role: 'router' | 'provider';
  readonly x?: number;
  readonly y?: number;
  readonly interfaces: readonly InterfaceView[];
}

export interface LinkView {
  /** `<device> <iface>--<device> <iface>` */
  readonly id: string;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
  readonly delayMs: number;
  readonly up: boolean;
  /** Fraction of frames the link loses in each direction (0 to 1): a fault set with `setLinkLoss`. */
  readonly loss: number;
}

/**
 * How the page draws one wire protocol id (a `Layer.protocol`: `pim`, `autorp`, `gdoi` …): its label, colour
 * and place in the legend. The worker builds the table from the `wire` styles of the protocol descriptors (each
 * protocol folder's `descriptor.ts` under `src/sim/protocols`), so a new protocol brings its own colour.
 */
export interface WireStyleView {
  readonly id: string;
  /** Short name for legends and captions: `PIM`, `Auto-RP`. */
  readonly label: string;
  /** CSS colour, e.g. `#1565c0`. */
  readonly color: string;
  /** Place in the legend (ESP outermost … ICMP innermost); absent: coloured but not in the legend (IPv4, UDP). */
  readonly legendOrder?: number;
}

/** `labIfChanged` when the view is as last given: the clock alone. */
export interface LabClock {
  readonly unchanged: true;
  /** Simulated time now, microseconds. */
  readonly now: SimTime;
  readonly clock: string;
}

export interface LabView {
  readonly title: string;
  readonly description: string;
  readonly devices: readonly DeviceView[];
  readonly links: readonly LinkView[];
  readonly overlay: readonly OverlayEdge[];
  readonly problems: readonly LabProblem[];
  /** Simulated time now, microseconds. */
  readonly now: SimTime;
  /** The IOS clock at `now`, e.g. `*22:57:13.167 UTC Tue Jul 7 2026`. */
  readonly clock: string;
  /** Which view this is, counted by the worker that made it (`labIfChanged`); absent in views built elsewhere. */
  readonly serial?: number;
  /**
   * Every wire protocol's label and colour, IPv4 and UDP first, then the legend in order (see `WireStyleView`).
   * The worker always sets it; optional only so that views built by hand in page tests stay valid.
   */
  readonly wireStyles?: readonly WireStyleView[];
  /**
   * The router panel's protocol tabs (after the core Console, Config and Routes), from the protocol descriptors:
   * each tab's label and the `show` commands it runs. Optional like `wireStyles`.
   */
  readonly routerViews?: readonly RouterViewInfo[];
}

/** One protocol tab of the router panel (`RouterViewContribution` without its state builder). */
export interface RouterViewInfo {
  readonly id: string;
  readonly label: string;
  readonly commands: readonly string[];
  /** The tab has a typed state view (`gdoiView`, `pimView`) besides its show commands. */
  readonly hasState: boolean;
}

export interface LoadResult {
  /** False when the scenario could not be loaded at all (not JSON, wrong format). */
  readonly ok: boolean;
  readonly lab?: LabView;
  readonly problems: readonly LabProblem[];
}

export type MarkerKind = 'registration' | 'rekey' | 'rpf-drop' | 'config';

/** A moment worth finding again on the timeline (`markers.ts`). */
export interface Marker {
  readonly t: SimTime;
  readonly kind: MarkerKind;
  readonly device: string;
  readonly text: string;
}

export interface TraceBatch {
  readonly now: SimTime;
  readonly clock: string;
  /** Records since the previous batch. */
  readonly records: readonly TraceRecord[];
  /** How many records exist in all. */
  readonly total: number;
  /**
   * The timeline's markers since the previous batch: of every record made, also those before the batch's window
   * (a jump ahead sends only the newest records). A rewind's batch carries all markers up to its moment instead.
   */
  readonly markers?: readonly Marker[];
  /**
   * Log lines of the records since the previous batch that its window left out (the newest 1,000), oldest first:
   * an open console prints every message as it is logged, not only those of the records the page got.
   */
  readonly logsLeftOut?: readonly TraceRecord[];
  /**
   * For `stepMatching`: where in `records` the kernel event that matched begins (its records to the end are the
   * step), and how many records the trace held after it (a rewind to that count shows the step again).
   */
  readonly step?: { readonly from: number; readonly end: number };
}

/** One batch of records as columns; every `ArrayBuffer` here is listed by `transferables` (record-columns.ts). */
export interface RecordColumns {
  readonly count: number;
  /** 0 packet, 1 log, 2 state, 3 problem. */
  readonly kind: Uint8Array;
  readonly t: Float64Array;
  readonly frameId: Float64Array;
  /** `STRING_SLOTS` string ids per record (0 = absent, else index + 1 into the string table). */
  readonly strings: Uint32Array;
  /** `LIST_SLOTS` list ids per record (0 = absent, else index + 1 into the list table). */
  readonly lists: Uint32Array;
  /** The string table: UTF-8 bytes and each string's end offset. */
  readonly text: Uint8Array;
  readonly textEnds: Uint32Array;
  /** The list table: string ids (index + 1) and each list's end offset. */
  readonly listItems: Uint32Array;
  readonly listEnds: Uint32Array;
}

/**
 * A realtime frame's batch with its records as transferred columns (`record-columns.ts`): moving thousands of
 * record objects by structured clone blocked the page's frame in `Worker.onmessage` (issue 18, 5,000 spokes).
 */
export interface ColumnBatch extends Omit<TraceBatch, 'records' | 'step'> {
  readonly columns: RecordColumns;
}

export interface ExecResult {
  /** What the console prints after the command line (may be empty). */
  readonly output: string;
  /** The prompt after the command, e.g. `GM-1(config-if)#`. */
  readonly prompt: string;
  readonly now: SimTime;
  /** Records produced while the command ran (a ping advances the simulation). */
  readonly records: readonly TraceRecord[];
  /** The timeline's markers among them (a configuration change, a registration during a ping...). */
  readonly markers?: readonly Marker[];
}

/** A console line the user ran, with the moment it ran: replayed to re-simulate the lab deterministically. */
export interface CommandRecord {
  /** Simulated time when the line ran. */
  readonly t: SimTime;
  /** Kernel events processed before the line ran (places it exactly between events of one instant). */
  readonly events: number;
  readonly device: string;
  readonly line: string;
}

/** The lab re-simulated from its start up to an earlier moment. */
export interface RewindResult {
  readonly lab: LabView;
  /** The newest records up to that moment (at most `window`), with `total` counting all of them. */
  readonly batch: TraceBatch;
  /** The console lines replayed (those the user ran up to that moment); later ones are forgotten. */
  readonly commands: readonly CommandRecord[];
}

/** One decoded field: Wireshark-style name, label, value and its byte range [start, end) in the frame. */
export interface FieldView {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface LayerView {
  readonly protocol: string;
  readonly title: string;
  readonly start: number;
  readonly end: number;
  readonly fields: readonly FieldView[];
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** A frame as it crossed a link, with its layer tree decoded from its bytes. */
export interface FrameView {
  readonly id: number;
  readonly t: SimTime;
  readonly link: string;
  /** Device that sent it. */
  readonly from: string;
  readonly bytes: Uint8Array;
  readonly layers: readonly LayerView[];
  /** For ESP: the inner packet, opened with a group TEK a router of the lab holds. */
  readonly decrypted?: DecryptedView;
  /** A GDOI rekey (in the frame or in its opened ESP): opened with the KEK a group member holds. */
  readonly rekey?: RekeyView;
}

/** A GROUPKEY-PUSH opened with a member's KEK (RFC 6407 §4): payloads in the clear, the signature checked. */
export interface RekeyView {
  /** Group member whose KEK opened it. */
  readonly heldBy: string;
  /** KEK SPI (the message's cookies), hex. */
  readonly kekSpi: string;
  /** The header as sent followed by the decrypted payloads (and padding). */
  readonly bytes: Uint8Array;
  readonly layers: readonly LayerView[];
  readonly signature: { readonly verified: boolean; readonly detail: string };
  /** Key material shown in the clear (asked for), else masked. */
  readonly keysShown: boolean;
}

export interface DecryptedView {
  /** SPI as IOS prints it, e.g. `0x33C8A7B7`. */
  readonly spi: string;
  /** Router whose TEK opened it. */
  readonly heldBy: string;
  readonly bytes: Uint8Array;
  readonly layers: readonly LayerView[];
}

/**
 * One router's RPF decision for the chosen source (what `show ip rpf <source>` says): only `device` when the
 * router has no route back to the source.
 */
export interface RpfView extends Partial<RpfSummary> {
  readonly device: string;
}

/**
 * A router's (S,G) entry for the chosen source and group, else its (*,G): what `show ip mroute` shows. Its
 * outgoing interfaces are `OutgoingView`s.
 */
export interface MrouteEntryView extends EntrySummary {
  readonly device: string;
}

/** One edge of a group's distribution tree: traffic for the group leaves `device` out of `iface`. */
export interface TreeEdgeView {
  readonly device: string;
  readonly iface: string;
  /** On a multipoint tunnel with nbma-mode: the neighbour the entry is kept for. */
  readonly nextHop?: string;
  /** `(*, G)` or `(S, G)`. */
  readonly entry: string;
}

export interface MulticastView {
  readonly source: string;
  readonly group: string;
  readonly rpf: readonly RpfView[];
  /** Every router's `ip mroute` lines as its running-config prints them. */
  readonly mroutes: readonly { readonly device: string; readonly lines: readonly string[] }[];
  /** Empty until the routers build multicast forwarding state for the group. */
  readonly tree: readonly TreeEdgeView[];
  /** Per router with state for the group: its (S,G) entry for `source`, else its (*,G). */
  readonly entries: readonly MrouteEntryView[];
}

/**
 * The one API the page (through comlink) and tests (directly) use. Every method is async so the same
 * interface works across the worker boundary.
 */
export interface CheckpointsView {
  readonly times: readonly SimTime[];
  readonly disabled?: string;
  /** Rewinds that took over a copy made while the worker was idle, rather than copying then (issue 18). */
  readonly handovers?: number;
  /** Time of the checkpoint whose spare copy is ready, if one is. */
  readonly spareAt?: SimTime;
  /** Rewinds that handed a checkpoint itself over, in a big lab with no spare ready (issue 18). */
  readonly consumed?: number;
  /** Checkpoints filled in between others while the worker was idle, in a big lab (issue 18). */
  readonly filled?: number;
  /** Whether the idle worker is done working ahead (gaps filled, spare made) since the last call. */
  readonly idleDone?: boolean;
}

export interface SimApi {
  /** Loads a scenario from its JSON text. A broken file yields ok=false with problems; the previous lab stays. */
  load(scenarioText: string): Promise<LoadResult>;
  /** The current lab's view (interface states change as the lab runs). */
  lab(): Promise<LabView | undefined>;
  /**
   * The view while the page plays: only the clock when the view the page holds (`held`, its `serial`) is the newest
   * one handed over and nothing in it changed since (issue 18: a 5,000-spoke view is 4.5 MB, ~130 ms to build and
   * as long to copy, and it rarely changes).
   */
  labIfChanged(held?: number): Promise<LabView | LabClock | undefined>;
  /**
   * Runs the simulation up to `time` (microseconds) and returns the records produced: only the newest `window`
   * of them when a window is given (a long jump on a big lab), with `total` counting all.
   */
  runUntil(time: SimTime, window?: number): Promise<TraceBatch>;
  /** `runUntil` with the records as transferred columns (`ColumnBatch`): the realtime loop's call. */
  runUntilColumns(time: SimTime, window?: number): Promise<ColumnBatch>;
  /**
   * The page plays (a run every frame) or stopped. While it plays the worker does no idle work (spare checkpoint
   * copies): at 1,000 spokes a piece of it holds the next frame's run back by a whole copy (1-2 s) and its garbage
   * collection takes the CPU the page's compositing needs (issue 18). Stopped, the idle work is scheduled again.
   */
  setPlaying(playing: boolean): Promise<void>;
  /** Runs the next event only. */
  step(): Promise<TraceBatch>;
  /** Runs one console line on a device (privileged EXEC session per device, as the runner's). */
  exec(device: string, line: string): Promise<ExecResult>;
  /** The console prompt of a device's session, e.g. `GM-1#`. */
  prompt(device: string): Promise<string>;
  /** What IOS prints for `?` typed after `partial`. */
  help(device: string, partial: string): Promise<string>;
  /** Tab completion of `partial` (returned unchanged when not unique). */
  complete(device: string, partial: string): Promise<string>;
  /** Every frame sent on every link so far, as a pcap file (LINKTYPE_RAW). */
  exportPcap(): Promise<Uint8Array>;
  /** Every ESP SA installed so far, in Wireshark's `esp_sa` file format: the only way keys leave the worker. */
  exportKeylog(): Promise<string>;
  /**
   * Re-simulates the current scenario from its start, replaying the console lines run so far at their
   * simulated times, up to `time` (an earlier moment: the timeline's scrub). Same seed, same trace.
   */
  rewind(time: SimTime, window?: number): Promise<RewindResult>;
  /**
   * Re-simulates from the start until the trace holds `records` records (the end of an earlier kernel event: the
   * step Back returns to), never past `time`.
   */
  rewindToRecord(records: number, time: SimTime, window?: number): Promise<RewindResult>;
  /**
   * Simulation mode's "next event": runs kernel events one by one until one produces a packet record whose
   * classified layers include one of `protocols` (any record when empty), or the clock would pass `limit`. The
   * batch's `step` marks that event's records.
   */
  stepMatching(protocols: readonly string[], limit: SimTime): Promise<TraceBatch>;
  /** A frame's bytes and layer tree, undefined when the frame is unknown or was trimmed from memory. */
  /** `revealKeys` shows a rekey's key material in the clear (masked otherwise). */
  frame(frameId: number, options?: { readonly revealKeys?: boolean }): Promise<FrameView | undefined>;
  /** Each router's RPF interface towards `source`, the `ip mroute` lines, and `group`'s distribution tree. */
  multicastView(source: string, group: string): Promise<MulticastView>;
  /** A device's running-config as `show running-config` prints it. */
  runningConfig(device: string): Promise<string>;
  /** The config a scenario file needs to boot the router as it is: the running-config and its RSA key store. */
  scenarioConfig(device: string): Promise<string>;
  /** The console lines run since the scenario loaded, oldest first. */
  commands(): Promise<readonly CommandRecord[]>;
  /** A hash over every record and frame so far: equal after a rewind to the same moment. */
  traceHash(): Promise<string>;
  /**
   * The checkpoints a rewind can start from (simulated µs, oldest first), and why there are none when the lab's
   * state cannot be copied (a rewind then re-simulates from t = 0).
   */
  checkpoints(): Promise<CheckpointsView>;
  /**
   * Runs a `show` command on a device in a session of its own: not in the console history, not replayed by a
   * rewind (the page's live state tabs and lesson checks read the lab this way). Other commands are refused.
   */
  show(device: string, line: string): Promise<string>;
  /**
   * Sets a link's frame loss (0 to 1), a teaching fault: kept with the console lines so a rewind replays it at
   * its simulated time. Returns the lab view, or undefined for an unknown link.
   */
  setLinkLoss(linkId: string, fraction: number): Promise<LabView | undefined>;
  /**
   * The scenario text of a generated hub-and-spoke lab of the reference design (`generateHubSpokes`): `spokes`
   * spokes dealt to `hubs` hubs (1 by default), each hub with its own DMVPN cloud.
   */
  generate(spokes: number, hubs?: number): Promise<string>;
  /** A device's GDOI state for its panel: each member group's keys and counters, each key server's. */
  gdoiView(device: string): Promise<GdoiView>;
  /** A device's PIM neighbours, RP mappings and nbma-mode interfaces (the lessons' checks read them). */
  pimView(device: string): Promise<PimView>;
}

/**
 * Lessons as data (issue 17): the scenario's lessons and their checks evaluated on the worker's lab. The real
 * worker (createSimApi, exposed by sim.worker.ts) implements SimApi & LessonApi (`PageApi`); the page's lessons panel
 * reads them through its store, and the recorded-trace replay worker answers them in plain language.
 */
export interface LessonApi {
  /** The loaded scenario's lessons (format 2; none for a format 1 file), as validated. */
  lessons(): Promise<readonly Lesson[]>;
  /**
   * Evaluates lesson checks on the current lab (src/sim/scenario/checks.ts), one result per check in order;
   * `sinceT` is when the lesson step began (`event-since-step` counts from there). A malformed check fails with
   * the reason.
   */
  evaluateChecks(checks: readonly LessonCheck[], sinceT: SimTime): Promise<readonly CheckResult[]>;
  /**
   * Runs the lab on as a lesson button's run action does (`run-to`, `run-for`, `next-rekey`, `until-rekey`),
   * through the runner's LessonDriver (src/sim/scenario/lesson-actions.ts): the page and `--check` run one
   * implementation. Returns the records since the last batch, like `runUntil`. Console lines and faults are not
   * run here: the page types them at its consoles, where a rewind replays them.
   */
  runLesson(action: LessonRunAction, window?: number): Promise<TraceBatch>;
  /**
   * The loaded lab's GDOI multicast rekey, where it has one: the key server's device and the address its members
   * register to, and the rekey group (the multicast panel's default question). Undefined for a lab without one.
   */
  rekeyGroup(): Promise<RekeyGroupView | undefined>;
}

/** What the page's worker gives (createSimApi through comlink): the simulation, its lessons, the editor, exports. */
export type PageApi = SimApi & LessonApi & EditApi & ExportApi & MomentApi;

/**
 * A moment saved and shared (issue 18, "a lab opens at a moment without re-simulating it"): the whole simulator
 * state as a file, with the scenario text and console lines that re-create it (src/sim/scenario/checkpoint-file.ts).
 */
export interface MomentApi {
  /** The lab as it is now (its clock, every router's state, the consoles) as the bytes of a `.getlab` file. */
  saveMoment(): Promise<Uint8Array>;
  /**
   * Opens a file `saveMoment` wrote: the lab is then at that moment, as if it had run there (the trace goes on
   * from it; a rewind before it re-simulates from the saved scenario and console lines). A file that is not a
   * moment this version wrote is refused with `problem`, and the lab loaded before stays as it was.
   */
  openMoment(bytes: Uint8Array, window?: number): Promise<MomentOpenResult>;
}

export type MomentOpenResult =
  | {
      readonly ok: true;
      /** The scenario text the moment was reached from (the page's current scenario from now on). */
      readonly scenario: string;
      /** The lab at the moment: its view, an empty batch at its clock (`total` counts the records before it). */
      readonly result: RewindResult;
    }
  | { readonly ok: false; readonly problem: string };

/**
 * A lab for real routers (issue 17, "A bridge to real routers"): pure functions of a scenario text, as the
 * runner's `--export-cml` and `--export-configs` (src/sim/scenario/cml-export.ts). The page passes the lab as it
 * is now (console edits included) and saves what comes back.
 */
export interface ExportApi {
  /** The lab as Cisco Modeling Labs 2.x topology YAML (IOSv nodes), or the plain-language reasons it cannot be. */
  exportCml(scenarioText: string): Promise<CmlExportView>;
  /** Each device's configuration as a text file, or the reasons a device's file cannot be written. */
  exportConfigs(scenarioText: string): Promise<ConfigsExportView>;
}

export interface CmlExportView {
  /** Undefined when the lab cannot be exported (`problems` says why). */
  readonly yaml?: string;
  readonly problems: readonly string[];
}

export interface ConfigsExportView {
  /** One per device that can be written, in lab order: the device's name and its configuration. */
  readonly files: readonly { readonly device: string; readonly config: string }[];
  readonly problems: readonly string[];
}

/** A key server's multicast rekey: what the multicast panel asks about by default. */
export interface RekeyGroupView {
  /** The key server's device name. */
  readonly keyServer: string;
  /** The address its members register to (`server address ipv4`), the rekeys' source. */
  readonly address: string;
  /** The rekey group (`rekey address ipv4` ACL's destination), e.g. a 239.x.x.x address. */
  readonly group: string;
}

/**
 * The topology editor (issue 17): edits are pure functions of the scenario text (src/sim/scenario/edit/), so the
 * page keeps each text for undo and reloads the lab from the new one (a re-simulation from t = 0).
 */
export interface EditApi {
  /** Applies one edit to a scenario text and returns the new text. Pure: it does not load the lab. */
  editScenario(scenarioText: string, op: EditOp): Promise<EditResult>;
  /** Interface names valid for the platform on this device that no link uses yet, in IOS order. */
  freeInterfaces(scenarioText: string, device: string): Promise<readonly string[]>;
  /** The palette. */
  editRoles(): Promise<readonly EditRoleInfo[]>;
}
