import { describe, expect, it } from 'vitest';
import { SseParser, readEventStream } from '../src/lib/sse';

describe('SseParser', () => {
  it('parses named events with JSON data, as the job stream sends them', () => {
    const p = new SseParser();
    const out = p.push(
      'event: progress\ndata: {"status":"running","stage":"asr","progress":0.5}\n\n' +
        'event: done\ndata: {"status":"succeeded"}\n\n',
    );
    expect(out).toEqual([
      { event: 'progress', data: '{"status":"running","stage":"asr","progress":0.5}' },
      { event: 'done', data: '{"status":"succeeded"}' },
    ]);
  });

  it('joins multi-line data and defaults the event name to message', () => {
    const p = new SseParser();
    expect(p.push('data: one\ndata: two\ndata\n\n')).toEqual([{ event: 'message', data: 'one\ntwo\n' }]);
  });

  it('ignores comments (keep-alives), unknown fields and events without data', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nfoo: bar\nevent: x\n\n')).toEqual([]);
    // the event name of a data-less block does not leak into the next event
    expect(p.push('data: y\n\n')).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const text = 'event: progress\r\ndata: {"p":1}\r\n\r\nevent: done\r\ndata: {"p":2}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events.map((e) => [e.event, e.data])).toEqual([
        ['progress', '{"p":1}'],
        ['done', '{"p":2}'],
      ]);
    }
  });

  it('accepts bare CR line ends, strips only one leading space, keeps id and retry', () => {
    const p = new SseParser();
    expect(p.push('id: 7\rretry: 1500\rdata:  two spaces\r\r')).toEqual([
      { event: 'message', data: ' two spaces', id: '7', retry: 1500 },
    ]);
  });

  it('drops a last event that never got its blank line', () => {
    const p = new SseParser();
    expect(p.push('event: done\ndata: {}')).toEqual([]);
    expect(p.end()).toEqual([]);
  });
});

describe('readEventStream', () => {
  const stream = (chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        const enc = new TextEncoder();
        for (const s of chunks) c.enqueue(enc.encode(s));
        c.close();
      },
    });

  it('decodes UTF-8 split across chunks and stops when told to', async () => {
    const bytes = new TextEncoder().encode('data: größe\n\nevent: done\ndata: {}\n\ndata: after\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
        c.close();
      },
    });
    const seen: string[] = [];
    const stopped = await readEventStream(body, (e) => {
      seen.push(`${e.event}:${e.data}`);
      return e.event === 'done';
    });
    expect(stopped).toBe(true);
    expect(seen).toEqual(['message:größe', 'done:{}']);
  });

  it('reports a stream that ended without the final event', async () => {
    const seen: string[] = [];
    const stopped = await readEventStream(stream(['event: progress\ndata: {}\n\n']), (e) => {
      seen.push(e.event);
    });
    expect(stopped).toBe(false);
    expect(seen).toEqual(['progress']);
  });
});
