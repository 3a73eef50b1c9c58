// The 311 admin pages in Debian's chromium at 412x823 with JavaScript off: the demo admin
// uploads an area file, adds a routing rule for it and tests a point; a hostile file is refused
// next to the field. Then axe-core checks every admin page in Spanish and English for WCAG 2.1
// A/AA and no page scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync, writeFileSync } from 'node:fs';
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
  dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-admin311-'));
  base = `http://127.0.0.1:${port}`;
  const log = openSync(join(output, `browser-admin311-${port}.log`), 'a');
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

function featureCollection(code, name, ring) {
  return JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature',
    properties: { code, name }, geometry: { type: 'Polygon', coordinates: [ring] } }] });
}

test('admin uploads an area, adds a rule, tests a point; pages pass axe at 412 px, JS off', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'admin@demo.zocalo.mx', 'Admin-Demo-2026', '/admin/areas');

  const bowTie = join(dataDir, 'lazo.geojson');
  writeFileSync(bowTie, featureCollection('lazo', 'Lazo',
    [[-99.5, 19.0], [-99.4, 19.1], [-99.4, 19.0], [-99.5, 19.1], [-99.5, 19.0]]));
  await page.locator('#archivo').setInputFiles(bowTie);
  await page.locator('form[action="/admin/areas"] button[type=submit]').click();
  await page.waitForLoadState();
  assert.match(await page.locator('#archivo-error').textContent(), /self intersection/);
  assert.equal(await page.locator('#archivo').getAttribute('aria-invalid'), 'true');

  const good = join(dataDir, 'prueba.geojson');
  writeFileSync(good, featureCollection('prueba', 'Zona de prueba',
    [[-99.5, 19.0], [-99.4, 19.0], [-99.4, 19.1], [-99.5, 19.1], [-99.5, 19.0]]));
  await page.locator('#archivo').setInputFiles(good);
  await page.locator('form[action="/admin/areas"] button[type=submit]').click();
  await page.waitForURL(base + '/admin/areas');
  assert.match(await page.locator('table').textContent(), /Zona de prueba/);

  await page.goto(base + '/admin/enrutamiento');
  await page.locator('#servicio').selectOption('bache');
  await page.locator('#alcaldia').selectOption('prueba');
  await page.locator('#dependencia').selectOption('sacmex');
  await page.locator('form[action="/admin/enrutamiento"] button[type=submit]').click();
  await page.waitForURL(base + '/admin/enrutamiento');
  await page.locator('#lat').fill('19.05');
  await page.locator('#lon').fill('-99.45');
  await page.locator('#t-servicio').selectOption('bache');
  await page.locator('form[action="/admin/enrutamiento#probar"] button[type=submit]').click();
  await page.waitForLoadState();
  assert.match(await page.locator('#resultado-area').textContent(), /prueba/);
  assert.match(await page.locator('#resultado-dependencia').textContent(), /^sacmex/);

  const report = [];
  const paths = ['/admin/servicios', '/admin/servicios?editar=fuga-de-agua', '/admin/areas',
    '/admin/enrutamiento?lat=19.4326&lon=-99.1332&servicio=bache'];
  for (const lang of ['es-MX', 'en-US']) {
    // axe needs JavaScript in the page to run; the pages themselves ship none.
    const checked = await browser.newContext({ ...phone, locale: lang, bypassCSP: true, storageState: await context.storageState() });
    const p = await checked.newPage();
    for (const path of paths) {
      const res = await p.goto(base + path);
      assert.equal(res.status(), 200, path);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 412, `${path} is ${width}px wide (${lang})`);
      if (lang === 'es-MX') await p.screenshot({ path: join(output, `admin311${path.replace(/[/?=&#.]/g, '_')}-412.png`), fullPage: true });
      await p.addScriptTag({ content: axeSource });
      const result = await p.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      for (const v of result.violations) {
        report.push(`${lang} ${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    await checked.close();
  }
  assert.deepEqual(report, []);
  await context.close();
});
