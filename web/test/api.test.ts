import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  type Progress,
  VoxClient,
  parseTextRules,
  transcriptionFields,
  validateOptions,
} from '../src/lib/api';
import { ApiError, CancelledError } from '../src/lib/errors';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
interface Call {
  method: string;
  url: string;
  auth: string | null;
  fields?: [string, string][];
}

function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const impl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call: Call = { method, url, auth: headers.Authorization ?? null };
    if (init.body instanceof FormData)
      call.fields = [...init.body.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `<file ${(v as File).name}>`]);
    calls.push(call);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const h = routes[`${method} ${url.split('?')[0]}`];
    if (!h) return json(404, { error: { message: `no route ${url}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
    return h(url, init);
  }) as typeof fetch;
  return { impl, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function sse(events: [string, unknown][], { close = true } = {}) {
  const enc = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const [event, data] of events) c.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        if (close) c.close();
      },
    }),
    { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
  );
}

const RESULT = { text: 'hello there', segments: [{ id: 0, start: 0, end: 1, text: 'hello there', speaker: 'A' }] };
const file = new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/wav' });

describe('transcriptionFields', () => {
  it('asks for verbose_json with words and the speaker options', () => {
    expect(transcriptionFields(DEFAULT_OPTIONS)).toEqual([
      ['response_format', 'verbose_json'],
      ['timestamp_granularities[]', 'segment'],
      ['timestamp_granularities[]', 'word'],
      ['diarize', 'true'],
      ['punctuate', 'true'],
      ['numerals', 'true'],
      ['detect_paragraphs', 'false'],
      ['detect_entities', 'false'],
      ['detect_sentiment', 'false'],
      ['remove_fillers', 'true'],
      ['profanity_filter', 'false'],
    ]);
    const exact = transcriptionFields({ ...DEFAULT_OPTIONS, model: 'sphinx', language: ' en ', speakerMode: 'exact', numSpeakers: 3 });
    expect(exact).toContainEqual(['model', 'sphinx']);
    expect(exact).toContainEqual(['language', 'en']);
    expect(exact).toContainEqual(['num_speakers', '3']);
    const range = transcriptionFields({ ...DEFAULT_OPTIONS, speakerMode: 'range', minSpeakers: 2, maxSpeakers: null });
    expect(range).toContainEqual(['min_speakers', '2']);
    expect(range.some(([k]) => k === 'max_speakers')).toBe(false);
    const off = transcriptionFields({ ...DEFAULT_OPTIONS, diarize: false, wordTimestamps: false, speakerMode: 'exact' });
    expect(off).toContainEqual(['diarize', 'false']);
    expect(off.some(([k, v]) => k === 'num_speakers' || v === 'word')).toBe(false);
  });

  it('sends the text switches and the text rules as JSON', () => {
    const f = transcriptionFields({
      ...DEFAULT_OPTIONS,
      punctuate: false,
      numerals: false,
      entities: true,
      sentiment: true,
      removeFillers: false,
      profanityFilter: true,
      textRules: 'acme => ACME\n\n# a comment\n  kay eight=>K8  \num =>\n',
    });
    const get = (k: string) => f.filter(([n]) => n === k).map(([, v]) => v);
    expect(get('punctuate')).toEqual(['false']);
    expect(get('numerals')).toEqual(['false']);
    expect(get('detect_entities')).toEqual(['true']);
    expect(get('detect_sentiment')).toEqual(['true']);
    expect(get('detect_paragraphs')).toEqual(['true']); // sentiment implies paragraphs
    expect(get('remove_fillers')).toEqual(['false']);
    expect(get('profanity_filter')).toEqual(['true']);
    expect(JSON.parse(get('text_rules')[0])).toEqual([
      { from: 'acme', to: 'ACME' },
      { from: 'kay eight', to: 'K8' },
      { from: 'um', to: '' },
    ]);
    expect(transcriptionFields({ ...DEFAULT_OPTIONS, paragraphs: true })).toContainEqual(['detect_paragraphs', 'true']);
    expect(transcriptionFields({ ...DEFAULT_OPTIONS, textRules: ' \n# only a comment' }).some(([k]) => k === 'text_rules')).toBe(false);
  });

  it('reads text rules and names the first bad line', () => {
    expect(parseTextRules('')).toEqual({ rules: [], error: null });
    expect(parseTextRules('a => b => c').rules).toEqual([{ from: 'a', to: 'b => c' }]);
    expect(parseTextRules('ok => fine\nno arrow here').error).toMatch(/line 2/);
    expect(parseTextRules('=> nothing').error).toMatch(/line 1/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, textRules: 'x => y\r\nbad' })).toMatch(/line 2.*from => to/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, diarize: false, textRules: 'bad' })).toMatch(/line 1/);
  });

  it('validates speaker counts', () => {
    expect(validateOptions(DEFAULT_OPTIONS)).toBeNull();
    expect(validateOptions({ ...DEFAULT_OPTIONS, speakerMode: 'exact', numSpeakers: 0 })).toMatch(/1 to 32/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, speakerMode: 'range', minSpeakers: 4, maxSpeakers: 2 })).toMatch(/not exceed/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, diarize: false, speakerMode: 'exact', numSpeakers: 0 })).toBeNull();
  });
});

describe('VoxClient.transcribe', () => {
  it('submits a job, follows its events and returns the result', async () => {
    const { impl, calls } = fakeFetch({
      'POST /v1/jobs': () => json(202, { id: 'job_1', status: 'queued' }),
      'GET /v1/jobs/job_1/events': () =>
        sse([
          ['progress', { id: 'job_1', status: 'running', stage: 'asr', progress: 0.4, elapsed_s: 1.5, eta_s: 2.2 }],
          ['progress', { id: 'job_1', status: 'running', stage: 'merge', progress: 0.97, elapsed_s: 3, eta_s: 0.1 }],
          ['done', { id: 'job_1', status: 'succeeded', progress: 1, result: RESULT }],
        ]),
    });
    const seen: Progress[] = [];
    const out = await new VoxClient('', 'vox_key', impl).transcribe(file, 'talk.wav', DEFAULT_OPTIONS, (p) => seen.push(p));
    expect(out).toEqual(RESULT);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/jobs', 'GET /v1/jobs/job_1/events']);
    expect(calls.every((c) => c.auth === 'Bearer vox_key')).toBe(true);
    expect(calls[0].fields).toContainEqual(['file', '<file talk.wav>']);
    const running = seen.filter((p) => p.status === 'running');
    expect(running.map((p) => [p.stage, p.progress, p.etaS])).toEqual([
      ['asr', 0.4, 2.2],
      ['merge', 0.97, 0.1],
    ]);
    expect(seen[seen.length - 1].progress).toBe(1);
  });

  it('falls back to the synchronous route when the server has no jobs API', async () => {
    const { impl, calls } = fakeFetch({
      'POST /v1/audio/transcriptions': () => json(200, RESULT),
    });
    const seen: Progress[] = [];
    const out = await new VoxClient('', '', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, (p) => seen.push(p));
    expect(out).toEqual(RESULT);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/jobs', 'POST /v1/audio/transcriptions']);
    expect(calls[1].auth).toBeNull();
    expect(seen[seen.length - 1]).toMatchObject({ status: 'transcribing', progress: null });
  });

  it('does not fall back when the 404 is an unknown engine', async () => {
    const { impl, calls } = fakeFetch({
      'POST /v1/jobs': () =>
        json(404, { error: { message: "no engine 'x'", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } }),
    });
    await expect(new VoxClient('', '', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, () => {})).rejects.toMatchObject({
      code: 'model_not_found',
    });
    expect(calls).toHaveLength(1);
  });

  it('turns a failed job into an error with the code\'s status', async () => {
    const { impl } = fakeFetch({
      'POST /v1/jobs': () => json(202, { id: 'j', status: 'queued' }),
      'GET /v1/jobs/j/events': () =>
        sse([['failed', { id: 'j', status: 'failed', error: { message: 'cannot decode audio', type: 'invalid_request_error', param: null, code: 'invalid_audio' } }]]),
    });
    const p = new VoxClient('', '', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, () => {});
    await expect(p).rejects.toBeInstanceOf(ApiError);
    await expect(p).rejects.toMatchObject({ status: 415, code: 'invalid_audio' });
  });

  it('passes on HTTP errors with Retry-After', async () => {
    const { impl } = fakeFetch({
      'POST /v1/jobs': () =>
        json(429, { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } }, { 'Retry-After': '7' }),
    });
    await expect(new VoxClient('', 'k', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, () => {})).rejects.toMatchObject({
      status: 429,
      retryAfterS: 7,
    });
  });

  it('polls the job when the event stream ends early', async () => {
    let polls = 0;
    const { impl, calls } = fakeFetch({
      'POST /v1/jobs': () => json(202, { id: 'j', status: 'queued' }),
      'GET /v1/jobs/j/events': () => sse([['progress', { status: 'running', progress: 0.5 }]]),
      'GET /v1/jobs/j': () => (++polls < 2 ? json(200, { id: 'j', status: 'running', progress: 0.8 }) : json(200, { id: 'j', status: 'succeeded', result: RESULT })),
    });
    const out = await new VoxClient('', '', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, () => {});
    expect(out).toEqual(RESULT);
    expect(calls.filter((c) => c.url.startsWith('/v1/jobs/j?format=verbose_json'))).toHaveLength(2);
  });

  it('cancels the job on the server when aborted', async () => {
    const controller = new AbortController();
    const { impl, calls } = fakeFetch({
      'POST /v1/jobs': () => json(202, { id: 'j', status: 'queued' }),
      'GET /v1/jobs/j/events': (_u, init) => {
        // a stream that stays open until the request is aborted
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('event: progress\ndata: {"status":"running","progress":0.1}\n\n'));
            init.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
          },
        });
        return new Response(body, { status: 200 });
      },
      'DELETE /v1/jobs/j': () => json(200, { id: 'j', status: 'cancelled' }),
    });
    const p = new VoxClient('', '', impl).transcribe(file, 'a.wav', DEFAULT_OPTIONS, (pr) => {
      if (pr.progress === 0.1) controller.abort();
    }, controller.signal);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/v1/jobs/j')).toBe(true);
  });
});

describe('VoxClient.jobResult', () => {
  it('fetches the stored result in a format with the speaker names, with the key', async () => {
    let asked = '';
    const { impl, calls } = fakeFetch({
      'GET /v1/jobs/job_9/result': (url) => {
        asked = url;
        return new Response('1\n00:00:00,000 --> 00:00:01,000\n[Alice] Hello.\n\n', {
          status: 200,
          headers: { 'Content-Type': 'application/x-subrip' },
        });
      },
    });
    const body = await new VoxClient('', 'vox_k', impl).jobResult('job_9', 'srt', { A: 'Alice', B: '' });
    expect(await body.text()).toContain('[Alice] Hello.');
    expect(body.type).toMatch(/^application\/x-subrip/);
    expect(calls[0].auth).toBe('Bearer vox_k');
    const q = new URL(asked, 'http://x').searchParams;
    expect(q.get('format')).toBe('srt');
    expect(JSON.parse(q.get('speaker_names')!)).toEqual({ A: 'Alice' });
  });

  it('turns an error answer into an ApiError', async () => {
    const { impl } = fakeFetch({
      'GET /v1/jobs/gone/result': () =>
        json(404, { error: { message: 'no job gone', type: 'invalid_request_error', param: null, code: 'not_found' } }),
    });
    await expect(new VoxClient('', '', impl).jobResult('gone', 'vtt')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('VoxClient catalogue and speech', () => {
  it('lists models and voices, and reports a refused key', async () => {
    const { impl } = fakeFetch({
      'GET /v1/models': () => json(200, { object: 'list', data: [{ id: 'sphinx', kind: 'transcription' }] }),
      'GET /v1/audio/voices': () => json(200, { data: [{ id: 'slt', name: 'slt', engine: 'flite', language: 'en-US', gender: 'female', sample_rate: 16000 }] }),
    });
    const c = new VoxClient('', '', impl);
    expect((await c.models())[0].id).toBe('sphinx');
    expect((await c.voices())[0].engine).toBe('flite');
    const denied = fakeFetch({
      'GET /v1/models': () => json(401, { error: { message: 'invalid API key', type: 'authentication_error', param: null, code: 'invalid_api_key' } }),
    });
    await expect(new VoxClient('', 'bad', denied.impl).models()).rejects.toMatchObject({ status: 401 });
  });

  it('posts speech as JSON and returns the audio', async () => {
    let sent: Record<string, unknown> = {};
    const { impl } = fakeFetch({
      'POST /v1/audio/speech': (_u, init) => {
        sent = JSON.parse(String(init.body));
        return new Response(new Uint8Array([82, 73, 70, 70]), { status: 200, headers: { 'Content-Type': 'audio/wav' } });
      },
    });
    const blob = await new VoxClient('', '', impl).speak({ input: 'hi', voice: 'slt', model: 'flite', responseFormat: 'wav', speed: 1.25 });
    expect(blob.size).toBe(4);
    expect(sent).toEqual({ model: 'flite', input: 'hi', voice: 'slt', response_format: 'wav', speed: 1.25 });
  });

  it('reports a network failure as status 0', async () => {
    const impl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(new VoxClient('', '', impl).voices()).rejects.toMatchObject({ status: 0, message: 'Failed to fetch' });
  });
});
