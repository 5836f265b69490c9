import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink } from './browser.mjs';

let stack;
let manager;
let browser;
before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a wrong password is explained; five of them lock the account', async () => {
  await stack.addUser(manager, 'kate', 'staff', 'green apple orchard');
  const page = await openPage(browser, stack);
  await page.goto('/manage/accounts');
  await page.waitForURL('**/sign-in?next=%2Fmanage%2Faccounts');
  await checkScreen(page, 'sign-in');
  await signIn(page, 'kate', 'not my password');
  const error = page.locator('.form-error');
  await error.waitFor();
  assert.match(await error.textContent(), /username or password is not right/);
  await checkScreen(page, 'sign-in-wrong-password');
  for (let i = 0; i < 4; i++) {
    await page.getByLabel('Password', { exact: true }).fill(`guess ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }
  await page.getByLabel('Password', { exact: true }).fill('green apple orchard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/Too many failed sign-ins/).waitFor();
  await checkScreen(page, 'sign-in-locked');
  await page.context().close();
});

test('signing in works by keyboard alone, and returns to the page asked for', async () => {
  const page = await openPage(browser, stack);
  await page.goto('/account/sessions');
  await page.waitForURL('**/sign-in**');
  await page.getByLabel('Username').focus();
  await page.keyboard.type('manager');
  await page.keyboard.press('Tab');
  await page.keyboard.type(MANAGER_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/account/sessions');
  // Focus lands on the page heading after navigation, for screen readers and keyboards.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  await page.getByText('This device').waitFor();
  await checkScreen(page, 'my-account');
  await page.context().close();
});

test('ending another session, changing the password, and signing out', async () => {
  const { client: elsewhere } = await stack.addUser(manager, 'sam.parent', 'parent', 'blue whale singing');
  const page = await openPage(browser, stack);
  await signIn(page, 'sam.parent', 'blue whale singing');
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();  // parents land on their journal, agreement first
  assert.equal(await page.getByRole('link', { name: 'Accounts' }).count(), 0, 'parents see no manager links');
  await page.getByRole('link', { name: 'My account' }).first().click();
  await page.getByRole('button', { name: /^Sign out .* session/ }).click();
  await page.getByText(/Signed out the .* session/).waitFor();
  assert.equal((await elsewhere.get('/api/v1/auth/session')).status, 401);

  await page.goto('/account/password');
  await page.getByLabel('Current password').fill('wrong one here');
  await page.getByLabel('New password', { exact: true }).fill('blue whale dancing');
  await page.getByLabel('New password again').fill('blue whale dancing');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('#password-current_password-error').waitFor();
  await checkScreen(page, 'change-password-error');
  await page.getByLabel('Current password').fill('blue whale singing');
  await page.getByLabel('New password', { exact: true }).fill('password123');
  await page.getByLabel('New password again').fill('password123');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await page.locator('#password-new_password-error').textContent(), /too common/);
  await page.getByLabel('New password', { exact: true }).fill('blue whale dancing');
  await page.getByLabel('New password again').fill('blue whale dancing');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password is changed.').waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto('/account/sessions');
  await page.waitForURL('**/sign-in**');
  assertNoPageErrors(page);
  await page.context().close();
});

test('a new person sets their password with the one-time code', async () => {
  const created = await manager.post('/api/v1/users', { username: 'new.starter', display_name: 'New Starter', role: 'staff' });
  const page = await openPage(browser, stack);
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Set your password' }).click();
  await page.getByLabel('Username').fill('new.starter');
  await page.getByLabel('One-time code').fill('AAAA-BBBB-CCCC-DDDD');
  await page.getByLabel('New password', { exact: true }).fill('first day at nursery');
  await page.getByLabel('New password again').fill('first day at nursery');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.locator('#redeem-code-error').waitFor();
  await checkScreen(page, 'set-password-wrong-code');
  await page.getByLabel('One-time code').fill(created.json.one_time_code.code.toLowerCase());
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Your password is set.').waitFor();
  await signIn(page, 'new.starter', 'first day at nursery');
  await page.getByRole('heading', { name: 'Hello, New Starter' }).waitFor();
  await page.context().close();
});

test('when the session ends mid-task, signing in again keeps what was typed', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(page, 'Accounts');
  await page.getByLabel('Name', { exact: true }).fill('Priya Practitioner');
  await page.getByLabel('Username').fill('priya');
  // The page's own requests answered first: one still in flight when the clock moves would
  // open the sign-in dialog before the click (seen on a loaded machine).
  await page.getByRole('list', { name: 'Accounts' }).waitFor();
  stack.advanceClock(16 * 60);  // past the manager's 15-minute idle limit
  await page.getByRole('button', { name: 'Add account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
  await dialog.waitFor();
  await checkScreen(page, 'session-expired-dialog');
  await dialog.getByLabel('Password', { exact: true }).fill(MANAGER_PASSWORD);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('dialog.reauth').waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Priya Practitioner');
  assert.equal(await page.getByLabel('Username').inputValue(), 'priya');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText('Priya Practitioner’s account is ready.').waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('installable PWA: manifest, icons, and a service worker that caches the app shell only', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]').href;
    const res = await fetch(link);
    return { type: res.headers.get('content-type'), body: await res.json() };
  });
  assert.match(manifest.type, /application\/manifest\+json/);
  assert.equal(manifest.body.display, 'standalone');
  assert.deepEqual(manifest.body.icons.filter((i) => i.type === 'image/png').map((i) => i.sizes).sort(), ['192x192', '512x512']);
  const cached = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const names = await caches.keys();
    const urls = [];
    for (const name of names) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return { names, urls };
  });
  assert.equal(cached.names.length, 1);
  assert.match(cached.names[0], /^nestbox-shell-/);
  assert.ok(cached.urls.includes('/index.html'));
  assert.ok(cached.urls.some((u) => /^\/assets\/index-.*\.js$/.test(u)));
  assert.deepEqual(cached.urls.filter((u) => u.startsWith('/api/')), [], 'no API responses in the cache');
  // The API still goes to the network after the worker took control.
  await page.reload();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  assert.deepEqual(await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls.filter((u) => !u.startsWith('/') || u.startsWith('/api/'));
  }), []);
  assertNoPageErrors(page);
  await page.context().close();
});

test('a family keeps their phone signed in: it renews with its own key, and asks for the password before a download', async () => {
  if ((await manager.get('/api/v1/auth/session')).status !== 200) assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
  const { client: family, id: parentId } = await stack.addUser(manager, 'phone.parent', 'parent', 'a phone in the pocket');
  const room = (await manager.post('/api/v1/rooms', { name: 'Remembered room', release_mode: 'live' })).json.room.id;
  const child = (await manager.post('/api/v1/children', { first_name: 'Rosa', last_name: 'Reed', date_of_birth: '2022-01-10',
    room_id: room, started_on: '2025-09-01' })).json.child.id;
  assert.equal((await manager.request('PUT', `/api/v1/children/${child}/carers/${parentId}`)).status, 200);
  const agreement = (await family.get('/api/v1/agreement')).json;
  assert.equal((await family.post('/api/v1/agreement/accept', { version: agreement.version })).status, 200);

  const page = await openPage(browser, stack);
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill('phone.parent');
  await page.getByLabel('Password', { exact: true }).fill('a phone in the pocket');
  await page.getByLabel('Keep me signed in on this phone').check();
  await checkScreen(page, 'sign-in-remember');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).waitFor();
  const cookie = async () => (await page.context().cookies()).find((c) => c.name === '__Host-nestbox');
  const first = await cookie();
  assert.ok(first.expires * 1000 > Date.now() + 80 * 86400 * 1000, `kept for 90 days, not the browser session: ${first.expires}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  await page.getByText('Remembered phone').waitFor();
  await checkScreen(page, 'account-remembered-phone');

  // Ten minutes on, a download of the journal asks for the password first, then goes ahead.
  stack.advanceClock(11 * 60);
  await page.getByRole('button', { name: 'Download Rosa’s journal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Is it you?' });
  await dialog.waitFor();
  await checkScreen(page, 'password-again');
  await dialog.getByLabel('Your password').fill('not my password');
  await dialog.getByRole('button', { name: 'Carry on' }).click();
  await dialog.locator('.field-error, .form-error').first().waitFor();
  await dialog.getByLabel('Your password').fill('a phone in the pocket');
  await dialog.getByRole('button', { name: 'Carry on' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => fetch('/api/v1/exports').then((r) => r.json()).then((j) => j.exports.length === 1));

  // Hours later (far past a parent's 30 idle minutes) the phone is still signed in: it proved
  // it holds its key and got a new token.
  stack.advanceClock(3 * 3600);
  await page.reload();
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  await page.getByText('Remembered phone').waitFor();
  assert.notEqual((await cookie()).value, first.value, 'the token was replaced');
  // Signing out forgets the phone's key with the session.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(stack.sql(`SELECT count(*) FROM sessions WHERE user_id = '${parentId}' AND remember_key IS NOT NULL AND ended_at IS NULL`), '0');
  assertNoPageErrors(page);
  await page.context().close();
});
