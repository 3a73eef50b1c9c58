// The call-centre console and the agencies' inbox in Debian's chromium at 412x823 with
// JavaScript off: the demo operator signs in through Llave, files a report on behalf of a caller
// without an account and reads the folio back; the demo admin finds it in the inbox and moves it
// through its statuses to fixed. Then axe-core checks every page in Spanish and English for
// WCAG 2.1 A/AA and no page scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, output, launchBrowser, phone } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

let zocalo; let base; let dataDir; let browser;

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-atencion-'));
  base = `http://127.0.0.1:${port}`;
  const log = openSync(join(output, `browser-atencion-${port}.log`), 'a');
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

async function signIn(page, email, password, next) {
  await page.goto(base + next);
  await page.waitForURL(/\/llave\/entrar\?siguiente=/);
  await page.locator('#identificador').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form[action="/llave/entrar"] button[type=submit]').click();
  await page.waitForURL(base + next);
}

test('operator files by phone, staff work it to fixed; pages pass axe at 412 px, JS off', async () => {
  const operator = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const op = await operator.newPage();
  await signIn(op, 'operador@demo.zocalo.mx', 'Operador-Demo-2026', '/operador');
  await op.locator('#servicio-elegir').selectOption('luminaria-apagada');
  await op.locator('form[action="/operador"] button[type=submit]').last().click();
  await op.waitForLoadState();
  await op.locator('#alcaldia').selectOption('09015');
  await op.locator('#calle').fill('Av. Juárez 10, Centro');
  await op.locator('#descripcion').fill('Poste apagado frente al museo');
  await op.locator('select[name="attribute[cuantas]"]').selectOption('2-5');
  await op.locator('#nombre').fill('Juan');
  await op.locator('#telefono').fill('55 8765 4321');
  await op.locator('form[action="/operador/reportes"] button[type=submit]').click();
  await op.waitForURL(/\/operador\/folio\/[0-9A-Z]{8}$/);
  const folio = op.url().split('/').pop();
  const shown = `${folio.slice(0, 4)}-${folio.slice(4)}`;
  assert.equal((await op.locator('h1').textContent()).trim(), shown);
  const confirmationPath = `/operador/folio/${folio}`;

  const staff = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const admin = await staff.newPage();
  await signIn(admin, 'admin@demo.zocalo.mx', 'Admin-Demo-2026', '/atencion');
  await admin.goto(`${base}/atencion?servicio=luminaria-apagada&alcaldia=09015`);
  await admin.locator(`a[href="/atencion/${folio}"]`).click();
  await admin.waitForURL(`${base}/atencion/${folio}`);
  for (const estado of ['in_progress', 'fixed']) {
    await admin.locator('#estado').selectOption(estado);
    await admin.locator('#nota-estado').fill(`Paso ${estado}`);
    await admin.locator(`form[action="/atencion/${folio}/estado"] button[type=submit]`).click();
    await admin.waitForURL(`${base}/atencion/${folio}`);
    assert.match(await admin.locator('[role=status]').textContent(), /Estado cambiado/);
  }
  assert.match(await admin.locator('dl').first().textContent(), /Resuelta/);

  const pages = [
    [operator, ['/operador', '/operador?servicio=luminaria-apagada', confirmationPath]],
    [staff, ['/atencion', `/atencion/${folio}`, '/atencion?vencidas=1&orden=vencimiento']],
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
        if (lang === 'es-MX') await p.screenshot({ path: join(output, `atencion${path.replace(/[/?=&]/g, '_')}-412.png`), fullPage: true });
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
  await operator.close();
  await staff.close();
});
