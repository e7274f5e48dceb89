// Client-side writers for the export buttons: SRT, WebVTT, plain text, verbose JSON and
// diarized JSON, all with the speaker names the user typed. The subtitle cue rules follow the
// server's (src/vox/format/subtitle_cues.cpp): at most two lines of 42 characters, at most 7 s
// on screen, cues never span speakers, times strictly increasing and never overlapping.
import {
  type SpeakerNames,
  type Transcript,
  type Segment,
  clock,
  groupTurns,
  speakerName,
  speakersOf,
  talkTime,
} from './transcript';

export type ExportFormat = 'srt' | 'vtt' | 'txt' | 'verbose_json' | 'diarized_json';

export const EXPORTS: { format: ExportFormat; label: string; extension: string; mime: string }[] = [
  { format: 'srt', label: 'SRT', extension: 'srt', mime: 'application/x-subrip' },
  { format: 'vtt', label: 'VTT', extension: 'vtt', mime: 'text/vtt' },
  { format: 'txt', label: 'TXT', extension: 'txt', mime: 'text/plain' },
  { format: 'verbose_json', label: 'JSON (verbose)', extension: 'json', mime: 'application/json' },
  { format: 'diarized_json', label: 'JSON (diarized)', extension: 'diarized.json', mime: 'application/json' },
];

export interface CueRules {
  maxLineChars: number;
  maxLines: number;
  maxCueMs: number;
  minCueMs: number;
  firstLineReserve: number; // characters SRT's visible "[Name] " prefix takes on line one
}

export const DEFAULT_CUE_RULES: CueRules = {
  maxLineChars: 42,
  maxLines: 2,
  maxCueMs: 7000,
  minCueMs: 100,
  firstLineReserve: 0,
};

export interface Cue {
  startMs: number;
  endMs: number;
  speaker: string; // display name, "" when not diarized
  lines: string[];
}

interface Token {
  text: string;
  start: number;
  end: number;
}

const chars = (s: string) => [...s].length;

// Control characters (newlines, tabs) would break the cue structure: make them spaces.
const sanitize = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');
const splitWords = (s: string) => sanitize(s).split(' ').filter(Boolean);

function breakLong(word: string, max: number): string[] {
  const cps = [...word];
  if (cps.length <= max) return [word];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += max) out.push(cps.slice(i, i + max).join(''));
  return out;
}

// Splits text at spaces (over-long words into line-sized pieces), sharing [start, end] between
// the pieces in proportion to their length.
function appendTokens(text: string, start: number, end: number, max: number, out: Token[]) {
  const pieces = splitWords(text).flatMap((w) => breakLong(w, max));
  if (pieces.length === 0) return;
  if (!Number.isFinite(start)) start = 0;
  if (!Number.isFinite(end) || end < start) end = start;
  const total = pieces.reduce((a, p) => a + chars(p) + 1, 0);
  let done = 0;
  for (const p of pieces) {
    const a = start + ((end - start) * done) / total;
    done += chars(p) + 1;
    const b = start + ((end - start) * done) / total;
    out.push({ text: p, start: a, end: b });
  }
}

function segmentTokens(s: Segment, max: number): Token[] {
  const tokens: Token[] = [];
  for (const w of s.words) appendTokens(w.word, w.start, w.end, max, tokens);
  if (tokens.length === 0) appendTokens(s.text, s.start, s.end, max, tokens);
  return tokens;
}

class LineLayout {
  readonly first: number;
  readonly other: number;
  readonly maxLines: number;
  constructor(rules: CueRules) {
    this.first = Math.max(1, rules.maxLineChars - rules.firstLineReserve);
    this.other = Math.max(1, rules.maxLineChars);
    this.maxLines = Math.max(1, rules.maxLines);
  }
  // Lines for tokens[b, e), balanced; [] when they do not fit.
  layOut(tokens: Token[], b: number, e: number): string[] {
    const len = tokens.slice(b, e).map((t) => chars(t.text));
    const width = (from: number, to: number) => {
      let w = 0;
      for (let i = from; i < to; i++) w += len[i] + (i > from ? 1 : 0);
      return w;
    };
    const n = len.length;
    const join = (from: number, to: number) =>
      tokens
        .slice(from, to)
        .map((t) => t.text)
        .join(' ');
    if (width(0, n) <= this.first) return [join(b, e)];
    if (this.maxLines < 2) return [];
    let best = 0;
    let bestWidth = Infinity;
    for (let k = 1; k < n; k++) {
      const w1 = width(0, k);
      const w2 = width(k, n);
      if (w1 > this.first || w2 > this.other) continue;
      if (Math.max(w1, w2) < bestWidth) {
        bestWidth = Math.max(w1, w2);
        best = k;
      }
    }
    if (best === 0) return [];
    return [join(b, b + best), join(b + best, e)];
  }
}

const endsSentence = (t: string) => /[.?!]$/.test(t);
const toMs = (s: number) => (Number.isFinite(s) && s > 0 ? Math.round(Math.min(s, 1e9) * 1000) : 0);

function appendSegmentCues(s: Segment, speaker: string, rules: CueRules, layout: LineLayout, cues: Cue[]) {
  const tokens = segmentTokens(s, layout.first);
  const maxCueS = rules.maxCueMs / 1000;
  let b = 0;
  while (b < tokens.length) {
    let e = b + 1; // a single token always fits: breakLong made it line-sized
    let lines = layout.layOut(tokens, b, e);
    let end = tokens[b].end;
    // A new sentence starts a new cue once the current one holds half a line or more.
    while (e < tokens.length && !(endsSentence(tokens[e - 1].text) && chars(lines[0]) * 2 >= layout.first)) {
      if (Math.max(end, tokens[e].end) - tokens[b].start > maxCueS) break;
      const wider = layout.layOut(tokens, b, e + 1);
      if (wider.length === 0) break;
      lines = wider;
      end = Math.max(end, tokens[e].end);
      e++;
    }
    // A full cue whose sentence ends within the next two words would leave them alone on
    // screen: move words over until that tail has three.
    let tailEnd = e;
    while (tailEnd < tokens.length && tailEnd < e + 2 && !endsSentence(tokens[tailEnd].text)) tailEnd++;
    if (tailEnd < tokens.length && endsSentence(tokens[tailEnd].text)) {
      let moved = 0;
      while (tailEnd + 1 - e < 3 && e - b > 3 && !endsSentence(tokens[e - 1].text)) {
        e--;
        moved++;
      }
      if (moved > 0) {
        lines = layout.layOut(tokens, b, e);
        end = tokens[b].end;
        for (let i = b; i < e; i++) end = Math.max(end, tokens[i].end);
      }
    }
    cues.push({ startMs: toMs(tokens[b].start), endMs: toMs(end), speaker, lines });
    b = e;
  }
}

// Valid times for strict players: non-overlapping, end > start, at most maxCueMs long, at least
// minCueMs long unless the next cue starts sooner (then it ends where that one starts).
function fixTimes(cues: Cue[], rules: CueRules) {
  const minMs = Math.max(1, rules.minCueMs);
  const maxMs = Math.max(minMs, rules.maxCueMs);
  let prevEnd = 0;
  for (let i = 0; i < cues.length; i++) {
    const s = Math.max(cues[i].startMs, prevEnd);
    let e = Math.min(Math.max(cues[i].endMs, s + minMs), s + maxMs);
    if (i + 1 < cues.length && cues[i + 1].startMs > s) e = Math.min(e, cues[i + 1].startMs);
    cues[i].startMs = s;
    cues[i].endMs = e;
    prevEnd = e;
  }
}

/** Subtitle cues for the transcript, each with its speaker's display name. */
export function buildCues(t: Transcript, names: SpeakerNames, rules: CueRules = DEFAULT_CUE_RULES): Cue[] {
  const layout = new LineLayout(rules);
  const cues: Cue[] = [];
  for (const s of t.segments) {
    const speaker = s.speaker ? splitWords(speakerName(s.speaker, names)).join(' ') : '';
    appendSegmentCues(s, speaker, rules, layout, cues);
  }
  cues.sort((a, b) => a.startMs - b.startMs); // stable
  fixTimes(cues, rules);
  return cues;
}

/** 3723.5 → "01:02:03,500" (SRT) or "01:02:03.500" (VTT). */
export function timestamp(ms: number, sep: ',' | '.'): string {
  const v = Math.max(0, Math.round(ms));
  const h = Math.floor(v / 3600000);
  const m = Math.floor(v / 60000) % 60;
  const s = Math.floor(v / 1000) % 60;
  const r = v % 1000;
  const p = (x: number, n = 2) => String(x).padStart(n, '0');
  return `${p(h)}:${p(m)}:${p(s)}${sep}${p(r, 3)}`;
}

export function toSrt(t: Transcript, names: SpeakerNames = {}): string {
  let reserve = 0;
  for (const s of t.segments) if (s.speaker) reserve = Math.max(reserve, chars(speakerName(s.speaker, names)) + 3);
  const rules = { ...DEFAULT_CUE_RULES, firstLineReserve: Math.min(reserve, DEFAULT_CUE_RULES.maxLineChars / 2) };
  let out = '';
  buildCues(t, names, rules).forEach((cue, n) => {
    out += `${n + 1}\n${timestamp(cue.startMs, ',')} --> ${timestamp(cue.endMs, ',')}\n`;
    cue.lines.forEach((line, i) => {
      const text = i === 0 && cue.speaker ? `[${cue.speaker}] ${line}` : line;
      out += text.replaceAll('-->', '->') + '\n';
    });
    out += '\n';
  });
  return out;
}

const escapeVtt = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function toVtt(t: Transcript, names: SpeakerNames = {}): string {
  let out = 'WEBVTT\n\n';
  for (const cue of buildCues(t, names)) {
    let text = cue.lines.map(escapeVtt).join('\n');
    if (cue.speaker) text = `<v ${escapeVtt(cue.speaker)}>${text}</v>`;
    out += `${timestamp(cue.startMs, '.')} --> ${timestamp(cue.endMs, '.')}\n${text}\n\n`;
  }
  return out;
}

/** One paragraph per speaker turn: "[0:04] Alice: text". */
export function toTxt(t: Transcript, names: SpeakerNames = {}): string {
  const turns = groupTurns(t);
  if (turns.length === 0) return t.text.trim() ? t.text.trim() + '\n' : '';
  return (
    turns
      .map((turn) => {
        const who = turn.speaker ? `${speakerName(turn.speaker, names)}: ` : '';
        return `[${clock(turn.start)}] ${who}${turn.text}`;
      })
      .join('\n\n') + '\n'
  );
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function speakerTable(t: Transcript, names: SpeakerNames) {
  const times = new Map(talkTime(t).map((e) => [e.speaker, e]));
  return speakersOf(t).map((label) => ({
    label,
    name: speakerName(label, names),
    talk_time_s: r3(times.get(label)?.seconds ?? 0),
    share: Math.round((times.get(label)?.share ?? 0) * 1000) / 1000,
  }));
}

/**
 * The server's verbose_json (every field it sent is kept) with speaker labels replaced by the
 * display names, plus "speakers": [{label, name, talk_time_s, share}].
 */
export function toVerboseJson(t: Transcript, names: SpeakerNames = {}, raw?: unknown): string {
  const rename = (x: unknown) => {
    if (!x || typeof x !== 'object') return x;
    const o = { ...(x as Record<string, unknown>) };
    if (typeof o.speaker === 'string' && o.speaker) o.speaker = speakerName(o.speaker, names);
    return o;
  };
  let out: Record<string, unknown>;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    out = { ...(raw as Record<string, unknown>) };
    if (Array.isArray(out.segments)) out.segments = out.segments.map(rename);
    if (Array.isArray(out.words)) out.words = out.words.map(rename);
  } else {
    out = {
      task: 'transcribe',
      language: t.language ?? 'english',
      duration: r3(t.duration),
      text: t.text,
      segments: t.segments.map((s) =>
        rename({ id: s.id, start: r3(s.start), end: r3(s.end), text: s.text, ...(s.speaker ? { speaker: s.speaker } : {}) }),
      ),
      ...(t.words.length
        ? {
            words: t.words.map((w) =>
              rename({ word: w.word, start: r3(w.start), end: r3(w.end), ...(w.speaker ? { speaker: w.speaker } : {}) }),
            ),
          }
        : {}),
    };
  }
  if (t.diarized) out.speakers = speakerTable(t, names);
  return JSON.stringify(out, null, 2) + '\n';
}

/** OpenAI's diarized_json schema (gpt-4o-transcribe-diarize), with the display names. */
export function toDiarizedJson(t: Transcript, names: SpeakerNames = {}): string {
  const out = {
    task: 'transcribe',
    duration: r3(t.duration),
    text: t.text,
    segments: t.segments
      .filter((s) => s.text)
      .map((s, i) => ({
        type: 'transcript.text.segment',
        id: `seg_${String(i + 1).padStart(3, '0')}`,
        start: r3(s.start),
        end: r3(s.end),
        text: s.text,
        speaker: speakerName(s.speaker || 'A', names),
      })),
    speakers: speakerTable(t, names),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export function exportTranscript(format: ExportFormat, t: Transcript, names: SpeakerNames, raw?: unknown): string {
  switch (format) {
    case 'srt':
      return toSrt(t, names);
    case 'vtt':
      return toVtt(t, names);
    case 'txt':
      return toTxt(t, names);
    case 'verbose_json':
      return toVerboseJson(t, names, raw);
    case 'diarized_json':
      return toDiarizedJson(t, names);
  }
}

/** "meeting.wav" → "meeting.srt". */
export function exportFileName(source: string, format: ExportFormat): string {
  const base = (source || 'transcript').replace(/\.[^./\\]*$/, '') || 'transcript';
  const ext = EXPORTS.find((e) => e.format === format)!.extension;
  return `${base}.${ext}`;
}
