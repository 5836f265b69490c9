// Journal exports (issue 20) against the real stack: a family exports exactly what it sees
// (every file of the zip scanned, the PDF's text extracted and its photos compared by hash),
// a manager everything of a child, media stored as they are, nginx serving the zip with
// Range, downloads only for the requester, lockdown refusing them, 7-day expiry, audit rows,
// and the year-end reminder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady, waitFor, repoRoot, MANAGER_PASSWORD } from './harness.mjs';

let stack, manager, kate, parentA, parentB, ids, work;

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20, ...options });
const sha = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
const url = (p) => `https://localhost:${stack.httpsPort}${p}`;

function curl(client, args, { binary = false } = {}) {
  const base = ['-sS', '--cacert', path.join(stack.dataDir, 'tls/ca.crt'), '--resolve', `localhost:${stack.httpsPort}:127.0.0.1`];
  const auth = client ? ['-H', `Cookie: __Host-nestbox=${client.cookie}`, '-H', `X-CSRF-Token: ${client.csrf}`] : [];
  return execFileSync('curl', [...base, ...auth, ...args], { encoding: binary ? 'buffer' : 'utf8', maxBuffer: 256 << 20 });
}
// { status, headers } of a GET whose body goes to `out` (or nowhere).
function fetchTo(client, address, out = '/dev/null', extra = []) {
  const text = curl(client, ['-D', '-', '-o', out, ...extra, url(address)]);
  const lines = text.trim().split(/\r?\n\r?\n/).pop().split(/\r?\n/);
  const headers = {};
  for (const line of lines.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return { status: Number(lines[0].split(' ')[1]), headers };
}

function photo(name, colour) {
  const file = path.join(work, name);
  run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=800x600,drawbox=x=0:y=0:w=200:h=200:color=${colour}:t=fill`,
    '-frames:v', '1', '-q:v', '3', file]);
  return fs.readFileSync(file);
}

const objectPath = (hash) => path.join(stack.dataDir, 'media/objects', hash.slice(0, 2), hash);
const displayPath = (hash) => path.join(stack.dataDir, 'media/derived', hash.slice(0, 2), `${hash}.display.jpg`);

async function exportOf(client, body) {
  const res = await client.post('/api/v1/exports', body);
  assert.equal(res.status, 202, res.text);
  const id = res.json.export.id;
  let e;
  await waitFor(async () => {
    e = (await client.get(`/api/v1/exports/${id}`)).json.export;
    return ['ready', 'failed', 'cancelled'].includes(e.state);
  }, 'the export to finish', 120000);
  assert.equal(e.state, 'ready', JSON.stringify(e.error));
  return e;
}

// Downloads and unzips an export; returns { dir, files: [relative paths], zip }.
function unpack(client, e, name) {
  const zip = path.join(work, `${name}.zip`);
  const got = fetchTo(client, e.download, zip);
  assert.equal(got.status, 200);
  assert.equal(got.headers['content-type'], 'application/zip');
  assert.match(got.headers['content-disposition'], /^attachment; filename="Nestbox /);
  assert.equal(fs.statSync(zip).size, e.bytes);
  const dir = path.join(work, name);
  run('python3', ['-m', 'zipfile', '-e', zip, dir]);
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  return { dir, files, zip };
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  work = fs.mkdtempSync(path.join(stack.root, 'exports-'));
  const ok = (res, what) => { if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`); return res.json; };
  ({ kate, parentA, parentB, ids } = await twoFamilies(stack, manager));
  // Keep unredacted originals: Ava's family still gets the group photo whole; Ben's only redacted.
  ok(await manager.patch('/api/v1/settings', { keep_unredacted_originals: true }), 'settings');
  const upload = async (bytes) => { const id = await tusUpload(kate, bytes); assert.equal((await mediaReady(kate, id)).state, 'ready'); return id; };
  ids.group = await upload(photo('group.jpg', 'red'));
  ids.onlyA = await upload(photo('ava.jpg', 'green'));
  ids.onlyB = await upload(photo('ben.jpg', 'blue'));
  const entry = async (body) => ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', ...body }), body.title).entry;
  ids.e1 = (await entry({ title: 'Den building together', body: 'They built a den with crates.', observed_on: '2026-11-20',
    child_ids: [ids.A, ids.B], media: [{ id: ids.group, child_ids: [ids.A, ids.B] }] })).id;
  ids.e2 = (await entry({ title: 'Ava counts conkers', body: 'Counted to twenty.', next_steps: 'Count backwards',
    observed_on: '2026-11-21', child_ids: [ids.A], media: [{ id: ids.onlyA, child_ids: [ids.A] }] })).id;
  ids.e3 = (await entry({ title: 'Ben paints a rocket', body: 'Bold colours.', next_steps: 'Try mixing green',
    observed_on: '2026-11-22', child_ids: [ids.B], media: [{ id: ids.onlyB, child_ids: [ids.B] }] })).id;
  ids.e4 = (await entry({ title: 'Staff only note about Ben', body: 'Not for families.', observed_on: '2026-11-23',
    child_ids: [ids.B], status: 'staff_only' })).id;
  ok(await parentA.post(`/api/v1/entries/${ids.e1}/threads/${ids.A}`, { body: 'Ava loved this — from Ava’s mum' }), 'comment A');
  ok(await parentB.post(`/api/v1/entries/${ids.e3}/threads/${ids.B}`, { body: 'Ben talks about rockets all day' }), 'comment B');
  // Ava's family withdraws consent to other journals; Kate obscures Ava in a redacted copy.
  ok(await manager.request('PUT', `/api/v1/children/${ids.A}/consent`, { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'withdraw');
  ok(await kate.post(`/api/v1/media/${ids.group}/redact`, { regions: [{ x: 0, y: 0, width: 400, height: 600 }], obscured_child_ids: [ids.A] }), 'redact');
  ids.hashes = Object.fromEntries(['group', 'onlyA', 'onlyB'].map((k) => [k, stack.sql(`SELECT sha256 FROM media WHERE id = '${ids[k]}'`)]));
  ids.redactedHash = stack.sql(`SELECT redacted_sha256 FROM media WHERE id = '${ids.group}'`);
  assert.match(ids.redactedHash, /^[0-9a-f]{64}$/);
});
after(async () => { await stack?.stop(); });

test("parent B's export holds Ben's journal and nothing of Ava: every file, the PDF's text and its photos", async () => {
  const e = await exportOf(parentB, { child_id: ids.B });
  assert.deepEqual(e.children.map((c) => c.name), ['Ben Brown']);
  assert.ok(e.bytes > 0);
  assert.ok(Date.parse(e.expires_at) - Date.parse(e.finished_at) === 7 * 86400 * 1000);
  const { dir, files, zip } = unpack(parentB, e, 'ben');
  const folder = 'Ben Brown journal';
  assert.ok(files.includes(`${folder}/index.html`) && files.includes(`${folder}/journal.pdf`), files.join(', '));
  const mediaFiles = files.filter((f) => f.startsWith(`${folder}/media/`));
  assert.equal(mediaFiles.length, 2, 'the redacted group photo and Ben’s own photo');

  // Every file: no byte of Ava's photos (originals or display copies), no word of her.
  const forbidden = new Set([ids.hashes.group, ids.hashes.onlyA, sha(fs.readFileSync(displayPath(ids.hashes.group))),
    sha(fs.readFileSync(displayPath(ids.hashes.onlyA)))]);
  const hashes = new Set(files.map((f) => sha(fs.readFileSync(path.join(dir, f)))));
  for (const h of forbidden) assert.ok(!hashes.has(h), 'no copy of a photo Ben’s family may not have');
  assert.ok(hashes.has(ids.redactedHash), 'the group photo, as the redacted copy');
  assert.ok(hashes.has(ids.hashes.onlyB));
  const html = fs.readFileSync(path.join(dir, folder, 'index.html'), 'utf8');
  const pdfText = run('pdftotext', ['-enc', 'UTF-8', path.join(dir, folder, 'journal.pdf'), '-']);
  for (const text of [html, pdfText]) {
    assert.doesNotMatch(text, /Ava|Ahmed|conkers|Staff only|Not for families/);
    assert.match(text, /Ben paints a rocket/);
    assert.match(text, /Ben talks about rockets all day/);
    assert.match(text, /Den building together/);
    assert.match(text, /Try mixing green/);
  }
  assert.equal((html.match(/<article class="entry"/g) || []).length, 2);
  // The PDF's photos, extracted as the JPEG streams they are: only what Ben's family may see.
  const images = path.join(work, 'ben-images');
  fs.mkdirSync(images);
  run('pdfimages', ['-j', path.join(dir, folder, 'journal.pdf'), path.join(images, 'img')]);
  const pdfHashes = fs.readdirSync(images).map((f) => sha(fs.readFileSync(path.join(images, f))));
  assert.equal(pdfHashes.length, 2);
  const redactedDisplay = sha(fs.readFileSync(displayPath(ids.redactedHash)));
  assert.deepEqual(new Set(pdfHashes), new Set([redactedDisplay, sha(fs.readFileSync(displayPath(ids.hashes.onlyB)))]));
  for (const h of pdfHashes) assert.ok(!forbidden.has(h));

  // Media stored as they are (not re-compressed); the page deflated.
  const listing = JSON.parse(run('python3', ['-c', 'import json,sys,zipfile; print(json.dumps([[i.filename, i.compress_type] for i in zipfile.ZipFile(sys.argv[1]).infolist()]))', zip]));
  for (const [name, method] of listing) assert.equal(method, name.endsWith("index.html") ? 8 : 0, name);

  // One page of the PDF, drawn: the first entry page has a photo on it (a screenshot kept).
  const shot = path.join(repoRoot, 'tests/artifacts/screenshots/export-pdf-page-2');
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  run('pdftoppm', ['-png', '-r', '50', '-f', '2', '-l', '2', '-singlefile', path.join(dir, folder, 'journal.pdf'), shot]);
  const gray = run('pdftoppm', ['-gray', '-r', '20', '-f', '2', '-l', '2', '-singlefile', path.join(dir, folder, 'journal.pdf')], { encoding: 'buffer' });
  // PGM: count the pixels that are not paper white — a photo's worth, not a few lines of text.
  const header = gray.subarray(0, 20).toString('latin1').split(/\s+/);
  const pixels = gray.subarray(gray.length - Number(header[1]) * Number(header[2]));
  const inked = pixels.filter((v) => v < 200).length / pixels.length;
  assert.ok(inked > 0.05, `page 2 has a photo on it (${(inked * 100).toFixed(1)} % inked)`);
  assert.ok(fs.existsSync(`${shot}.png`));
});

test("a manager's export has everything of Ava in the journal, originals included; only the requester reaches it", async () => {
  const e = await exportOf(manager, { child_id: ids.A });
  const { dir, files } = unpack(manager, e, 'ava');
  const hashes = new Set(files.map((f) => sha(fs.readFileSync(path.join(dir, f)))));
  assert.ok(hashes.has(ids.hashes.group) && hashes.has(ids.hashes.onlyA));
  assert.ok(!hashes.has(ids.hashes.onlyB));
  const html = fs.readFileSync(path.join(dir, 'Ava Ahmed journal/index.html'), 'utf8');
  assert.match(html, /Ava counts conkers/);
  assert.match(html, /Ava loved this/);
  assert.doesNotMatch(html, /Ben paints|Staff only/);

  // Nobody else: not the other manager-less roles, not a family, not without a session.
  for (const other of [parentA, parentB, kate]) {
    assert.equal((await other.get(`/api/v1/exports/${e.id}`)).status, 404);
    assert.equal(fetchTo(other, e.download).status, 404);
    assert.equal((await other.request('DELETE', `/api/v1/exports/${e.id}`)).status, 404);
  }
  assert.equal(fetchTo(null, e.download).status, 401);
  // nginx's internal location is not reachable from outside.
  assert.equal(fetchTo(manager, `/_nestbox_media/exports/${e.id}.zip`).status, 404);
  // A family cannot export another family's child; staff cannot export.
  assert.equal((await parentA.post('/api/v1/exports', { child_id: ids.B })).status, 404);
  assert.equal((await kate.post('/api/v1/exports', { child_id: ids.A })).status, 403);
  const bad = await manager.post('/api/v1/exports', {});
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /child_id/);
});

test('nginx serves an export with Range (a phone resumes); each download is audited once with its size', async () => {
  const e = (await parentB.get('/api/v1/exports')).json.exports.find((x) => x.state === 'ready');
  const before = Number(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_EXPORT_DOWNLOADED'"));
  const part = fetchTo(parentB, e.download, '/dev/null', ['-r', '100-199']);
  assert.equal(part.status, 206);
  assert.equal(part.headers['content-range'], `bytes 100-199/${e.bytes}`);
  assert.match(part.headers['cache-control'], /no-store/);
  assert.equal(Number(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_EXPORT_DOWNLOADED'")), before);
  const detail = JSON.parse(stack.sql(`SELECT detail FROM audit_log WHERE event = 'NBX_EXPORT_DOWNLOADED' AND target_id = '${e.id}' ORDER BY seq DESC LIMIT 1`));
  assert.equal(detail.bytes, e.bytes);
  assert.deepEqual(detail.children, [ids.B]);
  assert.equal(stack.sql(`SELECT count(*) FROM audit_log WHERE event = 'NBX_EXPORT_READY' AND target_id = '${e.id}'`), '1');
});

test("a room's leavers in one zip, for managers only", async () => {
  assert.equal((await manager.post('/api/v1/exports', { room_id: ids.room, leavers: true })).status, 422);
  const r = await manager.request('PATCH', `/api/v1/children/${ids.B}`, { body: { left_on: '2026-12-19' } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await parentB.post('/api/v1/exports', { room_id: ids.room, leavers: true })).status, 403);
  const e = await exportOf(manager, { room_id: ids.room, leavers: true });
  assert.deepEqual(e.children.map((c) => c.name), ['Ben Brown']);
  assert.equal(e.room.name, 'Nursery');
  const { files } = unpack(manager, e, 'leavers');
  assert.ok(files.includes('Ben Brown journal/index.html'));
  assert.ok(!files.some((f) => f.startsWith('Ava')));
});

test('the year-end reminder asks families until they have downloaded', async () => {
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  assert.deepEqual((await parentA.get('/api/v1/exports/reminder')).json.reminder, { due: false, since: null });
  const bad = await manager.patch('/api/v1/settings', { export_reminder_on: '13-45' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'export_reminder_on');
  assert.equal((await manager.patch('/api/v1/settings', { export_reminder_on: today.slice(5) })).status, 200);
  assert.deepEqual((await parentA.get('/api/v1/exports/reminder')).json.reminder, { due: true, since: today });
  assert.equal((await manager.get('/api/v1/exports/reminder')).status, 403);
  const e = await exportOf(parentA, { child_id: ids.A });
  assert.equal((await parentA.get('/api/v1/exports/reminder')).json.reminder.due, true, 'made, not yet downloaded');
  assert.equal(fetchTo(parentA, e.download).status, 200);
  assert.equal((await parentA.get('/api/v1/exports/reminder')).json.reminder.due, false);
});

test('a lockdown refuses exports and their downloads; after 7 days an export is removed', async () => {
  const e = (await parentB.get('/api/v1/exports')).json.exports.find((x) => x.state === 'ready');
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4826' })).status, 200);
  assert.equal((await manager.post('/api/v1/lockdown', { reason: 'export test', confirm: true })).status, 200);
  assert.equal(fetchTo(parentB, e.download).status, 503);
  assert.equal((await stack.client().post('/api/v1/exports', { child_id: ids.B })).status, 503);
  const lifted = await stack.client().post('/api/v1/lockdown/lift', { username: 'manager', password: MANAGER_PASSWORD, pin: '4826',
    fault: 'A test of exports', rectification: 'None needed' });
  assert.equal(lifted.status, 200, lifted.text);
  assert.equal((await parentB.signIn('parent.b', 'red kite flying')).status, 200);
  assert.equal(fetchTo(parentB, e.download).status, 200);

  stack.advanceClock(7 * 86400 + 3700);
  await waitFor(() => !fs.existsSync(path.join(stack.dataDir, `media/exports/${e.id}.zip`)), 'the expiry job', 20000);
  assert.equal((await parentB.signIn('parent.b', 'red kite flying')).status, 200);
  const gone = await parentB.get(e.download);
  assert.equal(gone.status, 410);
  assert.equal(gone.json.error, 'export_expired');
  assert.equal((await parentB.get(`/api/v1/exports/${e.id}`)).json.export.state, 'expired');
  assert.ok(Number(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_EXPORT_REMOVED'")) >= 1);
});
