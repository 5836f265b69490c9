// Fault lockdown in Chromium against the real stack: a manager engages it from the setting
// screen (reason + confirmation); a parent's open journal turns into the notice, which shows
// no journal data; the manager posts an update and lifts it with password and PIN; the
// parent, signing in again, reads what happened and what was done.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, TABLET } from './browser.mjs';

let stack, manager, browser;
const MANAGER = ['manager', 'Correct horse battery 9'];
const PARENT = ['parent.a', 'blue whale singing'];

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER[1], pin: '4826' })).status, 200);
  const parent = await stack.addUser(manager, PARENT[0], 'parent', PARENT[1]);
  const room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  const child = (await manager.post('/api/v1/children', { first_name: 'Ava', last_name: 'Ahmed', date_of_birth: '2022-01-10',
    room_id: room, started_on: '2025-09-01' })).json.child.id;
  await manager.request('PUT', `/api/v1/children/${child}/carers/${parent.id}`);
  const agreement = (await parent.client.get('/api/v1/agreement')).json;
  await parent.client.post('/api/v1/agreement/accept', { version: agreement.version });
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('engage → notice → update → lift → the parent reads what happened', async () => {
  const family = await openPage(browser, stack);
  await signIn(family, ...PARENT);
  await family.getByRole('heading', { name: 'Ava’s journal' }).waitFor();

  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  await office.goto('/manage/settings');
  const form = office.getByRole('form', { name: 'Lock the box down' });
  await form.getByRole('button', { name: 'Lock down…' }).click();
  await form.getByText('Say why, for the incident record').waitFor();
  await form.getByLabel('Why?').fill('A tablet was left signed in at the park');
  // Issue 32: a dialog names the consequence before anything happens (tests/browser/manager_tools.test.mjs).
  await form.getByRole('button', { name: 'Lock down…' }).click();
  const sure = office.getByRole('alertdialog', { name: 'Lock the box down now?' });
  await sure.getByRole('button', { name: 'Lock down now' }).click();
  await office.getByRole('heading', { name: 'Nestbox is locked down' }).waitFor();

  // The parent's next look at the journal is the notice, with nothing of the journal in it.
  await family.reload();
  await family.getByRole('heading', { name: 'Nestbox is locked down' }).waitFor();
  const text = await family.locator('main').textContent();
  assert.ok(!/Ava|park|tablet/i.test(text), 'the notice shows no child and not the reason');
  await checkScreen(family, 'lockdown-notice');

  // The manager posts an update, then lifts it with password and PIN.
  await office.getByText('Managers: post an update or lift the lockdown').click();
  await office.getByLabel('Manager username').fill(MANAGER[0]);
  await office.getByLabel('Password', { exact: true }).fill(MANAGER[1]);
  await office.getByLabel('PIN', { exact: true }).fill('4826');
  await office.getByLabel('Update', { exact: true }).fill('We are checking every tablet; the journal is back this afternoon.');
  await office.getByRole('button', { name: 'Post update' }).click();
  await office.locator('.updates').getByText('We are checking every tablet').waitFor();
  await checkScreen(office, 'lockdown-manager');
  await family.reload();
  await family.getByText('We are checking every tablet; the journal is back this afternoon.').waitFor();
  await office.getByLabel('What was the fault?').fill('A tablet was left signed in at the park');
  await office.getByLabel('How was it put right?').fill('The tablet was found and revoked; staff were reminded to sign out.');
  await office.getByRole('button', { name: 'Lift the lockdown' }).click();
  await office.getByRole('heading', { name: 'Sign in' }).waitFor();

  // The timeline for IT support, from the setting screen.
  await signIn(office, ...MANAGER);
  await office.goto('/manage/settings');
  const download = office.waitForEvent('download');
  await office.getByRole('link', { name: 'Download the incident timeline' }).click();
  const timeline = JSON.parse(await (await import('node:fs')).promises.readFile(await (await download).path(), 'utf8'));
  assert.equal(timeline.incidents[0].reason, 'A tablet was left signed in at the park');
  assert.equal(timeline.incidents[0].updates.length, 1);

  // The parent signs in again and reads what happened and what was done.
  await signIn(family, ...PARENT);
  const banner = family.locator('.lockdown-after');
  await banner.getByText('The journal was closed for a while').waitFor();
  await banner.getByText('A tablet was left signed in at the park').waitFor();
  await banner.getByText('The tablet was found and revoked; staff were reminded to sign out.').waitFor();
  await checkScreen(family, 'lockdown-after');
  assertNoPageErrors(family);
  assertNoPageErrors(office);
});
