// Media screens in Chromium against the real stack: staff attach a photo (with progress that
// survives a network drop), tag children, see which families will see it and the consent
// warning, redact the child without consent; the family sees the thumbnail and the lightbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startSetUpStack } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, TABLET } from './browser.mjs';

let stack;
let manager;
let browser;
const ids = {};
let photo;

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  ids.kate = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).id;
  const parentA = await stack.addUser(manager, 'parent.a', 'parent', 'blue whale singing');
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  const child = async (first, last) => (await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  await manager.request('PUT', `/api/v1/children/${ids.ava}/carers/${parentA.id}`);
  await manager.request('PUT', `/api/v1/children/${ids.ava}/consent`, { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } });
  // Ben may be in his own journal's photos, but not in other children's.
  await manager.request('PUT', `/api/v1/children/${ids.ben}/consent`, { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } });
  const agreement = (await parentA.client.get('/api/v1/agreement')).json;
  await parentA.client.post('/api/v1/agreement/accept', { version: agreement.version });
  photo = path.join(stack.root, 'den.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1600x1200', '-frames:v', '1', '-q:v', '2', photo]);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('staff attach a photo, tag children, are warned about consent, redact, and save', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'kate', 'green apple orchard');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/entries/new');
  await page.getByLabel('Title').fill('Building a den');
  await page.locator('#entry-body').fill('Ava and Ben built a den from blankets.');
  await page.getByLabel('Ava Ahmed').check();
  await page.getByLabel('Ben Brown').check();

  // The network drops in the middle of the upload; it pauses and carries on by itself.
  await page.locator('input[type=file]').setInputFiles(photo);
  await page.context().setOffline(true);
  await page.waitForTimeout(300);
  await page.context().setOffline(false);
  await page.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  await page.locator('.upload-thumb[src*="/thumbnail"]').waitFor();

  const item = page.locator('.upload-item');
  await item.getByLabel('Ava Ahmed').waitFor();
  assert.equal(await item.getByLabel('Ava Ahmed').isChecked(), true);  // the entry's children by default
  assert.equal(await item.getByLabel('Ben Brown').isChecked(), true);
  await item.getByText(/Ben may not appear in other children's journals: Ava's family will not see this/).waitFor();
  await item.getByText('Seen by the family of Ben.').waitFor();
  await checkScreen(page, 'media-attach');

  await item.getByRole('button', { name: /Redact/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Obscure children in this photo' });
  await dialog.waitFor();
  const canvas = dialog.locator('.redact-canvas');
  await canvas.locator('img').evaluate((img) => img.decode());
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await dialog.getByText(/Area 1:/).waitFor();
  // Typed areas work without a pointer.
  await dialog.getByLabel('Left').fill('5');
  await dialog.getByLabel('Top').fill('5');
  await dialog.getByLabel('Width').fill('10');
  await dialog.getByLabel('Height').fill('10');
  await dialog.getByRole('button', { name: 'Add area' }).click();
  await dialog.getByText(/Area 2:/).waitFor();
  await dialog.getByLabel('Ben Brown').check();
  await checkScreen(page, 'media-redact');
  await dialog.getByRole('button', { name: 'Redact photo' }).click();
  await dialog.waitFor({ state: 'detached' });
  await item.getByText('Seen by the families of Ava and Ben.').waitFor();
  assert.equal(await item.getByText(/may not appear/).count(), 0);

  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByRole('heading', { name: 'Building a den' }).waitFor();
  await page.locator('.gallery img').first().waitFor();
  const entryId = new URL(page.url()).pathname.split('/').pop();
  const media = stack.sql(`SELECT redacted_sha256 IS NOT NULL, sha256 IS NULL FROM media WHERE entry_id = '${entryId}'`);
  assert.equal(media, '1|1', 'a redacted copy exists and the unredacted original is gone');
  assertNoPageErrors(page);
  await page.context().close();
});

test('the family sees the photo in the feed and opens it in the lightbox', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'parent.a', 'blue whale singing');
  await page.getByRole('heading', { name: /Ava’s journal/ }).waitFor();
  const thumb = page.getByRole('button', { name: 'Open Photo of Ava' });
  await thumb.waitFor();
  await page.locator('.gallery img').evaluate((img) => img.decode());
  await checkScreen(page, 'media-family-feed');
  await thumb.click();
  const lightbox = page.getByRole('dialog', { name: 'Photo of Ava' });
  await lightbox.waitFor();
  await lightbox.locator('img').evaluate((img) => img.decode());
  await checkScreen(page, 'media-lightbox');
  await page.keyboard.press('Escape');
  await lightbox.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Open Photo of Ava');
  assertNoPageErrors(page);
  await page.context().close();
});

test('a parent adds a photo from home; it waits for staff approval', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'parent.a', 'blue whale singing');
  await page.getByRole('heading', { name: /Ava’s journal/ }).waitFor();
  await page.goto('/journal/home');
  await page.getByLabel('What happened').fill('Painting at home');
  await page.locator('input[type=file]').setInputFiles(photo);
  await page.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  await checkScreen(page, 'media-home-upload');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  await page.getByText(/is waiting for staff to approve it/).waitFor();
  assert.equal(stack.sql("SELECT count(*) FROM media m JOIN entries e ON e.id = m.entry_id WHERE e.kind = 'home' AND e.status = 'pending'"), '1');
  assertNoPageErrors(page);
  await page.context().close();
});
