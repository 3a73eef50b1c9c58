// Llave in a real browser with JavaScript off, on a 412 px phone: sign up, verify the e-mail
// from the real SMTP capture (tests/harness/smtp_capture.py), enrol TOTP (codes computed here
// with node's crypto, RFC 6238), sign out, sign in again with TOTP; axe-core checks every page
// the resident saw (WCAG 2.1 A/AA).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary, output, launchBrowser, phone } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'tres tristes tigres comen trigo';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

function waitForLine(stream, pattern, what) {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${what} did not start`)), 30000);
    let seen = '';
    stream.on('data', (d) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) { clearTimeout(timer); ok(m); }
    });
  });
}

// RFC 4648 base32 without padding -> bytes.
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps.
function totp(secret, at = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, '0');
}

// A CURP with a correct check digit (RENAPO's rule) and random internal consonants.
function makeCurp() {
  const alphabet = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
  const consonants = 'BCDFGHJKLMNPQRSTVWXZ';
  let first = 'GOMA850212MDF';
  for (let i = 0; i < 3; i++) first += consonants[randomInt(consonants.length)];
  first += '0';
  let total = 0;
  for (let i = 0; i < 17; i++) total += alphabet.indexOf(first[i]) * (18 - i);
  return first + String((10 - (total % 10)) % 10);
}

let smtp; let mailDir; let zocalo; let base; let dataDir; let browser;

before(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'zocalo-llave-mail-'));
  smtp = spawn('/usr/bin/python3', [resolve(here, '../harness/smtp_capture.py'), mailDir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const [, smtpPort] = await waitForLine(smtp.stdout, /PORT (\d+)/, 'smtp_capture');
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-llave-'));
  base = `http://127.0.0.1:${port}`;
  const log = openSync(join(output, `browser-llave-${port}.log`), 'a');
  zocalo = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--smtp-host', '127.0.0.1', '--smtp-port', smtpPort, '--smtp-security', 'none'],
  { stdio: ['ignore', 'pipe', log] });
  await waitForLine(zocalo.stdout, new RegExp(base.replace(/\./g, '\\.')), 'zocalo');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const proc of [zocalo, smtp]) {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((ok) => proc.on('exit', ok));
      proc.kill('SIGTERM');
      await exited;
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

async function mailTo(address) {
  for (let i = 0; i < 150; i++) {
    for (const name of readdirSync(mailDir).filter((n) => n.endsWith('.json')).sort()) {
      const info = JSON.parse(readFileSync(join(mailDir, name), 'utf8'));
      if (info.rcpt_tos.includes(address)) return info;
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`no e-mail to ${address}`);
}

test('sign up, verify e-mail, enrol TOTP, sign out, sign in with TOTP, read the activity log (JavaScript off), axe on every page', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  const seen = [];  // [url, html] of every page, for axe afterwards
  const keep = async () => {
    seen.push([page.url(), await page.content()]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth).catch(() => 0);
    assert.ok(width <= 412, `${page.url()} is ${width}px wide`);
  };
  const email = `ana.${randomInt(1e9)}@example.mx`;

  await page.goto(base + '/llave/registro');
  assert.equal(await page.getAttribute('html', 'lang'), 'es-MX');
  await keep();
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByLabel('CURP').fill(makeCurp());
  await page.getByLabel('Nombre o nombres').fill('Ana María');
  await page.getByLabel('Apellidos').fill('Gómez Narváez');
  await page.getByLabel('Fecha de nacimiento').fill('1985-02-12');
  await page.getByRole('button', { name: 'Crear mi Llave' }).click();
  await page.waitForLoadState();
  assert.match(await page.textContent('h1'), /Revisa tu correo/);
  await keep();

  const mail = await mailTo(email);
  const link = mail.body.match(/https?:\/\/\S+(\/llave\/verificar-correo\?token=[A-Za-z0-9_-]+)/);
  assert.ok(link, mail.body);
  await page.goto(base + link[1]);
  assert.match(await page.textContent('h1'), /Correo confirmado/);
  await keep();

  await page.goto(base + '/llave/entrar?siguiente=/mi-llave/seguridad');
  await keep();
  await page.getByLabel('Correo electrónico o número celular').fill(email);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(base + '/mi-llave/seguridad');
  await keep();

  await page.getByRole('button', { name: 'Activar aplicación de autenticación' }).click();
  await page.waitForURL(base + '/mi-llave/seguridad/totp');
  await keep();
  const qr = page.getByRole('img', { name: 'Código QR para tu aplicación de autenticación' });
  assert.ok(await qr.isVisible());
  const secret = (await page.textContent('#secreto')).replace(/\s/g, '');
  await page.getByLabel('Código de 6 dígitos').fill(totp(secret));
  await page.getByRole('button', { name: 'Activar' }).click();
  await page.waitForLoadState();
  assert.match(await page.textContent('h1'), /códigos de recuperación/);
  assert.equal(await page.locator('#codigos li').count(), 10);
  await keep();

  await page.goto(base + '/mi-llave/seguridad');
  await page.getByRole('button', { name: 'Salir de Llave en este dispositivo' }).click();
  await page.waitForURL(base + '/');

  await page.goto(base + '/llave/entrar?siguiente=/mi-llave/seguridad');
  await page.getByLabel('Correo electrónico o número celular').fill(email);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(base + '/llave/entrar/codigo');
  await keep();
  // The enrolment code's time step is spent (replay protection): use the next step's code.
  const now = Date.now() / 1000;
  await new Promise((ok) => setTimeout(ok, (30 - (now % 30) + 1) * 1000));
  await page.getByLabel('Código', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Continuar' }).click();
  await page.waitForURL(base + '/mi-llave/seguridad');
  assert.match(await page.textContent('main'), /Activa/);

  // The activity log tells the resident what just happened, newest first.
  await page.goto(base + '/mi-llave/actividad');
  await keep();
  const activity = await page.textContent('main');
  assert.match(activity, /con contraseña y app de códigos/);
  assert.match(activity, /Activaste la verificación en dos pasos/);
  assert.ok(activity.indexOf('con contraseña y app de códigos') <
            activity.indexOf('Activaste la verificación en dos pasos'), 'newest first');
  await context.close();

  // axe-core needs JavaScript; the pages ship none, so run it over what the resident saw.
  const axeContext = await browser.newContext({ ...phone, bypassCSP: true });
  const axePage = await axeContext.newPage();
  const report = [];
  for (const [url, html] of seen) {
    await axePage.goto(base + '/llave/entrar');
    await axePage.setContent(html, { waitUntil: 'load' });
    await axePage.addScriptTag({ content: axeSource });
    const result = await axePage.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) {
      report.push(`${url}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  assert.ok(seen.length >= 8, `axe saw only ${seen.length} pages`);
  assert.deepEqual(report, []);
  await axeContext.close();
});
