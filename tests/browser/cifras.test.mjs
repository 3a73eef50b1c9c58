// 311's public figures and map on a 412 px phone with JavaScript off: tables that fit (or
// scroll inside their own focusable region), the map's areas as links to the filtered list,
// and no WCAG 2.1 A/AA violations reported by axe-core, in Spanish and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startZocalo, launchBrowser, phone, output } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const pages = ['/reportes/cifras', '/reportes/cifras?periodo=365', '/reportes/mapa'];

let zocalo;
let browser;
before(async () => {
  zocalo = await startZocalo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await zocalo?.stop();
});

test('the figures and the map fit 412 px with JavaScript off', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const path of pages) {
    await page.goto(zocalo.base + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 412, `${path} is ${width}px wide`);
    const name = path.replace(/[^a-z0-9]+/g, '-');
    await page.screenshot({ path: join(output, `cifras${name}-412.png`), fullPage: true });
  }
  await context.close();
});

test('an alcaldía on the map leads to its reports', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(zocalo.base + '/reportes/mapa');
  await page.locator('svg a[href="/reportes?alcaldia=09015"]').click();
  await page.waitForURL(/alcaldia=09015/);
  const selected = await page.locator('#alcaldia option:checked').textContent();
  assert.equal(selected.trim(), 'Cuauhtémoc');
  await context.close();
});

for (const lang of ['es', 'en']) {
  test(`axe-core finds no WCAG 2.1 A/AA violations on the figures and the map (${lang})`, async () => {
    // axe needs JavaScript in the page to run; the pages themselves ship none.
    const context = await browser.newContext({ ...phone, locale: lang === 'en' ? 'en-US' : 'es-MX', bypassCSP: true });
    const page = await context.newPage();
    const report = [];
    for (const path of pages) {
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
