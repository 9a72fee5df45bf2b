import {
  createContext,
  startTransition,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../state/store.ts';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreProvider');
  return store;
}

/** Atomic selector hook: components re-render only when their slice changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/**
 * A slice for panels beside the map (Summary, narration, kernel views...): it follows the store as
 * a transition, so when an answer arrives the map paints first and these re-render in slices that
 * yield to the browser, not in one long task. All such slices of one store change move together
 * (one transition); until they do, the panel shows the answer before, as it does while the
 * worker computes.
 */
export function useAppLater<T>(selector: (state: AppState) => T): T {
  const store = useAppStoreApi();
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    const follow = () => {
      const next = selectorRef.current(store.getState());
      startTransition(() => setValue(() => next));
    };
    follow(); // what changed between the first render and this subscription
    return store.subscribe(follow);
  }, [store]);
  return value;
}
