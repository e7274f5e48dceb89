// The official openai SDK as a real client of vox's transcription API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { startVox } from './helpers.mjs';

const CLIP = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';
let vox;
let client;

before(async () => {
  vox = await startVox(['--threads', '2']);
  client = new OpenAI({ apiKey: process.env.VOX_TEST_KEY ?? 'unused-on-loopback', baseURL: `${vox.base}/v1` });
});
after(async () => { await vox?.stop(); });

async function transcribe(extra) {
  return client.audio.transcriptions.create({
    file: await toFile(fs.createReadStream(CLIP), path.basename(CLIP)),
    model: 'whisper-1',
    ...extra,
  });
}

test('json', async () => {
  const r = await transcribe({ response_format: 'json' });
  assert.match(r.text, /dashwood|john|power/i);
});

test('text', async () => {
  const r = await transcribe({ response_format: 'text' });
  assert.equal(typeof r, 'string');
  assert.match(r, /consider/i);
});

test('srt', async () => {
  const r = await transcribe({ response_format: 'srt' });
  assert.match(r, /^1\r?\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d/);
});

test('vtt', async () => {
  const r = await transcribe({ response_format: 'vtt' });
  assert.match(r, /^WEBVTT/);
  assert.match(r, /\d\d:\d\d:\d\d\.\d\d\d --> /);
});

test('verbose_json with word timestamps', async () => {
  const r = await transcribe({ response_format: 'verbose_json', timestamp_granularities: ['word', 'segment'] });
  assert.equal(r.task, 'transcribe');
  assert.ok(r.duration > 6 && r.duration < 8, `duration ${r.duration}`);
  assert.ok(r.segments.length >= 1);
  assert.ok(r.words.length > 10, `only ${r.words.length} words`);
  for (const w of r.words) {
    assert.equal(typeof w.word, 'string');
    assert.ok(w.start <= w.end && w.end <= r.duration + 0.01);
  }
  for (const s of r.segments) {
    for (const k of ['id', 'seek', 'start', 'end', 'text', 'tokens', 'temperature', 'avg_logprob', 'compression_ratio', 'no_speech_prob']) {
      assert.ok(k in s, `segment lacks ${k}`);
    }
  }
});

test('errors surface as OpenAI APIError', async () => {
  await assert.rejects(
    client.audio.transcriptions.create({ file: await toFile(Buffer.from('not audio at all'), 'x.mp3'), model: 'whisper-1' }),
    (e) => e.status === 415 && e.error?.code === 'invalid_audio',
  );
});
