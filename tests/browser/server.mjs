// Starts a real `zocalo serve --demo` on a free port and a headless Debian chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const binary = process.env.ZOCALO_BINARY || resolve(here, '../../build/zocalo');
export const output = process.env.ZOCALO_TEST_OUTPUT || resolve(here, '../../test-output');
mkdirSync(output, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export async function startZocalo() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-'));
  const log = openSync(join(output, `browser-serve-${port}.log`), 'a');
  const proc = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', log] });
  const base = `http://127.0.0.1:${port}`;
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('zocalo did not start')), 30000);
    proc.stdout.on('data', (d) => {
      if (d.toString().includes(base)) { clearTimeout(timer); ok(); }
    });
    proc.on('exit', (code) => fail(new Error(`zocalo exited ${code}`)));
  });
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((ok) => proc.on('exit', ok));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The Lighthouse mobile profile's screen (STANDARDS.md): 412 x 823.
// A resident in Mexico City: the browser asks for Spanish first.
export const phone = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'es-MX' };
