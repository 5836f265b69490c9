// Media screens in Chromium against the real stack: staff attach a photo (progress to 100 %,
// then the box's thumbnail), tick who is in it, see which families will see it and the
// consent warning — as the box answers it (GET /media/{id}/audience; an answer overtaken by
// newer ticks is dropped) — redact the child without consent and save; an upload survives the
// network dropping halfway; the box's refusal of a child without photo consent shows beside
// the photo when amending, placed by the error's details rather than its wording; the family
// sees the thumbnail and the lightbox; a parent adds a photo from home and staff approve it
// with its photo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, TABLET, watchUploads } from './browser.mjs';

let stack;
let manager;
let browser;
const ids = {};
let photo;     // 1200 × 800, one tus chunk
let bigPhoto;  // about 17 MB of noise: three 8 MiB chunks

const KATE = ['kate', 'green apple orchard'];
const PARENT_A = ['parent.a', 'blue whale singing'];
const PARENT_B = ['parent.b', 'red kite flying'];

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  ids.kate = (await stack.addUser(manager, KATE[0], 'staff', KATE[1])).id;
  const parentA = await stack.addUser(manager, PARENT_A[0], 'parent', PARENT_A[1]);
  const parentB = await stack.addUser(manager, PARENT_B[0], 'parent', PARENT_B[1]);
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  const child = async (first, last) => (await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  ids.cara = await child('Cara', 'Clark');
  await manager.request('PUT', `/api/v1/children/${ids.ava}/carers/${parentA.id}`);
  await manager.request('PUT', `/api/v1/children/${ids.ben}/carers/${parentB.id}`);
  const consent = async (id, own, other) => assert.equal((await manager.request('PUT', `/api/v1/children/${id}/consent`,
    { body: { own_journal_photos: own, other_journals: other, online_journal_opt_out: false } })).status, 200);
  await consent(ids.ava, true, true);
  await consent(ids.ben, true, false);  // Ben may be in his own journal's photos, not in other children's
  await consent(ids.cara, false, false);  // no photos of Cara at all
  for (const parent of [parentA, parentB]) {
    const agreement = (await parent.client.get('/api/v1/agreement')).json;
    await parent.client.post('/api/v1/agreement/accept', { version: agreement.version });
  }
  photo = path.join(stack.root, 'den.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1200x800', '-frames:v', '1', '-q:v', '2', photo]);
  bigPhoto = path.join(stack.root, 'noise.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i',
    "nullsrc=s=6000x4000,geq=r='random(1)*255':g='random(2)*255':b='random(3)*255'",
    '-frames:v', '1', '-q:v', '1', '-pix_fmt', 'yuvj444p', bigPhoto]);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('staff attach a photo, tick who is in it, are warned about consent, redact, and save', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/entries/new/form');
  await page.getByLabel('Title').fill('Building a den');
  await page.locator('#entry-body').fill('Building a den from blankets with a friend.');
  await page.getByLabel('Ava Ahmed').check();
  await page.getByLabel('Ben Brown').check();

  await watchUploads(page);
  const checksums = [];
  page.on('request', (r) => { if (r.method() === 'PATCH') checksums.push(r.headers()['upload-checksum']); });
  await page.locator('input[type=file]').setInputFiles(photo);
  const item = page.locator('.upload-item');
  await item.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  // Each piece went with its SHA-256, which the box checked before keeping it.
  const expected = crypto.createHash('sha256').update(fs.readFileSync(photo)).digest('base64');
  assert.deepEqual(checksums, [`sha256 ${expected}`]);
  const log = await page.evaluate(() => globalThis.uploadLog);
  assert.ok(log.some((l) => /^Uploading… \d+%/.test(l)), `progress shown: ${log.join(' / ')}`);
  assert.ok(log.some((l) => l.startsWith('Uploaded (100%). Processing…') && l.endsWith('| 100')), `100 % then processing: ${log.join(' / ')}`);
  const thumbnail = item.locator('img.upload-thumb');
  await page.waitForFunction(() => {
    const img = document.querySelector('.upload-item img.upload-thumb');
    return img && img.getAttribute('src').endsWith('/thumbnail') && img.complete && img.naturalWidth > 0;
  });
  assert.match(await thumbnail.getAttribute('src'), /^\/api\/v1\/media\/[0-9a-f]{32}\/thumbnail$/);

  // The entry's children are ticked by default; Ben may not be in other children's journals.
  assert.equal(await item.getByLabel('Ava Ahmed').isChecked(), true);
  assert.equal(await item.getByLabel('Ben Brown').isChecked(), true);
  await item.getByText('not in other children’s journals').waitFor();
  await item.getByText('Seen by: Ben’s family.').waitFor();
  await item.getByText('Ben may not appear in other children’s journals: Ava’s family will not see this photo unless you obscure Ben (Redact).').waitFor();
  // Names sit isolated in the sentences, for names written right to left.
  assert.equal(await item.locator('p.audience bdi').textContent(), 'Ben');
  // Without Ben in it, Ava's family sees it and there is nothing to warn about.
  await item.getByLabel('Ben Brown').uncheck();
  await item.getByText('Seen by: Ava’s family.').waitFor();
  assert.equal(await item.locator('.warning').count(), 0);
  await item.getByLabel('Ben Brown').check();
  await item.locator('.warning').waitFor();

  // Who sees it is the box's answer for the ticks as they are: an answer that arrives after
  // the ticks changed again is dropped, never shown.
  const isAudience = (url) => url.pathname.endsWith('/audience');
  const askedAbout = (url) => new URL(url).searchParams.get('child_ids');
  let releaseLate;
  const late = new Promise((resolve) => { releaseLate = resolve; });
  let lateAsked;
  const lateAskedNow = new Promise((resolve) => { lateAsked = resolve; });
  await page.route(isAudience, async (route) => {
    if (askedAbout(route.request().url()) === ids.ava) { lateAsked(); await late; }
    await route.continue();
  });
  await item.getByLabel('Ben Brown').uncheck();
  await lateAskedNow;  // the box is asked about Ava alone; its answer is held back
  await item.getByLabel('Ben Brown').check();
  await item.getByText('Seen by: Ben’s family.').waitFor();
  // The page notes each audience answer once it has read it. What it does with the answer
  // (show it or drop it) follows in the same turn, before anything else runs on the page, so
  // once the late one is noted it has been dealt with.
  await page.evaluate(() => {
    const text = Response.prototype.text;
    globalThis.audienceAnswersRead = [];
    Response.prototype.text = async function () {
      const body = await text.call(this);
      const url = new URL(this.url);
      if (url.pathname.endsWith('/audience')) globalThis.audienceAnswersRead.push(url.searchParams.get('child_ids'));
      return body;
    };
  });
  const lateAnswer = page.waitForResponse((r) => r.url().includes('/audience?') && askedAbout(r.url()) === ids.ava);
  releaseLate();
  await lateAnswer;
  await page.waitForFunction((ava) => globalThis.audienceAnswersRead.includes(ava), ids.ava);
  assert.equal(await item.getByText('Seen by: Ava’s family.').count(), 0, 'the late answer for Ava alone is not shown');
  await item.getByText('Seen by: Ben’s family.').waitFor();
  await item.locator('.warning').waitFor();
  await page.unroute(isAudience);
  await checkScreen(page, 'media-editor-attached');

  await item.getByRole('button', { name: /Redact/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Obscure children in this photo' });
  await dialog.waitFor();
  await dialog.getByText('the unredacted original will be deleted').waitFor();
  assert.equal(await dialog.getByLabel('Ben Brown').isChecked(), true, 'the child who needs hiding is chosen already');
  assert.equal(await dialog.getByLabel('Ava Ahmed').isChecked(), false);
  const canvas = dialog.locator('.redact-canvas');
  await canvas.locator('img').evaluate((img) => img.decode());
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await dialog.getByText(/^Area 1: 35% wide, 50% high, 55% from the left, 20% from the top, grey$/).waitFor();
  await dialog.getByText('each area, and a margin around it, is grey').waitFor();
  // Typed areas work without a pointer; one that does not fit is refused.
  await dialog.getByLabel('Left (%)').fill('95');
  await dialog.getByLabel('Top (%)').fill('5');
  await dialog.getByLabel('Width (%)').fill('10');
  await dialog.getByLabel('Height (%)').fill('10');
  await dialog.getByRole('button', { name: 'Add area' }).click();
  await dialog.getByText(/must fit inside/).waitFor();
  await dialog.getByLabel('Left (%)').fill('5');
  await dialog.getByLabel('Height (%)').press('Enter');
  await dialog.getByText(/^Area 2: 10% wide, 10% high, 5% from the left, 5% from the top, grey$/).waitFor();
  // A thing (a name on a peg) may be pixelated instead, when asked for; a person never is by default.
  const pixelate = dialog.getByLabel('Pixelate instead: a thing, not a person');
  assert.equal(await pixelate.count(), 2);
  assert.equal(await pixelate.first().isChecked(), false);
  await pixelate.nth(1).check();
  await dialog.getByText(/^Area 2: .* from the top, pixelated$/).waitFor();
  assert.equal(await dialog.getByRole('alert').count(), 0);
  await checkScreen(page, 'media-redact');
  const redactRequest = page.waitForRequest((r) => r.url().endsWith('/redact') && r.method() === 'POST');
  await dialog.getByRole('button', { name: 'Redact photo' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Areas go in pixels of the stored 1200 × 800 original, whatever the size on screen.
  const sent = (await redactRequest).postDataJSON();
  assert.deepEqual(sent.obscured_child_ids, [ids.ben]);
  const [dragged, typed] = sent.regions;
  assert.deepEqual(typed, { x: 60, y: 40, width: 120, height: 80, style: 'pixelate' });
  assert.equal(dragged.style, 'cover');
  for (const [key, want] of [['x', 660], ['y', 160], ['width', 420], ['height', 400]]) {
    assert.ok(Number.isInteger(dragged[key]) && Math.abs(dragged[key] - want) <= 12, `dragged ${key} ${dragged[key]} ≈ ${want}`);
  }
  await item.getByText('Redacted. The unredacted photo has been deleted.').waitFor();
  await item.getByText('Seen by: the families of Ava and Ben.').waitFor();
  assert.equal(await item.locator('.warning').count(), 0);
  assert.equal(await item.getByLabel('Ben Brown').isDisabled(), true, 'Ben stays tagged, as obscured');
  await page.waitForFunction(() => document.querySelector('.upload-item img.upload-thumb')?.getAttribute('src').endsWith('/thumbnail?v=1'));
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('redact-button')), true, 'focus back on Redact');

  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByRole('heading', { name: 'Building a den' }).waitFor();
  await page.locator('.gallery img').first().waitFor();
  const entryId = new URL(page.url()).pathname.split('/').pop();
  const media = stack.sql(`SELECT redacted_sha256 IS NOT NULL, sha256 IS NULL FROM media WHERE entry_id = '${entryId}'`);
  assert.equal(media, '1|1', 'a redacted copy exists and the unredacted original is gone');
  const entry = (await kateClient()).get(`/api/v1/entries/${entryId}`);
  const [saved] = (await entry).json.entry.media;
  assert.deepEqual([...saved.child_ids].sort(), [ids.ava, ids.ben].sort());
  assert.deepEqual(saved.obscured_child_ids, [ids.ben]);
  // Staff answers carry the box's audience of each item for its saved tags.
  assert.deepEqual([...saved.audience.seen_by].sort(), [ids.ava, ids.ben].sort());
  assert.deepEqual([saved.audience.everyone, saved.audience.refused], [false, []]);
  assertNoPageErrors(page);
  await page.context().close();
});

async function kateClient() {
  const client = stack.client();
  await client.signIn(...KATE);
  return client;
}

test('a photo redacted the old way reaches no family; the managers\' to-do leads to it and covering it gives it back', async () => {
  const mediaId = stack.sql("SELECT id FROM media WHERE redacted_sha256 IS NOT NULL ORDER BY created_at LIMIT 1");
  stack.sql(`UPDATE media SET redaction = 'mosaic', redaction_regions = '[]' WHERE id = '${mediaId}'`);
  const avaFamily = stack.client();
  assert.equal((await avaFamily.signIn(...PARENT_A)).status, 200);
  assert.equal((await avaFamily.get(`/api/v1/media/${mediaId}/display`)).status, 404, 'Ava\'s family gets none of it');

  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('link', { name: /1 photo to hide again/ }).click();
  await page.getByRole('heading', { name: 'Photos to hide again', level: 1 }).waitFor();
  await page.getByText('1 photo to mark again.').waitFor();
  await page.getByRole('button', { name: /Redact/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Obscure children in this photo' });
  await dialog.getByTestId('mark-again').waitFor();
  await dialog.getByLabel('Left (%)').fill('50');
  await dialog.getByLabel('Top (%)').fill('10');
  await dialog.getByLabel('Width (%)').fill('40');
  await dialog.getByLabel('Height (%)').fill('60');
  await dialog.getByRole('button', { name: 'Add area' }).click();
  await dialog.getByRole('button', { name: 'Redact photo' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('Hidden again in grey.').waitFor();
  await page.getByText('Nothing to hide again').waitFor();
  assert.equal(stack.sql(`SELECT redaction FROM media WHERE id = '${mediaId}'`), 'cover');
  assert.equal((await avaFamily.get(`/api/v1/media/${mediaId}/display`)).status, 200, 'covered: Ava\'s family has it back');
  await checkScreen(page, 'redactions-done');
  assertNoPageErrors(page);
});

test('an upload pauses when the network drops halfway and resumes where it stopped', async () => {
  const page = await openPage(browser, stack, TABLET);
  const context = page.context();
  await page.clock.install();  // the uploader's retries and its restart of a paused upload run on it
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/entries/new/form');
  await page.getByLabel('Title').fill('Noise');
  await page.getByLabel('Ava Ahmed').check();

  const requests = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/uploads')) requests.push(r.method()); });
  // The second 8 MiB piece meets a dead network: the tablet has gone offline.
  let patches = 0;
  let dropped;
  const droppedNow = new Promise((resolve) => { dropped = resolve; });
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() === 'PATCH' && ++patches === 2) {
      await context.setOffline(true);
      await route.abort('internetdisconnected');
      dropped();
      return;
    }
    await route.continue();
  });
  await page.locator('input[type=file]').setInputFiles(bigPhoto);
  await droppedNow;
  const item = page.locator('.upload-item');
  const paused = item.getByText(/^Paused — waiting for the network\. It will resume by itself\. \(\d+% sent\)$/);
  await paused.waitFor();
  // It stays paused while offline, keeping the first piece: 20 s on the page's clock would see
  // every retry of the uploader's (0, 1, 3, 5 and 10 s apart) and is short of its own restart 30 s
  // after the pause. Every status it shows meanwhile is kept; the requests are counted below.
  await watchUploads(page);
  await page.clock.runFor(20000);
  await paused.waitFor();
  const meanwhile = await page.evaluate(() => globalThis.uploadLog);
  assert.ok(meanwhile.every((line) => line.startsWith('Paused — waiting for the network.')), meanwhile.join('\n'));
  assert.ok(!requests.includes('HEAD') && requests.filter((m) => m === 'PATCH').length === 2, `nothing sent offline: ${requests.join(' ')}`);
  const firstPiece = Math.floor(((8 << 20) / fs.statSync(bigPhoto).size) * 100);
  const shown = await item.locator('progress').evaluate((p) => p.value);
  assert.ok(shown >= firstPiece && shown < 100, `paused at ${shown}%, first piece is ${firstPiece}%`);
  assert.match(await paused.textContent(), new RegExp(`\\(${shown}% sent\\)`));
  await context.setOffline(false);
  await item.getByText('Ready', { exact: true }).waitFor({ timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('.upload-item img.upload-thumb')?.getAttribute('src').endsWith('/thumbnail'));
  // One upload, asked where it stood (HEAD) and carried on from there: three pieces sent,
  // plus the one that was cut.
  assert.equal(requests.filter((m) => m === 'POST').length, 1, requests.join(' '));
  assert.ok(requests.includes('HEAD'), requests.join(' '));
  assert.equal(requests.filter((m) => m === 'PATCH').length, 4, requests.join(' '));
  const id = (await item.locator('img.upload-thumb').getAttribute('src')).split('/')[4];
  const media = (await (await kateClient()).get(`/api/v1/media/${id}`)).json.media;
  assert.deepEqual([media.width, media.height, media.state], [6000, 4000, 'ready']);
  assertNoPageErrors(page);
  await context.close();
});

test('amending: a child without photo consent cannot be tagged; the refusal shows beside the photo', async () => {
  const kate = await kateClient();
  const entry = (await kate.post('/api/v1/entries', {
    kind: 'observation', status: 'journal', title: 'Painting', body: 'Painting with big brushes at the easel.', next_steps: '',
    observed_on: '2026-01-05', child_ids: [ids.ava, ids.cara], aspect_ids: [] })).json.entry;
  const page = await openPage(browser, stack);
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`/staff/entries/${entry.id}`);
  await page.getByRole('button', { name: 'Amend this entry' }).click();
  await page.locator('input[type=file]').setInputFiles(photo);
  const item = page.locator('.upload-item');
  await item.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  assert.equal(await item.getByLabel('Cara Clark').isChecked(), false, 'a child without photo consent is not ticked by default');
  await item.getByText('no photo consent').waitFor();
  await item.getByLabel('Cara Clark').check();
  await item.getByText('Cara has no consent to photos in the journal, so cannot be tagged as this photo is. If Cara is in it, obscure Cara (Redact); if not, untick Cara.').waitFor();
  await item.getByText('Seen by: Ava’s family.').waitFor();
  const mediaId = (await item.locator('img.upload-thumb').getAttribute('src')).split('/')[4];

  // A refusal is placed beside the photo by its details (the item and the children without
  // consent), whatever its message says: here one that names nobody.
  const isEntry = (url) => url.pathname === `/api/v1/entries/${entry.id}`;
  await page.route(isEntry, (route) => (route.request().method() !== 'PATCH' ? route.continue() : route.fulfill({
    status: 422,
    json: { error: 'no_photo_consent', message: 'The box would not save this photo as it is tagged.', field: 'media',
      details: { media_id: mediaId, child_ids: [ids.cara] } },
  })));
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await item.getByRole('alert').getByText('The box would not save this photo as it is tagged.').waitFor();
  await page.locator('.form-error').getByText(/See the photo marked below/).waitFor();
  assert.equal(await item.getByLabel('Cara Clark').getAttribute('aria-invalid'), 'true');
  assert.equal(await item.getByLabel('Ava Ahmed').getAttribute('aria-invalid'), null);
  await page.unroute(isEntry);
  // The box itself refuses (422 no_photo_consent) with those details; its message, naming
  // Cara, shows beside the photo as it is.
  const refusal = page.waitForResponse((r) => isEntry(new URL(r.url())) && r.request().method() === 'PATCH');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  const refused = await refusal;
  assert.equal(refused.status(), 422);
  const body = await refused.json();
  assert.equal(body.error, 'no_photo_consent');
  assert.equal(body.details.media_id, mediaId);
  assert.deepEqual(body.details.child_ids, [ids.cara]);
  await item.getByRole('alert').getByText(/Cara Clark has no consent to photos/).waitFor();
  assert.equal(await item.getByLabel('Cara Clark').getAttribute('aria-invalid'), 'true');
  await checkScreen(page, 'media-amend-refused');
  await item.getByLabel('Cara Clark').uncheck();
  assert.equal(await item.getByRole('alert').count(), 0);
  assert.equal(await item.getByLabel('Cara Clark').getAttribute('aria-invalid'), null);
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await page.getByText('Saved. The previous version is kept.').waitFor();
  await page.getByRole('button', { name: 'Open Photo of Ava' }).waitFor();
  const [saved] = (await kate.get(`/api/v1/entries/${entry.id}`)).json.entry.media;
  assert.deepEqual(saved.child_ids, [ids.ava]);
  assertNoPageErrors(page);
  await page.context().close();
});

test('the family sees the photo in the feed and opens it in the lightbox', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, ...PARENT_A);
  await page.getByRole('heading', { name: /Ava’s journal/ }).waitFor();
  const card = page.locator('.feed-list > li', { hasText: 'Building a den' });
  const thumb = card.getByRole('button', { name: 'Open Photo of Ava' });
  await thumb.waitFor();
  // The photo the card's full width (issue 22): the thumbnail, or the display copy where wider.
  const img = card.locator('.photo-large img');
  await img.evaluate((i) => i.decode());
  assert.equal(await img.getAttribute('alt'), 'Photo of Ava', 'only their own child is named');
  assert.match(await img.getAttribute('src'), /\/thumbnail$/);
  assert.match(await img.getAttribute('srcset'), /\/thumbnail 400w, \/api\/v1\/media\/[0-9a-f]{32}\/display 1200w$/);
  assert.deepEqual([await img.getAttribute('width'), await img.getAttribute('height')], ['1200', '800']);
  await checkScreen(page, 'media-family-feed');
  await thumb.click();
  const lightbox = page.getByRole('dialog', { name: 'Photo of Ava' });
  await lightbox.waitFor();
  assert.match(await lightbox.locator('img').getAttribute('src'), /\/display$/);
  await lightbox.locator('img').evaluate((i) => i.decode());
  await checkScreen(page, 'media-lightbox');
  await page.keyboard.press('Escape');
  await lightbox.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Open Photo of Ava', 'focus returns to the thumbnail');
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('Ben') && !text.includes('Cara'), `no other child is named: ${text}`);
  assertNoPageErrors(page);
  await page.context().close();

  // Ben's family sees it too (Ava may appear in other journals), as the redacted copy.
  const other = await openPage(browser, stack);
  await signIn(other, ...PARENT_B);
  await other.getByRole('button', { name: 'Open Photo of Ben' }).waitFor();
  assertNoPageErrors(other);
  await other.context().close();
});

test('a parent adds a photo from home; staff see it and approve it into the journal', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, ...PARENT_A);
  await page.getByRole('heading', { name: /Ava’s journal/ }).waitFor();
  await page.goto('/journal/home');
  await page.getByLabel('What happened').fill('Painting at home');
  assert.equal(await page.locator('input[type=file]').getAttribute('accept'), 'image/*,video/*');
  await page.locator('input[type=file]').setInputFiles(photo);
  await page.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.upload-item input[type=checkbox]').count(), 0, 'families do not tag');
  await checkScreen(page, 'media-home-upload');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  await page.getByText(/is waiting for staff to approve it/).waitFor();
  assertNoPageErrors(page);
  await page.context().close();

  const staff = await openPage(browser, stack, TABLET);
  await signIn(staff, ...KATE);
  await staff.getByRole('heading', { name: /Hello/ }).waitFor();
  await staff.goto('/staff/contributions');
  const card = staff.locator('ul.cards > li', { hasText: 'Painting at home' });
  await card.getByRole('button', { name: 'Open Photo' }).waitFor();
  await card.locator('.gallery img').evaluate((i) => i.decode());
  await checkScreen(staff, 'media-contribution');
  await card.getByRole('button', { name: 'Approve “Painting at home”' }).click();
  await staff.getByText('“Painting at home” is now in the journal.').waitFor();
  assertNoPageErrors(staff);
  await staff.context().close();

  const parent = stack.client();
  await parent.signIn(...PARENT_A);
  const home = (await parent.get('/api/v1/feed')).json.entries.find((e) => e.title === 'Painting at home');
  assert.equal(home.media.length, 1);
  assert.deepEqual(home.media[0].child_ids, [ids.ava], 'approval tags the child it is about');
});
