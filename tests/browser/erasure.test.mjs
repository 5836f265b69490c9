// Data has an end (issue 21) in Chromium against the real stack. A manager sets the leavers'
// periods on the Setting screen, where the box's retention rules are listed. A child leaves:
// the family, on a phone, reads until when they can still read and download; the box's clock
// moves past that day and the leavers job archives the journal, which the family no longer
// sees; the manager sees the countdown to its erasure and restores it, and the family sees it
// again. Another family opts their child out of the online journal and asks for the child's
// data to be erased; the manager, at tablet size, sees the request, erases with the name typed
// as shown, password and PIN (a wrong name is refused beside the field), and the family's
// account is gone. Then the reviews: another child's entry that may name the erased child is
// marked reviewed, and the group photo that still shows them is redacted.
//
// The tests run in order and build on each other (one stack, one moving clock).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, tusUpload, mediaReady, waitFor, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink, PHONE, TABLET } from './browser.mjs';
import { humanDay } from './dates.mjs';

let stack;
let manager;
let browser;
const ids = {};
const MANAGER = ['manager', MANAGER_PASSWORD];
const MANAGER_PIN = '4826';
const PARENT_A = ['parent.a', 'blue whale singing'];   // Ava: opted out, erased on request
const PARENT_B = ['parent.b', 'red kite flying'];      // Ben: leaves, is archived, is restored
const KATE = ['kate', 'green apple orchard'];
const DAY = 24 * 3600;

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
// The error code of an answer, in either shape the box uses ({error: {code}} or {error: code}).
const codeOf = (res) => (res.json?.error && typeof res.json.error === 'object' ? res.json.error.code : res.json?.error);
const fieldOf = (res) => (res.json?.error && typeof res.json.error === 'object' ? res.json.error.field : res.json?.field);
// "2026-07-17" as the app writes it: "Fri 17 Jul" (the year when not this year).
const day = (iso) => humanDay(iso);
// Any day in that style, for a regular expression.
const DAY_WORDS = '[A-Z][a-z]{2} \\d{1,2} [A-Z][a-z]{2}( \\d{4})?';
const days = (n) => (n <= 0 ? 'today' : `${n} ${n === 1 ? 'day' : 'days'}`);
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY * 1000).toISOString().slice(0, 10);

async function ok(promise, what, status = [200, 201, 204]) {
  const res = await promise;
  assert.ok([status].flat().includes(res.status), `${what}: ${res.status} ${res.text}`);
  return res.json;
}

// Signs an API client in again: moving the clock by days ends every session.
async function again(client, [username, password]) {
  const res = await client.signIn(username, password);
  assert.equal(res.status, 200, `sign-in of ${username}: ${res.text}`);
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  // Erasing asks for the manager's PIN.
  await ok(manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: MANAGER_PIN }), 'manager PIN');
  const kate = await stack.addUser(manager, KATE[0], 'staff', KATE[1]);
  ids.kate = kate.client;
  const parentA = await stack.addUser(manager, PARENT_A[0], 'parent', PARENT_A[1]);
  const parentB = await stack.addUser(manager, PARENT_B[0], 'parent', PARENT_B[1]);
  ids.parentA = parentA.client;
  ids.parentAId = parentA.id;
  ids.parentB = parentB.client;
  ids.room = (await ok(manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' }), 'room')).room.id;
  const child = async (first, last) => (await ok(manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' }), first)).child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  await ok(manager.request('PUT', `/api/v1/children/${ids.ava}/carers/${parentA.id}`), 'link A');
  await ok(manager.request('PUT', `/api/v1/children/${ids.ben}/carers/${parentB.id}`), 'link B');
  for (const id of [ids.ava, ids.ben]) {
    await ok(manager.request('PUT', `/api/v1/children/${id}/consent`,
      { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  }
  for (const parent of [parentA.client, parentB.client]) {
    const { version } = await ok(parent.get('/api/v1/agreement'), 'agreement');
    await ok(parent.post('/api/v1/agreement/accept', { version }), 'accept');
  }

  // Entries with photos drawn by ffmpeg, uploaded by Kate on the setting's tablet: one about
  // Ava alone, one about Ava and Ben together (a group photo of both), one about Ben alone.
  const photoFile = (name, source) => {
    const file = path.join(stack.root, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', '-q:v', '3', file]);
    return fs.readFileSync(file);
  };
  const photos = [photoFile('a.jpg', 'testsrc=size=640x480'), photoFile('b.jpg', 'testsrc2=size=800x600'),
    photoFile('c.jpg', 'smptebars=size=640x360')];
  let n = 0;
  const upload = async () => {
    const id = await tusUpload(kate.client, photos[n++ % photos.length], { filename: `photo-${n}.jpg` });
    assert.equal((await mediaReady(kate.client, id)).state, 'ready');
    return id;
  };
  const entry = async (title, childIds, photoIds, body = `${title}. What happened, in a few words.`) => (await ok(kate.client.post('/api/v1/entries', {
    kind: 'observation', title, body, observed_on: '2026-05-20',
    child_ids: childIds, aspect_ids: ['eyfs.m.n'], media: photoIds.map((id) => ({ id, child_ids: childIds })) }), title)).entry.id;
  ids.avaPhoto = await upload();
  ids.avaEntry = await entry('Ava at the sand tray', [ids.ava], [ids.avaPhoto]);
  ids.groupPhoto = await upload();
  // Its words name Ava: after the erasure a manager reads it (the box cannot judge prose).
  ids.groupEntry = await entry('Tower building with Ben', [ids.ava, ids.ben], [ids.groupPhoto],
    'Ava and Ben built a tower of ten blocks together, taking turns.');
  ids.benEntry = await entry('Ben at the water tray', [ids.ben], [await upload()]);
  await ok(parentA.client.post(`/api/v1/entries/${ids.avaEntry}/threads/${ids.ava}`, { body: 'She told us all about it!' }), 'comment');
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('settings: the leavers’ periods are checked and saved, and the retention rules are listed', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...MANAGER);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(page, 'Setting');
  const group = page.getByRole('group', { name: 'When a child leaves' });
  await group.waitFor();
  const read = group.getByLabel('Days a family can read and download after the leaving date');
  const archive = group.getByLabel('Days an archived journal can be restored, before it is erased');
  // 90 days each until a manager changes them.
  const before = (await manager.get('/api/v1/settings')).json.setting;
  assert.equal(before.leaver_read_days, 90, JSON.stringify(before));
  assert.equal(before.leaver_archive_days, 90);
  assert.equal(await read.inputValue(), '90');
  assert.equal(await archive.inputValue(), '90');

  // Out of range: refused beside the field, before anything is sent...
  await read.fill('3');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.locator('#setting-leaver_read_days-error', { hasText: 'enter a number of days from 7 to 365' }).waitFor();
  assert.equal(await read.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'setting-leaver_read_days');
  // ... and by the box too, naming the field.
  for (const [field, value] of [['leaver_read_days', 6], ['leaver_archive_days', 366]]) {
    const res = await manager.patch('/api/v1/settings', { [field]: value });
    assert.ok(res.status >= 400 && res.status < 500, `${field} = ${value}: ${res.status} ${res.text}`);
    assert.equal(fieldOf(res), field, res.text);
  }
  await checkScreen(page, 'settings-leavers-error');

  await read.fill('14');
  await archive.fill('10');
  await page.getByRole('button', { name: 'Save setting' }).click();
  await page.locator('.notice', { hasText: /^Saved\./ }).waitFor();
  const saved = (await manager.get('/api/v1/settings')).json.setting;
  assert.equal(saved.leaver_read_days, 14);
  assert.equal(saved.leaver_archive_days, 10);
  await page.reload();
  await group.waitFor();
  assert.equal(await read.inputValue(), '14');
  assert.equal(await archive.inputValue(), '10');

  // What the box keeps, as the box states it: one row per rule.
  const { rules } = await ok(manager.get('/api/v1/retention'), 'retention');
  assert.ok(Array.isArray(rules) && rules.length > 0, JSON.stringify(rules));
  for (const r of rules) for (const key of ['id', 'what', 'kept', 'then']) assert.equal(typeof r[key], 'string', `${key} of ${JSON.stringify(r)}`);
  const table = page.getByRole('table', { name: 'What the box keeps, and for how long' });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), rules.length);
  for (const r of rules) {
    const row = table.locator(`tr[data-rule="${r.id}"]`);
    assert.equal(await text(row.locator('th')), r.what.replace(/\s+/g, ' ').trim());
    assert.deepEqual((await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      [r.kept, r.then].map((t) => t.replace(/\s+/g, ' ').trim()));
  }
  // Non-managers do not read it.
  assert.equal((await ids.parentA.get('/api/v1/retention')).status, 403);
  await checkScreen(page, 'settings-retention');
  assertNoPageErrors(page);
  await page.context().close();
});

test('a leaver: the family reads until read_until, then the journal is archived, and a manager restores it', async () => {
  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  await office.goto(`/manage/children/${ids.ben}`);
  await office.getByRole('heading', { name: 'Ben Brown', level: 1 }).waitFor();
  const panel = office.locator('nb-leaving-panel');
  await panel.getByText('Ben is staying: no leaving date is set.').waitFor();
  assert.equal((await manager.get(`/api/v1/children/${ids.ben}`)).json.child.leaving, null);

  // Left five days ago.
  const leftOn = new Date(Date.now() - 5 * DAY * 1000).toISOString().slice(0, 10);
  await panel.getByLabel('Leaving date').fill(leftOn);
  await panel.getByRole('button', { name: 'Save leaving date' }).click();
  await panel.locator('.notice', { hasText: `Leaving date saved: ${day(leftOn)}.` }).waitFor();
  const left = (await manager.get(`/api/v1/children/${ids.ben}`)).json.child.leaving;
  assert.equal(left.phase, 'left', JSON.stringify(left));
  assert.equal(left.left_on, leftOn);
  // The family reads for the 14 days set above, and the archive is kept 10 days after that.
  const readDiff = (Date.parse(left.read_until) - Date.parse(left.left_on)) / (DAY * 1000);
  assert.ok(readDiff >= 13 && readDiff <= 14, `read_until ${left.read_until} is 14 days after ${left.left_on}`);
  const eraseDiff = (Date.parse(left.erase_on) - Date.parse(left.read_until)) / (DAY * 1000);
  assert.ok(eraseDiff >= 9 && eraseDiff <= 11, `erase_on ${left.erase_on} is 10 days after ${left.read_until}`);
  assert.ok(left.days_left >= 8 && left.days_left <= 10, `days_left ${left.days_left}`);
  await panel.locator('.leaving-state[data-phase="left"]', { hasText: `Left on ${day(leftOn)}.` }).waitFor();
  assert.match(await text(panel.locator('.leaving-state')), new RegExp(`until ${day(left.read_until)} \\(${days(left.days_left)}\\)`));
  await panel.getByRole('button', { name: 'Restore' }).waitFor();
  await checkScreen(office, 'leaver-left-manager');

  // Nothing new is written for a child who has left.
  const refused = await ids.kate.post('/api/v1/entries', { kind: 'observation', title: 'Ben again', body: 'Too late.',
    observed_on: leftOn, child_ids: [ids.ben], aspect_ids: ['eyfs.m.n'] });
  assert.equal(refused.status, 422, refused.text);
  assert.equal(codeOf(refused), 'child_left');

  await menuLink(office, 'Rooms and children');
  const benCard = office.locator('ul.cards[aria-label="Children"] > li', { hasText: 'Ben Brown' });
  await benCard.locator('.tag', { hasText: /^Left$/ }).waitFor();

  // The family, on a phone: until when they can still read and download.
  const family = await openPage(browser, stack, PHONE);
  await signIn(family, ...PARENT_B);
  await family.getByRole('heading', { name: 'Ben’s journal', level: 1 }).waitFor();
  const seen = (await ids.parentB.get(`/api/v1/children/${ids.ben}`)).json.child.leaving;
  assert.equal(seen.phase, 'left');
  const notice = family.getByTestId('leaver-notice');
  await notice.waitFor();
  assert.equal(await text(notice), `Ben left on ${day(leftOn)}. You can read and download Ben’s journal until ${day(seen.read_until)} (${days(seen.days_left)}).`);
  // The download itself is under My account → Downloads and privacy (issue 32).
  await family.locator('.feed-foot').getByRole('link', { name: 'Downloads and privacy' }).waitFor();
  await checkScreen(family, 'leaver-family-notice');

  // The box's clock moves past the last day of reading; the leavers job (hourly, on the box's
  // clock) archives the journal.
  stack.advanceClock((seen.days_left + 1) * DAY + 3600);
  await again(manager, MANAGER);
  let archived = null;
  await waitFor(async () => {
    const res = await manager.get(`/api/v1/children/${ids.ben}`);
    if (res.status === 401) await again(manager, MANAGER);
    else if (res.json?.child?.leaving?.phase === 'archived') archived = res.json.child.leaving;
    return archived !== null;
  }, 'the leavers job to archive Ben', 30000, 500);
  assert.ok(archived, 'the leavers job archived Ben within 30 s');
  assert.ok(archived.days_left >= 1 && archived.days_left <= 10, `erased in ${archived.days_left} days`);

  // The family no longer sees Ben at all.
  await again(ids.parentB, PARENT_B);
  assert.equal((await ids.parentB.get(`/api/v1/children/${ids.ben}`)).status, 404);
  assert.ok(!(await ids.parentB.get('/api/v1/children')).json.children.some((c) => c.id === ids.ben));
  await signIn(family, ...PARENT_B);
  await family.getByRole('heading', { name: 'Journal', level: 1, exact: true }).waitFor();
  assert.ok(!/Ben/.test(await text(family.locator('main'))), 'nothing of Ben on the family’s page');
  await checkScreen(family, 'leaver-family-archived');

  // The manager sees the countdown to the erasure, and restores.
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(office, 'Rooms and children');
  await benCard.locator('.tag', { hasText: `Archived · ${days(archived.days_left)}` }).waitFor();
  await checkScreen(office, 'leaver-archived-list');
  await benCard.getByRole('link', { name: 'Ben Brown' }).click();
  await office.getByRole('heading', { name: 'Ben Brown', level: 1 }).waitFor();
  await panel.locator('.leaving-state[data-phase="archived"]',
    { hasText: `Archived: erased on ${day(archived.erase_on)} (${days(archived.days_left)}).` }).waitFor();
  await checkScreen(office, 'leaver-archived-child');
  const restored = office.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/children/${ids.ben}/restore`));
  await panel.getByRole('button', { name: 'Restore' }).click();
  assert.equal((await restored).status(), 200);
  await panel.locator('.notice', { hasText: 'Ben is a current child again' }).waitFor();
  await panel.getByText('Ben is staying: no leaving date is set.').waitFor();
  assert.equal(await panel.getByLabel('Leaving date').inputValue(), '');
  const current = (await manager.get(`/api/v1/children/${ids.ben}`)).json.child;
  assert.equal(current.leaving, null);
  assert.equal(current.left_on, null);
  // Restoring a child without a leaving date is refused.
  const twice = await manager.post(`/api/v1/children/${ids.ben}/restore`, {});
  assert.equal(twice.status, 409, twice.text);
  assert.equal(codeOf(twice), 'not_leaving');

  // Ben is back in the family's journal.
  await family.reload();
  await family.getByRole('heading', { name: 'Ben’s journal', level: 1 }).waitFor();
  assert.equal(await family.getByTestId('leaver-notice').count(), 0);
  assert.equal((await ids.parentB.get(`/api/v1/children/${ids.ben}`)).status, 200);
  assertNoPageErrors(family);
  assertNoPageErrors(office);
  await family.context().close();
  await office.context().close();
});

test('a family opts out and asks for erasure; the manager erases with the name, password and PIN; the account is gone', async () => {
  await again(ids.parentA, PARENT_A);
  await again(manager, MANAGER);
  const family = await openPage(browser, stack, PHONE);
  await signIn(family, ...PARENT_A);
  await family.getByRole('heading', { name: 'Ava’s journal', level: 1 }).waitFor();
  // The choices are under My account → Downloads and privacy (issue 32), no longer at the feed's foot.
  assert.equal(await family.locator('nb-family-choices').count(), 0, 'no choices on the feed');
  await menuLink(family, 'My account');
  await family.getByRole('heading', { name: 'Downloads and privacy' }).waitFor();
  const choices = family.locator('nb-family-choices');
  await choices.getByRole('heading', { name: 'Your choices for Ava' }).waitFor();
  await choices.getByRole('button', { name: 'Opt Ava out of the online journal' }).waitFor();
  await checkScreen(family, 'family-choices');

  // Opting out: asked first in a dialog (Cancel has the focus: a stray tap changes nothing), then at once.
  let posts = 0;
  family.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/children/${ids.ava}/opt-out`)) posts += 1; });
  const optOutButton = choices.getByRole('button', { name: 'Opt Ava out of the online journal' });
  await optOutButton.click();
  const confirm = family.getByRole('alertdialog', { name: 'Opt Ava out of the online journal?' });
  await confirm.waitFor();
  assert.equal(await family.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel');
  await checkScreen(family, 'family-choices-opt-out-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  await family.waitForFunction(() => document.activeElement?.classList.contains('optout-button'));
  assert.equal(posts, 0, 'cancelled: nothing sent');
  await optOutButton.click();
  await confirm.waitFor();
  const optedOut = family.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/children/${ids.ava}/opt-out`));
  await confirm.getByRole('button', { name: 'Yes, opt Ava out' }).click();
  const optOutResponse = await optedOut;
  assert.equal(optOutResponse.status(), 200);
  assert.equal((await optOutResponse.json()).consent.online_journal_opt_out, true);
  await choices.locator('.opted-out', { hasText: new RegExp(`^You opted Ava out of the online journal on ${DAY_WORDS}\\.`) }).waitFor();
  assert.equal(await choices.getByRole('button', { name: 'Opt Ava out of the online journal' }).count(), 0);
  // Shown to no one online: the family included.
  const feed = await ids.parentA.get(`/api/v1/feed?child=${ids.ava}&limit=50`);
  if (feed.status === 200) {
    assert.deepEqual(feed.json.entries.map((e) => e.title), [], 'the family’s own feed shows nothing of Ava');
  } else {
    assert.ok([403, 404].includes(feed.status), `the feed of an opted-out child: ${feed.status} ${feed.text}`);
  }
  assert.notEqual((await ids.parentA.get(`/api/v1/entries/${ids.avaEntry}`)).status, 200, 'nor any entry of hers');
  assert.equal((await manager.get(`/api/v1/children/${ids.ava}/consent`)).json.consent.online_journal_opt_out, true);

  // Asking for erasure, with a note.
  await choices.getByRole('button', { name: 'Ask the setting to erase Ava’s data' }).click();
  await choices.getByLabel('A note for the manager').fill('We are moving abroad in the summer.');
  await checkScreen(family, 'family-choices-ask');
  await choices.getByRole('button', { name: 'Send the request' }).click();
  await choices.locator('.notice', { hasText: 'Your request is sent.' }).waitFor();
  await choices.locator('.erasure-asked', { hasText: new RegExp(`^You asked on ${DAY_WORDS} for Ava’s data to be erased\\.`) }).waitFor();
  await choices.getByRole('button', { name: 'Withdraw the request' }).waitFor();
  const asked = (await ids.parentA.get(`/api/v1/children/${ids.ava}/erasure-request`)).json.request;
  // A moment: Unix seconds as the contract says (an RFC 3339 time is read too).
  const when = asked?.requested_at;
  assert.ok(typeof when === 'number' || (typeof when === 'string' && !Number.isNaN(Date.parse(when))), JSON.stringify(asked));
  const twice = await ids.parentA.post(`/api/v1/children/${ids.ava}/erasure-request`, {});
  assert.equal(twice.status, 409, twice.text);
  assert.equal(codeOf(twice), 'already_requested');
  await checkScreen(family, 'family-choices-asked');

  // The manager, at tablet size: the request on the home page and on the Erasure screen.
  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  const summary = (await manager.get('/api/v1/manager/summary')).json.summary;
  assert.equal(summary.erasure_requests, 1, JSON.stringify(summary));
  const todo = office.locator('[data-todo="erasure-requests"]');
  await todo.waitFor();
  assert.equal(await text(todo.locator('.todo-count')), '1');
  await todo.getByRole('link').click();
  await office.getByRole('heading', { name: 'Erasure', level: 1 }).waitFor();
  const { requests } = (await manager.get('/api/v1/erasure/requests')).json;
  assert.equal(requests.length, 1, JSON.stringify(requests));
  assert.equal(requests[0].child_id, ids.ava);
  assert.equal(requests[0].note, 'We are moving abroad in the summer.');
  const request = office.locator(`li[data-request="${requests[0].id}"]`);
  assert.match(await text(request), new RegExp(`^${requests[0].requested_by_name} asked for ${requests[0].child_name}’s data to be erased on ${DAY_WORDS}\\. Their note: “We are moving abroad in the summer\\.”`));
  await office.locator('.erasure-empty', { hasText: 'Nothing to review.' }).waitFor();
  await checkScreen(office, 'erasure-requests');

  // The child's page: the banner, and the dialog.
  await request.getByRole('link', { name: /^Open Ava( Ahmed)?’s page to erase$/ }).click();
  await office.getByRole('heading', { name: 'Ava Ahmed', level: 1 }).waitFor();
  const banner = office.getByTestId('erasure-request');
  await banner.getByText(/asked for Ava( Ahmed)?’s data to be erased on/).waitFor();
  await checkScreen(office, 'erasure-child-banner');
  await banner.getByRole('button', { name: 'Erase Ava’s data…' }).click();
  const dialog = office.getByRole('dialog', { name: 'Erase Ava Ahmed’s data' });
  await dialog.waitFor();
  assert.match(await text(dialog), /Everything about Ava Ahmed is removed for good: entries only about Ava, comments, consent records, photos that show no other child; parent accounts with no other child are removed\./);
  assert.match(await text(dialog), /Photos shared with other children keep an anonymous marker and are shown to other families only redacted\./);
  assert.match(await text(dialog), /This cannot be undone; backups keep the data until their retention runs out\./);
  assert.equal(await office.evaluate(() => document.activeElement?.id), 'erase-confirm');
  await checkScreen(office, 'erasure-dialog');

  const erase = dialog.getByRole('button', { name: 'Erase Ava’s data for good' });
  const answer = () => office.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/children/${ids.ava}/erase`));
  // Nothing typed: refused before anything is sent.
  await erase.click();
  await dialog.locator('#erase-confirm-error', { hasText: 'Type Ava Ahmed to confirm.' }).waitFor();
  // A name other than the one shown: the box refuses it beside the field.
  await dialog.getByLabel('Type Ava Ahmed to confirm').fill('Ava Smith');
  await dialog.getByLabel('Your password').fill(MANAGER_PASSWORD);
  await dialog.getByLabel('Your PIN').fill(MANAGER_PIN);
  let sent = answer();
  await erase.click();
  let res = await sent;
  assert.equal(res.status(), 422);
  const mismatch = await res.json();
  assert.equal(typeof mismatch.error === 'object' ? mismatch.error.code : mismatch.error, 'confirm_mismatch', JSON.stringify(mismatch));
  assert.equal(typeof mismatch.error === 'object' ? mismatch.error.field : mismatch.field, 'confirm');
  const confirmError = dialog.locator('#erase-confirm-error');
  await confirmError.waitFor();
  assert.ok((await text(confirmError)).length > 0);
  assert.equal(await dialog.getByLabel('Type Ava Ahmed to confirm').getAttribute('aria-invalid'), 'true');
  await checkScreen(office, 'erasure-dialog-mismatch');
  // The right name with a wrong PIN: the box's message, and nothing erased.
  await dialog.getByLabel('Type Ava Ahmed to confirm').fill('Ava Ahmed');
  await dialog.getByLabel('Your PIN').fill('5937');
  sent = answer();
  await erase.click();
  res = await sent;
  assert.equal(res.status(), 401);
  await dialog.locator('#erase-password-error, .form-error').first().waitFor();
  assert.equal((await manager.get(`/api/v1/children/${ids.ava}`)).status, 200);
  // All three right: erased.
  await dialog.getByLabel('Your PIN').fill(MANAGER_PIN);
  sent = answer();
  await erase.click();
  res = await sent;
  assert.equal(res.status(), 200, await res.text());
  const { erasure } = await res.json();
  for (const key of ['id', 'entries_removed', 'media_removed', 'media_marked', 'accounts_erased', 'reviews']) {
    assert.ok(key in erasure, `erasure has ${key}: ${JSON.stringify(erasure)}`);
  }
  assert.ok(erasure.entries_removed >= 1, JSON.stringify(erasure));   // "Ava at the sand tray"
  assert.ok(erasure.media_removed >= 1, JSON.stringify(erasure));     // its photo showed no other child
  assert.ok(erasure.media_marked >= 1, JSON.stringify(erasure));      // the group photo with Ben
  assert.equal(erasure.accounts_erased, 1, JSON.stringify(erasure));  // parent.a had no other child
  assert.ok(erasure.reviews >= 1, JSON.stringify(erasure));
  ids.erasure = erasure;
  // On to the reviews, with a message that names no one.
  await office.waitForURL((url) => url.pathname === '/manage/erasure');
  const done = office.locator('.notice', { hasText: /^The child’s data was erased\./ });
  await done.waitFor();
  assert.ok(!/Ava|Ahmed/.test(await text(done)), 'the message names no one');
  await dialog.waitFor({ state: 'detached' });

  // Ava is gone, and so is her family's account: their session ends and they cannot sign in.
  assert.equal((await manager.get(`/api/v1/children/${ids.ava}`)).status, 404);
  assert.ok(!(await manager.get('/api/v1/children?include_left=true')).json.children.some((c) => c.id === ids.ava));
  assert.equal((await manager.get(`/api/v1/users/${ids.parentAId}`)).status, 404);
  assert.equal((await ids.parentA.get('/api/v1/auth/session')).status, 401);
  assert.equal((await stack.client().signIn(...PARENT_A, { tablet: null })).status, 401);
  assert.equal((await manager.get('/api/v1/erasure/requests')).json.requests.length, 0);
  await family.reload();
  await family.getByRole('heading', { name: 'Sign in' }).waitFor();
  await family.getByLabel('Username').fill(PARENT_A[0]);
  await family.getByLabel('Password', { exact: true }).fill(PARENT_A[1]);
  await family.getByRole('button', { name: 'Sign in' }).click();
  await family.locator('.form-error').waitFor();
  assert.equal(new URL(family.url()).pathname, '/sign-in');
  assertNoPageErrors(family);
  assertNoPageErrors(office);
  await family.context().close();
  await office.context().close();
});

test('after the erasure: an entry that may name the erased child is reviewed, and the group photo is redacted', async () => {
  await again(manager, MANAGER);
  await again(ids.parentB, PARENT_B);
  const reviews = (await manager.get('/api/v1/erasure/reviews')).json;
  assert.ok(reviews.entries.some((e) => e.entry_id === ids.groupEntry), JSON.stringify(reviews));
  assert.ok(reviews.media.some((m) => m.media_id === ids.groupPhoto), JSON.stringify(reviews));
  const summary = (await manager.get('/api/v1/manager/summary')).json.summary;
  assert.equal(summary.erasure_reviews, reviews.entries.length + reviews.media.length, JSON.stringify(summary));
  // Staff are told the erased child shows in it; Ben's family sees nothing of it meanwhile.
  assert.equal((await manager.get(`/api/v1/media/${ids.groupPhoto}`)).json.media.erased_child, 'shown');
  const benFeed = (await ids.parentB.get(`/api/v1/feed?child=${ids.ben}&limit=50`)).json.entries;
  const tower = benFeed.find((e) => e.id === ids.groupEntry);
  assert.ok(tower, 'the group entry stays in Ben’s journal');
  assert.ok(!(tower.media ?? []).some((m) => m.id === ids.groupPhoto), 'the group photo is held back from Ben’s family');
  assert.notEqual((await ids.parentB.get(`/api/v1/media/${ids.groupPhoto}/display`)).status, 200);
  // Ava's own entry went with her.
  assert.equal((await manager.get(`/api/v1/entries/${ids.avaEntry}`)).status, 404);

  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  await office.locator('[data-todo="erasure-reviews"]').waitFor();
  await menuLink(office, 'Erasure');
  await office.getByRole('heading', { name: 'Erasure', level: 1 }).waitFor();
  const entries = office.locator('.erasure-entries');
  const entry = entries.locator(`li[data-entry="${ids.groupEntry}"]`);
  await entry.getByRole('link', { name: 'Tower building with Ben' }).waitFor();
  assert.equal(await entry.getByRole('link', { name: 'Tower building with Ben' }).getAttribute('href'), `/staff/entries/${ids.groupEntry}`);
  const photo = office.locator(`.erasure-media li[data-media="${ids.groupPhoto}"]`);
  await photo.waitFor();
  await checkScreen(office, 'erasure-reviews');

  // The entry: read it (the link opens it), then mark it reviewed.
  const reviewed = office.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/erasure/reviews/entries/${ids.groupEntry}/done`));
  await entry.getByRole('button', { name: 'Reviewed: Tower building with Ben' }).click();
  assert.equal((await reviewed).status(), 204);
  await office.locator('.notice', { hasText: '“Tower building with Ben” is marked as reviewed.' }).waitFor();
  await entry.waitFor({ state: 'detached' });
  assert.ok(!(await manager.get('/api/v1/erasure/reviews')).json.entries.some((e) => e.entry_id === ids.groupEntry));

  // The photo: redacted with the erased child obscured.
  await photo.getByRole('button', { name: /^Redact/ }).click();
  const redactor = office.getByRole('dialog', { name: 'Obscure children in this photo' });
  await redactor.waitFor();
  const obscureErased = redactor.getByLabel('Obscure the erased child (required before other families see this photo)');
  assert.equal(await obscureErased.isChecked(), true);
  await redactor.getByLabel('Left (%)').fill('0');
  await redactor.getByLabel('Top (%)').fill('0');
  await redactor.getByLabel('Width (%)').fill('50');
  await redactor.getByLabel('Height (%)').fill('50');
  await redactor.getByRole('button', { name: 'Add area' }).click();
  await redactor.getByText('Area 1: 50% wide, 50% high').waitFor();
  // Checked where a person is before pressing Redact photo: at the foot of the dialog.
  await office.setViewportSize(PHONE);
  await redactor.evaluate((d) => { d.scrollTop = d.scrollHeight; });
  await checkScreen(office, 'erasure-redact');
  const posted = office.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/media/${ids.groupPhoto}/redact`));
  const redactAnswer = office.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/media/${ids.groupPhoto}/redact`));
  await redactor.getByRole('button', { name: 'Redact photo' }).click();
  assert.equal((await posted).postDataJSON().obscure_erased, true);
  const redactResponse = await redactAnswer;
  assert.equal(redactResponse.status(), 200, await redactResponse.text());
  await office.locator('.notice', { hasText: 'Redacted. Other families now see only the redacted copy.' }).waitFor();
  await office.locator('.erasure-empty', { hasText: 'Nothing to review. After an erasure, entries that may name the erased child and photos that still show them are listed here.' }).waitFor();
  await checkScreen(office, 'erasure-reviews-done');

  const after = (await manager.get('/api/v1/erasure/reviews')).json;
  assert.deepEqual([after.entries.length, after.media.length], [0, 0], JSON.stringify(after));
  assert.notEqual((await manager.get(`/api/v1/media/${ids.groupPhoto}`)).json.media.erased_child, 'shown');
  // Ben's family now sees the redacted copy.
  const benTower = (await ids.parentB.get(`/api/v1/entries/${ids.groupEntry}`)).json.entry;
  assert.ok((benTower.media ?? []).some((m) => m.id === ids.groupPhoto), 'the redacted group photo is shown to Ben’s family');
  assert.equal((await ids.parentB.get(`/api/v1/media/${ids.groupPhoto}/display`)).status, 200);
  assert.equal((await manager.get('/api/v1/manager/summary')).json.summary.erasure_reviews, 0);
  assertNoPageErrors(office);
  await office.context().close();
});
