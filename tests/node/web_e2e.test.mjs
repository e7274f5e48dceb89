// The web page in a real browser (Debian's chromium driven by playwright-core) against the real
// `vox serve`: key, upload, job progress, diarized transcript in paragraphs with sentiment and
// entities, rename, exports rendered by the server, seeking, Speak.
// Screenshots of each step go to $VOX_ARTIFACTS_DIR (default <repo>/build/artifacts/web);
// VOX_UPDATE_SCREENSHOT=1 also refreshes docs/screenshot.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { ARTIFACTS, EVAL_DIR, SOURCE_DIR, VOX_BIN, WEB_DIR, fromWeb, screenshot, startVox, watchPage } from './helpers.mjs';

const CHROMIUM = process.env.VOX_CHROMIUM ?? '/usr/bin/chromium';
const WER_BOUND = 0.25; // vox's default recogniser measures about 8-10 % on this conversation
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vox-web-e2e-'));
let vox;
let context;
let page;
let key;
let limitedKey;
let conversation;
const requests = [];
const problems = [];

const require_ = fromWeb;

const shot = (name, options) => screenshot(page, name, options);

function score(...args) {
  const r = spawnSync('python3', [path.join(EVAL_DIR, 'score.py'), ...args], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'dist', 'index.html')), 'web/dist is not built: run scripts/setup');
  assert.ok(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM}: run scripts/setup (apt package chromium)`);
  const { chromium } = require_('playwright-core');

  const dataDir = path.join(tmp, 'data');
  key = execFileSync(VOX_BIN, ['keys', 'create', '--name', 'e2e', '--data-dir', dataDir], { encoding: 'utf8' }).trim();
  assert.match(key, /^vox_\S+$/);
  limitedKey = execFileSync(VOX_BIN, ['keys', 'create', '--name', 'e2e-limited', '--rpm', '2', '--data-dir', dataDir],
    { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(tmp, 'not-audio.wav'), 'this is text, not a recording\n'.repeat(200));
  execFileSync('python3', [path.join(EVAL_DIR, 'make_corpus.py'), '--out', path.join(tmp, 'corpus'), '--preset', 'smoke', '--seed', '1'],
    { stdio: 'ignore' });
  conversation = path.join(tmp, 'corpus', 'smoke_000');
  // All three conversations in one file: a job long enough to cancel.
  execFileSync('sox', ['smoke_000.wav', 'smoke_001.wav', 'smoke_002.wav', path.join(tmp, 'long.wav')], { cwd: path.join(tmp, 'corpus') });
  // No --static-dir: the server must find <repo>/web/dist next to its binary by itself.
  vox = await startVox(['--data-dir', dataDir, '--threads', '2'], { VOX_STATIC_DIR: '' });

  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  page = context.pages()[0] ?? (await context.newPage());
  watchPage(page, requests, problems);
});

after(async () => {
  await context?.close().catch(() => {});
  if (vox) {
    await vox.stop();
    if (process.env.VOX_E2E_LOG) fs.writeFileSync(path.join(ARTIFACTS, 'vox.log'), vox.log());
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the page is served at / with the right types and cache headers, and no traversal', async () => {
  const index = await fetch(`${vox.base}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  assert.match(html, /Content-Security-Policy/);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), html);
  assert.ok(!/https?:\/\//.test(html.replace(/xmlns='http:\/\/www\.w3\.org\/2000\/svg'/g, '')), 'index.html names no other host');
  for (const a of assets) {
    const r = await fetch(vox.base + a);
    assert.equal(r.status, 200, a);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', a);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-type'), a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/, a);
  }
  // fetch() normalises "..", so speak raw HTTP for the traversal attempts.
  const net = await import('node:net');
  const { port } = new URL(vox.base);
  // web/dist/../package.json and web/dist/../../CMakeLists.txt exist: none may be served.
  for (const p of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json',
    '/../../CMakeLists.txt', '/..%2f..%2fCMakeLists.txt', '/../../../../etc/passwd']) {
    const answer = await new Promise((resolve, reject) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      let data = '';
      s.on('data', (d) => { data += d; });
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 (400|403|404)/, `${p}: ${answer.slice(0, 80)}`);
    assert.ok(!/root:|cmake_minimum_required|"vox-web"/.test(answer), p);
  }
});

test('transcribe a two-speaker conversation, rename, export, seek; then speak', async (ctx) => {
  await page.goto(vox.base + '/');
  await page.getByRole('tab', { name: 'Transcribe' }).waitFor();

  // Without a key the server refuses the catalogue: the page says so.
  await page.getByRole('alert').filter({ hasText: 'API key refused' }).first().waitFor();
  await page.getByText('This server needs an API key').waitFor();
  await shot('01-no-key');

  // A wrong key: refused too, with the same clear message.
  const keyField = page.getByLabel('API key', { exact: true });
  await keyField.fill('vox_not_a_real_key');
  await keyField.press('Enter');
  await page.getByText('Key refused by the server').waitFor();

  await keyField.fill(key);
  await keyField.press('Enter');
  await page.getByText('Saved in this browser').waitFor();
  const engine = page.getByLabel('Engine');
  await page.waitForFunction(() => document.querySelector('#panel-transcribe select')?.options.length > 1);
  assert.ok((await engine.locator('option').count()) > 1, 'engines listed from /v1/models');
  assert.equal(await page.evaluate(() => localStorage.getItem('vox.apiKey')), key);

  // A file that is not audio: the job fails and the page says why.
  await page.locator('[data-testid=file-input]').setInputFiles(path.join(tmp, 'not-audio.wav'));
  await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Cannot read this audio' }).waitFor({ timeout: 60_000 });
  await shot('02-bad-audio');
  await page.getByRole('button', { name: 'Dismiss' }).click();

  // Cancel: the running job is cancelled on the server too.
  await page.locator('[data-testid=file-input]').setInputFiles(path.join(tmp, 'long.wav'));
  await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
  await page.locator('[data-testid=progress][data-job-id]').waitFor();
  const jobId = await page.locator('[data-testid=progress]').getAttribute('data-job-id');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alert').filter({ hasText: 'Cancelled' }).waitFor();
  // The server stops at the next chunk boundary (a sphinx chunk in flight runs to its end: up
  // to ~6 s for 30 s of audio, longer on a loaded CI machine), so allow it a generous minute.
  let status;
  for (let i = 0; i < 600 && status !== 'cancelled'; i++) {
    const r = await fetch(`${vox.base}/v1/jobs/${jobId}`, { headers: { Authorization: `Bearer ${key}` } });
    status = (await r.json()).status;
    if (status !== 'cancelled') await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(status, 'cancelled', `job ${jobId} after Cancel`);
  await page.getByRole('button', { name: 'Dismiss' }).click();

  await page.locator('[data-testid=file-input]').setInputFiles(`${conversation}.wav`);
  await page.getByText('smoke_000.wav').waitFor();
  // The text stage: paragraphs, entities and sentiment on (punctuation, numerals and filler
  // removal are on by default).
  for (const label of ['Punctuation and capitals', 'Numbers as numerals', 'Remove fillers'])
    assert.ok(await page.getByLabel(label, { exact: true }).isChecked(), `${label} is on by default`);
  for (const label of ['Paragraphs', 'Entities', 'Sentiment']) {
    const box = page.getByLabel(label, { exact: true });
    assert.equal(await box.isChecked(), false, `${label} is off by default`);
    if (label !== 'Paragraphs') await box.check();
  }
  // Sentiment implies paragraphs: the switch shows it.
  assert.ok(await page.getByLabel('Paragraphs', { exact: true }).isChecked());
  await shot('03-file-chosen');

  // Submit as a job; sample the progress bar until the transcript shows.
  const submitted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/v1/jobs'));
  await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
  // (Chromium may not hand over a body holding a file: then the result below shows the fields.)
  const form = (await submitted).postData();
  if (form)
    for (const [field, value] of [['detect_paragraphs', 'true'], ['detect_entities', 'true'], ['detect_sentiment', 'true'],
      ['punctuate', 'true'], ['numerals', 'true']])
      assert.match(form, new RegExp(`name="${field}"\r\n\r\n${value}\r\n`), `form field ${field}=${value}`);
  const seen = new Set();
  let progressShot = false;
  const deadline = Date.now() + 180_000;
  while (!(await page.locator('[data-testid=transcript]').isVisible())) {
    assert.ok(Date.now() < deadline, 'transcript did not appear');
    const alert = page.getByRole('alert');
    if (await alert.count()) assert.fail(`error shown: ${await alert.first().innerText()}`);
    const bar = page.getByRole('progressbar');
    if (await bar.count()) {
      const now = await bar.getAttribute('aria-valuenow').catch(() => null);
      if (now != null) {
        seen.add(Number(now));
        if (!progressShot && Number(now) > 0) {
          progressShot = true;
          await shot('04-progress');
        }
      }
    }
    await page.waitForTimeout(50);
  }
  assert.ok([...seen].some((v) => v > 0 && v < 100), `a real progress value between 0 and 100 was shown (saw ${[...seen]})`);

  // Two speakers, each with turns, a colour and a talk-time share.
  const rows = page.locator('.speaker-row');
  assert.equal(await rows.count(), 2, 'two speakers');
  const turnSpeakers = await page.locator('.turn').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.speaker))]);
  assert.deepEqual(turnSpeakers.sort(), ['A', 'B']);
  const colours = await page.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  assert.notEqual(colours[0], colours[1], 'speakers have their own colours');
  assert.equal(await page.locator('.talk-bar span').count(), 2);

  // Paragraphs, each with its speaker and a sentiment badge; the overall tone at the top.
  assert.equal(await page.locator('[data-testid=transcript]').getAttribute('data-layout'), 'paragraphs');
  const paragraphs = page.locator('.turn.paragraph');
  assert.ok((await paragraphs.count()) >= 2, 'paragraphs shown');
  const paragraphSpeakers = await paragraphs.evaluateAll((els) => [...new Set(els.map((e) => e.dataset.speaker))]);
  assert.deepEqual(paragraphSpeakers.sort(), ['A', 'B']);
  const badges = page.locator('.turn.paragraph .sentiment-badge');
  assert.ok((await badges.count()) >= 1, 'a sentiment badge on the paragraphs');
  // "Sentiment: " is there for screen readers (visually hidden), then the label and the score.
  const badgeText = (await badges.first().textContent()).replace(/\s+/g, ' ').trim();
  assert.match(badgeText, /^Sentiment: (Positive|Neutral|Negative) ([+\u2212]\d\.\d\d|0\.00)$/);
  const overall = (await page.locator('[data-testid=overall-sentiment]').textContent()).replace(/\s+/g, ' ');
  assert.match(overall, /Overall sentiment: (Positive|Neutral|Negative) /);
  // Every word is in exactly one paragraph.
  const wordIds = await page.locator('.word').evaluateAll((els) => els.map((e) => Number(e.dataset.word)));
  assert.ok(wordIds.length > 50, `${wordIds.length} words`);
  assert.deepEqual([...wordIds].sort((a, b) => a - b), wordIds.map((_, i) => i), 'each word once');
  // Written text: capitals, marks, and the numbers said ("fourteen", "three", "ten") as numerals.
  const written = (await page.locator('.turn-text').allInnerTexts()).join(' ');
  assert.match(written, /^[A-Z]/, 'a capital at the start');
  assert.match(written, /[.?!]/, 'sentence marks');
  assert.match(written, /\d/, 'numerals');

  // Entities: the list is there; the numbers in this recording are among them, coloured in the text.
  const entities = page.locator('[data-testid=entities]');
  await entities.waitFor();
  const entityTypes = await entities.locator('button.entity').evaluateAll((els) => els.map((e) => e.dataset.entityType));
  ctx.diagnostic(`entities: ${(await entities.locator('button.entity').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ')).join(' | ')}`);
  assert.ok(entityTypes.some((x) => ['number', 'ordinal', 'time', 'money', 'date'].includes(x)), `a number entity (got ${entityTypes})`);
  assert.ok((await page.locator('.word[data-entity] .entity-word').count()) >= 1, 'entity words are coloured');
  assert.ok((await entities.locator('.entity-legend li').count()) >= 1, 'a legend of entity colours');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('05-paragraphs', { fullPage: true });

  // The recognised text is close to what was said.
  const hyp = (await page.locator('.turn-text').allInnerTexts()).join('\n');
  fs.writeFileSync(path.join(tmp, 'hyp.txt'), hyp);
  const wer = score('wer', `${conversation}.txt`, path.join(tmp, 'hyp.txt'), '--json');
  assert.equal(wer.status, 0, wer.out);
  const total = JSON.parse(wer.out).total.wer;
  ctx.diagnostic(`WER ${(total * 100).toFixed(1)} % on smoke_000 through the page`);
  assert.ok(total <= WER_BOUND, `WER ${total} > ${WER_BOUND}`);

  // Rename speaker A: the turns and every export use the new name.
  await page.locator('input[data-speaker=A]').fill('Alice');
  await page.locator('input[data-speaker=B]').fill('Bob');
  assert.equal(await page.locator('.turn[data-speaker=A] .turn-speaker').first().innerText(), 'Alice');

  // Exports are rendered by the server from the job's result, with the names typed here.
  const [download, exportRequest] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForRequest((r) => r.url().includes('/result?')),
    page.locator('[data-export=srt]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'smoke_000.srt');
  const exportUrl = new URL(exportRequest.url());
  assert.match(exportUrl.pathname, /^\/v1\/jobs\/[^/]+\/result$/);
  assert.equal(exportUrl.searchParams.get('format'), 'srt');
  assert.deepEqual(JSON.parse(exportUrl.searchParams.get('speaker_names')), { A: 'Alice', B: 'Bob' });
  const srt = path.join(tmp, 'export.srt');
  await download.saveAs(srt);
  const check = score('check-srt', srt);
  assert.equal(check.status, 0, check.out);
  const srtText = fs.readFileSync(srt, 'utf8');
  assert.match(srtText, /\[Alice\] /);
  assert.match(srtText, /\[Bob\] /);
  assert.doesNotMatch(srtText, /\[A\] |Speaker A/);
  const [vttDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=vtt]').click()]);
  const vtt = path.join(tmp, 'export.vtt');
  await vttDownload.saveAs(vtt);
  const checkVtt = score('check-vtt', vtt);
  assert.equal(checkVtt.status, 0, checkVtt.out);
  assert.match(fs.readFileSync(vtt, 'utf8'), /<v Alice>/);
  // TXT: the server's plain text, a blank line between paragraphs.
  const [txtDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=txt]').click()]);
  assert.equal(txtDownload.suggestedFilename(), 'smoke_000.txt');
  const txt = path.join(tmp, 'export.txt');
  await txtDownload.saveAs(txt);
  const txtText = fs.readFileSync(txt, 'utf8');
  assert.ok(txtText.trim().split(/\n\n/).length >= 2, `paragraphs in the TXT export: ${txtText}`);

  // Clicking a word seeks the player there, and that word is highlighted.
  await page.waitForFunction(() => document.querySelector('[data-testid=player]').readyState >= 1);
  const word = page.locator('.word').nth(40);
  const start = Number(await word.getAttribute('data-start'));
  assert.ok(start > 5, `word 40 starts at ${start}`);
  await word.click();
  await page.waitForFunction((s) => {
    const a = document.querySelector('[data-testid=player]');
    return Math.abs(a.currentTime - s) < 1.0;
  }, start, { timeout: 10_000 });
  await page.locator('.word.current').first().waitFor();
  const t = await page.evaluate(() => document.querySelector('[data-testid=player]').currentTime);
  assert.ok(t >= start - 0.05 && t < start + 1.0, `player at ${t}, word at ${start}`);
  await page.evaluate(() => document.querySelector('[data-testid=player]').pause());
  await page.locator('.word').nth(40).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  const transcriptShot = await shot('05-transcript-desktop', { fullPage: true });
  // Clicking an entity plays from its start.
  const lastEntity = entities.locator('button.entity').last();
  const entityStart = Number(await lastEntity.getAttribute('data-start'));
  await lastEntity.click();
  await page.waitForFunction((s) => Math.abs(document.querySelector('[data-testid=player]').currentTime - s) < 1.0,
    entityStart, { timeout: 10_000 });
  await page.evaluate(() => document.querySelector('[data-testid=player]').pause());

  // The keyboard reaches words: arrow to the next word, Enter plays from it.
  await page.locator('.word').nth(40).focus();
  await page.keyboard.press('ArrowRight');
  const next = Number(await page.locator('.word').nth(41).getAttribute('data-start'));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.word), '41');
  await page.keyboard.press('Enter');
  await page.waitForFunction((s) => Math.abs(document.querySelector('[data-testid=player]').currentTime - s) < 1.0, next);
  await page.evaluate(() => document.querySelector('[data-testid=player]').pause());

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than a phone`);
  await shot('06-transcript-phone', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  if (process.env.VOX_UPDATE_SCREENSHOT) fs.copyFileSync(transcriptShot, path.join(SOURCE_DIR, 'docs', 'screenshot.png'));

  // Speak: synthesize with a voice from /v1/audio/voices and get playable audio.
  await page.getByRole('tab', { name: 'Speak' }).click();
  const voice = page.getByLabel('Voice');
  await page.waitForFunction(() => document.querySelector('#panel-speak select')?.options.length > 1);
  await voice.selectOption('slt');
  await page.getByLabel('Format').selectOption('wav');
  await page.getByLabel('Text').fill('The quick brown fox jumps over the lazy dog.');
  await page.getByRole('button', { name: 'Speak', exact: true }).click();
  const player = page.locator('[data-testid=speech-player]');
  await player.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => {
    const a = document.querySelector('[data-testid=speech-player]');
    return a && Number.isFinite(a.duration) && a.duration > 0;
  }, null, { timeout: 30_000 });
  const d = await player.evaluate((a) => a.duration);
  assert.ok(d > 1, `speech lasts ${d} s`);
  await shot('07-speak');

  // A key limited to 2 requests a minute: the catalogue takes both, the upload is refused with the wait.
  await page.getByRole('tab', { name: 'Transcribe' }).click();
  await keyField.fill(limitedKey);
  const catalogue = Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/models')),
    page.waitForResponse((r) => r.url().endsWith('/v1/audio/voices')),
  ]);
  await keyField.press('Enter');
  await catalogue;
  await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
  const limited = page.getByRole('alert').filter({ hasText: 'Rate limited' });
  await limited.waitFor({ timeout: 30_000 });
  assert.match(await limited.innerText(), /Try again in (\d+ seconds|a second|\d+ minutes)/);
  assert.ok(await page.getByRole('button', { name: 'Retry' }).isDisabled(), 'Retry waits for Retry-After');
  await shot('08-rate-limited');

  // Offline: every request went to this server (or stayed in the page: blob:, data:).
  const foreign = requests.filter((u) => !u.startsWith(vox.base) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, [], 'requests to other hosts');
  assert.deepEqual(problems, [], 'console errors / CSP violations');
});
