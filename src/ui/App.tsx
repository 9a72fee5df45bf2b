import { Alerts } from './Alerts.tsx';
import { BlockTable } from './BlockTable.tsx';
import { Controls } from './Controls.tsx';
import { Inspector } from './Inspector.tsx';
import { Legend } from './Legend.tsx';
import { MapCanvas } from './map/MapCanvas.tsx';
import { Narration } from './Narration.tsx';
import { Summary } from './Summary.tsx';
import { useApp } from './store-context.tsx';
import { WorkerAlert } from './WorkerAlert.tsx';
import { Demos } from './Demos.tsx';
import { ScenarioEditor } from './ScenarioEditor.tsx';
import { ShareBar } from './ShareBar.tsx';

export function App() {
  const table = useApp((s) => s.view.table);
  const setView = useApp((s) => s.setView);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Memmap Explorer</h1>
        <p className="tagline">
          Where Linux puts the <code>struct page</code> array of hot-added memory: in existing RAM,
          or inside the new memory itself (<code>memmap_on_memory</code>), era by era.
        </p>
        <ShareBar />
      </header>
      <WorkerAlert />
      <Alerts />
      <main className="layout">
        <section className="panel controls" aria-label="Controls">
          <h2>Scenario</h2>
          <Demos />
          <Controls />
          <ScenarioEditor />
        </section>
        <div className="center">
          <section className="panel map" aria-label="Map">
            <div className="map-toolbar">
              <h2>Physical memory map</h2>
              <button
                type="button"
                className="secondary small"
                aria-pressed={table}
                onClick={() => setView({ table: !table })}
              >
                {table ? 'Map view' : 'Table view'}
              </button>
            </div>
            {table ? <BlockTable /> : <MapCanvas />}
            <Legend />
          </section>
          <section className="panel narration" aria-label="Narration">
            <h2 className="visually-hidden">What the kernel did</h2>
            <Narration />
          </section>
        </div>
        <section className="panel summary-panel" aria-label="Summary panel">
          <h2>Summary</h2>
          <Summary />
          <h2>Inspector</h2>
          <Inspector />
        </section>
      </main>
    </div>
  );
}
