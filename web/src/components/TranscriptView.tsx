import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EXPORTS, type ExportFormat, exportFileName, serverFormat } from '../lib/exports';
import { download } from '../lib/browser';
import type { VoxClient } from '../lib/api';
import {
  type Entity,
  type ParagraphTurn,
  type Sentiment,
  type SpeakerNames,
  type Turn,
  clock,
  duration,
  entityTypesOf,
  entityWords,
  groupParagraphs,
  groupTurns,
  signedScore,
  speakerName,
  splitEntityWord,
  speakersOf,
  talkTime,
  wordAt,
} from '../lib/transcript';
import { ErrorBanner } from './ErrorBanner';
import { DownloadIcon } from './Icons';
import type { Result } from './TranscribePanel';

// Distinct on light and dark backgrounds; the name text itself stays in the body colour.
export const SPEAKER_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
const colourOf = (speakers: string[], label: string) =>
  label ? SPEAKER_COLOURS[Math.max(0, speakers.indexOf(label)) % SPEAKER_COLOURS.length] : 'var(--muted)';

// Entity words are tinted in their type's colour (the text stays in the body colour).
export const ENTITY_COLOURS: Record<string, string> = {
  person: '#8b5cf6',
  organization: '#0ea5e9',
  location: '#10b981',
  date: '#f59e0b',
  time: '#eab308',
  money: '#84cc16',
  percent: '#f97316',
  number: '#d946ef',
  ordinal: '#e879f9',
  phone: '#f43f5e',
  email: '#fb7185',
  url: '#6366f1',
};
const entityColour = (type: string) => ENTITY_COLOURS[type] ?? '#a1a1aa';
const ENTITY_NAMES: Record<string, string> = { organization: 'organisation' };
const entityName = (type: string) => ENTITY_NAMES[type] ?? type;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A small coloured badge: "Positive +0.42", with "Sentiment:" for screen readers. */
function SentimentBadge({ sentiment, context = 'Sentiment' }: { sentiment: Sentiment; context?: string }) {
  const label = sentiment.label || 'neutral';
  return (
    <span className="sentiment-badge" data-sentiment={label} title={`${context}: ${label}, score ${signedScore(sentiment.score)} (−1 to +1)`}>
      <span className="sentiment-dot" aria-hidden="true" />
      <span className="visually-hidden">{context}: </span>
      {capital(label)} <span className="sentiment-score">{signedScore(sentiment.score)}</span>
    </span>
  );
}

interface Props {
  result: Result;
  client: VoxClient;
  onError?: (e: unknown) => void;
}

export function TranscriptView({ result, client, onError }: Props) {
  const { transcript: t, fileName, audioUrl, jobId } = result;
  const [names, setNames] = useState<SpeakerNames>({});
  const [time, setTime] = useState(0);
  const [focusWord, setFocusWord] = useState(0);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const byParagraph = (t.paragraphs?.length ?? 0) > 0;
  const turns: (Turn | ParagraphTurn)[] = useMemo(() => (byParagraph ? groupParagraphs(t) : groupTurns(t)), [t, byParagraph]);
  // word index → the turn showing it (paragraph words need not be one contiguous run)
  const owner = useMemo(() => {
    const m = new Map<number, number>();
    turns.forEach((turn, k) => turn.words.forEach((w) => w.i != null && m.set(w.i, k)));
    return m;
  }, [turns]);
  const entityOf = useMemo(() => entityWords(t), [t]);
  const entityTypes = useMemo(() => entityTypesOf(t.entities ?? []), [t]);
  const speakers = useMemo(() => speakersOf(t), [t]);
  const talk = useMemo(() => talkTime(t), [t]);
  const active = wordAt(t.words, time);
  const activeSegment = useMemo(
    () => (t.words.length ? -1 : (t.segments.find((s) => time >= s.start && time < s.end)?.id ?? -1)),
    [t, time],
  );
  // Without word times a paragraph shows its sentences: the one being spoken, as "turn:sentence".
  const activeSentence = useMemo(() => {
    if (t.words.length || !byParagraph) return '';
    for (let k = 0; k < turns.length; k++) {
      const j = ((turns[k] as ParagraphTurn).sentences ?? []).findIndex((s) => time >= s.start && time < s.end);
      if (j >= 0) return `${k}:${j}`;
    }
    return '';
  }, [t, turns, byParagraph, time]);

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

  // The server renders the export from the job's stored result, with the typed names.
  const exportAs = async (format: ExportFormat) => {
    if (!jobId || exporting) return;
    setExporting(format);
    setExportError(null);
    try {
      const body = await client.jobResult(jobId, serverFormat(format), names);
      download(body, exportFileName(fileName, format));
    } catch (e) {
      onError?.(e);
      setExportError(e);
    } finally {
      setExporting(null);
    }
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
  const exports = EXPORTS.filter((e) => e.format !== 'rttm' || t.diarized);
  const hasSide = t.diarized || t.entities != null;

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
          {t.sentiment && (
            <span className="overall-sentiment" data-testid="overall-sentiment">
              <span className="muted">Overall</span>
              <SentimentBadge sentiment={t.sentiment} context="Overall sentiment" />
            </span>
          )}
        </div>
        <audio ref={audio} src={audioUrl} controls preload="auto" className="player" data-testid="player" />
        <div className="exports" role="group" aria-label="Export">
          <span className="muted">Export</span>
          {exports.map((e) => (
            <button
              key={e.format}
              type="button"
              className="secondary small"
              onClick={() => exportAs(e.format)}
              disabled={!jobId || exporting != null}
              aria-busy={exporting === e.format || undefined}
              data-export={e.format}
            >
              <DownloadIcon />
              {e.label}
            </button>
          ))}
          {!jobId && <span className="hint">Exports come from the server’s jobs API, which this server does not offer.</span>}
        </div>
        {exportError != null && <ErrorBanner error={exportError} onDismiss={() => setExportError(null)} />}
      </div>

      <div className={`result-body${hasSide ? ' has-side' : ''}`}>
        {hasSide && (
          <div className="side">
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
            {t.entities != null && (
              <EntitiesCard entities={t.entities} types={entityTypes} names={names} diarized={t.diarized} onSeek={seek} />
            )}
          </div>
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
              data-layout={byParagraph ? 'paragraphs' : 'turns'}
            >
              {turns.map((turn, k) => (
                <TurnView
                  key={k}
                  turn={turn}
                  paragraph={byParagraph}
                  name={speakerName(turn.speaker, names)}
                  colour={colourOf(speakers, turn.speaker)}
                  active={owner.get(active) === k ? active : -1}
                  focusWord={owner.get(focusWord) === k ? focusWord : -1}
                  activeSegment={activeSegment}
                  activeSentence={activeSentence.startsWith(`${k}:`) ? Number(activeSentence.slice(`${k}:`.length)) : -1}
                  entityOf={entityOf}
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

interface EntitiesProps {
  entities: Entity[];
  types: string[];
  names: SpeakerNames;
  diarized: boolean;
  onSeek: (s: number) => void;
}

const EntitiesCard = memo(function EntitiesCard({ entities, types, names, diarized, onSeek }: EntitiesProps) {
  return (
    <section className="card entities-card" aria-label="Entities" data-testid="entities">
      <h3 className="card-subtitle">Entities</h3>
      {entities.length === 0 ? (
        <p className="muted">No names, places, dates or amounts were found.</p>
      ) : (
        <>
          <ul className="entity-legend" aria-label="Entity colours">
            {types.map((type) => (
              <li key={type} style={{ '--ent': entityColour(type) } as React.CSSProperties}>
                <span className="entity-swatch" aria-hidden="true" />
                {entityName(type)} <span className="muted">{entities.filter((e) => e.type === type).length}</span>
              </li>
            ))}
          </ul>
          <ul className="entity-list">
            {entities.map((e, k) => {
              const who = diarized && e.speaker ? speakerName(e.speaker, names) : '';
              return (
                <li key={k}>
                  <button
                    type="button"
                    className="entity"
                    style={{ '--ent': entityColour(e.type) } as React.CSSProperties}
                    onClick={() => onSeek(e.start)}
                    data-entity-type={e.type}
                    data-start={e.start}
                    aria-label={`${e.text}, ${entityName(e.type)}${who ? `, said by ${who}` : ''}: play from ${clock(e.start)}`}
                  >
                    <span className="entity-type">{entityName(e.type)}</span>
                    <span className="entity-text">{e.text}</span>
                    <span className="entity-time">{clock(e.start)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
});

function talkSummary(talk: ReturnType<typeof talkTime>, names: SpeakerNames): string {
  return (
    'Talk time: ' +
    talk
      .filter((e) => e.speaker)
      .map((e) => `${speakerName(e.speaker, names)} ${Math.round(e.share * 100)}%`)
      .join(', ')
  );
}

// An entity word is tinted in its type's colour, without the mark after it ("14." → "14" tinted).
function EntityWordText({ word, entity }: { word: string; entity: Entity }) {
  const [core, mark] = splitEntityWord(word, entity.text);
  return (
    <>
      <span className="entity-word" style={{ '--ent': entityColour(entity.type) } as React.CSSProperties}>
        {core}
      </span>
      {mark}
    </>
  );
}

interface TurnProps {
  turn: Turn | ParagraphTurn;
  paragraph: boolean;
  name: string;
  colour: string;
  active: number; // index of the word being played, when it is in this turn; else -1
  focusWord: number;
  activeSegment: number;
  activeSentence: number; // paragraphs without word times: the sentence being played; else -1
  entityOf: Map<number, Entity>;
  onSeek: (s: number) => void;
  onFocusWord: (i: number) => void;
}

// Memoised: while audio plays only the turn holding the current word re-renders.
const TurnView = memo(function TurnView({
  turn,
  paragraph,
  name,
  colour,
  active,
  focusWord,
  activeSegment,
  activeSentence,
  entityOf,
  onSeek,
  onFocusWord,
}: TurnProps) {
  const sentiment = 'sentiment' in turn ? turn.sentiment : undefined;
  const sentences = 'sentences' in turn ? turn.sentences : [];
  const seekable = (key: number, text: string, start: number, current: boolean, className: string) => (
    <span key={key}>
      {key > 0 && ' '}
      <span
        className={`${className}${current ? ' current' : ''}`}
        role="button"
        tabIndex={0}
        onClick={() => onSeek(start)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSeek(start);
          }
        }}
      >
        {text}
      </span>
    </span>
  );
  return (
    <article
      className={`turn${paragraph ? ' paragraph' : ''}`}
      style={{ '--spk': colour } as React.CSSProperties}
      data-speaker={turn.speaker}
    >
      <header className="turn-head">
        {name && <span className="turn-speaker">{name}</span>}
        <button type="button" className="timestamp" onClick={() => onSeek(turn.start)} aria-label={`Play from ${clock(turn.start)}`}>
          {clock(turn.start)}
        </button>
        {sentiment && <SentimentBadge sentiment={sentiment} />}
      </header>
      <p className="turn-text">
        {turn.words.length > 0
          ? turn.words.map((w, k) => {
              const i = w.i ?? -1;
              const entity = entityOf.get(i);
              return (
                <span key={k}>
                  {k > 0 && ' '}
                  <span
                    className={`word${i === active ? ' current' : ''}`}
                    role="button"
                    tabIndex={i === focusWord ? 0 : -1}
                    data-word={i}
                    data-start={w.start}
                    data-entity={entity?.type}
                    title={entity ? `${entityName(entity.type)}: ${entity.text}` : undefined}
                    aria-label={entity ? `${w.word} (${entityName(entity.type)})` : undefined}
                    aria-current={i === active ? 'true' : undefined}
                    onClick={() => {
                      onFocusWord(i);
                      onSeek(w.start);
                    }}
                    onFocus={() => onFocusWord(i)}
                  >
                    {entity ? <EntityWordText word={w.word} entity={entity} /> : w.word}
                  </span>
                </span>
              );
            })
          : paragraph && sentences.length > 0
            ? sentences.map((s, k) => seekable(k, s.text, s.start, k === activeSentence, 'segment sentence'))
            : paragraph
              ? seekable(0, turn.text, turn.start, false, 'segment')
              : turn.segments.map((s, k) => seekable(k, s.text, s.start, s.id === activeSegment, 'segment'))}
      </p>
    </article>
  );
});
