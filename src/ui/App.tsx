import { useRef } from 'react';
import { BlockTable } from './BlockTable.tsx';
import { Comparison } from './Comparison.tsx';
import { ExportBar } from './ExportBar.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { KernelViews } from './KernelViews.tsx';
import { QemuPanel } from './QemuPanel.tsx';
import { ScenarioEditor } from './ScenarioEditor.tsx';
import { Alerts } from './Alerts.tsx';
import { CompareBar, SideCaption } from './CompareBar.tsx';
import { Controls } from './Controls.tsx';
import { DemoCaption } from './DemoCaption.tsx';
import { Demos } from './Demos.tsx';
import { GridCanvas } from './grid/GridCanvas.tsx';
import type { FrameInputs } from './grid/export.ts';
import { Inspector } from './Inspector.tsx';
import { Narration } from './Narration.tsx';
import { ShareBar } from './ShareBar.tsx';
import { useApp, useAppStoreApi } from './store-context.tsx';
import { Summary } from './Summary.tsx';
import { WorkerAlert } from './WorkerAlert.tsx';

/** The maps: one, or A and B side by side in compare mode (stacked on a phone). */
function Maps({ frameRef }: { frameRef: React.RefObject<FrameInputs | null> }) {
  const comparing = useApp((s) => s.compare !== null);
  if (!comparing) return <GridCanvas frameRef={frameRef} />;
  return (
    <div className="compare-maps">
      <div className="compare-side" data-side="a">
        <SideCaption side="a" />
        <GridCanvas side="a" label="Memory map A" />
      </div>
      <div className="compare-side" data-side="b">
        <SideCaption side="b" />
        <GridCanvas side="b" label="Memory map B" frameRef={frameRef} />
      </div>
    </div>
  );
}

/** The embed link's page: the map alone, still interactive, with a way back to the explorer. */
function Embed() {
  const store = useAppStoreApi();
  const title = useApp((s) => s.scenario.title);
  const frameRef = useRef<FrameInputs | null>(null);
  return (
    <main className="embed" aria-label="Memory map">
      <p className="embed-head">
        <strong>{title ?? 'Memmap Explorer'}</strong>{' '}
        <a href={store.getState().shareUrl({ embed: false })} target="_blank" rel="noreferrer">
          Open in Memmap Explorer
        </a>
      </p>
      <WorkerAlert />
      <Maps frameRef={frameRef} />
    </main>
  );
}

export function App() {
  const table = useApp((s) => s.view.table);
  const embed = useApp((s) => s.view.embed);
  const comparing = useApp((s) => s.compare !== null);
  const setView = useApp((s) => s.setView);
  const frameRef = useRef<FrameInputs | null>(null);
  if (embed) return <Embed />;
  return (
    <div className={`app${comparing ? ' comparing' : ''}`}>
      <header className="app-header">
        <h1>Memmap Explorer</h1>
        <p className="tagline">
          Where Linux puts the <code>struct page</code> array of hot-added memory: in existing RAM,
          or inside the new memory itself (<code>memmap_on_memory</code>), kernel by kernel.
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
          <div className="tool-row">
            <ImportDialog />
          </div>
          <ScenarioEditor />
        </section>
        <div className="center">
          <section className="panel map" aria-label="Map">
            <div className="map-toolbar">
              <h2>Physical memory map</h2>
              <CompareBar />
              <button
                type="button"
                className="secondary small"
                aria-pressed={table}
                onClick={() => setView({ table: !table })}
              >
                {table ? 'Map view' : 'Table view'}
              </button>
            </div>
            <DemoCaption />
            {table ? <BlockTable /> : <Maps frameRef={frameRef} />}
            {!table && <ExportBar frameRef={frameRef} />}
            {comparing && <Comparison />}
          </section>
          <section className="panel narration" aria-label="Narration">
            <h2 className="visually-hidden">What the kernel did</h2>
            <Narration />
          </section>
          <section className="panel tools" aria-label="Kernel views and QEMU">
            <h2 className="visually-hidden">Check it on a real kernel</h2>
            <KernelViews />
            <QemuPanel />
          </section>
        </div>
        <section className="panel summary-panel" aria-label="Summary panel">
          <h2>Summary{comparing ? ' (B)' : ''}</h2>
          <Summary />
          <h2>Inspector</h2>
          <Inspector />
        </section>
      </main>
    </div>
  );
}
