// The vox HTTP API as the page uses it. Every /v1 call carries "Authorization: Bearer KEY" when
// a key is set. Transcriptions run as async jobs (POST /v1/jobs, then the job's event stream);
// a server without the jobs API (404 on POST /v1/jobs) gets the synchronous route instead.
import { ApiError, CancelledError, errorFromResponse, jobError } from './errors';
import { readEventStream } from './sse';

export interface Model {
  id: string;
  kind?: string; // transcription | diarization | speech | …
  description?: string;
}

export interface Voice {
  id: string;
  name: string;
  engine: string;
  language: string;
  gender: string | null;
  sample_rate: number;
}

export type SpeakerMode = 'auto' | 'exact' | 'range';

export interface TranscribeOptions {
  model: string; // "" = the server's default
  language: string; // "" = detect / the engine's default
  diarize: boolean;
  speakerMode: SpeakerMode;
  numSpeakers: number;
  minSpeakers: number | null;
  maxSpeakers: number | null;
  wordTimestamps: boolean;
  // The text stage (each sent as its multipart field).
  punctuate: boolean; // sentences, punctuation, capitals
  numerals: boolean; // "twenty five dollars" → "$25"
  paragraphs: boolean; // detect_paragraphs
  entities: boolean; // detect_entities
  sentiment: boolean; // detect_sentiment (implies paragraphs)
  removeFillers: boolean; // um, uh, …
  profanityFilter: boolean;
  textRules: string; // one "from => to" per line → text_rules
}

export const DEFAULT_OPTIONS: TranscribeOptions = {
  model: '',
  language: '',
  diarize: true,
  speakerMode: 'auto',
  numSpeakers: 2,
  minSpeakers: null,
  maxSpeakers: null,
  wordTimestamps: true,
  punctuate: true,
  numerals: true,
  paragraphs: false,
  entities: false,
  sentiment: false,
  removeFillers: true,
  profanityFilter: false,
  textRules: '',
};

export interface TextRule {
  from: string;
  to: string;
}

/**
 * The text rules box: one "from => to" per line (blank lines and "#" comments skipped; an
 * empty "to" deletes the words). `error` names the first line that is not a rule.
 */
export function parseTextRules(text: string): { rules: TextRule[]; error: string | null } {
  const rules: TextRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf('=>');
    const from = at < 0 ? '' : line.slice(0, at).trim();
    if (!from) return { rules, error: `Text rule on line ${i + 1}: write it as "from => to".` };
    rules.push({ from, to: line.slice(at + 2).trim() });
  }
  return { rules, error: null };
}

export interface Progress {
  status: string; // queued | running | uploading | transcribing …
  stage: string | null;
  progress: number | null; // 0..1; null: unknown (indeterminate bar)
  elapsedS: number | null;
  etaS: number | null;
  jobId?: string;
}

export interface SpeechOptions {
  input: string;
  voice: string;
  model?: string;
  responseFormat: string;
  speed: number;
}

/** The multipart fields of a transcription (the same for POST /v1/jobs and the sync route). */
export function transcriptionFields(o: TranscribeOptions): [string, string][] {
  const f: [string, string][] = [['response_format', 'verbose_json']];
  if (o.model) f.push(['model', o.model]);
  if (o.language.trim()) f.push(['language', o.language.trim()]);
  f.push(['timestamp_granularities[]', 'segment']);
  if (o.wordTimestamps) f.push(['timestamp_granularities[]', 'word']);
  f.push(['diarize', o.diarize ? 'true' : 'false']);
  if (o.diarize && o.speakerMode === 'exact' && o.numSpeakers > 0) f.push(['num_speakers', String(o.numSpeakers)]);
  if (o.diarize && o.speakerMode === 'range') {
    if (o.minSpeakers) f.push(['min_speakers', String(o.minSpeakers)]);
    if (o.maxSpeakers) f.push(['max_speakers', String(o.maxSpeakers)]);
  }
  const flag = (name: string, on: boolean) => f.push([name, on ? 'true' : 'false']);
  flag('punctuate', o.punctuate);
  flag('numerals', o.numerals);
  flag('detect_paragraphs', o.paragraphs || o.sentiment);
  flag('detect_entities', o.entities);
  flag('detect_sentiment', o.sentiment);
  flag('remove_fillers', o.removeFillers);
  flag('profanity_filter', o.profanityFilter);
  const { rules } = parseTextRules(o.textRules ?? '');
  if (rules.length) f.push(['text_rules', JSON.stringify(rules)]);
  return f;
}

/** A problem with the options that the server would refuse anyway; null when fine. */
export function validateOptions(o: TranscribeOptions): string | null {
  const rules = parseTextRules(o.textRules ?? '');
  if (rules.error) return rules.error;
  if (!o.diarize) return null;
  const ok = (n: number | null) => n == null || (Number.isInteger(n) && n >= 1 && n <= 32);
  if (o.speakerMode === 'exact' && !(Number.isInteger(o.numSpeakers) && o.numSpeakers >= 1 && o.numSpeakers <= 32))
    return 'The number of speakers must be a whole number from 1 to 32.';
  if (o.speakerMode === 'range') {
    if (!ok(o.minSpeakers) || !ok(o.maxSpeakers)) return 'Speaker counts must be whole numbers from 1 to 32.';
    if (o.minSpeakers != null && o.maxSpeakers != null && o.minSpeakers > o.maxSpeakers)
      return 'The minimum number of speakers must not exceed the maximum.';
  }
  return null;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException ? e.name === 'AbortError' : e instanceof Error && e.name === 'AbortError';
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new CancelledError());
    });
  });

export class VoxClient {
  constructor(
    public base = '',
    public key = '',
    private fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.key.trim()) h.Authorization = `Bearer ${this.key.trim()}`;
    return h;
  }

  /** fetch, with network failures and aborts as ApiError / CancelledError. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await this.fetchImpl(this.base + path, {
        ...init,
        headers: this.headers((init.headers as Record<string, string>) ?? {}),
      });
    } catch (e) {
      if (isAbort(e)) throw new CancelledError();
      throw new ApiError(e instanceof Error ? e.message : String(e), { status: 0 });
    }
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.request(path, init);
    if (!res.ok) throw await errorFromResponse(res);
    return (await res.json()) as T;
  }

  async models(): Promise<Model[]> {
    const j = await this.json<{ data?: Model[] }>('/v1/models');
    return Array.isArray(j.data) ? j.data : [];
  }

  async voices(): Promise<Voice[]> {
    const j = await this.json<{ data?: Voice[] }>('/v1/audio/voices');
    return Array.isArray(j.data) ? j.data : [];
  }

  private form(file: Blob, fileName: string, o: TranscribeOptions): FormData {
    const fd = new FormData();
    for (const [k, v] of transcriptionFields(o)) fd.append(k, v);
    fd.append('file', file, fileName); // last: the server reads every field whatever the order
    return fd;
  }

  /**
   * Transcribes `file` into verbose_json. Progress comes from the job's event stream; on a
   * server without jobs the bar is indeterminate. Aborting `signal` cancels the job.
   */
  async transcribe(
    file: Blob,
    fileName: string,
    o: TranscribeOptions,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<unknown> {
    onProgress({ status: 'uploading', stage: 'upload', progress: null, elapsedS: null, etaS: null });
    const res = await this.request('/v1/jobs', { method: 'POST', body: this.form(file, fileName, o), signal });
    if (res.status === 404 || res.status === 405) {
      const err = await errorFromResponse(res);
      if (err.code === 'model_not_found') throw err;
      return this.transcribeSync(file, fileName, o, onProgress, signal);
    }
    if (!res.ok) throw await errorFromResponse(res);
    const job = (await res.json()) as { id: string; status: string };
    return this.followJob(job.id, onProgress, signal);
  }

  /** POST /v1/audio/transcriptions: one request, no progress to show. */
  async transcribeSync(
    file: Blob,
    fileName: string,
    o: TranscribeOptions,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<unknown> {
    onProgress({ status: 'transcribing', stage: null, progress: null, elapsedS: null, etaS: null });
    const res = await this.request('/v1/audio/transcriptions', {
      method: 'POST',
      body: this.form(file, fileName, o),
      signal,
    });
    if (!res.ok) throw await errorFromResponse(res);
    return res.json();
  }

  /** Follows a job to its end: the event stream, else polling. Resolves with its result. */
  async followJob(id: string, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<unknown> {
    const path = `/v1/jobs/${encodeURIComponent(id)}`;
    const onAbort = () => {
      // Cancelling the page's request must cancel the server's work too.
      this.request(path, { method: 'DELETE' }).catch(() => {});
    };
    if (signal?.aborted) {
      onAbort();
      throw new CancelledError();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      onProgress({ status: 'queued', stage: null, progress: 0, elapsedS: 0, etaS: null, jobId: id });
      let final: { event: string; data: Record<string, unknown> } | null = null;
      try {
        const res = await this.request(`${path}/events`, { signal, headers: { Accept: 'text/event-stream' } });
        if (!res.ok) throw await errorFromResponse(res);
        if (res.body) {
          await readEventStream(res.body, (e) => {
            let data: Record<string, unknown> = {};
            try {
              data = JSON.parse(e.data);
            } catch {
              return false;
            }
            if (e.event === 'progress') {
              onProgress(jobProgress(data, id));
              return false;
            }
            if (e.event === 'done' || e.event === 'failed' || e.event === 'cancelled') {
              final = { event: e.event, data };
              return true;
            }
            return false;
          });
        }
      } catch (e) {
        if (e instanceof CancelledError || isAbort(e) || signal?.aborted) throw new CancelledError();
        if (e instanceof ApiError && e.status !== 0 && e.status !== 404) throw e;
        // The stream broke (a proxy, a dropped connection): polling still gets the answer.
      }
      // The stream ended without a final event: ask until the job ends.
      while (!final) {
        if (signal?.aborted) throw new CancelledError();
        const res = await this.request(`${path}?format=verbose_json`, { signal });
        if (!res.ok) throw await errorFromResponse(res);
        const j = (await res.json()) as Record<string, unknown>;
        const status = String(j.status);
        if (status === 'succeeded') final = { event: 'done', data: j };
        else if (status === 'failed') final = { event: 'failed', data: j };
        else if (status === 'cancelled') final = { event: 'cancelled', data: j };
        else {
          onProgress(jobProgress(j, id));
          await sleep(1000, signal);
        }
      }
      const { event, data } = final as { event: string; data: Record<string, unknown> };
      if (event === 'cancelled') throw new CancelledError('The job was cancelled.');
      if (event === 'failed' || data.error) throw jobError(data.error);
      onProgress({ ...jobProgress(data, id), progress: 1, etaS: 0 });
      if (data.result && typeof data.result === 'object') return data.result;
      // No embedded result (or not verbose_json): fetch it in the format the page reads.
      const res = await this.request(`${path}?format=verbose_json`, { signal });
      if (!res.ok) throw await errorFromResponse(res);
      const j = (await res.json()) as Record<string, unknown>;
      if (j.error) throw jobError(j.error);
      return j.result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A finished job's stored result rendered by the server in `format` (GET
   * /v1/jobs/{id}/result), speaker labels replaced by `names`. Resolves with the body.
   */
  async jobResult(id: string, format: string, names: Record<string, string> = {}, signal?: AbortSignal): Promise<Blob> {
    const res = await this.request(jobResultPath(id, format, names), { signal });
    if (!res.ok) throw await errorFromResponse(res);
    return res.blob();
  }

  /** POST /v1/audio/speech → the audio. */
  async speak(o: SpeechOptions, signal?: AbortSignal): Promise<Blob> {
    const body: Record<string, unknown> = {
      model: o.model || 'tts-1',
      input: o.input,
      voice: o.voice,
      response_format: o.responseFormat,
      speed: o.speed,
    };
    const res = await this.request('/v1/audio/speech', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
      signal,
    });
    if (!res.ok) throw await errorFromResponse(res);
    const blob = await res.blob();
    if (blob.size === 0) throw new ApiError('the server sent no audio', { status: res.status });
    return blob;
  }
}

/**
 * "/v1/jobs/{id}/result?format=srt&speaker_names={…}": the names given (trimmed, blank ones left
 * out: the server keeps those labels); no speaker_names when none is given.
 */
export function jobResultPath(id: string, format: string, names: Record<string, string> = {}): string {
  const given: Record<string, string> = {};
  for (const [label, name] of Object.entries(names)) if (name?.trim()) given[label] = name.trim();
  const q = new URLSearchParams({ format });
  if (Object.keys(given).length) q.set('speaker_names', JSON.stringify(given));
  return `/v1/jobs/${encodeURIComponent(id)}/result?${q.toString().replaceAll('+', '%20')}`;
}

export function jobProgress(d: Record<string, unknown>, id: string): Progress {
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const p = n(d.progress);
  return {
    status: typeof d.status === 'string' ? d.status : 'running',
    stage: typeof d.stage === 'string' ? d.stage : null,
    progress: p == null ? null : Math.min(1, Math.max(0, p)),
    elapsedS: n(d.elapsed_s),
    etaS: n(d.eta_s),
    jobId: id,
  };
}
