import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EXPORTS, type ExportFormat, exportFileName, exportTranscript } from '../lib/exports';
import { download } from '../lib/browser';
import {
  type SpeakerNames,
  type Turn,
  clock,
  duration,
  groupTurns,
  speakerName,
  speakersOf,
  talkTime,
  wordAt,
} from '../lib/transcript';
import { DownloadIcon } from './Icons';
import type { Result } from './TranscribePanel';

// Distinct on light and dark backgrounds; the name text itself stays in the body colour.
export const SPEAKER_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
const colourOf = (speakers: string[], label: string) =>
  label ? SPEAKER_COLOURS[Math.max(0, speakers.indexOf(label)) % SPEAKER_COLOURS.length] : 'var(--muted)';

export function TranscriptView({ result }: { result: Result }) {
  const { transcript: t, raw, fileName, audioUrl } = result;
  const [names, setNames] = useState<SpeakerNames>({});
  const [time, setTime] = useState(0);
  const [focusWord, setFocusWord] = useState(0);
  const audio = useRef<HTMLAudioElement>(null);
  const turns = useMemo(() => groupTurns(t), [t]);
  const speakers = useMemo(() => speakersOf(t), [t]);
  const talk = useMemo(() => talkTime(t), [t]);
  const active = wordAt(t.words, time);
  const activeSegment = useMemo(
    () => (t.words.length ? -1 : (t.segments.find((s) => time >= s.start && time < s.end)?.id ?? -1)),
    [t, time],
  );

  // Follow the player closely while it plays (timeupdate alone fires only about 4 times a second).
  useEffect(() => {
    const el = audio.current;
    if (!el) return;
    let frame = 0;
    const tick = () => {
      setTime(el.currentTime);
      if (!el.paused) frame = requestAnimationFrame(tick);
    };
    const start = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const update = () => setTime(el.currentTime);
    el.addEventListener('play', start);
    el.addEventListener('seeked', update);
    el.addEventListener('timeupdate', update);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('play', start);
      el.removeEventListener('seeked', update);
      el.removeEventListener('timeupdate', update);
    };
  }, []);

  const seek = useCallback((s: number) => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = s;
    setTime(s);
    el.play().catch(() => {
      /* autoplay refused: the position is still set */
    });
  }, []);

  const exportAs = (format: ExportFormat) => {
    const spec = EXPORTS.find((e) => e.format === format)!;
    download(exportTranscript(format, t, names, raw), exportFileName(fileName, format), spec.mime);
  };

  const onWordKey = (e: React.KeyboardEvent) => {
    const n = t.words.length;
    if (!n || (e.target as HTMLElement).dataset.word === undefined) return;
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(n - 1, focusWord + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, focusWord - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      seek(t.words[focusWord].start);
      return;
    }
    if (next < 0) return;
    e.preventDefault();
    setFocusWord(next);
    document.querySelector<HTMLElement>(`[data-word="${next}"]`)?.focus();
  };

  const totalTalk = talk.reduce((a, e) => a + e.seconds, 0);

  return (
    <div className="result">
      <div className="card player-card">
        <div className="result-head">
          <h2 className="card-title">{fileName}</h2>
          <span className="muted">
            {duration(t.duration)}
            {t.language ? ` · ${t.language}` : ''}
            {t.diarized ? ` · ${speakers.length} speaker${speakers.length === 1 ? '' : 's'}` : ''}
          </span>
        </div>
        <audio ref={audio} src={audioUrl} controls preload="auto" className="player" data-testid="player" />
        <div className="exports" role="group" aria-label="Export">
          <span className="muted">Export</span>
          {EXPORTS.map((e) => (
            <button
              key={e.format}
              type="button"
              className="secondary small"
              onClick={() => exportAs(e.format)}
              data-export={e.format}
            >
              <DownloadIcon />
              {e.label}
            </button>
          ))}
        </div>
      </div>

      <div className="result-body">
        {t.diarized && (
          <aside className="card speakers-card" aria-label="Speakers">
            <h3 className="card-subtitle">Speakers</h3>
            <div className="talk-bar" role="img" aria-label={talkSummary(talk, names)}>
              {talk
                .filter((e) => e.speaker)
                .map((e) => (
                  <span
                    key={e.speaker}
                    style={{ width: `${(e.share * 100).toFixed(2)}%`, background: colourOf(speakers, e.speaker) }}
                    title={`${speakerName(e.speaker, names)}: ${Math.round(e.share * 100)}%`}
                  />
                ))}
            </div>
            <ul className="speaker-list">
              {speakers.map((label) => {
                const e = talk.find((x) => x.speaker === label);
                const share = e && totalTalk > 0 ? e.seconds / totalTalk : 0;
                return (
                  <li key={label} className="speaker-row" style={{ '--spk': colourOf(speakers, label) } as React.CSSProperties}>
                    <span className="swatch" aria-hidden="true" />
                    <label className="speaker-name">
                      <span className="visually-hidden">Name for speaker {label}</span>
                      <input
                        value={names[label] ?? ''}
                        placeholder={`Speaker ${label}`}
                        onChange={(ev) => setNames((n) => ({ ...n, [label]: ev.target.value }))}
                        data-speaker={label}
                        maxLength={60}
                      />
                    </label>
                    <span className="speaker-time">
                      {clock(e?.seconds ?? 0)} · {Math.round(share * 100)}%
                    </span>
                    <span className="speaker-bar" aria-hidden="true">
                      <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
                    </span>
                  </li>
                );
              })}
            </ul>
            <p className="hint">Names are used in every export.</p>
          </aside>
        )}

        <div className="card transcript-card">
          <h3 className="card-subtitle">Transcript</h3>
          {turns.length === 0 ? (
            <p className="muted">No speech was recognised.</p>
          ) : (
            <div
              className="transcript"
              role="group"
              aria-label="Transcript: use the arrow keys to move between words, Enter to play from a word"
              onKeyDown={onWordKey}
              data-testid="transcript"
            >
              {turns.map((turn, i) => (
                <TurnView
                  key={i}
                  turn={turn}
                  name={speakerName(turn.speaker, names)}
                  colour={colourOf(speakers, turn.speaker)}
                  active={inTurn(turn, active) ? active : -1}
                  focusWord={inTurn(turn, focusWord) ? focusWord : -1}
                  activeSegment={activeSegment}
                  onSeek={seek}
                  onFocusWord={setFocusWord}
                />
              ))}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function inTurn(turn: Turn, index: number): boolean {
  if (index < 0 || turn.words.length === 0) return false;
  const first = turn.words[0].i ?? -1;
  const last = turn.words[turn.words.length - 1].i ?? -1;
  return index >= first && index <= last;
}

function talkSummary(talk: ReturnType<typeof talkTime>, names: SpeakerNames): string {
  return (
    'Talk time: ' +
    talk
      .filter((e) => e.speaker)
      .map((e) => `${speakerName(e.speaker, names)} ${Math.round(e.share * 100)}%`)
      .join(', ')
  );
}

interface TurnProps {
  turn: Turn;
  name: string;
  colour: string;
  active: number; // index of the word being played, when it is in this turn; else -1
  focusWord: number;
  activeSegment: number;
  onSeek: (s: number) => void;
  onFocusWord: (i: number) => void;
}

// Memoised: while audio plays only the turn holding the current word re-renders.
const TurnView = memo(function TurnView({ turn, name, colour, active, focusWord, activeSegment, onSeek, onFocusWord }: TurnProps) {
  return (
    <article className="turn" style={{ '--spk': colour } as React.CSSProperties} data-speaker={turn.speaker}>
      <header className="turn-head">
        {name && <span className="turn-speaker">{name}</span>}
        <button type="button" className="timestamp" onClick={() => onSeek(turn.start)} aria-label={`Play from ${clock(turn.start)}`}>
          {clock(turn.start)}
        </button>
      </header>
      <p className="turn-text">
        {turn.words.length > 0
          ? turn.words.map((w, k) => {
              const i = w.i ?? -1;
              return (
                <span key={k}>
                  {k > 0 && ' '}
                  <span
                    className={`word${i === active ? ' current' : ''}`}
                    role="button"
                    tabIndex={i === focusWord ? 0 : -1}
                    data-word={i}
                    data-start={w.start}
                    aria-current={i === active ? 'true' : undefined}
                    onClick={() => {
                      onFocusWord(i);
                      onSeek(w.start);
                    }}
                    onFocus={() => onFocusWord(i)}
                  >
                    {w.word}
                  </span>
                </span>
              );
            })
          : turn.segments.map((s, k) => (
              <span key={k}>
                {k > 0 && ' '}
                <span
                  className={`segment${s.id === activeSegment ? ' current' : ''}`}
                  role="button"
                  tabIndex={0}
                  onClick={() => onSeek(s.start)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onSeek(s.start);
                    }
                  }}
                >
                  {s.text}
                </span>
              </span>
            ))}
      </p>
    </article>
  );
});
