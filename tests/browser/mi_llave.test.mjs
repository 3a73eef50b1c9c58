// Mi Llave and the staff account pages in Debian's chromium at 412x823: a resident signs up and
// signs in through Llave's own forms and corrects their address with JavaScript off; an admin
// (the first one is written into the database: no page may create the first admin) finds them;
// then axe-core checks every Mi Llave and staff page in Spanish and English for WCAG 2.1 A/AA
// and no page scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, output, launchBrowser, phone } from './server.mjs';

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

let zocalo; let base; let dataDir; let browser;

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-mi-llave-'));
  base = `http://127.0.0.1:${port}`;
  const log = openSync(join(output, `browser-mi-llave-${port}.log`), 'a');
  zocalo = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--rate-limit', '100000', '--rate-burst', '100000'], { stdio: ['ignore', 'pipe', log] });
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('zocalo did not start')), 30000);
    zocalo.stdout.on('data', (d) => { if (d.toString().includes(base)) { clearTimeout(timer); ok(); } });
    zocalo.on('exit', (code) => fail(new Error(`zocalo exited ${code}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (zocalo) { zocalo.kill('SIGTERM'); await new Promise((ok) => zocalo.on('exit', ok)); }
  rmSync(dataDir, { recursive: true, force: true });
});

async function signUpAndIn(page, email, given, family) {
  await page.goto(base + '/llave/registro');
  await page.locator('#correo').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#curp').fill(makeCurp());
  await page.locator('#nombre').fill(given);
  await page.locator('#apellidos').fill(family);
  await page.locator('#nacimiento').fill('1985-02-12');
  await page.locator('form[action="/llave/registro"] button[type=submit]').click();
  await page.waitForLoadState();
  await page.goto(base + '/mi-llave');
  await page.waitForURL(/\/llave\/entrar\?siguiente=%2Fmi-llave/);
  await page.locator('#identificador').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form[action="/llave/entrar"] button[type=submit]').click();
  await page.waitForURL(base + '/mi-llave');
}

function sql(statement) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', join(dataDir, 'zocalo.db'), statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('Mi Llave and the staff pages work with JavaScript off and pass axe in both languages', async () => {
  const resident = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await resident.newPage();
  const email = `ana.${randomInt(1e9)}@example.mx`;
  await signUpAndIn(page, email, 'Ana María', 'Gómez Narváez');
  assert.equal(await page.getAttribute('html', 'lang'), 'es-MX');
  assert.match(await page.textContent('main'), /Ana María Gómez Narváez/);

  // Correct the address (the form posts with its CSRF token, no script needed).
  await page.getByLabel('Colonia').fill('Centro');
  await page.getByLabel('Alcaldía o municipio').fill('Cuauhtémoc');
  await page.getByLabel('Código postal').fill('06000');
  await page.getByLabel('Estado').fill('Ciudad de México');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await page.waitForURL(base + '/mi-llave#guardado');
  assert.match(await page.textContent('main'), /Guardamos tus datos/);
  assert.match(await page.textContent('main'), /06000 Cuauhtémoc, Ciudad de México/);

  await page.getByRole('link', { name: 'Dispositivos con sesión abierta' }).first().click();
  await page.waitForURL(base + '/mi-llave/sesiones');
  assert.match(await page.textContent('main'), /este dispositivo/);
  await page.getByRole('link', { name: 'Actividad de mi cuenta' }).first().click();
  await page.waitForURL(base + '/mi-llave/actividad');
  assert.match(await page.textContent('main'), /Se corrigieron tus datos personales/);

  // The first admin, then the staff pages.
  const adminEmail = `sara.${randomInt(1e9)}@example.mx`;
  const staff = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const staffPage = await staff.newPage();
  await signUpAndIn(staffPage, adminEmail, 'Sara', 'Administradora');
  sql(`INSERT INTO staff_roles (account_id, role, granted_at) SELECT id, 'admin', 0 FROM accounts WHERE email = '${adminEmail}'`);
  const anaId = sql(`SELECT id FROM accounts WHERE email = '${email}'`);
  await staffPage.goto(base + '/admin/cuentas');
  await staffPage.getByLabel('Buscar una cuenta').fill('ana maria gom');
  await staffPage.getByRole('button', { name: 'Buscar' }).click();
  await staffPage.waitForURL(/\/admin\/cuentas\?q=/);
  await staffPage.locator(`a[href="/admin/cuentas/${anaId}"]`).click();
  await staffPage.waitForURL(base + `/admin/cuentas/${anaId}`);
  assert.match(await staffPage.textContent('main'), new RegExp(email.replace(/\./g, '\\.')));
  // A resident gets the 403 page.
  const denied = await page.goto(base + '/admin/cuentas');
  assert.equal(denied.status(), 403);

  const pages = [
    [resident, ['/mi-llave', '/mi-llave/sesiones', '/mi-llave/actividad']],
    [staff, ['/admin/cuentas?q=an', `/admin/cuentas/${anaId}`]],
  ];
  const report = [];
  for (const lang of ['es-MX', 'en-US']) {
    for (const [ctx, paths] of pages) {
      // axe needs JavaScript in the page to run; the pages themselves ship none.
      const context = await browser.newContext({ ...phone, locale: lang, bypassCSP: true, storageState: await ctx.storageState() });
      const p = await context.newPage();
      for (const path of paths) {
        const res = await p.goto(base + path);
        assert.equal(res.status(), 200, path);
        assert.equal(await p.getAttribute('html', 'lang'), lang === 'en-US' ? 'en' : 'es-MX');
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 412, `${path} is ${width}px wide (${lang})`);
        if (lang === 'es-MX') await p.screenshot({ path: join(output, `mi-llave${path.replace(/[/?=]/g, '_')}-412.png`), fullPage: true });
        await p.addScriptTag({ content: axeSource });
        const result = await p.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        for (const v of result.violations) {
          report.push(`${lang} ${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
      await context.close();
    }
  }
  assert.deepEqual(report, []);
  await resident.close();
  await staff.close();
});
