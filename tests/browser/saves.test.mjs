// Saves that show they worked, and plain words (issue 32), in Chromium against the real stack:
// a family's home observation is checked in the browser in plain words, each error going as
// the field is corrected, and once sent the confirmation is where the parent is looking; the
// box's messages reach people without field names in quotes; "cannot reach the box" speaks
// to a parent at home and to staff at the setting, with a Retry; the photo viewer closes with
// the phone's Back and lets a family save the photo; a day not in this year shows its year, and
// the month filter offers only months with something shared; staff saving an entry are told
// which families see it now, and which on which release date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, PHONE, TABLET } from './browser.mjs';
import { humanMoment } from './dates.mjs';

let stack;
let manager;
let browser;
let family;
const PARENT_A = ['parent.a', 'blue whale singing'];
const KATE = ['kate', 'green apple orchard'];

const ok = async (promise, what) => {
  const res = await promise;
  assert.ok(res.status < 300, `${what}: ${res.status} ${res.text}`);
  return res.json;
};

function photo(name, source) {
  const file = path.join(stack.root, `${name}.jpg`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `${source}=size=1200x800`, '-frames:v', '1', '-q:v', '4', file]);
  return fs.readFileSync(file);
}

// No text on the page quotes a field name ('title', 'observed_on').
async function assertNoQuotedFieldNames(page) {
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /(^|[^A-Za-z])'[a-z_]+'/, 'a field name in quotes is shown');
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  family = await twoFamilies(stack, manager);
  const id = await tusUpload(family.kate, photo('garden', 'testsrc'), { filename: 'garden.jpg' });
  assert.equal((await mediaReady(family.kate, id)).state, 'ready');
  family.ids.photo = id;
  await ok(family.kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'In the garden',
    body: 'Ava dug for worms.', next_steps: '', observed_on: new Date().toISOString().slice(0, 10),
    child_ids: [family.ids.A], aspect_ids: [], media: [{ id, child_ids: [family.ids.A] }] }), 'entry');
  // Written up in the new year about something last November: its day shows the year.
  family.lastYear = `${new Date().getUTCFullYear() - 1}-11-20`;
  await ok(family.kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Leaf prints',
    body: 'Ava printed with leaves.', next_steps: '', observed_on: family.lastYear,
    child_ids: [family.ids.A], aspect_ids: [] }), 'last year’s entry');
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

async function homeForm(page) {
  await signIn(page, ...PARENT_A);
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  await page.getByRole('link', { name: 'Add something from home' }).click();
  await page.getByRole('heading', { name: 'Add something from home' }).waitFor();
}

test('a home observation is checked in plain words, each error going as it is corrected; the confirmation is where the parent looks', async () => {
  const page = await openPage(browser, stack, PHONE);
  await homeForm(page);
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/contributions')) posted += 1; });

  // Nothing typed: the browser says what to do, and sends nothing.
  const today = await page.getByLabel('When').inputValue();
  await page.getByLabel('When').fill('');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  const titleError = page.locator('#home-title-error');
  await titleError.getByText('Give it a short title, for example “Planting seeds”.').waitFor();
  await page.locator('#home-observed_on-error').getByText('Choose the day it happened.').waitFor();
  assert.equal(await page.getByLabel('What happened').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'home-title', 'the first field with an error has the focus');
  assert.equal(posted, 0, 'nothing was sent');
  await assertNoQuotedFieldNames(page);
  await checkScreen(page, 'home-observation-errors');

  // Each error goes as the field is corrected, the others stay.
  await page.getByLabel('What happened').pressSequentially('Pl');
  await titleError.waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('What happened').getAttribute('aria-invalid'), 'false');
  await page.locator('#home-observed_on-error').waitFor();
  // A day still to come: the rule's words change as the date does.
  await page.getByLabel('When').fill('2999-01-01');
  await page.locator('#home-observed_on-error').getByText('Choose today or a day before: this is about something that happened.').waitFor();
  await page.getByLabel('When').fill(today);
  await page.locator('#home-observed_on-error').waitFor({ state: 'detached' });

  // Sent from the bottom of a long form on a phone (several lines of text, as a parent types
  // them): the confirmation is in view, and focused.
  await page.getByLabel('What happened').fill('Planting seeds');
  await page.getByLabel('Tell us more').fill('Ava planted sunflower seeds in a pot and watered them.\n'.repeat(6));
  const send = page.getByRole('button', { name: 'Send to staff' });
  await send.scrollIntoViewIfNeeded();
  await send.click();
  const sent = page.getByRole('heading', { name: 'Sent to staff' });
  const refused = page.locator('.form-error, .field-error').first();
  await Promise.race([sent.waitFor(), refused.waitFor().then(async () => assert.fail(`refused: ${await refused.innerText()}`))]);
  await page.waitForFunction(() => document.activeElement?.id === 'home-sent-title');
  await page.waitForFunction(() => {
    const box = document.getElementById('home-sent-title').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
  await page.getByText('Thank you — “Planting seeds” is waiting for staff to approve it.').waitFor();
  assert.equal(posted, 1);
  await checkScreen(page, 'home-observation-sent');
  await page.getByRole('link', { name: 'See what I have sent' }).click();
  await page.getByRole('heading', { name: 'What I have sent' }).waitFor();
  await page.getByRole('link', { name: 'Planting seeds' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('the box’s own messages reach people in plain words, never with a field name in quotes', async () => {
  const page = await openPage(browser, stack, PHONE);
  await homeForm(page);
  // The box refuses a title (as it would one too long): its message names the field in quotes.
  await page.route('**/api/v1/contributions', (route) => route.fulfill({ status: 400,
    json: { error: 'invalid', message: '\'title\' must be at most 200 characters.', field: 'title' } }));
  await page.getByLabel('What happened').fill('Building a tower');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  await page.locator('#home-title-error').getByText('The title must be at most 200 characters.').waitFor();
  await assertNoQuotedFieldNames(page);
  // An error the box gave goes with the first change to its field.
  await page.getByLabel('What happened').press('End');
  await page.getByLabel('What happened').press('Backspace');
  await page.locator('#home-title-error').waitFor({ state: 'detached' });
  await page.unroute('**/api/v1/contributions');
  await page.context().close();
});

test('cannot reach the box: a parent is told to check the phone’s internet, with a Retry that sends it', async () => {
  const page = await openPage(browser, stack, PHONE);
  await homeForm(page);
  await page.route('**/api/v1/contributions', (route) => route.abort('internetdisconnected'));
  await page.getByLabel('What happened').fill('Baking bread');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  const alert = page.locator('.form-error');
  await alert.getByText(/Check your phone has internet \(Wi-Fi or mobile data\), then retry\./).waitFor();
  assert.doesNotMatch(await alert.innerText(), /setting’s (network|Wi-Fi)/, 'a parent at home is not on the setting’s network');
  const retry = page.getByRole('button', { name: 'Retry' });
  await retry.waitFor();
  await checkScreen(page, 'offline-family');
  await page.unroute('**/api/v1/contributions');
  await retry.click();
  await page.getByRole('heading', { name: 'Sent to staff' }).waitFor();
  await page.getByText('Thank you — “Baking bread” is waiting for staff to approve it.').waitFor();
  await alert.waitFor({ state: 'detached' });
  await page.context().close();
});

test('cannot reach the box: staff are told to check the setting’s Wi-Fi, with a Retry', async () => {
  const page = await openPage(browser, stack, PHONE);
  await signIn(page, ...KATE);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  // The box is gone when the app starts: the first screen already speaks to staff.
  await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await page.getByRole('heading', { name: 'Cannot reach the box' }).waitFor();
  await page.getByText('Check this tablet or computer is on the setting’s Wi-Fi, then retry.').waitFor();
  await checkScreen(page, 'offline-staff');
  await page.unroute('**/api/v1/**');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.context().close();
});

test('the photo viewer closes with the phone’s Back, and a family may save the photo', async () => {
  const page = await openPage(browser, stack, PHONE);
  await signIn(page, ...PARENT_A);
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  const open = page.getByRole('button', { name: 'Open Photo of Ava' }).first();
  await open.click();
  const viewer = page.getByRole('dialog', { name: 'Photo of Ava' });
  await viewer.waitFor();
  const save = viewer.getByRole('link', { name: /^Save photo/ });
  assert.equal(await save.getAttribute('href'), `/api/v1/media/${family.ids.photo}/display`);
  assert.equal(await save.getAttribute('download'), '');
  await checkScreen(page, 'lightbox-save');
  // Saving downloads the photo the family sees (the box authorises it as it does the picture).
  const download = page.waitForEvent('download');
  await save.click();
  const file = await (await download).path();
  assert.ok(fs.statSync(file).size > 1000, 'the saved photo has its bytes');
  // The phone's Back closes the viewer and stays on the journal, the focus back on the photo.
  const journalPath = new URL(page.url()).pathname;
  await page.goBack();
  await viewer.waitFor({ state: 'detached' });
  assert.equal(new URL(page.url()).pathname, journalPath);
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Open Photo of Ava');
  // Closed by its button, the viewer leaves no extra step in the history: Back then leaves the journal.
  await open.click();
  await viewer.waitFor();
  await page.waitForFunction(() => history.state?.viewer === true);
  await viewer.getByRole('button', { name: 'Close' }).click();
  await viewer.waitFor({ state: 'detached' });
  await page.waitForFunction(() => history.state?.viewer !== true);
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Open Photo of Ava');
  // Staff's other family sees no save link for a photo that is not theirs: they cannot open it at all.
  const other = await family.parentB.get(`/api/v1/media/${family.ids.photo}/display`);
  assert.ok([403, 404].includes(other.status), `another family fetching the photo: ${other.status}`);
  assertNoPageErrors(page);
  await page.context().close();
});

test('a day not in this year shows its year; the month filter offers only months with something shared', async () => {
  const page = await openPage(browser, stack, PHONE);
  await signIn(page, ...PARENT_A);
  const card = page.locator('.feed-list > li', { has: page.getByRole('heading', { name: 'Leaf prints', exact: true }) });
  await card.waitFor();
  const [y, m, d] = family.lastYear.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  await card.getByText(new RegExp(`^${weekday} 20 Nov ${y} · by Name kate`)).waitFor();
  // This year's day without its year.
  const garden = page.locator('.feed-list > li', { has: page.getByRole('heading', { name: 'In the garden', exact: true }) });
  assert.doesNotMatch(await garden.locator('p.meta').first().innerText(), /\b20\d\d\b/);
  // Both were shared this month: the filter offers "All months" and this month only, as the box lists them.
  const months = (await ok(family.parentA.get('/api/v1/feed/months'), 'months')).months;
  assert.equal(months.length, 1);
  const options = await page.getByLabel('Month').locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', ...months]);
  // Another family's months are their own (nothing shared with Ben yet).
  assert.deepEqual((await ok(family.parentB.get('/api/v1/feed/months'), 'B months')).months, []);
  await checkScreen(page, 'family-feed-dates');
  await page.context().close();
});

test('staff saving an entry are told which families see it now, and which on which release date', async () => {
  // Reception releases on a date a week on; Pre-school has no date set; Nursery (Ava's) is live.
  const zone = (await ok(manager.get('/api/v1/settings'), 'settings')).setting.time_zone || undefined;
  const room = async (name) => (await ok(manager.post('/api/v1/rooms', { name, release_mode: 'scheduled' }), name)).room.id;
  const reception = await room('Reception');
  const preschool = await room('Pre-school');
  const child = async (first, roomId) => (await ok(manager.post('/api/v1/children', { first_name: first, last_name: 'Day',
    date_of_birth: '2021-03-03', room_id: roomId, started_on: '2025-09-01' }), first)).child.id;
  await child('Cara', reception);
  await child('Dan', preschool);
  const week = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await ok(manager.post(`/api/v1/rooms/${reception}/releases`, { at: week }), 'release date');
  const at = (await ok(manager.get(`/api/v1/rooms/${reception}/releases`), 'releases')).releases.find((r) => Date.parse(r.at) > Date.now()).at;

  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...KATE);
  await page.goto('/staff/entries/new/form');
  await page.getByRole('heading', { name: 'New entry' }).waitFor();
  // The editor checks in plain words too, and the error goes as the title is typed.
  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.locator('#entry-title-error').getByText('Give it a short title.').waitFor();
  await assertNoQuotedFieldNames(page);
  await page.getByLabel('Title').fill('Music together');
  await page.locator('#entry-title-error').waitFor({ state: 'detached' });
  await page.getByLabel('What happened', { exact: true }).fill('Three rooms sang together in the hall.');
  for (const name of ['Ava Ahmed', 'Cara Day', 'Dan Day']) await page.getByLabel(name).check();
  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByRole('heading', { name: 'Music together', level: 1 }).waitFor();
  const who = page.locator('.who-sees');
  await who.getByRole('heading', { name: 'Who sees it' }).waitFor();
  await who.locator('li[data-reach="now"]', { hasText: 'Now: Ava’s family (Nursery, which shares as it goes).' }).waitFor();
  await who.locator('li[data-reach="on"]', { hasText: `From ${humanMoment(at, zone)}: Cara’s family — Reception’s next release date.` }).waitFor();
  await who.locator('li[data-reach="unscheduled"]', { hasText: 'Not yet: Dan’s family — Pre-school has no release date set' }).waitFor();
  await checkScreen(page, 'staff-entry-who-sees');
  await page.context().close();
});
