import { useState } from 'react';
import { ConfigEditor } from './ConfigEditor';
import { DeviceConsole } from './ConsolePanel';
import { LiveState, type LiveTab } from './LiveState';
import { useSim } from './store';
import { arrowKeysBetweenTabs } from './tab-keys';

type RouterTab = 'console' | 'config' | LiveTab;

const TABS: readonly { id: RouterTab; label: string }[] = [
  { id: 'console', label: 'Console' },
  { id: 'config', label: 'Config' },
  { id: 'routes', label: 'Routes' },
  { id: 'nhrp', label: 'NHRP' },
  { id: 'pim', label: 'PIM' },
  { id: 'gdoi', label: 'GDOI' },
];

/** The selected router: its console, its running-config in an editor, and live state read as the lab runs. */
export function RouterPanel() {
  const device = useSim((s) => s.selected);
  const labSerial = useSim((s) => s.labSerial);
  const [tab, setTab] = useState<RouterTab>('console');

  const onKey = arrowKeysBetweenTabs(TABS, tab, setTab);

  return (
    <section className="panel console" aria-labelledby="console-heading">
      <div className="panel-title-row">
        <h2 id="console-heading" className="panel-title">
          Router{device ? ` — ${device}` : ''}
        </h2>
        <div className="tab-list router-tabs" role="tablist" aria-label="Router views" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`router-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="router-tabpanel"
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </div>
      <div
        className="router-tabpanel"
        role="tabpanel"
        id="router-tabpanel"
        aria-labelledby={`router-tab-${tab}`}
      >
        {/* Keyed so inputs, cursors and fetched state start fresh for each device and each loaded lab. */}
        {!device ? (
          <p className="muted pad">Select a device to open its console.</p>
        ) : tab === 'console' ? (
          <DeviceConsole key={`${labSerial}:${device}`} device={device} />
        ) : tab === 'config' ? (
          <ConfigEditor key={`${labSerial}:${device}`} device={device} />
        ) : (
          <LiveState key={`${labSerial}:${device}:${tab}`} device={device} tab={tab} />
        )}
      </div>
    </section>
  );
}
