import { FaultsPanel } from './FaultsPanel';
import { Inspector } from './Inspector';
import { MulticastPanel } from './MulticastPanel';
import { ProblemsPanel } from './ProblemsPanel';
import { type BottomTab, useSim } from './store';
import { arrowKeysBetweenTabs } from './tab-keys';

const TABS: readonly { id: BottomTab; label: string }[] = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'multicast', label: 'Multicast' },
  { id: 'faults', label: 'Faults' },
  { id: 'problems', label: 'Problems' },
];

/** The panel beside the event list: the packet inspector, the multicast view, or the scenario's problems. */
export function BottomTabs() {
  const tab = useSim((s) => s.bottomTab);
  const setTab = useSim((s) => s.setBottomTab);
  const faultCount = useSim((s) => s.faults.length);
  const problemCount = useSim((s) => s.loadProblems.length + (s.loadFailure ? 1 : 0) + (s.simError ? 1 : 0));

  const onKey = arrowKeysBetweenTabs(TABS, tab, setTab);

  return (
    <div className="bottom-tabs">
      <div className="tab-list" role="tablist" aria-label="Details" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'problems' && problemCount > 0 ? ` (${problemCount})` : ''}
            {t.id === 'faults' && faultCount > 0 ? ` (${faultCount})` : ''}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'inspector' && (
          <section className="panel" aria-label="Inspector">
            <Inspector />
          </section>
        )}
        {tab === 'multicast' && (
          <section className="panel" aria-label="Multicast">
            <MulticastPanel />
          </section>
        )}
        {tab === 'faults' && (
          <section className="panel" aria-label="Faults">
            <FaultsPanel />
          </section>
        )}
        {tab === 'problems' && <ProblemsPanel />}
      </div>
    </div>
  );
}
