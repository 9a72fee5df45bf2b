/**
 * The step-through: the events as a timeline with previous/next/play and a slider, and the
 * narration of the current step (announced politely) in a kernel developer's words.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Era } from '../engine/arch.ts';
import { referencesFor } from './references.ts';
import { useApp, useAppLater } from './store-context.tsx';

const PLAY_MS = 1600;

/**
 * The timeline's step markers as one gradient (failed steps in the alert colour, the current one
 * in the accent): one element however many events there are.
 */
function ticksBackground(ok: boolean[], current: number): string {
  if (ok.length === 0) return 'var(--border)';
  const width = 100 / ok.length;
  const stops = ok.map((fine, i) => {
    const color = i === current ? 'var(--accent)' : fine ? 'var(--border)' : 'var(--alert-border)';
    const gap = ok.length > 60 ? 0 : 0.6;
    return `${color} ${(i * width).toFixed(3)}% ${((i + 1) * width - gap).toFixed(3)}%, transparent ${((i + 1) * width - gap).toFixed(3)}% ${((i + 1) * width).toFixed(3)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

export function Narration() {
  const result = useAppLater((s) => s.sim.result);
  const at = useAppLater((s) => s.sim.at);
  const step = useApp((s) => s.view.step);
  const setStep = useApp((s) => s.setStep);
  const scenario = useAppLater((s) => s.scenario);
  const [playing, setPlaying] = useState(false);
  const total = scenario.events?.length ?? 0;

  useEffect(() => {
    if (!playing) return;
    if (step >= total) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => setStep(step + 1), PLAY_MS);
    return () => clearTimeout(timer);
  }, [playing, step, total, setStep]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (
      (event.target as HTMLElement).tagName === 'INPUT' &&
      (event.target as HTMLInputElement).type !== 'range'
    )
      return;
    if (event.key === 'ArrowLeft' && (event.target as HTMLElement).tagName !== 'INPUT') {
      event.preventDefault();
      setStep(step - 1);
    } else if (event.key === 'ArrowRight' && (event.target as HTMLElement).tagName !== 'INPUT') {
      event.preventDefault();
      setStep(step + 1);
    } else if (event.key === ' ' && (event.target as HTMLElement).tagName !== 'BUTTON') {
      event.preventDefault();
      if (!playing && step >= total) setStep(0);
      setPlaying((value) => !value);
    }
  };

  const current = result?.steps[Math.min(at, result.steps.length - 1)];
  const label = current ? (current.event < 0 ? 'Boot' : `${current.label ?? current.op}`) : '';
  const refs = current && result ? referencesFor(result.resolved.era as Era, current.op) : [];

  return (
    <div className="narration-inner" onKeyDown={onKeyDown}>
      <div className="timeline" role="group" aria-label="Step through the events">
        <button
          type="button"
          className="secondary"
          onClick={() => setStep(step - 1)}
          disabled={step <= 0}
        >
          Previous step
        </button>
        <button
          type="button"
          onClick={() => {
            // Play from the last step starts again from the first.
            if (!playing && step >= total) setStep(0);
            setPlaying((value) => !value);
          }}
          aria-pressed={playing}
          disabled={total === 0}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setStep(step + 1)}
          disabled={step >= total}
        >
          Next step
        </button>
        <input
          type="range"
          min={0}
          max={total}
          value={Math.min(step, total)}
          aria-label="Step"
          aria-valuetext={`Step ${step} of ${total}`}
          onChange={(event) => setStep(Number(event.target.value))}
        />
        <div
          className="ticks"
          aria-hidden="true"
          style={{ background: ticksBackground(result?.steps.map((s) => s.ok) ?? [], step) }}
        />
      </div>
      <div aria-live="polite" className="narrative" data-testid="narration">
        {current && (
          <>
            <h3>
              Step {at} of {total}: {label}
              {!current.ok && <span className="badge-failed"> failed</span>}
            </h3>
            {current.narrative.map((line) => (
              <p key={line}>{line}</p>
            ))}
            {current.error && (
              <p className="step-error">
                The kernel refused: {current.error}
                {current.resolvedStart !== undefined &&
                  ' (drawn on the map where it would have landed)'}
              </p>
            )}
          </>
        )}
      </div>
      {current && current.log.length > 0 && (
        <pre className="kernel-log" aria-label="Kernel log">
          {current.log.map((line) => `[    0.000000] ${line}`).join('\n')}
        </pre>
      )}
      {refs.length > 0 && (
        <p className="refs">
          Read more:{' '}
          {refs.map((ref, i) => (
            <span key={ref.href}>
              {i > 0 && ' · '}
              <a href={ref.href} target="_blank" rel="noreferrer">
                {ref.title}
              </a>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
