// 311's whole loop on the demo, in Debian's chromium at 412x823 with JavaScript off (issue 4,
// "What must be shown"): a resident files a report anonymously with an e-mail; the demo staff of
// the alcaldía Cuauhtémoc (cuauhtemoc@demo.zocalo.mx) finds it in /atencion, acknowledges it,
// sets it in progress and fixes it with a public note; the demo resident Ana, who follows it,
// is told by e-mail and stops following from the link without signing in; the reporter gets
// every e-mail in the real SMTP capture (tests/harness/smtp_capture.py), opens the private link
// of the closure e-mail and reopens; the agency's inbox shows it as reopened. axe-core checks
// the pages in Spanish and English (WCAG 2.1 A/AA) and none scrolls sideways. Last, "use my
// location" (static/ubicacion.js) with JavaScript on and a granted position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary, output, launchBrowser, phone } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

function waitForLine(stream, pattern, what) {
  return new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start: ${seen}`)), 30000);
    stream.on('data', (d) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) { clearTimeout(timer); ok(m); }
    });
  });
}

let smtp; let mailDir; let zocalo; let base; let dataDir; let browser;

before(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'zocalo-ciclo-mail-'));
  smtp = spawn('/usr/bin/python3', [resolve(here, '../harness/smtp_capture.py'), mailDir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const [, smtpPort] = await waitForLine(smtp.stdout, /PORT (\d+)/, 'smtp_capture');
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'zocalo-browser-ciclo-'));
  base = `http://127.0.0.1:${port}`;
  const log = openSync(join(output, `browser-ciclo311-${port}.log`), 'a');
  zocalo = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--smtp-host', '127.0.0.1', '--smtp-port', smtpPort, '--smtp-security', 'none',
    '--rate-limit', '100000', '--rate-burst', '100000'], { stdio: ['ignore', 'pipe', log] });
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

// Every captured message to `address` whose subject matches, oldest first; waits for one.
async function mailsTo(address, subject) {
  for (let i = 0; i < 150; i++) {
    const found = [];
    for (const name of readdirSync(mailDir).filter((n) => n.endsWith('.json')).sort()) {
      const info = JSON.parse(readFileSync(join(mailDir, name), 'utf8'));
      if (info.rcpt_tos.includes(address) && subject.test(info.subject)) found.push(info);
    }
    if (found.length) return found;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`no e-mail to ${address} matching ${subject}`);
}

// The path of the first link to `base` in a message that starts with `prefix`.
function linkIn(mail, prefix) {
  const text = mail.body;
  const m = text.match(new RegExp(`https?://[^\\s/]+(${prefix}[^\\s]*)`));
  assert.ok(m, text);
  return m[1];
}

async function signIn(page, email, password, next) {
  await page.goto(`${base}/llave/entrar?siguiente=${encodeURIComponent(next)}`);
  await page.locator('#identificador').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form[action="/llave/entrar"] button[type=submit]').click();
  await page.waitForURL(base + next);
}

test('report → agency staff fix it → e-mails → reopen → the agency sees the reopen (JS off, 412 px, axe)', async () => {
  const reporterEmail = `vecina.ciclo.${randomInt(1e9)}@example.org`;
  const jsOff = { ...phone, javaScriptEnabled: false };

  // 1. A resident without an account files a lighting report in Cuauhtémoc with an e-mail.
  const residentCtx = await browser.newContext(jsOff);
  const resident = await residentCtx.newPage();
  await resident.goto(base + '/reportes/nuevo');
  await resident.getByLabel('Tipo de reporte').selectOption('luminaria-apagada');
  await resident.getByRole('button', { name: 'Continuar' }).click();
  await resident.waitForURL(/servicio=luminaria-apagada/);
  await resident.getByLabel('Alcaldía', { exact: true }).selectOption({ label: 'Cuauhtémoc' });
  await resident.getByLabel('Calle, número y colonia').fill('Calle Regina 45, Centro');
  await resident.getByLabel('Descripción').fill('Luminaria apagada frente al número 45, la calle está muy oscura.');
  await resident.locator('select[name="attribute[cuantas]"]').selectOption('2-5');
  await resident.getByLabel('Correo electrónico').fill(reporterEmail);
  await resident.getByRole('button', { name: 'Enviar reporte' }).click();
  await resident.waitForURL(/\/reportes\/[0-9A-Z]{8}$/);
  const folio = resident.url().split('/').pop();
  const shown = `${folio.slice(0, 4)}-${folio.slice(4)}`;
  const received = await mailsTo(reporterEmail, new RegExp(`Recibimos tu reporte, folio ${shown}`));
  assert.match(linkIn(received[0], '/reportes/'), new RegExp(`^/reportes/${folio}`));

  // 2. The demo resident Ana follows it (signed in).
  const anaCtx = await browser.newContext(jsOff);
  const ana = await anaCtx.newPage();
  await signIn(ana, 'residente@demo.zocalo.mx', 'Llave-Demo-2026', `/reportes/${folio}`);
  await ana.getByRole('button', { name: 'Seguir este reporte' }).click();
  await ana.waitForURL(`${base}/reportes/${folio}`);
  assert.match(await ana.textContent('main'), /Ahora sigues este reporte/);

  // 3. The alcaldía's staff: the report is in their inbox; acknowledge, in progress, fixed.
  const staffCtx = await browser.newContext(jsOff);
  const staff = await staffCtx.newPage();
  await signIn(staff, 'cuauhtemoc@demo.zocalo.mx', 'Cuauhtemoc-Demo-2026', '/atencion');
  await staff.goto(`${base}/atencion?servicio=luminaria-apagada&alcaldia=09015`);
  await staff.locator(`a[href="/atencion/${folio}"]`).click();
  await staff.waitForURL(`${base}/atencion/${folio}`);
  assert.match(await staff.textContent('main'), new RegExp(reporterEmail.replace(/\./g, '\\.')));
  // Another agency's staff cannot open it.
  const waterCtx = await browser.newContext(jsOff);
  const water = await waterCtx.newPage();
  await signIn(water, 'agua@demo.zocalo.mx', 'Agua-Demo-2026', '/atencion');
  assert.equal((await water.goto(`${base}/atencion/${folio}`)).status(), 403);
  await waterCtx.close();
  const steps = [['acknowledged', ''], ['in_progress', 'La cuadrilla va en camino.'],
    ['fixed', 'Cambiamos la lámpara; la calle ya está iluminada.']];
  for (const [estado, nota] of steps) {
    await staff.locator('#estado').selectOption(estado);
    await staff.locator('#nota-estado').fill(nota);
    await staff.locator(`form[action="/atencion/${folio}/estado"] button[type=submit]`).click();
    await staff.waitForURL(`${base}/atencion/${folio}`);
    assert.match(await staff.locator('[role=status]').textContent(), /Estado cambiado/);
  }

  // 4. The e-mails: the reporter's at each step; the closure one with the agency's note and
  // the private link; Ana's as a follower, with the link that stops following.
  await mailsTo(reporterEmail, new RegExp(`Tu reporte ${shown} cambi`));
  const closed = await mailsTo(reporterEmail, new RegExp(`Tu reporte ${shown} se cerr`));
  assert.match(closed[0].body, /Cambiamos la l/);
  const anaMail = await mailsTo('residente@demo.zocalo.mx', new RegExp(`Novedades del reporte ${shown}`));
  const stopPath = linkIn(anaMail[0], '/reportes/dejar-de-seguir');

  // Ana stops following from the e-mail, in a browser that is not signed in.
  const linkCtx = await browser.newContext(jsOff);
  const link = await linkCtx.newPage();
  await link.goto(base + stopPath);
  await link.getByRole('button', { name: 'Dejar de seguir' }).click();
  assert.match(await link.textContent('main'), /Ya no sigues este reporte/);
  await link.goto(base + stopPath);  // spent
  assert.match(await link.textContent('main'), /no es válido o ya se usó/);
  await linkCtx.close();
  await ana.goto(`${base}/reportes/${folio}`);
  assert.ok(await ana.getByRole('button', { name: 'Seguir este reporte' }).count() === 1);

  // 5. The reporter opens the closure e-mail's private link and reopens.
  const privatePath = linkIn(closed[0], `/reportes/${folio}\\?clave=`);
  await resident.goto(base + privatePath);
  await resident.locator('#nota').fill('La lámpara se volvió a apagar esa misma noche.');
  await resident.getByRole('button', { name: 'No, reabrir el reporte' }).click();
  await resident.waitForURL(new RegExp(`/reportes/${folio}`));
  assert.match(await resident.textContent('main'), /Reabriste el reporte/);
  await mailsTo(reporterEmail, new RegExp(`Reabriste el reporte ${shown}`));

  // 6. The agency's inbox shows it as reopened.
  await staff.goto(`${base}/atencion?estado=reopened`);
  const row = staff.locator('li', { has: staff.locator(`a[href="/atencion/${folio}"]`) });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /Reabierta/);
  await staff.screenshot({ path: join(output, 'ciclo311-atencion-reabierta-412.png'), fullPage: true });

  // 7. Every page of the loop: fits 412 px, passes axe, in Spanish and English.
  const pages = [
    [residentCtx, ['/reportes/nuevo?servicio=luminaria-apagada', `/reportes/${folio}`]],
    [staffCtx, ['/atencion', '/atencion?estado=reopened', `/atencion/${folio}`]],
    [anaCtx, [`/reportes/${folio}`, stopPath]],
  ];
  const report = [];
  for (const lang of ['es-MX', 'en-US']) {
    for (const [ctx, paths] of pages) {
      // axe needs JavaScript in the page to run; the pages themselves ship none.
      const context = await browser.newContext({ ...phone, locale: lang, bypassCSP: true, storageState: await ctx.storageState() });
      const p = await context.newPage();
      for (const path of paths) {
        const res = await p.goto(base + path);
        assert.ok([200, 404].includes(res.status()), `${path}: ${res.status()}`);
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 412, `${path} is ${width}px wide (${lang})`);
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
  for (const ctx of [residentCtx, anaCtx, staffCtx]) await ctx.close();
});

test('"use my location" fills the coordinates with JavaScript on, and is absent without it', async () => {
  const off = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const plain = await off.newPage();
  await plain.goto(base + '/reportes/nuevo?servicio=bache');
  assert.equal(await plain.getByRole('button', { name: 'Usar mi ubicación' }).count(), 0);
  assert.equal(await plain.locator('#ubicacion').isHidden(), true);
  await off.close();

  const on = await browser.newContext({
    ...phone, geolocation: { latitude: 19.432608, longitude: -99.133209 }, permissions: ['geolocation'],
  });
  const page = await on.newPage();
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  await page.goto(base + '/reportes/nuevo?servicio=bache');
  await page.getByRole('button', { name: 'Usar mi ubicación' }).click();
  await page.waitForFunction(() => document.getElementById('lat').value !== '');
  assert.equal(await page.locator('#lat').inputValue(), '19.432608');
  assert.equal(await page.locator('#lon').inputValue(), '-99.133209');
  assert.match(await page.locator('#ubicacion-estado').textContent(), /Listo/);
  assert.deepEqual(csp, []);
  await on.close();
});
