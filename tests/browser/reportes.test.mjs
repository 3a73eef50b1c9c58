// The resident's 311 pages on a 412 px phone with JavaScript off: file a report (service first,
// then place, description and the service's questions), see its public page, the public list;
// no horizontal scroll; no WCAG 2.1 A/AA violations reported by axe-core on any of them.
// (No photo: the web form takes none yet.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startZocalo, launchBrowser, phone, output } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let zocalo;
let browser;
let filed = null;  // the path of the report filed by the first test
before(async () => {
  zocalo = await startZocalo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await zocalo?.stop();
});

test('a resident files a report with JavaScript off at 412 px', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(zocalo.base + '/reportes/nuevo');
  await page.getByLabel('Tipo de reporte').selectOption('tiradero-clandestino');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await page.waitForURL(/servicio=tiradero-clandestino/);
  await page.getByLabel('Alcaldía', { exact: true }).selectOption({ label: 'Coyoacán' });
  await page.getByLabel('Calle, número y colonia').fill('Av. Universidad 3000, Copilco');
  await page.getByLabel('Descripción').fill('Cascajo y muebles en la banqueta desde el lunes.');
  // The questions come from the catalog: tick the first two kinds of waste.
  const boxes = page.locator('input[type="checkbox"][name="attribute[residuos][]"]');
  await boxes.nth(1).check();
  await boxes.nth(2).check();
  await page.getByLabel('Correo electrónico').fill('vecino.navegador@example.org');
  await page.screenshot({ path: join(output, 'reportes-nuevo-412.png'), fullPage: true });
  await page.getByRole('button', { name: 'Enviar reporte' }).click();
  await page.waitForURL(/\/reportes\/[0-9A-Z]{8}$/);
  filed = new URL(page.url()).pathname;
  const main = await page.textContent('main');
  assert.match(main, /Folio [0-9A-Z]{4}-[0-9A-Z]{4}/);
  assert.match(main, /Recibido/);
  assert.ok(!main.includes('vecino.navegador@example.org'));
  await page.screenshot({ path: join(output, 'reportes-folio-412.png'), fullPage: true });
  await context.close();
});

test('an incomplete report comes back with the errors next to the fields and the input kept', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(zocalo.base + '/reportes/nuevo?servicio=bache');
  await page.getByLabel('Descripción').fill('Un bache');
  await page.getByLabel('Latitud').fill('95');
  await page.getByLabel('Longitud').fill('-99.13');
  // Required questions are checked by the browser itself (no script): answer them.
  await page.locator('select[name="attribute[ubicacion]"]').selectOption('arroyo');
  await page.getByRole('button', { name: 'Enviar reporte' }).click();
  await page.waitForURL(zocalo.base + '/reportes/nuevo');
  assert.equal(await page.getByLabel('Descripción').inputValue(), 'Un bache');
  assert.equal(await page.getByLabel('Latitud').getAttribute('aria-invalid'), 'true');
  await context.close();
});

function pages() {
  return ['/reportes/nuevo', '/reportes/nuevo?servicio=tiradero-clandestino',
    '/reportes/nuevo?servicio=falta-de-agua', '/reportes', '/reportes?estado=fixed',
    ...(filed ? [filed] : [])];
}

test('every 311 page fits a 412 px screen without horizontal scrolling', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const path of pages()) {
    await page.goto(zocalo.base + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 412, `${path} is ${width}px wide`);
  }
  await context.close();
});

for (const lang of ['es', 'en']) {
  test(`axe-core finds no WCAG 2.1 A/AA violations on the 311 pages (${lang})`, async () => {
    // axe needs JavaScript in the page to run; the pages themselves ship none.
    const context = await browser.newContext({ ...phone, locale: lang === 'en' ? 'en-US' : 'es-MX', bypassCSP: true });
    const page = await context.newPage();
    const report = [];
    for (const path of pages()) {
      await page.goto(zocalo.base + path);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      for (const v of result.violations) {
        report.push(`${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    assert.deepEqual(report, []);
    await context.close();
  });
}
