import type { DeviceView } from '../worker/protocol';
import { useSim } from './store';

export function DevicePanel() {
  const devices = useSim((s) => s.lab?.devices);
  const selected = useSim((s) => s.selected);
  const select = useSim((s) => s.select);
  const device = devices?.find((d) => d.name === selected);

  return (
    <aside className="panel side">
      <nav aria-labelledby="devices-heading">
        <h2 id="devices-heading" className="panel-title">
          Devices
        </h2>
        <ul className="device-list">
          {devices?.map((d) => (
            <li key={d.name}>
              <button
                type="button"
                className={d.name === selected ? 'device-button selected' : 'device-button'}
                aria-pressed={d.name === selected}
                onClick={() => select(d.name)}
              >
                <span className={`device-icon ${d.role}`} aria-hidden="true" />
                {d.name}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {device && <Interfaces device={device} />}
    </aside>
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
