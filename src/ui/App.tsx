import { WorkerAlert } from './WorkerAlert.tsx';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Memmap Explorer</h1>
        <p className="tagline">
          Where Linux puts the <code>struct page</code> array of hot-added memory: in existing RAM,
          or inside the new memory itself (<code>memmap_on_memory</code>), era by era.
        </p>
      </header>
      <WorkerAlert />
      <main className="layout">
        <section className="panel controls" aria-label="Controls">
          <h2>Scenario</h2>
        </section>
        <section className="panel map" aria-label="Map">
          <h2 className="visually-hidden">Physical memory map</h2>
        </section>
        <section className="panel summary-panel" aria-label="Summary panel">
          <h2>Summary</h2>
        </section>
        <section className="panel narration" aria-label="Narration">
          <h2>What the kernel did</h2>
        </section>
      </main>
    </div>
  );
}
