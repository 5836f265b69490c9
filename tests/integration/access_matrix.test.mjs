// The access matrix against the real stack (nginx + nestboxd on loopback): every API route ×
// every kind of caller, asserting the exact status (and, where given, the error code) each gets.
//
// Callers (ROLES): manager (the first manager, at an office computer: no tablet), staff (Kate,
// on the setting's registered tablet), parentA (carer of child A), parentB (carer of child B
// only), deactivated (the session of an account since deactivated), childView (a staff tablet
// session switched into child view of child A) and none (no session at all).
//
// The file has four parts:
//   1. Helpers: the roles, the defaults (stated once: defaultExpectation), route matching, fill.
//   2. The fixture (before): a setting with two families, entries, comments, media, uploads.
//   3. MATRIX: one row per request shape — `row(method, path, {role: expected}, options)` —
//      with real ids (`${name}` is filled from the fixture's ids, or from the row's `fresh`
//      values made just before each role's request). EXEMPTIONS: the (route, role) pairs that
//      cannot get a 2xx here, each with its reason.
//   4. Tests: route coverage (from `nestboxd --routes`: every route has, for every role, a row
//      or a stated default, and a 2xx row for every role its audience allows, unless exempt);
//      the matrix itself (rows in a seeded random order; every answer to parent B searched for
//      child A's secrets, every answer to the child view of A for child B's); the families'
//      own views; and no existence oracles (every `:param` route asked with the other family's
//      real ids and with random ids must answer byte for byte the same).
//
// Writes that succeed are harmless or self-restoring: unique names, throwaway accounts, devices,
// sessions, children and uploads made per request (`fresh`), `restore` where a row changes
// something shared, and each lockdown engaged for one request, lifted and everyone signed in
// again. So rows pass in any order (set NESTBOX_MATRIX_SEED to replay an order).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSetUpStack, tusUpload, mediaReady, daemonBinary, Tablet, waitFor, MANAGER_PASSWORD } from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// 1. Helpers
// ---------------------------------------------------------------------------------------------

const ROLES = ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'];

// The only defaults, for roles a row does not name. Nothing else is assumed: manager, staff and
// both parents are named in rows, and every role is named on open routes.
//   - deactivated and none: 401 on every route that needs a session (audience other than open);
//   - childView: 403 {"error":"child_view"} on every session route not marked child_view.
function defaultExpectation(route, role) {
  if (route.audience === 'open') return undefined;
  if (role === 'deactivated' || role === 'none') return 401;
  if (role === 'childView' && !route.child_view) return '403 child_view';
  return undefined;
}

// Which roles a route's declared audience lets in (so each needs a 2xx row or an exemption).
// The child view is a staff session, let in only where the route says child_view.
function allowedRoles(route) {
  const byAudience = {
    open: ROLES,
    signed_in: ['manager', 'staff', 'parentA', 'parentB'],
    staff: ['manager', 'staff'],
    manager: ['manager'],
    parent: ['parentA', 'parentB'],
  }[route.audience];
  if (!byAudience) throw new Error(`${route.method} ${route.pattern}: unknown audience ${route.audience}`);
  const roles = [...byAudience];
  if (route.child_view && (route.audience === 'signed_in' || route.audience === 'staff')) roles.push('childView');
  return [...new Set(roles)];
}

// Expectations are a status (200) or a status and error code ('403 staff_only').
function parseExpected(expected) {
  const [status, error] = String(expected).split(' ');
  return { status: Number(status), error };
}
const is2xx = (expected) => parseExpected(expected).status >= 200 && parseExpected(expected).status < 300;

// Role gates, spelled out once.
const MANAGER_ONLY = { staff: '403 manager_only', parentA: '403 manager_only', parentB: '403 manager_only' };
const STAFF_ONLY = { parentA: '403 staff_only', parentB: '403 staff_only' };
const PARENTS_ONLY = { manager: '403 parents_only', staff: '403 parents_only' };
const everyone = (expected) => Object.fromEntries(ROLES.map((r) => [r, expected]));

// The route a request reaches: same method, same number of segments, every literal segment
// equal; the most literal pattern wins (/media/:id/audience over /media/:id/:variant).
function routeFor(routes, method, target) {
  const segments = target.split('?')[0].split('/');
  let best = null;
  let bestLiterals = -1;
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/');
    if (pattern.length !== segments.length) continue;
    if (!pattern.every((p, i) => p.startsWith(':') || p === segments[i])) continue;
    const literals = pattern.filter((p) => !p.startsWith(':')).length;
    if (literals > bestLiterals) { best = route; bestLiterals = literals; }
  }
  return best;
}
const routeKey = (route) => `${route.method} ${route.pattern}`;

// `${name}` in paths and bodies, from the fixture's ids and the row's fresh values. An unknown
// name is an error, never a placeholder that 404s by accident.
function fill(text, values) {
  return text.replace(/\$\{(\w+)\}/g, (_, name) => {
    if (values[name] === undefined) throw new Error(`no value for \${${name}} in ${text}`);
    return values[name];
  });
}
function fillBody(body, values) {
  if (body === undefined || body === null) return undefined;
  const plain = typeof body === 'function' ? body(values) : body;
  return plain === undefined ? undefined : JSON.parse(fill(JSON.stringify(plain), values));
}

const randomId = () => crypto.randomBytes(16).toString('hex');
let serial = 0;
const unique = (prefix) => `${prefix}-${++serial}-${crypto.randomBytes(2).toString('hex')}`;
// A child of no family in the matrix, and an invitation letter for them (a letter names its child).
async function throwawayInvitation() {
  const child = (await who.manager.post('/api/v1/children', { first_name: 'Kit', last_name: `Spare ${++serial}`,
    date_of_birth: '2022-03-03', room_id: ids.room, started_on: '2025-09-01' })).json.child;
  const res = await who.manager.post(`/api/v1/children/${child.id}/invitations`, {});
  if (res.status !== 201) throw new Error(`invitation: ${res.status} ${res.text}`);
  return res.json.invitation;
}

// A seeded shuffle (mulberry32), so a failing order can be replayed.
function shuffled(items, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function expectOk(res, what) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.json;
}

// Backups (issue 19): the backup agent runs (harness: in a loop, folder targets allowed under
// stack.backupTargets). A fresh key each time, confirmed with the two groups asked for; rows
// that need backups set up get them set up once, and the agent's answer waited for.
const BACKUP_TARGET = { kind: 'directory', path: '/will-be-under-the-stack' };
async function backupKey() {
  return expectOk(await manager.post('/api/v1/backups/setup', { target: BACKUP_TARGET, time: '02:00' }), 'backup setup').setup;
}
const typedGroups = (setup) => setup.confirm_groups.map((g) => setup.key.split('-')[g - 1]).join(' ');
const backupsSetUp = async () => {
  if (expectOk(await manager.get('/api/v1/backups'), 'backups').backups.configured) return {};
  const setup = await backupKey();
  const { request } = expectOk(await manager.post('/api/v1/backups/setup/confirm', { id: setup.id, typed: typedGroups(setup) }), 'backup confirm');
  await waitFor(async () => {
    const answer = expectOk(await manager.get(`/api/v1/backups/requests/${request.id}`), 'backup request').request;
    const { state } = answer;
    if (state === 'failed') throw new Error(`backups could not be set up: ${JSON.stringify(answer)}`);
    return state === 'done';
  }, 'the backup agent to set backups up', 60000, 100);
  return {};
};

const loadRoutes = () => JSON.parse(execFileSync(daemonBinary, ['--routes'], { encoding: 'utf8' }));

// ---------------------------------------------------------------------------------------------
// 2. The fixture
// ---------------------------------------------------------------------------------------------

const MANAGER_PIN = '4826';
const KATE = { username: 'kate', password: 'green apple orchard', pin: '5937' };
const PARENT_A = { username: 'parent.a', password: 'blue whale singing' };
const PARENT_B = { username: 'parent.b', password: 'red kite flying' };
const VISITOR = { username: 'visitor', password: 'yellow canoe drifting' };    // a parent of no child
const REDEEMER = { username: 'redeemer', password: 'purple heather hills' };   // redeems fresh codes
const THROWAWAY_PASSWORD = 'quiet river stones 7';
const CHANGED_PASSWORD = 'bright cedar lantern 8';
const A_NAME = { first: 'Ava-Rose', last: 'Ahmedova' };
const B_NAME = { first: 'Benedikt', last: 'Brownlow' };
const TUS = { 'tus-resumable': '1.0.0' };
const TUS_CREATE = { ...TUS, 'upload-length': '1000' };
const TUS_PATCH = { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };

let stack;
let manager;
let photo;            // a small JPEG
let who = {};         // role -> Client
let ids = {};         // named resources
let userOf = {};      // role -> the account id behind its session
const A_SECRETS = []; // never in an answer to parent B
const B_SECRETS = []; // never in an answer to the child view of child A

async function signedIn(username, password, options = {}) {
  const client = stack.client();
  expectOk(await client.signIn(username, password, options), `sign-in ${username}`);
  return client;
}

// Another session of the same kind as a role's (for rows that end or change their session).
const freshSession = {
  manager: () => signedIn('manager', MANAGER_PASSWORD, { tablet: null }),
  staff: () => signedIn(KATE.username, KATE.password),
  parentA: () => signedIn(PARENT_A.username, PARENT_A.password),
  parentB: () => signedIn(PARENT_B.username, PARENT_B.password),
  childView: async () => {
    const client = await signedIn(KATE.username, KATE.password);
    expectOk(await client.post('/api/v1/child-view', { child_id: ids.A }), 'enter child view');
    return client;
  },
};

async function sessionIdOf(client) {
  return expectOk(await client.get('/api/v1/me/sessions'), 'sessions').sessions.find((s) => s.current).id;
}

// An account made by the manager (not signed in); its one-time code is returned.
async function newAccount(role, prefix = 'tmp') {
  const username = unique(`${prefix}.${role}`);
  const created = expectOk(await manager.post('/api/v1/users', { username, display_name: `Temp ${username}`, role }), 'user');
  return { id: created.user.id, username, code: created.one_time_code.code };
}

// A throwaway account of a role's kind, signed in the way that role signs in (the manager at
// the office, staff on the tablet; parents linked to their family's child, agreement accepted).
async function throwawayOf(role) {
  const kind = role === 'manager' ? 'manager' : role === 'staff' ? 'staff' : 'parent';
  const account = await newAccount(kind);
  expectOk(await stack.client().post('/api/v1/auth/redeem-code',
    { username: account.username, code: account.code, new_password: THROWAWAY_PASSWORD }), 'redeem');
  if (role === 'parentA' || role === 'parentB') {
    expectOk(await manager.request('PUT', `/api/v1/children/${role === 'parentA' ? ids.A : ids.B}/carers/${account.id}`), 'link');
  }
  const client = await signedIn(account.username, THROWAWAY_PASSWORD, kind === 'staff' ? {} : { tablet: null });
  if (kind === 'parent') {
    const { version } = expectOk(await client.get('/api/v1/agreement'), 'agreement');
    expectOk(await client.post('/api/v1/agreement/accept', { version }), 'accept');
  }
  return { client, id: account.id, password: THROWAWAY_PASSWORD };
}

async function uploadPhoto(client) {
  const id = await tusUpload(client, photo);
  await mediaReady(client, id);
  return id;
}

async function startedUpload(client) {
  const res = await client.request('POST', '/api/v1/uploads', { headers: TUS_CREATE });
  if (res.status !== 201) throw new Error(`upload create: ${res.status} ${res.text}`);
  return res.headers.location.split('/').pop();
}

async function enrolledDevice() {
  return (await Tablet.enrol(stack, manager, unique('Throwaway tablet'))).id;
}
async function pendingDevice() {
  return expectOk(await manager.post('/api/v1/devices', { name: unique('Pending tablet') }), 'device').device.id;
}
async function freshChild() {
  return expectOk(await manager.post('/api/v1/children', { first_name: unique('Temp'), last_name: 'Child',
    date_of_birth: '2022-03-03', room_id: ids.room2, started_on: '2025-09-01' }), 'child').child.id;
}
async function freshContribution() {
  return expectOk(await who.parentA.post('/api/v1/contributions',
    { child_id: ids.A, title: unique('Home painting'), observed_on: '2026-05-21' }), 'contribution').contribution.id;
}
async function tabletProof() {
  const { challenge, signature } = await (await stack.tablet()).proof();
  return { challenge, signature };
}

// The sessions the matrix uses, made in before() and again after each lockdown (engaging one
// signs everyone out), with a spare session of each family for the oracle test to aim at.
async function signEveryoneIn() {
  who.manager = manager = await freshSession.manager();
  who.staff = await freshSession.staff();
  who.parentA = await freshSession.parentA();
  who.parentB = await freshSession.parentB();
  who.childView = await freshSession.childView();
  ids.sessionA = await sessionIdOf(await freshSession.parentA());
  ids.sessionB = await sessionIdOf(await freshSession.parentB());
  A_SECRETS.push(ids.sessionA);
  B_SECRETS.push(ids.sessionB);
}

// Lockdown, engaged for one request and lifted again with the manager's password and PIN.
const LIFT = { username: 'manager', password: MANAGER_PASSWORD, pin: MANAGER_PIN,
  fault: 'A test of the lockdown switch', rectification: 'Nothing needed putting right' };
async function engageLockdown() {
  const office = await freshSession.manager();
  expectOk(await office.post('/api/v1/lockdown', { reason: 'Matrix test of the switch', confirm: true }), 'engage lockdown');
}
async function liftAndSignEveryoneIn() {
  if (expectOk(await stack.client().get('/api/v1/lockdown'), 'lockdown notice').engaged) {
    expectOk(await stack.client().post('/api/v1/lockdown/lift', LIFT), 'lift lockdown');
  }
  await signEveryoneIn();
}

// Journal exports (issue 20): each is its requester's alone. Waits until `client` has none in
// progress (a second of the same children is refused meanwhile), then makes one and waits for it.
async function exportsSettled(client) {
  await waitFor(async () => {
    const list = expectOk(await client.get('/api/v1/exports'), 'exports').exports;
    return !list.some((e) => e.state === 'queued' || e.state === 'running');
  }, 'the exports in progress to finish', 60000, 100);
}
async function readyExport(client, childId) {
  await exportsSettled(client);
  const made = expectOk(await client.post('/api/v1/exports', { child_id: childId }), 'export').export;
  await exportsSettled(client);
  const done = expectOk(await client.get(`/api/v1/exports/${made.id}`), 'export').export;
  if (done.state !== 'ready') throw new Error(`export ${done.state}: ${JSON.stringify(done.error)}`);
  return made.id;
}
// A ready export of the role's own (a family's of their child, the manager's of A); the others,
// who cannot make one, are aimed at the manager's.
const EXPORTERS = { manager: 'A', parentA: 'A', parentB: 'B' };
const ownExport = async (role) => {
  const owner = EXPORTERS[role] ? role : 'manager';
  return { exportId: await readyExport(who[owner], ids[EXPORTERS[owner]]) };
};
const exporterSettled = async (role) => { if (EXPORTERS[role]) await exportsSettled(who[role]); return {}; };

async function acceptAgreement(client) {
  const { version } = expectOk(await client.get('/api/v1/agreement'), 'agreement');
  expectOk(await client.post('/api/v1/agreement/accept', { version }), 'accept');
}

// The box camera (issue 18) is the file-backed test camera: one picture, sent as frames.
const cameraDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-matrix-camera-'));
// Kate's tablet holds the camera for one request: opened (and, for a frame or a still, a
// frame waited for) just before it, closed right after.
const cameraOpen = (withFrame) => async (role) => {
  if (role !== 'staff') return {};
  expectOk(await who.staff.post('/api/v1/camera/session', {}), 'camera session');
  if (withFrame) await waitFor(async () => (await who.staff.get('/api/v1/camera/preview')).status === 200, 'the camera’s first frame');
  return { undo: async () => { await who.staff.delete('/api/v1/camera/session'); } };
};

before(async () => {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', path.join(cameraDir, 'artwork.jpg')]);
  ({ stack, manager } = await startSetUpStack({ extraConfig: `camera = files:${cameraDir}\n`, outside: true }));
  expectOk(await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: MANAGER_PIN }), 'manager PIN');
  const staff = await stack.addUser(manager, KATE.username, 'staff', KATE.password);
  expectOk(await staff.client.post('/api/v1/me/pin', { password: KATE.password, pin: KATE.pin }), 'Kate PIN');
  const parentA = await stack.addUser(manager, PARENT_A.username, 'parent', PARENT_A.password);
  const parentB = await stack.addUser(manager, PARENT_B.username, 'parent', PARENT_B.password);
  const leaver = await stack.addUser(manager, 'leaver', 'staff', 'autumn leaves falling');
  const visitor = await stack.addUser(manager, VISITOR.username, 'parent', VISITOR.password);
  const redeemer = await stack.addUser(manager, REDEEMER.username, 'parent', REDEEMER.password);
  const room = expectOk(await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' }), 'room').room;
  const room2 = expectOk(await manager.post('/api/v1/rooms', { name: 'Pre-school', release_mode: 'scheduled' }), 'room 2').room;
  const child = async (name) => expectOk(await manager.post('/api/v1/children', { first_name: name.first, last_name: name.last,
    date_of_birth: '2022-01-10', room_id: room.id, started_on: '2025-09-01' }), name.first).child;
  const childA = await child(A_NAME);
  const childB = await child(B_NAME);
  expectOk(await manager.request('PUT', `/api/v1/children/${childA.id}/carers/${parentA.id}`), 'link A');
  expectOk(await manager.request('PUT', `/api/v1/children/${childB.id}/carers/${parentB.id}`), 'link B');
  for (const p of [parentA, parentB]) await acceptAgreement(p.client);
  // Photo consent: both in their own journals; A not in other children's (as the matrix's
  // consent row also records, so row order does not matter).
  expectOk(await manager.request('PUT', `/api/v1/children/${childA.id}/consent`, { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'consent A');
  expectOk(await manager.request('PUT', `/api/v1/children/${childB.id}/consent`, { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent B');
  const photoFile = path.join(stack.root, 'photo.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x480', '-frames:v', '1', photoFile]);
  photo = fs.readFileSync(photoFile);
  const ma = await uploadPhoto(staff.client);
  const mb = await uploadPhoto(staff.client);
  const mg = await uploadPhoto(staff.client);
  const mh = await uploadPhoto(parentA.client);
  const mhb = await uploadPhoto(parentB.client);
  const entry = async (children, title, media = []) => expectOk(await staff.client.post('/api/v1/entries', {
    kind: 'observation', title, body: `${title} body`, observed_on: '2026-05-20', child_ids: children, aspect_ids: ['eyfs.m.n'], media,
  }), title).entry;
  const ea = await entry([childA.id], `${A_NAME.first} alone at the sand tray`, [{ id: ma, child_ids: [childA.id] }]);
  const eb = await entry([childB.id], `${B_NAME.first} alone at the water tray`, [{ id: mb, child_ids: [childB.id] }]);
  const eg = await entry([childA.id, childB.id], 'Group tower building', [{ id: mg, child_ids: [childA.id, childB.id] }]);
  const commentA = expectOk(await parentA.client.post(`/api/v1/entries/${eg.id}/threads/${childA.id}`, { body: `${A_NAME.first} told us all about the tower!` }), 'comment A').comment;
  const commentB = expectOk(await parentB.client.post(`/api/v1/entries/${eg.id}/threads/${childB.id}`, { body: 'Ben was so proud.' }), 'comment B').comment;
  const commentEB = expectOk(await parentB.client.post(`/api/v1/entries/${eb.id}/threads/${childB.id}`, { body: `${B_NAME.first} splashed everyone!` }), 'comment EB').comment;
  const ha = expectOk(await parentA.client.post('/api/v1/contributions', { child_id: childA.id, title: 'Planting seeds at home', observed_on: '2026-05-21', media_ids: [mh] }), 'home A').contribution;
  const hb = expectOk(await parentB.client.post('/api/v1/contributions', { child_id: childB.id, title: 'Baking scones at home', observed_on: '2026-05-21', media_ids: [mhb] }), 'home B').contribution;
  const unfinished = await startedUpload(staff.client);  // Kate's, started and not finished
  expectOk(await manager.post(`/api/v1/users/${leaver.id}/deactivate`, {}), 'deactivate');
  const spare = expectOk(await manager.post('/api/v1/devices', { name: 'Spare tablet' }), 'spare device').device;
  const tablet = await stack.tablet();
  const invitation = expectOk(await manager.post(`/api/v1/children/${childA.id}/invitations`, {}), 'invitation').invitation;
  const { targets } = await stack.startBackupAgent();
  BACKUP_TARGET.path = `${targets}/matrix-repo`;
  const backupRequest = expectOk(await manager.post('/api/v1/backups/disks', {}), 'backup disks').request;
  ids = {
    room: room.id, room2: room2.id, A: childA.id, B: childB.id, EA: ea.id, EB: eb.id, EG: eg.id, HA: ha.id, HB: hb.id,
    MA: ma, MB: mb, MG: mg, MH: mh, MHB: mhb, U: unfinished, commentA: commentA.id, commentB: commentB.id,
    commentEB: commentEB.id, staffId: staff.id, parentAId: parentA.id, parentBId: parentB.id, visitorId: visitor.id,
    redeemerId: redeemer.id, tablet: tablet.id, spare: spare.id, invitation: invitation.id, backupRequest: backupRequest.id,
    template: expectOk(await manager.get('/api/v1/templates'), 'templates').templates[0].id,
  };
  who = { deactivated: leaver.client, none: stack.client() };
  await signEveryoneIn();
  ids.exportA = await readyExport(who.parentA, ids.A);
  ids.exportB = await readyExport(who.parentB, ids.B);
  userOf = { manager: (await manager.get('/api/v1/auth/session')).json.user.id, staff: staff.id, parentA: parentA.id,
    parentB: parentB.id, deactivated: leaver.id, childView: staff.id, none: randomId() };
  A_SECRETS.push(ids.exportA);
  B_SECRETS.push(ids.exportB);
  A_SECRETS.push(childA.id, A_NAME.first, A_NAME.last, ea.id, ha.id, ma, mg, mh, unfinished, commentA.id, commentA.body,
    'sand tray', 'Planting seeds', parentA.id, `Name ${PARENT_A.username}`);
  B_SECRETS.push(childB.id, B_NAME.first, B_NAME.last, eb.id, hb.id, mb, mhb, commentB.id, commentB.body, commentEB.id,
    commentEB.body, 'water tray', 'Baking scones', parentB.id, `Name ${PARENT_B.username}`);
});
after(async () => { await stack?.stop(); fs.rmSync(cameraDir, { recursive: true, force: true }); });

// ---------------------------------------------------------------------------------------------
// 3. The matrix
// ---------------------------------------------------------------------------------------------

// row(method, path, expected, options):
//   expected  {role: 200 | '403 staff_only' ...}; roles left out get DEFAULTS (defaultExpectation)
//   body      an object (`${name}` filled) or (values) => object
//   headers   extra request headers; raw: a raw request body (tus PATCH)
//   fresh     async (role) => values made just before that role's request; a `client` among
//             them is used instead of the role's usual one (a session of the same kind), and an
//             `undo` is awaited right after that request
//   restore   async () => undo what the row's successful writes changed for everyone else
const row = (method, target, expected, options = {}) => ({ method, path: target, expected, ...options });

// Per-role values used by several rows.
const own = async (role) => ({ self: userOf[role] });
const session = (roles) => async (role) => (roles.includes(role) ? { client: await freshSession[role]() } : {});
const throwaway = (roles) => async (role) => {
  if (!roles.includes(role)) return { password: 'not the password' };
  const t = await throwawayOf(role);
  return { client: t.client, password: t.password };
};
// Values made only for some roles; the others get `otherwise()` (real ids, read when the row runs).
const forRoles = (roles, make, otherwise) => async (role) => (roles.includes(role) ? make(role) : otherwise());

// A fresh remembered sign-in of parent A or B, with the phone's key (P1363, as WebCrypto signs).
async function rememberedPhone(role) {
  const { username, password } = role === 'parentA' ? PARENT_A : PARENT_B;
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const client = stack.client();
  expectOk(await client.post('/api/v1/auth/sign-in', { username, password,
    remember_key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') }), `remembered ${username}`);
  return { client, sign: (text) => crypto.sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64') };
}

const MATRIX = [
  // --- The box, open to everyone -------------------------------------------------------------
  row('GET', '/api/v1/ca.crt', everyone(200)),
  row('GET', '/api/v1/ca.sha256', everyone(200)),
  row('GET', '/api/v1/box', everyone(200)),
  row('GET', '/api/v1/lockdown', everyone(200)),
  row('GET', '/api/v1/setup', everyone('410 setup_complete')),
  row('POST', '/api/v1/setup', everyone('410 setup_complete'), { body: { code: 'AAAA-BBBB-CCCC-DDDD', setting_name: 'Another',
    framework: 'eyfs', username: 'intruder', display_name: 'Intruder', password: 'Correct horse battery 9' } }),
  row('OPTIONS', '/api/v1/uploads', everyone(204)),

  // --- Signing in: open; each role's cookie is sent along and changes nothing --------------------
  row('POST', '/api/v1/auth/sign-in', everyone(200), { body: { username: VISITOR.username, password: VISITOR.password } }),
  row('POST', '/api/v1/auth/sign-in', everyone('400 invalid_request'), { body: { username: VISITOR.username } }),
  row('POST', '/api/v1/auth/redeem-code', everyone(200), {
    fresh: async () => ({ code: expectOk(await manager.post(`/api/v1/users/${ids.redeemerId}/reset-code`, {}), 'code').one_time_code.code }),
    body: { username: REDEEMER.username, code: '${code}', new_password: REDEEMER.password } }),
  row('POST', '/api/v1/auth/pin', everyone(200), {
    fresh: async () => (await (await stack.tablet()).proof()),
    body: { user_id: '${staffId}', pin: KATE.pin, device_id: '${device_id}', challenge: '${challenge}', signature: '${signature}' } }),
  row('POST', '/api/v1/devices/enrol', everyone(201), {
    fresh: async () => ({ code: expectOk(await manager.post('/api/v1/devices', { name: unique('Enrolling tablet') }), 'device').enrolment.code,
      key: new Tablet(stack, 'x').publicKey }),
    body: { code: '${code}', public_key: '${key}' } }),
  row('POST', '/api/v1/devices/enrol', everyone('400 invalid_request'), { body: { code: 'AAAA-BBBB' } }),
  row('POST', '/api/v1/devices/${tablet}/challenge', everyone(200), { body: {} }),
  row('POST', '/api/v1/devices/${tablet}/people', everyone(200), { fresh: tabletProof, body: { challenge: '${challenge}', signature: '${signature}' } }),

  // --- The session --------------------------------------------------------------------------
  row('GET', '/api/v1/auth/session', { manager: 200, staff: 200, parentA: 200, parentB: 200, childView: 200 }),
  // Signing out ends the session: a fresh one of the same kind is signed out.
  row('POST', '/api/v1/auth/sign-out', { manager: 200, staff: 200, parentA: 200, parentB: 200, childView: 200 },
    { fresh: session(['manager', 'staff', 'parentA', 'parentB', 'childView']), body: {} }),
  row('GET', '/api/v1/me/sessions', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  // Ending one of my own sessions (another of mine, opened for the purpose).
  row('DELETE', '/api/v1/me/sessions/${mine}', { manager: 200, staff: 200, parentA: 200, parentB: 200 }, {
    fresh: async (role) => ({ mine: freshSession[role] && role !== 'childView' ? await sessionIdOf(await freshSession[role]()) : ids.sessionA }) }),
  // Someone else's session is "not found" (a session of parent A's that no one else uses).
  row('DELETE', '/api/v1/me/sessions/${sessionA}', { manager: '404 not_found', staff: '404 not_found', parentB: '404 not_found' }),
  // Changing a password ends the account's other sessions: throwaway accounts of each kind.
  row('POST', '/api/v1/me/password', { manager: 200, staff: 200, parentA: 200, parentB: 200 }, {
    fresh: throwaway(['manager', 'staff', 'parentA', 'parentB']),
    body: (v) => ({ current_password: v.password, new_password: CHANGED_PASSWORD }) }),
  row('POST', '/api/v1/auth/sign-out-everywhere', { manager: 200, staff: 200, parentA: 200, parentB: 200 }, {
    fresh: throwaway(['manager', 'staff', 'parentA', 'parentB']), body: {} }),
  // Setting the PIN each already has (no change). Parents have no PIN.
  row('POST', '/api/v1/me/pin', { manager: 200, staff: 200, parentA: '400 invalid', parentB: '400 invalid' }, {
    fresh: async (role) => ({ password: { manager: MANAGER_PASSWORD, staff: KATE.password, parentA: PARENT_A.password, parentB: PARENT_B.password }[role] ?? 'x',
      pin: role === 'manager' ? MANAGER_PIN : KATE.pin }),
    body: { password: '${password}', pin: '${pin}' } }),
  // Renewing the tablet's proof: only a session bound to that tablet.
  row('POST', '/api/v1/auth/renew', { manager: '403 device_not_recognised', staff: 200, parentA: '403 device_not_recognised', parentB: '403 device_not_recognised' }, {
    fresh: async () => (await (await stack.tablet()).proof()),
    body: { device_id: '${device_id}', challenge: '${challenge}', signature: '${signature}' } }),

  // Remembered phones (issue 32): a family's session kept on their phone renews with its key.
  // Each parent's row runs on a fresh remembered sign-in; staff and managers are never remembered.
  row('POST', '/api/v1/auth/remember/challenge', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }, {
    fresh: forRoles(['parentA', 'parentB'], async (role) => ({ client: (await rememberedPhone(role)).client }), async () => ({})), body: {} }),
  // An ordinary (not remembered) session of a parent has nothing to renew.
  row('POST', '/api/v1/auth/remember/challenge', { ...PARENTS_ONLY, parentA: '409 not_remembered', parentB: '409 not_remembered' }, { body: {} }),
  row('POST', '/api/v1/auth/remember/renew', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }, {
    fresh: forRoles(['parentA', 'parentB'], async (role) => {
      const phone = await rememberedPhone(role);
      const { challenge } = (await phone.client.post('/api/v1/auth/remember/challenge', {})).json;
      return { client: phone.client, challenge, signature: phone.sign(challenge) };
    }, async () => ({ challenge: 'x', signature: 'x' })),
    body: { challenge: '${challenge}', signature: '${signature}' } }),
  // The password given again: each with their own, and a wrong one refused beside its field.
  row('POST', '/api/v1/auth/confirm-password', { manager: 200, staff: 200, parentA: 200, parentB: 200 }, {
    fresh: async (role) => ({ password: { manager: MANAGER_PASSWORD, staff: KATE.password, parentA: PARENT_A.password, parentB: PARENT_B.password }[role] ?? 'x' }),
    body: { password: '${password}' } }),
  row('POST', '/api/v1/auth/confirm-password', { manager: '400 wrong_password', staff: '400 wrong_password', parentA: '400 wrong_password', parentB: '400 wrong_password' }, {
    body: { password: 'not the password at all' } }),

  // --- Child view -----------------------------------------------------------------------------
  // Entering changes the session: a fresh tablet session of Kate's enters it.
  row('POST', '/api/v1/child-view', { manager: '403 device_required', staff: 200, ...STAFF_ONLY }, {
    fresh: session(['staff']), body: { child_id: '${A}' } }),
  row('POST', '/api/v1/child-view', { staff: '404 not_found' }, { fresh: session(['staff']), body: { child_id: randomId() } }),
  row('GET', '/api/v1/child-view', { manager: '403 not_in_child_view', staff: '403 not_in_child_view', parentA: '403 not_in_child_view',
    parentB: '403 not_in_child_view', childView: 200 }),
  row('POST', '/api/v1/child-view/leave', { manager: '409 not_in_child_view', staff: '409 not_in_child_view', parentA: '409 not_in_child_view',
    parentB: '409 not_in_child_view', childView: 200 }, { fresh: session(['childView']), body: { pin: KATE.pin } }),

  // --- Accounts -------------------------------------------------------------------------------
  row('GET', '/api/v1/users', { manager: 200, ...MANAGER_ONLY }),
  // The to-do's filtered lists (issue 32): a manager's; a bad value is a clear 400.
  row('GET', '/api/v1/users?needs=pin', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/users?needs=code_unused', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/users?needs=code_expired', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/users?needs=everything', { manager: '400 invalid_request', ...MANAGER_ONLY }),
  row('POST', '/api/v1/users', { manager: 201, ...MANAGER_ONLY }, {
    fresh: async () => ({ name: unique('new.parent') }), body: { username: '${name}', display_name: 'New parent', role: 'parent' } }),
  row('POST', '/api/v1/users', { manager: '400 invalid_request', ...MANAGER_ONLY }, { body: { username: 'x', role: 'boss' } }),
  row('GET', '/api/v1/users/${self}', { manager: 200, staff: 200, parentA: 200, parentB: 200 }, { fresh: own }),
  row('GET', '/api/v1/users/${parentAId}', { manager: 200, staff: '403 manager_only', parentA: 200, parentB: '403 manager_only' }),
  row('PATCH', '/api/v1/users/${visitorId}', { manager: 200, ...MANAGER_ONLY }, { body: { display_name: `Name ${VISITOR.username}` } }),
  row('POST', '/api/v1/users/${user}/deactivate', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => ({ user: (await newAccount('parent')).id }), body: {} }),
  row('POST', '/api/v1/users/${user}/reactivate', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => {
      const user = (await newAccount('parent')).id;
      expectOk(await manager.post(`/api/v1/users/${user}/deactivate`, {}), 'deactivate');
      return { user };
    }, body: {} }),
  row('POST', '/api/v1/users/${user}/reset-code', { manager: 201, ...MANAGER_ONLY }, {
    fresh: async () => ({ user: (await newAccount('parent')).id }), body: {} }),
  row('PUT', '/api/v1/users/${user}/pin', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => ({ user: (await newAccount('staff')).id }), body: { pin: '7315' } }),
  row('PUT', '/api/v1/users/${parentAId}/pin', { manager: '400 invalid', ...MANAGER_ONLY }, { body: { pin: '7315' } }),

  // --- The setting and its audit log ----------------------------------------------------------
  row('GET', '/api/v1/settings', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  row('PATCH', '/api/v1/settings', { manager: 200, ...MANAGER_ONLY }, { body: { name: 'Rainbow Nursery' } }),
  row('PATCH', '/api/v1/settings', { manager: '400 invalid_request', ...MANAGER_ONLY }, { body: { idle_minutes_staff: 'five' } }),
  row('GET', '/api/v1/audit', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/storage', { manager: 200, ...MANAGER_ONLY }),  // the data disk on the managers' home
  row('GET', '/api/v1/redactions/to-mark-again', { manager: 200, ...MANAGER_ONLY }),  // photos redacted the old way (issue 32)
  row('PATCH', '/api/v1/settings', { manager: '400 invalid', ...MANAGER_ONLY }, { body: { redaction_margin_pct: 51 } }),
  row('GET', '/api/v1/audit/events', { manager: 200, ...MANAGER_ONLY }),

  // --- Rooms and release dates (the second room has no children) ------------------------------
  row('GET', '/api/v1/rooms', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/rooms', { manager: 201, ...MANAGER_ONLY }, { fresh: async () => ({ name: unique('Room') }), body: { name: '${name}' } }),
  row('POST', '/api/v1/rooms', { manager: '409 name_taken', ...MANAGER_ONLY }, { body: { name: 'Nursery' } }),
  row('POST', '/api/v1/rooms', { manager: '400 invalid_request', ...MANAGER_ONLY }, { body: { bogus: true } }),
  row('PATCH', '/api/v1/rooms/${room}', { manager: 200, ...MANAGER_ONLY }, { body: { release_mode: 'live' } }),
  row('GET', '/api/v1/rooms/${room}/releases', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/rooms/${room2}/releases', { manager: 201, ...MANAGER_ONLY }, { body: { at: '2099-01-01' } }),
  row('DELETE', '/api/v1/rooms/${room2}/releases/4070908800', { manager: 200, ...MANAGER_ONLY }),
  row('POST', '/api/v1/rooms/${room2}/release-now', { manager: 200, ...MANAGER_ONLY }, { body: {} }),

  // --- Children, carers, consent --------------------------------------------------------------
  row('GET', '/api/v1/children', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  // The to-do's filtered lists of children (issue 32): a manager's, refused to staff and parents.
  row('GET', '/api/v1/children?needs=consent', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/children?needs=parent', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/children?needs=observation', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/children?needs=observation&key_person=none', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/children?key_person=none', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  row('GET', '/api/v1/children?needs=everything', { manager: '400 invalid_request', staff: '400 invalid_request',
    parentA: '400 invalid_request', parentB: '400 invalid_request' }),
  row('GET', '/api/v1/children?needs=consent&include_left=true', { manager: '400 invalid_request', staff: '400 invalid_request',
    parentA: '400 invalid_request', parentB: '400 invalid_request' }),
  row('POST', '/api/v1/children', { manager: 201, ...MANAGER_ONLY }, {
    fresh: async () => ({ name: unique('Temp') }),
    body: { first_name: '${name}', last_name: 'Child', date_of_birth: '2022-03-03', room_id: '${room2}', started_on: '2025-09-01' } }),
  row('POST', '/api/v1/children', { manager: '400 invalid', ...MANAGER_ONLY },
    { body: { first_name: 'X', last_name: 'Y', date_of_birth: 'bad', room_id: '${room}', started_on: '2025-09-01' } }),
  row('GET', '/api/v1/children/${A}', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/children/${B}', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200 }),
  row('PATCH', '/api/v1/children/${A}', { manager: 200, ...MANAGER_ONLY }, { body: { first_name: A_NAME.first } }),
  row('GET', '/api/v1/children/${A}/carers', { manager: 200, ...MANAGER_ONLY }),
  row('PUT', '/api/v1/children/${child}/carers/${visitorId}', { manager: 200, ...MANAGER_ONLY }, { fresh: async () => ({ child: await freshChild() }) }),
  row('PUT', '/api/v1/children/${B}/carers/${staffId}', { manager: '400 invalid', ...MANAGER_ONLY }),
  row('DELETE', '/api/v1/children/${child}/carers/${visitorId}', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => {
      const child = await freshChild();
      expectOk(await manager.request('PUT', `/api/v1/children/${child}/carers/${ids.visitorId}`), 'link');
      return { child };
    } }),
  // A family reads what was recorded for their own child (issue 16); another family's is "not found".
  row('GET', '/api/v1/children/${A}/consent', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('PUT', '/api/v1/children/${A}/consent', { manager: 200, ...MANAGER_ONLY },
    { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }),
  // The role is checked before the body is read: without it, these would be 400 for everyone.
  row('PUT', '/api/v1/children/${A}/consent', { manager: '400 invalid_request', ...MANAGER_ONLY }, { body: { own_journal_photos: 'yes' } }),
  row('GET', '/api/v1/children/${B}/consent', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200 }),
  // --- Families linked safely (issue 16) ---------------------------------------------------------
  row('POST', '/api/v1/children/${B}/invitations', { manager: 201, ...MANAGER_ONLY }, { body: {} }),
  row('GET', '/api/v1/children/${A}/invitations', { manager: 200, ...MANAGER_ONLY }),
  row('DELETE', '/api/v1/invitations/${invite}', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => ({ invite: expectOk(await who.manager.post(`/api/v1/children/${ids.B}/invitations`, {}), 'invite').invitation.id }) }),
  row('GET', '/api/v1/invitations/waiting', { manager: 200, ...MANAGER_ONLY }),
  row('POST', '/api/v1/invitations/${invitation}/confirm', { manager: '409 not_waiting', ...MANAGER_ONLY }, { body: {} }),
  row('POST', '/api/v1/invitations/${invite}/confirm', { manager: 200, ...MANAGER_ONLY }, {
    // A throwaway family's existing account claims an invitation for B; the manager confirms.
    fresh: async () => {
      const invite = expectOk(await who.manager.post(`/api/v1/children/${ids.B}/invitations`, {}), 'invite').invitation;
      const name = unique('claimer').toLowerCase().replace(/[^a-z0-9.]/g, '');
      const claimer = await stack.addUser(who.manager, name, 'parent', 'sunny meadow walks');
      expectOk(await claimer.client.post('/api/v1/invitations/claim', { code: invite.code }), 'claim');
      return { invite: invite.id };
    },
    body: {} }),
  // A new family's letter: no session needed; the code is bound to the child. Wrong codes get one answer.
  // (A letter names its child, so these rows use a throwaway child of their own, not A or B.)
  row('POST', '/api/v1/invitations/redeem', everyone(201), {
    fresh: async () => ({ code: (await throwawayInvitation()).code, username: unique('new.family').toLowerCase().replace(/[^a-z0-9.]/g, '') }),
    body: { code: '${code}', username: '${username}', display_name: 'New family', password: 'sunny meadow walks' } }),
  row('POST', '/api/v1/invitations/redeem', everyone('400 invalid_invitation'),
    { body: { code: 'AAAA-BBBB-CCCC-DDDD', username: 'nobody.here', display_name: 'Nobody', password: 'sunny meadow walks' } }),
  row('POST', '/api/v1/invitations/claim', { ...PARENTS_ONLY, parentA: '400 invalid_invitation', parentB: '400 invalid_invitation' },
    { body: { code: 'AAAA-BBBB-CCCC-DDDD' } }),
  row('POST', '/api/v1/invitations/claim', { ...PARENTS_ONLY, parentA: 202, parentB: 202 },
    { fresh: async () => ({ code: (await throwawayInvitation()).code }), body: { code: '${code}' } }),
  row('GET', '/api/v1/manager/summary', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/children/${A}/consent/history', { manager: 200, ...MANAGER_ONLY }),

  // --- Data has an end (issue 21): leavers, erasure, requests, opt-out, retention ----------------
  // A manager restores a leaver (a throwaway child with a leaving date); a current child has nothing to restore.
  row('POST', '/api/v1/children/${child}/restore', { manager: 200, ...MANAGER_ONLY }, {
    fresh: forRoles(['manager'], async () => {
      const child = await freshChild();
      expectOk(await manager.request('PATCH', `/api/v1/children/${child}`, { body: { left_on: '2025-12-01' } }), 'leaving date');
      return { child };
    }, async () => ({ child: ids.B })),
    body: {} }),
  row('POST', '/api/v1/children/${B}/restore', { manager: '409 not_leaving', ...MANAGER_ONLY }, { body: {} }),
  // Erasing: the manager's password and PIN and the child's name typed; a throwaway child is erased.
  row('POST', '/api/v1/children/${child}/erase', { manager: 200, ...MANAGER_ONLY }, {
    fresh: forRoles(['manager'], async () => {
      const child = await freshChild();
      const c = expectOk(await manager.get(`/api/v1/children/${child}`), 'child').child;
      return { child, confirm: `${c.first_name} ${c.last_name}` };
    }, async () => ({ child: ids.B, confirm: 'x' })),
    body: { password: MANAGER_PASSWORD, pin: MANAGER_PIN, confirm: '${confirm}' } }),
  row('POST', '/api/v1/children/${B}/erase', { manager: '422 confirm_mismatch', ...MANAGER_ONLY },
    { body: { password: MANAGER_PASSWORD, pin: MANAGER_PIN, confirm: 'Not the name' } }),
  row('POST', '/api/v1/children/${B}/erase', { manager: '401 invalid_credentials', ...MANAGER_ONLY },
    { body: { password: MANAGER_PASSWORD, pin: '0000', confirm: 'x' } }),
  row('GET', '/api/v1/erasure/reviews', { manager: 200, ...MANAGER_ONLY }),
  row('GET', '/api/v1/erasure/requests', { manager: 200, ...MANAGER_ONLY }),
  // An entry left to review: it names a throwaway child who is then erased.
  row('POST', '/api/v1/erasure/reviews/entries/${entry}/done', { manager: 204, ...MANAGER_ONLY }, {
    fresh: forRoles(['manager'], async () => {
      const named = expectOk(await manager.get(`/api/v1/children/${await freshChild()}`), 'child').child;
      const entry = expectOk(await who.staff.post('/api/v1/entries', { kind: 'observation', status: 'draft',
        title: `Played with ${named.first_name}`, observed_on: '2026-05-20', child_ids: [await freshChild()], aspect_ids: [] }), 'entry').entry;
      expectOk(await manager.post(`/api/v1/children/${named.id}/erase`,
        { password: MANAGER_PASSWORD, pin: MANAGER_PIN, confirm: `${named.first_name} ${named.last_name}` }), 'erase');
      return { entry: entry.id };
    }, async () => ({ entry: ids.EA })),
    body: {} }),
  row('POST', '/api/v1/erasure/reviews/entries/${EA}/done', { manager: '404 not_found', ...MANAGER_ONLY }, { body: {} }),
  row('GET', '/api/v1/retention', { manager: 200, ...MANAGER_ONLY }),
  // A family asks for their own child's erasure (and withdraws it); another family's child does not exist.
  row('GET', '/api/v1/children/${A}/erasure-request', { parentA: 200, parentB: '404 not_found', ...PARENTS_ONLY }),
  row('GET', '/api/v1/children/${B}/erasure-request', { parentA: '404 not_found', parentB: 200, ...PARENTS_ONLY }),
  row('POST', '/api/v1/children/${A}/erasure-request', { parentA: 201, parentB: '404 not_found', ...PARENTS_ONLY },
    { body: { note: 'Matrix' }, restore: async () => { await who.parentA.request('DELETE', `/api/v1/children/${ids.A}/erasure-request`); } }),
  row('POST', '/api/v1/children/${B}/erasure-request', { parentA: '404 not_found', parentB: 201, ...PARENTS_ONLY },
    { body: {}, restore: async () => { await who.parentB.request('DELETE', `/api/v1/children/${ids.B}/erasure-request`); } }),
  row('DELETE', '/api/v1/children/${A}/erasure-request', { parentA: 204, parentB: '404 not_found', ...PARENTS_ONLY }, {
    fresh: forRoles(['parentA'], async () => {
      expectOk(await who.parentA.post(`/api/v1/children/${ids.A}/erasure-request`, {}), 'ask');
      return {};
    }, async () => ({})) }),
  row('DELETE', '/api/v1/children/${B}/erasure-request', { parentA: '404 not_found', parentB: 204, ...PARENTS_ONLY }, {
    fresh: forRoles(['parentB'], async () => {
      expectOk(await who.parentB.post(`/api/v1/children/${ids.B}/erasure-request`, {}), 'ask');
      return {};
    }, async () => ({})) }),
  // A family opts their own child out at once; the register is put back afterwards.
  row('POST', '/api/v1/children/${A}/opt-out', { parentA: 200, parentB: '404 not_found', ...PARENTS_ONLY }, { body: {},
    restore: async () => { expectOk(await who.manager.request('PUT', `/api/v1/children/${ids.A}/consent`,
      { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'consent A'); } }),
  row('POST', '/api/v1/children/${B}/opt-out', { parentA: '404 not_found', parentB: 200, ...PARENTS_ONLY }, { body: {},
    restore: async () => { expectOk(await who.manager.request('PUT', `/api/v1/children/${ids.B}/consent`,
      { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent B'); } }),

  // --- The parent agreement ---------------------------------------------------------------------
  row('GET', '/api/v1/agreement', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  // A new version: both families accept it again afterwards.
  row('PUT', '/api/v1/agreement', { manager: 200, ...MANAGER_ONLY }, {
    body: { text: 'Please keep your login to yourself and never share photos of other children online.' },
    restore: async () => { for (const p of [who.parentA, who.parentB]) await acceptAgreement(p); } }),
  row('PUT', '/api/v1/agreement', { manager: '400 invalid', ...MANAGER_ONLY }, { body: { text: 'x' } }),
  row('POST', '/api/v1/agreement/accept', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }, {
    fresh: async (role) => ({ version: (await who[role].get('/api/v1/agreement')).json?.version ?? 1 }),
    body: (v) => ({ version: Number(v.version) }) }),
  row('POST', '/api/v1/agreement/accept', { ...PARENTS_ONLY, parentA: '409 agreement_changed', parentB: '409 agreement_changed' }, { body: { version: 999 } }),
  row('GET', '/api/v1/curriculum', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),

  // --- Entries ----------------------------------------------------------------------------------
  row('GET', '/api/v1/entries', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('GET', '/api/v1/entries?child=${A}', { manager: 200, staff: 200, ...STAFF_ONLY }),
  // Journal entries are made only from a registered tablet: not from the manager's office computer.
  row('POST', '/api/v1/entries', { manager: '403 device_required', staff: 201, ...STAFF_ONLY }, { body: {
    kind: 'observation', status: 'draft', title: 'Draft about blocks', observed_on: '2026-05-20', child_ids: ['${A}'], aspect_ids: [] } }),
  row('POST', '/api/v1/entries', { manager: '403 device_required', staff: '400 invalid', ...STAFF_ONLY },
    { body: { kind: 'observation', title: 'x', observed_on: '2026-05-20', child_ids: [] } }),
  row('GET', '/api/v1/entries/${EA}', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/entries/${EB}', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200 }),
  row('GET', '/api/v1/entries/${EG}', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  row('GET', '/api/v1/entries/${HA}', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('PATCH', '/api/v1/entries/${EA}', { manager: 200, staff: 200, ...STAFF_ONLY }, { body: { next_steps: 'Count to twenty' } }),
  row('PATCH', '/api/v1/entries/${EA}', { manager: '400 invalid_request', staff: '400 invalid_request', ...STAFF_ONLY }, { body: { title: 5 } }),
  row('GET', '/api/v1/entries/${EA}/versions', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/entries/${EA}/review', { manager: 200, ...MANAGER_ONLY }, { body: { action: 'reviewed' } }),
  row('GET', '/api/v1/feed', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }),
  row('GET', '/api/v1/feed?child=${A}', { ...PARENTS_ONLY, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/feed?child=${B}', { ...PARENTS_ONLY, parentA: '404 not_found', parentB: 200 }),

  // --- Comment threads: one per child and entry, each family only its own -----------------------
  row('GET', '/api/v1/entries/${EG}/threads/${A}', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/entries/${EG}/threads/${B}', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200 }),
  row('GET', '/api/v1/entries/${EA}/threads/${B}', { manager: '404 not_found', staff: '404 not_found', parentA: '404 not_found', parentB: '404 not_found' }),
  row('POST', '/api/v1/entries/${EG}/threads/${A}', { manager: 201, staff: 201, parentA: 201, parentB: '404 not_found' }, { body: { body: 'A note' } }),
  row('POST', '/api/v1/entries/${EG}/threads/${B}', { manager: 201, staff: 201, parentA: '404 not_found', parentB: 201 }, { body: { body: 'A note' } }),
  row('POST', '/api/v1/entries/${EA}/threads/${B}', { manager: '404 not_found', staff: '404 not_found', parentA: '404 not_found', parentB: '404 not_found' }, { body: { body: 'Wrong thread' } }),
  // Hiding a comment: a fresh one of parent A's each time.
  row('POST', '/api/v1/comments/${comment}/hide', { manager: 200, staff: 200, ...STAFF_ONLY }, {
    fresh: async () => ({ comment: expectOk(await who.parentA.post(`/api/v1/entries/${ids.EG}/threads/${ids.A}`, { body: 'Rude words' }), 'comment').comment.id }),
    body: { reason: 'Not kind' } }),
  row('POST', '/api/v1/comments/${commentB}/hide', { manager: '400 invalid', staff: '400 invalid', ...STAFF_ONLY }, { body: { reason: '' } }),

  // --- Around an entry (issue 22): hearts, visits, recently tagged children, templates ----------
  // Discarding a draft never in the journal: the author's own (a fresh one each time) or, for a
  // manager, anyone's; an entry that reached the journal stays.
  row('DELETE', '/api/v1/entries/${draft}', { manager: 204, staff: 204, ...STAFF_ONLY }, {
    fresh: async () => ({ draft: expectOk(await who.staff.post('/api/v1/entries', { kind: 'observation', status: 'draft',
      title: '', observed_on: '2026-05-20', child_ids: [], aspect_ids: [] }), 'draft').entry.id }) }),
  row('DELETE', '/api/v1/entries/${EA}', { manager: '409 not_a_draft', staff: '409 not_a_draft', ...STAFF_ONLY }),
  // A heart goes on a family's own thread only; staff see who hearted, families never do.
  row('PUT', '/api/v1/entries/${EG}/threads/${A}/heart', { ...PARENTS_ONLY, parentA: 200, parentB: '404 not_found' }),
  row('PUT', '/api/v1/entries/${EG}/threads/${B}/heart', { ...PARENTS_ONLY, parentA: '404 not_found', parentB: 200 }),
  row('PUT', '/api/v1/entries/${EA}/threads/${B}/heart', { ...PARENTS_ONLY, parentA: '404 not_found', parentB: '404 not_found' }),
  row('DELETE', '/api/v1/entries/${EG}/threads/${A}/heart', { ...PARENTS_ONLY, parentA: 200, parentB: '404 not_found' }),
  row('DELETE', '/api/v1/entries/${EG}/threads/${B}/heart', { ...PARENTS_ONLY, parentA: '404 not_found', parentB: 200 }),
  row('GET', '/api/v1/entries/${EG}/hearts', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/feed/visit', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }, { body: {} }),
  row('GET', '/api/v1/feed?month=2026-13', { ...PARENTS_ONLY, parentA: '400 invalid_request', parentB: '400 invalid_request' }),
  // The months with something shared (issue 32): each family's own, one child's only if theirs.
  row('GET', '/api/v1/feed/months', { ...PARENTS_ONLY, parentA: 200, parentB: 200 }),
  row('GET', '/api/v1/feed/months?child=${A}', { ...PARENTS_ONLY, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/feed/months?child=${B}', { ...PARENTS_ONLY, parentA: '404 not_found', parentB: 200 }),
  row('GET', '/api/v1/me/recent-children', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('GET', '/api/v1/templates', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/templates', { manager: 201, ...MANAGER_ONLY },
    { fresh: async () => ({ name: unique('Template') }), body: { name: '${name}', title: 'From the matrix' } }),
  row('POST', '/api/v1/templates', { manager: '400 invalid', ...MANAGER_ONLY },
    { fresh: async () => ({ name: unique('Template') }), body: { name: '${name}', kind: 'newsletter' } }),
  row('PATCH', '/api/v1/templates/${template}', { manager: 200, ...MANAGER_ONLY }, { body: { next_steps: 'Next time: ' } }),
  row('DELETE', '/api/v1/templates/${tpl}', { manager: 204, ...MANAGER_ONLY }, {
    fresh: forRoles(['manager'], async () => ({ tpl: expectOk(await who.manager.post('/api/v1/templates',
      { name: unique('Spare template') }), 'template').template.id }), async () => ({ tpl: ids.template })) }),
  row('DELETE', '/api/v1/templates/${EA}', { manager: '404 not_found', ...MANAGER_ONLY }),

  // --- Parents' contributions -------------------------------------------------------------------
  row('GET', '/api/v1/contributions', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  row('POST', '/api/v1/contributions', { ...PARENTS_ONLY, parentA: 201, parentB: '400 invalid' }, { body: { child_id: '${A}', title: 'At home', observed_on: '2026-05-21' } }),
  row('POST', '/api/v1/contributions', { ...PARENTS_ONLY, parentA: '400 invalid', parentB: 201 }, { body: { child_id: '${B}', title: 'At home', observed_on: '2026-05-21' } }),
  row('POST', '/api/v1/contributions', { ...PARENTS_ONLY, parentA: '400 invalid_request', parentB: '400 invalid_request' }, { body: { child_id: 7 } }),
  row('POST', '/api/v1/contributions/${contribution}/approve', { manager: 200, staff: 200, ...STAFF_ONLY }, {
    fresh: async (role) => ({ contribution: role === 'manager' || role === 'staff' ? await freshContribution() : ids.HA }), body: {} }),
  row('POST', '/api/v1/contributions/${EA}/approve', { manager: '409 not_pending', staff: '409 not_pending', ...STAFF_ONLY }, { body: {} }),
  row('POST', '/api/v1/contributions/${contribution}/return', { manager: 200, staff: 200, ...STAFF_ONLY }, {
    fresh: async (role) => ({ contribution: role === 'manager' || role === 'staff' ? await freshContribution() : ids.HA }), body: { reason: 'Please add a photo' } }),
  row('POST', '/api/v1/contributions/${HA}/return', { manager: '400 invalid', staff: '400 invalid', ...STAFF_ONLY }, { body: { reason: '' } }),

  // --- Uploads (tus): each caller's own, fresh; nobody else's -----------------------------------
  // The manager's office computer is not a registered device, so it starts no uploads.
  row('POST', '/api/v1/uploads', { manager: '403 device_required', staff: 201, parentA: 201, parentB: 201 }, { headers: TUS_CREATE }),
  row('POST', '/api/v1/uploads', { manager: '412 tus_version', staff: '412 tus_version', parentA: '412 tus_version', parentB: '412 tus_version' }, { headers: { 'upload-length': '10' } }),
  ...[['HEAD', 200, TUS], ['PATCH', 204, TUS_PATCH], ['DELETE', 204, TUS]].flatMap(([method, ok, headers]) => [
    row(method, '/api/v1/uploads/${mine}', { manager: '404', staff: ok, parentA: ok, parentB: ok }, {
      fresh: forRoles(['staff', 'parentA', 'parentB'], async (role) => ({ mine: await startedUpload(who[role]) }), () => ({ mine: ids.U })),
      headers, raw: method === 'PATCH' ? 'x'.repeat(10) : undefined }),
    // Kate's unfinished upload: only Kate reaches it (her PATCH at a wrong offset changes nothing).
    row(method, '/api/v1/uploads/${U}', { manager: '404', staff: method === 'HEAD' ? 200 : method === 'PATCH' ? '409 offset_mismatch' : 204, parentA: '404', parentB: '404' }, {
      fresh: forRoles(['staff'], async () => ({ U: await startedUpload(who.staff) }), () => ({})),
      headers: method === 'PATCH' ? { ...TUS_PATCH, 'upload-offset': '5' } : headers, raw: method === 'PATCH' ? 'x' : undefined }),
  ]),

  // --- Media: records, bytes in each size, who will see an item, redaction ----------------------
  // A may not appear in other children's journals, so the group photo is not B's family's to see
  // (no redacted copy exists). A media record is a parent's only while it is their own upload.
  row('GET', '/api/v1/media/${MA}', { manager: 200, staff: 200, parentA: '404 not_found', parentB: '404 not_found' }),
  row('GET', '/api/v1/media/${MH}', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found' }),
  row('GET', '/api/v1/media/${MHB}', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200 }),
  row('GET', '/api/v1/media/${MG}/audience?child_ids=${A},${B}', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('GET', '/api/v1/media/${MG}/audience?child_ids=bad', { manager: '400 invalid_request', staff: '400 invalid_request', ...STAFF_ONLY }),
  ...['thumbnail', 'display', 'original'].flatMap((v) => [
    row('GET', `/api/v1/media/\${MA}/${v}`, { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found', childView: 200 }),
    row('GET', `/api/v1/media/\${MG}/${v}`, { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found', childView: 200 }),
  ]),
  row('GET', '/api/v1/media/${MB}/display', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200, childView: '404 not_found' }),
  // Parents' own uploads, in contributions still waiting for approval: not in the child's journal yet.
  row('GET', '/api/v1/media/${MH}/display', { manager: 200, staff: 200, parentA: 200, parentB: '404 not_found', childView: '404 not_found' }),
  row('GET', '/api/v1/media/${MHB}/display', { manager: 200, staff: 200, parentA: '404 not_found', parentB: 200, childView: '404 not_found' }),
  row('GET', '/api/v1/media/${MA}/poster', { manager: '404 not_found', staff: '404 not_found', parentA: '404 not_found', parentB: '404 not_found', childView: '404 not_found' }),
  // Redaction replaces the photo for families: a fresh photo of Kate's each time.
  row('POST', '/api/v1/media/${photo}/redact', { manager: 200, staff: 200, ...STAFF_ONLY }, {
    fresh: forRoles(['manager', 'staff'], async () => ({ photo: await uploadPhoto(who.staff) }), () => ({ photo: ids.MA })),
    body: { regions: [{ x: 10, y: 10, width: 50, height: 50 }] } }),
  row('POST', '/api/v1/media/${MA}/redact', { manager: '400 invalid', staff: '400 invalid', ...STAFF_ONLY }, { body: { regions: [] } }),

  // --- Devices: throwaway tablets for anything that changes or revokes one ----------------------
  row('GET', '/api/v1/devices', { manager: 200, staff: 200, ...STAFF_ONLY }),
  // The to-do's list of tablets not seen for 7 days (issue 32): a manager's.
  row('GET', '/api/v1/devices?not_seen=true', { manager: 200, staff: '403 manager_only', ...STAFF_ONLY }),
  row('GET', '/api/v1/devices?not_seen=yes', { manager: '400 invalid_request', staff: '400 invalid_request', ...STAFF_ONLY }),
  row('POST', '/api/v1/devices', { manager: 201, ...MANAGER_ONLY }, { fresh: async () => ({ name: unique('New tablet') }), body: { name: '${name}' } }),
  row('PATCH', '/api/v1/devices/${spare}', { manager: 200, ...MANAGER_ONLY }, { body: { name: 'Spare tablet' } }),
  row('POST', '/api/v1/devices/${device}/re-enrol', { manager: 200, ...MANAGER_ONLY }, { fresh: async () => ({ device: await enrolledDevice() }), body: {} }),
  row('POST', '/api/v1/devices/${device}/report', { manager: 200, staff: 200, ...STAFF_ONLY }, {
    fresh: forRoles(['manager', 'staff'], async () => ({ device: await enrolledDevice() }), () => ({ device: ids.tablet })),
    body: { what: 'lost', note: 'Left in the garden' } }),
  row('POST', '/api/v1/devices/${tablet}/report', { manager: '400 invalid', staff: '400 invalid', ...STAFF_ONLY }, { body: { what: 'misplaced' } }),
  row('POST', '/api/v1/devices/${spare}/acknowledge', { manager: 200, ...MANAGER_ONLY }, { body: {} }),
  row('POST', '/api/v1/devices/${device}/certificate', { manager: 201, ...MANAGER_ONLY }, { fresh: async () => ({ device: await pendingDevice() }), body: {} }),

  // --- Lockdown ---------------------------------------------------------------------------------
  // Engaging signs everyone out: each 2xx below is one engage-and-lift cycle, after which every
  // role signs in again (undo). Updates and lifting take a manager's username, password and PIN,
  // not a session: anyone at the box may type them, whatever their browser holds.
  row('POST', '/api/v1/lockdown', { manager: 200 }, {
    fresh: forRoles(['manager'], async () => ({ client: await freshSession.manager(), undo: liftAndSignEveryoneIn }), () => ({})),
    body: { reason: 'Matrix test of the switch', confirm: true } }),
  row('POST', '/api/v1/lockdown', { manager: '400 invalid_request', ...MANAGER_ONLY }, { body: { reason: 'Testing the switch' } }),
  row('POST', '/api/v1/lockdown/updates', everyone(201), {
    fresh: async () => { await engageLockdown(); return { undo: liftAndSignEveryoneIn }; },
    body: { username: 'manager', password: MANAGER_PASSWORD, pin: MANAGER_PIN, message: 'Checking every tablet.' } }),
  row('POST', '/api/v1/lockdown/updates', everyone('409 not_locked_down'), {
    body: { username: 'manager', password: MANAGER_PASSWORD, pin: MANAGER_PIN, message: 'Checking every tablet.' } }),
  row('POST', '/api/v1/lockdown/lift', everyone(200), {
    fresh: async () => { await engageLockdown(); return { undo: liftAndSignEveryoneIn }; }, body: LIFT }),
  row('POST', '/api/v1/lockdown/lift', everyone('409 not_locked_down'), { body: LIFT }),
  row('GET', '/api/v1/lockdown/incidents', { manager: 200, ...MANAGER_ONLY }),

  // --- The box camera (issue 18): staff on a registered tablet; one tablet at a time ----------
  row('GET', '/api/v1/camera', { manager: 200, staff: 200, ...STAFF_ONLY }),
  row('POST', '/api/v1/camera/session', { manager: '403 device_required', staff: 201, ...STAFF_ONLY }, {
    body: {}, fresh: async (role) => (role === 'staff' ? { undo: async () => { await who.staff.delete('/api/v1/camera/session'); } } : {}) }),
  row('POST', '/api/v1/camera/session/touch', { manager: '409 camera_not_open', staff: 200, ...STAFF_ONLY }, { body: {}, fresh: cameraOpen(false) }),
  row('POST', '/api/v1/camera/session/touch', { manager: '409 camera_not_open', staff: '409 camera_not_open', ...STAFF_ONLY }, { body: {} }),
  row('GET', '/api/v1/camera/preview', { manager: '409 camera_not_open', staff: 200, ...STAFF_ONLY }, { fresh: cameraOpen(true) }),
  row('GET', '/api/v1/camera/preview', { manager: '409 camera_not_open', staff: '409 camera_not_open', ...STAFF_ONLY }),
  row('POST', '/api/v1/camera/capture', { manager: '409 camera_not_open', staff: 201, ...STAFF_ONLY }, { body: {}, fresh: cameraOpen(true) }),
  row('DELETE', '/api/v1/camera/session', { manager: 204, staff: 204, ...STAFF_ONLY }, { fresh: cameraOpen(false) }),
  row('DELETE', '/api/v1/camera/session?holder=any', { manager: 204, staff: '403 manager_only', ...STAFF_ONLY }, { fresh: cameraOpen(false) }),
  row('DELETE', '/api/v1/camera/session?holder=mine', { manager: '400 invalid_request', staff: '400 invalid_request', ...STAFF_ONLY }),
  // --- Backups (issue 19): managers only; the setup page's restore only before setup --------
  row('GET', '/api/v1/backups', { manager: 200, ...MANAGER_ONLY }),
  row('POST', '/api/v1/backups/disks', { manager: 202, ...MANAGER_ONLY }, { body: {} }),
  // There are no USB disks here: listed (and answered), /dev/sda is not among them.
  row('POST', '/api/v1/backups/disks/prepare', { manager: '400 no_such_disk', ...MANAGER_ONLY }, {
    body: { device: '/dev/sda', confirm: 'SanDisk Ultra 62.7 GB' },
    fresh: async () => {
      const { request } = expectOk(await manager.post('/api/v1/backups/disks', {}), 'disks');
      await waitFor(async () => expectOk(await manager.get(`/api/v1/backups/requests/${request.id}`), 'disks').request.state === 'done',
        'the backup agent to list the disks', 60000, 100);
      return {};
    } }),
  row('POST', '/api/v1/backups/setup', { manager: 201, ...MANAGER_ONLY }, { body: { target: BACKUP_TARGET, time: '02:00' } }),
  row('POST', '/api/v1/backups/setup', { manager: '400 invalid', ...MANAGER_ONLY }, { body: { target: { kind: 'nfs' }, time: '02:00' } }),
  // The agent sets backups up after the 202: the rows after this one wait for it, or one that
  // sets backups up again would find the repository already made with this row's key.
  row('POST', '/api/v1/backups/setup/confirm', { manager: 202, ...MANAGER_ONLY }, {
    fresh: async () => { const setup = await backupKey(); return { setupId: setup.id, typed: typedGroups(setup) }; },
    body: { id: '${setupId}', typed: '${typed}' },
    restore: () => waitFor(async () => expectOk(await manager.get('/api/v1/backups'), 'backups').backups.configured,
      'the backup agent to finish setting backups up', 60000, 100) }),
  row('POST', '/api/v1/backups/setup/confirm', { manager: '400 key_mismatch', ...MANAGER_ONLY }, {
    fresh: async () => ({ setupId: (await backupKey()).id }), body: { id: '${setupId}', typed: 'AAAAA AAAAA' } }),
  row('POST', '/api/v1/backups/target', { manager: 202, ...MANAGER_ONLY }, { body: { target: BACKUP_TARGET }, fresh: backupsSetUp }),
  row('POST', '/api/v1/backups/test', { manager: 202, ...MANAGER_ONLY }, { body: {}, fresh: backupsSetUp }),
  row('POST', '/api/v1/backups/run', { manager: 202, ...MANAGER_ONLY }, { body: {}, fresh: backupsSetUp }),
  row('POST', '/api/v1/backups/snapshots', { manager: 202, ...MANAGER_ONLY }, { body: {}, fresh: backupsSetUp }),
  row('PUT', '/api/v1/backups/schedule', { manager: 200, ...MANAGER_ONLY }, { body: { time: '02:00' } }),
  row('PUT', '/api/v1/backups/schedule', { manager: '400 invalid', ...MANAGER_ONLY }, { body: { time: '2am' } }),
  row('GET', '/api/v1/backups/requests/${requestId}', { manager: 200, ...MANAGER_ONLY }, {
    fresh: async () => ({ requestId: expectOk(await manager.post('/api/v1/backups/disks', {}), 'disks').request.id }) }),
  row('POST', '/api/v1/setup/restore/disks', everyone('410 setup_complete'), { body: { code: 'AAAA-BBBB-CCCC-DDDD' } }),
  row('POST', '/api/v1/setup/restore/snapshots', everyone('410 setup_complete'),
    { body: { code: 'AAAA-BBBB-CCCC-DDDD', target: { kind: 'usb' }, key: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH' } }),
  row('POST', '/api/v1/setup/restore', everyone('410 setup_complete'), { body: { code: 'AAAA-BBBB-CCCC-DDDD', target: { kind: 'usb' },
    key: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH', snapshot: 'latest' } }),
  // Journal exports: a family of their own child, a manager of any; each export its requester's.
  row('POST', '/api/v1/exports', { manager: 202, parentA: 202, parentB: '404 not_found', staff: '403 forbidden' },
    { body: { child_id: '${A}' }, fresh: exporterSettled }),
  row('POST', '/api/v1/exports', { manager: 202, parentB: 202, parentA: '404 not_found', staff: '403 forbidden' },
    { body: { child_id: '${B}' }, fresh: exporterSettled }),
  row('POST', '/api/v1/exports', { manager: '422 no_leavers', parentA: '403 manager_only', parentB: '403 manager_only',
    staff: '403 manager_only' }, { body: { room_id: '${room2}', leavers: true } }),
  row('POST', '/api/v1/exports', { manager: '400 invalid_request', parentA: '400 invalid_request', parentB: '400 invalid_request',
    staff: '400 invalid_request' },
    { body: {} }),
  row('GET', '/api/v1/exports', { manager: 200, staff: 200, parentA: 200, parentB: 200 }),
  row('GET', '/api/v1/exports/reminder', { parentA: 200, parentB: 200, ...PARENTS_ONLY }),
  row('GET', '/api/v1/exports/${exportId}', { manager: 200, parentA: 200, parentB: 200, staff: '404 not_found' }, { fresh: ownExport }),
  row('GET', '/api/v1/exports/${exportId}/download', { manager: 200, parentA: 200, parentB: 200, staff: '404 not_found' },
    { fresh: ownExport }),
  row('DELETE', '/api/v1/exports/${exportId}', { manager: 204, parentA: 204, parentB: 204, staff: '404 not_found' }, { fresh: ownExport }),
  // A manager's request is not the setup page's: its id answers 404 there, as a random one does.
  row('GET', '/api/v1/setup/restore/requests/${requestId}', everyone('404 not_found'), {
    fresh: async () => ({ requestId: expectOk(await manager.post('/api/v1/backups/disks', {}), 'disks').request.id }) }),
];

// (route, role) pairs whose audience lets the role in but which get no 2xx in this file. Each
// names the role; the matrix still asserts what each of them gets.
const EXEMPTIONS = {};
function exempt(key, roles, reason) {
  for (const role of roles) (EXEMPTIONS[key] ??= {})[role] = reason;
}
const SETUP_DONE = 'setup answers only before the box is set up (410 after); tests/integration/setup.test.mjs covers its 2xx';
exempt('GET /api/v1/setup', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'], SETUP_DONE);
exempt('POST /api/v1/setup', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'], SETUP_DONE);
exempt('POST /api/v1/setup/restore/disks', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'], SETUP_DONE);
exempt('POST /api/v1/setup/restore/snapshots', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'], SETUP_DONE);
exempt('POST /api/v1/setup/restore', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'], SETUP_DONE);
exempt('GET /api/v1/setup/restore/requests/:id', ['manager', 'staff', 'parentA', 'parentB', 'deactivated', 'childView', 'none'],
  "only the setup page's own requests answer here, and the matrix's box is set up: tests/integration/backup_agent.test.mjs gets the 200");
exempt('POST /api/v1/backups/disks/prepare', ['manager'], 'preparing erases a real USB disk: tests/boot/boot-test prepares one in the QEMU boot (202 there)');
exempt('POST /api/v1/me/pin', ['parentA', 'parentB'], 'parents have no PIN (PINs are for staff tablets): 400 by design');
exempt('POST /api/v1/auth/renew', ['manager'], "the manager's office computer is not a registered device, so its session has no proof to renew: tests/integration/devices.test.mjs shows the office sign-in");
exempt('POST /api/v1/auth/renew', ['parentA', 'parentB'], "parents' sessions are never bound to a device (their own phones), so there is no proof to renew");
const STAFF_NO_EXPORT = 'staff do not export journals (a family or a manager does), so staff have no export of their own to reach';
exempt('POST /api/v1/exports', ['staff'], STAFF_NO_EXPORT);
for (const route of ['GET /api/v1/exports/:id', 'GET /api/v1/exports/:id/download', 'DELETE /api/v1/exports/:id']) exempt(route, ['staff'], STAFF_NO_EXPORT);
exempt('POST /api/v1/child-view', ['manager'], "child view opens only on a registered tablet; the manager's office computer is not one (403 device_required)");
const NOT_IN_CHILD_VIEW = 'only a session in child view has a child journal to show or a child view to leave; the childView row gets the 2xx';
exempt('GET /api/v1/child-view', ['manager', 'staff', 'parentA', 'parentB'], NOT_IN_CHILD_VIEW);
exempt('POST /api/v1/child-view/leave', ['manager', 'staff', 'parentA', 'parentB'], NOT_IN_CHILD_VIEW);
exempt('POST /api/v1/entries', ['manager'], "journal entries are made only from a device-bound session; the manager's office computer is not one (403 device_required)");
exempt('POST /api/v1/uploads', ['manager'], "uploads come only from registered tablets; the manager's office computer is not one (403 device_required)");
const NO_OWN_UPLOAD = "an upload is only its uploader's, and the manager's office computer cannot start one (403 device_required), so there is none of the manager's to reach";
exempt('HEAD /api/v1/uploads/:id', ['manager'], NO_OWN_UPLOAD);
exempt('PATCH /api/v1/uploads/:id', ['manager'], NO_OWN_UPLOAD);
exempt('DELETE /api/v1/uploads/:id', ['manager'], NO_OWN_UPLOAD);
const NO_CAMERA_AT_THE_OFFICE = "the box camera is used from registered tablets only; the manager's office computer cannot start it (403 device_required), so it never holds it";
exempt('POST /api/v1/camera/session', ['manager'], NO_CAMERA_AT_THE_OFFICE);
exempt('POST /api/v1/camera/session/touch', ['manager'], NO_CAMERA_AT_THE_OFFICE);
exempt('GET /api/v1/camera/preview', ['manager'], NO_CAMERA_AT_THE_OFFICE);
exempt('POST /api/v1/camera/capture', ['manager'], NO_CAMERA_AT_THE_OFFICE);

// ---------------------------------------------------------------------------------------------
// 4. Tests
// ---------------------------------------------------------------------------------------------

test('every route has a row for every role, and a 2xx row for every role it lets in (or a stated exemption)', () => {
  const routes = loadRoutes();
  const problems = [];
  const explicit = new Map();  // route key -> Set of roles named in a row
  const succeeded = new Map(); // route key -> Set of roles with a 2xx row
  for (const r of MATRIX) {
    const route = routeFor(routes, r.method, r.path);
    if (!route) { problems.push(`row ${r.method} ${r.path} reaches no route of nestboxd --routes`); continue; }
    const key = routeKey(route);
    for (const [role, expected] of Object.entries(r.expected)) {
      if (!ROLES.includes(role)) problems.push(`row ${r.method} ${r.path} names an unknown role ${role}`);
      (explicit.get(key) ?? explicit.set(key, new Set()).get(key)).add(role);
      if (is2xx(expected)) (succeeded.get(key) ?? succeeded.set(key, new Set()).get(key)).add(role);
    }
  }
  for (const route of routes) {
    const key = routeKey(route);
    const named = explicit.get(key) ?? new Set();
    const ok = succeeded.get(key) ?? new Set();
    const allowed = allowedRoles(route);
    for (const role of ROLES) {
      if (!named.has(role) && defaultExpectation(route, role) === undefined) problems.push(`${key}: no row for ${role}`);
      if (allowed.includes(role) && !ok.has(role) && !EXEMPTIONS[key]?.[role]) problems.push(`${key}: no 2xx row for ${role} (audience ${route.audience})`);
    }
  }
  for (const [key, roles] of Object.entries(EXEMPTIONS)) {
    const route = routes.find((r) => routeKey(r) === key);
    if (!route) { problems.push(`exemption for ${key}, which is not a route`); continue; }
    for (const [role, reason] of Object.entries(roles)) {
      if (!reason || reason.length < 20) problems.push(`exemption ${key} ${role} gives no reason`);
      if (!allowedRoles(route).includes(role)) problems.push(`exemption ${key} ${role}: the audience does not let ${role} in anyway`);
      if (succeeded.get(key)?.has(role)) problems.push(`exemption ${key} ${role} is stale: a row gets a 2xx`);
    }
  }
  assert.deepEqual(problems, []);
});

test('every route answers each role exactly as the access rules say', async (t) => {
  const routes = loadRoutes();
  const seed = Number(process.env.NESTBOX_MATRIX_SEED) || crypto.randomInt(1, 2 ** 31);
  t.diagnostic(`row order seed ${seed} (NESTBOX_MATRIX_SEED=${seed} replays it)`);
  const failures = [];
  let requests = 0;
  for (const r of shuffled(MATRIX, seed)) {
    const route = routeFor(routes, r.method, r.path);
    assert.ok(route, `${r.method} ${r.path} reaches no route`);
    const expectations = {};
    for (const role of ROLES) {
      const expected = r.expected[role] ?? defaultExpectation(route, role);
      if (expected !== undefined) expectations[role] = expected;
    }
    for (const role of shuffled(Object.keys(expectations), seed + requests)) {
      const label = `${role} ${r.method} ${r.path}`;
      let res;
      try {
        const made = r.fresh ? await r.fresh(role) : {};
        const values = { ...ids, ...made };
        const client = made.client ?? who[role];
        res = await client.request(r.method, fill(r.path, values), { body: fillBody(r.body, values), headers: r.headers, raw: r.raw });
        if (made.undo) await made.undo();
      } catch (e) {
        failures.push(`${label}: ${e.message}`);
        continue;
      }
      ++requests;
      const { status, error } = parseExpected(expectations[role]);
      // HEAD answers have no body: their status alone is compared.
      if (res.status !== status || (error && r.method !== 'HEAD' && res.json?.error !== error)) {
        failures.push(`${label}: expected ${expectations[role]}, got ${res.status} ${res.text.slice(0, 160)}`);
      }
      const secrets = role === 'parentB' ? A_SECRETS : role === 'childView' ? B_SECRETS : [];
      const answer = `${res.text} ${res.headers.location ?? ''}`;
      for (const secret of secrets) {
        if (answer.includes(secret)) failures.push(`${label} leaked "${secret}": ${res.text.slice(0, 160)}`);
      }
    }
    if (r.restore) await r.restore();
  }
  t.diagnostic(`${MATRIX.length} rows over ${new Set(MATRIX.map((r) => routeKey(routeFor(routes, r.method, r.path)))).size} routes, ${requests} requests`);
  assert.deepEqual(failures, []);
});

test('each family sees only its own child: B sees the group entry with only B in it, and only their own threads', async () => {
  const entry = expectOk(await who.parentB.get(`/api/v1/entries/${ids.EG}`), 'group entry').entry;
  assert.deepEqual(entry.child_ids, [ids.B]);
  assert.deepEqual(entry.media, [], 'the group photo shows A, who may not appear in other journals');
  const feed = expectOk(await who.parentB.get('/api/v1/feed'), 'feed').entries;
  assert.deepEqual(feed.map((e) => e.id).sort(), [ids.EB, ids.EG].sort());
  for (const e of feed) assert.deepEqual(e.child_ids, [ids.B]);
  const children = expectOk(await who.parentB.get('/api/v1/children'), 'children').children;
  assert.deepEqual(children.map((c) => c.id), [ids.B]);
  const thread = expectOk(await who.parentB.get(`/api/v1/entries/${ids.EG}/threads/${ids.B}`), 'thread').comments;
  assert.ok(thread.some((c) => c.body === 'Ben was so proud.'));
  const contributions = expectOk(await who.parentB.get('/api/v1/contributions'), 'contributions').contributions;
  assert.ok(contributions.some((c) => c.id === ids.HB));
  for (const c of contributions) assert.deepEqual(c.child_ids, [ids.B]);
  // The child view of A: A's journal, shaped as A's family sees it.
  const journal = expectOk(await who.childView.get('/api/v1/child-view'), 'child view');
  assert.equal(journal.child.id, ids.A);
  assert.ok(journal.entries.some((e) => e.id === ids.EA) && journal.entries.some((e) => e.id === ids.EG));
  for (const e of journal.entries) assert.deepEqual(e.child_ids, [ids.A]);
});

// Which real ids of the probed family go into each :param, by the route's path. `fam` is the
// family whose ids are probed, `own` the caller's. S(..) marks an id of the probed family (the
// other request has a random id there); K(..) is kept the same in both requests.
const S = (v) => ({ v, secret: true });
const K = (v) => ({ v, secret: false });
function probeVariants(pattern, fam, own) {
  const under = (prefix) => pattern === prefix || pattern.startsWith(`${prefix}/`);
  if (under('/api/v1/entries/:id/threads/:child')) {
    return [{ id: S(fam.entry), child: S(fam.child) }, { id: S(fam.entry), child: K(own.child) },
      { id: K(ids.EG), child: S(fam.child) }, { id: S(fam.home), child: S(fam.child) }];
  }
  if (under('/api/v1/children/:id/carers/:parent')) return [{ id: S(fam.child), parent: S(fam.parent) }, { id: K(own.child), parent: S(fam.parent) }];
  if (under('/api/v1/children/:id')) return [{ id: S(fam.child) }];
  if (under('/api/v1/entries/:id')) return [{ id: S(fam.entry) }, { id: S(fam.home) }];
  if (under('/api/v1/media/:id')) return fam.media.map((m) => ({ id: S(m), variant: K('thumbnail') }));
  if (under('/api/v1/uploads/:id')) return [{ id: S(ids.U) }];
  if (under('/api/v1/users/:id')) return [{ id: S(fam.parent) }];
  if (under('/api/v1/devices/:id')) return [{ id: S(ids.tablet) }];
  if (under('/api/v1/comments/:id')) return fam.comments.map((c) => ({ id: S(c) }));
  if (under('/api/v1/contributions/:id')) return [{ id: S(fam.home) }];
  if (under('/api/v1/rooms/:id')) return [{ id: S(ids.room), at: K('4070908800') }];
  if (under('/api/v1/me/sessions/:id')) return [{ id: S(fam.session) }];
  if (under('/api/v1/invitations/:id')) return [{ id: S(ids.invitation) }];
  if (under('/api/v1/exports/:id')) return [{ id: S(fam.export) }];
  if (under('/api/v1/erasure/reviews/entries/:id')) return [{ id: S(fam.entry) }, { id: S(fam.home) }];
  // Templates are the setting's own wording, not a family's; probed all the same.
  if (under('/api/v1/templates/:id')) return [{ id: S(ids.template) }];
  // A manager's backup request: no one else learns it exists, not even the setup page.
  if (under('/api/v1/backups/requests/:id') || under('/api/v1/setup/restore/requests/:id')) return [{ id: S(ids.backupRequest) }];
  return null;
}

// The same request both times: bodies that would be accepted if the caller were let in.
function probeRequest(route) {
  const key = routeKey(route);
  if (key.includes('/uploads/:id')) {
    return route.method === 'PATCH' ? { headers: { ...TUS_PATCH, 'upload-offset': '0' }, raw: 'x' } : { headers: TUS };
  }
  const bodies = {
    'PATCH /api/v1/users/:id': { display_name: 'Probe' },
    'PUT /api/v1/users/:id/pin': { pin: '7315' },
    'PATCH /api/v1/rooms/:id': { release_mode: 'live' },
    'POST /api/v1/rooms/:id/releases': { at: '2099-01-01' },
    'PATCH /api/v1/children/:id': { first_name: 'Probe' },
    'PUT /api/v1/children/:id/consent': { own_journal_photos: true, other_journals: true, online_journal_opt_out: false },
    'PATCH /api/v1/entries/:id': { next_steps: 'Probe' },
    'POST /api/v1/entries/:id/review': { action: 'reviewed' },
    'POST /api/v1/entries/:id/threads/:child': { body: 'Probe' },
    'PATCH /api/v1/templates/:id': { body: 'Probe' },
    'POST /api/v1/comments/:id/hide': { reason: 'Probe' },
    'POST /api/v1/contributions/:id/return': { reason: 'Probe' },
    'POST /api/v1/media/:id/redact': { regions: [{ x: 1, y: 1, width: 5, height: 5 }] },
    'PATCH /api/v1/devices/:id': { name: 'Probe' },
    'POST /api/v1/devices/:id/report': { what: 'lost' },
    'POST /api/v1/devices/:id/people': { challenge: 'probe', signature: 'probe' },
  };
  if (bodies[key]) return { body: bodies[key] };
  return ['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: {} } : {};
}

// Routes whose answer may tell a real id from a random one, each with its reason. Not a family's
// or a child's data; nothing else may be listed here.
const ORACLE_EXEMPT = {
  'POST /api/v1/devices/:id/challenge': 'a registered tablet\'s own id (128 random bits, kept only on that tablet) is not a ' +
    'family\'s data, and a revoked or re-enrolled tablet must learn from the 404 that the box no longer knows it, so it ' +
    'forgets its key (web/src/device.ts)',
};

// Answers compared as text. A device challenge is fresh random bytes each time, so its value
// (only) is compared by shape.
const comparable = (res) => `${res.status} ${res.text.replace(/"challenge":"[A-Za-z0-9+/=]{44}"/, '"challenge":"<fresh>"')}`;

test('no existence oracles: the other family\'s real ids answer exactly like random ones', async (t) => {
  const routes = loadRoutes();
  const families = {
    A: { child: ids.A, parent: ids.parentAId, entry: ids.EA, home: ids.HA, media: [ids.MA, ids.MG, ids.MH], comments: [ids.commentA], session: ids.sessionA, export: ids.exportA },
    B: { child: ids.B, parent: ids.parentBId, entry: ids.EB, home: ids.HB, media: [ids.MB, ids.MHB], comments: [ids.commentB, ids.commentEB], session: ids.sessionB, export: ids.exportB },
  };
  // Parent B probes child A's family; the child view of A probes child B's.
  const callers = [['parentB', families.A, families.B], ['childView', families.B, families.A]];
  const failures = [];
  const exemptUsed = new Set();
  let pairs = 0;
  const compare = async (caller, label, method, real, random, options = {}) => {
    const a = await who[caller].request(method, real, options);
    const b = await who[caller].request(method, random, options.randomBody ? { ...options, body: options.randomBody } : options);
    ++pairs;
    if (comparable(a) !== comparable(b)) {
      failures.push(`${caller} ${label}:\n    real   ${real} -> ${a.status} ${a.text.slice(0, 200)}\n    random ${random} -> ${b.status} ${b.text.slice(0, 200)}`);
    }
  };
  for (const [caller, fam, own] of callers) {
    for (const route of routes.filter((r) => r.pattern.includes('/:'))) {
      if (ORACLE_EXEMPT[routeKey(route)]) { exemptUsed.add(routeKey(route)); continue; }
      const variants = probeVariants(route.pattern, fam, own);
      if (!variants) { failures.push(`${routeKey(route)}: no probe ids for its parameters (add them to probeVariants)`); continue; }
      for (const variant of variants) {
        const params = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]);
        const missing = params.filter((p) => !variant[p]);
        if (missing.length) { failures.push(`${routeKey(route)}: no probe id for :${missing.join(', :')}`); continue; }
        const randoms = Object.fromEntries(params.map((p) => [p, variant[p].secret ? randomId() : variant[p].v]));
        const real = route.pattern.replace(/:(\w+)/g, (_, p) => variant[p].v);
        const random = route.pattern.replace(/:(\w+)/g, (_, p) => randoms[p]);
        await compare(caller, routeKey(route), route.method, real, random, probeRequest(route));
      }
    }
    // Ids in bodies and queries: the other family's child or media in a contribution, their child
    // in a feed.
    const home = (child) => ({ child_id: child, title: 'Probe', observed_on: '2026-05-21' });
    await compare(caller, 'POST /api/v1/contributions child_id', 'POST', '/api/v1/contributions', '/api/v1/contributions',
      { body: home(fam.child), randomBody: home(randomId()) });
    for (const media of fam.media) {
      const body = (m) => ({ child_id: own.child, title: 'Probe', observed_on: '2026-05-21', media_ids: [m] });
      await compare(caller, 'POST /api/v1/contributions media_ids', 'POST', '/api/v1/contributions', '/api/v1/contributions',
        { body: body(media), randomBody: body(randomId()) });
    }
    await compare(caller, 'GET /api/v1/feed?child=', 'GET', `/api/v1/feed?child=${fam.child}`, `/api/v1/feed?child=${randomId()}`);
  }
  for (const key of Object.keys(ORACLE_EXEMPT)) if (!exemptUsed.has(key)) failures.push(`${key}: exempt, but no such route`);
  t.diagnostic(`${pairs} comparisons of real and random ids`);
  assert.ok(pairs > 50, `${pairs} comparisons`);
  assert.deepEqual(failures, []);
});

// ---------------------------------------------------------------------------------------------
// 5. From outside (issue 31): the column over every route
// ---------------------------------------------------------------------------------------------

// How far each route reaches beyond the setting's network, stated here (a reviewer reads the
// policy in one place) and compared with what nestboxd declares. closed: nobody from outside;
// families: parents; managers_read: parents, and managers reading while the setting allows it.
const OUTSIDE = {
  families: [
    'GET /api/v1/box', 'POST /api/v1/auth/sign-in', 'POST /api/v1/auth/redeem-code', 'POST /api/v1/me/password',
    'PUT /api/v1/entries/:id/threads/:child/heart', 'DELETE /api/v1/entries/:id/threads/:child/heart', 'POST /api/v1/feed/visit',
    'GET /api/v1/feed/months',
    'GET /api/v1/children/:id/erasure-request', 'POST /api/v1/children/:id/erasure-request',
    'DELETE /api/v1/children/:id/erasure-request', 'POST /api/v1/children/:id/opt-out',
    'POST /api/v1/exports', 'GET /api/v1/exports', 'GET /api/v1/exports/reminder', 'GET /api/v1/exports/:id',
    'DELETE /api/v1/exports/:id', 'GET /api/v1/exports/:id/download', 'POST /api/v1/invitations/redeem',
    'POST /api/v1/invitations/claim', 'GET /api/v1/children/:id/consent', 'GET /api/v1/agreement',
    'POST /api/v1/agreement/accept', 'GET /api/v1/feed', 'POST /api/v1/entries/:id/threads/:child',
    'POST /api/v1/contributions', 'GET /api/v1/lockdown', 'OPTIONS /api/v1/uploads', 'POST /api/v1/uploads',
    'HEAD /api/v1/uploads/:id', 'PATCH /api/v1/uploads/:id', 'DELETE /api/v1/uploads/:id',
    'POST /api/v1/auth/remember/challenge', 'POST /api/v1/auth/remember/renew', 'POST /api/v1/auth/confirm-password',
  ],
  managers_read: [
    'GET /api/v1/auth/session', 'POST /api/v1/auth/sign-out', 'GET /api/v1/me/sessions', 'DELETE /api/v1/me/sessions/:id',
    'GET /api/v1/users/:id', 'GET /api/v1/settings', 'POST /api/v1/auth/sign-out-everywhere', 'GET /api/v1/entries/:id/hearts',
    'GET /api/v1/manager/summary', 'GET /api/v1/rooms', 'GET /api/v1/children', 'GET /api/v1/children/:id',
    'GET /api/v1/curriculum', 'GET /api/v1/entries', 'GET /api/v1/entries/:id', 'GET /api/v1/entries/:id/threads/:child',
    'GET /api/v1/contributions', 'GET /api/v1/media/:id', 'GET /api/v1/media/:id/:variant',
  ],
};
const outsideOf = (key) => (OUTSIDE.families.includes(key) ? 'families' : OUTSIDE.managers_read.includes(key) ? 'managers_read' : 'closed');
const OUTSIDE_REFUSALS = ['outside_closed', 'outside_staff', 'outside_managers_off', 'outside_manager_read_only', 'lockdown_outside'];

test('from outside: every route reaches exactly as far as the stated policy, and nestboxd declares the same', () => {
  const routes = loadRoutes();
  const keys = new Set(routes.map(routeKey));
  const problems = [];
  for (const key of [...OUTSIDE.families, ...OUTSIDE.managers_read]) if (!keys.has(key)) problems.push(`${key} is stated but is not a route`);
  for (const route of routes) {
    const key = routeKey(route);
    if (route.outside !== outsideOf(key)) problems.push(`${key}: nestboxd declares ${route.outside}, the policy says ${outsideOf(key)}`);
  }
  assert.deepEqual(problems, []);
});

// Every route asked from home (through the relay's PROXY header) by nobody, a parent, staff and
// a manager: closed routes refuse everyone, staff are refused everywhere, managers while the
// setting is off and, once it is on, everywhere but reading; what the outside lets through is
// then up to the route (its own rules, answered as on the setting's network).
test('from outside: the column over every route — nobody, a parent, staff, a manager (setting off, then on)', async (t) => {
  const routes = loadRoutes();
  const home = stack.home('198.51.100.99');
  // A parent of their own (so routes that end sessions end only theirs), signed in afresh
  // before each request that gets through; Kate's and the manager's sessions from the
  // setting's network, which no request from outside may use.
  const outsider = { username: 'outsider', password: 'far away hills 3' };
  await stack.addUser(manager, outsider.username, 'parent', outsider.password);
  // Each from its own home address: the public name's sign-in limit is per address.
  let homes = 0;
  const freshParent = async () => {
    const c = stack.home(`100.64.${Math.floor(homes / 250)}.${(homes++ % 250) + 1}`).client();
    expectOk(await c.signIn(outsider.username, outsider.password), 'outsider sign-in');
    return c;
  };
  const asSession = (client) => { const c = home.client(); c.cookie = client.cookie; c.csrf = client.csrf; return c; };
  const valuesFor = (pattern) => pattern.replace(/:[a-z]+/g, () => randomId());
  const failures = [];
  let requests = 0;
  const ask = async (label, client, route, expect) => {
    const res = await client.request(route.method, valuesFor(route.pattern), { body: ['GET', 'HEAD', 'OPTIONS'].includes(route.method) ? undefined : {} });
    ++requests;
    const error = route.method === 'HEAD' ? null : res.json?.error;
    const refused = res.status === 403 || res.status === 503 ? error : null;
    if (expect === 'through') {
      if (OUTSIDE_REFUSALS.includes(refused)) failures.push(`${label}: refused (${refused}), should get through`);
    } else if (route.method === 'HEAD' ? res.status !== 403 : refused !== expect) {
      failures.push(`${label}: expected 403 ${expect}, got ${res.status} ${res.text.slice(0, 120)}`);
    }
  };
  for (const route of routes) {
    const key = routeKey(route);
    const reach = outsideOf(key);
    const sessionRoute = route.audience !== 'open';
    await ask(`none ${key}`, home.client(), route, reach === 'closed' ? 'outside_closed' : 'through');
    const parentAllowed = reach !== 'closed';
    await ask(`parent ${key}`, parentAllowed ? await freshParent() : asSession(who.parentA), route, parentAllowed ? 'through' : 'outside_closed');
    await ask(`staff ${key}`, asSession(who.staff), route, reach === 'closed' ? 'outside_closed' : sessionRoute ? 'outside_staff' : 'through');
    await ask(`manager (setting off) ${key}`, asSession(who.manager), route,
      reach === 'closed' ? 'outside_closed' : sessionRoute ? 'outside_managers_off' : 'through');
  }
  // Managers read from outside once the setting allows it: GETs of managers_read routes get
  // through, families' routes and everything else do not.
  expectOk(await manager.patch('/api/v1/settings', { outside_manager_read: true }), 'allow managers outside');
  try {
    const boss = home.client();
    expectOk(await boss.signIn('manager', MANAGER_PASSWORD), 'manager from outside');
    for (const route of routes) {
      if (!['GET', 'HEAD'].includes(route.method) || route.audience === 'open') continue;
      const reach = outsideOf(routeKey(route));
      await ask(`manager (setting on) ${routeKey(route)}`, boss, route,
        reach === 'managers_read' ? 'through' : reach === 'families' ? 'outside_manager_read_only' : 'outside_closed');
    }
  } finally {
    expectOk(await manager.patch('/api/v1/settings', { outside_manager_read: false }), 'managers outside off again');
  }
  t.diagnostic(`${routes.length} routes from outside, ${requests} requests`);
  assert.deepEqual(failures, []);
});
