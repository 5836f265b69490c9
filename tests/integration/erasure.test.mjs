// Data has an end (issue 21) against the real stack: a manager erases a child with password,
// PIN and the name typed; afterwards the child's name and id are in no table of the database
// (walked with sqlite3, so tables later issues add are covered), not in the database file or
// its log, not in the media folder or exports, not in the daemon's log lines written after;
// the shared photo goes to the other family only once staff have redacted the erased child;
// the parent's account is gone. Then a leaver on the moved clock: the family reads, the
// journal is archived (the family loses it), restored, and erased at the countdown's end by
// the hourly job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady, waitFor, MANAGER_PASSWORD } from './harness.mjs';

const PIN = '4826';
const DAY = 86400;
let stack, manager, kate, parentA, parentB, ids, work;

const ok = (res, what) => { if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`); return res.json; };
const upload = async (bytes) => { const id = await tusUpload(kate, bytes); assert.equal((await mediaReady(kate, id)).state, 'ready'); return id; };

function photo(name, colour) {
  const file = path.join(work, name);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=640x480,drawbox=x=0:y=0:w=200:h=200:color=${colour}:t=fill`,
    '-frames:v', '1', file]);
  return fs.readFileSync(file);
}

// Every table of the live database (read-only, beside the daemon), as rows of JSON text.
function tableTexts() {
  const db = path.join(stack.dataDir, 'nestbox.db');
  const tables = JSON.parse(execFileSync('sqlite3', ['-readonly', '-json', db,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"], { encoding: 'utf8' })).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, execFileSync('sqlite3', ['-readonly', '-json', db, `SELECT * FROM "${t}"`],
    { encoding: 'utf8', maxBuffer: 256 << 20 })]));
}
const filesUnder = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f))
  .filter((f) => fs.statSync(f).isFile()) : []);
// The setting's date (Europe/London) on the daemon's moved clock.
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
  .format(new Date(Date.now() + (Number(fs.readFileSync(stack.clockFile, 'utf8')) || 0) * 1000));

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  work = fs.mkdtempSync(path.join(stack.root, 'erasure-'));
  ({ kate, parentA, parentB, ids } = await twoFamilies(stack, manager));
  ok(await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: PIN }), 'manager PIN');
});
after(async () => { await stack?.stop(); });

test('an erased child is in no table, file or later log line; the shared photo goes out only redacted', async () => {
  // Zebedee, his parent, and what his time at the setting left behind.
  const z = ok(await manager.post('/api/v1/children', { first_name: 'Zebedee', last_name: 'Quillfeather',
    date_of_birth: '2022-04-04', room_id: ids.room, started_on: '2025-09-01' }), 'child').child;
  const zParent = await stack.addUser(manager, 'zeb.parent', 'parent', 'orange sunset glowing');
  ok(await manager.request('PUT', `/api/v1/children/${z.id}/carers/${zParent.id}`), 'link');
  ok(await manager.request('PUT', `/api/v1/children/${z.id}/consent`,
    { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  const morwenna = zParent.client;
  ok(await morwenna.post('/api/v1/agreement/accept', { version: (await morwenna.get('/api/v1/agreement')).json.version }), 'accept');
  const solo = await upload(photo('solo.jpg', 'blue'));
  const group = await upload(photo('group.jpg', 'red'));
  const soloHash = stack.sql(`SELECT sha256 FROM media WHERE id = '${solo}'`);
  const entry = async (children, title, media = []) => ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal',
    title, body: 'In the garden.', observed_on: '2026-05-20', child_ids: children, aspect_ids: [], media }), title).entry;
  const own = await entry([z.id], 'Painting a rainbow', [{ id: solo, child_ids: [z.id] }]);
  const shared = await entry([z.id, ids.A], 'Den building', [{ id: group, child_ids: [z.id, ids.A] }]);
  const mention = await entry([ids.A], 'Ava and Zebedee played tag');
  ok(await morwenna.post(`/api/v1/entries/${own.id}/threads/${z.id}`, { body: 'Lovely painting, Zebedee!' }), 'comment');
  // Hearts and visits are the family's too (issue 22).
  for (const e of [own, shared]) ok(await morwenna.request('PUT', `/api/v1/entries/${e.id}/threads/${z.id}/heart`), 'heart');
  ok(await morwenna.post('/api/v1/feed/visit', {}), 'visit');
  assert.equal(stack.sql(`SELECT count(*) FROM entry_hearts WHERE child_id = '${z.id}'`), '2');
  const exported = ok(await morwenna.post('/api/v1/exports', { child_id: z.id }), 'export').export;
  await waitFor(async () => (await morwenna.get(`/api/v1/exports/${exported.id}`)).json.export.state === 'ready', 'the export', 120000);
  assert.ok(fs.existsSync(path.join(stack.dataDir, `media/exports/${exported.id}.zip`)));
  assert.equal(ok(await parentA.get(`/api/v1/entries/${shared.id}`), 'shared').entry.media.length, 1);
  const needles = [z.id, 'Zebedee', 'Quillfeather', zParent.id, 'zeb.parent'];
  const found = (text) => needles.filter((n) => text.toLowerCase().includes(n.toLowerCase()));
  assert.ok(found(Object.values(tableTexts()).join('\n')).length === needles.length, 'the walk finds what is there');

  // Refused: the wrong name (nothing erased), staff, another family.
  const wrong = await manager.post(`/api/v1/children/${z.id}/erase`, { password: MANAGER_PASSWORD, pin: PIN, confirm: 'Zebedee' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.error, 'confirm_mismatch');
  assert.equal(wrong.json.field, 'confirm');
  assert.equal((await kate.post(`/api/v1/children/${z.id}/erase`, { password: 'x', pin: 'y', confirm: 'z' })).status, 403);
  assert.equal((await manager.get(`/api/v1/children/${z.id}`)).status, 200);

  const logFrom = stack.daemon.stderr.length;
  const erased = ok(await manager.post(`/api/v1/children/${z.id}/erase`,
    { password: MANAGER_PASSWORD, pin: PIN, confirm: 'zebedee QUILLFEATHER' }), 'erase').erasure;
  assert.deepEqual({ ...erased, id: undefined }, { id: undefined, entries_removed: 1, media_removed: 1, media_marked: 1,
    accounts_erased: 1, exports_removed: 1, reviews: 1 });
  // The family's session and account are gone; the child is not found.
  assert.equal((await morwenna.get('/api/v1/auth/session')).status, 401);
  assert.equal((await manager.get(`/api/v1/children/${z.id}`)).status, 404);

  // The shared photo: Ava's family gets nothing of it until staff redact the erased child.
  const seen = ok(await parentA.get(`/api/v1/entries/${shared.id}`), 'shared after').entry;
  assert.deepEqual(seen.media, []);
  assert.equal((await parentA.get(`/api/v1/media/${group}/display`)).status, 404);
  const reviews = ok(await manager.get('/api/v1/erasure/reviews'), 'reviews');
  assert.deepEqual(reviews.entries.map((e) => e.entry_id), [mention.id]);
  assert.deepEqual(reviews.media.map((m) => m.media_id), [group]);
  const redacted = ok(await kate.post(`/api/v1/media/${group}/redact`,
    { regions: [{ x: 0, y: 0, width: 320, height: 480 }], obscure_erased: true }), 'redact').media;
  assert.equal(redacted.erased_child, 'obscured');
  assert.equal(ok(await parentA.get(`/api/v1/entries/${shared.id}`), 'shared redacted').entry.media.length, 1);
  assert.equal((await parentA.get(`/api/v1/media/${group}/display`)).status, 200);
  // The entry that names him: edited, then reviewed (its earlier wording goes with the review).
  ok(await kate.patch(`/api/v1/entries/${mention.id}`, { title: 'Ava played tag' }), 'edit');
  assert.equal((await manager.post(`/api/v1/erasure/reviews/entries/${mention.id}/done`, {})).status, 204);
  assert.deepEqual(ok(await manager.get('/api/v1/erasure/reviews'), 'reviews after'), { entries: [], media: [] });

  // Nowhere: every table, the database file and its log, media, exports, later log lines.
  for (const [table, text] of Object.entries(tableTexts())) {
    assert.deepEqual(found(text), [], `table ${table}: ${JSON.parse(text || "[]").filter((r) => found(JSON.stringify(r)).length).map((r) => JSON.stringify(r)).join('\n')}`);
  }
  for (const file of ['nestbox.db', 'nestbox.db-wal']) {
    const f = path.join(stack.dataDir, file);
    if (fs.existsSync(f)) assert.deepEqual(found(fs.readFileSync(f, 'latin1')), [], file);
  }
  const media = filesUnder(path.join(stack.dataDir, 'media'));
  assert.ok(!media.some((f) => f.includes(soloHash)), 'the photo of him alone is gone, with its previews');
  assert.ok(!media.some((f) => f.includes(exported.id)), 'his export is gone');
  for (const f of media) assert.deepEqual(found(path.basename(f)), [], f);
  assert.ok(!fs.existsSync(path.join(stack.dataDir, 'backup-staging/nestbox.db')), 'no copy of the database lies in the data directory');
  const ledger = fs.readFileSync(path.join(stack.dataDir, 'erasure-ledger'), 'utf8');
  assert.match(ledger, /^erased child /m);
  assert.deepEqual(found(ledger), []);
  // Requests that name his old id afterwards are answered and logged without it.
  assert.equal((await manager.get(`/api/v1/children/${z.id}`)).status, 404);
  assert.equal((await parentA.get(`/api/v1/entries/${own.id}`)).status, 404);
  const logged = stack.daemon.stderr.slice(logFrom);
  assert.match(logged, /NBX_CHILD_ERASED/);
  assert.deepEqual(found(logged), []);
  // Signing in as the erased parent fails (tried last: the attempt itself is counted by name).
  assert.equal((await stack.client().signIn('zeb.parent', 'orange sunset glowing')).status, 401);
  // The audit entry names no one.
  const audit = ok(await manager.get('/api/v1/audit?event=NBX_CHILD_ERASED'), 'audit').entries;
  assert.equal(audit.length, 1);
  assert.deepEqual(found(JSON.stringify(audit)), []);
});

test('a leaver: the family reads, then loses the archived journal; restored; erased at the countdown\'s end', async () => {
  const date = today();
  const signIn = async (client, username, password) => assert.equal((await client.signIn(username, password)).status, 200);
  const leftOn = new Date(Date.parse(`${date}T12:00:00Z`) - 2 * DAY * 1000).toISOString().slice(0, 10);
  ok(await manager.patch(`/api/v1/children/${ids.B}`, { left_on: leftOn }), 'leaving date');
  let ben = ok(await parentB.get(`/api/v1/children/${ids.B}`), 'ben').child;
  assert.equal(ben.leaving.phase, 'left');
  assert.equal(ben.leaving.days_left, 89);
  // Nothing new after the leaving date.
  const late = await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Too late',
    observed_on: '2026-05-20', child_ids: [ids.B], aspect_ids: [] });
  assert.equal(late.status, 422);
  assert.equal(late.json.error, 'child_left');

  // Past the reading window: archived. Sessions have timed out meanwhile: everyone signs in again.
  stack.advanceClock(90 * DAY);
  await signIn(manager, 'manager', MANAGER_PASSWORD);
  await signIn(parentB, 'parent.b', 'red kite flying');
  assert.equal((await parentB.get(`/api/v1/children/${ids.B}`)).status, 404);
  assert.deepEqual(ok(await parentB.get('/api/v1/children'), 'children').children, []);
  await waitFor(async () => ok(await manager.get('/api/v1/audit?event=NBX_CHILD_ARCHIVED'), 'audit').entries.length === 1,
    'the leavers job to archive him', 20000);
  ben = ok(await manager.get(`/api/v1/children/${ids.B}`), 'ben').child;
  assert.equal(ben.leaving.phase, 'archived');
  assert.equal(ben.leaving.days_left, 89);
  // Restored by a manager: his family sees him again.
  ok(await manager.post(`/api/v1/children/${ids.B}/restore`, {}), 'restore');
  assert.equal((await parentB.get(`/api/v1/children/${ids.B}`)).status, 200);

  // Left long ago: the next run of the job erases him, and his family's account.
  const past = new Date(Date.parse(`${today()}T12:00:00Z`) - 200 * DAY * 1000).toISOString().slice(0, 10);
  ok(await manager.patch(`/api/v1/children/${ids.B}`, { left_on: past }), 'leaving date again');
  stack.advanceClock(3600);  // the job's next hour (and past the manager's idle limit)
  await signIn(manager, 'manager', MANAGER_PASSWORD);
  await waitFor(async () => (await manager.get(`/api/v1/children/${ids.B}`)).status === 404, 'the countdown erasure', 20000)
    .catch((e) => { throw new Error(`${e.message}\n${stack.daemon.stderr.split('\n').filter((l) => /JOB|ERASE|leavers/.test(l)).slice(-8).join('\n')}`); });
  const rows = ok(await manager.get('/api/v1/audit?event=NBX_CHILD_ERASED'), 'audit').entries;
  assert.equal(rows.at(0).detail.reason, 'countdown');
  assert.equal((await parentB.get('/api/v1/auth/session')).status, 401);
  await signIn(parentA, 'parent.a', 'blue whale singing');
  assert.equal((await parentA.get(`/api/v1/children/${ids.A}`)).status, 200);  // another family is untouched
});
