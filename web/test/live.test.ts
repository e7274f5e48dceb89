import { describe, expect, it } from 'vitest';
import {
  PcmEncoder,
  Resampler,
  closeMessage,
  finalsJSON,
  finalsText,
  floatToPcm16,
  initialLiveState,
  level,
  liveFileName,
  liveReducer,
  liveSpeakers,
  realtimeProtocols,
  realtimeURL,
  sessionUpdate,
  speaking,
  toBase64,
  unfinished,
  type LiveState,
} from '../src/lib/live';
import { NoticeError, describeError } from '../src/lib/errors';
import { microphoneError } from '../src/lib/liveCapture';

const DELTA = 'conversation.item.input_audio_transcription.delta';
const COMPLETED = 'conversation.item.input_audio_transcription.completed';
const run = (events: unknown[], from: LiveState = initialLiveState()) => events.reduce<LiveState>(liveReducer, from);

describe('the realtime connection', () => {
  it('follows the page: ws on http, wss on https, same host and port', () => {
    expect(realtimeURL({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/v1/realtime?intent=transcription');
    expect(realtimeURL({ protocol: 'https:', host: 'vox.example' })).toBe('wss://vox.example/v1/realtime?intent=transcription');
  });

  it('carries the key as the subprotocol the server reads', () => {
    expect(realtimeProtocols('')).toEqual(['realtime']);
    expect(realtimeProtocols('  ')).toEqual(['realtime']);
    expect(realtimeProtocols(' vox_abc-DEF_123 ')).toEqual(['realtime', 'openai-insecure-api-key.vox_abc-DEF_123']);
    expect(() => realtimeProtocols('vox bad key')).toThrow(/cannot be sent/);
    expect(() => realtimeProtocols('vox"x')).toThrow();
  });

  it('asks for a transcription session with 24 kHz PCM and server VAD', () => {
    expect(sessionUpdate({ model: '', language: '' })).toEqual({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: {}, turn_detection: { type: 'server_vad' } } },
      },
    });
    const s = sessionUpdate({ model: ' sphinx ', language: 'en' }) as { session: { audio: { input: { transcription: unknown } } } };
    expect(s.session.audio.input.transcription).toEqual({ model: 'sphinx', language: 'en' });
  });

  it('explains close codes', () => {
    expect(closeMessage(1000, '', true)).toBe('');
    expect(closeMessage(1008, 'audio rate limit reached', true)).toMatch(/audio rate limit reached.*allowance/);
    expect(closeMessage(1011, 'cannot start a live session', true)).toMatch(/server failed \(cannot start a live session\)/);
    expect(closeMessage(1006, '', true)).toMatch(/lost \(code 1006\)/);
    expect(closeMessage(1006, '', false)).toMatch(/Could not open/);
  });

  it('says what to do about the microphone', () => {
    const e = (name: string) => describeError(microphoneError(new DOMException('x', name)));
    expect(e('NotAllowedError')).toMatchObject({ title: 'Microphone blocked', detail: expect.stringMatching(/Allow it in the site settings/) });
    expect(e('NotFoundError').title).toBe('No microphone');
    expect(e('NotReadableError').detail).toMatch(/another program/);
    expect(e('SecurityError').detail).toMatch(/https:\/\/ pages or on localhost/);
    expect(describeError(microphoneError(new Error('odd'))).title).toBe('Microphone problem');
  });

  it('words notices for the banner as they are', () => {
    const d = describeError(new NoticeError('Microphone blocked', 'Allow it in the site settings'));
    expect(d).toMatchObject({ title: 'Microphone blocked', detail: 'Allow it in the site settings.' });
  });
});

describe('audio', () => {
  it('converts floats to clipped 16-bit little-endian PCM', () => {
    const b = floatToPcm16(new Float32Array([0, 1, -1, 0.5, 2, -2]));
    const v = new DataView(b.buffer);
    expect([0, 1, 2, 3, 4, 5].map((i) => v.getInt16(2 * i, true))).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
  });

  it('base64-encodes bytes, large ones too', () => {
    expect(toBase64(new Uint8Array([]))).toBe('');
    expect(toBase64(new Uint8Array([0xff, 0x00, 0x10]))).toBe('/wAQ');
    const big = new Uint8Array(100_000).map((_, i) => i * 7);
    expect(Buffer.from(toBase64(big), 'base64').equals(Buffer.from(big))).toBe(true);
  });

  const sine = (hz: number, rate: number, n: number, from = 0) =>
    Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * (i + from)) / rate));
  const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

  for (const inRate of [48000, 44100, 16000]) {
    it(`resamples ${inRate} Hz to 24 kHz in chunks, seamlessly and in tune`, () => {
      const r = new Resampler(inRate, 24000);
      const n = inRate; // one second
      const input = sine(440, inRate, n);
      const parts: Float32Array[] = [];
      // Odd chunk sizes, as a worklet might hand them over.
      for (let pos = 0, k = 0; pos < n; k++) {
        const size = [128, 1000, 37, 4096][k % 4];
        parts.push(r.push(input.subarray(pos, pos + size)));
        pos += size;
      }
      parts.push(r.flush());
      const out = Float32Array.from(parts.flatMap((p) => [...p]));
      expect(out.length).toBe(24000);
      // Past the edges, each output sample is the sine at its own time.
      let worst = 0;
      for (let i = 200; i < out.length - 200; i++) worst = Math.max(worst, Math.abs(out[i] - 0.5 * Math.sin((2 * Math.PI * 440 * i) / 24000)));
      expect(worst).toBeLessThan(0.01);
    });
  }

  it('filters out what 24 kHz cannot carry instead of folding it down', () => {
    const r = new Resampler(48000, 24000);
    const tone = sine(15000, 48000, 48000); // above the new Nyquist (12 kHz)
    const out = Float32Array.from([...r.push(tone), ...r.flush()]);
    expect(rms(out.subarray(500, out.length - 500))).toBeLessThan(0.01);
    const pass = new Resampler(48000, 24000);
    const low = sine(3000, 48000, 48000);
    const kept = Float32Array.from([...pass.push(low), ...pass.flush()]);
    expect(rms(kept.subarray(500, kept.length - 500))).toBeGreaterThan(0.34);
  });

  it('passes audio already at 24 kHz through', () => {
    const r = new Resampler(24000, 24000);
    const x = sine(440, 24000, 1000);
    expect([...r.push(x)]).toEqual([...x]);
    expect(r.flush().length).toBe(0);
  });

  it('cuts the audio into ~100 ms appends of base64 PCM', () => {
    const enc = new PcmEncoder(48000);
    const sent: string[] = [];
    for (let i = 0; i < 25; i++) sent.push(...enc.push(sine(300, 48000, 1920, i * 1920))); // 25 × 40 ms
    sent.push(...enc.flush());
    const sizes = sent.map((a) => Buffer.from(a, 'base64').length);
    expect(sizes.slice(0, -1).every((s) => s === 4800)).toBe(true); // 2400 samples × 2 bytes
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(24000 * 2); // one second at 24 kHz, nothing lost
    expect(enc.flush()).toEqual([]);
  });

  it('measures a level for the meter', () => {
    expect(level(new Float32Array(100))).toBe(0);
    expect(level(new Float32Array(100).fill(1))).toBe(1);
    const mid = level(new Float32Array(100).fill(0.03)); // about −30 dBFS
    expect(mid).toBeGreaterThan(0.4);
    expect(mid).toBeLessThan(0.6);
  });
});

describe('events → partials and finals', () => {
  const started = (id: string) => ({ type: 'input_audio_buffer.speech_started', item_id: id, audio_start_ms: 100 });
  const committed = (id: string) => ({ type: 'input_audio_buffer.committed', item_id: id, previous_item_id: null });
  const delta = (id: string, d: string, text?: string) => ({ type: DELTA, item_id: id, content_index: 0, delta: d, ...(text != null ? { text } : {}) });
  const completed = (id: string, transcript: string, speaker: string | null, startMs: number, endMs: number) => ({
    type: COMPLETED,
    item_id: id,
    content_index: 0,
    transcript,
    speaker,
    words: transcript.split(' ').map((w, i) => ({ word: w, start: startMs / 1000 + i * 0.3, end: startMs / 1000 + i * 0.3 + 0.25, confidence: 0.9 })),
    audio_start_ms: startMs,
    audio_end_ms: endMs,
    usage: { type: 'duration', seconds: (endMs - startMs) / 1000 },
  });

  it('records the session', () => {
    const s = run([
      { type: 'session.created', event_id: 'event_1', session: { id: 'sess_1', type: 'transcription' } },
      { type: 'session.updated', event_id: 'event_2', session: { id: 'sess_1' } },
    ]);
    expect(s.sessionId).toBe('sess_1');
    expect(s.configured).toBe(true);
  });

  it('grows a partial from deltas (OpenAI clients read only `delta`)', () => {
    const s = run([started('item_1'), delta('item_1', 'hello'), delta('item_1', ' there')]);
    expect(s.pending).toEqual([{ itemId: 'item_1', phase: 'speaking', partial: 'hello there' }]);
    expect(s.sawPartial).toBe(true);
    expect(speaking(s)).toBe(true);
  });

  it("takes vox's whole `text` when the engine revised earlier words", () => {
    const s = run([
      delta('item_1', 'the cat', 'the cat'),
      delta('item_1', ' sat', 'the cat sat'),
      delta('item_1', '', 'the hat sat on'), // revised: no delta, the whole partial
    ]);
    expect(s.pending[0].partial).toBe('the hat sat on');
  });

  it('firms a partial into a final turn with its speaker, words and time', () => {
    let s = run([started('item_1'), delta('item_1', 'good morning'), { type: 'input_audio_buffer.speech_stopped', item_id: 'item_1', audio_end_ms: 1900 }]);
    expect(speaking(s)).toBe(true); // stopped is not committed
    s = run([committed('item_1')], s);
    expect(speaking(s)).toBe(false);
    expect(unfinished(s)).toBe(true);
    s = run([completed('item_1', 'Good morning.', 'A', 380, 1900)], s);
    expect(s.pending).toEqual([]);
    expect(unfinished(s)).toBe(false);
    expect(s.finals).toHaveLength(1);
    expect(s.finals[0]).toMatchObject({ itemId: 'item_1', text: 'Good morning.', speaker: 'A', start: 0.38, end: 1.9 });
    expect(s.finals[0].words[0]).toMatchObject({ word: 'Good', start: 0.38, confidence: 0.9 });
    // A late delta for a finished turn is ignored.
    s = run([delta('item_1', ' again')], s);
    expect(s.pending).toEqual([]);
  });

  it('keeps turns in time order while one is being finalised and the next is spoken', () => {
    const s = run([
      started('item_1'),
      delta('item_1', 'first'),
      committed('item_1'),
      started('item_2'),
      delta('item_2', 'second'),
      completed('item_2', 'second', 'B', 3000, 4000),
      completed('item_1', 'first', 'A', 500, 2000),
    ]);
    expect(s.finals.map((f) => f.itemId)).toEqual(['item_1', 'item_2']);
    expect(liveSpeakers(s.finals)).toEqual(['A', 'B']);
  });

  it('treats a missing speaker as none, and falls back to word times', () => {
    const s = run([{ type: COMPLETED, item_id: 'i', transcript: ' hi ', speaker: null, words: [{ word: 'hi', start: 2, end: 2.4 }] }]);
    expect(s.finals[0]).toMatchObject({ text: 'hi', speaker: '', start: 2, end: 2.4 });
  });

  it('drops failed turns and cleared speech, and keeps error events as notices', () => {
    let s = run([
      started('item_1'),
      committed('item_1'),
      { type: 'conversation.item.input_audio_transcription.failed', item_id: 'item_1', error: { code: 'internal_error', message: 'engine crashed' } },
    ]);
    expect(s.pending).toEqual([]);
    expect(s.notices).toEqual([{ kind: 'failed', code: 'internal_error', message: 'engine crashed' }]);
    s = run([started('item_2'), { type: 'input_audio_buffer.cleared' }], s);
    expect(s.pending).toEqual([]);
    s = run([started('item_3'), { type: 'error', error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: 'empty' } }], s);
    expect(speaking(s)).toBe(false);
    expect(s.notices).toHaveLength(1); // an empty commit at Stop is expected, not news
    s = run([{ type: 'error', error: { code: 'invalid_value', message: "Invalid value: 'x'.", param: 'type' } }], s);
    expect(s.notices.at(-1)).toEqual({ kind: 'error', code: 'invalid_value', message: "Invalid value: 'x'." });
  });

  it('ignores what it does not know', () => {
    const s0 = initialLiveState();
    expect(run([null, 'x', { type: 'response.created' }, { type: DELTA }], s0)).toEqual(s0);
  });

  it('copies and exports the finals (TXT and JSON only: subtitles are the server’s)', () => {
    const s = run([completed('b', 'Fine thanks.', 'B', 65_000, 66_000), completed('a', 'How are you?', 'A', 1000, 2000), completed('c', '', 'A', 70_000, 70_100)]);
    expect(finalsText(s.finals)).toBe('[0:01] Speaker A: How are you?\n[1:05] Speaker B: Fine thanks.');
    expect(finalsText(s.finals, { A: 'Alice' })).toBe('[0:01] Alice: How are you?\n[1:05] Speaker B: Fine thanks.');
    expect(finalsText(run([completed('x', 'hello', null, 0, 500)]).finals)).toBe('[0:00] hello');
    const doc = JSON.parse(finalsJSON(s.finals, { sessionId: 'sess_1', startedAt: '2024-05-01T10:00:00.000Z' }));
    expect(doc).toMatchObject({ object: 'vox.live_transcript', session_id: 'sess_1', speakers: ['A', 'B'] });
    expect(doc.turns[0]).toMatchObject({ item_id: 'a', speaker: 'A', start: 1, end: 2, text: 'How are you?' });
    expect(doc.turns[0].words).toHaveLength(3);
    expect(liveFileName(new Date(2024, 4, 1, 9, 5), 'txt')).toBe('live-2024-05-01-09-05.txt');
  });
});
