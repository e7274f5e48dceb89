// Starts the real `vox serve` on a free port for node tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

export const SOURCE_DIR = process.env.VOX_SOURCE_DIR ?? path.resolve(import.meta.dirname, '..', '..');
export const VOX_BIN = process.env.VOX_BIN ?? path.join(SOURCE_DIR, 'build', 'vox');
export const EVAL_DIR = process.env.VOX_EVAL_DIR || path.resolve(SOURCE_DIR, 'tests', 'eval');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startVox(args = [], env = {}) {
  const port = await freePort();
  const proc = spawn(VOX_BIN, ['serve', '--port', String(port), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vox exited: ${log}`);
    try {
      const r = await fetch(`${base}/ready`);
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`vox not ready: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

// The web page's e2e tests: playwright-core is a devDependency of web/ (installed by scripts/setup
// with the page), and screenshots of each step go to $VOX_ARTIFACTS_DIR.
export const WEB_DIR = path.join(SOURCE_DIR, 'web');
export const ARTIFACTS = process.env.VOX_ARTIFACTS_DIR ?? path.join(SOURCE_DIR, 'build', 'artifacts', 'web');

export function fromWeb(name) {
  return createRequire(path.join(WEB_DIR, 'package.json'))(name);
}

export async function screenshot(page, name, options = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

// Every URL the page asks for (to check it never leaves the server) and every script or policy
// error it logs.
export function watchPage(page, requests, problems) {
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|Uncaught/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
}
