/**
 * Compare mode's table: every Summary figure for A, B and B − A, with the figures that differ
 * marked. Read from both answers of one request, so the two columns are always of the same step.
 */
import { deltaText, figureLabel, figureText } from './figures.ts';
import { useAppLater } from './store-context.tsx';

export function Comparison() {
  const a = useAppLater((s) => s.sim.result);
  const b = useAppLater((s) => s.sim.b?.result ?? null);
  const catalog = useAppLater((s) => s.catalog);
  if (!a || !b || !catalog) return null;
  const sa = a.final.summary;
  const sb = b.final.summary;
  return (
    <table className="comparison" aria-label="Comparison">
      <caption>Comparison: every figure of A and B at this step</caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
          <th scope="col">B − A</th>
        </tr>
      </thead>
      <tbody>
        {catalog.figures.map((figure) => {
          const delta = sb[figure.key] - sa[figure.key];
          return (
            <tr key={figure.key} data-field={figure.key} className={delta ? 'differs' : undefined}>
              <th scope="row">{figureLabel(figure, sb)}</th>
              <td data-value={sa[figure.key]}>{figureText(figure, sa)}</td>
              <td data-value={sb[figure.key]}>{figureText(figure, sb)}</td>
              <td data-value={delta}>{deltaText(figure, delta) ?? '='}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
