// A saved moment (issue 18: "a checkpoint can also be saved and shared, so a lab opens at a moment without
// re-simulating it"). The file is a small JSON header (what the moment is and how to re-create it: the scenario
// text and the console lines run on it) followed by the checkpoint's graph (`../kernel/snapshot-codec.ts`): the
// lab without its trace, and the console sessions. Opening it gives a running lab whose fresh trace recorder is
// rewound to the moment's mark, so the trace hash goes on exactly as the run that saved it.
//
// Layout: "GETLab moment\n", the header's length (4 bytes, big-endian), the header (UTF-8 JSON), the graph,
// then a SHA-256 of everything before it (a damaged or cut file is refused before anything is read from it).
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeGraph, encodeGraph, SnapshotCodecError, simRegistry } from '../kernel/snapshot-codec';
import { type TraceMark, TraceRecorder } from '../kernel/trace';
import { takeCheckpoint } from './checkpoint';
import { Lab } from './lab';

/** The file format this build writes and reads. */
export const MOMENT_FORMAT = 1;

/** A console line or a link-loss fault, as the worker keeps them to replay a rewind. */
export interface MomentAction {
  readonly t: number;
  readonly events: number;
  readonly device: string;
  readonly line: string;
  readonly loss?: { readonly linkId: string; readonly fraction: number };
}

/** What a saved moment says about itself. */
export interface MomentHeader {
  readonly format: number;
  readonly app: 'GETLab';
  /** The simulator build that wrote it (`CodecRegistry.build`): only that build reads its graph. */
  readonly build: string;
  readonly title: string;
  /** Simulated time (µs) and kernel events run at the moment. */
  readonly t: number;
  readonly events: number;
  readonly mark: TraceMark;
  /** The scenario text and the actions run on it: a rewind before the moment re-simulates from these. */
  readonly scenario: string;
  readonly commands: readonly MomentAction[];
}

export interface OpenedMoment<X> {
  readonly header: MomentHeader;
  readonly lab: Lab;
  readonly extra: X;
}

/** Why a file cannot be opened as a moment, in words a user can act on. */
export class MomentFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MomentFileError';
  }
}

const MAGIC = new TextEncoder().encode('GETLab moment\n');
const DIGEST = 32;
const TRACE = 'trace';

/**
 * The moment `lab` is at (between two events), with `extra` (state outside the lab that points into it: the
 * console sessions) and how to re-create it (`scenario`, `commands`), as file bytes.
 */
export async function saveMoment<X>(
  lab: Lab,
  extra: X,
  scenario: string,
  commands: readonly MomentAction[],
): Promise<Uint8Array> {
  const cp = takeCheckpoint(lab, extra);
  const trace = lab.kernel.trace;
  const graph = await encodeGraph(cp.state, { external: new Map([[trace, TRACE]]) });
  const header: MomentHeader = {
    format: MOMENT_FORMAT,
    app: 'GETLab',
    build: (await simRegistry()).build,
    title: lab.title,
    t: cp.t,
    events: cp.events,
    mark: cp.mark,
    scenario,
    commands: commands.map(plainAction),
  };
  return writeMomentFile(header, graph);
}

/** The file of a moment: magic, the header's length and text, the graph, and a SHA-256 of all of it. */
export function writeMomentFile(header: MomentHeader, graph: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(MAGIC.length + 4 + json.length + graph.length);
  body.set(MAGIC, 0);
  new DataView(body.buffer).setUint32(MAGIC.length, json.length);
  body.set(json, MAGIC.length + 4);
  body.set(graph, MAGIC.length + 4 + json.length);
  const file = new Uint8Array(body.length + DIGEST);
  file.set(body, 0);
  file.set(sha256(body), body.length);
  return file;
}

function plainAction(a: MomentAction): MomentAction {
  const { t, events, device, line, loss } = a;
  return loss
    ? { t, events, device, line, loss: { linkId: loss.linkId, fraction: loss.fraction } }
    : { t, events, device, line };
}

/** The header alone, checked (the file's digest, magic, format and build): what `openMoment` reads first. */
export async function readMomentHeader(
  bytes: Uint8Array,
): Promise<{ header: MomentHeader; graph: Uint8Array }> {
  if (bytes.length < MAGIC.length + 4 + DIGEST || MAGIC.some((b, i) => bytes[i] !== b))
    throw new MomentFileError('This file is not a saved GETLab moment.');
  const body = bytes.subarray(0, bytes.length - DIGEST);
  const digest = sha256(body);
  if (digest.some((b, i) => bytes[body.length + i] !== b))
    throw new MomentFileError('This saved moment is damaged (its checksum does not match): save it again.');
  const length = new DataView(body.buffer, body.byteOffset, body.length).getUint32(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + length > body.length)
    throw new MomentFileError('This saved moment is damaged: its header is cut.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(start, start + length)),
    );
  } catch {
    throw new MomentFileError('This saved moment is damaged: its header is not readable.');
  }
  const header = checkHeader(parsed);
  if (header.format !== MOMENT_FORMAT)
    throw new MomentFileError(
      `This moment was saved in format ${header.format}; this version of GETLab reads format ${MOMENT_FORMAT}.`,
    );
  const build = (await simRegistry()).build;
  if (header.build !== build)
    throw new MomentFileError(
      `This moment was saved by another version of GETLab (build ${header.build}; this page is build ${build}). ` +
        'Open its scenario instead and run it to the same time.',
    );
  return { header, graph: body.subarray(start + length) };
}

/**
 * The lab saved in `bytes`, running at its moment: its trace is a fresh recorder rewound to the moment's mark.
 * Throws `MomentFileError` (a plain-language sentence) for any file that is not a moment this build wrote.
 */
export async function openMoment<X>(bytes: Uint8Array): Promise<OpenedMoment<X>> {
  const { header, graph } = await readMomentHeader(bytes);
  const trace = new TraceRecorder();
  let state: unknown;
  try {
    state = await decodeGraph(graph, { external: new Map([[TRACE, trace]]) });
  } catch (e) {
    if (e instanceof SnapshotCodecError)
      throw new MomentFileError(`This saved moment cannot be opened: ${e.message}`);
    throw e;
  }
  const s = state as { lab?: unknown; extra?: unknown; lastFrame?: unknown } | null;
  if (typeof s !== 'object' || s === null || !(s.lab instanceof Lab) || s.lab.kernel.trace !== trace)
    throw new MomentFileError('This saved moment is damaged: it holds no lab.');
  const lastFrame = s.lastFrame instanceof Uint8Array ? s.lastFrame : undefined;
  trace.rewindTo(header.mark, lastFrame);
  return { header, lab: s.lab, extra: s.extra as X };
}

function checkHeader(v: unknown): MomentHeader {
  const h = v as Partial<Record<keyof MomentHeader, unknown>> | null;
  const bad = (what: string): never => {
    throw new MomentFileError(`This saved moment is damaged: its header has no valid ${what}.`);
  };
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return bad('fields');
  if (h.app !== 'GETLab') return bad('application name');
  if (!isCount(h.format)) return bad('format');
  if (typeof h.build !== 'string') return bad('build');
  if (typeof h.title !== 'string') return bad('title');
  if (!isCount(h.t) || !isCount(h.events)) return bad('time');
  if (typeof h.scenario !== 'string') return bad('scenario');
  const m = h.mark as Partial<Record<keyof TraceMark, unknown>> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    !isCount(m.total) ||
    !isCount(m.hashState) ||
    !isCount(m.nextFrameId)
  )
    return bad('trace mark');
  if (!Array.isArray(h.commands) || !h.commands.every(isAction)) return bad('console lines');
  return h as MomentHeader;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isAction(v: unknown): v is MomentAction {
  const a = v as Partial<Record<keyof MomentAction, unknown>> | null;
  if (typeof a !== 'object' || a === null) return false;
  if (!isCount(a.t) || !isCount(a.events) || typeof a.device !== 'string' || typeof a.line !== 'string')
    return false;
  if (a.loss === undefined) return true;
  const l = a.loss as { linkId?: unknown; fraction?: unknown } | null;
  return (
    typeof l === 'object' && l !== null && typeof l.linkId === 'string' && typeof l.fraction === 'number'
  );
}
