import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Stack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen } from './browser.mjs';

let stack;
let browser;
let page;
before(async () => {
  stack = await Stack.start();
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a fresh box opens on setup; a wrong code is explained next to its field', async () => {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Set up Nestbox' }).waitFor());
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
  await checkScreen(page, 'home-manager');
  // Setup is gone for good: its address now leads home.
  await page.goto('/setup');
  await page.getByRole('heading', { name: 'Hello, Beth McNerlin' }).waitFor();
});
