/**
 * The scenario as JSON: edit, paste or open a file, then apply. Anything that is not a valid
 * scenario is listed field by field and the current scenario stays as it was.
 */
import { useState, type ChangeEvent } from 'react';
import { formatValidationError } from '../engine/scenario/types.ts';
import { useApp } from './store-context.tsx';

export function ScenarioEditor() {
  const scenario = useApp((s) => s.scenario);
  const load = useApp((s) => s.load);
  const [text, setText] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  // Closed, the editor holds no text: a 256-event scenario is not printed and laid out again
  // on every toggle nobody reads it for. An edit in progress stays across closing.
  const [expanded, setExpanded] = useState(false);
  const shown = text ?? (expanded ? JSON.stringify(scenario, null, 2) : '');

  const apply = (source: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (error) {
      setErrors([`This is not JSON: ${(error as Error).message}`]);
      return;
    }
    // A real-kernel case file wraps its scenario with its expectations.
    if (parsed && typeof parsed === 'object' && 'scenario' in parsed && 'expect' in parsed)
      parsed = (parsed as { scenario: unknown }).scenario;
    void load(parsed).then((problems) => {
      setErrors(problems.map(formatValidationError));
      if (problems.length === 0) setText(null);
    });
  };

  const open = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      setErrors([
        `${file.name} is ${Math.round(file.size / 1024)} KiB; a scenario file is at most 2 MiB`,
      ]);
      return;
    }
    const content = await file.text();
    setText(content);
    apply(content);
  };

  return (
    <details className="editor" onToggle={(event) => setExpanded(event.currentTarget.open)}>
      <summary>Scenario JSON (edit, paste or open a file)</summary>
      <label htmlFor="scenario-json" className="visually-hidden">
        Scenario JSON
      </label>
      <textarea
        id="scenario-json"
        spellCheck={false}
        rows={14}
        value={shown}
        onChange={(event) => setText(event.target.value)}
      />
      <div className="editor-actions">
        <button type="button" onClick={() => apply(shown)} disabled={text === null}>
          Apply
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setText(null);
            setErrors([]);
          }}
          disabled={text === null && errors.length === 0}
        >
          Revert
        </button>
        <label className="file-button">
          Open file…
          <input
            type="file"
            accept=".json,application/json"
            onChange={(event) => void open(event)}
          />
        </label>
      </div>
      {errors.length > 0 && (
        <div role="alert" className="alert editor-errors">
          <div>
            <strong>Not applied: the scenario is unchanged.</strong>
            <ul>
              {errors.slice(0, 12).map((error) => (
                <li key={error}>{error}</li>
              ))}
              {errors.length > 12 && <li>… and {errors.length - 12} more</li>}
            </ul>
          </div>
        </div>
      )}
    </details>
  );
}
