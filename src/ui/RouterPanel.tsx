import { useMemo, useState } from 'react';
import { ConfigEditor } from './ConfigEditor';
import { DeviceConsole } from './ConsolePanel';
import type { RouterViewInfo } from '../worker/protocol';
import { LiveState, ROUTES_VIEW } from './LiveState';
import { useSim } from './store';
import { arrowKeysBetweenTabs } from './tab-keys';

interface RouterTab {
  readonly id: string;
  readonly label: string;
  /** A live tab; the console and the config editor have none. */
  readonly view?: RouterViewInfo;
}

const CORE_TABS: readonly RouterTab[] = [
  { id: 'console', label: 'Console' },
  { id: 'config', label: 'Config' },
  { id: ROUTES_VIEW.id, label: ROUTES_VIEW.label, view: ROUTES_VIEW },
];
const NO_VIEWS: readonly RouterViewInfo[] = [];

/** The core tabs, then one per protocol view the worker lists (each protocol descriptor's `routerViews`). */
function routerTabs(views: readonly RouterViewInfo[]): RouterTab[] {
  return [...CORE_TABS, ...views.map((v) => ({ id: v.id, label: v.label, view: v }))];
}

/** The selected router: its console, its running-config in an editor, and live state read as the lab runs. */
export function RouterPanel() {
  const device = useSim((s) => s.selected);
  const labSerial = useSim((s) => s.labSerial);
  const views = useSim((s) => s.lab?.routerViews ?? NO_VIEWS);
  const tabs = useMemo(() => routerTabs(views), [views]);
  const [chosen, setTab] = useState<string>('console');
  // A lab without the chosen protocol's tab falls back to the console.
  const current = tabs.find((t) => t.id === chosen) ?? tabs[0]!;
  const tab = current.id;

  const onKey = arrowKeysBetweenTabs(tabs, tab, setTab);

  return (
    <section className="panel console" aria-labelledby="console-heading">
      <div className="panel-title-row">
        <h2 id="console-heading" className="panel-title">
          Router{device ? ` — ${device}` : ''}
        </h2>
        <div className="tab-list router-tabs" role="tablist" aria-label="Router views" onKeyDown={onKey}>
          {tabs.map((t) => (
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
        ) : current.view ? (
          <LiveState key={`${labSerial}:${device}:${tab}`} device={device} view={current.view} />
        ) : null}
      </div>
    </section>
  );
}
