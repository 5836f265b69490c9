import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, TABLET } from './browser.mjs';

let stack;
let manager;
let browser;
let page;
before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('accounts: an empty filter explains itself; adding shows the one-time code once', async () => {
  await page.getByRole('link', { name: 'Accounts' }).first().click();
  await page.getByRole('heading', { name: 'Accounts' }).waitFor();
  await page.getByLabel('Role').first().selectOption('parent');
  await page.getByText('No accounts match these filters.').waitFor();
  await checkScreen(page, 'accounts-empty');
  await page.getByLabel('Role').first().selectOption('');

  await page.getByLabel('Name', { exact: true }).fill('Kate Key');
  await page.getByLabel('Username').fill('kate key');
  await page.getByRole('button', { name: 'Add account' }).click();
  assert.match(await page.locator('#account-username-error').textContent(), /letters, digits/);
  await page.getByLabel('Username').fill('kate');
  await page.getByLabel('Email').fill('kate@example.org');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText('Kate Key’s account is ready.').waitFor();
  const code = await page.locator('.code-box').textContent();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await page.getByRole('link', { name: 'Kate Key' }).waitFor();
  await checkScreen(page, 'accounts-created');

  await page.getByLabel('Name', { exact: true }).fill('Another Kate');
  await page.getByLabel('Username').fill('KATE');
  await page.getByRole('button', { name: 'Add account' }).click();
  assert.match(await page.locator('#account-username-error').textContent(), /already in use/);
  assert.equal(stack.sql("SELECT count(*) FROM users WHERE username LIKE 'kate'"), '1');
});

test('one account: edit, PIN, reset code and deactivation with a confirm step', async () => {
  await page.getByRole('link', { name: 'Kate Key' }).click();
  await page.getByRole('heading', { name: 'Kate Key' }).waitFor();
  await checkScreen(page, 'account-detail');
  await page.getByLabel('Name', { exact: true }).fill('Kate Keyworker');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved.').waitFor();

  await page.getByLabel('New PIN').fill('1234');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  assert.match(await page.locator('#edit-pin-error').textContent(), /too easy/);
  await page.getByLabel('New PIN').fill('4071');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await page.getByText('The PIN is set.').waitFor();
  await page.getByText('A PIN is set.').waitFor();

  await page.getByRole('button', { name: 'Issue password reset code' }).click();
  await page.getByText('Reset code issued.').waitFor();

  await page.getByRole('button', { name: 'Deactivate account' }).click();
  await page.getByText(/Deactivate Kate Keyworker\?/).waitFor();
  await checkScreen(page, 'account-deactivate-confirm');
  await page.getByRole('button', { name: 'Yes, deactivate' }).click();
  await page.getByText('The account is deactivated and signed out everywhere.').waitFor();
  assert.equal(stack.sql("SELECT active FROM users WHERE username = 'kate'"), '0');
  await page.getByRole('button', { name: 'Reactivate account' }).waitFor();

  await page.getByRole('link', { name: '← All accounts' }).click();
  await page.getByLabel('State').selectOption('false');
  await page.getByRole('link', { name: 'Kate Keyworker' }).waitFor();
  assertNoPageErrors(page);
});

test('the audit log filters by what, who and when', async () => {
  await stack.client().signIn('manager', 'a wrong password');
  await page.getByRole('link', { name: 'Audit log' }).first().click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.locator('ul.cards li').first().waitFor();
  await checkScreen(page, 'audit-log');

  await page.getByLabel('What').selectOption('NBX_AUTH_SIGNIN_FAILED');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('ul.cards li').first().waitFor();
  const entries = await page.locator('ul.cards li').allTextContents();
  assert.ok(entries.length >= 1);
  for (const entry of entries) assert.match(entry, /sign-in failed/);

  await page.getByLabel('What').selectOption('');
  const managerId = stack.sql("SELECT id FROM users WHERE username = 'manager'");
  await page.getByLabel('Who').selectOption(managerId);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('ul.cards').getByText('account created').first().waitFor();
  for (const entry of await page.locator('ul.cards li').allTextContents()) assert.match(entry, /manager · from/);

  await page.getByLabel('From').fill('2099-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('No entries match.').waitFor();
  await checkScreen(page, 'audit-empty');
});

test('the setting page saves within limits and explains what it refuses', async () => {
  await page.getByRole('link', { name: 'Setting' }).first().click();
  await page.getByRole('heading', { name: 'Setting', exact: true }).waitFor();
  await checkScreen(page, 'setting');
  await page.getByLabel('Managers: minutes idle').fill('0');
  await page.getByRole('button', { name: 'Save setting' }).click();
  assert.match(await page.locator('#setting-idle_minutes_manager-error').textContent(), /from 1 to 240/);
  await page.getByLabel('Managers: minutes idle').fill('20');
  await page.getByLabel('Require an upper-case letter').check();
  await page.getByLabel('Maximum password age in days').fill('365');
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/London');
  await page.getByLabel('Time zone').selectOption('Europe/Dublin');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.getByText(/^Saved\./).waitFor();
  assert.equal(stack.sql('SELECT idle_minutes_manager || password_require_mixed || password_max_age_days FROM setting'), '201365');
  assert.equal(stack.sql('SELECT time_zone FROM setting'), 'Europe/Dublin');
  // A zone the box's tz database does not know is refused by name.
  const refused = await manager.request('PATCH', '/api/v1/settings', { body: { time_zone: 'Atlantis/Capital' } });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.field, 'time_zone');
});

test('staff opening a manager page are told it is for managers, and the API agrees', async () => {
  const { client } = await stack.addUser(manager, 'priya', 'staff', 'Swings And Slides 4');
  const staffPage = await openPage(browser, stack);
  await signIn(staffPage, 'priya', 'Swings And Slides 4');
  await staffPage.getByRole('heading', { name: /Hello/ }).waitFor();
  assert.equal(await staffPage.getByRole('link', { name: 'Accounts' }).count(), 0);
  for (const path of ['/manage/accounts', '/manage/audit', '/manage/settings']) {
    await staffPage.goto(path);
    await staffPage.getByRole('heading', { name: 'This page is for managers' }).waitFor();
  }
  await checkScreen(staffPage, 'managers-only');
  assert.equal((await client.get('/api/v1/users')).status, 403);
  await staffPage.context().close();
});

test('a manager at an office computer reads the journal but records only on a registered tablet', async () => {
  await page.goto('/staff/journal');
  await page.getByRole('heading', { name: 'Journal' }).waitFor();
  await page.getByText('New observations are recorded on the setting’s registered tablets').waitFor();
  assert.equal(await page.getByRole('link', { name: 'New entry' }).count(), 0);
  await page.goto('/staff/entries/new');
  await page.getByRole('heading', { name: 'This page is for registered tablets' }).waitFor();
  await checkScreen(page, 'manager-office-no-recording');
  // The box refuses it whatever the page shows.
  const refused = await manager.post('/api/v1/entries', { kind: 'observation', title: 'x', observed_on: '2026-05-20', child_ids: [] });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error, 'device_required');
});

test('the manager home shows the data disk, and warns when uploads would be refused', async () => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Storage' }).waitFor();
  assert.match(await page.locator('.storage').textContent(), /Data disk: .* used/);
  assert.equal(await page.locator('.storage .warning').count(), 0);
  assert.equal((await manager.patch('/api/v1/settings', { storage_reserve_mib: 4 << 20 })).status, 200);
  try {
    await page.reload();
    await page.getByText('The box is full: it refuses new photos and videos').waitFor();
    await checkScreen(page, 'manager-home-storage-full');
  } finally {
    await manager.patch('/api/v1/settings', { storage_reserve_mib: 0 });
  }
});
