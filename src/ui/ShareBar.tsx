/** "Copy link": the URL already holds the scenario and view; this makes sure it is current and copies it. */
import { useState } from 'react';
import { useApp, useAppStoreApi } from './store-context.tsx';

export function ShareBar() {
  const title = useApp((s) => s.scenario.title);
  const store = useAppStoreApi();
  const [status, setStatus] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const copy = async () => {
    const url = store.getState().shareUrl();
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Link copied');
      setFallback(null);
    } catch {
      setStatus('Copy this link:');
      setFallback(url);
    }
  };
  return (
    <div className="share-bar">
      {title && <span className="scenario-title">{title}</span>}
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      <span role="status" className="muted">
        {status}
      </span>
      {fallback && (
        <input
          className="share-fallback"
          readOnly
          value={fallback}
          aria-label="Share link"
          onFocus={(e) => e.target.select()}
        />
      )}
    </div>
  );
}
