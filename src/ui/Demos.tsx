/**
 * The gallery: each demo is a plain link, so it can be opened in a new tab, copied or bookmarked.
 * The links are made when the gallery first opens (each is a deflated scenario).
 */
import { useState } from 'react';
import { DEMOS, demoHref } from '../state/store-demos.ts';

export function Demos() {
  const [opened, setOpened] = useState(false);
  return (
    <details
      className="demos"
      onToggle={(event) => {
        if ((event.target as HTMLDetailsElement).open) setOpened(true);
      }}
    >
      <summary>Demos ({DEMOS.length}): the 2017 thread and after</summary>
      {opened && (
        <nav aria-label="Demos">
          <ul>
            {DEMOS.map((demo) => (
              <li key={demo.id}>
                <a href={demoHref(demo)} data-preset={demo.id} title={demo.blurb}>
                  {demo.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </details>
  );
}
