import { useEffect, useState } from 'react';
import { describeError } from '../lib/errors';

interface Props {
  error: unknown;
  onRetry?: () => void;
  onDismiss?: () => void;
}

/** A readable error (role=alert); with Retry-After, counts down and then offers to retry. */
export function ErrorBanner({ error, onRetry, onDismiss }: Props) {
  const d = describeError(error);
  const [left, setLeft] = useState(d.retryAfterS ?? 0);
  useEffect(() => {
    setLeft(d.retryAfterS ?? 0);
    if (!d.retryAfterS) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const l = Math.max(0, (d.retryAfterS ?? 0) - Math.floor((Date.now() - started) / 1000));
      setLeft(l);
      if (l === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [error, d.retryAfterS]);
  return (
    <div className={`banner banner-${d.title === 'Cancelled' ? 'info' : 'error'}`} role="alert">
      <div className="banner-text">
        <strong>{d.title}</strong> <span>{d.detail}</span>
      </div>
      <div className="banner-actions">
        {onRetry && (
          <button type="button" className="small" onClick={onRetry} disabled={left > 0}>
            {left > 0 ? `Retry in ${left} s` : 'Retry'}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss">
            ×
          </button>
        )}
      </div>
    </div>
  );
}
