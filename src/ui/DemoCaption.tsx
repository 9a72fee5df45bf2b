/** The demo's point, above the map, while its scenario is on screen. */
import { demoOf } from '../state/store-demos.ts';
import { useApp } from './store-context.tsx';

export function DemoCaption() {
  const scenario = useApp((s) => s.scenario);
  const demo = demoOf(scenario);
  if (!demo) return null;
  return (
    <p className="demo-caption" data-testid="demo-caption" data-preset={demo.id}>
      <strong>{demo.title}.</strong> {demo.blurb}
    </p>
  );
}
