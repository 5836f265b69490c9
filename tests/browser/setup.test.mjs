import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Stack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, assertNoPageErrors } from './browser.mjs';

let stack;
let browser;
let page;
// The bodies the page POSTs to /api/v1/setup.
function recordSetupPosts(p) {
  const bodies = [];
  p.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/setup') bodies.push(r.postDataJSON());
  });
  return bodies;
}
let setupPosts;
before(async () => {
  stack = await Stack.start();
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack);
  setupPosts = recordSetupPosts(page);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a fresh box opens on setup; a wrong code is explained next to its field', async () => {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Set up Nestbox' }).waitFor());
  // A box whose clock has synced (this stack's: no clock_synced_file) asks nothing about it.
  assert.equal((await stack.client().get('/api/v1/setup')).json.clock.synchronised, true);
  await page.locator('details.it-details h3', { hasText: 'The setup code' }).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#setup-clock').count(), 0);
  await checkScreen(page, 'setup');

  await page.getByLabel('Setup code').fill('WRONG-CODE-0000-0000');
  await page.getByLabel('Setting name').fill('Rainbow Nursery');
  await page.getByLabel('Your name').fill('Beth McNerlin');
  await page.getByLabel('Username').fill('beth');
  await page.getByLabel('Password', { exact: true }).fill(MANAGER_PASSWORD);
  await page.getByLabel('Password again').fill(MANAGER_PASSWORD);
  await page.getByRole('button', { name: 'Create setting' }).click();
  const error = page.locator('#setup-code-error');
  await error.waitFor();
  assert.match(await error.textContent(), /setup code is not right/);
  assert.equal(await page.getByLabel('Setup code').getAttribute('aria-invalid'), 'true');
  // The focus moves to the field at fault, and nothing else typed is lost.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'setup-code');
  assert.equal(await page.getByLabel('Setting name').inputValue(), 'Rainbow Nursery');
  await checkScreen(page, 'setup-wrong-code');
});

test('the setup page shows where the box is and a QR code to open it; the details for IT support fold away', async () => {
  const panel = page.locator('nb-box-address');
  const url = `https://nestbox-test.local:${stack.httpsPort}/`;
  await panel.getByTestId('box-url').waitFor();
  assert.equal(await panel.getByTestId('box-url').textContent(), url);
  assert.equal(await panel.getByRole('img', { name: `QR code for ${url}` }).getAttribute('data-text'), url);
  // In plain words: no file paths, mDNS flags or fingerprints outside the IT details.
  assert.doesNotMatch(await page.locator('#setup-code-hint').textContent(), /\//);
  const details = page.locator('details.it-details');
  assert.equal(await details.getByTestId('ca-fingerprint').isVisible(), false);
  await details.getByText('Details for IT support').click();
  const fingerprint = new crypto.X509Certificate(stack.ca).fingerprint256;
  assert.equal((await details.getByTestId('ca-fingerprint').textContent()).trim(), fingerprint);
  // This stack does not announce itself (mdns = off): the details say so and list the addresses.
  assert.match(await details.getByTestId('mdns-warning').textContent(), /Not announced on the network[\s\S]*mdns = off/);
  assert.equal(await details.getByRole('link', { name: 'Download the box’s certificate' }).getAttribute('href'), '/api/v1/ca.crt');
  // Where the setup code is written, for whoever has the box's files.
  await details.getByText(/written to .*setup-code/).waitFor();
  await details.scrollIntoViewIfNeeded();
  await checkScreen(page, 'setup-box-address');
});

test('mismatched passwords are caught before sending', async () => {
  await page.getByLabel('Setup code').fill(stack.daemon.setupCode());
  await page.getByLabel('Password again').fill('something else entirely');
  await page.getByRole('button', { name: 'Create setting' }).click();
  await page.locator('#setup-confirm-error').waitFor();
  assert.equal(stack.sql('SELECT count(*) FROM users'), '0');
});

test('the right code creates the setting and signs the first manager in', async () => {
  await page.getByLabel('Password again').fill(MANAGER_PASSWORD);
  await page.getByLabel('Curriculum framework').selectOption('cfe');
  await page.getByRole('button', { name: 'Create setting' }).click();
  await page.getByRole('heading', { name: 'Hello, Beth McNerlin' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('header .brand').textContent(), /Rainbow Nursery/);
  assert.equal(stack.sql('SELECT framework FROM setting'), 'cfe');
  assert.ok(setupPosts.length > 0 && setupPosts.every((body) => !('clock' in body)), 'no clock sent for a synced box');
  await checkScreen(page, 'home-manager');
  // Setup is gone for good: its address now leads home.
  await page.goto('/setup');
  await page.getByRole('heading', { name: 'Hello, Beth McNerlin' }).waitFor();
});

// Until the box's clock has synced over NTP (a Raspberry Pi has no real-time clock), setup
// shows the box's date and time and the manager confirms or corrects them.
describe('a box whose clock has not synced', () => {
  let clockStack;
  let clockBrowser;
  let clockPage;
  let posts;
  let clock;
  before(async () => {
    clockStack = await Stack.start({ extraConfig: 'clock_synced_file = /nonexistent/nestbox-test-synced\n' });
    clockBrowser = await launchBrowser(clockStack);
    clockPage = await openPage(clockBrowser, clockStack);
    posts = recordSetupPosts(clockPage);
    clock = clockPage.getByRole('group', { name: 'The box’s date and time' });
  });
  after(async () => {
    await clockBrowser?.close();
    await clockStack?.stop();
  });

  const boxTime = () => clock.getByTestId('box-time').locator('time');
  const shownMs = async () => Date.parse(await boxTime().getAttribute('datetime'));
  // A datetime-local value as the page reads it: the browser's local time.
  const localMs = (value) => clockPage.evaluate((v) => new Date(v).getTime(), value);
  async function fillForm() {
    await clockPage.getByLabel('Setup code').fill(clockStack.daemon.setupCode());
    await clockPage.getByLabel('Setting name').fill('Rainbow Nursery');
    await clockPage.getByLabel('Your name').fill('Beth McNerlin');
    await clockPage.getByLabel('Username').fill('beth');
    await clockPage.getByLabel('Password', { exact: true }).fill(MANAGER_PASSWORD);
    await clockPage.getByLabel('Password again').fill(MANAGER_PASSWORD);
  }

  test('setup shows the box’s date and time, ticking; agreeing with this device, “This is right” is chosen', async () => {
    const { json: info } = await clockStack.client().get('/api/v1/setup');
    assert.equal(info.clock.synchronised, false);
    await clockPage.goto('/setup');
    await clock.waitFor();
    assert.match(await clock.textContent(), /not been able to check its clock over the internet/);
    // The box's clock (the test stack's is this machine's), as a person reads a date.
    const shown = await shownMs();
    assert.ok(shown >= info.clock.now * 1000 - 1000 && shown <= Date.now() + 2000, `box time ${new Date(shown).toISOString()}`);
    assert.match((await boxTime().textContent()).trim(), /^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    // It ticks on the page.
    await clockPage.waitForFunction((before) =>
      document.querySelector('[data-testid="box-time"] time')?.getAttribute('datetime') !== before,
    await boxTime().getAttribute('datetime'));
    // The same as this device's: not shown twice, and taken as right unless the manager says otherwise.
    assert.equal(await clock.getByTestId('device-time').count(), 0);
    assert.equal(await clock.getByLabel('This is right').isChecked(), true);
    assert.equal(await clock.getByLabel('Set it to:').isChecked(), false);
  });

  test('a date before the box’s software was made is refused next to the box’s time; nothing is created', async () => {
    await fillForm();
    // Typing a time chooses "Set it to".
    await clock.getByLabel('The right date and time').fill('2020-01-01T09:00');
    assert.equal(await clock.getByLabel('Set it to:').isChecked(), true);
    await clockPage.getByRole('button', { name: 'Create setting' }).click();
    const error = clock.locator('#setup-clock-error');
    await error.waitFor();
    assert.ok((await error.textContent()).trim().length > 0);
    assert.equal(posts.at(-1).clock.confirmed_now, await localMs('2020-01-01T09:00') / 1000);
    const input = clock.getByLabel('The right date and time');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.match(await input.getAttribute('aria-describedby'), /setup-clock-error/);
    assert.equal(await clockPage.evaluate(() => document.activeElement?.id), 'setup-clock-value');
    assert.equal(clockStack.sql('SELECT count(*) FROM users'), '0');
    assert.equal(await clockPage.getByLabel('Setting name').inputValue(), 'Rainbow Nursery');
    await checkScreen(clockPage, 'setup-clock-error');
  });

  test('when the box’s clock and this device’s differ, both are shown and this device’s time is offered', async () => {
    clockStack.advanceClock(24 * 3600);
    await clockPage.reload();
    await clock.waitFor();
    const shown = await shownMs();
    assert.ok(Math.abs(shown - (Date.now() + 24 * 3600 * 1000)) < 5000, `box time ${new Date(shown).toISOString()}`);
    await clock.getByTestId('device-time').waitFor();
    assert.match(await clock.textContent(), /This phone, tablet or computer says/);
    assert.equal(await clock.getByLabel('Set it to:').isChecked(), true);
    const offered = await localMs(await clock.getByLabel('The right date and time').inputValue());
    assert.ok(Math.abs(offered - Date.now()) < 2 * 60 * 1000, `offered ${new Date(offered).toISOString()}`);
    await clock.scrollIntoViewIfNeeded();
    await checkScreen(clockPage, 'setup-clock');
  });

  test('confirming the box’s time creates the setting and leaves the clock alone', async () => {
    await fillForm();
    await clock.getByLabel('This is right').check();
    await clockPage.getByRole('button', { name: 'Create setting' }).click();
    await clockPage.getByRole('heading', { name: 'Hello, Beth McNerlin' }).waitFor();
    // The box's own time, advanced by how long the page was open.
    const sent = posts.at(-1).clock.confirmed_now;
    assert.ok(Math.abs(sent - (Date.now() / 1000 + 24 * 3600)) < 5, `confirmed_now ${sent}`);
    assert.equal(fs.existsSync(path.join(clockStack.dataDir, 'clock-request')), false);
    assertNoPageErrors(clockPage);
  });
});
