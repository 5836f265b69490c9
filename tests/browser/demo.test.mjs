// The living demo (issue 15): the demo setting (scripts/demo-setting.mjs) is made on a fresh
// stack, through the API under the daemon's clock seam, and a second start makes nothing
// twice. Each demo parent then signs in: they see their own children's entries only, and the
// group photo each family receives is the redacted copy — never the original.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Stack } from '../integration/harness.mjs';
import { seedDemo, DEMO } from '../../scripts/demo-setting.mjs';
import { launchBrowser, openPage, checkScreen, signIn, FIRST_PIN, TABLET } from './browser.mjs';

let stack;
let browser;
let first;
let seconds;
const seed = () => seedDemo({ httpsPort: stack.httpsPort, ca: stack.ca, clockFile: stack.clockFile,
  setupCode: stack.daemon.setupCode(), state: stack.root, log: () => {} });
const TABLES = ['users', 'rooms', 'room_release_points', 'children', 'consents', 'child_carers', 'entries', 'entry_versions',
  'entry_audience', 'media', 'media_children', 'comments', 'devices'];
const counts = () => Object.fromEntries(TABLES.map((t) => [t, Number(stack.sql(`SELECT count(*) FROM ${t}`))]));
const childId = (name) => stack.sql(`SELECT id FROM children WHERE first_name = '${name}'`);

before(async () => {
  stack = await Stack.start();
  const started = Date.now();
  first = await seed();
  seconds = (Date.now() - started) / 1000;
  browser = await launchBrowser(stack);
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the demo setting holds six weeks of a living journal, made through the API', (t) => {
  t.diagnostic(`made in ${seconds.toFixed(1)} s (cheap password hashing in tests)`);
  assert.equal(first.created, true);
  const c = counts();
  assert.equal(c.rooms, 3);
  assert.equal(c.children, 12);
  assert.ok(c.entries >= 30, `${c.entries} entries`);
  const kinds = stack.sql("SELECT group_concat(DISTINCT kind) FROM (SELECT kind FROM entries ORDER BY kind)").split(',');
  assert.deepEqual(kinds.sort(), ['home', 'newsletter', 'observation', 'room_post', 'snapshot']);
  const statuses = stack.sql('SELECT group_concat(DISTINCT status) FROM (SELECT status FROM entries ORDER BY status)').split(',');
  assert.deepEqual(statuses.sort(), ['draft', 'journal', 'pending', 'returned', 'staff_only']);
  assert.ok(c.entry_versions >= 2, 'an amended entry keeps its earlier version');
  assert.equal(stack.sql("SELECT group_concat(DISTINCT kind) FROM (SELECT kind FROM media WHERE state = 'ready' ORDER BY kind)"), 'document,image,video');
  assert.equal(stack.sql('SELECT count(*) FROM media WHERE redacted_sha256 IS NOT NULL'), '1');
  // The demo's redacted photo covers its child in one grey (issue 32), its areas kept with it.
  const [sha, width, height, regions] = stack.sql("SELECT redacted_sha256 || '|' || width || '|' || height || '|' || redaction_regions FROM media WHERE redaction = 'cover'").split('|');
  const [area] = JSON.parse(regions);
  assert.ok(area && area.width > 0, `areas kept: ${regions}`);
  const grey = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', path.join(stack.dataDir, 'media/objects', sha.slice(0, 2), sha),
    '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 64 << 20 });
  const values = new Set();
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let x = area.x; x < area.x + area.width; x++) values.add(grey[y * Number(width) + x]);
  }
  assert.ok(Number(height) > 0 && [...values].every((v) => Math.abs(v - 128) <= 1), `one grey over the child: ${[...values].slice(0, 8)}`);
  assert.ok(c.comments >= 3);
  // History under the clock seam: entries spread over six weeks, release dates either side of now.
  const spanDays = Number(stack.sql('SELECT (max(journal_at) - min(journal_at)) / 86400 FROM entries WHERE journal_at IS NOT NULL'));
  assert.ok(spanDays >= 35, `entries over ${spanDays} days`);
  const now = Math.floor(Date.now() / 1000);
  assert.equal(stack.sql(`SELECT count(*) FROM room_release_points WHERE at < ${now}`), '1');
  assert.equal(stack.sql(`SELECT count(*) FROM room_release_points WHERE at > ${now}`), '1');
  assert.equal(stack.sql('SELECT online_journal_opt_out FROM consents WHERE child_id = (SELECT id FROM children WHERE first_name = \'Sofia\')'), '1');
  assert.match(first.enrolment.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
});

test('a second start makes nothing twice, and gives the demo tablet a fresh code', async () => {
  const before = counts();
  const again = await seed();
  assert.equal(again.created, false);
  assert.deepEqual(counts(), before);
  assert.ok(again.enrolment, 'the unused demo tablet gets a new code');
  assert.notEqual(again.enrolment.code, first.enrolment.code);
  assert.equal(stack.sql("SELECT count(*) FROM devices WHERE name = 'Demo tablet'"), '1');
});

for (const parent of DEMO.parents) {
  test(`${parent.username} sees only their own children, and the group photo only as its redacted copy`, async () => {
    const own = new Set(parent.children.map(childId));
    const page = await openPage(browser, stack);
    await signIn(page, parent.username, parent.password);
    await page.getByText('Boats at the water tray').first().waitFor();
    await checkScreen(page, `demo-feed-${parent.username.replace('.', '-')}`);
    // What the page itself was given: every entry names only this family's children.
    const feed = await page.evaluate(async () => (await (await fetch('/api/v1/feed?limit=100')).json()).entries);
    assert.ok(feed.length >= 8, `${feed.length} entries`);
    for (const e of feed) {
      for (const id of [...e.child_ids, ...e.recipient_child_ids]) assert.ok(own.has(id), `${e.title} names another child`);
    }
    const group = feed.find((e) => e.title === 'Boats at the water tray');
    assert.equal(group.media.length, 1);
    const bytesHash = await page.evaluate(async (id) => {
      const bytes = await (await fetch(`/api/v1/media/${id}/original`)).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    }, group.media[0].id);
    const [redacted, original] = stack.sql(`SELECT redacted_sha256 || '|' || COALESCE(sha256, '') FROM media WHERE id = '${group.media[0].id}'`).split('|');
    assert.equal(bytesHash, redacted);
    assert.notEqual(bytesHash, original);
    await page.context().close();
  });
}

test('the demo’s practitioners choose a PIN at their first sign-in on a tablet, then switch with it', async () => {
  const page = await openPage(browser, stack, TABLET);
  const [kate, tom] = DEMO.staff;
  // The demo's own tablet, with the fresh code a start gives it.
  const { enrolment } = await seed();
  await page.goto(`/enrol#code=${enrolment.code}`);
  await page.getByRole('button', { name: 'Register this tablet' }).click();
  await page.getByRole('heading', { name: 'Tablet registered' }).waitFor();
  for (const person of [kate, tom]) {
    assert.equal(stack.sql(`SELECT pin_hash IS NULL FROM users WHERE username = '${person.username}'`), '1');
    await signIn(page, person.username, person.password);  // and the PIN step (choosePin)
    await page.getByRole('heading', { name: /Hello/ }).waitFor();
    assert.equal(stack.sql(`SELECT pin_hash IS NOT NULL FROM users WHERE username = '${person.username}'`), '1');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Who is using the tablet?' }).waitFor();
  }
  await page.getByRole('button', { name: kate.name }).click();
  await page.getByLabel('PIN').fill(FIRST_PIN);
  await page.getByRole('button', { name: 'Switch to me' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.context().close();
});
