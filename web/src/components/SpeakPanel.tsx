import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Voice, VoxClient } from '../lib/api';
import { CancelledError } from '../lib/errors';
import { download, load, save } from '../lib/browser';
import { ErrorBanner } from './ErrorBanner';
import { DownloadIcon } from './Icons';

const SETTINGS_STORAGE = 'vox.speakSettings';
// The formats POST /v1/audio/speech makes; pcm is raw 16-bit samples that browsers cannot play.
const FORMATS: { id: string; label: string; playable: boolean; ext: string }[] = [
  { id: 'mp3', label: 'MP3', playable: true, ext: 'mp3' },
  { id: 'wav', label: 'WAV', playable: true, ext: 'wav' },
  { id: 'opus', label: 'Opus (Ogg)', playable: true, ext: 'ogg' },
  { id: 'flac', label: 'FLAC', playable: true, ext: 'flac' },
  { id: 'aac', label: 'AAC', playable: true, ext: 'aac' },
  { id: 'pcm', label: 'PCM (raw, download only)', playable: false, ext: 'pcm' },
];
const MAX_CHARS = 4096;

interface Props {
  client: VoxClient;
  voices: Voice[];
  catalogError: unknown;
  onError: (e: unknown) => void;
}

interface Settings {
  voice: string;
  speed: number;
  format: string;
}

export function SpeakPanel({ client, voices, catalogError, onError }: Props) {
  const id = useId();
  const [text, setText] = useState('Hello! This is vox, speaking from your own server.');
  const [settings, setSettings] = useState<Settings>(() => load(SETTINGS_STORAGE, { voice: '', speed: 1, format: 'mp3' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [audio, setAudio] = useState<{ url: string; blob: Blob; format: string } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const player = useRef<HTMLAudioElement>(null);

  useEffect(() => save(SETTINGS_STORAGE, settings), [settings]);
  useEffect(() => () => {
    if (audio) URL.revokeObjectURL(audio.url);
  }, [audio]);

  const byEngine = useMemo(() => {
    const m = new Map<string, Voice[]>();
    for (const v of voices) m.set(v.engine, [...(m.get(v.engine) ?? []), v]);
    return [...m.entries()];
  }, [voices]);
  const voice = voices.find((v) => v.id === settings.voice) ?? voices[0];
  const format = FORMATS.find((f) => f.id === settings.format) ?? FORMATS[0];
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setSettings((s) => ({ ...s, [k]: v }));

  const speak = async () => {
    if (!text.trim() || busy) return;
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setError(null);
    try {
      const blob = await client.speak(
        { input: text, voice: voice?.id ?? '', model: voice?.engine, responseFormat: format.id, speed: settings.speed },
        controller.signal,
      );
      setAudio({ url: URL.createObjectURL(blob), blob, format: format.id });
    } catch (e) {
      if (!(e instanceof CancelledError)) onError(e);
      setError(e);
    } finally {
      setBusy(false);
      abort.current = null;
    }
  };

  // Play what was just made (the click on Speak allows it).
  useEffect(() => {
    if (audio && FORMATS.find((f) => f.id === audio.format)?.playable) player.current?.play().catch(() => {});
  }, [audio]);

  const audioFormat = FORMATS.find((f) => f.id === audio?.format);

  return (
    <div className="card speak">
      <h1 className="card-title">Speak</h1>
      <form
        className="speak-form"
        onSubmit={(e) => {
          e.preventDefault();
          speak();
        }}
      >
        <label className="field full">
          <span>Text</span>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={5}
            maxLength={MAX_CHARS}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                speak();
              }
            }}
            aria-describedby={`${id}-count`}
          />
          <span id={`${id}-count`} className="hint">
            {text.length} / {MAX_CHARS} characters · Ctrl+Enter speaks
          </span>
        </label>
        <label className="field">
          <span>Voice</span>
          <select value={voice?.id ?? ''} onChange={(e) => set('voice', e.target.value)} disabled={!voices.length}>
            {!voices.length && <option value="">No voices</option>}
            {byEngine.map(([engine, list]) => (
              <optgroup key={engine} label={engine}>
                {list.map((v) => (
                  <option key={`${engine}/${v.id}`} value={v.id}>
                    {v.name} ({v.language}
                    {v.gender ? `, ${v.gender}` : ''})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="field">
          <span>
            Speed <output>{settings.speed.toFixed(2)}×</output>
          </span>
          <input
            type="range"
            min={0.25}
            max={4}
            step={0.05}
            value={settings.speed}
            onChange={(e) => set('speed', Number(e.target.value))}
          />
        </label>
        <label className="field">
          <span>Format</span>
          <select value={format.id} onChange={(e) => set('format', e.target.value)}>
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <div className="speak-actions">
          <button type="submit" className="primary" disabled={busy || !text.trim()}>
            {busy ? 'Speaking…' : 'Speak'}
          </button>
          {busy && (
            <button type="button" className="danger" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {catalogError != null && !error && <ErrorBanner error={catalogError} />}
      {error != null && <ErrorBanner error={error} onRetry={speak} onDismiss={() => setError(null)} />}
      {audio && (
        <div className="speak-result">
          {audioFormat?.playable ? (
            <audio ref={player} src={audio.url} controls className="player" data-testid="speech-player" />
          ) : (
            <p className="muted">Raw PCM (16-bit little-endian mono) cannot be played here; download it instead.</p>
          )}
          <button
            type="button"
            className="secondary"
            onClick={() => download(audio.blob, `speech.${audioFormat?.ext ?? 'bin'}`)}
          >
            <DownloadIcon /> Download
          </button>
        </div>
      )}
    </div>
  );
}
