// Journal exports (issue 20) in Chromium against the real stack. A parent at phone size
// downloads their child's journal: the button, the progress while the box prepares it, then a
// download link with its size and the date it is kept until. A manager sets the year-end
// reminder in the settings (tablet size); another parent then sees the banner at the top of
// their journal, follows it to the download section, downloads, and the banner is gone. The
// finished zip, fetched as the parent and unzipped, opens as a file:// page in Chromium with
// every network request blocked: one article per entry of the parent's feed for that child,
// every photo decoded. A manager exports one child's journal from the child's page, sets a
// leaving date there, and exports every leaver of a room in one zip from Rooms and children.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSetUpStack, tusUpload, mediaReady, waitFor, repoRoot, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink, PHONE, TABLET } from './browser.mjs';
import { humanMomentDay } from './dates.mjs';

let stack;
let manager;
let browser;
const ids = {};
const PARENT_A = ['parent.a', 'blue whale singing'];   // Ava
const PARENT_B = ['parent.b', 'red kite flying'];      // Ben
const DAY = 24 * 3600 * 1000;

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  const kate = await stack.addUser(manager, 'kate', 'staff', 'green apple orchard');
  const parentA = await stack.addUser(manager, PARENT_A[0], 'parent', PARENT_A[1]);
  const parentB = await stack.addUser(manager, PARENT_B[0], 'parent', PARENT_B[1]);
  ids.parentA = parentA.client;
  ids.parentB = parentB.client;
  const ok = async (promise, what, status = [200, 201]) => {
    const res = await promise;
    assert.ok([status].flat().includes(res.status), `${what}: ${res.status} ${res.text}`);
    return res.json;
  };
  const room = async (name) => (await ok(manager.post('/api/v1/rooms', { name, release_mode: 'live' }), name)).room.id;
  ids.nursery = await room('Nursery');
  ids.reception = await room('Reception');
  const child = async (first, last, roomId) => (await ok(manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: roomId, started_on: '2025-09-01' }), first)).child.id;
  ids.ava = await child('Ava', 'Ahmed', ids.nursery);
  ids.ben = await child('Ben', 'Brown', ids.nursery);
  ids.cara = await child('Cara', 'Clark', ids.reception);
  ids.dan = await child('Dan', 'Dixon', ids.reception);
  ids.eve = await child('Eve', 'Evans', ids.reception);  // stays: not a leaver
  await ok(manager.request('PUT', `/api/v1/children/${ids.ava}/carers/${parentA.id}`), 'link A');
  await ok(manager.request('PUT', `/api/v1/children/${ids.ben}/carers/${parentB.id}`), 'link B');
  for (const id of [ids.ava, ids.ben, ids.cara, ids.dan, ids.eve]) {
    await ok(manager.request('PUT', `/api/v1/children/${id}/consent`,
      { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  }
  for (const parent of [parentA, parentB]) {
    const { version } = await ok(parent.client.get('/api/v1/agreement'), 'agreement');
    await ok(parent.client.post('/api/v1/agreement/accept', { version }), 'accept');
  }

  // Photos drawn by ffmpeg, uploaded by Kate on the setting's tablet, in entries of each kind.
  const photoFile = (name, source) => {
    const file = path.join(stack.root, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', '-q:v', '3', file]);
    return fs.readFileSync(file);
  };
  const photos = [photoFile('a.jpg', 'testsrc=size=640x480'), photoFile('b.jpg', 'testsrc2=size=800x600'),
    photoFile('c.jpg', 'mandelbrot=size=640x480'), photoFile('d.jpg', 'smptebars=size=640x360')];
  let n = 0;
  const upload = async () => {
    const id = await tusUpload(kate.client, photos[n++ % photos.length], { filename: `photo-${n}.jpg` });
    const media = await mediaReady(kate.client, id);
    assert.equal(media.state, 'ready');
    return id;
  };
  const entry = async (title, childIds, photoCount, extra = {}) => {
    const media = [];
    for (let i = 0; i < photoCount; ++i) media.push({ id: await upload(), child_ids: childIds });
    return (await ok(kate.client.post('/api/v1/entries', {
      kind: 'observation', title, body: `${title}. What happened, in a few words.`, observed_on: '2026-05-20',
      child_ids: childIds, aspect_ids: ['eyfs.m.n'], media, ...extra }), title)).entry.id;
  };
  ids.avaEntries = [
    await entry('Ava at the sand tray', [ids.ava], 2, { next_steps: 'Pouring from one cup to another' }),
    await entry('Ava counts the ducks', [ids.ava], 1, { observed_on: '2026-04-02' }),
    await entry('Ava sings a song', [ids.ava], 0, { observed_on: '2026-03-11' }),
    await entry('Tower building with Ben', [ids.ava, ids.ben], 1, { observed_on: '2026-05-01' }),
  ];
  await ok(ids.parentA.post(`/api/v1/entries/${ids.avaEntries[0]}/threads/${ids.ava}`, { body: 'She told us all about it!' }), 'comment');
  await entry('Ben at the water tray', [ids.ben], 1);
  await entry('Cara paints a rainbow', [ids.cara], 1);
  await entry('Dan builds a boat', [ids.dan], 1);
  await entry('Eve reads a story', [ids.eve], 0);
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
const EXPORT_ID = /\/api\/v1\/exports\/(?!reminder$)[^/]+$/;

// A download through nginx as `client` (its session cookie), as bytes.
function fetchBytes(client, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: stack.httpsPort, method: 'GET', path: target, ca: stack.ca, servername: 'localhost', agent: false,
      headers: { host: `localhost:${stack.httpsPort}`, cookie: `__Host-nestbox=${client.cookie}`, ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The names in a zip file (python3's zipfile: no other tool needed).
function zipNames(file) {
  return JSON.parse(execFileSync('python3', ['-c',
    'import json, sys, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' }));
}

// Waits until `client`'s export `id` has finished (ready, failed, ...); returns it.
async function finished(client, id, timeoutMs = 120000) {
  let current;
  await waitFor(async () => {
    const res = await client.get(`/api/v1/exports/${id}`);
    assert.equal(res.status, 200, res.text);
    current = res.json.export;
    return !['queued', 'running'].includes(current.state);
  }, `export ${id} to finish`, timeoutMs, 250);
  return current;
}

// Checks the shape of an export as the API gives it (the contract the screens rely on).
function assertExportShape(e) {
  for (const key of ['id', 'state', 'children', 'room', 'progress', 'bytes', 'created_at', 'finished_at', 'expires_at', 'error', 'download']) {
    assert.ok(key in e, `export has ${key}: ${JSON.stringify(e)}`);
  }
  assert.ok(['queued', 'running', 'ready', 'failed', 'cancelled', 'expired'].includes(e.state), e.state);
  assert.ok(Array.isArray(e.children) && e.children.every((c) => typeof c.id === 'string' && typeof c.name === 'string'));
  assert.equal(typeof e.progress.done, 'number');
  assert.equal(typeof e.progress.total, 'number');
}

test('a parent at phone size downloads their child’s journal: progress while it is prepared, then the link', async () => {
  const page = await openPage(browser, stack, PHONE);
  await page.clock.install();  // the panel asks after an export every second on the page's clock
  await signIn(page, ...PARENT_A);
  await page.getByRole('heading', { name: 'Ava’s journal', level: 1 }).waitFor();
  assert.equal(await page.locator('[data-testid="export-reminder"]').count(), 0, 'no year-end reminder is set');
  // The download is under My account → Downloads and privacy (issue 32), no longer at the feed's foot.
  await page.locator('.feed-foot').getByRole('link', { name: 'Downloads and privacy' }).waitFor();
  assert.equal(await page.locator('nb-export-panel').count(), 0, 'no download panel on the feed');
  await menuLink(page, 'My account');
  await page.getByRole('heading', { name: 'Downloads and privacy', level: 2 }).waitFor();
  const section = page.locator('nb-export-panel');
  await section.getByRole('heading', { name: 'Download your child’s journal' }).waitFor();
  // What the download is, before anyone presses anything; nothing prepared yet.
  assert.match(await text(section), /an offline web page of the whole journal, a PDF to print or keep, and the original photos and videos/);
  assert.match(await text(section), /opens without Nestbox and without the internet/);
  await section.locator('.empty', { hasText: 'Nothing prepared yet.' }).waitFor();
  await checkScreen(page, 'export-family-empty');

  // The box's answers about the export are held back while the progress is looked at.
  let release;
  const held = new Promise((r) => { release = r; });
  const polled = [];
  const exportUrl = (url) => EXPORT_ID.test(url.pathname);
  const answered = [];
  await page.route(exportUrl, (route) => {
    polled.push(route.request().url());
    // A poll sent just as the route is removed may be answered by the default handling.
    const answer = held.then(() => route.continue()).catch((e) => { if (!/already handled/.test(e.message)) throw e; });
    answered.push(answer);
    return answer;
  });
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/exports');
  await section.getByRole('button', { name: 'Download Ava’s journal' }).click();
  const response = await posted;
  assert.equal(response.status(), 202);
  const made = (await response.json()).export;
  assertExportShape(made);
  assert.deepEqual(made.children.map((c) => c.id), [ids.ava]);
  assert.equal(made.room, null);

  const item = section.locator(`li.export-item[data-export="${made.id}"]`);
  // The export names the child as the box does (the contract leaves first or full name to it).
  const avaName = made.children[0].name;
  assert.match(avaName, /^Ava( Ahmed)?$/);
  const progress = item.getByRole('progressbar', { name: `Preparing ${avaName}’s journal`, exact: true });
  await progress.waitFor();
  assert.match(await text(item.locator('.export-progress')),
    /^(Waiting to start…|(Gathering the entries, photos and videos|Making the PDF|Packing the zip file)(: \d+ of \d+|…)|Starting…)$/);
  assert.match(await text(item.locator('.tag')), /^(Waiting to start|Being prepared)$/);
  await section.locator('.notice', { hasText: `Preparing ${avaName}’s journal: the download link appears below when it is ready.` }).waitFor();
  // Pressed again while it is prepared: the button says it is busy and nothing else is asked.
  const again = section.getByRole('button', { name: 'Download Ava’s journal' });
  assert.equal(await again.getAttribute('aria-disabled'), 'true');
  // The page's clock a second on: the panel's one-second timer is then due and asks after the
  // export (fastForward fires it whatever real time has passed meanwhile).
  await page.clock.fastForward(1000);
  await waitFor(() => polled.length >= 1, 'the page to ask after the export');
  assert.ok(polled.length >= 1, 'the page asks after the export every second');
  await checkScreen(page, 'export-family-progress');

  // Every progress the page shows from now on, to check it moved on to the link.
  await page.evaluate(() => {
    globalThis.exportLog = [];
    new MutationObserver(() => {
      const li = document.querySelector('li.export-item');
      const line = `${li?.dataset.state} | ${li?.querySelector('.export-progress')?.textContent.replace(/\s+/g, ' ').trim() ?? '-'}`;
      if (globalThis.exportLog.at(-1) !== line) globalThis.exportLog.push(line);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  release();
  await Promise.all(answered);
  await page.unroute(exportUrl);

  const link = item.getByRole('link', { name: /^Download Ava( Ahmed)?’s journal \(zip, \d+(\.\d)? (KB|MB|GB)\)$/ });
  await link.waitFor({ timeout: 120000 });
  const ready = (await ids.parentA.get(`/api/v1/exports/${made.id}`)).json.export;
  assertExportShape(ready);
  assert.equal(ready.state, 'ready');
  assert.equal(await link.getAttribute('href'), `/api/v1/exports/${made.id}/download`);
  assert.equal(ready.download, `/api/v1/exports/${made.id}/download`);
  assert.equal(await link.getAttribute('download'), '');
  assert.ok(ready.bytes > 0);
  // Kept for 7 days, and the page says until when.
  const kept = Date.parse(ready.expires_at) - Date.parse(ready.finished_at ?? ready.created_at);
  assert.ok(kept > 6.9 * DAY && kept <= 7 * DAY + 3600e3, `kept for ${kept / DAY} days`);
  const until = humanMomentDay(ready.expires_at);
  await item.getByText(`Available until ${until}.`).waitFor();
  assert.equal(await text(item.locator('.tag')), 'Ready to download');
  await section.locator('.notice', { hasText: `${avaName}’s journal is ready to download.` }).waitFor();
  assert.equal(await again.getAttribute('aria-disabled'), 'false');
  const log = await page.evaluate(() => globalThis.exportLog);
  assert.equal(log.at(-1), 'ready | -', log.join(' / '));
  // The list is the parent's own exports, newest first.
  const mine = (await ids.parentA.get('/api/v1/exports')).json.exports;
  assert.deepEqual(mine.map((e) => e.id), [made.id]);
  assert.equal(await section.locator('li.export-item').count(), 1);
  await checkScreen(page, 'export-family-ready');
  assertNoPageErrors(page);
  await page.context().close();
});

test('the year-end reminder: a manager sets the date in the settings, the parent sees the banner until they download', async () => {
  const managerPage = await openPage(browser, stack, TABLET);
  await signIn(managerPage, 'manager', MANAGER_PASSWORD);
  await managerPage.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(managerPage, 'Setting');
  const group = managerPage.getByRole('group', { name: 'Year-end reminder to families' });
  await group.waitFor();
  assert.match(await text(group), /Each year from this date, families are asked to download their child’s journal/);
  const month = group.getByLabel('Month', { exact: true });
  const day = group.getByLabel('Day', { exact: true });
  // Off until a manager chooses a date: no family is reminded.
  assert.equal(await month.inputValue(), '');
  assert.deepEqual((await ids.parentB.get('/api/v1/exports/reminder')).json.reminder, { due: false, since: null });
  // A date that does not come every year is refused beside the field, before anything is sent.
  await month.selectOption({ label: 'February' });
  await day.selectOption({ label: '30' });
  await managerPage.getByRole('button', { name: 'Save setting' }).click();
  await managerPage.locator('#setting-export_reminder_on-error', { hasText: 'There is no 30 February: choose another day.' }).waitFor();
  assert.equal(await month.getAttribute('aria-invalid'), 'true');
  assert.equal(await managerPage.evaluate(() => document.activeElement?.id), 'setting-export_reminder_on');
  await checkScreen(managerPage, 'settings-export-reminder-error');
  // The first of January has come every year: the reminder is due at once.
  await month.selectOption({ label: 'January' });
  await day.selectOption({ label: '1' });
  await managerPage.getByRole('button', { name: 'Save setting' }).click();
  await managerPage.locator('.notice', { hasText: /^Saved\./ }).waitFor();
  assert.equal((await manager.get('/api/v1/settings')).json.setting.export_reminder_on, '01-01');
  await managerPage.reload();
  await group.waitFor();
  assert.equal(await month.inputValue(), '01');
  assert.equal(await day.inputValue(), '01');
  await checkScreen(managerPage, 'settings-export-reminder');
  assertNoPageErrors(managerPage);
  await managerPage.context().close();

  const reminder = (await ids.parentB.get('/api/v1/exports/reminder')).json.reminder;
  assert.equal(reminder.due, true, JSON.stringify(reminder));
  assert.match(reminder.since, /^\d{4}-01-01$/);

  const page = await openPage(browser, stack, PHONE);
  await signIn(page, ...PARENT_B);
  await page.getByRole('heading', { name: 'Ben’s journal', level: 1 }).waitFor();
  const banner = page.getByTestId('export-reminder');
  await banner.waitFor();
  assert.match(await text(banner), /^It’s the end of the year: download this year’s journal\./);
  // At the top of the journal, above the entries (once they have loaded: the banner may come first).
  await page.locator('ul[aria-label="Journal entries"]').waitFor();
  const above = await page.evaluate(() => {
    const b = document.querySelector('[data-testid="export-reminder"]').getBoundingClientRect().top;
    const entries = document.querySelector('ul[aria-label="Journal entries"]').getBoundingClientRect().top;
    return b < entries;
  });
  assert.ok(above, 'the banner is above the entries');
  await checkScreen(page, 'export-reminder-banner');
  // The link leads to My account → Downloads and privacy, the focus on its heading (issue 32).
  await banner.getByRole('link', { name: 'Download the journal' }).click();
  await page.waitForURL((url) => url.pathname === '/account/sessions' && url.hash === '#downloads');
  await page.getByRole('heading', { name: 'Download your child’s journal' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'downloads-title');
  assert.ok(await page.getByRole('heading', { name: 'Downloads and privacy' }).isVisible());

  await page.getByRole('button', { name: 'Download Ben’s journal' }).click();
  const link = page.getByRole('link', { name: /^Download Ben( Brown)?’s journal \(zip, / });
  await link.waitFor({ timeout: 120000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = path.join(stack.root, 'ben.zip');
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved).subarray(0, 4).toString('binary'), 'PK\u0003\u0004');
  assert.match(download.suggestedFilename(), /\.zip$/);
  // The reminder ends once the box has sent the file: back on the journal, no banner.
  await waitFor(async () => (await ids.parentB.get('/api/v1/exports/reminder')).json.reminder.due === false,
    'the reminder to end', 20000);
  await menuLink(page, 'Journal');
  await page.getByRole('heading', { name: 'Ben’s journal', level: 1 }).waitFor();
  await page.locator('.feed-foot').waitFor();
  assert.equal(await banner.count(), 0);
  assertNoPageErrors(page);
  await page.context().close();
});

test('the offline journal: the zip opens in Chromium with the network blocked, every entry and every photo there', async () => {
  const exports = (await ids.parentA.get('/api/v1/exports')).json.exports;
  const ready = exports.find((e) => e.state === 'ready' && e.children.length === 1 && e.children[0].id === ids.ava);
  assert.ok(ready, `a ready export of Ava's journal: ${JSON.stringify(exports)}`);

  // Fetched through the API as the parent: a zip, sent as an attachment, in ranges too.
  const res = await fetchBytes(ids.parentA, ready.download);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-disposition'] ?? '', /^attachment/);
  assert.equal(res.body.length, ready.bytes);
  assert.equal(res.body.subarray(0, 4).toString('binary'), 'PK\u0003\u0004');
  const part = await fetchBytes(ids.parentA, ready.download, { range: 'bytes=0-3' });
  assert.equal(part.status, 206);
  assert.equal(part.body.toString('binary'), 'PK\u0003\u0004');
  // Nobody else's.
  assert.equal((await fetchBytes(ids.parentB, ready.download)).status, 404);

  const dir = path.join(stack.root, 'offline');
  fs.mkdirSync(dir);
  const zip = path.join(dir, 'journal.zip');
  fs.writeFileSync(zip, res.body);
  const names = zipNames(zip);
  const folders = [...new Set(names.map((n) => n.split('/')[0]))];
  assert.equal(folders.length, 1, `one child's folder: ${folders}`);
  assert.match(folders[0], /^Ava( Ahmed)? journal$/);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, path.join(dir, 'out')]);
  const journal = path.join(dir, 'out', folders[0]);
  assert.ok(fs.existsSync(path.join(journal, 'index.html')));
  assert.equal(fs.readFileSync(path.join(journal, 'journal.pdf')).subarray(0, 5).toString(), '%PDF-');
  assert.ok(fs.statSync(path.join(journal, 'media')).isDirectory());

  // What the parent's feed has for Ava: every entry, every photo.
  const feed = [];
  for (let cursor = null; ;) {
    const q = new URLSearchParams({ child: ids.ava, limit: '100' });
    if (cursor) q.set('cursor', cursor);
    const page = (await ids.parentA.get(`/api/v1/feed?${q}`)).json;
    feed.push(...page.entries);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  assert.equal(feed.length, ids.avaEntries.length);
  const photos = feed.flatMap((e) => e.media ?? []).filter((m) => m.kind === 'image').length;
  assert.ok(photos >= 4);

  const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB', offline: true });
  const asked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    asked.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const problems = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:')) asked.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(pathToFileURL(path.join(journal, 'index.html')).href);
  assert.equal(await page.locator('article.entry').count(), feed.length);
  const articles = await page.locator('article.entry').allTextContents();
  for (const e of feed) assert.ok(articles.some((a) => a.includes(e.title)), `“${e.title}” is in the offline journal`);
  assert.equal(await page.locator('script').count(), 0);

  // Photos load lazily: make them load now, then check each one decoded.
  const images = await page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('img')];
    for (const img of imgs) img.loading = 'eager';
    return Promise.all(imgs.map(async (img) => {
      img.scrollIntoView();
      try { await img.decode(); } catch { /* reported as 0 below */ }
      return { src: img.getAttribute('src'), width: img.naturalWidth };
    }));
  });
  assert.equal(images.length, photos, JSON.stringify(images));
  for (const img of images) {
    assert.match(img.src, /^media\/[A-Za-z0-9._-]+$/);
    assert.ok(img.width > 0, `${img.src} shows (naturalWidth ${img.width})`);
  }
  assert.deepEqual(asked, [], 'the offline journal asks nothing of the network');
  assert.deepEqual(problems, [], 'no errors on the offline page');
  fs.mkdirSync(path.join(repoRoot, 'tests/artifacts/screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(repoRoot, 'tests/artifacts/screenshots/export-offline-journal-phone.png'), fullPage: true });
  await context.close();
});

test('a manager exports a child’s journal from the child’s page, and every leaver of a room from Rooms and children', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();

  // One child: the same panel, on the child's page.
  await page.goto(`/manage/children/${ids.ava}`);
  await page.getByRole('heading', { name: 'Ava Ahmed', level: 1 }).waitFor();
  const childPanel = page.locator('nb-export-panel');
  await childPanel.getByRole('heading', { name: 'Export the journal' }).waitFor();
  await childPanel.locator('.empty').waitFor();
  await childPanel.getByRole('button', { name: 'Export journal' }).click();
  const childLink = childPanel.getByRole('link', { name: /^Download Ava( Ahmed)?’s journal \(zip, / });
  await childLink.waitFor({ timeout: 120000 });
  await checkScreen(page, 'export-child-ready');
  // Removed at once when it is not wanted: the link goes, and the box no longer serves it.
  const childExport = (await manager.get('/api/v1/exports')).json.exports.find((e) => e.children[0]?.id === ids.ava);
  await childPanel.getByRole('button', { name: /^Delete it now/ }).click();
  await childPanel.locator('.notice', { hasText: /^Deleted the download of Ava( Ahmed)?’s journal\.$/ }).waitFor();
  assert.equal(await childLink.count(), 0);
  assert.notEqual((await fetchBytes(manager, childExport.download)).status, 200);

  // A leaving date set on the child's page (Cara) and over the API (Dan); Eve stays.
  await page.goto(`/manage/children/${ids.cara}`);
  await page.getByRole('heading', { name: 'Cara Clark', level: 1 }).waitFor();
  await page.getByLabel('Leaving date').fill('2027-07-16');
  await page.getByRole('button', { name: 'Save leaving date' }).click();
  await page.locator('.notice', { hasText: 'Leaving date saved: Fri 16 Jul 2027.' }).waitFor();
  assert.equal((await manager.get(`/api/v1/children/${ids.cara}`)).json.child.left_on, '2027-07-16');
  assert.equal((await manager.patch(`/api/v1/children/${ids.dan}`, { left_on: '2026-07-17' })).status, 200);

  await menuLink(page, 'Rooms and children');
  const panel = page.locator('nb-export-panel');
  await panel.getByRole('heading', { name: 'Leavers’ journals' }).waitFor();
  await panel.getByText('Nursery: no child has a leaving date yet.').waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Export all leavers of Nursery' }).count(), 0);
  await panel.getByText('2 children with a leaving date: Cara Clark and Dan Dixon.').waitFor();
  await checkScreen(page, 'export-leavers-empty');
  await panel.getByRole('button', { name: 'Export all leavers of Reception' }).click();
  const link = panel.getByRole('link', { name: /^Download the journals of Reception’s leavers \(zip, / });
  await link.waitFor({ timeout: 120000 });
  await panel.locator('li.export-item', { hasText: '2 children: Cara Clark and Dan Dixon' }).waitFor();
  await checkScreen(page, 'export-leavers-ready');
  assertNoPageErrors(page);
  await page.context().close();

  // The zip: a folder for each leaver of the room, and nobody else's.
  const leavers = (await manager.get('/api/v1/exports')).json.exports.find((e) => e.room?.id === ids.reception);
  assertExportShape(leavers);
  assert.equal(leavers.room.name, 'Reception');
  assert.deepEqual(leavers.children.map((c) => c.id).sort(), [ids.cara, ids.dan].sort());
  const res = await fetchBytes(manager, leavers.download);
  assert.equal(res.status, 200);
  const zip = path.join(stack.root, 'leavers.zip');
  fs.writeFileSync(zip, res.body);
  const folders = [...new Set(zipNames(zip).map((n) => n.split('/')[0]))].sort();
  assert.equal(folders.length, 2, folders.join(', '));
  assert.match(folders[0], /^Cara( Clark)? journal$/);
  assert.match(folders[1], /^Dan( Dixon)? journal$/);
  for (const f of folders) {
    for (const file of ['index.html', 'journal.pdf']) assert.ok(zipNames(zip).includes(`${f}/${file}`), `${f}/${file}`);
  }
});
