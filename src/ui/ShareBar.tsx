/** "Copy link": the URL already holds the scenario and view; this makes sure it is current and copies it. */
import { useState } from 'react';
import { copyText, LinkField } from './clipboard.tsx';
import { useApp, useAppStoreApi } from './store-context.tsx';

export function ShareBar() {
  const title = useApp((s) => s.scenario.title);
  const store = useAppStoreApi();
  const [status, setStatus] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const copy = async () => {
    const url = store.getState().shareUrl();
    const copied = await copyText(url);
    setStatus(copied ? 'Link copied' : 'Copy this link:');
    setFallback(copied ? null : url);
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
      {fallback && <LinkField value={fallback} label="Share link" />}
    </div>
  );
}
