import { useState } from 'react';
import type { FormEvent } from 'react';
import { shortInterfaceName } from '../worker/page-helpers';
import { useSim } from './store';
import { rpfMismatches } from './topology-sync';

export function MulticastPanel() {
  const source = useSim((s) => s.multicastSource);
  const group = useSim((s) => s.multicastGroup);
  const view = useSim((s) => s.multicast);
  const lab = useSim((s) => s.lab);
  const showRpf = useSim((s) => s.showRpf);
  const showTree = useSim((s) => s.showTree);
  const known = useSim((s) => s.knownMroutes);
  const setMulticast = useSim((s) => s.setMulticast);
  const setShowRpf = useSim((s) => s.setShowRpf);
  const setShowTree = useSim((s) => s.setShowTree);
  const setMroute = useSim((s) => s.setMroute);
  const [src, setSrc] = useState(source);
  const [grp, setGrp] = useState(group);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  // A lab just loaded brings its own rekey source and group: the form shows them (state adjusted while
  // rendering, React's pattern for state that follows a prop).
  const [asked, setAsked] = useState({ source, group });
  if (asked.source !== source || asked.group !== group) {
    setAsked({ source, group });
    setSrc(source);
    setGrp(group);
  }

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    setMulticast(src.trim(), grp.trim());
  }

  async function toggle(device: string, on: boolean): Promise<void> {
    setBusy(device);
    try {
      await setMroute(device, on);
    } finally {
      setBusy(undefined);
    }
  }

  const spokes = [...known.keys()];
  const failures = lab ? rpfMismatches(lab, view) : [];
  return (
    <div className="multicast-panel" data-testid="multicast">
      <form className="mc-form" onSubmit={onSubmit}>
        <label className="field">
          <span>Source</span>
          <input
            value={src}
            onChange={(e) => setSrc(e.target.value)}
            aria-label="Multicast source"
            size={12}
          />
        </label>
        <label className="field">
          <span>Group</span>
          <input
            value={grp}
            onChange={(e) => setGrp(e.target.value)}
            aria-label="Multicast group"
            size={12}
          />
        </label>
        <button type="submit" className="button small">
          Show
        </button>
        <label className="check">
          <input type="checkbox" checked={showRpf} onChange={(e) => setShowRpf(e.target.checked)} />
          Draw RPF interfaces
        </label>
        <label className="check">
          <input type="checkbox" checked={showTree} onChange={(e) => setShowTree(e.target.checked)} />
          Draw tree
        </label>
      </form>
      <div className="mc-columns">
        <section className="mc-column" aria-label="Distribution tree and RPF check">
          <h3 className="mc-heading">Tree for {view?.group ?? group}</h3>
          {view && view.tree.length > 0 ? (
            <ul className="tree-list">
              {view.tree.map((t, i) => (
                <li key={i}>
                  {t.device} {t.entry} → {shortInterfaceName(t.iface)}
                  {t.nextHop ? ` (next hop ${t.nextHop})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small-text">No forwarding state for this group yet.</p>
          )}
          <h3 className="mc-heading">RPF check</h3>
          {failures.length === 0 ? (
            <p className="muted small-text">
              {view && view.tree.length > 0
                ? 'Every router receives the group on its RPF interface.'
                : 'Nothing to check until the group has a tree.'}
            </p>
          ) : (
            <ul className="rpf-failures" data-testid="rpf-failures">
              {failures.map((f) => (
                <li key={f.device}>
                  <strong>{f.device}</strong>: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="mc-column" aria-label="RPF interfaces and static mroutes">
          <h3 className="mc-heading">RPF towards {view?.source ?? source}</h3>
          <table className="rpf-table" data-testid="rpf-table">
            <tbody>
              {view?.rpf.map((r) => (
                <tr key={r.device}>
                  <th scope="row">{r.device}</th>
                  <td>{r.interface ? shortInterfaceName(r.interface) : 'no route'}</td>
                  <td>{r.neighbor ?? ''}</td>
                  <td className="muted">{r.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="mc-heading">Static mroutes</h3>
          {spokes.length === 0 ? (
            <p className="muted small-text">No router has an ip mroute line.</p>
          ) : (
            <ul className="mroute-list">
              {spokes.map((device) => {
                const lines = view?.mroutes.find((m) => m.device === device)?.lines ?? [];
                const on = lines.length > 0;
                const line = (on ? lines : known.get(device))?.join('; ') ?? '';
                return (
                  <li key={device}>
                    <button
                      type="button"
                      role="switch"
                      aria-checked={on}
                      aria-label={`${device} ip mroute`}
                      className={on ? 'switch on' : 'switch'}
                      disabled={busy !== undefined}
                      onClick={() => void toggle(device, !on)}
                    >
                      <span className="knob" aria-hidden="true" />
                    </button>
                    <span className="mc-device">{device}</span>
                    <code className={on ? '' : 'removed'}>{line}</code>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
