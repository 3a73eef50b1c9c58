// The resident's pages on a 412 px phone: usable with JavaScript off, no horizontal scroll,
// language switch, and no WCAG 2.1 A/AA violations reported by axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startZocalo, launchBrowser, phone, output } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['/', '/servicios', '/buscar?q=agua', '/alcaldias', '/dependencias', '/opinion', '/no-existe'];

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

test('home page loads, switches language with JavaScript off, and is screenshotted at 412x823', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(zocalo.base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'es-MX');
  await page.screenshot({ path: join(output, 'home-es-412x823.png') });

  await page.getByRole('link', { name: /English/ }).click();
  await page.waitForURL(zocalo.base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.screenshot({ path: join(output, 'home-en-412x823.png') });

  // The search form works without JavaScript.
  await page.getByRole('searchbox').fill('alcaldias');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/buscar\?q=alcaldias/);
  await page.locator('main a[href="/alcaldias"]').first().click();
  await page.waitForURL(zocalo.base + '/alcaldias');
  await context.close();
});

test('every page fits a 412 px screen without horizontal scrolling', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const path of PAGES) {
    await page.goto(zocalo.base + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 412, `${path} is ${width}px wide`);
  }
  await context.close();
});

test('feedback form posts with JavaScript off (CSRF token in the form)', async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(zocalo.base + '/opinion');
  await page.getByLabel(/Mensaje|Message/).fill('Me gustaría ver los horarios de las oficinas.');
  await page.getByRole('button', { name: /Enviar|Send/ }).click();
  await page.waitForURL(/\/opinion\/gracias\/\d+/);
  assert.match(await page.textContent('main'), /Gracias|Thank/);
  await context.close();
});

for (const lang of ['es', 'en']) {
  test(`axe-core finds no WCAG 2.1 A/AA violations (${lang})`, async () => {
    // axe needs JavaScript in the page to run; the pages themselves ship none.
    const context = await browser.newContext({ ...phone, locale: lang === 'en' ? 'en-US' : 'es-MX', bypassCSP: true });
    const page = await context.newPage();
    const report = [];
    for (const path of PAGES) {
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
