import { memo, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Model, VoxClient } from '../lib/api';
import { ApiError, NoticeError, errorFromResponse } from '../lib/errors';
import { download, load, save } from '../lib/browser';
import {
  type FinalTurn,
  type LiveOptions,
  type LiveState,
  PcmEncoder,
  appendEvent,
  closeMessage,
  commitEvent,
  finalsJSON,
  finalsText,
  initialLiveState,
  level,
  liveFileName,
  liveReducer,
  liveSpeakers,
  realtimeProtocols,
  realtimeURL,
  sessionUpdate,
  speaking,
  unfinished,
} from '../lib/live';
import { type Capture, startCapture } from '../lib/liveCapture';
import { clock, speakerName } from '../lib/transcript';
import { ErrorBanner } from './ErrorBanner';
import { DownloadIcon, MicIcon, StopIcon } from './Icons';
import { SPEAKER_COLOURS } from './TranscriptView';

const OPTIONS_STORAGE = 'vox.liveOptions';
const STOP_GRACE_MS = 600; // after Stop, events still in flight may start a turn
const STOP_TIMEOUT_MS = 20_000; // the last turns' finals; then the socket closes anyway
const MAX_QUEUED = 300; // appends held while the socket opens (30 s)

type Status = 'idle' | 'starting' | 'listening' | 'stopping';

interface Props {
  client: VoxClient;
  models: Model[];
  onError: (e: unknown) => void;
}

const colourOf = (speakers: string[], label: string) =>
  label ? SPEAKER_COLOURS[Math.max(0, speakers.indexOf(label)) % SPEAKER_COLOURS.length] : 'var(--muted)';

/** Copies text: the Clipboard API, else a selected textarea (older or stricter browsers). */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    /* fall back below */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser did not allow copying');
}

export function LivePanel({ client, models, onError }: Props) {
  const id = useId();
  const [options, setOptions] = useState<LiveOptions>(() => load(OPTIONS_STORAGE, { model: '', language: '' }));
  const [status, setStatus] = useState<Status>('idle');
  const [live, setLive] = useState<LiveState>(initialLiveState);
  const [error, setError] = useState<unknown>(null);
  const [startedAt, setStartedAt] = useState<Date | null>(null);
  const [copyNote, setCopyNote] = useState('');
  const stateRef = useRef<LiveState>(live);
  const wsRef = useRef<WebSocket | null>(null);
  const captureRef = useRef<Capture | null>(null);
  const encoderRef = useRef<PcmEncoder | null>(null);
  const stopTimer = useRef<ReturnType<typeof setInterval> | null>(null);
  const meter = useRef<HTMLSpanElement>(null);
  const closingRef = useRef(false); // the page is closing the socket (Stop)
  const sendRef = useRef<(event: object) => void>(() => {});

  useEffect(() => save(OPTIONS_STORAGE, options), [options]);

  const dispatch = useCallback((event: unknown) => {
    stateRef.current = liveReducer(stateRef.current, event);
    setLive(stateRef.current);
  }, []);

  const stopCapture = () => {
    captureRef.current?.stop();
    captureRef.current = null;
    if (meter.current) meter.current.style.setProperty('--level', '0');
  };

  const clearStopTimer = () => {
    if (stopTimer.current) clearInterval(stopTimer.current);
    stopTimer.current = null;
  };

  // Leaving the page (or the panel) ends the session.
  useEffect(
    () => () => {
      clearStopTimer();
      closingRef.current = true;
      captureRef.current?.stop();
      wsRef.current?.close(1000);
    },
    [],
  );

  // A socket that could not open says nothing about why (the browser hides the HTTP answer):
  // the same route asked over plain HTTP does — 401 for the key, 429 or 503 for the limits,
  // 426 "upgrade required" when HTTP would have been let through.
  const diagnose = async (code: number, reason: string) => {
    try {
      const res = await client.request('/v1/realtime?intent=transcription');
      if (res.status !== 426 && !res.ok) {
        const err = await errorFromResponse(res);
        onError(err);
        setError(err);
        return;
      }
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e);
        return;
      }
    }
    setError(
      new NoticeError(
        'Cannot open the live connection',
        `${closeMessage(code, reason, false)} The server is up and takes the key: a proxy in between may not pass WebSocket upgrades, or this page's address is not an allowed origin (VOX_CORS_ORIGINS)`,
      ),
    );
  };

  const start = async () => {
    if (status !== 'idle') return;
    setError(null);
    setCopyNote('');
    let protocols: string[];
    try {
      protocols = realtimeProtocols(client.key);
    } catch (e) {
      setError(new NoticeError('API key not usable here', e instanceof Error ? e.message : String(e)));
      return;
    }
    stateRef.current = initialLiveState();
    setLive(stateRef.current);
    setStatus('starting');
    closingRef.current = false;

    const queue: string[] = [];
    let ws: WebSocket | null = null;
    const send = (event: object) => {
      const text = JSON.stringify(event);
      if (ws?.readyState === WebSocket.OPEN) ws.send(text);
      else if (ws?.readyState === WebSocket.CONNECTING && queue.length < MAX_QUEUED) queue.push(text);
    };
    sendRef.current = send;

    let capture: Capture;
    try {
      capture = await startCapture((chunk) => {
        const encoder = encoderRef.current;
        if (!encoder) return;
        meter.current?.style.setProperty('--level', level(chunk).toFixed(3));
        for (const audio of encoder.push(chunk)) send(appendEvent(audio));
      });
    } catch (e) {
      setError(e);
      setStatus('idle');
      return;
    }
    captureRef.current = capture;
    encoderRef.current = new PcmEncoder(capture.sampleRate);
    setStartedAt(new Date());

    let opened = false;
    try {
      ws = new WebSocket(realtimeURL(location), protocols);
    } catch (e) {
      stopCapture();
      setError(new NoticeError('Cannot open the live connection', e instanceof Error ? e.message : String(e)));
      setStatus('idle');
      return;
    }
    wsRef.current = ws;
    ws.onopen = () => {
      opened = true;
      ws!.send(JSON.stringify(sessionUpdate(options)));
      for (const text of queue.splice(0)) ws!.send(text);
      setStatus((s) => (s === 'starting' ? 'listening' : s));
    };
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      try {
        dispatch(JSON.parse(m.data));
      } catch {
        /* not JSON: not an event */
      }
    };
    ws.onclose = (ev) => {
      clearStopTimer();
      stopCapture();
      wsRef.current = null;
      encoderRef.current = null;
      setStatus('idle');
      if (closingRef.current) return;
      if (!opened) {
        void diagnose(ev.code, ev.reason);
        return;
      }
      const msg = closeMessage(ev.code, ev.reason, true);
      setError(
        msg
          ? new NoticeError('The live session ended', msg)
          : new NoticeError('The live session ended', 'The server closed the session. Press Start to begin a new one'),
      );
    };
  };

  const stop = () => {
    const ws = wsRef.current;
    if (status === 'starting' || !ws || ws.readyState !== WebSocket.OPEN) {
      closingRef.current = true;
      stopCapture();
      ws?.close(1000);
      setStatus('idle');
      return;
    }
    if (status !== 'listening') return;
    setStatus('stopping');
    stopCapture();
    // The audio still held (the resampler's tail, the last part-chunk) goes too.
    for (const audio of encoderRef.current?.flush() ?? []) sendRef.current(appendEvent(audio));
    encoderRef.current = null;
    // The turn being spoken has no silence after it to end it: commit it. Then wait for the
    // finals of every committed turn, and close.
    const committed = new Set<string>();
    const began = Date.now();
    const tick = () => {
      const s = stateRef.current;
      for (const p of s.pending)
        if (p.phase === 'speaking' && !committed.has(p.itemId)) {
          committed.add(p.itemId);
          sendRef.current(commitEvent());
        }
      const waited = Date.now() - began;
      const timedOut = waited >= STOP_TIMEOUT_MS;
      if ((waited >= STOP_GRACE_MS && !unfinished(s) && !speaking(s)) || timedOut) {
        clearStopTimer();
        closingRef.current = true;
        if (timedOut && unfinished(s))
          setError(new NoticeError('Stopped', 'The last turn had not been transcribed yet when the session closed'));
        ws.close(1000, 'stopped');
      }
    };
    tick();
    stopTimer.current = setInterval(tick, 100);
  };

  const copy = async () => {
    const text = finalsText(live.finals);
    try {
      await copyText(text);
      setCopyNote(`Copied ${live.finals.length} turn${live.finals.length === 1 ? '' : 's'}.`);
    } catch (e) {
      setCopyNote(`Could not copy: ${e instanceof Error ? e.message : String(e)}.`);
    }
  };

  const exportAs = (format: 'txt' | 'json') => {
    const at = startedAt ?? new Date();
    if (format === 'txt') download(`${finalsText(live.finals)}\n`, liveFileName(at, 'txt'), 'text/plain');
    else download(finalsJSON(live.finals, { sessionId: live.sessionId, startedAt: at.toISOString() }), liveFileName(at, 'json'), 'application/json');
  };

  const engines = models.filter((m) => (m.kind ?? 'transcription') === 'transcription');
  const running = status !== 'idle';
  const partials = live.pending.filter((p) => p.partial.trim());
  const hasFinals = live.finals.some((f) => f.text);
  const statusText =
    status === 'starting'
      ? 'Connecting…'
      : status === 'listening'
        ? live.pending.some((p) => p.phase === 'speaking')
          ? 'Listening: hearing speech'
          : 'Listening'
        : status === 'stopping'
          ? 'Finishing the last turn…'
          : hasFinals
            ? 'Stopped'
            : 'Not listening';
  const lastNotice = live.notices[live.notices.length - 1];

  return (
    <div className="live">
      <div className="card live-setup">
        <h1 className="card-title">Live transcription</h1>
        <p className="hint live-intro">
          Speak into the microphone: words appear as you talk and become a final turn, with its speaker, at each pause.
        </p>
        <fieldset className="options live-options" disabled={running}>
          <legend className="visually-hidden">Options</legend>
          <label className="field">
            <span>Engine</span>
            <select value={options.model} onChange={(e) => setOptions((o) => ({ ...o, model: e.target.value }))}>
              <option value="">Server default</option>
              {engines.map((m) => (
                <option key={m.id} value={m.id} title={m.description}>
                  {m.id}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Language</span>
            <input
              value={options.language}
              placeholder="auto"
              onChange={(e) => setOptions((o) => ({ ...o, language: e.target.value }))}
              autoComplete="off"
              spellCheck={false}
              id={`${id}-language`}
            />
          </label>
        </fieldset>
        <div className="live-controls">
          {running ? (
            <button type="button" className="danger" onClick={stop} disabled={status === 'stopping'}>
              <StopIcon />
              Stop
            </button>
          ) : (
            <button type="button" className="primary" onClick={start}>
              <MicIcon />
              Start
            </button>
          )}
          <span className={`live-state live-state-${status}`} data-testid="live-status" data-status={status}>
            <span className="live-dot" aria-hidden="true" />
            <span role="status">{statusText}</span>
          </span>
          <span className="live-meter" aria-hidden="true" hidden={status !== 'listening'}>
            <span ref={meter} />
          </span>
        </div>
        {!running && hasFinals && <p className="hint">Start again to begin a new transcript (copy or export this one first).</p>}
        {error != null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        {lastNotice && (
          <p className="hint error-text live-notice" data-testid="live-notice">
            {lastNotice.kind === 'failed' ? 'A turn could not be transcribed: ' : 'The server reported: '}
            {lastNotice.message}
          </p>
        )}
      </div>

      <div className="card live-transcript-card">
        <div className="live-head">
          <h2 className="card-subtitle">Transcript</h2>
          <div className="exports" role="group" aria-label="Copy and export">
            <button type="button" className="secondary small" onClick={copy} disabled={!hasFinals} data-live-action="copy">
              Copy
            </button>
            <span className="muted">Export</span>
            <button type="button" className="secondary small" onClick={() => exportAs('txt')} disabled={!hasFinals} data-live-export="txt" aria-label="Export as TXT">
              <DownloadIcon />
              TXT
            </button>
            <button type="button" className="secondary small" onClick={() => exportAs('json')} disabled={!hasFinals} data-live-export="json" aria-label="Export as JSON">
              <DownloadIcon />
              JSON
            </button>
          </div>
        </div>
        <p className="visually-hidden" role="status">
          {copyNote}
        </p>
        {copyNote && (
          <p className="hint" aria-hidden="true">
            {copyNote}
          </p>
        )}
        <Finals finals={live.finals} />
        <div className="live-partials" data-testid="live-partials">
          {partials.map((p) => (
            <p key={p.itemId} className="live-partial" data-item={p.itemId}>
              {p.partial.trim()}
            </p>
          ))}
        </div>
        {!hasFinals && partials.length === 0 && (
          <p className="muted live-empty">{status === 'listening' ? 'Waiting for speech…' : 'Press Start and speak.'}</p>
        )}
      </div>
    </div>
  );
}

// Final turns: a log (aria-live polite), so screen readers announce each one as it comes.
const Finals = memo(function Finals({ finals }: { finals: FinalTurn[] }) {
  const speakers = liveSpeakers(finals);
  return (
    <div className="transcript live-turns" role="log" aria-live="polite" aria-label="Final turns" data-testid="live-turns">
      {finals
        .filter((f) => f.text)
        .map((f) => {
          const name = speakerName(f.speaker);
          return (
            <article
              key={f.itemId}
              className="turn live-turn"
              style={{ '--spk': colourOf(speakers, f.speaker) } as React.CSSProperties}
              data-speaker={f.speaker}
              data-item={f.itemId}
            >
              <header className="turn-head">
                {name && <span className="turn-speaker">{name}</span>}
                <span className="live-time">{clock(f.start)}</span>
              </header>
              <p className="turn-text">{f.text}</p>
            </article>
          );
        })}
    </div>
  );
});
