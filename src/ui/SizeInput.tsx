/**
 * A size typed as the kernel takes it ("16G", "512M", "0x100000000"): a value that is not a size
 * is reported beside the field, and the scenario keeps its last good value.
 */
import { useId, useState } from 'react';
import { parseSize } from '../engine/units.ts';

export function SizeInput({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string;
  onCommit: (bytes: string) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? value;
  const bad = draft !== null && parseSize(draft) === null;
  const commit = () => {
    if (draft === null) return;
    if (!bad && draft.trim()) onCommit(draft.trim());
    if (!bad) setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        inputMode="text"
        spellCheck={false}
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') setDraft(null);
        }}
      />
      {bad && (
        <span id={`${id}-error`} className="field-error" role="status">
          “{draft}” is not a size (try 4G, 512M or 0x100000000)
        </span>
      )}
    </div>
  );
}
