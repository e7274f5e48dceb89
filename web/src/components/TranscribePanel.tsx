import { useEffect, useId, useRef, useState } from 'react';
import {
  DEFAULT_OPTIONS,
  type Model,
  type Progress,
  type SpeakerMode,
  type TranscribeOptions,
  type VoxClient,
  validateOptions,
} from '../lib/api';
import { ApiError, CancelledError } from '../lib/errors';
import { type Recording, bytes, load, save, startRecording } from '../lib/browser';
import { type Transcript, parseTranscript, speakersOf } from '../lib/transcript';
import { ErrorBanner } from './ErrorBanner';
import { MicIcon, StopIcon, UploadIcon } from './Icons';
import { ProgressBar } from './ProgressBar';
import { TranscriptView } from './TranscriptView';

const OPTIONS_STORAGE = 'vox.transcribeOptions';
const LARGE_UPLOAD = 64 << 20;
const LANGUAGES: [string, string][] = [
  ['en', 'English'], ['de', 'German'], ['fr', 'French'], ['es', 'Spanish'], ['it', 'Italian'],
  ['pt', 'Portuguese'], ['nl', 'Dutch'], ['pl', 'Polish'], ['ru', 'Russian'], ['uk', 'Ukrainian'],
  ['zh', 'Chinese'], ['ja', 'Japanese'], ['ko', 'Korean'], ['ar', 'Arabic'], ['hi', 'Hindi'], ['tr', 'Turkish'],
];

interface Props {
  client: VoxClient;
  models: Model[];
  catalogError: unknown;
  onError: (e: unknown) => void;
}

export interface Result {
  transcript: Transcript;
  raw: unknown;
  fileName: string;
  audioUrl: string;
  jobId?: string; // the server's job (exports are rendered from it); none on the synchronous route
}

type TextSwitch = 'punctuate' | 'numerals' | 'removeFillers' | 'profanityFilter' | 'paragraphs' | 'entities' | 'sentiment';
const TEXT_SWITCHES: { key: TextSwitch; label: string; hint: string }[] = [
  { key: 'punctuate', label: 'Punctuation and capitals', hint: 'Sentences with marks and capital letters' },
  { key: 'numerals', label: 'Numbers as numerals', hint: '“twenty five dollars” becomes “$25”' },
  { key: 'removeFillers', label: 'Remove fillers', hint: 'Drops um, uh, er, hmm' },
  { key: 'profanityFilter', label: 'Filter profanity', hint: 'Masks swear words: “f***”' },
  { key: 'paragraphs', label: 'Paragraphs', hint: 'Groups sentences into paragraphs' },
  { key: 'entities', label: 'Entities', hint: 'Finds people, places, organisations, dates, amounts' },
  { key: 'sentiment', label: 'Sentiment', hint: 'The tone of each paragraph and of the whole (turns paragraphs on)' },
];

export function TranscribePanel({ client, models, catalogError, onError }: Props) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<TranscribeOptions>(() => {
    const o = load(OPTIONS_STORAGE, DEFAULT_OPTIONS);
    return typeof o.textRules === 'string' ? o : { ...o, textRules: '' };
  });
  const [dragging, setDragging] = useState(false);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [recordStart, setRecordStart] = useState(0);
  const [now, setNow] = useState(0);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [rulesOpen] = useState(() => options.textRules.trim() !== '');
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => save(OPTIONS_STORAGE, options), [options]);
  useEffect(() => () => {
    if (result) URL.revokeObjectURL(result.audioUrl);
  }, [result]);
  useEffect(() => {
    if (!recording) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [recording]);

  const engines = models.filter((m) => (m.kind ?? 'transcription') === 'transcription');
  const set = <K extends keyof TranscribeOptions>(k: K, v: TranscribeOptions[K]) => setOptions((o) => ({ ...o, [k]: v }));
  const optionProblem = validateOptions(options);
  const busy = progress != null;

  const choose = (f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    setError(null);
  };

  const record = async () => {
    setError(null);
    if (recording) {
      const r = recording;
      setRecording(null);
      choose(await r.stop());
      return;
    }
    try {
      const r = await startRecording();
      setRecordStart(Date.now());
      setNow(Date.now());
      setRecording(r);
    } catch (e) {
      setError(e);
    }
  };

  const submit = async () => {
    if (!file || busy || optionProblem) return;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ status: 'uploading', stage: 'upload', progress: null, elapsedS: null, etaS: null });
    try {
      let jobId: string | undefined;
      const onProgress = (p: Progress) => {
        if (p.jobId) jobId = p.jobId;
        setProgress(p);
      };
      const raw = await client.transcribe(file, file.name || 'audio', options, onProgress, controller.signal);
      const transcript = parseTranscript(raw);
      setResult({ transcript, raw, fileName: file.name || 'audio', audioUrl: URL.createObjectURL(file), jobId });
    } catch (e) {
      if (!(e instanceof CancelledError) || !controller.signal.aborted) onError(e);
      // A server refusing a large upload may close the connection before the browser has sent
      // it all: the browser then sees no answer at all.
      if (e instanceof ApiError && e.status === 0 && file.size > LARGE_UPLOAD)
        setError(new ApiError(`${e.message} (the upload of ${bytes(file.size)} was cut off; the server may not accept files this large)`, { status: 0 }));
      else setError(e);
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const cancel = () => abort.current?.abort();

  return (
    <div className="transcribe">
      <div className="card setup">
        <h1 className="card-title">Transcribe a recording</h1>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}${file ? ' has-file' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer.files?.[0]);
          }}
        >
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            accept="audio/*,video/*,.wav,.mp3,.flac,.ogg,.opus,.m4a,.webm,.mp4"
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="file-input"
            onChange={(e) => {
              choose(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          <UploadIcon />
          <p className="dropzone-text">
            {file ? (
              <>
                <strong className="file-name">{file.name}</strong> <span className="muted">({bytes(file.size)})</span>
              </>
            ) : (
              <>Drop an audio or video file here</>
            )}
          </p>
          <div className="dropzone-actions">
            <button type="button" onClick={() => input.current?.click()} disabled={busy}>
              {file ? 'Choose another file' : 'Choose a file'}
            </button>
            <button
              type="button"
              className={recording ? 'danger' : 'secondary'}
              onClick={record}
              disabled={busy}
              aria-pressed={recording != null}
            >
              {recording ? <StopIcon /> : <MicIcon />}
              {recording ? `Stop recording (${Math.floor((now - recordStart) / 1000)} s)` : 'Record'}
            </button>
          </div>
        </div>

        <fieldset className="options" disabled={busy}>
          <legend className="visually-hidden">Options</legend>
          <label className="field">
            <span>Engine</span>
            <select value={options.model} onChange={(e) => set('model', e.target.value)}>
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
              list={`${id}-languages`}
              value={options.language}
              placeholder="auto"
              onChange={(e) => set('language', e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <datalist id={`${id}-languages`}>
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </datalist>
          </label>
          <label className="check">
            <input type="checkbox" checked={options.diarize} onChange={(e) => set('diarize', e.target.checked)} />
            <span>Identify speakers</span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={options.wordTimestamps}
              onChange={(e) => set('wordTimestamps', e.target.checked)}
            />
            <span>Word timestamps</span>
          </label>
          <fieldset className="speakers" disabled={!options.diarize || busy}>
            <legend>Number of speakers</legend>
            <div className="radios">
              {(['auto', 'exact', 'range'] as SpeakerMode[]).map((m) => (
                <label key={m} className="radio">
                  <input
                    type="radio"
                    name={`${id}-speaker-mode`}
                    value={m}
                    checked={options.speakerMode === m}
                    onChange={() => set('speakerMode', m)}
                  />
                  <span>{m === 'auto' ? 'Detect' : m === 'exact' ? 'Exactly' : 'Between'}</span>
                </label>
              ))}
            </div>
            {options.speakerMode === 'exact' && (
              <label className="field inline">
                <span className="visually-hidden">Exact number of speakers</span>
                <input
                  type="number"
                  min={1}
                  max={32}
                  value={options.numSpeakers}
                  onChange={(e) => set('numSpeakers', Number(e.target.value))}
                />
                <span className="muted">speakers</span>
              </label>
            )}
            {options.speakerMode === 'range' && (
              <div className="range-inputs">
                <label className="field inline">
                  <span className="visually-hidden">Minimum speakers</span>
                  <input
                    type="number"
                    min={1}
                    max={32}
                    placeholder="min"
                    value={options.minSpeakers ?? ''}
                    onChange={(e) => set('minSpeakers', e.target.value ? Number(e.target.value) : null)}
                  />
                </label>
                <span className="muted">to</span>
                <label className="field inline">
                  <span className="visually-hidden">Maximum speakers</span>
                  <input
                    type="number"
                    min={1}
                    max={32}
                    placeholder="max"
                    value={options.maxSpeakers ?? ''}
                    onChange={(e) => set('maxSpeakers', e.target.value ? Number(e.target.value) : null)}
                  />
                </label>
              </div>
            )}
          </fieldset>
          <fieldset className="text-options">
            <legend>Text</legend>
            <div className="switches">
              {TEXT_SWITCHES.map(({ key, label, hint }) => {
                const implied = key === 'paragraphs' && options.sentiment;
                return (
                  <label key={key} className="check switch" title={hint}>
                    <input
                      type="checkbox"
                      checked={options[key] || implied}
                      disabled={implied}
                      onChange={(e) => set(key, e.target.checked)}
                      data-option={key}
                    />
                    <span>{label}</span>
                  </label>
                );
              })}
            </div>
            <details className="text-rules" open={rulesOpen}>
              <summary>Text rules</summary>
              <label className="field">
                <span className="visually-hidden">Replacement rules, one per line</span>
                <textarea
                  rows={3}
                  value={options.textRules}
                  placeholder={'acme => ACME\nkay eight => K8'}
                  onChange={(e) => set('textRules', e.target.value)}
                  spellCheck={false}
                  aria-describedby={`${id}-rules-hint`}
                />
              </label>
              <p className="hint" id={`${id}-rules-hint`}>
                One replacement per line, <code>from =&gt; to</code>: whole words, any case. An empty “to” deletes the words.
              </p>
            </details>
          </fieldset>
        </fieldset>
        {optionProblem && (
          <p className="hint error-text" role="status">
            {optionProblem}
          </p>
        )}
        {progress ? (
          <ProgressBar progress={progress} onCancel={cancel} />
        ) : (
          <button type="button" className="primary wide" onClick={submit} disabled={!file || !!optionProblem}>
            Transcribe
          </button>
        )}
        {catalogError != null && !error && (
          <ErrorBanner error={catalogError} />
        )}
        {error != null && <ErrorBanner error={error} onRetry={file ? submit : undefined} onDismiss={() => setError(null)} />}
      </div>
      <p className="visually-hidden" role="status">
        {result && !progress
          ? `Transcript ready${result.transcript.diarized ? `: ${speakersOf(result.transcript).length} speakers` : ''}.`
          : ''}
      </p>
      {result && <TranscriptView key={result.audioUrl} result={result} client={client} onError={onError} />}
    </div>
  );
}
