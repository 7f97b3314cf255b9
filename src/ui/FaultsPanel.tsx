import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import {
  type Fault,
  type LabRoles,
  drPriorityFault,
  joinGroupFault,
  ksStopFault,
  lossFault,
  mrouteFault,
  nbmaModeFault,
  rolesOf,
  shutFault,
} from './faults';
import { formatSeconds } from './format';
import { useSim } from './store';

const LOSS_CHOICES: readonly number[] = [0.1, 0.25, 0.5, 1];

/** Spokes listed one row each; a bigger lab picks its spoke from a list. */
const MAX_SPOKE_ROWS = 8;

interface Known {
  readonly roles: LabRoles;
  readonly configs: Readonly<Record<string, string>>;
}

/** One-click faults for teaching, applied through the console (or the link), each listed with its undo. */
export function FaultsPanel() {
  const lab = useSim((s) => s.lab);
  const faults = useSim((s) => s.faults);
  const runningConfig = useSim((s) => s.runningConfig);
  const applyFault = useSim((s) => s.applyFault);
  const undoFault = useSim((s) => s.undoFault);
  const configChanges = useSim((s) => s.configVersion);
  const [known, setKnown] = useState<Known | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const names = lab?.devices.map((d) => d.name).join(',') ?? '';

  // Roles and the lines each fault removes come from the running-configs, re-read after any config change.
  useEffect(() => {
    let cancelled = false;
    const order = names === '' ? [] : names.split(',');
    void (async () => {
      const configs: Record<string, string> = {};
      for (const d of order) configs[d] = await runningConfig(d).catch(() => '');
      if (!cancelled) setKnown({ roles: rolesOf(configs, order), configs });
    })();
    return () => {
      cancelled = true;
    };
  }, [names, runningConfig, configChanges]);

  async function run(fault: Fault | undefined, undo = false): Promise<void> {
    if (!fault) return;
    setBusy(true);
    try {
      if (undo) await undoFault(fault.id);
      else await applyFault(fault);
    } finally {
      setBusy(false);
    }
  }

  if (!lab || !known) return <p className="muted pad">Reading the routers' configs…</p>;
  const applied = new Map(faults.map((f) => [f.fault.id, f.fault]));
  const { roles, configs } = known;

  /** A fault switch: on when the fault is applied (undo puts the configuration back). */
  const toggle = (id: string, label: string, make: () => Fault | undefined) => {
    const on = applied.has(id);
    const fault = on ? applied.get(id) : make();
    return (
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={label}
        className={on ? 'switch on fault' : 'switch fault'}
        disabled={busy || fault === undefined}
        onClick={() => void run(fault, on)}
      >
        <span className="knob" aria-hidden="true" />
      </button>
    );
  };

  return (
    <div className="faults-panel" data-testid="faults">
      <div className="fault-groups">
        <table className="fault-table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Fault</th>
            </tr>
          </thead>
          <tbody>
            <SpokeRows roles={roles} configs={configs} toggle={toggle} />
            {roles.hubs.map((hub) => (
              <tr key={hub}>
                <th scope="row">{hub}</th>
                <td>
                  <label className="fault-item">
                    {toggle(`nbma-mode:${hub}`, `${hub} remove ip pim nbma-mode`, () =>
                      nbmaModeFault(hub, configs[hub] ?? ''),
                    )}
                    remove <code>ip pim nbma-mode</code>
                  </label>
                  {(applied.has(`dr-priority:${hub}`) || drPriorityFault(hub, configs[hub] ?? '')) && (
                    <label className="fault-item">
                      {toggle(`dr-priority:${hub}`, `${hub} remove ip pim dr-priority`, () =>
                        drPriorityFault(hub, configs[hub] ?? ''),
                      )}
                      remove <code>ip pim dr-priority</code>
                    </label>
                  )}
                </td>
              </tr>
            ))}
            {roles.keyServers.map((ks) => (
              <tr key={ks}>
                <th scope="row">{ks}</th>
                <td>
                  <label className="fault-item">
                    {toggle(`ks-stop:${ks}`, `${ks} stop the key server`, () =>
                      ksStopFault(ks, configs[ks] ?? ''),
                    )}
                    stop the key server (shut its interfaces)
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShutForm busy={busy} onApply={(f) => void run(f)} />
        <LossForm busy={busy} onApply={(f) => void run(f)} />
      </div>
      <h3 className="mc-heading">Applied faults ({faults.length})</h3>
      {faults.length === 0 ? (
        <p className="muted small-text">None: the lab is as its scenario configured it.</p>
      ) : (
        <ul className="fault-list" aria-label="Applied faults">
          {faults.map((f) => (
            <li key={f.fault.id}>
              <span className="muted">{formatSeconds(f.at).slice(0, -3)} s</span> <code>{f.fault.label}</code>
              <button
                type="button"
                className="button small"
                disabled={busy}
                aria-label={`Undo ${f.fault.label}`}
                onClick={() => void run(f.fault, true)}
              >
                Undo
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type Toggle = (id: string, label: string, make: () => Fault | undefined) => ReactNode;

function SpokeRows({
  roles,
  configs,
  toggle,
}: {
  roles: LabRoles;
  configs: Readonly<Record<string, string>>;
  toggle: Toggle;
}) {
  const [picked, setPicked] = useState(roles.spokes[0] ?? '');
  const many = roles.spokes.length > MAX_SPOKE_ROWS;
  const spokes = many ? roles.spokes.filter((s) => s === picked) : roles.spokes;
  return (
    <>
      {many && (
        <tr>
          <th scope="row">Spoke</th>
          <td>
            <select aria-label="Spoke for faults" value={picked} onChange={(e) => setPicked(e.target.value)}>
              {roles.spokes.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </td>
        </tr>
      )}
      {spokes.map((spoke) => (
        <tr key={spoke}>
          <th scope="row">{spoke}</th>
          <td className="fault-cells">
            <label className="fault-item">
              {toggle(`mroute:${spoke}`, `${spoke} remove ip mroute`, () =>
                mrouteFault(spoke, configs[spoke] ?? ''),
              )}
              remove <code>ip mroute</code>
            </label>
            <label className="fault-item">
              {toggle(`igmp-join:${spoke}`, `${spoke} remove ip igmp join-group`, () =>
                joinGroupFault(spoke, configs[spoke] ?? ''),
              )}
              remove <code>ip igmp join-group</code>
            </label>
          </td>
        </tr>
      ))}
    </>
  );
}

/** Shut one interface of any device. */
function ShutForm({ busy, onApply }: { busy: boolean; onApply: (f: Fault) => void }) {
  const devices = useSim((s) => s.lab?.devices ?? []);
  const [device, setDevice] = useState('');
  const [iface, setIface] = useState('');
  const d = devices.find((x) => x.name === device) ?? devices[0];
  const ifaces = d?.interfaces.filter((i) => i.status !== 'administratively down') ?? [];
  const chosen = ifaces.find((i) => i.name === iface) ?? ifaces[0];
  return (
    <div className="fault-form">
      <span className="fault-form-label">Shut an interface</span>
      <select
        aria-label="Device to shut an interface on"
        value={d?.name ?? ''}
        onChange={(e) => setDevice(e.target.value)}
      >
        {devices.map((x) => (
          <option key={x.name}>{x.name}</option>
        ))}
      </select>
      <select
        aria-label="Interface to shut"
        value={chosen?.name ?? ''}
        onChange={(e) => setIface(e.target.value)}
      >
        {ifaces.map((i) => (
          <option key={i.name} value={i.name}>
            {i.short}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button small"
        disabled={busy || !d || !chosen}
        onClick={() => d && chosen && onApply(shutFault(d.name, chosen.name))}
      >
        Shut
      </button>
    </div>
  );
}

/** Packet loss on a link. */
function LossForm({ busy, onApply }: { busy: boolean; onApply: (f: Fault) => void }) {
  const links = useSim((s) => s.lab?.links ?? []);
  const [linkId, setLinkId] = useState('');
  const [fraction, setFraction] = useState(0.5);
  const link = links.find((l) => l.id === linkId) ?? links[0];
  return (
    <div className="fault-form">
      <span className="fault-form-label">Packet loss</span>
      <select
        aria-label="Link for packet loss"
        value={link?.id ?? ''}
        onChange={(e) => setLinkId(e.target.value)}
      >
        {links.map((l) => (
          <option key={l.id} value={l.id}>
            {l.id}
            {l.loss > 0 ? ` (${Math.round(l.loss * 100)}% now)` : ''}
          </option>
        ))}
      </select>
      <select
        aria-label="Loss fraction"
        value={fraction}
        onChange={(e) => setFraction(Number(e.target.value))}
      >
        {LOSS_CHOICES.map((f) => (
          <option key={f} value={f}>
            {Math.round(f * 100)}%
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button small"
        disabled={busy || !link}
        onClick={() => link && onApply(lossFault(link.id, fraction, link.loss))}
      >
        Apply loss
      </button>
    </div>
  );
}
