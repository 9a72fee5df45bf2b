import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { StoreProvider } from './ui/store-context.tsx';
import { createAppStore } from './state/store.ts';
import { saveLastGood } from './state/persist.ts';
import { startingPoint, syncUrl } from './state/url-sync.ts';
import './ui/styles.css';

const start = await startingPoint(window.location.hash);
const store = createAppStore({
  initial: {
    scenario: start.scenario,
    ...(start.view ? { view: start.view } : {}),
    ...(start.compare ? { compare: start.compare } : {}),
  },
  // After the answer's first paint: storing is not worth a frame.
  onAccepted: (scenario) => setTimeout(() => saveLastGood(scenario), 0),
});
if (start.problem) store.getState().raise(start.problem.title, start.problem.details);
syncUrl(store);
// A handle for end-to-end tests and for curious users in the console.
(window as unknown as { __memmap: unknown }).__memmap = store;

const root = document.getElementById('root');
if (root) {
  // A transition: the first render of the whole page yields to the browser every few ms
  // instead of blocking it for one long task while the worker starts.
  startTransition(() =>
    createRoot(root).render(
      <StrictMode>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </StrictMode>,
    ),
  );
}
