import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { eventRow, rowMatches } from './format';
import { LEGEND, encapsulation, matchesProtocols, protocolColor, protocolName } from './hops';
import { useSim } from './store';

/** Rows drawn at most; the store keeps TRACE_WINDOW records for filtering and the packet animation. */
const MAX_ROWS = 300;

function download(data: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function EventList() {
  const trace = useSim((s) => s.trace);
  const total = useSim((s) => s.traceTotal);
  const exportPcap = useSim((s) => s.exportPcap);
  const exportKeylog = useSim((s) => s.exportKeylog);
  const hasLab = useSim((s) => s.lab !== undefined);
  const protocols = useSim((s) => s.protocols);
  const selectedSeq = useSim((s) => s.selectedSeq);
  const inspect = useSim((s) => s.inspect);
  const mode = useSim((s) => s.mode);
  const eventTime = useSim((s) => s.eventTime);
  const [filter, setFilter] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  // Follow new events unless the user scrolled up to read older ones.
  const stick = useRef(true);

  const rows = useMemo(() => {
    const all = trace
      .filter((e) => matchesProtocols(e.record, protocols))
      .map((e) => ({ seq: e.seq, t: e.record.t, layers: layersOf(e.record), row: eventRow(e.record) }));
    return all.filter((r) => rowMatches(r.row, filter)).slice(-MAX_ROWS);
  }, [trace, filter, protocols]);

  const current = mode === 'simulation' ? eventTime : undefined;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const row = current !== undefined ? el.querySelector('tr.current') : null;
    if (row) row.scrollIntoView({ block: 'nearest' });
    else if (stick.current) el.scrollTop = el.scrollHeight;
  }, [rows, current]);

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
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
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
            {rows.map(({ seq, t, layers, row }) => (
              <tr
                key={seq}
                className={[
                  `ev-${row.event}`,
                  seq === selectedSeq ? 'selected' : '',
                  current !== undefined && t === current ? 'current' : '',
                ].join(' ')}
                tabIndex={0}
                aria-selected={seq === selectedSeq}
                onClick={() => void inspect(seq)}
                onKeyDown={(e) => onRowKey(e, seq)}
              >
                <td className="num">{row.time}</td>
                <td title={row.device}>{row.device}</td>
                <td>{row.event}</td>
                <td title={row.protocols}>
                  {layers.map((p, i) => (
                    <span key={i} className="proto-chip" style={{ background: protocolColor(p) }}>
                      {protocolName(p)}
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

function layersOf(r: Parameters<typeof eventRow>[0]): string[] {
  return r.kind === 'packet' ? encapsulation(r.protocols) : [];
}

/** Protocol filter, as Packet Tracer's event list filters: applies to the list and to "next event". */
function ProtocolFilter() {
  const protocols = useSim((s) => s.protocols);
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
        aria-label="Protocol filter"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {protocols.length === 0 ? 'All protocols' : protocols.map(protocolName).join(', ')} ▾
      </button>
      {open && (
        <fieldset className="protocol-menu">
          <legend className="visually-hidden">Protocols shown</legend>
          {LEGEND.map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={protocols.includes(p)} onChange={() => toggle(p)} />
              <span className="swatch" style={{ background: protocolColor(p) }} aria-hidden="true" />
              {protocolName(p)}
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
