import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { download } from './download';
import { listedRows } from './format';
import { useSim } from './store';
import type { EventKind } from '../worker/protocol';

/** What the Event column adds for the worker's notable kinds. */
const KIND_LABELS: ReadonlyMap<EventKind, string> = new Map<EventKind, string>([
  ['registration', 'registration'],
  ['rekey-sent', 'rekey sent'],
  ['rekey-received', 'rekey received'],
  ['key-installed', 'keys installed'],
  ['rpf-drop', 'RPF drop'],
  ['config-change', 'config change'],
  ['adjacency-up', 'adjacency up'],
  ['adjacency-down', 'adjacency down'],
]);

/** Rows listed at most; the store keeps TRACE_WINDOW records for filtering and the packet animation. */
const MAX_ROWS = 300;
/** Rows put in the document beyond those scrolled into view, above and below. */
const OVERSCAN = 12;
/** A row's height before one has been measured (12 px type, 2 px padding, 1 px line). */
const DEFAULT_ROW_PX = 21;
/** Beyond any list's end: scrolling there stops at the end. */
const END_OF_LIST_PX = 10_000_000;

export function EventList() {
  const trace = useSim((s) => s.trace);
  const wire = useSim((s) => s.wire);
  const total = useSim((s) => s.traceTotal);
  const exportPcap = useSim((s) => s.exportPcap);
  const exportKeylog = useSim((s) => s.exportKeylog);
  const hasLab = useSim((s) => s.lab !== undefined);
  const protocols = useSim((s) => s.protocols);
  const selectedSeq = useSim((s) => s.selectedSeq);
  const inspect = useSim((s) => s.inspect);
  const mode = useSim((s) => s.mode);
  const eventTime = useSim((s) => s.eventTime);
  const stepSeqs = useSim((s) => s.stepSeqs);
  const stepNote = useSim((s) => s.stepNote);
  const inStep = useMemo(() => new Set(stepSeqs), [stepSeqs]);
  const [filter, setFilter] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  // Follow new events unless the user scrolled up to read older ones.
  const [stick, setStick] = useState(true);
  // Only the rows scrolled into view are in the document (a busy lab replaces the whole list several times a
  // second): the scroll position and the list's height pick them.
  const [view, setView] = useState({ top: 0, height: 0 });
  // Measured once per type size (projector mode): rows of slightly different heights would otherwise move the
  // window at each measure, and the window the measure.
  const projector = useSim((s) => s.projector);
  const [measure, setMeasure] = useState<{ projector: boolean; px: number; head: number } | undefined>(
    undefined,
  );
  const rowPx = measure?.projector === projector ? measure.px : DEFAULT_ROW_PX;
  const headPx = measure?.projector === projector ? measure.head : DEFAULT_ROW_PX;

  const rows = useMemo(() => listedRows(trace, protocols, filter, MAX_ROWS), [trace, filter, protocols]);

  const current = mode === 'simulation' ? eventTime : undefined;
  // Following the newest rows: the window is the list's end, before the scroll position catches up with them.
  const atEnd = stick && current === undefined;
  const shown = Math.ceil(view.height / rowPx) + OVERSCAN;
  const first = atEnd
    ? Math.max(0, rows.length - shown)
    : Math.max(0, Math.floor(view.top / rowPx) - OVERSCAN);
  const last = atEnd ? rows.length : Math.min(rows.length, first + shown + OVERSCAN);

  // The list's height, from the browser's layout pass (reading it after each update would force one).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      setView((v) => (v.height === el.clientHeight ? v : { ...v, height: el.clientHeight })),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (measure?.projector !== projector) {
      const row = el.querySelector('tbody tr')?.getBoundingClientRect().height;
      const head = el.querySelector('thead')?.getBoundingClientRect().height ?? 0;
      if (row !== undefined && row > 0) setMeasure({ projector, px: row, head });
    }
    // The current step's first row (simulation mode), else the first row at the current event's time.
    const at =
      current === undefined
        ? -1
        : inStep.size > 0
          ? rows.findIndex((r) => inStep.has(r.seq))
          : rows.findIndex((r) => r.t === current);
    if (at >= 0) {
      // The current event's row, scrolled into view as `scrollIntoView({ block: 'nearest' })` would.
      const top = at * rowPx;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowPx + headPx > el.scrollTop + el.clientHeight)
        el.scrollTop = top + rowPx + headPx - el.clientHeight;
      if (Math.abs(el.scrollTop - view.top) > 1) setView((v) => ({ ...v, top: el.scrollTop }));
    } else if (stick) {
      // To the end, without reading the layout back (the browser stops at the end); the window follows the
      // list's end by itself, and a scroll by the user reports where it went.
      el.scrollTop = END_OF_LIST_PX;
    }
  }, [rows, current, inStep, rowPx, headPx, view, stick, measure, projector]);

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, seq: number): void {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void inspect(seq);
    }
  }

  return (
    <section className="panel events" aria-labelledby="events-heading">
      <div className="panel-title-row">
        <h2 id="events-heading" className="panel-title">
          Events
        </h2>
        <span className="muted small-text">
          {total > trace.length ? `last ${trace.length} of ${total}` : `${total}`} records
        </span>
        <ProtocolFilter />
        <input
          className="filter"
          type="search"
          placeholder="Filter (device, protocol, text)"
          aria-label="Filter events"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button
          type="button"
          className="button small"
          onClick={() =>
            void exportPcap().then((b) =>
              download(b as Uint8Array<ArrayBuffer>, 'application/vnd.tcpdump.pcap', 'getlab.pcap'),
            )
          }
          disabled={!hasLab}
        >
          Export pcap
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => void exportKeylog().then((k) => download(k, 'text/plain', 'esp_sa'))}
          disabled={!hasLab}
          title="ESP keys in Wireshark's esp_sa format"
        >
          Keylog
        </button>
      </div>
      <div
        className="table-scroll"
        ref={scrollRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          const bottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
          if (bottom !== stick) setStick(bottom);
          if (Math.abs(el.scrollTop - view.top) > 1) setView((v) => ({ ...v, top: el.scrollTop }));
        }}
      >
        <div style={{ height: first * rowPx }} aria-hidden="true" />
        <table className="event-table" data-testid="events">
          <thead>
            <tr>
              <th scope="col" className="col-time">
                Time (s)
              </th>
              <th scope="col" className="col-device">
                Device
              </th>
              <th scope="col" className="col-event">
                Event
              </th>
              <th scope="col" className="col-protocols">
                Protocols
              </th>
              <th scope="col" className="col-summary">
                Summary
              </th>
              <th scope="col" className="col-reason">
                Reason
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(first, last).map(({ seq, t, layers, kind, row }) => (
              <tr
                key={seq}
                data-seq={seq}
                data-kind={kind}
                className={[
                  `ev-${row.event}`,
                  `kind-${kind}`,
                  seq === selectedSeq ? 'selected' : '',
                  current !== undefined && (inStep.size > 0 ? inStep.has(seq) : t === current)
                    ? 'current'
                    : '',
                ].join(' ')}
                tabIndex={0}
                aria-selected={seq === selectedSeq}
                onClick={() => void inspect(seq)}
                onKeyDown={(e) => onRowKey(e, seq)}
              >
                <td className="num">{row.time}</td>
                <td title={row.device}>{row.device}</td>
                <td>
                  {row.event}
                  {KIND_LABELS.has(kind) && <span className="kind-tag"> · {KIND_LABELS.get(kind)}</span>}
                </td>
                <td title={row.protocols}>
                  {layers.map((p, i) => (
                    <span key={i} className="proto-chip" style={{ background: wire.color(p) }}>
                      {wire.name(p)}
                    </span>
                  ))}
                </td>
                <td className="summary" title={row.summary}>
                  {row.summary}
                </td>
                <td className="reason" title={row.reason}>
                  {row.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div style={{ height: (rows.length - last) * rowPx }} aria-hidden="true" />
        {stepNote !== undefined && mode === 'simulation' && (
          <p className="muted pad" role="status">
            {stepNote}
          </p>
        )}
        {rows.length === 0 && (
          <p className="muted pad">
            {trace.length === 0
              ? 'No events yet: press Play or Step, or run a command.'
              : 'No event matches.'}
          </p>
        )}
      </div>
    </section>
  );
}

/** Protocol filter, as Packet Tracer's event list filters: applies to the list and to "next event". */
function ProtocolFilter() {
  const protocols = useSim((s) => s.protocols);
  const wire = useSim((s) => s.wire);
  const toggle = useSim((s) => s.toggleProtocol);
  const clear = useSim((s) => s.clearProtocols);
  const [open, setOpen] = useState(false);
  return (
    <div
      className="protocol-filter"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button
        type="button"
        className="button small"
        // The visible choice is part of the name (WCAG 2.5.3 Label in Name; axe label-content-name-mismatch).
        aria-label={`Protocol filter: ${protocols.length === 0 ? 'All protocols' : protocols.map(wire.name).join(', ')}`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {protocols.length === 0 ? 'All protocols' : protocols.map(wire.name).join(', ')} ▾
      </button>
      {open && (
        <fieldset className="protocol-menu">
          <legend className="visually-hidden">Protocols shown</legend>
          {wire.legend.map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={protocols.includes(p)} onChange={() => toggle(p)} />
              <span className="swatch" style={{ background: wire.color(p) }} aria-hidden="true" />
              {wire.name(p)}
            </label>
          ))}
          <button type="button" className="button small" onClick={clear}>
            Show all
          </button>
        </fieldset>
      )}
    </div>
  );
}
