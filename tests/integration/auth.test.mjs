import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
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

// Remembered phones (issue 32; README "Sessions"): a family's persistent, rotating session
// bound to a key only their phone holds.
function phoneKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    spki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    sign: (text) => crypto.sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
  };
}
async function managerSignedIn() {
  if ((await manager.get('/api/v1/auth/session')).status !== 200) assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
}
async function rememberedSignIn(username, password, key) {
  const phone = stack.client();
  const res = await phone.post('/api/v1/auth/sign-in', { username, password, remember_key: key.spki });
  assert.equal(res.status, 200, res.text);
  return { phone, res };
}
async function renew(phone, key) {
  const asked = await phone.post('/api/v1/auth/remember/challenge', {});
  if (asked.status !== 200) return asked;
  const { json } = asked;
  return phone.post('/api/v1/auth/remember/renew', { challenge: json.challenge, signature: key.sign(json.challenge) });
}

test('a remembered phone keeps a persistent cookie for the setting\'s days; staff cannot be remembered', async () => {
  await managerSignedIn();
  await stack.addUser(manager, 'parent.phone', 'parent', 'A phone in the pocket 7');
  const key = phoneKey();
  const { res } = await rememberedSignIn('parent.phone', 'A phone in the pocket 7', key);
  const maxAge = Number(res.headers['set-cookie'][0].match(/Max-Age=(\d+)/)[1]);
  assert.ok(Math.abs(maxAge - 90 * 86400) < 60, `90 days by default: ${maxAge}`);
  // The setting chooses 30 to 180 days.
  for (const bad of [29, 181]) assert.equal((await manager.patch('/api/v1/settings', { remember_days: bad })).status, 400);
  assert.equal((await manager.patch('/api/v1/settings', { remember_days: 30 })).status, 200);
  const shorter = await rememberedSignIn('parent.phone', 'A phone in the pocket 7', phoneKey());
  assert.ok(Math.abs(Number(shorter.res.headers['set-cookie'][0].match(/Max-Age=(\d+)/)[1]) - 30 * 86400) < 60);
  assert.equal((await manager.patch('/api/v1/settings', { remember_days: 90 })).status, 200);
  const listed = (await shorter.phone.get('/api/v1/me/sessions')).json.sessions;
  assert.equal(listed.filter((s) => s.remembered).length, 2);
  // A key that is not a P-256 public key is refused with a message; staff are never remembered.
  const bad = await stack.client().post('/api/v1/auth/sign-in', { username: 'parent.phone', password: 'A phone in the pocket 7', remember_key: 'bm90IGEga2V5' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'remember_key');
  const staff = await stack.client().post('/api/v1/auth/sign-in', { username: 'manager', password: MANAGER_PASSWORD, remember_key: key.spki });
  assert.equal(staff.status, 200);
  assert.doesNotMatch(staff.headers['set-cookie'][0], /Max-Age/);
});

test('a remembered phone renews its token with its key after idling; a copied old token ends every session', async () => {
  const key = phoneKey();
  const { phone } = await rememberedSignIn('parent.phone', 'A phone in the pocket 7', key);
  const other = await rememberedSignIn('parent.phone', 'A phone in the pocket 7', phoneKey());
  stack.advanceClock(3 * 3600);  // idle far past a parent's 30 minutes: not signed out, asked to prove
  const due = await phone.get('/api/v1/me/sessions');
  assert.equal(due.status, 401);
  assert.equal(due.json.error, 'remember_proof_required');
  // Someone with the cookie but not the key gets nowhere, and ends the session by trying.
  const thief = stack.client();
  thief.cookie = other.phone.cookie;
  thief.csrf = other.phone.csrf;
  const wrong = await renew(thief, phoneKey());
  assert.equal(wrong.status, 401);
  assert.equal((await other.phone.get('/api/v1/auth/session')).status, 401);
  // The phone itself renews: a new token (rotation), and the old one still answers for a moment.
  const oldToken = phone.cookie;
  const renewed = await renew(phone, key);
  assert.equal(renewed.status, 200, renewed.text);
  assert.notEqual(phone.cookie, oldToken);
  assert.match(renewed.headers['set-cookie'][0], /Max-Age=\d+/);
  assert.equal((await phone.get('/api/v1/me/sessions')).status, 200);
  const late = stack.client();
  late.cookie = oldToken;
  assert.equal((await late.get('/api/v1/auth/session')).status, 200, 'a request already on its way');
  // After the grace, the old token is a copy: every session of the account ends, audited.
  stack.advanceClock(120);
  const reused = await late.get('/api/v1/auth/session');
  assert.equal(reused.status, 401);
  assert.equal(reused.json.error, 'session_reused');
  assert.equal((await phone.get('/api/v1/me/sessions')).status, 401, 'the phone too: which holder is the family cannot be told');
  assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_SESSION_TOKEN_REUSED'"), '1');
  assert.equal(stack.sql("SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'parent.phone') AND ended_at IS NULL"), '0');
  assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_REMEMBER_PROOF_REJECTED'"), '1');
});

test('a remembered phone gives the password again for what matters; a deactivation ends it', async () => {
  const key = phoneKey();
  const { phone } = await rememberedSignIn('parent.phone', 'A phone in the pocket 7', key);
  const optOut = () => phone.post('/api/v1/children/00000000000000000000000000000000/opt-out', {});
  assert.notEqual((await optOut()).json?.error, 'password_needed', 'just signed in: the password is fresh');
  stack.advanceClock(11 * 60);
  const asked = await optOut();
  assert.equal(asked.status, 403);
  assert.equal(asked.json.error, 'password_needed');
  assert.equal((await phone.post('/api/v1/exports', {})).json.error, 'password_needed');
  const wrong = await phone.post('/api/v1/auth/confirm-password', { password: 'not it at all' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.field, 'password');
  assert.equal((await phone.post('/api/v1/auth/confirm-password', { password: 'A phone in the pocket 7' })).status, 200);
  assert.equal((await optOut()).status, 404, 'past the password check: the child is not theirs');
  // An ordinary session is not asked (it ends after 30 idle minutes anyway).
  const plain = stack.client();
  assert.equal((await plain.signIn('parent.phone', 'A phone in the pocket 7', { tablet: null })).status, 200);
  stack.advanceClock(11 * 60);
  assert.notEqual((await plain.post('/api/v1/children/00000000000000000000000000000000/opt-out', {})).json?.error, 'password_needed');
  // Deactivating the account ends its remembered phones at once.
  const id = stack.sql("SELECT id FROM users WHERE username = 'parent.phone'");
  await managerSignedIn();
  assert.equal((await manager.post(`/api/v1/users/${id}/deactivate`, {})).status, 200);
  assert.equal((await renew(phone, key)).status, 401);
  assert.equal((await phone.get('/api/v1/auth/session')).status, 401);
});
