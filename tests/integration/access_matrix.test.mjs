// The journal's access matrix against the real stack: every endpoint × {manager, staff,
// parent of A, parent of B, deactivated account, no session} × resources of child A and of
// child B, asserting the exact status each gets. Every answer to parent B is also searched
// for anything of child A: id, name, comment text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, tusUpload, mediaReady } from './harness.mjs';

let stack;
let who;      // role name -> Client
let ids = {}; // named resources
const A_SECRETS = [];

before(async () => {
  let manager;
  ({ stack, manager } = await startSetUpStack());
  const expectOk = (res, what) => { if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`); return res.json; };
  const staff = await stack.addUser(manager, 'kate', 'staff', 'green apple orchard');
  const parentA = await stack.addUser(manager, 'parent.a', 'parent', 'blue whale singing');
  const parentB = await stack.addUser(manager, 'parent.b', 'parent', 'red kite flying');
  const leaver = await stack.addUser(manager, 'leaver', 'staff', 'autumn leaves falling');
  const room = expectOk(await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' }), 'room').room;
  const childA = expectOk(await manager.post('/api/v1/children', { first_name: 'Ava', last_name: 'Ahmed', date_of_birth: '2022-01-10', room_id: room.id, started_on: '2025-09-01' }), 'child A').child;
  const childB = expectOk(await manager.post('/api/v1/children', { first_name: 'Ben', last_name: 'Brown', date_of_birth: '2022-02-11', room_id: room.id, started_on: '2025-09-01' }), 'child B').child;
  expectOk(await manager.request('PUT', `/api/v1/children/${childA.id}/carers/${parentA.id}`), 'link A');
  expectOk(await manager.request('PUT', `/api/v1/children/${childB.id}/carers/${parentB.id}`), 'link B');
  for (const p of [parentA, parentB]) {
    const agreement = (await p.client.get('/api/v1/agreement')).json;
    expectOk(await p.client.post('/api/v1/agreement/accept', { version: agreement.version }), 'accept');
  }
  // Photo consent: both in their own journals; Ava not in other children's (as the matrix's
  // consent row also records, so row order does not matter).
  expectOk(await manager.request('PUT', `/api/v1/children/${childA.id}/consent`, { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'consent A');
  expectOk(await manager.request('PUT', `/api/v1/children/${childB.id}/consent`, { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent B');
  const photoFile = path.join(stack.root, 'photo.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x480', '-frames:v', '1', photoFile]);
  const photo = fs.readFileSync(photoFile);
  const upload = async (client) => { const id = await tusUpload(client, photo); await mediaReady(client, id); return id; };
  const ma = await upload(staff.client);
  const mg = await upload(staff.client);
  const mh = await upload(parentA.client);
  const entry = async (children, title, media = []) => expectOk(await staff.client.post('/api/v1/entries', {
    kind: 'observation', title, body: `${title} body`, observed_on: '2026-05-20', child_ids: children, aspect_ids: ['eyfs.m.n'], media,
  }), title).entry;
  const ea = await entry([childA.id], 'Ava alone at the sand tray', [{ id: ma, child_ids: [childA.id] }]);
  const eb = await entry([childB.id], 'Ben alone at the water tray');
  const eg = await entry([childA.id, childB.id], 'Group tower building', [{ id: mg, child_ids: [childA.id, childB.id] }]);
  expectOk(await parentA.client.post(`/api/v1/entries/${eg.id}/threads/${childA.id}`, { body: 'Ava told us all about the tower!' }), 'comment A');
  expectOk(await parentB.client.post(`/api/v1/entries/${eg.id}/threads/${childB.id}`, { body: 'Ben was so proud.' }), 'comment B');
  const ha = expectOk(await parentA.client.post('/api/v1/contributions', { child_id: childA.id, title: 'Ava planting seeds at home', observed_on: '2026-05-21', media_ids: [mh] }), 'home').contribution;
  // An upload Kate has started and not finished.
  const started = await staff.client.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': '1000' } });
  const unfinished = started.headers.location.split('/').pop();
  expectOk(await manager.post(`/api/v1/users/${leaver.id}/deactivate`, {}), 'deactivate');
  const commentB = (await staff.client.get(`/api/v1/entries/${eg.id}/threads/${childB.id}`)).json.comments[0].id;
  ids = { room: room.id, A: childA.id, B: childB.id, EA: ea.id, EB: eb.id, EG: eg.id, HA: ha.id, commentB,
          staffId: staff.id, MA: ma, MG: mg, MH: mh, U: unfinished };
  A_SECRETS.push(childA.id, 'Ava', 'Ahmed', ea.id, ha.id, 'Ava told us all about the tower!', 'sand tray', 'planting seeds', ma, mg, mh, unfinished);
  who = { manager, staff: staff.client, parentA: parentA.client, parentB: parentB.client, deactivated: leaver.client, none: stack.client() };
});
after(async () => { await stack?.stop(); });

// [method, path, body, {manager, staff, parentA, parentB}] — deactivated and none get 401.
// ${X} is filled from the named resources. Reads only, plus writes that fail or are harmless.
const MATRIX = [
  ['GET', '/api/v1/rooms', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/rooms/${room}/releases', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/rooms/${room}/release-now', {}, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/children', null, { manager: 200, staff: 200, parentA: 200, parentB: 200 }],
  ['GET', '/api/v1/children/${A}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ['GET', '/api/v1/children/${B}', null, { manager: 200, staff: 200, parentA: 404, parentB: 200 }],
  ['PATCH', '/api/v1/children/${A}', { first_name: 'Ava' }, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/children/${A}/carers', null, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/children/${A}/consent', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/children/${A}/consent/history', null, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['PUT', '/api/v1/children/${A}/consent', { own_journal_photos: true, other_journals: false, online_journal_opt_out: false }, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/curriculum', null, { manager: 200, staff: 200, parentA: 200, parentB: 200 }],
  ['GET', '/api/v1/entries', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/entries?child=${A}', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/entries/${EA}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ['GET', '/api/v1/entries/${EB}', null, { manager: 200, staff: 200, parentA: 404, parentB: 200 }],
  ['GET', '/api/v1/entries/${EG}', null, { manager: 200, staff: 200, parentA: 200, parentB: 200 }],
  ['GET', '/api/v1/entries/${HA}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ['PATCH', '/api/v1/entries/${EA}', { next_steps: 'Count to twenty' }, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/entries/${EA}/versions', null, { manager: 200, staff: 200, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/entries/${EG}/threads/${A}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ['GET', '/api/v1/entries/${EG}/threads/${B}', null, { manager: 200, staff: 200, parentA: 404, parentB: 200 }],
  ['GET', '/api/v1/entries/${EA}/threads/${A}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ['POST', '/api/v1/entries/${EG}/threads/${A}', { body: 'A note' }, { manager: 201, staff: 201, parentA: 201, parentB: 404 }],
  ['POST', '/api/v1/entries/${EA}/threads/${B}', { body: 'Wrong thread' }, { manager: 404, staff: 404, parentA: 404, parentB: 404 }],
  ['GET', '/api/v1/feed', null, { manager: 403, staff: 403, parentA: 200, parentB: 200 }],
  ['GET', '/api/v1/feed?child=${A}', null, { manager: 403, staff: 403, parentA: 200, parentB: 404 }],
  ['GET', '/api/v1/feed?child=${B}', null, { manager: 403, staff: 403, parentA: 404, parentB: 200 }],
  ['GET', '/api/v1/contributions', null, { manager: 200, staff: 200, parentA: 200, parentB: 200 }],
  ['POST', '/api/v1/contributions', { child_id: '${A}', title: 'At home', observed_on: '2026-05-21' }, { manager: 403, staff: 403, parentA: 201, parentB: 400 }],
  ['POST', '/api/v1/entries/${EA}/review', { action: 'reviewed' }, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['GET', '/api/v1/agreement', null, { manager: 200, staff: 200, parentA: 200, parentB: 200 }],
  ['PUT', '/api/v1/agreement', { text: 'x' }, { manager: 400, staff: 403, parentA: 403, parentB: 403 }],
  // Writes whose refusals matter as much as the reads above. Bodies that would succeed for
  // the allowed role are chosen so the matrix can run in any order (unique names, no-ops).
  ['POST', '/api/v1/rooms', { name: 'Nursery' }, { manager: 409, staff: 403, parentA: 403, parentB: 403 }],
  ['PATCH', '/api/v1/rooms/${room}', { release_mode: 'live' }, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/rooms/${room}/releases', { at: '2099-01-01' }, { manager: 201, staff: 403, parentA: 403, parentB: 403 }],
  ['DELETE', '/api/v1/rooms/${room}/releases/4070908800', null, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/children', { first_name: 'X', last_name: 'Y', date_of_birth: 'bad', room_id: '${room}', started_on: '2025-09-01' }, { manager: 400, staff: 403, parentA: 403, parentB: 403 }],
  ['PUT', '/api/v1/children/${B}/carers/${staffId}', null, { manager: 400, staff: 403, parentA: 403, parentB: 403 }],
  ['DELETE', '/api/v1/children/${B}/carers/${staffId}', null, { manager: 200, staff: 403, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/entries', { kind: 'observation', title: 'x', observed_on: '2026-05-20', child_ids: [] }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/agreement/accept', { version: 999 }, { manager: 403, staff: 403, parentA: 409, parentB: 409 }],
  ['POST', '/api/v1/contributions/${HA}/return', { reason: '' }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/contributions/${EA}/approve', {}, { manager: 409, staff: 409, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/comments/${commentB}/hide', { reason: '' }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  // The role is checked before the body is read: without it, these would be 400 for everyone.
  ['POST', '/api/v1/rooms', { bogus: true }, { manager: 400, staff: 403, parentA: 403, parentB: 403 }],
  ['PATCH', '/api/v1/entries/${EA}', { title: 5 }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  ['PUT', '/api/v1/children/${A}/consent', { own_journal_photos: 'yes' }, { manager: 400, staff: 403, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/contributions', { child_id: 7 }, { manager: 403, staff: 403, parentA: 400, parentB: 400 }],
  // Media: records, bytes in each size, and uploads. Ava may not appear in Ben's journal, so
  // the group photo is not Ben's family's to see (no redacted copy exists).
  ['GET', '/api/v1/media/${MA}', null, { manager: 200, staff: 200, parentA: 404, parentB: 404 }],
  ['GET', '/api/v1/media/${MH}', null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ...['thumbnail', 'display', 'original'].flatMap((v) => [
    ['GET', `/api/v1/media/\${MA}/${v}`, null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
    ['GET', `/api/v1/media/\${MG}/${v}`, null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
    ['GET', `/api/v1/media/\${MH}/${v}`, null, { manager: 200, staff: 200, parentA: 200, parentB: 404 }],
  ]),
  ['GET', '/api/v1/media/${MA}/poster', null, { manager: 404, staff: 404, parentA: 404, parentB: 404 }],
  ['POST', '/api/v1/media/${MA}/redact', { regions: [] }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/media/${MG}/redact', { bogus: 1 }, { manager: 400, staff: 400, parentA: 403, parentB: 403 }],
  ['POST', '/api/v1/uploads', null, { manager: 400, staff: 400, parentA: 400, parentB: 400 }, { 'tus-resumable': '1.0.0' }],
  ['HEAD', '/api/v1/uploads/${U}', null, { manager: 404, staff: 200, parentA: 404, parentB: 404 }, { 'tus-resumable': '1.0.0' }],
  ['PATCH', '/api/v1/uploads/${U}', null, { manager: 404, staff: 409, parentA: 404, parentB: 404 },
    { 'tus-resumable': '1.0.0', 'upload-offset': '5', 'content-type': 'application/offset+octet-stream' }],
  ['DELETE', '/api/v1/uploads/${U}', null, { manager: 404, staff: 204, parentA: 404, parentB: 404 }, { 'tus-resumable': '1.0.0' }],
];

const fill = (text) => text.replace(/\$\{(\w+)\}/g, (_, name) => ids[name]);
const fillBody = (body) => body === null ? undefined : JSON.parse(fill(JSON.stringify(body)));

test('every journal endpoint answers each role exactly as the access rules say', async () => {
  const failures = [];
  for (const [method, path, body, expected, headers] of MATRIX) {
    const all = { ...expected, deactivated: 401, none: 401 };
    for (const [role, status] of Object.entries(all)) {
      const res = await who[role].request(method, fill(path), { body: fillBody(body), headers, raw: method === 'PATCH' && headers ? 'x' : undefined });
      if (res.status !== status) failures.push(`${role} ${method} ${path}: expected ${status}, got ${res.status} ${res.text.slice(0, 120)}`);
      if (role === 'parentB') {
        for (const secret of A_SECRETS) {
          if (res.text.includes(secret)) failures.push(`parentB ${method} ${path} leaked "${secret}"`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('parent B sees the group entry with only Ben in it, and only their own thread', async () => {
  const entry = (await who.parentB.get(`/api/v1/entries/${ids.EG}`)).json.entry;
  assert.deepEqual(entry.child_ids, [ids.B]);
  const feed = (await who.parentB.get('/api/v1/feed')).json.entries;
  assert.deepEqual(feed.map((e) => e.id).sort(), [ids.EB, ids.EG].sort());
  for (const e of feed) assert.deepEqual(e.child_ids, [ids.B]);
  const children = (await who.parentB.get('/api/v1/children')).json.children;
  assert.deepEqual(children.map((c) => c.id), [ids.B]);
  const thread = (await who.parentB.get(`/api/v1/entries/${ids.EG}/threads/${ids.B}`)).json.comments;
  assert.deepEqual(thread.map((c) => c.body), ['Ben was so proud.']);
  const contributions = (await who.parentB.get('/api/v1/contributions')).json.contributions;
  assert.deepEqual(contributions, []);
});

test('guessing ids finds nothing: unknown and forbidden look the same to a parent', async () => {
  const unknown = '0123456789abcdef0123456789abcdef';
  for (const path of [`/api/v1/entries/${unknown}`, `/api/v1/children/${unknown}`, `/api/v1/entries/${ids.EA}`, `/api/v1/children/${ids.A}`]) {
    const res = await who.parentB.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.json.error, 'not_found');
  }
});
