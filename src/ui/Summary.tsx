/**
 * The headline figures, each with its raw number in data-value beside the formatted text. The
 * engine's catalog names and orders them; a figure that changed since the previous step says by
 * how much, and the demo on screen has its headline figure marked.
 */
import { demoOf } from '../state/store-demos.ts';
import { deltaText, figureLabel, figureText } from './figures.ts';
import { editedResult, editedScenario } from './edited.ts';
import { useApp, useAppLater } from './store-context.tsx';

export function Summary() {
  const result = useAppLater(editedResult);
  const catalog = useAppLater((s) => s.catalog);
  const scenario = useAppLater(editedScenario);
  const at = useAppLater((s) => s.sim.at);
  const comparing = useApp((s) => s.compare !== null);
  if (!result || !catalog) return <p className="muted">Waiting for the engine…</p>;
  const summary = result.final.summary;
  const previous = at > 0 ? result.previousSummary : undefined;
  const headline = demoOf(scenario)?.headline.field;
  return (
    <dl aria-label="Summary" className="summary" data-side={comparing ? 'b' : 'a'}>
      {catalog.figures.map((figure) => {
        const delta = previous ? summary[figure.key] - previous[figure.key] : 0;
        const change = deltaText(figure, delta);
        return (
          <div
            key={figure.key}
            className={`summary-row${figure.key === headline ? ' headline' : ''}${change ? ' changed' : ''}`}
            data-field={figure.key}
          >
            <dt title={figure.note}>{figureLabel(figure, summary)}</dt>
            <dd data-value={summary[figure.key]} data-delta={delta || undefined}>
              {figureText(figure, summary)}
              {change && (
                <span className="delta" aria-label={`changed by ${change} since the previous step`}>
                  {' '}
                  {change}
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
