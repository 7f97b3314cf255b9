import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { WINDOWED_ABOVE, filterDevices, rowWindow, scrollToShow } from './device-window';
import type { DeviceView } from '../worker/protocol';
import { useSim } from './store';

export function DevicePanel() {
  const devices = useSim((s) => s.lab?.devices);
  const selected = useSim((s) => s.selected);
  const device = devices?.find((d) => d.name === selected);
  // The list changes only with the lab's devices (a refreshed view of the same lab keeps it as it is).
  const list = useSim((s) => deviceList(s.lab?.devices));

  return (
    <aside className="panel side">
      <nav aria-labelledby="devices-heading" className="devices-nav">
        <h2 id="devices-heading" className="panel-title">
          Devices
        </h2>
        <DeviceList list={list} selected={selected} />
      </nav>
      {device && <Interfaces device={device} />}
    </aside>
  );
}

const lists = new WeakMap<readonly DeviceView[], string>();

/** `name<TAB>role` lines, computed once per lab view (the store calls selectors at every update). */
function deviceList(devices: readonly DeviceView[] | undefined): string {
  if (!devices) return '';
  let list = lists.get(devices);
  if (list === undefined) {
    list = devices.map((d) => `${d.name}\t${d.role}`).join('\n');
    lists.set(devices, list);
  }
  return list;
}

interface DeviceRow {
  readonly name: string;
  readonly role: string;
}

/** Height of a row of the windowed list, px (styles.css `.device-list.windowed > li`). */
const ROW_PX = 30;

/** The device buttons, from `name<TAB>role` lines: every one, or in a big lab only those in view. */
const DeviceList = memo(function DeviceList({ list, selected }: { list: string; selected?: string }) {
  const rows = useMemo(() => parseRows(list), [list]);
  if (rows.length > WINDOWED_ABOVE) return <WindowedDeviceList rows={rows} selected={selected} />;
  return (
    <ul className="device-list">
      {rows.map((r) => (
        <DeviceItem key={r.name} row={r} selected={r.name === selected} />
      ))}
    </ul>
  );
});

function parseRows(list: string): DeviceRow[] {
  if (list === '') return [];
  return list.split('\n').map((line) => {
    const [name = '', role = ''] = line.split('\t');
    return { name, role };
  });
}

function DeviceItem({ row, selected }: { row: DeviceRow; selected: boolean }) {
  const select = useSim((s) => s.select);
  return (
    <li>
      <button
        type="button"
        className={selected ? 'device-button selected' : 'device-button'}
        aria-pressed={selected}
        onClick={() => select(row.name)}
      >
        <span className={`device-icon ${row.role}`} aria-hidden="true" />
        {row.name}
      </button>
    </li>
  );
}

/**
 * A big lab's device list (issue 18): a filter by name, and a scroll box that renders only the rows in view
 * (5,000 buttons took a noticeable part of a 5,000-spoke lab's load). The box publishes how many devices it
 * lists and the last one's name (`data-count`, `data-last`) for tests and the page benchmark.
 */
function WindowedDeviceList({ rows, selected }: { rows: readonly DeviceRow[]; selected?: string }) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterDevices(rows, query), [rows, query]);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    return () => resize.disconnect();
  }, []);
  // A device selected elsewhere (the topology, a console) is scrolled into view.
  useEffect(() => {
    const el = box.current;
    const index = shown.findIndex((r) => r.name === selected);
    if (!el || index < 0) return;
    const top = scrollToShow(index, el.scrollTop, el.clientHeight, ROW_PX);
    if (top !== el.scrollTop) el.scrollTop = top;
  }, [selected, shown]);
  const { first, last } = rowWindow(view.top, view.height, ROW_PX, shown.length);
  return (
    <>
      <input
        type="search"
        className="device-filter"
        aria-label="Find device"
        placeholder={`Find a device (${rows.length})`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div
        ref={box}
        className="device-scroll"
        data-testid="device-list"
        data-count={shown.length}
        data-last={shown[shown.length - 1]?.name ?? ''}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        <ul
          className="device-list windowed"
          style={{ height: shown.length * ROW_PX, paddingTop: first * ROW_PX }}
        >
          {shown.slice(first, last).map((r) => (
            <DeviceItem key={r.name} row={r} selected={r.name === selected} />
          ))}
        </ul>
        {shown.length === 0 && <p className="muted">No device named “{query.trim()}”.</p>}
      </div>
    </>
  );
}

function Interfaces({ device }: { device: DeviceView }) {
  return (
    <section className="interfaces" aria-labelledby="interfaces-heading">
      <h2 id="interfaces-heading" className="panel-title">
        Interfaces — {device.name}
      </h2>
      {device.interfaces.length === 0 ? (
        <p className="muted">No interfaces.</p>
      ) : (
        <ul className="iface-list">
          {device.interfaces.map((i) => (
            <li key={i.name} title={`${i.name}: ${i.status}, line protocol ${i.protocol}`}>
              <span className={`dot ${statusClass(i.status, i.protocol)}`} aria-hidden="true" />
              <span className="iface-name">{i.short}</span>
              <span className="iface-status">
                {i.status === 'administratively down' ? 'admin down' : i.status}
              </span>
              <span className="iface-addr">{i.address ?? 'unassigned'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function statusClass(status: string, protocol: string): string {
  if (status === 'administratively down') return 'admin-down';
  return status === 'up' && protocol === 'up' ? 'up' : 'down';
}
