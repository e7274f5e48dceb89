import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CancelledError,
  describeError,
  errorFromResponse,
  errorMessage,
  jobError,
  parseRetryAfter,
} from '../src/lib/errors';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
const err = (message: string, code: string, type = 'invalid_request_error') => ({
  error: { message, type, param: null, code },
});

describe('errorFromResponse', () => {
  it('reads the OpenAI error object and Retry-After', async () => {
    const e = await errorFromResponse(
      reply(429, err('rate limit: 60 requests per minute', 'rate_limit_exceeded', 'rate_limit_error'), { 'Retry-After': '12' }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', retryAfterS: 12 });
    expect(e.message).toBe('rate limit: 60 requests per minute');
  });

  it('falls back to the body text or the status for non-JSON answers', async () => {
    expect((await errorFromResponse(reply(502, 'Bad Gateway from nginx'))).message).toBe('Bad Gateway from nginx');
    expect((await errorFromResponse(reply(500, ''))).message).toBe('HTTP 500');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter('1.2')).toBe(2);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
  });
});

describe('describeError', () => {
  it('says what to do about a refused key', async () => {
    const e = await errorFromResponse(reply(401, err('invalid API key', 'invalid_api_key', 'authentication_error')));
    const d = describeError(e);
    expect(d.title).toBe('API key refused');
    expect(d.needsKey).toBe(true);
    expect(d.detail).toContain('vox keys create');
  });

  it('explains too-large uploads and bad audio', async () => {
    expect(describeError(await errorFromResponse(reply(413, err('request body is larger than the server\'s limit', 'file_too_large')))).title).toBe(
      'File too large',
    );
    expect(describeError(new ApiError('audio is 9 h long', { status: 413, code: 'audio_too_long' })).title).toBe('Recording too long');
    const bad = describeError(await errorFromResponse(reply(415, err('cannot decode audio: Invalid data', 'invalid_audio'))));
    expect(bad.title).toBe('Cannot read this audio');
    expect(bad.detail).toMatch(/^Cannot decode audio: Invalid data\. Use a common audio/);
    expect(describeError(new ApiError('the uploaded file is empty', { status: 400, code: 'empty_input' })).title).toBe('Empty file');
  });

  it('gives the wait time when rate limited or busy', () => {
    const d = describeError(new ApiError('too many requests', { status: 429, code: 'rate_limit_exceeded', retryAfterS: 12 }));
    expect(d.title).toBe('Rate limited');
    expect(d.detail).toBe('Too many requests. Try again in 12 seconds.');
    expect(d.retryAfterS).toBe(12);
    expect(describeError(new ApiError('busy', { status: 503, retryAfterS: 1 })).detail).toBe('Busy. Try again in a second.');
    expect(describeError(new ApiError('busy', { status: 503, retryAfterS: 300 })).detail).toBe('Busy. Try again in 5 minutes.');
    expect(errorMessage(new ApiError('slow down', { status: 429 }))).toBe('Rate limited: Slow down. Try again in a moment.');
  });

  it('describes network failures, cancellations and plain errors', () => {
    expect(describeError(new ApiError('Failed to fetch', { status: 0 })).title).toBe('Cannot reach the vox server');
    expect(describeError(new CancelledError()).title).toBe('Cancelled');
    expect(describeError(new Error('boom')).detail).toBe('Boom.');
    expect(describeError(new ApiError('no such engine', { status: 404, code: 'model_not_found' })).title).toBe('Engine not available');
    expect(describeError(new ApiError('oops', { status: 500, code: 'internal_error' })).title).toBe('Server error');
  });

  it('describes a failed job by its error code', () => {
    const e = jobError({ message: 'cannot decode audio', type: 'invalid_request_error', param: null, code: 'invalid_audio' });
    expect(e.status).toBe(415);
    expect(describeError(e).title).toBe('Cannot read this audio');
    expect(jobError(null).status).toBe(500);
  });
});
