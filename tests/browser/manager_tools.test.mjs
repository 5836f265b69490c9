// The managers' part of issue 32 in the browser, at phone and tablet size, axe clean: review in
// bulk and "Mark reviewed and next" (the return reason asked for only when returning); each
// to-do opens a list the box filtered; the audit log names what a row is about; the time-zone
// picker is searchable; "Release now" and "Lock down" ask first, naming the consequence, and
// Lock down is at the top of the Setting page; curriculum search finds everyday words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, Tablet, waitFor, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink, TABLET } from './browser.mjs';

let stack, manager, tom, browser, page;
const ids = {};
const ok = (res, what) => { assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`); return res.json; };
const today = () => new Date().toISOString().slice(0, 10);
const observe = async (title) => ok(await tom.post('/api/v1/entries', { kind: 'observation', status: 'journal', title, body: 'Seen today.',
  next_steps: '', observed_on: today(), child_ids: [ids.ava], aspect_ids: [] }), title).entry.id;
const awaitingReview = async () => ok(await manager.get('/api/v1/entries?review=pending&limit=50'), 'review').entries.map((e) => e.title).sort();

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  ok(await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4071' }), 'pin');
  ids.room = ok(await manager.post('/api/v1/rooms', { name: 'Reception', release_mode: 'scheduled' }), 'room').room.id;
  const child = async (first, last) => ok(await manager.post('/api/v1/children', { first_name: first, last_name: last,
    date_of_birth: '2021-01-10', room_id: ids.room, started_on: '2025-09-01' }), first).child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  ok(await manager.request('PUT', `/api/v1/children/${ids.ava}/consent`,
    { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  ({ client: tom } = await stack.addUser(manager, 'tom', 'staff', 'quiet river stones'));
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('review in bulk: tick several and mark them reviewed in one go', async () => {
  for (const title of ['Tower of ten blocks', 'Sand castle', 'Puddle jumping']) await observe(title);
  await page.goto('/staff/journal?status=review');
  const list = page.getByRole('list', { name: 'Entries' });
  await list.getByRole('link', { name: 'Puddle jumping' }).waitFor();
  await page.getByRole('checkbox', { name: 'Select Tower of ten blocks' }).check();
  await page.getByRole('checkbox', { name: 'Select Sand castle' }).check();
  await checkScreen(page, 'review-bulk');
  await page.getByRole('button', { name: 'Mark 2 entries reviewed' }).click();
  await page.getByText('2 entries marked reviewed.').waitFor();
  await list.getByRole('link', { name: 'Sand castle' }).waitFor({ state: 'detached' });
  assert.deepEqual(await awaitingReview(), ['Puddle jumping']);
  // "Select all shown" then one action for the rest.
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByRole('button', { name: 'Mark 1 entry reviewed' }).click();
  await page.getByText('1 entry marked reviewed.').waitFor();
  assert.deepEqual(await awaitingReview(), []);
  assertNoPageErrors(page);
});

test('"Mark reviewed and next" opens the next entry; the reason is asked for only when returning', async () => {
  const first = await observe('Painting with sponges');
  await observe('Counting conkers');
  await page.goto(`/staff/entries/${first}`);
  await page.getByRole('heading', { name: 'Painting with sponges' }).waitFor();
  // No note field until the manager chooses to return an entry.
  assert.equal(await page.getByLabel(/Why it goes back/).count(), 0);
  await checkScreen(page, 'review-entry');
  await page.getByRole('button', { name: 'Mark reviewed and next' }).click();
  await page.getByRole('heading', { name: 'Counting conkers' }).waitFor();
  await page.getByText('Marked as reviewed. This is the next entry to review.').waitFor();
  assert.deepEqual(await awaitingReview(), ['Counting conkers']);

  await page.getByRole('button', { name: 'Return to author…' }).click();
  const note = page.getByLabel('Why it goes back to its author');
  await note.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reply-review-note', 'the note has the focus');
  await page.getByRole('button', { name: 'Return with this note' }).click();
  await page.getByText('Say what the author should change.').waitFor();
  assert.equal(await note.getAttribute('aria-invalid'), 'true');
  await checkScreen(page, 'review-return');
  await note.fill('Please add what Ava said while counting.');
  await page.getByRole('button', { name: 'Return with this note' }).click();
  await page.getByText('Returned to its author').waitFor();
  assert.deepEqual(await awaitingReview(), []);
  // Nothing else waits: "and next" says so and stays.
  const last = await observe('Building a den');
  await page.goto(`/staff/entries/${last}`);
  await page.getByRole('button', { name: 'Mark reviewed and next' }).click();
  await page.getByText('Marked as reviewed. Nothing else waits for your review.').waitFor();
  assertNoPageErrors(page);
});

test('each to-do opens the list the box filtered for it', async () => {
  ok(await manager.post('/api/v1/users', { username: 'new.starter', display_name: 'New Starter', role: 'staff' }), 'account');
  await page.goto('/');
  const item = (id) => page.locator(`ul.todo > li[data-todo="${id}"]`).getByRole('link');
  await item('consent').click();
  const children = page.getByRole('list', { name: 'Children' });
  await page.locator('.todo-filter').getByText('Children without consent recorded').waitFor();
  await children.getByRole('link', { name: 'Ben Brown' }).waitFor();
  assert.equal(await children.getByRole('link', { name: 'Ava Ahmed' }).count(), 0, 'Ava has consent recorded');
  await checkScreen(page, 'todo-children-without-consent');
  await page.getByRole('button', { name: 'Show every child' }).click();
  await children.getByRole('link', { name: 'Ava Ahmed' }).waitFor();

  await page.goto('/');
  await item('codes-unused').click();
  await page.locator('.todo-filter').getByText('Account codes handed out, not used yet').waitFor();
  const accounts = page.getByRole('list', { name: 'Accounts' });
  await accounts.getByRole('link', { name: 'New Starter' }).waitFor();
  assert.equal(await accounts.getByRole('listitem').count(), 1, 'only the unused code');
  await checkScreen(page, 'todo-accounts-codes');

  // A tablet last seen three weeks ago: its to-do opens the devices screen showing only it.
  const lost = await Tablet.enrol(stack, manager, 'Garden iPad');
  await Tablet.enrol(stack, manager, 'Office iPad');
  const weeksAgo = Math.floor(Date.now() / 1000) - 21 * 86400;
  stack.sql(`UPDATE devices SET last_seen_at = ${weeksAgo}, enrolled_at = ${weeksAgo} WHERE id = '${lost.id}'`);
  await page.goto('/');
  await item('tablets').click();
  await page.locator('.todo-filter').getByText('Tablets not seen for 7 days').waitFor();
  const devices = page.getByRole('list', { name: 'Devices' });
  await devices.getByText('Garden iPad').first().waitFor();
  assert.equal(await devices.getByText('Office iPad').count(), 0, 'a tablet seen this week is not listed');
  await checkScreen(page, 'todo-tablets-not-seen');
  await page.getByRole('button', { name: 'Show every device' }).click();
  await devices.getByText('Office iPad').first().waitFor();
  assertNoPageErrors(page);
});

test('the audit log names the child, entry or person a row is about, not ids', async () => {
  ok(await manager.request('PUT', `/api/v1/children/${ids.ben}/consent`,
    { body: { own_journal_photos: false, other_journals: false, online_journal_opt_out: false } }), 'consent Ben');
  await menuLink(page, 'Audit log');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  const entries = page.getByRole('list', { name: 'Audit entries' });
  await entries.locator('.audit-subject').getByText('Child: Ben Brown').first().waitFor();
  await entries.locator('.audit-subject').getByText('Entry: “Building a den”').first().waitFor();
  const text = await entries.textContent();
  assert.ok(!text.includes(ids.ben) && !text.includes(ids.ava), 'no child id is shown');
  await checkScreen(page, 'audit-names');
});

test('the time-zone picker is searchable, and refuses a zone not on the list in plain words', async () => {
  await menuLink(page, 'Setting');
  await page.getByRole('heading', { name: 'Setting', exact: true }).waitFor();
  const zone = page.getByLabel('Time zone');
  assert.equal(await zone.inputValue(), 'Europe/London');
  const listId = await zone.getAttribute('list');
  assert.ok(listId, 'the zone box has suggestions');
  assert.equal(await page.locator(`datalist#${listId} option[value="Europe/Dublin"]`).count(), 1);
  await zone.fill('Atlantis');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.getByText('“Atlantis” is not a time zone on the list').waitFor();
  assert.equal(await zone.getAttribute('aria-invalid'), 'true');
  await zone.fill('europe/dublin');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.getByText(/^Saved\./).waitFor();
  assert.equal(stack.sql('SELECT time_zone FROM setting'), 'Europe/Dublin');
  // A city alone is enough when only one zone has it.
  await zone.fill('New York');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await waitFor(() => stack.sql('SELECT time_zone FROM setting') === 'America/New_York', 'New York saved');
  await page.getByText(/^Saved\./).waitFor();
  ok(await manager.request('PATCH', '/api/v1/settings', { body: { time_zone: 'Europe/London' } }), 'zone back');
});

test('Lock down is at the top of the Setting page and asks first; Cancel changes nothing', async () => {
  await page.goto('/manage/settings');
  await page.getByRole('heading', { name: 'Setting', exact: true }).waitFor();
  const lockdown = page.getByRole('form', { name: 'Lock the box down' });
  await lockdown.waitFor();
  const [switchTop, nameTop] = [await lockdown.boundingBox(), await page.getByLabel('Setting name').boundingBox()];
  assert.ok(switchTop.y < nameTop.y, 'the lockdown switch comes before the settings');
  await lockdown.getByLabel('Why?').fill('Checking the dialog');
  await lockdown.getByRole('button', { name: 'Lock down…' }).click();
  const sure = page.getByRole('alertdialog', { name: 'Lock the box down now?' });
  await sure.getByText('Everyone, you too, is signed out at once').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel', 'the safe choice has the focus');
  await checkScreen(page, 'lockdown-confirm');
  await page.keyboard.press('Enter');  // a stray Enter cancels
  await sure.waitFor({ state: 'detached' });
  assert.equal(ok(await manager.get('/api/v1/lockdown'), 'lockdown').engaged, false);
  assertNoPageErrors(page);
});

test('"Release now" asks first, naming the consequence', async () => {
  await page.goto('/manage/children');
  await page.getByText('Release early').click();
  await page.getByRole('button', { name: 'Release Reception now…' }).click();
  const sure = page.getByRole('alertdialog', { name: 'Release Reception now?' });
  await sure.getByText(/becomes visible to the room’s families at once/).waitFor();
  await checkScreen(page, 'release-now-confirm');
  await sure.getByRole('button', { name: 'Cancel' }).click();
  await sure.waitFor({ state: 'detached' });
  const early = async () => ok(await manager.get(`/api/v1/rooms/${ids.room}/releases`), 'releases').releases.filter((r) => r.kind === 'early').length;
  assert.equal(await early(), 0, 'nothing released on Cancel');
  await page.getByRole('button', { name: 'Release Reception now…' }).click();
  await page.getByRole('alertdialog', { name: 'Release Reception now?' }).getByRole('button', { name: 'Release Reception now' }).click();
  await page.getByText('Reception: everything in the journal is now visible to its families.').waitFor();
  assert.equal(await early(), 1);
  assertNoPageErrors(page);
});

test('curriculum search finds everyday words: "count" finds Number', async () => {
  await page.goto('/manage/templates');
  const search = page.getByLabel(/Find an area or aspect/).first();
  await search.fill('count');
  await page.getByRole('button', { name: 'Mathematics: Number' }).first().waitFor();
  await search.fill('scissors');
  await page.getByRole('button', { name: 'Physical Development: Fine Motor Skills' }).first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Mathematics: Number' }).count(), 0);
  await checkScreen(page, 'curriculum-everyday-words');
});
