// The Live tab's logic, free of the DOM: the realtime WebSocket's URL and subprotocols, the
// client events the page sends, microphone audio as 24 kHz 16-bit PCM in base64, and the
// reducer that turns the server's events into partial text and final, speaker-labelled turns.
//
// The server is vox's OpenAI-compatible Realtime API, transcription sessions
// (GET /v1/realtime?intent=transcription upgraded to a WebSocket; src/vox/live/realtime_protocol.h):
//   page → server: session.update, input_audio_buffer.append {audio: base64}, input_audio_buffer.commit
//   server → page: session.created/updated, input_audio_buffer.speech_started/speech_stopped/
//     committed/cleared, conversation.item.input_audio_transcription.delta/completed/failed, error.
// A delta carries the text past what was sent before; when the engine revised earlier words its
// `delta` is "" and vox's `text` field holds the whole partial. `completed` carries vox's
// extras: speaker, words, audio_start_ms, audio_end_ms.
import { type SpeakerNames, clock, speakerName } from './transcript';

/** The rate the page sends: OpenAI's audio/pcm rate (vox also takes 8000..48000). */
export const SEND_RATE = 24000;
/** How much audio goes in one input_audio_buffer.append. */
export const APPEND_MS = 100;

// ---- connection ----

/** ws://host/v1/realtime?intent=transcription, wss: when the page came over https. */
export function realtimeURL(page: { protocol: string; host: string }, path = '/v1/realtime'): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${path}?intent=transcription`;
}

// A subprotocol must be an HTTP token (RFC 6455 §4.1, RFC 7230 §3.2.6).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The WebSocket subprotocols: "realtime", and the key as "openai-insecure-api-key.KEY" (a browser
 * cannot set Authorization on a WebSocket; vox and OpenAI read the key from here). Throws when
 * the key has characters a subprotocol cannot carry.
 */
export function realtimeProtocols(key: string): string[] {
  const k = key.trim();
  if (!k) return ['realtime'];
  if (!TOKEN.test(k)) throw new Error('the API key has characters (spaces, quotes, …) that cannot be sent to the live route');
  return ['realtime', `openai-insecure-api-key.${k}`];
}

export interface LiveOptions {
  model: string; // "" = the server's default engine
  language: string; // "" = the engine's default
}

/** The first client event: a transcription session, 24 kHz PCM, the server finding the turns. */
export function sessionUpdate(o: LiveOptions, rate = SEND_RATE): Record<string, unknown> {
  const transcription: Record<string, string> = {};
  if (o.model.trim()) transcription.model = o.model.trim();
  if (o.language.trim()) transcription.language = o.language.trim();
  return {
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate },
          transcription,
          turn_detection: { type: 'server_vad' },
        },
      },
    },
  };
}

export const appendEvent = (audioBase64: string) => ({ type: 'input_audio_buffer.append', audio: audioBase64 });
export const commitEvent = () => ({ type: 'input_audio_buffer.commit' });

/** What a close code means for the user; "" for a normal close. */
export function closeMessage(code: number, reason: string, opened: boolean): string {
  const why = reason ? ` (${reason})` : '';
  switch (code) {
    case 1000:
      return '';
    case 1001:
      return `The server went away${why}: it may be restarting. Press Start to try again.`;
    case 1008:
      return `The server ended the session${why || ' (policy)'}: this key may have used up its audio allowance. Try again later.`;
    case 1009:
      return `The server refused a message as too large${why}.`;
    case 1011:
      return `The server failed${why}. Press Start to try again; if it keeps failing, see the server's log.`;
    case 1013:
      return `The server is busy${why}. Try again in a moment.`;
    default:
      return opened
        ? `The connection was lost (code ${code})${why}. Press Start to try again.`
        : `Could not open the live connection (code ${code})${why}.`;
  }
}

// ---- audio ----

/** Float samples (−1..1) → 16-bit little-endian PCM bytes, clipped. */
export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(2 * i, s < 0 ? Math.round(s * 32768) : Math.round(s * 32767), true);
  }
  return out;
}

/** Bytes → base64 (btoa over chunks: no call with a huge argument list). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const ZEROS = 16; // half the kernel, in zero crossings of the filter at the lower rate
const TABLE_STEPS = 256; // kernel samples per input sample (linear interpolation between them)

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * A streaming band-limited resampler (windowed sinc, Blackman window): chunks in at `inRate`,
 * chunks out at `outRate`, with the state carried between chunks so the joins are seamless. The
 * low-pass sits a little below the lower rate's Nyquist, so downsampling does not alias. The
 * output lags the input by half the kernel (16 zero crossings); flush() drains it at the end.
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly half: number; // kernel half-width, input samples
  private readonly table: Float32Array; // the kernel at |x| = i / TABLE_STEPS, 0 ≤ x ≤ half
  private buf: Float32Array; // the input the next outputs need
  private bufStart: number; // input index of buf[0]
  private produced = 0; // output samples made so far
  private flushed = false;

  constructor(inRate: number, outRate: number) {
    if (!(inRate > 0 && outRate > 0)) throw new Error('sample rates must be positive');
    this.inRate = inRate;
    this.outRate = outRate;
    const cutoff = Math.min(1, outRate / inRate) * 0.92; // of the input's Nyquist
    this.half = Math.ceil(ZEROS / cutoff);
    this.table = new Float32Array(this.half * TABLE_STEPS + 2);
    for (let i = 0; i < this.table.length; i++) {
      const x = i / TABLE_STEPS;
      const w = Math.min(1, x / this.half);
      const win = 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
      this.table[i] = cutoff * sinc(cutoff * x) * win;
    }
    // Silence before the first sample, so the first outputs have their history.
    this.buf = new Float32Array(this.half);
    this.bufStart = -this.half;
  }

  /** Resamples one chunk; returns what can be produced so far. */
  push(input: Float32Array): Float32Array {
    if (this.flushed) throw new Error('the resampler was flushed');
    if (this.inRate === this.outRate) return input.slice();
    this.append(input);
    return this.run(this.bufStart + this.buf.length - this.half);
  }

  /** The last outputs, as if silence followed the input; the resampler takes no more after. */
  flush(): Float32Array {
    if (this.flushed || this.inRate === this.outRate) return new Float32Array(0);
    this.flushed = true;
    const end = this.bufStart + this.buf.length; // one past the last real input sample
    this.append(new Float32Array(this.half + 1));
    return this.run(end);
  }

  private append(input: Float32Array) {
    const joined = new Float32Array(this.buf.length + input.length);
    joined.set(this.buf);
    joined.set(input, this.buf.length);
    this.buf = joined;
  }

  // Makes the outputs whose input position is before `until` (their kernels lie in buf).
  private run(until: number): Float32Array {
    const out: number[] = [];
    const { half, table } = this;
    for (;;) {
      const t = (this.produced * this.inRate) / this.outRate; // input position of the next output
      if (t >= until) break;
      const centre = Math.floor(t);
      let acc = 0;
      for (let k = centre - half + 1; k <= centre + half; k++) {
        const f = Math.abs(t - k) * TABLE_STEPS;
        const i = Math.floor(f);
        const kernel = table[i] + (table[i + 1] - table[i]) * (f - i);
        acc += this.buf[k - this.bufStart] * kernel;
      }
      out.push(acc);
      this.produced++;
    }
    // Keep only what the next outputs need.
    const next = Math.floor((this.produced * this.inRate) / this.outRate) - half + 1;
    const drop = Math.max(0, Math.min(this.buf.length, next - this.bufStart));
    if (drop > 0) {
      this.buf = this.buf.slice(drop);
      this.bufStart += drop;
    }
    return Float32Array.from(out);
  }
}

/**
 * Microphone audio → append events: resampled to 24 kHz, 16-bit, in base64, about every 100 ms.
 * `push` takes the capture's float chunks and returns the events' audio ready to send.
 */
export class PcmEncoder {
  private readonly resampler: Resampler;
  private pending: Float32Array[] = [];
  private pendingLength = 0;
  private readonly chunk: number;

  constructor(inRate: number, outRate = SEND_RATE, chunkMs = APPEND_MS) {
    this.resampler = new Resampler(inRate, outRate);
    this.chunk = Math.round((outRate * chunkMs) / 1000);
  }

  push(samples: Float32Array): string[] {
    this.add(this.resampler.push(samples));
    const out: string[] = [];
    while (this.pendingLength >= this.chunk) out.push(toBase64(floatToPcm16(this.take(this.chunk))));
    return out;
  }

  /** Whatever is left (the resampler's tail too), as one last chunk; [] when nothing is. */
  flush(): string[] {
    this.add(this.resampler.flush());
    if (!this.pendingLength) return [];
    return [toBase64(floatToPcm16(this.take(this.pendingLength)))];
  }

  private add(x: Float32Array) {
    if (!x.length) return;
    this.pending.push(x);
    this.pendingLength += x.length;
  }

  private take(n: number): Float32Array {
    const out = new Float32Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.pending[0];
      const need = n - filled;
      if (head.length <= need) {
        out.set(head, filled);
        filled += head.length;
        this.pending.shift();
      } else {
        out.set(head.subarray(0, need), filled);
        this.pending[0] = head.subarray(need);
        filled += need;
      }
    }
    this.pendingLength -= n;
    return out;
  }
}

/** The loudness of a chunk, 0..1 (RMS, on a rough log scale for a level meter). */
export function level(samples: Float32Array): number {
  if (!samples.length) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 1e-4) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60)); // −60 dBFS..0 dBFS
}

// ---- events → partials and finals ----

export interface LiveWord {
  word: string;
  start: number; // seconds from the session's start
  end: number;
  confidence?: number;
  speaker?: string;
}

export interface FinalTurn {
  itemId: string;
  text: string;
  speaker: string; // "A", "B", … or a known speaker's name; "" when the server gave none
  start: number; // seconds from the session's start
  end: number;
  words: LiveWord[];
}

export type ItemPhase = 'speaking' | 'committed';

export interface PendingItem {
  itemId: string;
  phase: ItemPhase;
  partial: string; // the turn's text so far ("" before the first delta)
}

export interface LiveNotice {
  kind: 'error' | 'failed';
  code: string;
  message: string;
}

export interface LiveState {
  sessionId: string;
  configured: boolean; // session.updated came back
  pending: PendingItem[]; // turns not yet final, in the order they started
  finals: FinalTurn[]; // in time order
  notices: LiveNotice[]; // error events and failed turns, oldest first
  sawPartial: boolean; // any delta arrived (the e2e test checks partials come before finals)
}

export const initialLiveState = (): LiveState => ({
  sessionId: '',
  configured: false,
  pending: [],
  finals: [],
  notices: [],
  sawPartial: false,
});

const str = (x: unknown) => (typeof x === 'string' ? x : '');
const num = (x: unknown, fallback = 0) => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);

function words(x: unknown): LiveWord[] {
  if (!Array.isArray(x)) return [];
  return x
    .filter((w): w is Record<string, unknown> => !!w && typeof w === 'object')
    .map((w) => {
      const out: LiveWord = { word: str(w.word), start: num(w.start), end: Math.max(num(w.start), num(w.end)) };
      if (typeof w.confidence === 'number') out.confidence = w.confidence;
      if (typeof w.speaker === 'string' && w.speaker) out.speaker = w.speaker;
      return out;
    });
}

function upsert(pending: PendingItem[], itemId: string, change: (p: PendingItem) => PendingItem): PendingItem[] {
  const i = pending.findIndex((p) => p.itemId === itemId);
  if (i < 0) return [...pending, change({ itemId, phase: 'speaking', partial: '' })];
  const next = pending.slice();
  next[i] = change(pending[i]);
  return next;
}

/** One server event (parsed JSON) applied to the state. Unknown events change nothing. */
export function liveReducer(state: LiveState, event: unknown): LiveState {
  if (!event || typeof event !== 'object') return state;
  const e = event as Record<string, unknown>;
  const itemId = str(e.item_id);
  switch (e.type) {
    case 'session.created':
    case 'transcription_session.created': {
      const s = (e.session ?? {}) as Record<string, unknown>;
      return { ...state, sessionId: str(s.id) || state.sessionId };
    }
    case 'session.updated':
    case 'transcription_session.updated':
      return { ...state, configured: true };
    case 'input_audio_buffer.speech_started':
      if (!itemId) return state;
      return { ...state, pending: upsert(state.pending, itemId, (p) => p) };
    case 'input_audio_buffer.committed':
      if (!itemId) return state;
      return { ...state, pending: upsert(state.pending, itemId, (p) => ({ ...p, phase: 'committed' })) };
    case 'input_audio_buffer.cleared':
      // The uncommitted audio is gone: so is the turn being spoken.
      return { ...state, pending: state.pending.filter((p) => p.phase !== 'speaking') };
    case 'conversation.item.input_audio_transcription.delta': {
      if (!itemId || state.finals.some((f) => f.itemId === itemId)) return state;
      const whole = typeof e.text === 'string' ? e.text : null; // vox: the whole partial
      const delta = str(e.delta);
      return {
        ...state,
        sawPartial: true,
        pending: upsert(state.pending, itemId, (p) => ({ ...p, partial: whole ?? p.partial + delta })),
      };
    }
    case 'conversation.item.input_audio_transcription.completed': {
      if (!itemId) return state;
      const ws = words(e.words);
      const start = typeof e.audio_start_ms === 'number' ? e.audio_start_ms / 1000 : (ws[0]?.start ?? 0);
      const end = typeof e.audio_end_ms === 'number' ? e.audio_end_ms / 1000 : (ws[ws.length - 1]?.end ?? start);
      const turn: FinalTurn = {
        itemId,
        text: str(e.transcript).trim(),
        speaker: str(e.speaker),
        start,
        end: Math.max(start, end),
        words: ws,
      };
      const finals = [...state.finals.filter((f) => f.itemId !== itemId), turn].sort((a, b) => a.start - b.start);
      return { ...state, finals, pending: state.pending.filter((p) => p.itemId !== itemId) };
    }
    case 'conversation.item.input_audio_transcription.failed': {
      const err = (e.error ?? {}) as Record<string, unknown>;
      return {
        ...state,
        pending: state.pending.filter((p) => p.itemId !== itemId),
        notices: [...state.notices, { kind: 'failed', code: str(err.code), message: str(err.message) || 'a turn could not be transcribed' }],
      };
    }
    case 'error': {
      const err = (e.error ?? {}) as Record<string, unknown>;
      const code = str(err.code);
      // A commit with nothing to commit (Stop just as the server ended the turn itself): nothing
      // is being spoken, and there is nothing to tell the user.
      if (code === 'input_audio_buffer_commit_empty') return { ...state, pending: state.pending.filter((p) => p.phase !== 'speaking') };
      return { ...state, notices: [...state.notices, { kind: 'error', code, message: str(err.message) || 'the server reported an error' }] };
    }
    default:
      return state;
  }
}

/** A turn is being spoken (speech started, not yet committed): Stop should commit it. */
export const speaking = (s: LiveState) => s.pending.some((p) => p.phase === 'speaking');
/** Turns that have not had their final yet. */
export const unfinished = (s: LiveState) => s.pending.length > 0;

/** Speakers in the order they first spoke (their colours follow this order). */
export function liveSpeakers(finals: FinalTurn[]): string[] {
  const seen: string[] = [];
  for (const f of finals) if (f.speaker && !seen.includes(f.speaker)) seen.push(f.speaker);
  return seen;
}

// ---- copy and export ----
// Client-side exports are TXT and JSON only. Subtitles (SRT/VTT) are not made here: the cue rules
// have one implementation, in the server (src/vox/format/subtitle_cues.cpp), and a live session
// has no stored job for the server to render them from.

/** "[0:03] Speaker A: text", one final per line; a turn without a speaker has no name. */
export function finalsText(finals: FinalTurn[], names: SpeakerNames = {}): string {
  return finals
    .filter((f) => f.text)
    .map((f) => {
      const name = speakerName(f.speaker, names);
      return `[${clock(f.start)}] ${name ? `${name}: ` : ''}${f.text}`;
    })
    .join('\n');
}

/** The finals with their words, speakers and times, as a JSON document. */
export function finalsJSON(finals: FinalTurn[], meta: { sessionId?: string; startedAt?: string } = {}): string {
  const doc = {
    object: 'vox.live_transcript',
    session_id: meta.sessionId || null,
    started_at: meta.startedAt || null,
    speakers: liveSpeakers(finals),
    turns: finals.map((f) => ({
      item_id: f.itemId,
      speaker: f.speaker || null,
      start: f.start,
      end: f.end,
      text: f.text,
      words: f.words,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** "live-2024-05-01-14-03.txt" for a session started then. */
export function liveFileName(startedAt: Date, extension: 'txt' | 'json'): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = startedAt;
  return `live-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}-${p(d.getMinutes())}.${extension}`;
}
