// The managers' part of issue 32 against the real stack (nginx + nestboxd): each to-do opens a
// list filtered by the box (GET /children?needs=…, GET /users?needs=…), refused to staff and
// parents and with clear 400s for bad values; the audit log names what each row is about, as
// a manager may see it, never by id ("a child who has left" once erased), and an upload's
// row (as a box-camera photo's, written by the job that finishes it) says who took it; the
// curriculum ships everyday words ("count" finds Number).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady, Tablet, MANAGER_PASSWORD } from './harness.mjs';

let stack, manager, kate, parentA, ids;
const PIN = '4826';
const ok = (res, what) => { assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`); return res.json; };
const names = (res) => ok(res, 'list').children.map((c) => c.first_name).sort();

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  ok(await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: PIN }), 'pin');
  ({ kate, parentA, ids } = await twoFamilies(stack, manager));
  // Cara: no consent, no parent, no key person. Dan: consent and a parent invited, Kate his key person.
  const kateId = ok(await manager.get('/api/v1/users?role=staff'), 'staff').users.find((u) => u.username === 'kate').id;
  ids.kate = kateId;
  ids.C = ok(await manager.post('/api/v1/children', { first_name: 'Cara', last_name: 'Cole', date_of_birth: '2022-02-02',
    room_id: ids.room, started_on: '2025-09-01' }), 'Cara').child.id;
  ids.D = ok(await manager.post('/api/v1/children', { first_name: 'Dan', last_name: 'Dale', date_of_birth: '2022-02-02',
    room_id: ids.room, started_on: '2025-09-01', key_person_id: kateId }), 'Dan').child.id;
  ok(await manager.request('PUT', `/api/v1/children/${ids.D}/consent`,
    { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'consent D');
  ok(await manager.post(`/api/v1/children/${ids.D}/invitations`, {}), 'invite D');
  // Ava observed today: the others are not observed for 14 days.
  ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Counting conkers', body: 'To twelve.',
    next_steps: '', observed_on: new Date().toISOString().slice(0, 10), child_ids: [ids.A], aspect_ids: ['eyfs.m.n'] }), 'entry');
});
after(async () => { await stack.stop(); });

test('each to-do is a list the box filters, counted as the home counts it', async () => {
  const summary = ok(await manager.get('/api/v1/manager/summary'), 'summary').summary;
  const consent = await manager.get('/api/v1/children?needs=consent');
  assert.deepEqual(names(consent), ['Cara']);
  assert.equal(summary.children_without_consent, 1);
  assert.deepEqual(names(await manager.get('/api/v1/children?needs=parent')), ['Cara']);  // Dan's family is invited
  assert.equal(summary.children_without_parent, 1);
  assert.deepEqual(names(await manager.get('/api/v1/children?needs=observation')), ['Ben', 'Cara', 'Dan']);
  assert.deepEqual(names(await manager.get('/api/v1/children?needs=observation&key_person=none')), ['Ben', 'Cara']);
  assert.deepEqual(names(await manager.get(`/api/v1/children?needs=observation&key_person=${ids.kate}`)), ['Dan']);
  const notObserved = Object.fromEntries(summary.not_observed.map((o) => [o.key_person_id ?? 'none', o.children]));
  assert.deepEqual(notObserved, { none: 2, [ids.kate]: 1 });
  // Without the filter, every child.
  assert.deepEqual(names(await manager.get('/api/v1/children')), ['Ava', 'Ben', 'Cara', 'Dan']);

  // Accounts: without a PIN (Kate), codes handed out and not used (a new starter's).
  ok(await manager.post('/api/v1/users', { username: 'new.starter', display_name: 'New Starter', role: 'staff' }), 'new starter');
  const users = async (q) => ok(await manager.get(`/api/v1/users?needs=${q}`), q).users.map((u) => u.username).sort();
  assert.deepEqual(await users('pin'), ['kate', 'new.starter']);
  assert.deepEqual(await users('code_unused'), ['new.starter']);
  assert.deepEqual(await users('code_expired'), []);
});

test('tablets not seen for 7 days: the to-do’s list, as the home counts them', async () => {
  const red = await Tablet.enrol(stack, manager, 'Red room iPad');
  await Tablet.enrol(stack, manager, 'Blue room iPad');
  const list = async () => ok(await manager.get('/api/v1/devices?not_seen=true'), 'not seen').devices.map((d) => d.name);
  assert.deepEqual(await list(), []);
  // The red one was last seen three weeks ago.
  const weeksAgo = Math.floor(Date.now() / 1000) - 21 * 86400;
  stack.sql(`UPDATE devices SET last_seen_at = ${weeksAgo}, enrolled_at = ${weeksAgo} WHERE id = '${red.id}'`);
  assert.deepEqual(await list(), ['Red room iPad']);
  assert.equal(ok(await manager.get('/api/v1/manager/summary'), 'summary').summary.tablets_not_seen, 1);
  assert.equal(ok(await manager.get('/api/v1/devices'), 'all').devices.length >= 2, true);
  const refused = await kate.get('/api/v1/devices?not_seen=true');
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.error, 'manager_only');
  const bad = await manager.get('/api/v1/devices?not_seen=yes');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'not_seen');
});

test('the filters are a manager’s: staff and parents are refused; bad values get a clear 400', async () => {
  for (const client of [kate, parentA]) {
    const refused = await client.get('/api/v1/children?needs=consent');
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.error, 'manager_only');
    assert.equal((await client.get('/api/v1/users?needs=pin')).status, 403);
  }
  // Staff still list children as before.
  assert.equal((await kate.get('/api/v1/children')).status, 200);
  for (const [path, field] of [['/api/v1/children?needs=everything', 'needs'], ['/api/v1/children?needs=consent&include_left=true', 'include_left'],
    ['/api/v1/users?needs=nothing', 'needs']]) {
    const bad = await manager.get(path);
    assert.equal(bad.status, 400, `${path}: ${bad.text}`);
    assert.equal(bad.json.field, field);
    assert.match(bad.json.message, /must be|leave out/);
  }
});

test('the audit log names what each row is about, as a manager may see it, and who took an upload', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const media = await tusUpload(kate, png, { filename: 'Box camera photo.png' });
  await mediaReady(kate, media);
  ok(await manager.request('PUT', `/api/v1/children/${ids.C}/consent`,
    { body: { own_journal_photos: false, other_journals: false, online_journal_opt_out: false } }), 'consent C');
  const rows = ok(await manager.get('/api/v1/audit?limit=200'), 'audit').entries;
  const about = (type, id) => rows.find((r) => r.target_type === type && r.target_id === id);
  assert.equal(about('child', ids.C)?.target_name, 'Cara Cole');
  const received = about('media', media);
  assert.ok(received, 'the upload is audited');
  const upload = rows.find((r) => r.target_id === media && r.event === 'NBX_MEDIA_RECEIVED') ?? received;
  assert.equal(upload.actor_name, 'kate', 'the row says who took it');
  assert.equal(upload.actor_display_name, 'Name kate');
  assert.equal(upload.target_name, 'a photo not yet in an entry');
  const userRow = rows.find((r) => r.target_type === 'user' && r.target_name === 'Name kate');
  assert.ok(userRow, 'a row about Kate’s account names her');

  // Cara is erased (her rows' ids pseudonymised): they say "a child who has left", naming no one.
  const hers = new Set(rows.filter((r) => r.target_type === 'child' && r.target_id === ids.C).map((r) => r.seq));
  assert.ok(hers.size > 0);
  ok(await manager.post(`/api/v1/children/${ids.C}/erase`, { password: MANAGER_PASSWORD, pin: PIN, confirm: 'Cara Cole' }), 'erase');
  const after = ok(await manager.get('/api/v1/audit?limit=200'), 'audit').entries.filter((r) => hers.has(r.seq));
  assert.equal(after.length, hers.size);
  for (const row of after) assert.equal(row.target_name, 'a child who has left');
  // Rows about something with no name (a setting) carry none.
  ok(await manager.request('PATCH', '/api/v1/settings', { body: { name: 'Rainbow Nursery' } }), 'settings');
  const setting = ok(await manager.get('/api/v1/audit?limit=5'), 'audit').entries.find((r) => r.target_type === 'setting');
  if (setting) assert.equal(setting.target_name, null);
});

test('the curriculum ships everyday words: "count" is among Number’s', async () => {
  const framework = ok(await kate.get('/api/v1/curriculum'), 'framework').framework;
  const number = framework.areas.flatMap((a) => a.aspects).find((a) => a.id === 'eyfs.m.n');
  assert.ok(number.words.includes('count'));
  assert.ok(framework.areas.every((a) => a.aspects.every((x) => Array.isArray(x.words) && x.words.length > 0)));
});
