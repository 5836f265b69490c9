// Families at home (issue 31) in Chromium at phone size: the app at the box's public name
// (served by the outside server, here without the relay's PROXY headers: `outside: 'direct'`),
// under the public certificate — no box CA on the phone. A parent reads and comments; staff are
// told they work on the setting's tablets; a lockdown shows its notice and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, twoFamilies, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, PHONE } from './browser.mjs';

let stack, manager, browser, kate, ids;

before(async () => {
  ({ stack, manager } = await startSetUpStack({ outside: 'direct' }));
  ({ kate, ids } = await twoFamilies(stack, manager));
  const entry = await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Mud kitchen soup',
    body: 'Stirred with great care.', next_steps: '', observed_on: '2026-11-30', child_ids: [ids.A], aspect_ids: [] });
  assert.equal(entry.status, 201, entry.text);
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4826' })).status, 200);
  browser = await launchBrowser(stack);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a parent at home opens the public name, signs in, reads the journal and comments', async () => {
  const page = await openPage(browser, stack, PHONE, { fromHome: true });
  await signIn(page, 'parent.a', 'blue whale singing');
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  assert.equal(new URL(page.url()).hostname, stack.publicName);
  await page.getByRole('link', { name: 'Mud kitchen soup' }).click();
  await page.getByRole('heading', { name: 'Comments about Ava' }).waitFor();
  await page.getByLabel('Your comment').fill('Soup for tea every night now!');
  await page.getByRole('button', { name: 'Send comment' }).click();
  await page.getByText('Soup for tea every night now!').waitFor();
  await checkScreen(page, 'parent-entry-from-home');
  // Audited as a sign-in from outside, with the phone's address.
  const audit = (await manager.get('/api/v1/audit?event=NBX_AUTH_SIGNIN_OUTSIDE')).json.entries;
  assert.ok(audit.some((a) => a.actor_name === 'parent.a'));
  assertNoPageErrors(page);
  await page.context().close();
});

test('staff at home are told that they work on the setting’s tablets', async () => {
  const page = await openPage(browser, stack, PHONE, { fromHome: true });
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill('kate');
  await page.getByLabel('Password', { exact: true }).fill('green apple orchard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Staff use Nestbox on the setting\'s tablets and network, not from outside.').waitFor();
  assert.ok(new URL(page.url()).pathname.startsWith('/sign-in'));
  await page.context().close();
});

test('a lockdown shows families at home its notice, and nothing else, until it is lifted', async () => {
  const page = await openPage(browser, stack, PHONE, { fromHome: true });
  await signIn(page, 'parent.b', 'red kite flying');
  await page.getByRole('heading', { name: 'Ben’s journal' }).waitFor();
  assert.equal((await manager.post('/api/v1/lockdown', { reason: 'Tablet lost on a trip', confirm: true })).status, 200);
  await page.reload();
  await page.getByRole('heading', { name: 'Nestbox is locked down' }).waitFor();
  await page.getByText('It cannot be opened from home until a manager says it is safe again.').waitFor();
  assert.equal(await page.getByLabel('Manager username').count(), 0, 'no managers\' form from home');
  await checkScreen(page, 'lockdown-from-home');
  const lifted = await stack.client().post('/api/v1/lockdown/lift', { username: 'manager', password: MANAGER_PASSWORD, pin: '4826',
    fault: 'Tablet lost on a trip', rectification: 'Found and re-enrolled' });
  assert.equal(lifted.status, 200, lifted.text);
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.context().close();
});
