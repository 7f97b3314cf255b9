import { useEffect } from 'react';
import { ConsolePanel } from './ConsolePanel';
import { DevicePanel } from './DevicePanel';
import { EventList } from './EventList';
import { Header } from './Header';
import { ProblemsPanel } from './ProblemsPanel';
import { startDefaultLab } from './store';
import { Topology } from './Topology';

export function App() {
  useEffect(() => {
    startDefaultLab();
  }, []);

  return (
    <div className="app">
      <Header />
      <DevicePanel />
      <Topology />
      <ConsolePanel />
      <div className="bottom">
        <EventList />
        <ProblemsPanel />
      </div>
    </div>
  );
}
