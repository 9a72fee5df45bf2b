/** Problems the user should know about (a refused edit, a bad link), each naming what was wrong. */
import { useApp } from './store-context.tsx';

export function Alerts() {
  const alerts = useApp((s) => s.alerts);
  const dismiss = useApp((s) => s.dismiss);
  if (alerts.length === 0) return null;
  return (
    <div className="alerts">
      {alerts.map((alert) => (
        <div key={alert.id} role="alert" className="alert">
          <div>
            <strong>{alert.title}</strong>
            {alert.details.length > 0 && (
              <ul>
                {alert.details.slice(0, 8).map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
                {alert.details.length > 8 && <li>… and {alert.details.length - 8} more</li>}
              </ul>
            )}
          </div>
          <button
            type="button"
            className="secondary"
            onClick={() => dismiss(alert.id)}
            aria-label={`Dismiss: ${alert.title}`}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
