// The web page's Live tab in a real browser (Debian's chromium driven by playwright-core)
// against the real `vox serve`: a fake microphone plays two kit voices taking turns
// (--use-file-for-fake-audio-capture), the page streams it over the realtime WebSocket, and
// partial text firms into speaker-labelled final turns; then Stop, Copy and Export.
// Screenshots go to $VOX_ARTIFACTS_DIR (default <repo>/build/artifacts/web) and to
// $VOX_LIVE_SCREENSHOT (default /tmp/web_live.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, EVAL_DIR, SOURCE_DIR, VOX_BIN, WEB_DIR, fromWeb, screenshot, startVox, watchPage } from './helpers.mjs';

const CHROMIUM = process.env.VOX_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.VOX_LIVE_SCREENSHOT ?? '/tmp/web_live.png';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vox-web-live-'));
let vox;
let context;
let page;
let key;
let reference;
const requests = [];
const problems = [];

const require_ = fromWeb;

const shot = (name, options) => screenshot(page, name, options);

const words = (s) => s.toLowerCase().match(/[a-z']+/g) ?? [];

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'dist', 'index.html')), 'web/dist is not built: run scripts/setup');
  assert.ok(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM}: run scripts/setup (apt package chromium)`);
  const { chromium } = require_('playwright-core');

  const dataDir = path.join(tmp, 'data');
  const wav = path.join(tmp, 'mic.wav');
  key = execFileSync(VOX_BIN, ['keys', 'create', '--name', 'live-e2e', '--data-dir', dataDir], { encoding: 'utf8' }).trim();
  execFileSync('python3', [path.join(EVAL_DIR, 'make_corpus.py'), '--out', path.join(tmp, 'corpus'), '--preset', 'smoke', '--seed', '1'],
    { stdio: 'ignore' });
  // The fake microphone: two kit voices (rms, slt) taking turns, each turn followed by 1.2 s of
  // silence (so the server's VAD ends every turn), as 16-bit PCM WAV; chromium loops it.
  const utterances = ['rms_000', 'slt_000', 'rms_001', 'slt_001'];
  const dir = path.join(tmp, 'corpus', 'utterances');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', path.join(tmp, 'silence.wav'), 'trim', '0', '1.2']);
  execFileSync('sox', [...utterances.flatMap((u) => [path.join(dir, `${u}.wav`), path.join(tmp, 'silence.wav')]),
    '-r', '48000', '-b', '16', '-c', '1', '-e', 'signed-integer', wav]);
  reference = utterances.map((u) => fs.readFileSync(path.join(dir, `${u}.txt`), 'utf8').trim()).join(' ');

  vox = await startVox(['--data-dir', dataDir, '--threads', '2'], { VOX_STATIC_DIR: '' });
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      // A microphone without a person: allowed without asking, fed from the file (looped).
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`,
    ],
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write', 'microphone'], { origin: vox.base });
  page = context.pages()[0] ?? (await context.newPage());
  watchPage(page, requests, problems);
});

after(async () => {
  await context?.close().catch(() => {});
  if (vox) {
    await vox.stop();
    if (process.env.VOX_E2E_LOG) fs.writeFileSync(path.join(ARTIFACTS, 'vox-live.log'), vox.log());
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('live: microphone → realtime WebSocket → partials, then speaker-coloured finals; stop, copy, export', async (ctx) => {
  await page.goto(`${vox.base}/#live`);
  const tab = page.getByRole('tab', { name: 'Live' });
  await tab.waitFor();
  assert.equal(await tab.getAttribute('aria-selected'), 'true', '#live opens the Live tab');
  const panel = page.locator('#panel-live');
  const start = panel.getByRole('button', { name: 'Start' });
  const status = panel.locator('[data-testid=live-status]');

  // The microphone refused: the page says what to do, and opens no connection.
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await start.click();
  const blocked = panel.getByRole('alert').filter({ hasText: 'Microphone blocked' });
  await blocked.waitFor();
  assert.match(await blocked.innerText(), /Allow it in the site settings/);
  assert.ok(!requests.some((u) => u.includes('/v1/realtime')), 'no connection without a microphone');
  await page.reload();
  await start.waitFor();

  // No key: the upgrade is refused with 401, which the browser hides; the page finds out and says so.
  await start.click();
  await panel.getByRole('alert').filter({ hasText: 'API key refused' }).waitFor({ timeout: 30_000 });
  assert.equal(await status.getAttribute('data-status'), 'idle');
  await shot('live-01-no-key');
  await panel.getByRole('button', { name: 'Dismiss' }).click();

  const keyField = page.getByLabel('API key', { exact: true });
  await keyField.fill(key);
  await keyField.press('Enter');
  await page.getByText('Saved in this browser').waitFor();

  // Record when the first partial and the first final show.
  await page.evaluate(() => {
    window.__live = { partialAt: 0, finalAt: 0, partials: [] };
    const seen = () => {
      const p = document.querySelector('#panel-live .live-partial');
      if (p && p.textContent.trim()) {
        if (!window.__live.partialAt) window.__live.partialAt = performance.now();
        window.__live.partials.push(p.textContent.trim());
      }
      if (!window.__live.finalAt && document.querySelector('#panel-live .live-turn')) window.__live.finalAt = performance.now();
    };
    new MutationObserver(seen).observe(document.querySelector('#panel-live'), { subtree: true, childList: true, characterData: true });
  });

  await start.click();
  await page.waitForFunction(() => document.querySelector('#panel-live [data-testid=live-status]')?.dataset.status === 'listening',
    null, { timeout: 30_000 });
  await panel.locator('.live-partial').first().waitFor({ timeout: 120_000 });
  assert.ok(await panel.locator('.live-partial').first().evaluate((e) => getComputedStyle(e).fontStyle === 'italic'), 'partials in italics');
  await shot('live-02-partial');

  // Three final turns, by the two voices (A, B, A).
  await page.waitForFunction(() => {
    const turns = [...document.querySelectorAll('#panel-live .live-turn')];
    return turns.length >= 3 && new Set(turns.map((e) => e.dataset.speaker)).size >= 2;
  }, null, { timeout: 180_000 });
  const timing = await page.evaluate(() => window.__live);
  assert.ok(timing.partialAt > 0 && timing.partialAt < timing.finalAt, `a partial showed before the first final: ${JSON.stringify(timing)}`);

  const turns = panel.locator('.live-turn');
  const first = turns.first();
  assert.match(await first.getAttribute('data-speaker'), /^\S+$/, 'the final has a speaker');
  assert.match(await first.locator('.turn-speaker').innerText(), /^Speaker \S+$/);
  assert.match(await first.locator('.live-time').innerText(), /^\d+:\d\d$/);
  const finalText = (await turns.locator('.turn-text').allInnerTexts()).join(' ');
  const expected = new Set(words(reference));
  const heard = words(finalText);
  const hits = heard.filter((w) => expected.has(w));
  ctx.diagnostic(`finals: ${finalText}`);
  ctx.diagnostic(`partials seen: ${timing.partials.length}, e.g. "${timing.partials[0]}"`);
  assert.ok(hits.length >= 5 && hits.length >= heard.length * 0.6, `finals "${finalText}" share too few words with "${reference}"`);
  assert.ok(['stock', 'market', 'recovered', 'friday', 'trip', 'bread', 'morning'].some((w) => heard.includes(w)), finalText);
  // Speakers are coloured as in the transcript view; the finals region is announced.
  const colours = await turns.evaluateAll((els) => els.map((e) => getComputedStyle(e).borderLeftColor));
  assert.ok(colours.every((c) => c && c !== 'rgba(0, 0, 0, 0)'), `${colours}`);
  const speakers = await turns.evaluateAll((els) => els.map((e) => e.dataset.speaker));
  ctx.diagnostic(`speakers: ${speakers.join(' ')}`);
  assert.deepEqual(speakers.slice(0, 2), ['A', 'B'], 'the voices are told apart');
  assert.notEqual(colours[0], colours[1], 'each speaker has its colour');
  assert.equal(await panel.locator('[data-testid=live-turns]').getAttribute('aria-live'), 'polite');

  // Stop: the microphone stops, the last turn is committed and finalised, the socket closes.
  await panel.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => document.querySelector('#panel-live [data-testid=live-status]')?.dataset.status === 'idle',
    null, { timeout: 60_000 });
  assert.equal(await panel.getByRole('alert').count(), 0, 'no error after Stop');
  assert.equal(await panel.locator('.live-partial').count(), 0, 'no partial left after Stop');
  const finals = await turns.count();
  assert.ok(finals >= 3);
  await page.evaluate(() => window.scrollTo(0, 0));
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await shot('live-03-finals', { fullPage: true });

  // Copy: every final, with its time and speaker name.
  await panel.getByRole('button', { name: 'Copy' }).click();
  await panel.getByText(/^Copied \d+ turns?\.$/).first().waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const lines = copied.split('\n');
  assert.equal(lines.length, finals, copied);
  for (const line of lines) assert.match(line, /^\[\d+:\d\d\] Speaker \S+: \S/, line);

  // Export TXT: the same text, as a file.
  const [txt] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export as TXT' }).click()]);
  assert.match(txt.suggestedFilename(), /^live-\d{4}-\d\d-\d\d-\d\d-\d\d\.txt$/);
  const txtFile = path.join(tmp, 'live.txt');
  await txt.saveAs(txtFile);
  assert.equal(fs.readFileSync(txtFile, 'utf8'), `${copied}\n`);

  // Export JSON: the finals with words, speakers and times.
  const [json] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export as JSON' }).click()]);
  const jsonFile = path.join(tmp, 'live.json');
  await json.saveAs(jsonFile);
  const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  assert.equal(doc.object, 'vox.live_transcript');
  assert.match(doc.session_id, /^sess_/);
  const spoken = doc.turns.filter((t) => t.text);
  assert.equal(spoken.length, finals);
  for (const t of spoken) {
    assert.equal(typeof t.speaker, 'string');
    assert.ok(t.end >= t.start && t.start >= 0, JSON.stringify(t));
    assert.ok(t.words.length >= 1 && t.words.every((w) => typeof w.word === 'string' && w.end >= w.start), JSON.stringify(t.words));
  }

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the Live tab is ${overflow}px wider than a phone`);
  await shot('live-04-phone', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // The other tabs still work from here.
  await page.getByRole('tab', { name: 'Transcribe' }).click();
  await page.getByRole('button', { name: 'Transcribe', exact: true }).waitFor();

  // Everything went to this server (the WebSocket included), with no CSP violation.
  const foreign = requests.filter((u) => !u.startsWith(vox.base) && !u.startsWith(vox.base.replace(/^http/, 'ws')) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, [], 'requests to other hosts');
  assert.deepEqual(problems, [], 'console errors / CSP violations');
});
