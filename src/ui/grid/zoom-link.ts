/**
 * Compare mode's shared zoom: a map being zoomed or panned tells the others which addresses it
 * shows, as it moves (the store hears of it once the gesture settles, as always).
 */
export type AddressWindow = { start: number; end: number } | null;
type Listener = (window: AddressWindow, from: symbol) => void;

const listeners = new Set<Listener>();

export function publishWindow(window: AddressWindow, from: symbol): void {
  for (const listener of listeners) listener(window, from);
}

export function onWindow(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
