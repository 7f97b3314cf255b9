import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { eventRow, rowMatches } from './format';
import { useSim } from './store';

/** Rows drawn at most; the store keeps TRACE_WINDOW records for filtering and the packet animation. */
const MAX_ROWS = 300;

export function EventList() {
  const trace = useSim((s) => s.trace);
  const total = useSim((s) => s.traceTotal);
  const exportPcap = useSim((s) => s.exportPcap);
  const hasLab = useSim((s) => s.lab !== undefined);
  const [filter, setFilter] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  // Follow new events unless the user scrolled up to read older ones.
  const stick = useRef(true);

  const rows = useMemo(() => {
    const all = trace.map((e) => ({ seq: e.seq, row: eventRow(e.record) }));
    return all.filter((r) => rowMatches(r.row, filter)).slice(-MAX_ROWS);
  }, [trace, filter]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

  async function onExport(): Promise<void> {
    const bytes = await exportPcap();
    const url = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = 'getlab.pcap';
    a.click();
    URL.revokeObjectURL(url);
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
        <input
          className="filter"
          type="search"
          placeholder="Filter (device, protocol, text)"
          aria-label="Filter events"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="button" className="button small" onClick={() => void onExport()} disabled={!hasLab}>
          Export pcap
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
            {rows.map(({ seq, row }) => (
              <tr key={seq} className={`ev-${row.event}`}>
                <td className="num">{row.time}</td>
                <td title={row.device}>{row.device}</td>
                <td>{row.event}</td>
                <td title={row.protocols}>{row.protocols}</td>
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
