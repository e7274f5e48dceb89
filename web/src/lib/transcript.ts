// The transcript the page shows, built from the server's verbose_json (OpenAI's whisper-1 schema
// plus "speaker" on segments and words when diarized, and "paragraphs", "entities" and
// "sentiment" when the text stage was asked for them), and what is derived from it: speaker
// turns or paragraphs, entity words, talk time, display names.

export interface Word {
  word: string;
  start: number;
  end: number;
  speaker?: string;
  i?: number; // index in Transcript.words
}

export interface Segment {
  id: number;
  start: number;
  end: number;
  text: string;
  speaker?: string;
  words: Word[]; // the words that fall in this segment (empty without word timestamps)
}

export interface Sentiment {
  label: string; // positive | neutral | negative
  score: number; // -1..1
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
}

export interface Paragraph {
  start: number;
  end: number;
  speaker: string; // "" when not diarized
  text: string;
  sentences: Sentence[];
  sentiment?: Sentiment;
}

export const ENTITY_TYPES = [
  'person', 'organization', 'location', 'date', 'time', 'money',
  'percent', 'number', 'ordinal', 'phone', 'email', 'url',
] as const;

export interface Entity {
  type: string; // one of ENTITY_TYPES (others are shown too)
  text: string;
  start: number;
  end: number;
  speaker: string; // "" when not diarized
}

export interface Transcript {
  text: string;
  language?: string;
  duration: number;
  segments: Segment[];
  words: Word[]; // every word in time order (empty without word timestamps)
  diarized: boolean;
  usage?: unknown;
  paragraphs?: Paragraph[]; // only when the server sent them
  entities?: Entity[]; // only when the server sent them (may be empty)
  sentiment?: Sentiment; // the whole transcript's, when the server sent it
}

/** label → display name, e.g. {A: "Alice"}; a missing or blank entry means the default name. */
export type SpeakerNames = Record<string, string>;

export interface Turn {
  speaker: string; // the server's label ("A"), "" when not diarized
  start: number;
  end: number;
  text: string;
  words: Word[];
  segments: Segment[];
}

/** A paragraph as the page shows it: a Turn with its sentences and tone. */
export interface ParagraphTurn extends Turn {
  sentences: Sentence[];
  sentiment?: Sentiment;
}

export interface TalkTime {
  speaker: string;
  seconds: number;
  share: number; // of all speech, 0..1
  turns: number;
}

function num(x: unknown, fallback = 0): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : x == null ? '' : String(x);
}

function parseSentiment(x: unknown): Sentiment | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  const score = Math.min(1, Math.max(-1, num(o.score)));
  const label = str(o.label) || (score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral');
  return { label, score };
}

function parseParagraphs(x: unknown): Paragraph[] | undefined {
  if (!Array.isArray(x)) return undefined;
  return x
    .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
    .map((p) => {
      const sentiment = parseSentiment(p.sentiment);
      return {
        start: num(p.start),
        end: Math.max(num(p.start), num(p.end)),
        speaker: str(p.speaker),
        text: str(p.text).trim(),
        sentences: (Array.isArray(p.sentences) ? p.sentences : [])
          .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
          .map((s) => ({ start: num(s.start), end: Math.max(num(s.start), num(s.end)), text: str(s.text).trim() }))
          .filter((s) => s.text !== ''),
        ...(sentiment ? { sentiment } : {}),
      };
    })
    .sort((a, b) => a.start - b.start);
}

function parseEntities(x: unknown): Entity[] | undefined {
  if (!Array.isArray(x)) return undefined;
  return x
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
    .map((e) => ({
      type: str(e.type).toLowerCase() || 'other',
      text: str(e.text).trim(),
      start: num(e.start),
      end: Math.max(num(e.start), num(e.end)),
      speaker: str(e.speaker),
    }))
    .filter((e) => e.text !== '')
    .sort((a, b) => a.start - b.start);
}

/** verbose_json (or plain json {text}) → Transcript. Tolerates missing fields. */
export function parseTranscript(raw: unknown): Transcript {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rawSegments = Array.isArray(o.segments) ? o.segments : [];
  const rawWords = Array.isArray(o.words) ? o.words : [];
  const words: Word[] = rawWords
    .map((w: Record<string, unknown>) => ({
      word: str(w.word ?? w.text).trim(),
      start: num(w.start),
      end: Math.max(num(w.start), num(w.end)),
      ...(w.speaker != null && w.speaker !== '' ? { speaker: str(w.speaker) } : {}),
    }))
    .filter((w) => w.word !== '')
    .sort((a, b) => a.start - b.start)
    .map((w, i) => ({ ...w, i }));
  const segments: Segment[] = rawSegments
    .map((s: Record<string, unknown>, i: number) => ({
      id: num(s.id, i),
      start: num(s.start),
      end: Math.max(num(s.start), num(s.end)),
      text: str(s.text).trim(),
      ...(s.speaker != null && s.speaker !== '' ? { speaker: str(s.speaker) } : {}),
      words: [] as Word[],
    }))
    .sort((a, b) => a.start - b.start);
  assignWords(segments, words);
  let text = str(o.text);
  if (!text) text = segments.map((s) => s.text).join(' ');
  if (segments.length === 0 && text.trim()) {
    // A plain {"text"} answer: one segment so that the page and the exports still have it.
    const end = num(o.duration, words.length ? words[words.length - 1].end : 0);
    segments.push({ id: 0, start: 0, end, text: text.trim(), words: [...words] });
  }
  const lastEnd = Math.max(0, ...segments.map((s) => s.end), ...words.map((w) => w.end));
  const paragraphs = parseParagraphs(o.paragraphs);
  const entities = parseEntities(o.entities);
  const sentiment = parseSentiment(o.sentiment);
  return {
    text,
    language: typeof o.language === 'string' ? o.language : undefined,
    duration: num(o.duration, lastEnd),
    segments,
    words,
    diarized: segments.some((s) => s.speaker) || words.some((w) => w.speaker),
    usage: o.usage,
    ...(paragraphs ? { paragraphs } : {}),
    ...(entities ? { entities } : {}),
    ...(sentiment ? { sentiment } : {}),
  };
}

/**
 * Gives each word to the segment it falls in (by its midpoint; the nearest segment when it
 * falls in a gap), so a turn can show its words with their timings. A word without a speaker
 * takes its segment's.
 */
function assignWords(segments: Segment[], words: Word[]) {
  if (segments.length === 0) return;
  let k = 0;
  for (const w of words) {
    const mid = (w.start + w.end) / 2;
    while (k + 1 < segments.length && segments[k + 1].start <= mid) k++;
    let best = k;
    const s = segments[k];
    if (mid > s.end && k + 1 < segments.length) {
      const next = segments[k + 1];
      if (next.start - mid < mid - s.end) best = k + 1;
    }
    const seg = segments[best];
    seg.words.push(w.speaker || !seg.speaker ? w : { ...w, speaker: seg.speaker });
  }
}

/** Speaker labels in order of first appearance. */
export function speakersOf(t: Transcript): string[] {
  const seen: string[] = [];
  for (const s of t.segments) if (s.speaker && !seen.includes(s.speaker)) seen.push(s.speaker);
  for (const w of t.words) if (w.speaker && !seen.includes(w.speaker)) seen.push(w.speaker);
  return seen;
}

/** "Speaker A" unless renamed; "" for the not-diarized speaker. */
export function speakerName(label: string, names: SpeakerNames = {}): string {
  const n = names[label]?.trim();
  if (n) return n;
  return label ? `Speaker ${label}` : '';
}

/** Consecutive segments of one speaker, merged. */
export function groupTurns(t: Transcript): Turn[] {
  const turns: Turn[] = [];
  for (const s of t.segments) {
    if (!s.text && s.words.length === 0) continue;
    const speaker = s.speaker ?? '';
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker) {
      last.end = Math.max(last.end, s.end);
      last.text = [last.text, s.text].filter(Boolean).join(' ');
      last.words.push(...s.words);
      last.segments.push(s);
    } else {
      turns.push({ speaker, start: s.start, end: s.end, text: s.text, words: [...s.words], segments: [s] });
    }
  }
  return turns;
}

/** Every word with its speaker (a word without one takes its segment's), in time order. */
function spokenWords(t: Transcript): Word[] {
  const out: Word[] = [];
  for (const s of t.segments) out.push(...s.words);
  if (out.length < t.words.length) {
    const have = new Set(out.map((w) => w.i));
    out.push(...t.words.filter((w) => !have.has(w.i)));
  }
  return out.sort((a, b) => (a.i ?? 0) - (b.i ?? 0));
}

// Times from the server are rounded to milliseconds.
const EPS = 0.002;
const sameSpeaker = (a: string | undefined, b: string | undefined) => !a || !b || a === b;

/**
 * The server's paragraphs as turns, each with the words spoken in it: the words between its
 * start and end of its speaker. A word that falls in no paragraph (a gap, rounding) goes to the
 * nearest one of its speaker (else the nearest one), so every word is shown exactly once. A
 * paragraph's segments are those that overlap it (for transcripts without word times).
 */
export function groupParagraphs(t: Transcript): ParagraphTurn[] {
  const paras = t.paragraphs ?? [];
  const out: ParagraphTurn[] = paras.map((p) => ({
    speaker: p.speaker,
    start: p.start,
    end: p.end,
    text: p.text || p.sentences.map((s) => s.text).join(' '),
    words: [],
    segments: t.segments.filter(
      (s) => s.start < p.end + EPS && s.end > p.start - EPS && sameSpeaker(s.speaker, p.speaker),
    ),
    sentences: p.sentences,
    ...(p.sentiment ? { sentiment: p.sentiment } : {}),
  }));
  if (out.length === 0) return out;
  for (const w of spokenWords(t)) {
    const mid = (w.start + w.end) / 2;
    let best = -1;
    let bestCost = Infinity;
    for (let k = 0; k < out.length; k++) {
      const p = out[k];
      const gap = mid < p.start ? p.start - mid : mid > p.end ? mid - p.end : 0;
      // Inside and the same speaker beats near and the same speaker beats another speaker's.
      const cost = (gap <= EPS ? 0 : gap + 1) + (sameSpeaker(w.speaker, p.speaker) ? 0 : 1e6);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    }
    out[best].words.push(w);
  }
  for (const p of out) p.words.sort((a, b) => (a.i ?? 0) - (b.i ?? 0));
  return out;
}

/**
 * For each word (by its index in t.words) the entity it is part of: its midpoint falls between
 * the entity's start and end, and the speakers agree. Words in no entity are absent.
 */
export function entityWords(t: Transcript): Map<number, Entity> {
  const found = new Map<number, Entity>();
  const entities = t.entities ?? [];
  if (entities.length === 0) return found;
  for (const w of spokenWords(t)) {
    if (w.i == null) continue;
    const mid = (w.start + w.end) / 2;
    const e = entities.find((x) => mid >= x.start - EPS && mid <= x.end + EPS && sameSpeaker(w.speaker, x.speaker));
    if (e) found.set(w.i, e);
  }
  return found;
}

/**
 * A word of an entity split into what belongs to the entity and the mark written after it:
 * ("14.", "14") → ["14", "."]; a mark the entity itself ends with stays ("Inc.", "Acme Inc.").
 */
export function splitEntityWord(word: string, entityText: string): [string, string] {
  const m = /^(.*?[^.,?!;:])([.,?!;:]+)$/.exec(word);
  return m && !entityText.endsWith(m[2]) ? [m[1], m[2]] : [word, ''];
}

/** The entity types that occur, in the order of ENTITY_TYPES (unknown ones after). */
export function entityTypesOf(entities: Entity[]): string[] {
  const seen = new Set(entities.map((e) => e.type));
  const known = ENTITY_TYPES.filter((x) => seen.has(x));
  return [...known, ...[...seen].filter((x) => !(ENTITY_TYPES as readonly string[]).includes(x)).sort()];
}

/** -0.42 → "−0.42", 0.3 → "+0.30". */
export function signedScore(score: number): string {
  const v = Math.round(score * 100) / 100;
  if (v === 0) return '0.00';
  return (v > 0 ? '+' : '\u2212') + Math.abs(v).toFixed(2);
}

/** Seconds each speaker talks (the sum of their segments), in order of appearance. */
export function talkTime(t: Transcript): TalkTime[] {
  const by = new Map<string, TalkTime>();
  for (const turn of groupTurns(t)) {
    const e = by.get(turn.speaker) ?? { speaker: turn.speaker, seconds: 0, share: 0, turns: 0 };
    for (const s of turn.segments) e.seconds += Math.max(0, s.end - s.start);
    e.turns += 1;
    by.set(turn.speaker, e);
  }
  const list = [...by.values()];
  const total = list.reduce((a, e) => a + e.seconds, 0);
  for (const e of list) e.share = total > 0 ? e.seconds / total : 0;
  return list;
}

/** A copy with every speaker label replaced by its display name (what the exports write). */
export function withSpeakerNames(t: Transcript, names: SpeakerNames): Transcript {
  const rename = <T extends { speaker?: string }>(x: T): T =>
    x.speaker ? { ...x, speaker: speakerName(x.speaker, names) } : x;
  return {
    ...t,
    words: t.words.map(rename),
    segments: t.segments.map((s) => ({ ...rename(s), words: s.words.map(rename) })),
  };
}

/** Index of the word being spoken at `time` (the last word that started by then), or -1. */
export function wordAt(words: Word[], time: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid].start <= time + 1e-3) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  // In a pause after the word (more than half a second past its end) nothing is highlighted.
  return time <= words[found].end + 0.5 ? found : -1;
}

/** 83.4 → "1:23"; 3723 → "1:02:03". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return (h > 0 ? `${h}:` : '') + `${mm}:${String(sec).padStart(2, '0')}`;
}

/** 75 → "1 min 15 s"; 8.2 → "8 s". */
export function duration(seconds: number): string {
  const s = Math.round(Math.max(0, seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}
