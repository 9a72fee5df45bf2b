import { useApp } from './store-context.tsx';

/** Says plainly when the simulation worker is not there, and offers to start it again. */
export function WorkerAlert() {
  const worker = useApp((state) => state.worker);
  const restart = useApp((state) => state.restartWorker);
  if (worker.kind !== 'failed') {
    return (
      <p className="worker-status" data-status={worker.kind} aria-live="polite">
        {worker.kind === 'starting'
          ? 'Starting the simulation engine…'
          : `Engine ${worker.engineVersion} ready`}
      </p>
    );
  }
  return (
    <div role="alert" className="alert">
      <p>
        <strong>The simulation stopped.</strong> {worker.reason}. Your scenario is kept; restart the
        engine to carry on.
      </p>
      <button type="button" onClick={restart}>
        Restart engine
      </button>
    </div>
  );
}
