// The worker's records batch as fixed-width columns (issue 18): a structured clone of thousands of record objects
// blocks the page's frame in `Worker.onmessage`; typed arrays move as transferred ArrayBuffers in O(1) and the
// page decodes only the records it reads (`recordAt`). Strings are interned once per batch into one UTF-8 buffer.
import type { DropCode, EventClass, EventKind, RecordColumns, TraceRecord } from './protocol';

const KINDS = ['packet', 'log', 'state', 'problem'] as const;

/** A column's value (typed arrays read 0 past their end, as an absent id). */
const at = (a: ArrayLike<number>, i: number): number => a[i] ?? 0;
/** Record strings: device, then the kind's own fields, then the class's (`typed`). */
const STRING_SLOTS = 12;
const LIST_SLOTS = 2;
const S = {
  device: 0,
  a: 1,
  b: 2,
  c: 3,
  d: 4,
  e: 5,
  protocol: 6,
  kind: 7,
  dropCode: 8,
  dropText: 9,
  code: 10,
  f: 11,
};
const L = { protocols: 0, layers: 1 };

class Interner {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  readonly lists: number[][] = [];
  private readonly listIds = new Map<string, number>();

  id(s: string | undefined): number {
    return s === undefined ? 0 : intern(this.strings, this.ids, s, s);
  }

  list(items: readonly string[] | undefined): number {
    if (items === undefined) return 0;
    const ids = items.map((s) => this.id(s));
    return intern(this.lists, this.listIds, ids.join(','), ids);
  }
}

/** The 1-based id of `key` in `table`, appending `value` the first time `key` is seen (0 stays "absent"). */
function intern<T>(table: T[], index: Map<string, number>, key: string, value: T): number {
  let id = index.get(key);
  if (id === undefined) {
    table.push(value);
    id = table.length;
    index.set(key, id);
  }
  return id;
}

/** The kind-specific strings of a record, in slots a..e. */
function ownStrings(r: TraceRecord): readonly (string | undefined)[] {
  switch (r.kind) {
    case 'packet':
      return [r.event, r.iface, r.link, r.summary, r.reason, r.overlayPeer];
    case 'log':
      return [r.level, r.text];
    case 'state':
      return [r.what, r.detail];
    case 'problem':
      return [r.problem, r.message];
  }
}

function writeRecord(cols: RecordColumns, i: number, r: TraceRecord, pool: Interner): void {
  cols.kind[i] = KINDS.indexOf(r.kind);
  cols.t[i] = r.t;
  cols.frameId[i] = r.kind === 'packet' ? r.frameId : 0;
  const s = i * STRING_SLOTS;
  cols.strings[s + S.device] = pool.id(r.device);
  const own = ownStrings(r);
  const slots = [S.a, S.b, S.c, S.d, S.e, S.f];
  own.forEach((v, k) => (cols.strings[s + at(slots, k)] = pool.id(v)));
  const typed = r.typed;
  cols.strings[s + S.protocol] = pool.id(typed?.protocol);
  cols.strings[s + S.kind] = pool.id(typed?.kind);
  cols.strings[s + S.dropCode] = pool.id(typed?.drop?.code);
  cols.strings[s + S.dropText] = pool.id(typed?.drop?.text);
  cols.strings[s + S.code] = pool.id(typed?.code);
  const l = i * LIST_SLOTS;
  cols.lists[l + L.protocols] = r.kind === 'packet' ? pool.list(r.protocols) : 0;
  cols.lists[l + L.layers] = pool.list(typed?.layers);
}

/** Packs records into columns (worker side). */
export function encodeRecordColumns(records: readonly TraceRecord[]): RecordColumns {
  const n = records.length;
  const cols: RecordColumns = {
    count: n,
    kind: new Uint8Array(n),
    t: new Float64Array(n),
    frameId: new Float64Array(n),
    strings: new Uint32Array(n * STRING_SLOTS),
    lists: new Uint32Array(n * LIST_SLOTS),
    text: new Uint8Array(0),
    textEnds: new Uint32Array(0),
    listItems: new Uint32Array(0),
    listEnds: new Uint32Array(0),
  };
  const pool = new Interner();
  records.forEach((r, i) => writeRecord(cols, i, r, pool));
  return { ...cols, ...stringTable(pool.strings), ...listTable(pool.lists) };
}

function stringTable(strings: readonly string[]): Pick<RecordColumns, 'text' | 'textEnds'> {
  const encoder = new TextEncoder();
  const parts = strings.map((s) => encoder.encode(s));
  const textEnds = new Uint32Array(parts.length);
  let end = 0;
  parts.forEach((p, i) => (textEnds[i] = end += p.length));
  const text = new Uint8Array(end);
  parts.forEach((p, i) => text.set(p, i === 0 ? 0 : at(textEnds, i - 1)));
  return { text, textEnds };
}

function listTable(lists: readonly number[][]): Pick<RecordColumns, 'listItems' | 'listEnds'> {
  const listEnds = new Uint32Array(lists.length);
  let end = 0;
  lists.forEach((l, i) => (listEnds[i] = end += l.length));
  return { listItems: Uint32Array.from(lists.flat()), listEnds };
}

/** The buffers to hand to `postMessage`'s transfer list (comlink `transfer`). */
export function transferables(cols: RecordColumns): ArrayBuffer[] {
  const arrays = [cols.kind, cols.t, cols.frameId, cols.strings, cols.lists, cols.text, cols.textEnds];
  return [...arrays, cols.listItems, cols.listEnds].map((a) => a.buffer as ArrayBuffer);
}

/** Reads records out of columns on the page, one at a time, decoding each string once. */
export class RecordColumnsReader {
  private readonly decoded: (string | undefined)[];
  private readonly decodedLists: (string[] | undefined)[];
  private readonly decoder = new TextDecoder();
  private readonly cols: RecordColumns;

  constructor(cols: RecordColumns) {
    this.cols = cols;
    this.decoded = new Array<string | undefined>(cols.textEnds.length);
    this.decodedLists = new Array<string[] | undefined>(cols.listEnds.length);
  }

  get count(): number {
    return this.cols.count;
  }

  recordAt(i: number): TraceRecord {
    const c = this.cols;
    const s = i * STRING_SLOTS;
    const str = (slot: number): string | undefined => this.string(at(c.strings, s + slot));
    const base = { t: at(c.t, i), device: str(S.device) ?? '' };
    const typed = this.typedAt(i, str);
    const withTyped = typed ? { typed } : {};
    switch (KINDS[at(c.kind, i)]) {
      case 'packet':
        return { ...this.packetAt(i, base, str), ...withTyped };
      case 'log':
        return {
          kind: 'log',
          ...base,
          level: str(S.a) as 'syslog' | 'debug',
          text: str(S.b) ?? '',
          ...withTyped,
        };
      case 'state':
        return { kind: 'state', ...base, what: str(S.a) ?? '', detail: str(S.b) ?? '', ...withTyped };
      default:
        return { kind: 'problem', ...base, ...this.problemOf(str), ...withTyped };
    }
  }

  /** Every record, in order (for callers that keep the whole batch). */
  all(): TraceRecord[] {
    return Array.from({ length: this.cols.count }, (_, i) => this.recordAt(i));
  }

  private problemOf(str: (slot: number) => string | undefined): {
    problem: 'event-flood' | 'recursion' | 'exception';
    message: string;
  } {
    return { problem: str(S.a) as 'event-flood' | 'recursion' | 'exception', message: str(S.b) ?? '' };
  }

  private packetAt(
    i: number,
    base: { t: number; device: string },
    str: (slot: number) => string | undefined,
  ): TraceRecord {
    const c = this.cols;
    const optional = (key: string, v: string | undefined): Record<string, string> =>
      v === undefined ? {} : { [key]: v };
    return {
      kind: 'packet',
      ...base,
      event: str(S.a) as 'sent',
      ...optional('iface', str(S.b)),
      ...optional('link', str(S.c)),
      frameId: at(c.frameId, i),
      protocols: this.list(at(c.lists, i * LIST_SLOTS + L.protocols)) ?? [],
      summary: str(S.d) ?? '',
      ...optional('reason', str(S.e)),
      ...optional('overlayPeer', str(S.f)),
    };
  }

  private typedAt(i: number, str: (slot: number) => string | undefined): EventClass | undefined {
    const kind = str(S.kind);
    if (kind === undefined) return undefined;
    const dropCode = str(S.dropCode);
    const code = str(S.code);
    return {
      protocol: str(S.protocol) ?? '',
      layers: this.list(at(this.cols.lists, i * LIST_SLOTS + L.layers)) ?? [],
      kind: kind as EventKind,
      ...(dropCode === undefined
        ? {}
        : { drop: { code: dropCode as DropCode, text: str(S.dropText) ?? '' } }),
      ...(code === undefined ? {} : { code }),
    };
  }

  private string(id: number): string | undefined {
    if (id === 0) return undefined;
    const cached = this.decoded[id - 1];
    if (cached !== undefined) return cached;
    const ends = this.cols.textEnds;
    const start = id === 1 ? 0 : at(ends, id - 2);
    const s = this.decoder.decode(this.cols.text.subarray(start, at(ends, id - 1)));
    this.decoded[id - 1] = s;
    return s;
  }

  /**
   * A list decoded once per batch: its records share it, as they share its strings (a realtime batch's packets
   * mostly carry a few protocol stacks; decoding each record's own copy was a tenth of the page's decode time).
   */
  private list(id: number): string[] | undefined {
    if (id === 0) return undefined;
    const cached = this.decodedLists[id - 1];
    if (cached !== undefined) return cached;
    const ends = this.cols.listEnds;
    const start = id === 1 ? 0 : at(ends, id - 2);
    const list = Array.from(
      this.cols.listItems.subarray(start, at(ends, id - 1)),
      (s) => this.string(s) ?? '',
    );
    this.decodedLists[id - 1] = list;
    return list;
  }
}
