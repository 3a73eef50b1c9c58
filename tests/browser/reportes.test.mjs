// The resident's 311 pages on a 412 px phone with JavaScript off: file a report (service first,
// then place, description and the service's questions), see its public page, the public list;
// no horizontal scroll; no WCAG 2.1 A/AA violations reported by axe-core on any of them.
// The first report carries a photo (a hand-made grey JPEG): its public page shows the thumbnail.
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

// A valid grey baseline JPEG of w×h built by hand: one-symbol Huffman tables, every 8×8 block
// "DC difference 0, end of block" (two 0 bits).
function greyJpeg(w, h) {
  const seg = (marker, bytes) => [0xff, marker, (bytes.length + 2) >> 8, (bytes.length + 2) & 0xff, ...bytes];
  const bits = Math.ceil(w / 8) * Math.ceil(h / 8) * 2;
  const data = new Array(Math.floor(bits / 8)).fill(0);
  if (bits % 8) data.push((1 << (8 - (bits % 8))) - 1);
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xdb, [0, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0x00, 1, ...new Array(15).fill(0), 0]),
    ...seg(0xc4, [0x10, 1, ...new Array(15).fill(0), 0]),
    ...seg(0xda, [1, 1, 0, 0, 0x3f, 0]),
    ...data, 0xff, 0xd9,
  ]);
}
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
  await page.getByLabel('Foto (opcional)').setInputFiles(
    { name: 'tiradero.jpg', mimeType: 'image/jpeg', buffer: greyJpeg(640, 480) });
  await page.screenshot({ path: join(output, 'reportes-nuevo-412.png'), fullPage: true });
  await page.getByRole('button', { name: 'Enviar reporte' }).click();
  await page.waitForURL(/\/reportes\/[0-9A-Z]{8}$/);
  filed = new URL(page.url()).pathname;
  const main = await page.textContent('main');
  assert.match(main, /Folio [0-9A-Z]{4}-[0-9A-Z]{4}/);
  assert.match(main, /Recibido/);
  assert.ok(!main.includes('vecino.navegador@example.org'));
  // The photo: a thumbnail with alt text, linking to the full photo, both served as JPEG.
  const thumb = page.locator('main a[href^="/reportes/fotos/"] img');
  assert.equal(await thumb.count(), 1);
  assert.ok((await thumb.getAttribute('alt')).length > 10);
  for (const src of [await thumb.getAttribute('src'),
    await page.locator('main a[href^="/reportes/fotos/"]').getAttribute('href')]) {
    const photo = await context.request.get(zocalo.base + src);
    assert.equal(photo.status(), 200);
    assert.equal(photo.headers()['content-type'], 'image/jpeg');
  }
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
