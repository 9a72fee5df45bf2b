/** The gallery: each demo is a plain link, so it can be opened in a new tab, copied or bookmarked. */
import { PRESETS } from '../state/presets.ts';
import { encodeShareFragment } from '../state/url-codec.ts';
import { DEFAULT_VIEW } from '../state/view.ts';

const LINKS = PRESETS.map((preset) => ({
  ...preset,
  href: encodeShareFragment(preset.scenario, { ...DEFAULT_VIEW, ...preset.view }),
}));

export function Demos() {
  return (
    <details className="demos">
      <summary>Demos ({LINKS.length}): the 2017 thread and after</summary>
      <nav aria-label="Demos">
        <ul>
          {LINKS.map((preset) => (
            <li key={preset.id}>
              <a href={preset.href} data-preset={preset.id} title={preset.blurb}>
                {preset.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </details>
  );
}
