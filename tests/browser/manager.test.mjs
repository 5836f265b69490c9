import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink, PHONE, TABLET } from './browser.mjs';

let stack;
let manager;
let browser;
let page;
before(async () => {
  ({ stack, manager } = await startSetUpStack({ outside: true }));
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

// The manager's home (issue 16): what needs them, counted by the box, each item a link to
// where the work is done; and a plain "Nothing needs you today" when all is done.
test('the manager’s home is a to-do list whose counts link to the work', async () => {
  const item = (id) => page.locator(`ul.todo > li[data-todo="${id}"]`);
  const expectItem = async (id, text, href) => {
    const link = item(id).getByRole('link');
    await link.waitFor();
    assert.match((await link.textContent()).replace(/\s+/g, ' ').trim(), text);
    assert.equal(await link.getAttribute('href'), href);
  };
  // A fresh box: backups are not set up (the first item, in red: issue 32), and the first
  // manager has no PIN yet; that is all.
  await expectItem('backups', /^! Backups are not set up$/, '/manage/backups');
  await expectItem('pin', /^1 member of staff without a PIN$/, '/manage/accounts?needs=pin');
  assert.equal(await page.locator('ul.todo > li').count(), 2);
  assert.equal(await page.locator('ul.todo > li').first().getAttribute('data-todo'), 'backups');
  assert.equal(await page.locator('ul.todo > li.todo-urgent').count(), 1);

  // With a PIN only the backups are left (tests/browser/backups.test.mjs sees "Nothing needs
  // you today" once a backup is made).
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4071' })).status, 200);
  await page.reload();
  await expectItem('backups', /^! Backups are not set up$/, '/manage/backups');
  assert.equal(await page.locator('ul.todo > li').count(), 1);
  await page.locator('[data-glance="lockdown"]').getByText('The journal is open.').waitFor();
  await page.locator('[data-glance="release"]').getByText('No release date coming up.').waitFor();
  await checkScreen(page, 'manager-home-backups-first');

  // A room released on set dates, a child with no consent, no parent and no key person, and a
  // new member of staff who has not used their one-time code yet.
  const ok = (res, what) => { assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`); return res.json; };
  const room = ok(await manager.post('/api/v1/rooms', { name: 'Reception', release_mode: 'scheduled' }), 'room').room.id;
  ok(await manager.post(`/api/v1/rooms/${room}/releases`, { at: '2030-06-20T15:00:00Z' }), 'release date');
  const ava = ok(await manager.post('/api/v1/children', { first_name: 'Ava', last_name: 'Ahmed', date_of_birth: '2021-01-10',
    room_id: room, started_on: '2025-09-01' }), 'child').child.id;
  ok(await manager.post('/api/v1/users', { username: 'new.starter', display_name: 'New Starter', role: 'staff' }), 'account');
  await page.reload();
  await expectItem('consent', /^1 child without consent recorded$/, '/manage/children?needs=consent');
  await expectItem('parent', /^1 child with no parent attached or invited$/, '/manage/children?needs=parent');
  await expectItem('codes-unused', /^1 account code handed out, not used yet$/, '/manage/accounts?needs=code_unused');
  await expectItem('pin', /^1 member of staff without a PIN$/, '/manage/accounts?needs=pin');
  await expectItem('observed-none', /^1 child without a key person, not observed for 14 days$/,
    '/manage/children?needs=observation&key_person=none');
  // The next release, in the setting's time zone (Europe/London: 16:00 in summer), not the browser's.
  assert.match((await page.locator('[data-glance="release"]').textContent()).replace(/\s+/g, ' '),
    /Next release: Reception on Thu 20 Jun 2030, 16:00\./);
  await checkScreen(page, 'manager-home-todo');
  await item('consent').getByRole('link').click();
  await page.getByRole('heading', { name: 'Rooms and children' }).waitFor();
  await page.goBack();
  await item('pin').getByRole('link').click();
  await page.getByRole('heading', { name: 'Accounts' }).waitFor();

  // An observation by staff waits for review: its item opens the journal filtered to it.
  const { client: tom } = await stack.addUser(manager, 'tom', 'staff', 'quiet river stones');
  ok(await tom.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Tower of ten blocks', body: 'Counted to ten.',
    next_steps: '', observed_on: new Date().toISOString().slice(0, 10), child_ids: [ava], aspect_ids: [] }), 'entry');
  await page.goto('/');
  await expectItem('review', /^1 journal entry to review$/, '/staff/journal?status=review');
  assert.equal(await item('observed-none').count(), 0, 'Ava is observed now');
  await item('review').getByRole('link').click();
  await page.getByRole('heading', { name: 'Journal' }).waitFor();
  assert.equal(await page.getByLabel('Status').inputValue(), 'review');
  await page.getByRole('link', { name: 'Tower of ten blocks' }).waitFor();
  assertNoPageErrors(page);
});

test('the menu: four groups on a tablet, one Menu button on a phone', async () => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const groups = nav.locator('button.group-toggle');
  await groups.first().waitFor();
  assert.deepEqual((await groups.allTextContents()).map((t) => t.trim()),
    ['Journal', 'Children and families', 'Setting and safety', 'My account']);
  const tops = await groups.evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `the groups sit in one row at tablet size (${tops})`);
  // A group opens as a list of links; Escape closes it and gives the focus back.
  assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0, 'closed groups hide their links');
  await nav.getByRole('button', { name: 'Setting and safety' }).click();
  for (const name of ['Accounts', 'Devices', 'IT details', 'Audit log', 'Setting']) {
    await nav.getByRole('link', { name, exact: true }).waitFor();
  }
  await page.keyboard.press('Escape');
  await nav.getByRole('link', { name: 'Audit log' }).waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Setting and safety');
  await nav.getByRole('button', { name: 'Setting and safety' }).click();
  await checkScreen(page, 'menu-group-open');
  await page.locator('main').click({ position: { x: 5, y: 5 } });  // a click elsewhere closes it
  await nav.getByRole('link', { name: 'Audit log' }).waitFor({ state: 'hidden' });

  // On a phone: the name and one Menu button, in one row; the menu lists every group.
  await page.setViewportSize(PHONE);
  const header = await page.locator('header.top').boundingBox();
  assert.ok(header.height < 80, `the header is one row on a phone (${header.height}px)`);
  assert.equal(await groups.first().isVisible(), false);
  await nav.getByRole('button', { name: 'Menu' }).click();
  for (const name of ['Journal', 'From families', 'Rooms and children', 'Family links to confirm', 'Accounts', 'Devices', 'IT details',
    'Audit log', 'Setting', 'My account', 'Change password']) {
    await nav.getByRole('link', { name, exact: true }).waitFor();
  }
  await nav.getByRole('button', { name: 'Sign out' }).waitFor();
  await checkScreen(page, 'menu-phone-open');
  await nav.getByRole('link', { name: 'IT details' }).click();
  await page.getByRole('heading', { name: 'IT details' }).waitFor();
  assert.equal(await nav.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'), 'false', 'the menu closes on the way');
  await page.setViewportSize(TABLET);
  assertNoPageErrors(page);
});

test('accounts: an empty filter explains itself; adding shows the one-time code once', async () => {
  await menuLink(page, 'Accounts');
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
  // On one line with a Copy button, whose outcome a screen reader hears.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy one-time code' }).click();
  await page.getByRole('status').filter({ hasText: /^Copied$/ }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
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
  await menuLink(page, 'Audit log');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.locator('ul.cards li').first().waitFor();
  await checkScreen(page, 'audit-log');

  await page.getByLabel('What').selectOption('NBX_AUTH_SIGNIN_FAILED');
  await page.getByRole('button', { name: 'Show' }).click();
  // The unfiltered list stays on screen until the filtered one arrives: wait for that one.
  await page.waitForFunction(() => {
    const items = [...document.querySelectorAll('ul.cards li')];
    return items.length > 0 && items.every((li) => li.textContent.includes('Sign-in failed'));
  });
  const entries = await page.locator('ul.cards li').allTextContents();
  assert.ok(entries.length >= 1);
  for (const entry of entries) assert.match(entry, /Sign-in failed/);

  await page.getByLabel('What').selectOption('');
  const managerId = stack.sql("SELECT id FROM users WHERE username = 'manager'");
  await page.getByLabel('Who').selectOption(managerId);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('ul.cards').getByText('Account created').first().waitFor();
  // Who by name, with the username (issue 32: the audit log names people).
  for (const entry of await page.locator('ul.cards li').allTextContents()) assert.match(entry, /Beth McNerlin \(manager\) · from/);

  await page.getByLabel('From').fill('2099-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('No entries match.').waitFor();
  await checkScreen(page, 'audit-empty');
});

test('the setting page saves within limits and explains what it refuses', async () => {
  await menuLink(page, 'Setting');
  await page.getByRole('heading', { name: 'Setting', exact: true }).waitFor();
  await checkScreen(page, 'setting');
  await page.getByLabel('Managers: minutes idle').fill('0');
  await page.getByRole('button', { name: 'Save setting' }).click();
  assert.match(await page.locator('#setting-idle_minutes_manager-error').textContent(), /from 1 to 240/);
  await page.getByLabel('Managers: minutes idle').fill('20');
  await page.getByLabel('Require an upper-case letter').check();
  await page.getByLabel('Maximum password age in days').fill('365');
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/London');
  await page.getByLabel('Time zone').fill('Europe/Dublin');
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
  assert.equal(await staffPage.getByRole('link', { name: 'Accounts', includeHidden: true }).count(), 0);
  // Staff keep a short menu, behind one button on a phone; their home is their key children.
  await staffPage.getByRole('heading', { name: 'Your key children' }).waitFor();
  await staffPage.getByRole('button', { name: 'Menu' }).click();
  const links = await staffPage.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  assert.deepEqual(links.map((l) => l.trim()), ['Home', 'Journal', 'Children', 'Devices', 'My account']);
  await checkScreen(staffPage, 'staff-home-menu');
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

// Families at home (issue 31): the home says whether they can reach the journal from home,
// counts sign-ins from outside per day, and alerts when the public name has no certificate;
// the setting page lets managers read from home (off by default).
test('the manager home shows families at home: sign-ins per day and the certificate; the setting lets managers read from home', async () => {
  await page.goto('/');
  const panel = page.locator('.panel.from-home');
  await panel.getByText('Families open the journal on the setting’s network only.').waitFor();

  // IT support turned remote access on (nestboxctl remote relay writes this for nestboxd); no
  // certificate from the ACME CA yet.
  fs.mkdirSync(path.join(stack.dataDir, 'remote'), { recursive: true });
  fs.writeFileSync(path.join(stack.dataDir, 'remote/remote.conf'), `mode = relay\npublic_name = ${stack.publicName}\n`);
  // A parent signs in from home, twice.
  await stack.addUser(manager, 'parent.home', 'parent', 'Far away hills 3');
  for (let i = 0; i < 2; i += 1) {
    assert.equal((await stack.home(`198.51.100.${50 + i}`).client().signIn('parent.home', 'Far away hills 3')).status, 200);
  }
  await page.reload();
  await panel.getByText(`Families open the journal from home at https://${stack.publicName}/`).waitFor();
  await panel.getByRole('alert').getByText(`${stack.publicName} has no certificate yet, so families cannot open it`).waitFor();
  assert.match((await panel.textContent()).replace(/\s+/g, ' '), /Sign-ins from home in the last 7 days: 2\./);
  const days = panel.locator('ul.outside-days > li');
  assert.equal(await days.count(), 7);
  assert.equal((await days.last().locator('strong').textContent()).trim(), '2');
  await checkScreen(page, 'manager-home-from-home');

  await menuLink(page, 'Setting');
  const allow = page.getByLabel('Managers may read the journal and the to-do list from home');
  assert.equal(await allow.isChecked(), false);
  await allow.check();
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.getByText(/^Saved\./).waitFor();
  assert.equal(stack.sql('SELECT outside_manager_read FROM setting'), '1');
  assert.equal((await stack.home('198.51.100.60').client().signIn('manager', MANAGER_PASSWORD)).status, 200);
  await allow.uncheck();
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.getByText(/^Saved\./).waitFor();
  assert.equal(stack.sql('SELECT outside_manager_read FROM setting'), '0');
  fs.rmSync(path.join(stack.dataDir, 'remote/remote.conf'));
});
