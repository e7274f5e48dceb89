// Errors from the vox API ({"error": {message, type, param, code}} with an HTTP status, and
// Retry-After on 429/503) turned into sentences a person can act on.

export class ApiError extends Error {
  readonly status: number; // 0: no HTTP answer (network failure)
  readonly code: string;
  readonly type: string;
  readonly param: string | null;
  readonly retryAfterS: number | null;

  constructor(
    message: string,
    opts: { status?: number; code?: string; type?: string; param?: string | null; retryAfterS?: number | null } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = opts.status ?? 0;
    this.code = opts.code ?? '';
    this.type = opts.type ?? '';
    this.param = opts.param ?? null;
    this.retryAfterS = opts.retryAfterS ?? null;
  }
}

/** The user (or a new submission) cancelled the work. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** An error already worded for the user: a title and what to do (the Live tab's microphone and connection problems). */
export class NoticeError extends Error {
  readonly title: string;
  constructor(title: string, detail: string) {
    super(detail);
    this.name = 'NoticeError';
    this.title = title;
  }
}

/** Retry-After: delay-seconds or an HTTP date → seconds from `now` (ms), or null. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.max(0, Math.ceil(Number(v)));
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.ceil((t - now) / 1000));
}

/** An API error object ({message, type, param, code}) as an ApiError. */
export function apiErrorFromObject(obj: unknown, status = 0, retryAfterS: number | null = null): ApiError {
  const e = (obj && typeof obj === 'object' ? obj : {}) as Record<string, unknown>;
  const message = typeof e.message === 'string' && e.message ? e.message : `request failed (HTTP ${status})`;
  return new ApiError(message, {
    status,
    code: typeof e.code === 'string' ? e.code : '',
    type: typeof e.type === 'string' ? e.type : '',
    param: typeof e.param === 'string' ? e.param : null,
    retryAfterS,
  });
}

// The HTTP status the server gives each error code (src/server/http_errors.cpp): a failed job
// reports only the code, and the page describes it as the synchronous route's status would.
const CODE_STATUS: Record<string, number> = {
  invalid_argument: 400,
  not_found: 404,
  model_not_found: 404,
  empty_input: 400,
  invalid_audio: 415,
  truncated_audio: 400,
  no_audio_stream: 415,
  file_too_large: 413,
  audio_too_long: 413,
  invalid_api_key: 401,
  rate_limit_exceeded: 429,
  server_busy: 503,
  cancelled: 499,
  unavailable: 503,
  io_error: 500,
  internal_error: 500,
};

/** A failed job's error object as an ApiError. */
export function jobError(obj: unknown): ApiError {
  const code = obj && typeof obj === 'object' ? (obj as Record<string, unknown>).code : undefined;
  return apiErrorFromObject(obj ?? { message: 'the job failed' }, CODE_STATUS[String(code)] ?? 500);
}

/** A failed fetch Response → ApiError (the JSON error body when there is one). */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfterS = parseRetryAfter(res.headers.get('Retry-After'));
  let body = '';
  try {
    body = await res.text();
  } catch {
    /* the body is gone: the status still says something */
  }
  try {
    const j = JSON.parse(body);
    if (j && typeof j === 'object' && j.error) return apiErrorFromObject(j.error, res.status, retryAfterS);
  } catch {
    /* not JSON */
  }
  const text = body.trim().slice(0, 200);
  return new ApiError(text || res.statusText || `HTTP ${res.status}`, { status: res.status, retryAfterS });
}

function wait(s: number | null): string {
  if (s == null) return 'in a moment';
  if (s <= 1) return 'in a second';
  if (s < 90) return `in ${s} seconds`;
  const m = Math.round(s / 60);
  return m < 90 ? `in ${m} minutes` : `in ${Math.round(m / 60)} hours`;
}

const withPeriod = (s: string) => (/[.!?]$/.test(s) ? s : s + '.');
const capital = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

const BAD_AUDIO = new Set(['invalid_audio', 'no_audio_stream', 'truncated_audio', 'empty_input']);
const TOO_LARGE = new Set(['file_too_large', 'audio_too_long']);

export interface Described {
  title: string;
  detail: string;
  retryAfterS: number | null;
  needsKey: boolean; // show the key field
}

/** What to tell the user about an error thrown by the client. */
export function describeError(err: unknown): Described {
  if (err instanceof CancelledError) return { title: 'Cancelled', detail: err.message, retryAfterS: null, needsKey: false };
  if (err instanceof NoticeError) return { title: err.title, detail: withPeriod(err.message), retryAfterS: null, needsKey: false };
  if (!(err instanceof ApiError)) {
    const msg = err instanceof Error ? err.message : String(err);
    return { title: 'Something went wrong', detail: withPeriod(capital(msg)), retryAfterS: null, needsKey: false };
  }
  const detail = withPeriod(capital(err.message));
  const d = (title: string, extra = '', needsKey = false): Described => ({
    title,
    detail: extra ? `${detail} ${extra}` : detail,
    retryAfterS: err.retryAfterS,
    needsKey,
  });
  if (err.status === 0) {
    return {
      title: 'Cannot reach the vox server',
      detail: `${detail} Check that \`vox serve\` is running and reachable from this browser.`,
      retryAfterS: null,
      needsKey: false,
    };
  }
  if (err.status === 401 || err.code === 'invalid_api_key')
    return d(
      'API key refused',
      'Enter a valid key in the API key field (create one with `vox keys create --name NAME`).',
      true,
    );
  if (err.status === 403) return d('Not allowed', 'This key may not use this route.', true);
  if (err.status === 413 || TOO_LARGE.has(err.code))
    return d(
      err.code === 'audio_too_long' ? 'Recording too long' : 'File too large',
      'Split the recording or ask the operator to raise the limit (--max-upload, --max-duration).',
    );
  if (err.status === 415 || BAD_AUDIO.has(err.code))
    return d(
      err.code === 'empty_input' ? 'Empty file' : 'Cannot read this audio',
      'Use a common audio or video file (WAV, MP3, FLAC, OGG/Opus, M4A, WebM).',
    );
  if (err.status === 429 || err.code === 'rate_limit_exceeded')
    return d('Rate limited', `Try again ${wait(err.retryAfterS)}.`);
  if (err.status === 503 || err.code === 'server_busy' || err.code === 'unavailable')
    return d('Server busy', `Try again ${wait(err.retryAfterS)}.`);
  if (err.code === 'model_not_found') return d('Engine not available', 'Pick another engine.');
  if (err.status === 499 || err.code === 'cancelled')
    return { title: 'Cancelled', detail, retryAfterS: null, needsKey: false };
  if (err.status >= 500) return d('Server error', `(HTTP ${err.status})`);
  if (err.status === 400) return d('The server rejected the request');
  return d(`Request failed (HTTP ${err.status})`);
}

/** One line: "Rate limited: too many requests. Try again in 12 seconds." */
export function errorMessage(err: unknown): string {
  const d = describeError(err);
  return `${d.title}: ${d.detail}`;
}
