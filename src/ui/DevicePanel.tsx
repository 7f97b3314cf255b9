import { memo } from 'react';
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
      <nav aria-labelledby="devices-heading">
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

/** The device buttons, from `name<TAB>role` lines. */
const DeviceList = memo(function DeviceList({ list, selected }: { list: string; selected?: string }) {
  const select = useSim((s) => s.select);
  return (
    <ul className="device-list">
      {list === ''
        ? null
        : list.split('\n').map((line) => {
            const [name = '', role = ''] = line.split('\t');
            return (
              <li key={name}>
                <button
                  type="button"
                  className={name === selected ? 'device-button selected' : 'device-button'}
                  aria-pressed={name === selected}
                  onClick={() => select(name)}
                >
                  <span className={`device-icon ${role}`} aria-hidden="true" />
                  {name}
                </button>
              </li>
            );
          })}
    </ul>
  );
});

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
