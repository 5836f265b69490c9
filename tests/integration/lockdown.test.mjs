// Fault lockdown against the real stack (nginx + nestboxd): a manager engages it in the web
// API while 50 connections of parents and staff fetch feeds and media — no request sent after
// the engage returns succeeds; nginx passes the 503 notice through; the command line engages
// it too, into the running daemon; kill -9 keeps it; staff cannot lift it; a manager lifts it
// with password and PIN and parents then read what happened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { startSetUpStack, daemonBinary, tusUpload, mediaReady, underLoad } from './harness.mjs';

let stack, manager, kate, parent, rememberedPhone, ids = {};
const MANAGER_PASSWORD = 'Correct horse battery 9';
const liftBody = (extra = {}) => ({ username: 'manager', password: MANAGER_PASSWORD, pin: '4826',
  fault: 'A tablet was left signed in at the park', rectification: 'Tablet recovered and revoked; staff reminded', ...extra });

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4826' })).status, 200);
  kate = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).client;
  assert.equal((await kate.post('/api/v1/me/pin', { password: 'green apple orchard', pin: '5937' })).status, 200);
  const added = await stack.addUser(manager, 'parent.a', 'parent', 'blue whale singing');
  parent = added.client;
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  ids.child = (await manager.post('/api/v1/children', { first_name: 'Ava', last_name: 'Ahmed', date_of_birth: '2022-01-10',
    room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  await manager.request('PUT', `/api/v1/children/${ids.child}/carers/${added.id}`);
  await manager.request('PUT', `/api/v1/children/${ids.child}/consent`,
    { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } });
  const agreement = (await parent.get('/api/v1/agreement')).json;
  await parent.post('/api/v1/agreement/accept', { version: agreement.version });
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  ids.media = await tusUpload(kate, png, { filename: 'dot.png' });
  await mediaReady(kate, ids.media);
  const entry = await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Painting', body: 'Brushes.',
    next_steps: '', observed_on: '2026-03-02', child_ids: [ids.child], aspect_ids: [], media: [{ id: ids.media, child_ids: [ids.child] }] });
  assert.equal(entry.status, 201, entry.text);
  // The same parent on a remembered phone (issue 32): a lockdown ends it too.
  rememberedPhone = stack.client();
  const key = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
  const remembered = await rememberedPhone.post('/api/v1/auth/sign-in',
    { username: 'parent.a', password: 'blue whale singing', remember_key: key.toString('base64') });
  assert.match(remembered.headers['set-cookie'][0], /Max-Age=\d+/);
});
after(async () => { await stack.stop(); });

test('engaged under load: no parent or staff request sent after the engage returns succeeds', async (t) => {
  const targets = [[parent, '/api/v1/feed'], [parent, `/api/v1/media/${ids.media}/thumbnail`], [kate, '/api/v1/entries'],
    [kate, `/api/v1/media/${ids.media}/display`]];
  const { results, doneAt: engagedAt, value: engage } = await underLoad(stack, targets,
    () => manager.post('/api/v1/lockdown', { reason: 'A tablet was left signed in at the park', confirm: true }));
  assert.equal(engage.status, 200, engage.text);
  const before = results.filter((r) => r.sentAt < engagedAt);
  const afterEngage = results.filter((r) => r.sentAt > engagedAt);
  const succeeded = afterEngage.filter((r) => r.status < 400).length;
  t.diagnostic(`${before.length} requests before the engage (${before.filter((r) => r.status === 200).length} succeeded), ` +
    `${afterEngage.length} after (${succeeded} succeeded)`);
  assert.ok(before.filter((r) => r.status === 200).length > 50, 'feeds and media were being served');
  assert.ok(afterEngage.length > 50);
  assert.equal(succeeded, 0);
  assert.ok(afterEngage.every((r) => r.status === 503));
});

test('nginx passes the notice through; it names no child and no reason', async () => {
  const refused = await parent.get('/api/v1/feed');
  assert.equal(refused.status, 503);
  assert.equal(refused.json.error, 'lockdown');
  const signIn = await stack.client().post('/api/v1/auth/sign-in', { username: 'parent.a', password: 'blue whale singing' });
  assert.equal(signIn.status, 503, 'nobody signs in meanwhile');
  const notice = await stack.client().get('/api/v1/lockdown');
  assert.equal(notice.status, 200);
  assert.equal(notice.json.engaged, true);
  assert.ok(!/Ava|park|tablet/i.test(notice.text), notice.text);
});

test('kill -9 keeps the lock; staff cannot lift it; a manager updates and lifts it from the LAN', async () => {
  await stack.daemon.stop('SIGKILL');
  await stack.daemon.start();
  assert.equal((await stack.client().get('/api/v1/lockdown')).json.engaged, true);
  assert.equal((await parent.get('/api/v1/feed')).status, 503);
  const byStaff = await stack.client().post('/api/v1/lockdown/lift', liftBody({ username: 'kate', password: 'green apple orchard', pin: '5937' }));
  assert.equal(byStaff.status, 403);
  const noPin = await stack.client().post('/api/v1/lockdown/lift', liftBody({ pin: '0000' }));
  assert.equal(noPin.status, 401);
  const update = await stack.client().post('/api/v1/lockdown/updates', { username: 'manager', password: MANAGER_PASSWORD, pin: '4826',
    message: 'We are checking every tablet. The journal is back soon.' });
  assert.equal(update.status, 201, update.text);
  assert.equal((await stack.client().get('/api/v1/lockdown')).json.notice.updates[0].message, 'We are checking every tablet. The journal is back soon.');
  const lifted = await stack.client().post('/api/v1/lockdown/lift', liftBody());
  assert.equal(lifted.status, 200, lifted.text);
  // The remembered phone was signed out by the lockdown, like every other session.
  const phone = await rememberedPhone.get('/api/v1/auth/session');
  assert.equal(phone.status, 401);
  assert.equal(stack.sql("SELECT count(*) FROM sessions WHERE remember_key IS NOT NULL AND ended_at IS NULL"), '0');
  // Everyone signs in again; the parent reads what happened and what was done.
  const again = stack.client();
  assert.equal((await again.signIn('parent.a', 'blue whale singing')).status, 200);
  const last = (await again.get('/api/v1/lockdown')).json.last;
  assert.equal(last.fault, 'A tablet was left signed in at the park');
  assert.equal(last.rectification, 'Tablet recovered and revoked; staff reminded');
  assert.equal((await again.get('/api/v1/feed')).status, 200);
});

test('the box\'s command line engages it in the running daemon', async () => {
  const before = stack.client();
  assert.equal((await before.signIn('parent.a', 'blue whale singing')).status, 200);
  assert.throws(() => execFileSync(daemonBinary, ['--config', stack.daemon.configPath, '--lockdown'], { stdio: 'pipe' }),
    (e) => e.status === 2 && /--reason/.test(e.stderr));
  const out = execFileSync(daemonBinary, ['--config', stack.daemon.configPath, '--lockdown', '--reason', 'Unknown device on the LAN'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /locked down/);
  assert.equal((await before.get('/api/v1/feed')).status, 503);
  const office = stack.client();
  const incidents = await office.post('/api/v1/lockdown/lift', liftBody({ fault: 'A visitor laptop on the staff Wi-Fi', rectification: 'Removed; Wi-Fi password changed' }));
  assert.equal(incidents.status, 200);
  const mgr = stack.client();
  assert.equal((await mgr.signIn('manager', MANAGER_PASSWORD)).status, 200);
  const timeline = (await mgr.get('/api/v1/lockdown/incidents')).json.incidents;
  assert.deepEqual(timeline.map((i) => i.via), ['cli', 'web']);
  assert.equal(timeline[1].updates.length, 1);
});
