// Drives Debian's Chromium with playwright-core against the real stack (see
// tests/integration/harness.mjs). The browser trusts exactly the box's server key, the
// page's Content-Security-Policy stays enforced, and every screen is checked with axe-core
// and photographed at phone and tablet size into tests/artifacts/screenshots/.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot } from '../integration/harness.mjs';

const require = createRequire(path.join(repoRoot, 'web/package.json'));
const { chromium } = require('playwright-core');
const axe = require('axe-core');

export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 820, height: 1180 };
const artifacts = path.join(repoRoot, 'tests/artifacts/screenshots');

function spkiHash(certificatePem) {
  const key = new crypto.X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(key).digest('base64');
}

let currentStack = null;

export async function launchBrowser(stack) {
  currentStack = stack;
  const serverPem = fs.readFileSync(path.join(stack.dataDir, 'tls/server.crt'), 'utf8');
  const trusted = [spkiHash(serverPem)];
  const extra = [];
  // The public name (issue 31, a stack started with { outside: 'direct' }): its certificate, and
  // the name resolving to loopback as a home's DNS would resolve it to the setting.
  if (stack.publicName) {
    trusted.push(spkiHash(fs.readFileSync(path.join(stack.root, 'public-tls/fullchain.pem'), 'utf8')));
    extra.push(`--host-resolver-rules=MAP ${stack.publicName} 127.0.0.1`);
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--ignore-certificate-errors-spki-list=${trusted.join(',')}`, ...extra],
  });
}

// A page at phone size whose console errors (CSP violations included) fail the test.
// `timezoneId` puts the browser in another time zone than the machine's (e.g. a parent abroad).
// `fromHome`: at the public name (issue 31), as a family at home opens it.
export async function openPage(browser, stack, viewport = PHONE, { timezoneId, fromHome = false } = {}) {
  const baseURL = fromHome ? `https://${stack.publicName}:${stack.outsidePort}` : `https://localhost:${stack.httpsPort}`;
  const context = await browser.newContext({ viewport, baseURL, locale: 'en-GB',
    ...(timezoneId ? { timezoneId } : {}) });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    // A failed API call logs a network error; the app shows those to the person itself.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) page.problems.push(message.text());
  });
  page.on('pageerror', (error) => page.problems.push(String(error)));
  return page;
}

export function assertNoPageErrors(page) {
  assert.deepEqual(page.problems, [], 'console errors or CSP violations on the page');
}

// axe-core at the current state; serious and critical violations fail. Injected through the
// DevTools protocol, which the page's CSP does not govern, so the CSP stays in force.
export async function assertAccessible(page, label) {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
    `${label}: accessibility violations`);
}

// Target sizes (WCAG 2.2 AA, 2.5.8; issue 32): every visible control at least 24 × 24 CSS px,
// and primary actions (.primary, a form's submit) at least 44 × 44. Links inside a sentence are
// the standard's own exception (inline targets); so are controls the browser draws inside
// another (a date field's parts).
export async function assertTargetSizes(page, label) {
  const small = await page.evaluate(() => {
    const out = [];
    const controls = document.querySelectorAll('button, [role="button"], select, textarea, summary, a, '
      + 'input:not([type="hidden"])');
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('[hidden], [inert]')) continue;
      // A control hidden for sight whose label is the target (a file picker behind its button).
      if (box.width <= 2 && box.height <= 2 && el.labels?.length) continue;
      if (el.closest('dialog:not([open])')) continue;
      // A link in running text (the inline exception): an inline element with words around it.
      if (el.tagName === 'A' && style.display === 'inline' && !el.classList.contains('button')) {
        const block = el.parentElement;
        const text = (block?.textContent ?? '').trim();
        if (text.length > (el.textContent ?? '').trim().length) continue;
      }
      const primary = el.matches('.primary, button[type="submit"], a.button.primary');
      const need = primary ? 44 : 24;
      // Sub-pixel layout: half a pixel short is the same size on screen.
      if (box.width + 0.5 < need || box.height + 0.5 < need) {
        const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().slice(0, 40);
        out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} "${name}" `
          + `${Math.round(box.width)}×${Math.round(box.height)} (needs ${need}×${need})`);
      }
    }
    return out;
  });
  // NESTBOX_TARGETS_REPORT=file: list them there instead of failing (to survey every screen at once).
  if (process.env.NESTBOX_TARGETS_REPORT) {
    for (const line of small) fs.appendFileSync(process.env.NESTBOX_TARGETS_REPORT, `${label}: ${line}\n`);
    return;
  }
  assert.deepEqual(small, [], `${label}: targets smaller than WCAG 2.2 asks`);
}

// Checks the screen at phone and tablet size: accessible at both, targets large enough,
// screenshots saved.
export async function checkScreen(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const original = page.viewportSize();
  for (const [size, viewport] of [['phone', PHONE], ['tablet', TABLET]]) {
    await page.setViewportSize(viewport);
    await assertAccessible(page, `${name} (${size})`);
    await assertTargetSizes(page, `${name} (${size})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${name} (${size}) scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: path.join(artifacts, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
  assertNoPageErrors(page);
}

// Registers the page's browser as one of the setting's tablets through /enrol, with a code a
// manager issued over the API (the devices screen's own test does that part on screen).
// Each tablet has its own name (the box refuses a second "Test tablet").
let tabletsEnrolled = 0;
export async function enrolTablet(page, name = `Browser tablet ${++tabletsEnrolled}`) {
  // Device names are unique (issue 16): a second tablet in one test run gets "Test tablet 2".
  let created = await currentStack.manager.post('/api/v1/devices', { name });
  for (let n = 2; created.status === 409 && n < 20; ++n) {
    created = await currentStack.manager.post('/api/v1/devices', { name: `${name} ${n}` });
  }
  assert.equal(created.status, 201, created.text);
  await page.goto(`/enrol#code=${created.json.enrolment.code}`);
  await page.getByRole('button', { name: 'Register this tablet' }).click();
  await page.getByRole('heading', { name: 'Tablet registered' }).waitFor();
  return created.json.device.id;
}

// Signs in through the form, as a person would. Staff sign in only on a registered tablet:
// when the box says so, the browser is registered (enrolTablet) and the sign-in repeated.
export async function signIn(page, username, password) {
  const attempt = async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await Promise.race([
      page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 15000 }),
      page.locator('.form-error').waitFor({ timeout: 15000 }),
    ]).catch(() => {});
  };
  await attempt();
  if (page.url().includes('/sign-in') && await page.locator('.notice', { hasText: 'registered tablets' }).isVisible()) {
    await enrolTablet(page);
    await attempt();
  }
  if (new URL(page.url()).pathname === '/account/pin') await choosePin(page, password);
}

// The PIN staff choose at their first sign-in on a registered tablet (issue 32).
export const FIRST_PIN = '5937';

// Chooses a PIN on the "Choose your PIN" screen, as a practitioner would, and waits for home.
export async function choosePin(page, password, pin = FIRST_PIN) {
  await page.getByRole('heading', { name: 'Choose your PIN' }).waitFor();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('PIN again').fill(pin);
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Set my PIN' }).click();
  await page.waitForURL((url) => url.pathname !== '/account/pin');
}

// Follows a link in the main menu as a person would: on a phone the menu opens first, and a
// manager's link sits in a group (Journal, Children and families, ...) that opens first.
export async function menuLink(page, name) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.waitFor();
  const link = nav.getByRole('link', { name, exact: true, includeHidden: true });
  await link.waitFor({ state: 'attached' });
  if (!await link.isVisible()) {
    const toggle = nav.getByRole('button', { name: 'Menu' });
    if (await toggle.isVisible() && await toggle.getAttribute('aria-expanded') !== 'true') await toggle.click();
  }
  if (!await link.isVisible()) {
    const inGroup = page.getByRole('link', { name, exact: true, includeHidden: true });
    const group = nav.locator('li.nav-group', { has: inGroup }).locator('button.group-toggle');
    if (await group.getAttribute('aria-expanded') !== 'true') await group.click();
  }
  await link.click();
}

// Records every status line and progress value the uploader shows, to check the progress
// the person saw (processing can be too quick to catch by polling).
export async function watchUploads(page) {
  await page.evaluate(() => {
    globalThis.uploadLog = [];
    new MutationObserver(() => {
      for (const item of document.querySelectorAll('.upload-item')) {
        const status = item.querySelector('[aria-live]')?.textContent?.trim();
        const progress = item.querySelector('progress');
        const line = `${status} | ${progress ? progress.value : '-'}`;
        if (globalThis.uploadLog.at(-1) !== line) globalThis.uploadLog.push(line);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}
