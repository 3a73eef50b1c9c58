// Starts a real `zocalo serve --demo` on a free port with a temporary data folder, and a
// small browser stand-in (fetch with a cookie jar) that goes through our real HTML forms.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const binary = process.env.ZOCALO_BINARY || resolve(here, '../../build/zocalo');
export const output = process.env.ZOCALO_TEST_OUTPUT || resolve(here, '../../test-output');
mkdirSync(output, { recursive: true });

// Authorization codes live this long in the server under test (ZOCALO_OIDC_CODE_TTL, an
// operator setting bounded 1..600 s), so the expired-code case waits seconds, not a minute.
export const codeTtl = 4;

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
  // A provider started elsewhere (with ZOCALO_OIDC_CODE_TTL set as below and the demo data):
  // the same black-box tests against any running zocalo.
  if (process.env.ZOCALO_INTEROP_BASE) {
    return { base: process.env.ZOCALO_INTEROP_BASE, cliClient: null, cliError: 'external server', async stop() {} };
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'zocalo-interop-'));
  const base = `http://127.0.0.1:${port}`;
  const common = ['--data-dir', dataDir];
  // Our own client, registered through the CLI against the same database before serving.
  const added = spawnSync(binary, ['clients', 'add', ...common, '--name', 'Interop (post auth)',
    '--type', 'confidential', '--redirect-uri', 'http://127.0.0.1:9/cb',
    '--scope', 'openid profile email offline_access'], { encoding: 'utf8' });
  let cliClient = null;
  if (added.status === 0) {
    const id = /client_id: (\S+)/.exec(added.stdout);
    const secret = /client_secret: (\S+)/.exec(added.stdout);
    if (id && secret) cliClient = { id: id[1], secret: secret[1] };
  }
  const log = openSync(join(output, `interop-serve-${port}.log`), 'a');
  const proc = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, ...common],
    { stdio: ['ignore', 'pipe', log], env: { ...process.env, ZOCALO_OIDC_CODE_TTL: String(codeTtl) } });
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('zocalo did not start')), 30000);
    proc.stdout.on('data', (d) => {
      if (d.toString().includes(base)) { clearTimeout(timer); ok(); }
    });
    proc.on('exit', (code) => fail(new Error(`zocalo exited ${code}`)));
  });
  return {
    base,
    cliClient,
    cliError: added.status === 0 ? '' : `${added.stderr}`.slice(0, 300),
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((ok) => proc.on('exit', ok));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function decodeHtml(text) {
  return text.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (m, name, dec, hex) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name];
  });
}

// Every hidden input of the first form whose action is `action`.
export function hiddenFields(html, action) {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} in:\n${html.slice(0, 2000)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(decodeHtml(m[1]), decodeHtml(m[2]));
  }
  return fields;
}

// A browser without JavaScript: cookies, no automatic redirects.
export class Browser {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }
  async request(url, { method = 'GET', form } = {}) {
    const target = new URL(url, this.base);
    const headers = { 'Accept-Language': 'es-MX' };
    if (this.cookies.size) {
      headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let body;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = form.toString();
    }
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  // Follows redirects on our own origin; stops at the first response that is not a redirect
  // or whose redirect leaves the provider (the relying party's callback), and returns it
  // with the location that stopped it.
  async follow(url, options) {
    let res = await this.request(url, options);
    for (let hops = 0; hops < 10; hops++) {
      if (res.status < 300 || res.status >= 400) return { res, url };
      const location = new URL(res.headers.get('location'), this.base);
      if (location.origin !== this.base) return { res, url: location.href, left: true };
      url = location.href;
      res = await this.request(url);
    }
    throw new Error('too many redirects');
  }
}

export const demoResident = { identifier: 'residente@demo.zocalo.mx', password: 'Llave-Demo-2026' };

// From an authorization URL to the relying party's callback, through sign-in (when asked) and
// consent (when asked): our real forms, posted as a browser would.
export async function authorize(browser, authorizationUrl, { resident = demoResident, consent = 'allow' } = {}) {
  let step = await browser.follow(authorizationUrl);
  for (let i = 0; i < 5 && !step.left; i++) {
    const html = await step.res.text();
    if (step.res.status !== 200) throw new Error(`HTTP ${step.res.status} at ${step.url}:\n${html.slice(0, 1500)}`);
    if (new URL(step.url).pathname === '/llave/entrar') {
      const fields = hiddenFields(html, '/llave/entrar');
      fields.set('identificador', resident.identifier);
      fields.set('password', resident.password);
      step = await browser.follow('/llave/entrar', { method: 'POST', form: fields });
    } else if (new URL(step.url).pathname === '/llave/autorizar') {
      const fields = hiddenFields(html, '/llave/autorizar');
      fields.set('decision', consent);
      step = await browser.follow('/llave/autorizar', { method: 'POST', form: fields });
    } else {
      throw new Error(`unexpected page ${step.url}:\n${html.slice(0, 1500)}`);
    }
  }
  if (!step.left) throw new Error('the flow never reached the relying party');
  return new URL(step.url);
}
