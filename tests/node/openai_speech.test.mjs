// The official openai SDK as a real client of vox's speech API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import OpenAI from 'openai';
import { startVox } from './helpers.mjs';

let vox;
let client;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vox-sdk-'));

before(async () => {
  vox = await startVox(['--threads', '2']);
  client = new OpenAI({ apiKey: process.env.VOX_TEST_KEY ?? 'unused-on-loopback', baseURL: `${vox.base}/v1` });
});
after(async () => { await vox?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

function probe(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file]);
  return JSON.parse(out).streams[0];
}

for (const [format, codec] of [['wav', 'pcm_s16le'], ['mp3', 'mp3']]) {
  test(`audio.speech.create ${format}`, async () => {
    const response = await client.audio.speech.create({
      model: 'tts-1', voice: 'alloy', input: 'Hello from the vox speech API.', response_format: format,
    });
    const file = path.join(dir, `speech.${format}`);
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const stream = probe(file);
    assert.equal(stream.codec_name, codec);
    assert.ok(Number(stream.duration ?? 1) > 1);
  });
}
