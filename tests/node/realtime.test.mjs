// OpenAI Realtime transcription over WSS: the official SDK's realtime client (OpenAIRealtimeWS,
// intent 'transcription') streams kit conversations to `vox serve --tls-cert --tls-key`; a raw
// `ws` client sends what a broken client would. The certificate is self-signed, made here, and
// given to the clients as their CA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import WebSocket from 'ws';
import { EVAL_DIR, VOX_BIN, freePort } from './helpers.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vox-realtime-'));
const CONVERSATIONS = ['smoke_000', 'smoke_001', 'smoke_002'];
const SPEED = Number(process.env.VOX_REALTIME_SPEED ?? 3);  // times real time
let proc;
let log = '';
let port;
let ca;
let key;

function httpsGet(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: urlPath, ca, headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

before(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')],
  { stdio: 'ignore' });
  ca = fs.readFileSync(path.join(tmp, 'cert.pem'));
  const dataDir = path.join(tmp, 'data');
  key = execFileSync(VOX_BIN, ['keys', 'create', '--name', 'realtime', '--data-dir', dataDir], { encoding: 'utf8' }).trim();
  execFileSync('python3', [path.join(EVAL_DIR, 'make_corpus.py'), '--out', path.join(tmp, 'corpus'), '--preset', 'smoke',
    '--seed', '1'], { stdio: 'ignore' });
  for (const c of CONVERSATIONS) {
    // 24 kHz 16-bit little-endian mono: the Realtime API's audio/pcm.
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(tmp, 'corpus', `${c}.wav`), '-ac', '1', '-ar', '24000',
      '-f', 's16le', path.join(tmp, `${c}.pcm`)]);
  }
  port = await freePort();
  proc = spawn(VOX_BIN, ['serve', '--port', String(port), '--threads', '2', '--data-dir', dataDir,
    '--tls-cert', path.join(tmp, 'cert.pem'), '--tls-key', path.join(tmp, 'key.pem')],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => { log += d; });
  const deadline = Date.now() + 90000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vox exited: ${log}`);
    try {
      if ((await httpsGet('/ready')).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`vox not ready: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  if (proc && proc.exitCode === null) {
    await new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); });
  }
  if (process.env.VOX_REALTIME_LOG) fs.writeFileSync(process.env.VOX_REALTIME_LOG, log);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Streams one conversation through the SDK and collects its server events.
async function streamConversation(name) {
  const client = new OpenAI({ apiKey: key, baseURL: `https://127.0.0.1:${port}/v1` });
  const rt = new OpenAIRealtimeWS({ intent: 'transcription', options: { ca } }, client);
  const events = [];
  const errors = [];
  rt.on('event', (e) => events.push(e));
  rt.on('error', (e) => errors.push(e));
  await new Promise((resolve, reject) => {
    rt.socket.once('open', resolve);
    rt.socket.once('error', reject);
  });
  rt.send({
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'gpt-4o-transcribe', language: 'en' },
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 100, silence_duration_ms: 500 },
        },
      },
    },
  });
  const pcm = fs.readFileSync(path.join(tmp, `${name}.pcm`));
  // Chunks of 20 to 100 ms (24 kHz x 2 bytes = 48 bytes per ms), faster than real time.
  const sizes = [20, 40, 60, 80, 100];
  let pos = 0;
  for (let i = 0; pos < pcm.length; i++) {
    const ms = sizes[i % sizes.length];
    const chunk = pcm.subarray(pos, pos + ms * 48);
    pos += chunk.length;
    rt.send({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') });
    await sleep(ms / SPEED);
  }
  // Trailing silence ends the last turn.
  const silence = Buffer.alloc(1500 * 48);
  rt.send({ type: 'input_audio_buffer.append', audio: silence.toString('base64') });
  // Wait until every committed turn has its transcript and the session has gone quiet.
  const deadline = Date.now() + 180000;
  for (;;) {
    const committed = new Set(events.filter((e) => e.type === 'input_audio_buffer.committed').map((e) => e.item_id));
    const done = new Set(events.filter((e) => /input_audio_transcription\.(completed|failed)$/.test(e.type))
      .map((e) => e.item_id));
    const pending = [...committed].filter((id) => !done.has(id));
    const last = events.length;
    await sleep(2500);
    if (pending.length === 0 && committed.size > 0 && events.length === last) break;
    if (Date.now() > deadline) throw new Error(`${name}: turns still pending ${pending}; log:\n${log.slice(-3000)}`);
  }
  rt.close();
  return { events, errors };
}

test('the official SDK streams kit conversations over wss: partials, finals, speakers, WER', async () => {
  const results = await Promise.all(CONVERSATIONS.map((c) => streamConversation(c)));
  const refs = [];
  const hyps = [];
  let speakersSeen = 0;
  for (const [i, { events, errors }] of results.entries()) {
    const name = CONVERSATIONS[i];
    assert.deepEqual(errors.map(String), [], `${name}: SDK errors`);
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'session.created', name);
    assert.equal(events[0].session.type, 'transcription');
    assert.ok(types.includes('session.updated'), `${name}: no session.updated`);
    const updated = events.find((e) => e.type === 'session.updated');
    assert.equal(updated.session.audio.input.format.rate, 24000);
    assert.equal(updated.session.audio.input.turn_detection.type, 'server_vad');
    for (const e of events) assert.match(e.event_id, /^event_/, `${name}: ${e.type} event_id`);

    const started = events.filter((e) => e.type === 'input_audio_buffer.speech_started');
    const stopped = events.filter((e) => e.type === 'input_audio_buffer.speech_stopped');
    assert.ok(started.length >= 2, `${name}: ${started.length} speech_started`);
    assert.ok(stopped.length >= 2, `${name}: ${stopped.length} speech_stopped`);
    for (const e of started) assert.ok(Number.isInteger(e.audio_start_ms) && e.item_id, JSON.stringify(e));
    for (const e of stopped) assert.ok(Number.isInteger(e.audio_end_ms) && e.item_id, JSON.stringify(e));

    const deltas = events.filter((e) => e.type === 'conversation.item.input_audio_transcription.delta');
    assert.ok(deltas.length >= 1, `${name}: no delta events`);
    const completed = events.filter((e) => e.type === 'conversation.item.input_audio_transcription.completed');
    assert.ok(completed.length >= 2, `${name}: ${completed.length} completed`);
    for (const c of completed) {
      assert.equal(typeof c.transcript, 'string');
      assert.equal(c.content_index, 0);
      assert.equal(c.usage.type, 'duration');
      assert.ok(c.usage.seconds > 0);
      assert.equal(typeof c.speaker, 'string', `${name}: completed without speaker: ${JSON.stringify(c)}`);
      assert.ok(Array.isArray(c.words));
    }
    // A turn's deltas come before its final.
    for (const c of completed) {
      const finalAt = events.indexOf(c);
      assert.ok(events.every((e, k) => e.type !== 'conversation.item.input_audio_transcription.delta' ||
        e.item_id !== c.item_id || k < finalAt), `${name}: a delta after the final of ${c.item_id}`);
    }
    speakersSeen = Math.max(speakersSeen, new Set(completed.map((c) => c.speaker)).size);
    refs.push(fs.readFileSync(path.join(tmp, 'corpus', `${name}.txt`), 'utf8').trim());
    hyps.push(completed.map((c) => c.transcript).join('\n'));
  }
  assert.ok(speakersSeen >= 2, 'no conversation was told apart into two speakers');
  fs.writeFileSync(path.join(tmp, 'ref.txt'), `${refs.join('\n')}\n`);
  fs.writeFileSync(path.join(tmp, 'hyp.txt'), `${hyps.join('\n')}\n`);
  const scored = spawnSync('python3', [path.join(EVAL_DIR, 'score.py'), 'wer', '--json', path.join(tmp, 'ref.txt'),
    path.join(tmp, 'hyp.txt')], { encoding: 'utf8' });
  assert.equal(scored.status, 0, scored.stderr);
  const wer = JSON.parse(scored.stdout).total.wer;
  console.log(`realtime pooled WER ${wer.toFixed(3)} over ${CONVERSATIONS.length} conversations at ${SPEED}x`);
  assert.ok(wer <= 0.35, `pooled WER ${wer}`);
});

test('live audio is charged to the key, and sessions show in the metrics', async () => {
  const usage = await httpsGet('/v1/usage', { Authorization: `Bearer ${key}` });
  assert.equal(usage.status, 200, usage.body);
  const seconds = JSON.parse(usage.body).total.audio_seconds;
  assert.ok(seconds > 30, `only ${seconds} audio seconds charged`);
  const metrics = await httpsGet('/metrics');
  assert.match(metrics.body, /route="\/v1\/realtime"[^\n]*status="101"|status="101"[^\n]*route="\/v1\/realtime"/);
  assert.match(metrics.body, /vox_audio_seconds_processed_total\{engine="sphinx"\} [1-9]/);
});

test('plain HTTP routes share the HTTPS port: a multipart upload with a streamed (SSE) reply', async () => {
  const wav = fs.readFileSync(path.join(tmp, 'corpus', 'smoke_002.wav'));
  const boundary = `----vox${Date.now()}`;
  const field = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(`${field('model', 'whisper-1')}${field('stream', 'true')}--${boundary}\r\n` +
      'Content-Disposition: form-data; name="file"; filename="smoke_002.wav"\r\nContent-Type: audio/wav\r\n\r\n'),
    wav,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, path: '/v1/audio/transcriptions', method: 'POST', ca,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': body.length },
    }, (r) => {
      let text = '';
      r.on('data', (d) => { text += d; });
      r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(res.status, 200, res.body);
  assert.match(res.headers['content-type'], /^text\/event-stream/);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.match(res.body, /"type":"transcript\.text\.done"/);
});

// ---- a raw client ----

function connect({ protocols, headers = { Authorization: `Bearer ${key}` }, query = '?intent=transcription', maxPayload } = {}) {
  const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/realtime${query}`, protocols, { ca, headers, maxPayload });
  const events = [];
  const waiters = [];
  ws.on('message', (data) => {
    const e = JSON.parse(data.toString());
    events.push(e);
    for (const w of [...waiters]) if (w.match(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
  });
  const next = (match, ms = 10000) => new Promise((resolve, reject) => {
    const found = events.find(match);
    if (found) { events.splice(events.indexOf(found), 1); resolve(found); return; }
    const w = { match, resolve: (e) => { clearTimeout(timer); events.splice(events.indexOf(e), 1); resolve(e); } };
    const timer = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error('no such event')); }, ms);
    waiters.push(w);
  });
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => resolve(res));
    ws.once('error', reject);
  });
  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return { ws, events, next, opened, closed, send: (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)) };
}

test('bad JSON, unknown events and wrong audio formats get error events; the session goes on', async () => {
  const c = connect();
  await c.opened;
  await c.next((e) => e.type === 'session.created');
  c.send('{"type": "session.update", ');
  let e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.type, 'invalid_request_error');
  assert.equal(e.error.code, 'invalid_json');
  c.send({ type: 'response.create', event_id: 'evt_mine' });
  e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.param, 'type');
  assert.equal(e.error.event_id, 'evt_mine');
  c.send({ type: 'session.update', session: { type: 'transcription', audio: { input: { format: { type: 'audio/mp3' } } } } });
  e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.param, 'session.audio.input.format.type');
  c.send({ type: 'transcription_session.update', session: { input_audio_format: 'opus' } });
  e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.param, 'session.input_audio_format');
  c.send({ type: 'input_audio_buffer.append', audio: '%%% not base64 %%%' });
  e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.param, 'audio');
  c.ws.send(Buffer.from([1, 2, 3]));  // a binary frame
  await c.next((x) => x.type === 'error');
  // Manual turns: commit with nothing buffered is an error, not a crash.
  c.send({ type: 'transcription_session.update', session: { input_audio_format: 'g711_ulaw', turn_detection: null } });
  const updated = await c.next((x) => x.type === 'transcription_session.updated');
  assert.equal(updated.session.input_audio_format, 'g711_ulaw');
  assert.equal(updated.session.turn_detection, null);
  c.send({ type: 'input_audio_buffer.commit' });
  e = await c.next((x) => x.type === 'error');
  assert.equal(e.error.code, 'input_audio_buffer_commit_empty');
  c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(800, 0xff).toString('base64') });
  c.send({ type: 'input_audio_buffer.clear' });
  await c.next((x) => x.type === 'input_audio_buffer.cleared');
  c.ws.close(1000);
  assert.equal((await c.closed).code, 1000);
  // The server is still fine.
  assert.equal((await httpsGet('/health')).status, 200);
});

test('a message over the 15 MiB cap closes the connection with 1009', async () => {
  const c = connect();
  await c.opened;
  await c.next((e) => e.type === 'session.created');
  c.send({ type: 'input_audio_buffer.append', audio: 'A'.repeat(16 * 1024 * 1024) });
  const { code } = await c.closed;
  assert.equal(code, 1009);
  assert.equal((await httpsGet('/health')).status, 200);
});

test('keys: 401 before the upgrade without one; the browser subprotocol carries one', async () => {
  const none = connect({ headers: {} });
  const res = await none.opened;
  assert.equal(res.statusCode, 401);
  const wrong = connect({ headers: { Authorization: 'Bearer vox_wrong' } });
  assert.equal((await wrong.opened).statusCode, 401);

  const browser = connect({ headers: {}, protocols: ['realtime', `openai-insecure-api-key.${key}`] });
  await browser.opened;
  assert.equal(browser.ws.protocol, 'realtime');
  await browser.next((e) => e.type === 'session.created');
  browser.ws.close(1000);
  await browser.closed;
});

test('a foreign Origin is refused; the page\'s own origin is not', async () => {
  const foreign = connect({ headers: { Authorization: `Bearer ${key}`, Origin: 'https://evil.example' } });
  assert.equal((await foreign.opened).statusCode, 403);
  const own = connect({ headers: { Authorization: `Bearer ${key}`, Origin: `https://127.0.0.1:${port}` } });
  await own.opened;
  await own.next((e) => e.type === 'session.created');
  own.ws.close(1000);
  await own.closed;
});

test('without the upgrade the route answers 426; other intents are refused', async () => {
  const plain = await httpsGet('/v1/realtime?intent=transcription', { Authorization: `Bearer ${key}` });
  assert.equal(plain.status, 426);
  const model = connect({ query: '?model=gpt-realtime' });
  assert.equal((await model.opened).statusCode, 400);
});

// Last: it stops the server. SIGTERM while a committed turn is being decoded: the client still
// gets its transcript, then a 1001 close, and vox exits 0.
test('SIGTERM finishes a live session\'s committed turn, closes it with 1001 and exits 0', async () => {
  const c = connect();
  await c.opened;
  await c.next((e) => e.type === 'session.created');
  c.send({ type: 'session.update', session: { type: 'transcription', audio: { input: {
    format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null } } } });
  await c.next((e) => e.type === 'session.updated');
  const pcm = fs.readFileSync(path.join(tmp, 'smoke_000.pcm')).subarray(0, 24000 * 2 * 6);
  for (let i = 0; i < pcm.length; i += 9600) c.send({ type: 'input_audio_buffer.append', audio: pcm.subarray(i, i + 9600).toString('base64') });
  c.send({ type: 'input_audio_buffer.commit' });
  await c.next((e) => e.type === 'input_audio_buffer.committed');
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  proc.kill('SIGTERM');
  const done = await c.next((e) => e.type === 'conversation.item.input_audio_transcription.completed', 60000);
  assert.ok(done.transcript.split(/\s+/).length > 3, done.transcript);
  assert.equal((await c.closed).code, 1001);
  assert.equal(await exited, 0, log.slice(-2000));
});
