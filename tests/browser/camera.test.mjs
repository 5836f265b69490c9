// The box camera capture station in Chromium against the real stack, with the test camera
// (camera = files:DIR: the box "films" the JPEGs in DIR in turn). Staff on a registered
// tablet open "Capture artwork" from a new entry, see the live picture, take a photo and
// close; the still joins the entry's media as an upload would (processed, the entry's child
// ticked by default unless the box refuses them, who sees it), the entry is saved and the
// child's family sees the photo. Another tablet is told who has the camera. The camera stops
// when a manager stops it, after a minute without a touch (a touch keeps it on), when it is
// unplugged and when the screen goes away; the screen says why and starts it again. With no
// camera the screen says so. Starting, stopping (with why) and stills are audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSetUpStack, waitFor } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, assertAccessible, signIn, assertNoPageErrors, TABLET, PHONE } from './browser.mjs';

let stack;
let manager;
let browser;
let frames;     // the test camera's pictures
let unplugged;  // where they go while the camera is "unplugged"
const ids = {};

const KATE = ['kate', 'green apple orchard'];
const LIAM = ['liam', 'purple heron wading'];
const PARENT_A = ['parent.a', 'blue whale singing'];
const TITLE = 'Painting the rainbow';

before(async () => {
  frames = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-camera-'));
  unplugged = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-camera-unplugged-'));
  // Three different pictures, so each frame differs from the one before.
  const picture = (name, source) => execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', source,
    '-frames:v', '1', '-q:v', '3', path.join(frames, name)]);
  picture('a.jpg', 'testsrc2=size=1280x720');
  picture('b.jpg', 'color=c=orange:size=1280x720,drawbox=x=200:y=150:w=500:h=300:color=blue@1:t=fill');
  picture('c.jpg', 'color=c=teal:size=1280x720,drawbox=x=640:y=300:w=400:h=300:color=yellow@1:t=fill');

  ({ stack, manager } = await startSetUpStack({ extraConfig: `camera = files:${frames}` }));
  browser = await launchBrowser(stack);
  ids.kate = (await stack.addUser(manager, KATE[0], 'staff', KATE[1])).id;
  ids.liam = (await stack.addUser(manager, LIAM[0], 'staff', LIAM[1])).id;
  const parentA = await stack.addUser(manager, PARENT_A[0], 'parent', PARENT_A[1]);
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  const child = async (first, last) => (await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  await manager.request('PUT', `/api/v1/children/${ids.ava}/carers/${parentA.id}`);
  const consent = async (id, own, other) => assert.equal((await manager.request('PUT', `/api/v1/children/${id}/consent`,
    { body: { own_journal_photos: own, other_journals: other, online_journal_opt_out: false } })).status, 200);
  await consent(ids.ava, true, true);
  await consent(ids.ben, false, false);  // no photos of Ben
  const agreement = (await parentA.client.get('/api/v1/agreement')).json;
  await parentA.client.post('/api/v1/agreement/accept', { version: agreement.version });
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  for (const dir of [frames, unplugged]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function kateClient() {
  const client = stack.client();
  await client.signIn(...KATE);
  return client;
}

// The camera's state as a manager sees it (GET /camera).
async function cameraState() {
  const res = await manager.get('/api/v1/camera');
  assert.equal(res.status, 200, res.text);
  return res.json.camera;
}

async function waitForNoSession() {
  await waitFor(async () => (await cameraState()).session === null, 'the camera to be given back', 15000, 50);
}

// Moves the box's clock on, then waits for a frame the page asks for after the move: the box
// has seen, at its new time, that the screen is still there. Only requests held by a route
// set up after the move count: each reaches the box when it is let through.
async function advanceBoxClockWithFrame(page, seconds) {
  stack.advanceClock(seconds);
  const asked = new Set();
  const preview = '**/api/v1/camera/preview';
  const letThrough = (route) => { asked.add(route.request()); return route.continue(); };
  await page.route(preview, letThrough);
  await page.waitForResponse((r) => asked.has(r.request()));
  await page.unroute(preview, letThrough);
}

// Why each preview stopped, oldest first, as audited.
function stopReasons() {
  const rows = stack.sql("SELECT detail FROM audit_log WHERE event = 'NBX_CAMERA_PREVIEW_STOPPED' ORDER BY seq");
  return rows ? rows.split('\n').map((row) => JSON.parse(row).reason) : [];
}

function cameraEvents() {
  return stack.sql("SELECT event FROM audit_log WHERE event LIKE 'NBX_CAMERA_%' ORDER BY seq").split('\n').filter(Boolean);
}

// A staff member's new entry with the capture screen open and the camera running.
async function openCapture(page, who) {
  await signIn(page, ...who);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/entries/new/form');
  await page.getByLabel('Title').fill(TITLE);
  await page.getByRole('button', { name: 'Capture artwork with the box camera' }).click();
  const dialog = page.getByRole('dialog', { name: 'Capture artwork with the box camera' });
  await dialog.waitFor();
  return dialog;
}

// The live picture has loaded a frame of the box camera.
async function waitForPicture(page) {
  await page.waitForFunction(() => {
    const img = document.querySelector('dialog.camera img.camera-preview');
    return img && img.getAttribute('src').startsWith('blob:') && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 15000 });
  return page.evaluate(() => document.querySelector('dialog.camera img.camera-preview').getAttribute('src'));
}

const LIVE = 'Camera on — the box’s light blinks while it runs. It stops after a minute without a touch.';

test('staff capture artwork with the box camera; the still joins the entry and the family sees it', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, ...KATE);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/entries/new/form');
  await page.getByLabel('Title').fill(TITLE);
  await page.locator('#entry-body').fill('Ava painted a rainbow with big brushes.');
  await page.getByLabel('Ava Ahmed').check();
  await page.getByLabel('Ben Brown').check();

  const firstFrame = page.waitForResponse((r) => r.url().endsWith('/api/v1/camera/preview') && r.status() === 200);
  await page.getByRole('button', { name: 'Capture artwork with the box camera' }).click();
  const dialog = page.getByRole('dialog', { name: 'Capture artwork with the box camera' });
  await dialog.waitFor();
  await dialog.getByText(LIVE).waitFor();
  // Frames come as the camera made them, never cached, and are shown from memory only.
  const frame = await firstFrame;
  assert.equal(frame.headers()['content-type'], 'image/jpeg');
  assert.equal(frame.headers()['cache-control'], 'no-store');
  assert.match(frame.headers()['x-frame-sequence'], /^\d+$/);
  const first = await waitForPicture(page);
  assert.equal(await dialog.getByRole('img', { name: 'Live view from the box camera' }).count(), 1);
  // The picture is live: a newer frame replaces it.
  await page.waitForFunction((before) => {
    const img = document.querySelector('dialog.camera img.camera-preview');
    return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
  }, first);
  const held = (await cameraState()).session;
  assert.equal(held.held_by, 'Name kate');
  assert.equal(held.mine, false, 'the manager is not on the tablet that has it');
  await dialog.getByText(`Camera: ${held.camera}`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Take photo', 'focus on Take photo');
  await checkScreen(page, 'camera-live');

  // Another staff tablet is told who has the camera, in the box's words.
  const other = await openPage(browser, stack);
  const otherDialog = await openCapture(other, LIAM);
  await otherDialog.getByText(`The box camera is in use by Name kate on ${held.device}.`).waitFor();
  await otherDialog.getByRole('button', { name: 'Try again' }).waitFor();
  assert.equal(await otherDialog.locator('img').count(), 0);
  await checkScreen(other, 'camera-in-use');
  await otherDialog.getByRole('button', { name: 'Close' }).click();
  await otherDialog.waitFor({ state: 'detached' });
  assertNoPageErrors(other);
  await other.context().close();
  assert.equal((await cameraState()).session?.held_by, 'Name kate', 'asking did not take it from Kate');

  const capture = page.waitForResponse((r) => r.url().endsWith('/api/v1/camera/capture'));
  await dialog.getByRole('button', { name: 'Take photo' }).click();
  const captured = await capture;
  assert.equal(captured.status(), 201);
  const mediaId = (await captured.json()).media.id;
  await dialog.getByText(/^Photo taken \(1 so far\)\./).waitFor();
  await dialog.getByRole('img', { name: 'Live view from the box camera' }).waitFor();   // take more
  await checkScreen(page, 'camera-taken');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Capture artwork with the box camera',
    'focus back on the button that opened it');
  await waitForNoSession();

  // The still is in the list like an upload: processed, the box's thumbnail, Ava ticked (Ben
  // has no photo consent, so is not), and who will see it.
  const item = page.locator('.upload-item');
  assert.equal(await item.count(), 1);
  await item.locator('.upload-name', { hasText: 'Box camera photo 1' }).waitFor();
  await item.getByText('Ready', { exact: true }).waitFor({ timeout: 30000 });
  await page.waitForFunction((id) => {
    const img = document.querySelector('.upload-item img.upload-thumb');
    return img && img.getAttribute('src') === `/api/v1/media/${id}/thumbnail` && img.complete && img.naturalWidth > 0;
  }, mediaId);
  assert.equal(await item.getByLabel('Ava Ahmed').isChecked(), true);
  assert.equal(await item.getByLabel('Ben Brown').isChecked(), false);
  await item.getByText('no photo consent').waitFor();
  await item.getByText('Seen by: Ava’s family.').waitFor();
  await checkScreen(page, 'camera-still-attached');

  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByRole('heading', { name: TITLE }).waitFor();
  await page.getByRole('button', { name: 'Open Photo of Ava' }).waitFor();
  const entryId = new URL(page.url()).pathname.split('/').pop();
  const [saved, ...rest] = (await (await kateClient()).get(`/api/v1/entries/${entryId}`)).json.entry.media;
  assert.equal(rest.length, 0);
  assert.equal(saved.id, mediaId);
  assert.deepEqual(saved.child_ids, [ids.ava]);
  assert.deepEqual([saved.kind, saved.state, saved.width, saved.height], ['image', 'ready', 1280, 720], 'the camera’s picture');
  assertNoPageErrors(page);
  await page.context().close();

  // Ava's family sees the photo.
  const family = await openPage(browser, stack);
  await signIn(family, ...PARENT_A);
  await family.getByRole('heading', { name: /Ava’s journal/ }).waitFor();
  const card = family.locator('.feed-list > li', { hasText: TITLE });
  await card.getByRole('button', { name: 'Open Photo of Ava' }).waitFor();
  await card.locator('.photo-large img').evaluate((img) => img.decode());
  assert.ok(await card.locator('.photo-large img').evaluate((img) => img.naturalWidth > 0));
  assertNoPageErrors(family);
  await family.context().close();

  assert.deepEqual(cameraEvents(), ['NBX_CAMERA_PREVIEW_STARTED', 'NBX_CAMERA_STILL_CAPTURED', 'NBX_CAMERA_PREVIEW_STOPPED']);
  assert.deepEqual(stopReasons(), ['closed']);
  const still = stack.sql(`SELECT target_type || ':' || target_id FROM audit_log WHERE event = 'NBX_CAMERA_STILL_CAPTURED'`);
  assert.equal(still, `media:${mediaId}`);
});

test('the camera stops by a manager, after a minute untouched and when unplugged; the screen says why and starts it again', async () => {
  const page = await openPage(browser, stack, PHONE);
  await page.clock.install();  // the screen's own timers (touches, at most every 10 s) run on it
  const dialog = await openCapture(page, KATE);
  await dialog.getByText(LIVE).waitFor();
  await waitForPicture(page);
  // One-handed on a phone: the big buttons are on the screen, large enough for a thumb.
  for (const name of ['Take photo', 'Done']) {
    const box = await dialog.getByRole('button', { name }).boundingBox();
    assert.ok(box.height >= 48 && box.width >= 120, `${name}: ${box.width}×${box.height}`);
    assert.ok(box.y + box.height <= PHONE.height, `${name} is on the screen without scrolling`);
  }

  // A manager stops it.
  assert.equal((await manager.delete('/api/v1/camera/session?holder=any')).status, 204);
  await dialog.getByText('A manager stopped the camera.').waitFor();
  assert.equal(await dialog.locator('img').count(), 0, 'the last picture is not left on the screen');
  assert.equal(await dialog.getByRole('button', { name: 'Take photo' }).count(), 0);
  await checkScreen(page, 'camera-stopped');
  await dialog.getByRole('button', { name: 'Start the camera again' }).click();
  await dialog.getByText(LIVE).waitFor();
  await waitForPicture(page);

  // A touch keeps it on: the box hears of touches (at most every 10 s on the page's clock)
  // and counts the minute from the last one. Time moves on the box in steps under the 15 s it
  // allows between frames, each seen by a frame, so only the minute without a touch can stop it.
  await page.clock.fastForward(10500);
  const touch = page.waitForRequest((r) => r.url().endsWith('/api/v1/camera/session/touch') && r.method() === 'POST');
  await dialog.locator('.hint').click();
  assert.equal((await (await touch).response()).status(), 200);
  for (let step = 0; step < 5; ++step) await advanceBoxClockWithFrame(page, 10);
  await dialog.getByText(LIVE).waitFor();
  assert.equal((await cameraState()).session?.held_by, 'Name kate', 'still on 50 s after the touch');
  stack.advanceClock(11);
  await dialog.getByText('The camera stopped after a minute without a touch. Start it again to carry on.').waitFor();
  await dialog.getByRole('button', { name: 'Start the camera again' }).click();
  await dialog.getByText(LIVE).waitFor();
  await waitForPicture(page);

  // Unplugged: the screen says so; with no camera at all, the screen says that and how to fix it.
  for (const name of fs.readdirSync(frames)) fs.renameSync(path.join(frames, name), path.join(unplugged, name));
  await dialog.getByText('The camera was unplugged from the box. Plug it in again, then start the camera.').waitFor();
  await dialog.getByRole('button', { name: 'Start the camera again' }).click();
  await dialog.getByRole('status').getByText(/^No camera is connected to the box\. Plug a USB camera into the box/).waitFor();
  await dialog.getByText('nestboxctl camera status').waitFor();
  assert.equal((await cameraState()).cameras.length, 0);
  await checkScreen(page, 'camera-none');
  for (const name of fs.readdirSync(unplugged)) fs.renameSync(path.join(unplugged, name), path.join(frames, name));
  await dialog.getByRole('button', { name: 'Try again' }).click();
  await dialog.getByText(LIVE).waitFor();
  await waitForPicture(page);
  await assertAccessible(page, 'camera live again');

  // Leaving the screen inside the app (the tablet's back gesture) gives the camera back at once.
  await page.evaluate(() => { history.pushState(null, '', '/staff/journal'); dispatchEvent(new PopStateEvent('popstate')); });
  await waitForNoSession();
  // Leaving the page altogether (closed, reloaded, gone elsewhere): the page's last request
  // may never leave the browser (Chromium aborts it here), so the box frees the camera itself
  // 15 s after the screen last asked for a frame.
  await page.goto('/staff/entries/new/form');
  await page.getByRole('button', { name: 'Capture artwork with the box camera' }).click();
  await page.getByRole('dialog').getByText(LIVE).waitFor();
  await waitForPicture(page);
  await page.goto('/staff/journal');
  stack.advanceClock(16);
  await waitForNoSession();
  assertNoPageErrors(page);
  await page.context().close();

  assert.deepEqual(stopReasons().slice(0, 5), ['closed', 'stopped_by_manager', 'idle', 'unplugged', 'closed']);
  assert.ok(['closed', 'screen_closed'].includes(stopReasons()[5]), `left the page: ${stopReasons()[5]}`);
  const events = cameraEvents();
  assert.equal(events.filter((e) => e === 'NBX_CAMERA_PREVIEW_STARTED').length, 6);
  assert.equal(events.filter((e) => e === 'NBX_CAMERA_STILL_CAPTURED').length, 1);
});
