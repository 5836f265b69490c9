import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, MANAGER_PASSWORD } from './harness.mjs';

let stack;
let manager;
before(async () => ({ stack, manager } = await startSetUpStack()));
after(() => stack.stop());

test('sign in sets a secure host-only cookie; sign out ends the server session', async () => {
  const client = stack.client();
  const res = await client.signIn('manager', MANAGER_PASSWORD);
  assert.equal(res.status, 200);
  const cookie = res.headers['set-cookie'][0];
  assert.match(cookie, /^__Host-nestbox=[0-9a-f]{64}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
  assert.equal((await client.get('/api/v1/auth/session')).status, 200);
  const token = client.cookie;
  const out = await client.post('/api/v1/auth/sign-out', {});
  assert.equal(out.status, 200);
  client.cookie = token;  // replaying the old cookie must not work
  const after = await client.get('/api/v1/auth/session');
  assert.equal(after.status, 401);
  assert.equal(after.json.error, 'session_required');
});

test('an idle session expires after the role timeout (clock moved, no sleeping)', async () => {
  const { client } = await stack.addUser(manager, 'parent.idle', 'parent', 'a walk in the woods');
  stack.advanceClock(29 * 60);
  assert.equal((await client.get('/api/v1/auth/session')).status, 200);
  stack.advanceClock(29 * 60);
  assert.equal((await client.get('/api/v1/auth/session')).status, 200, 'activity keeps it alive');
  stack.advanceClock(31 * 60);
  const res = await client.get('/api/v1/auth/session');
  assert.equal(res.status, 401);
  assert.equal(res.json.error, 'session_expired');
  assert.match(res.headers['set-cookie'][0], /Max-Age=0/);
  // The manager's session idled out too (15 minutes); sign back in for later tests.
  assert.equal((await manager.get('/api/v1/users')).status, 401);
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
});

test('state changes without the CSRF token are refused and audited', async () => {
  const token = manager.csrf;
  manager.csrf = null;
  const res = await manager.post('/api/v1/users', { username: 'csrf.victim', display_name: 'X', role: 'manager' });
  manager.csrf = token;
  assert.equal(res.status, 403);
  assert.equal(res.json.error, 'csrf_failed');
  const crossSite = await manager.post('/api/v1/users', { username: 'csrf.victim', display_name: 'X', role: 'manager' },
    { headers: { origin: 'https://evil.example' } });
  assert.equal(crossSite.status, 403);
  assert.equal(stack.sql("SELECT count(*) FROM users WHERE username = 'csrf.victim'"), '0');
  const audit = await manager.get('/api/v1/audit?event=NBX_CSRF_REJECTED');
  assert.equal(audit.json.entries.length, 2);
});

test('repeated failures lock the account, with an audit entry managers can read', async () => {
  await stack.addUser(manager, 'staff.locked', 'staff', 'the owl and the pussycat');
  const attacker = stack.client();
  for (let i = 0; i < 5; i++) {
    const res = await attacker.signIn('staff.locked', `wrong guess ${i}`);
    assert.equal(res.status, 401);
    assert.equal(res.json.message, 'The username or password is not right. Check them and try again.');
  }
  const locked = await attacker.signIn('staff.locked', 'the owl and the pussycat');
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.match(locked.json.message, /Too many failed sign-ins/);
  const audit = await manager.get('/api/v1/audit?event=NBX_AUTH_ACCOUNT_LOCKED');
  assert.equal(audit.json.entries.length, 1);
  assert.equal(audit.json.entries[0].actor_name, 'staff.locked');
  assert.equal(audit.json.entries[0].address, '127.0.0.1');
  stack.advanceClock(16 * 60);
  assert.equal((await attacker.signIn('staff.locked', 'the owl and the pussycat')).status, 200);
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
});

test('a deactivated account loses its open session at once and cannot sign in', async () => {
  const { client, id } = await stack.addUser(manager, 'staff.leaver', 'staff', 'summer holidays ahead');
  assert.equal((await client.get('/api/v1/auth/session')).status, 200);
  const res = await manager.post(`/api/v1/users/${id}/deactivate`, {});
  assert.equal(res.status, 200);
  assert.equal(res.json.user.active, false);
  assert.equal((await client.get('/api/v1/auth/session')).status, 401);
  const again = await stack.client().signIn('staff.leaver', 'summer holidays ahead');
  assert.equal(again.status, 403);
  assert.equal(again.json.error, 'account_deactivated');
});

test('users list and end their own sessions only', async () => {
  const a = (await stack.addUser(manager, 'parent.two', 'parent', 'pancakes on tuesday')).client;
  const b = stack.client();
  await b.signIn('parent.two', 'pancakes on tuesday');
  const list = await a.get('/api/v1/me/sessions');
  assert.equal(list.json.sessions.length, 2);
  const other = list.json.sessions.find((s) => !s.current);
  assert.equal((await manager.delete(`/api/v1/me/sessions/${other.id}`)).status, 404);
  assert.equal((await a.delete(`/api/v1/me/sessions/${other.id}`)).status, 200);
  assert.equal((await b.get('/api/v1/auth/session')).status, 401);
  assert.equal((await a.get('/api/v1/auth/session')).status, 200);
});

test('a manager resets a password with a one-time code; the code works once', async () => {
  const { id } = await stack.addUser(manager, 'parent.forgot', 'parent', 'rain on the window');
  const reset = await manager.post(`/api/v1/users/${id}/reset-code`, {});
  assert.equal(reset.status, 201);
  const code = reset.json.one_time_code.code;
  const anon = stack.client();
  const weak = await anon.post('/api/v1/auth/redeem-code', { username: 'parent.forgot', code, new_password: 'password123' });
  assert.equal(weak.status, 400);
  assert.equal(weak.json.field, 'new_password');
  const ok = await anon.post('/api/v1/auth/redeem-code', { username: 'parent.forgot', code, new_password: 'snow on the hills' });
  assert.equal(ok.status, 200);
  const reuse = await anon.post('/api/v1/auth/redeem-code', { username: 'parent.forgot', code, new_password: 'sun on the hills' });
  assert.equal(reuse.status, 401);
  assert.equal((await anon.signIn('parent.forgot', 'snow on the hills')).status, 200);
});

test('settings: managers change password rules and timeouts; others cannot', async () => {
  const res = await manager.patch('/api/v1/settings', { password_require_mixed: true, idle_minutes_staff: 5 });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.setting.idle_minutes.staff, 5);
  const bad = await manager.patch('/api/v1/settings', { idle_minutes_staff: 'five' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'idle_minutes_staff');
  const { client } = await stack.addUser(manager, 'staff.nosy', 'staff', 'Tall Giraffes 12');
  const forbidden = await client.patch('/api/v1/settings', { password_require_mixed: false });
  assert.equal(forbidden.status, 403);
});
