/**
 * Take the map away: PNG (twice the size on screen), SVG (the grid as shapes), the scenario and
 * the whole result as JSON, and a link that opens the map alone for a slide or a blog post. Each
 * file is named after the scenario's title.
 */
import { useState, type RefObject } from 'react';
import { download, exportPng, exportSvg, fileName, type FrameInputs } from './grid/export.ts';
import { editedScenario } from './edited.ts';
import { copyText, LinkField } from './clipboard.tsx';
import { useApp, useAppStoreApi } from './store-context.tsx';

export function ExportBar({ frameRef }: { frameRef: RefObject<FrameInputs | null> }) {
  const store = useAppStoreApi();
  const scenario = useApp(editedScenario);
  const [status, setStatus] = useState('');
  const [embedUrl, setEmbedUrl] = useState<string | null>(null);
  const title = scenario.title;
  const name = (suffix: string) => fileName(title, suffix);

  const run = async (what: string, work: () => Promise<void> | void) => {
    try {
      await work();
      setStatus(`${what} ready`);
    } catch (error) {
      setStatus(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const frame = () => {
    const inputs = frameRef.current;
    if (!inputs) throw new Error('the map has not been drawn yet');
    return inputs;
  };

  return (
    <div className="export-bar" role="group" aria-label="Export">
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void run('PNG', async () => download(name('.png'), await exportPng(frame())))
        }
      >
        PNG
      </button>
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void run('SVG', () =>
            download(name('.svg'), exportSvg(frame(), title ?? 'Memmap Explorer'), 'image/svg+xml'),
          )
        }
      >
        SVG
      </button>
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void run('Scenario', () =>
            download(name('.scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`),
          )
        }
      >
        Scenario JSON
      </button>
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void run('Result', async () =>
            download(name('.result.json'), await store.getState().exportResult()),
          )
        }
      >
        Result JSON
      </button>
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void run('Embed link', async () => {
            const url = store.getState().shareUrl({ embed: true });
            setEmbedUrl(url);
            // Shown beside the button as well, for a browser that refuses the clipboard.
            await copyText(url);
          })
        }
      >
        Embed link
      </button>
      <span role="status" className="muted export-status">
        {status}
      </span>
      {embedUrl && <LinkField value={embedUrl} label="Embed link (the map alone)" />}
    </div>
  );
}
