// The family feed, photo first (issue 22), in Chromium against the real stack: a parent of two
// siblings opens the newest photo full screen in at most two taps from the journal; the viewer
// swipes (pointer drag and touch), counts, closes with Escape and gives the focus back; the
// heart is saved (and put back when the box refuses it), staff see who liked, and the other
// family sees nothing of it; the month filter and the child switcher narrow the feed, each
// empty result saying why; "New" marks what was shared since the last visit, and not after
// the next visit; child view is big photos that open in the same viewer. Entries and photos
// are seeded through the API; the family's part is driven only through the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, tusUpload, mediaReady, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, PHONE, TABLET } from './browser.mjs';

let stack;
let manager;
let browser;
let zone;
const ids = {};
const entries = {};   // title → { id, media: [ids], journal_at }

const KATE = ['kate', 'green apple orchard'];
const PARENT_P = ['parent.p', 'blue whale singing'];   // Ava and Ben, siblings
const PARENT_Q = ['parent.q', 'red kite flying'];      // Cara

const ok = async (promise, what) => {
  const res = await promise;
  assert.ok(res.status < 300, `${what}: ${res.status} ${res.text}`);
  return res.json;
};

// The box's clock (moved with stack.advanceClock), as milliseconds.
function boxNow() {
  return Date.now() + (Number(fs.readFileSync(stack.clockFile, 'utf8')) || 0) * 1000;
}

function inZone(ms, options) {
  return Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options })
    .formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

function dayOf(ms) {
  const p = inZone(ms, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

const monthOf = (ms) => dayOf(ms).slice(0, 7);
const monthName = (month) => new Date(`${month}-15T12:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

// Kate on the setting's tablet, signed in afresh (moving the clock ends sessions and device proofs).
async function kate() {
  const client = stack.client();
  assert.equal((await client.signIn(...KATE)).status, 200);
  return client;
}

let photoCount = 0;
function makePhoto(size, source) {
  const file = path.join(stack.root, `photo-${++photoCount}.jpg`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `${source}=size=${size}`, '-frames:v', '1', '-q:v', '4', file]);
  return fs.readFileSync(file);
}

// An entry in the journal with its photos, each tagged with the entry's children.
async function addEntry(staff, { title, kind = 'observation', childIds, photos = [], aspects = [], body = '' }) {
  const media = [];
  for (const [size, source] of photos) {
    const id = await tusUpload(staff, makePhoto(size, source), { filename: `${title}.jpg` });
    assert.equal((await mediaReady(staff, id)).state, 'ready');
    media.push(id);
  }
  const { entry } = await ok(staff.post('/api/v1/entries', {
    kind, status: 'journal', title, body: body || `${title}: what happened today.`, next_steps: '',
    observed_on: dayOf(boxNow()), child_ids: childIds, aspect_ids: aspects,
    media: media.map((id) => ({ id, child_ids: childIds })) }), title);
  entries[title] = { id: entry.id, media, journal_at: entry.journal_at };
  return entries[title];
}

// A family's page with the browser's clock at the box's (the months offered are the box's).
async function familyPage(viewport = PHONE) {
  const page = await openPage(browser, stack, viewport);
  await page.clock.setFixedTime(new Date(boxNow()));
  // Every tap on the page, as the person makes it (typing is not a tap).
  await page.addInitScript(() => {
    globalThis.taps = 0;
    document.addEventListener('click', (e) => { if (e.isTrusted) globalThis.taps += 1; }, true);
  });
  return page;
}

const cards = (page) => page.locator('.feed-list > li');
const card = (page, title) => page.locator('.feed-list > li', { has: page.getByRole('heading', { name: title, exact: true }) });
const cardTitles = async (page) => (await page.locator('.feed-list .feed-title').allTextContents()).map((t) => t.trim());

async function openJournal(page, who) {
  await signIn(page, ...who);
  await page.getByRole('heading', { level: 1, name: /journal/ }).waitFor();
  await cards(page).first().waitFor();
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  zone = (await ok(manager.get('/api/v1/settings'), 'settings')).setting.time_zone || 'Europe/London';
  // Families stay signed in across the half hours this test moves the clock by.
  await ok(manager.request('PATCH', '/api/v1/settings', { body: { idle_minutes_parent: 240, idle_minutes_staff: 240 } }), 'idle');
  ids.kate = (await stack.addUser(manager, KATE[0], 'staff', KATE[1])).id;
  const p = await stack.addUser(manager, PARENT_P[0], 'parent', PARENT_P[1]);
  const q = await stack.addUser(manager, PARENT_Q[0], 'parent', PARENT_Q[1]);
  ids.parentP = p.id;
  ids.parentQ = q.id;
  ids.room = (await ok(manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' }), 'room')).room.id;
  const child = async (first, last) => (await ok(manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' }), first)).child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Ahmed');
  ids.cara = await child('Cara', 'Clark');
  for (const [c, parent] of [[ids.ava, p], [ids.ben, p], [ids.cara, q]]) {
    await ok(manager.request('PUT', `/api/v1/children/${c}/carers/${parent.id}`), 'carer');
    await ok(manager.request('PUT', `/api/v1/children/${c}/consent`,
      { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  }
  for (const parent of [p, q]) {
    const agreement = (await parent.client.get('/api/v1/agreement')).json;
    await ok(parent.client.post('/api/v1/agreement/accept', { version: agreement.version }), 'accept');
  }

  // Month A: the older entries.
  let staff = await kate();
  ids.monthA = monthOf(boxNow());
  await addEntry(staff, { title: 'Sand pit', kind: 'snapshot', childIds: [ids.ben], photos: [['1000x750', 'testsrc']] });
  await addEntry(staff, { title: 'Painting', childIds: [ids.ava], photos: [['900x900', 'smptebars'], ['900x600', 'rgbtestsrc']],
    aspects: ['eyfs.ead.cm'] });
  await addEntry(staff, { title: 'Cara’s blocks', childIds: [ids.cara], photos: [['800x600', 'testsrc2']] });
  // Month B, a month on: the newest entries.
  stack.advanceClock(32 * 86400);
  ids.monthB = monthOf(boxNow());
  staff = await kate();
  await addEntry(staff, { title: 'Den with Cara', childIds: [ids.ava, ids.cara], photos: [['1200x800', 'smptebars']] });
  await addEntry(staff, { title: 'Snack time', kind: 'snapshot', childIds: [ids.ben], photos: [['800x800', 'testsrc']] });
  await addEntry(staff, { title: 'Counting conkers', childIds: [ids.ava], aspects: ['eyfs.m.n'],
    body: 'Ava counted twelve conkers into a basket, one by one, and told us “twelve!” at the end.',
    photos: [['1200x800', 'testsrc2'], ['800x1200', 'rgbtestsrc'], ['1200x900', 'smptebars']] });
  // Two comments in Ava's conversation about the newest entry.
  const family = stack.client();
  assert.equal((await family.signIn(...PARENT_P)).status, 200);
  await ok(family.post(`/api/v1/entries/${entries['Counting conkers'].id}/threads/${ids.ava}`, { body: 'She counts everything now!' }), 'comment');
  await ok(staff.post(`/api/v1/entries/${entries['Counting conkers'].id}/threads/${ids.ava}`, { body: 'She does here too.' }), 'reply');
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('from the journal to the newest photo full screen in at most two taps; swipe, count, Escape', async () => {
  const page = await familyPage(PHONE);
  await openJournal(page, PARENT_P);  // the sign-in button is not counted
  await page.evaluate(() => { globalThis.taps = 0; });
  const newest = entries['Counting conkers'];
  assert.equal((await cardTitles(page))[0], 'Counting conkers', 'newest first');

  // What a family sees on the card: plain words, a human date, who wrote it, the comments.
  const first = cards(page).first();
  await first.getByText('What Ava did').waitFor();
  await first.getByText(/^\w{3} \d{1,2} \w{3}( \d{4})? · by Name kate$/).waitFor();
  await first.getByText('Numbers and counting').waitFor();
  assert.equal(await first.getByText('Mathematics').count(), 0, 'no curriculum jargon');
  assert.equal(await first.getByRole('link', { name: '2 comments' }).count(), 1);
  await first.locator('.photo-large img').evaluate((img) => img.decode());
  const large = await first.locator('.photo-large').boundingBox();
  assert.ok(large.width >= PHONE.width - 50, `the first photo is the card's width (${large.width}px)`);
  await checkScreen(page, 'family-feed');

  // Tap the newest entry's first photo: it is full screen at once.
  await first.getByRole('button', { name: 'Open Photo of Ava' }).first().click();
  const viewer = page.getByRole('dialog', { name: 'Photo of Ava' });
  await viewer.waitFor();
  const taps = await page.evaluate(() => globalThis.taps);
  assert.ok(taps <= 2, `${taps} taps from the journal to the photo`);
  console.log(`# taps from the journal to the newest photo full screen: ${taps}`);
  const img = viewer.locator('img.viewer-media');
  const src = await img.getAttribute('src');
  assert.equal(src, `/api/v1/media/${newest.media[0]}/display`, 'the newest entry’s first photo, its display copy');
  await img.evaluate((i) => i.decode());
  // The picture itself (contained, not cropped) spans the phone's width.
  const shown = await img.evaluate((i) => {
    const box = i.getBoundingClientRect();
    const scale = Math.min(box.width / i.naturalWidth, box.height / i.naturalHeight);
    return { width: i.naturalWidth * scale, viewport: window.innerWidth };
  });
  assert.ok(shown.width >= shown.viewport - 1, `the photo is ${shown.width}px wide on a ${shown.viewport}px screen`);
  await viewer.getByText('1 of 3').waitFor();
  await viewer.getByRole('button', { name: 'Previous' }).waitFor();
  await viewer.getByRole('button', { name: 'Next' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Close', 'the focus is in the viewer');
  await checkScreen(page, 'lightbox');

  // Swipe left with a pointer: the next photo, and the counter follows.
  const stage = await viewer.locator('.viewer-stage').boundingBox();
  const y = stage.y + stage.height / 2;
  await page.mouse.move(stage.x + stage.width * 0.8, y);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.2, y, { steps: 8 });
  await page.mouse.up();
  await viewer.getByText('2 of 3').waitFor();
  assert.equal(await img.getAttribute('src'), `/api/v1/media/${newest.media[1]}/display`);
  // ...and right with a finger: back to the first.
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', stage.x + stage.width * 0.2);
  for (const share of [0.35, 0.5, 0.65, 0.8]) await touch('touchMove', stage.x + stage.width * share);
  await touch('touchEnd');
  await viewer.getByText('1 of 3').waitFor();
  // The arrow keys go through them too; a small drag is not a swipe.
  await page.keyboard.press('ArrowLeft');
  await viewer.getByText('3 of 3').waitFor();
  await page.keyboard.press('ArrowRight');
  await viewer.getByText('1 of 3').waitFor();
  await viewer.getByRole('button', { name: 'Next' }).click();
  await viewer.getByText('2 of 3').waitFor();
  await page.mouse.move(stage.x + stage.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.5 - 10, y, { steps: 2 });
  await page.mouse.up();
  await viewer.getByText('2 of 3').waitFor();

  // Escape closes it; the focus is back on the photo it showed last.
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  // (A closed dialog leaves the accessibility tree before its close event: wait for the focus.)
  await page.waitForFunction((id) => document.activeElement?.dataset.id === id, newest.media[1], { timeout: 5000 })
    .catch(async () => assert.fail(`focus back on the photo shown, not on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`));
  assertNoPageErrors(page);

  // "2 comments" goes to the conversation.
  await first.getByRole('link', { name: '2 comments' }).click();
  await page.getByRole('heading', { name: 'Comments about Ava' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/journal/entries/${newest.id}`);
  await page.waitForFunction(() => document.activeElement?.textContent === 'Comments about Ava');
  // The entry's own page: the same photos, the same viewer.
  await page.getByRole('button', { name: 'Open Photo of Ava' }).first().click();
  await page.getByRole('dialog', { name: 'Photo of Ava' }).getByText('1 of 3').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  assertNoPageErrors(page);
  await page.context().close();
});

test('the heart: saved at once, put back when the box refuses, seen by staff and by no other family', async () => {
  const page = await familyPage(PHONE);
  await openJournal(page, PARENT_P);
  const den = card(page, 'Den with Cara');
  const heart = den.getByRole('button', { name: 'Like' });
  assert.equal(await heart.getAttribute('aria-pressed'), 'false');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/threads/${ids.ava}/heart`) && r.request().method() === 'PUT');
  await heart.click();
  assert.equal(await heart.getAttribute('aria-pressed'), 'true', 'shown at once');
  assert.equal((await saved).status(), 200);

  const staff = await kate();
  const denId = entries['Den with Cara'].id;
  let { hearts } = await ok(staff.get(`/api/v1/entries/${denId}/hearts`), 'hearts');
  assert.deepEqual(hearts.map((h) => [h.child_id, h.parent_name]), [[ids.ava, 'Name parent.p']]);
  // Ava's family's heart is theirs: Cara's family sees no trace of it.
  const other = await familyPage(PHONE);
  await openJournal(other, PARENT_Q);
  await card(other, 'Den with Cara').waitFor();
  const feedText = await other.evaluate(async () => (await fetch('/api/v1/feed?limit=100')).text());
  const feed = JSON.parse(feedText);
  const seen = feed.entries.find((e) => e.id === denId);
  assert.deepEqual(seen.hearted_child_ids, [], 'not hearted by this family');
  for (const trace of [ids.parentP, 'parent.p', ids.ava, 'Ava']) assert.ok(!feedText.includes(trace), `no ${trace} in the other family’s feed`);
  assert.equal(await other.evaluate(async (id) => (await fetch(`/api/v1/entries/${id}/hearts`)).status, denId), 403);
  assert.equal(await card(other, 'Den with Cara').getByRole('button', { name: 'Like' }).getAttribute('aria-pressed'), 'false');
  await other.context().close();

  // Taken back: gone for staff too.
  const heartSent = (method) => page.waitForResponse((r) => r.url().endsWith('/heart') && r.request().method() === method);
  const takenBack = heartSent('DELETE');
  await heart.click();
  assert.equal(await heart.getAttribute('aria-pressed'), 'false');
  assert.equal((await takenBack).status(), 200);
  ({ hearts } = await ok(staff.get(`/api/v1/entries/${denId}/hearts`), 'hearts'));
  assert.deepEqual(hearts, []);
  const again = heartSent('PUT');
  await heart.click();
  assert.equal((await again).status(), 200);
  // The entry's own page has the same heart, in the same state, and takes it back too.
  await den.getByRole('link', { name: 'Den with Cara' }).first().click();
  const pageHeart = page.locator('.family-entry').getByRole('button', { name: 'Like' });
  await pageHeart.waitFor();
  assert.equal(await pageHeart.getAttribute('aria-pressed'), 'true');
  const offAgain = heartSent('DELETE');
  await pageHeart.click();
  assert.equal((await offAgain).status(), 200);
  assert.deepEqual((await ok(staff.get(`/api/v1/entries/${denId}/hearts`), 'hearts')).hearts, []);
  const onAgain = heartSent('PUT');
  await pageHeart.click();
  assert.equal((await onAgain).status(), 200);
  await page.goBack();
  await card(page, 'Painting').waitFor();

  // The box refuses: the heart goes back as it was, and the card says so.
  const painting = card(page, 'Painting');
  await page.route('**/heart', (route) => route.fulfill({ status: 503, json: { error: 'busy', message: 'The box is busy. Try again in a moment.' } }));
  await painting.getByRole('button', { name: 'Like' }).click();
  await painting.getByRole('alert').getByText('Your like was not saved: The box is busy. Try again in a moment.').waitFor();
  assert.equal(await painting.getByRole('button', { name: 'Like' }).getAttribute('aria-pressed'), 'false', 'rolled back');
  await page.unroute('**/heart');
  ({ hearts } = await ok(staff.get(`/api/v1/entries/${entries.Painting.id}/hearts`), 'hearts'));
  assert.deepEqual(hearts, []);
  assertNoPageErrors(page);
  await page.context().close();
});

// The manager's session (which registers the browser as a tablet) ended when the clock moved.
async function managerAgain() {
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
}

test('staff see which family liked an entry', async () => {
  await managerAgain();
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`/staff/entries/${entries['Den with Cara'].id}`);
  await page.getByRole('heading', { name: 'Likes from families' }).waitFor();
  await page.locator('.hearts-list li').getByText(/Liked by Name parent\.p \(Ava’s family\), \w{3} \d{1,2} \w{3}( \d{4})?$/).waitFor();
  assert.equal(await page.locator('.hearts-list li').count(), 1);
  await checkScreen(page, 'staff-entry-hearts');
  await page.context().close();
});

test('the month filter (months with entries only) and the child switcher narrow the feed', async () => {
  const page = await familyPage(TABLET);
  await openJournal(page, PARENT_P);
  const all = ['Counting conkers', 'Snack time', 'Den with Cara', 'Painting', 'Sand pit'];
  // The heading comes before the feed's cards: wait for the first card, not a moment.
  await page.getByRole('heading', { name: all[0], exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), all);
  assert.ok(!(await page.locator('main').textContent()).includes('Cara’s blocks'), 'another family’s entry never shows');
  // Siblings: "All" first, then each child by first name.
  const switcher = page.getByRole('group', { name: 'Whose journal' });
  assert.deepEqual((await switcher.getByRole('button').allTextContents()).map((t) => t.trim()), ['All', 'Ava', 'Ben']);
  assert.equal(await switcher.getByRole('button', { name: 'All' }).getAttribute('aria-pressed'), 'true');

  const month = page.getByLabel('Month');
  assert.equal(await month.inputValue(), '');
  assert.equal(await month.locator('option').first().textContent(), 'All months');
  const feedAsked = (test) => page.waitForResponse((r) => r.url().includes('/api/v1/feed?') && test(new URL(r.url()).searchParams));
  let asked = feedAsked((q) => q.get('month') === ids.monthA);
  await month.selectOption(ids.monthA);
  await asked;
  await page.getByRole('heading', { name: 'Painting', exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), ['Painting', 'Sand pit']);

  asked = feedAsked((q) => q.get('child') === ids.ben && q.get('month') === ids.monthA);
  await switcher.getByRole('button', { name: 'Ben' }).click();
  await asked;
  await page.getByRole('heading', { name: 'Sand pit', exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), ['Sand pit']);
  assert.equal(await switcher.getByRole('button', { name: 'Ben' }).getAttribute('aria-pressed'), 'true');
  await cards(page).first().getByText('Today at nursery').waitFor();

  await month.selectOption(ids.monthB);
  await page.getByRole('heading', { name: 'Snack time', exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), ['Snack time']);

  // Only the months with something shared are offered (issue 32), newest first (here, Ben's).
  const offered = () => month.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(await offered(), ['', ids.monthB, ids.monthA]);
  assert.equal((await month.locator(`option[value="${ids.monthA}"]`).textContent()).trim(), monthName(ids.monthA));
  await checkScreen(page, 'family-feed-month-filter');

  await switcher.getByRole('button', { name: 'All' }).click();
  await page.getByRole('heading', { name: 'Den with Cara', exact: true }).waitFor();
  await month.selectOption('');
  await page.getByRole('heading', { name: 'Counting conkers', exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), all);
  // The switch empties the list before Ava's entries arrive: wait for her answer and her newest card.
  asked = feedAsked((q) => q.get('child') === ids.ava && !q.get('month'));
  await switcher.getByRole('button', { name: 'Ava' }).click();
  await asked;
  await page.getByRole('heading', { name: 'Snack time', exact: true }).waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'Counting conkers', exact: true }).waitFor();
  assert.deepEqual(await cardTitles(page), ['Counting conkers', 'Den with Cara', 'Painting']);
  assertNoPageErrors(page);
  await page.context().close();
});

test('"New" marks what was shared since the last visit, and not after the next visit', async () => {
  // The visits so far were all within half an hour of the first: nothing is new yet.
  const page = await familyPage(PHONE);
  await openJournal(page, PARENT_P);
  assert.equal(await page.locator('.new-badge').count(), 0, 'a first visit marks nothing');

  // More than half an hour on, staff share something: the next visit marks it.
  stack.advanceClock(31 * 60);
  await addEntry(await kate(), { title: 'Puddles', childIds: [ids.ben], photos: [['1200x800', 'testsrc']] });
  await page.clock.setFixedTime(new Date(boxNow()));
  await page.reload();
  await page.getByRole('heading', { name: 'Puddles', exact: true }).waitFor();
  await page.locator('.new-since', { hasText: '1 new since your last visit' }).waitFor();
  assert.equal(await card(page, 'Puddles').locator('.new-badge').textContent(), 'New');
  assert.equal(await page.locator('.feed-list .new-badge').count(), 1, 'only what came since');
  await checkScreen(page, 'family-feed-new');
  // A reload soon after keeps the marks.
  await page.reload();
  await card(page, 'Puddles').locator('.new-badge').waitFor();

  // The visit after that, more than half an hour later: nothing new.
  stack.advanceClock(31 * 60);
  await page.clock.setFixedTime(new Date(boxNow()));
  await page.reload();
  await page.getByRole('heading', { name: 'Puddles', exact: true }).waitFor();
  assert.equal(await page.locator('.new-badge').count(), 0);
  assert.equal(await page.getByText(/new since your last visit/).count(), 0);
  assertNoPageErrors(page);
  await page.context().close();
});

test('child view: big photos and few words; a tap opens the photo full screen', async () => {
  await managerAgain();
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/children');
  await page.getByRole('button', { name: 'Open child view for Ava' }).click();
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  const tiles = page.locator('.child-tiles > li');
  await tiles.first().waitFor();
  assert.deepEqual((await page.locator('.child-tiles h2').allTextContents()).map((t) => t.trim()),
    ['Counting conkers', 'Den with Cara', 'Painting']);
  assert.equal(await page.getByText('Ava counted twelve conkers').count(), 0, 'no body text');
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('Ben'), 'no other child');
  const photo = tiles.first().getByRole('button', { name: 'Open Photo of Ava' });
  await photo.locator('img').evaluate((i) => i.decode());
  const box = await photo.boundingBox();
  assert.ok(box.width >= 300, `a big photo (${box.width}px)`);
  await checkScreen(page, 'child-view');
  await photo.click();
  const viewer = page.getByRole('dialog', { name: 'Photo of Ava' });
  await viewer.getByText(`1 of 6`).waitFor();  // every photo of the journal: 3 + 1 + 2
  await viewer.getByText('Counting conkers').waitFor();
  await viewer.getByRole('button', { name: 'Next' }).click();
  await viewer.getByText('2 of 6').waitFor();
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  assertNoPageErrors(page);
  await page.context().close();
});
