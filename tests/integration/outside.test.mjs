// Parents at home (issue 31) against the real stack: nginx serves the public name on its own
// listener as in relay mode — every connection opening with a PROXY header, believed only from
// the relay's tunnel address (harness RELAY_PEER) — under a certificate from a stand-in public
// CA that home clients trust alone. What a family does from home works; staff, a manager's
// settings and closed areas do not; a lockdown closes the outside from the next request; the
// throttle sees each home's own address; a PROXY header from anyone else is refused; the
// setting's network answers on IPv6 too. (tests/remote runs the same path through a real
// WireGuard tunnel, relay and ACME CA in network namespaces.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { resumedHomePhoto, downloadedExport } from './home_journey.mjs';
import { startSetUpStack, twoFamilies, Client, MANAGER_PASSWORD } from './harness.mjs';

let stack, manager, kate, ids, entry;
const MANAGER_PIN = '4826';

before(async () => {
  ({ stack, manager } = await startSetUpStack({ outside: true }));
  let parentA;
  ({ kate, parentA, ids } = await twoFamilies(stack, manager));
  entry = (await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Mud kitchen soup',
    body: 'Stirred with great care.', next_steps: '', observed_on: '2026-11-30', child_ids: [ids.A], aspect_ids: [] })).json.entry;
  assert.ok(entry, 'entry');
  assert.ok(parentA);
  assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: MANAGER_PIN })).status, 200);
});
after(async () => { await stack.stop(); });

const signInAt = async (home, username, password) => {
  const c = home.client();
  const res = await c.signIn(username, password);
  return { c, res };
};

test('a family at home: signs in under the public certificate, reads the feed, comments, hearts, resumes a home photo upload, downloads an export', async () => {
  const home = stack.home('198.51.100.7');
  const { c: parent, res } = await signInAt(home, 'parent.a', 'blue whale singing');
  assert.equal(res.status, 200, res.text);
  // HSTS on the public name; the answer came through the outside server (the box CA is not trusted here).
  assert.match(res.headers['strict-transport-security'], /max-age=31536000/);

  const feed = await parent.get('/api/v1/feed');
  assert.equal(feed.status, 200, feed.text);
  assert.deepEqual(feed.json.entries.map((e) => e.title), ['Mud kitchen soup']);
  assert.equal((await parent.post(`/api/v1/entries/${entry.id}/threads/${ids.A}`, { body: 'Soup for tea every night now!' })).status, 201);
  assert.equal((await parent.request('PUT', `/api/v1/entries/${entry.id}/threads/${ids.A}/heart`)).status, 200);

  // A home photo whose upload is cut off half way and resumed; an export downloaded.
  await resumedHomePhoto(parent, ids.A, stack.root);
  await downloadedExport(parent, ids.A);

  // Audited as an outside sign-in, with the home's own address.
  const audit = (await manager.get('/api/v1/audit?event=NBX_AUTH_SIGNIN_OUTSIDE')).json.entries;
  assert.ok(audit.some((a) => a.address === '198.51.100.7' && a.actor_name === 'parent.a'), JSON.stringify(audit));
  const summary = (await manager.get('/api/v1/manager/summary')).json.summary;
  assert.ok(summary.outside_sign_ins.at(-1).count >= 1, JSON.stringify(summary.outside_sign_ins));
});

test('from home, staff cannot sign in (tablet proof or not), a manager cannot change settings, and closed areas are closed', async () => {
  const home = stack.home('198.51.100.20');
  const staff = await signInAt(home, 'kate', 'green apple orchard');
  assert.equal(staff.res.status, 403);
  assert.equal(staff.res.json.error, 'outside_staff');
  // With the tablet's proof too: a stolen tablet's password and key are no way in from outside.
  const withProof = home.client();
  const proof = await (await stack.tablet()).proof();
  const res = await withProof.post('/api/v1/auth/sign-in', { username: 'kate', password: 'green apple orchard', ...proof });
  assert.equal(res.status, 403);
  // A staff session made at work is no key from home, whatever header the client adds.
  const viaHome = new Client(home);
  viaHome.cookie = kate.cookie;
  viaHome.csrf = kate.csrf;
  for (const via of [undefined, 'lan']) {
    const r = await viaHome.get('/api/v1/entries', { headers: via ? { 'x-nestbox-via': via } : {} });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error, 'outside_staff');
  }

  // Managers: not while the setting is off; allowed to read once it is on, never to change settings.
  let boss = await signInAt(home, 'manager', MANAGER_PASSWORD);
  assert.equal(boss.res.status, 403);
  assert.equal(boss.res.json.error, 'outside_managers_off');
  assert.equal((await manager.patch('/api/v1/settings', { outside_manager_read: true })).status, 200);
  try {
    boss = await signInAt(home, 'manager', MANAGER_PASSWORD);
    assert.equal(boss.res.status, 200, boss.res.text);
    assert.equal((await boss.c.get('/api/v1/manager/summary')).status, 200);
    assert.equal((await boss.c.get('/api/v1/entries')).status, 200);
    const change = await boss.c.patch('/api/v1/settings', { outside_manager_read: false });
    assert.equal(change.status, 403);
    assert.equal(change.json.error, 'outside_closed');
    for (const p of ['/api/v1/users', '/api/v1/devices', '/api/v1/backups', '/api/v1/audit']) {
      assert.equal((await boss.c.get(p)).json.error, 'outside_closed', p);
    }
  } finally {
    assert.equal((await manager.patch('/api/v1/settings', { outside_manager_read: false })).status, 200);
  }
  // No setup, CA download or enrolment on the public name.
  const anyone = home.client();
  assert.equal((await anyone.get('/ca.crt')).status, 404);
  assert.equal((await anyone.get('/api/v1/ca.crt')).json.error, 'outside_closed');
  assert.equal((await anyone.get('/api/v1/setup')).json.error, 'outside_closed');
  assert.equal((await anyone.post('/api/v1/devices/enrol', { code: 'AAAA-BBBB-CCCC-DDDD', public_key: 'x' })).json.error, 'outside_closed');
  const box = (await anyone.get('/api/v1/box')).json;
  assert.equal(box.outside, true);
  assert.equal(box.addresses, undefined);
  // Another name on the public listener is misdirected, not served.
  const foreign = await anyone.get('/api/v1/box', { headers: { host: `evil.example:${home.httpsPort}` } });
  assert.equal(foreign.status, 421);
});

test('a lockdown closes the outside from the first request after the engage call returns, and lifting opens it again', async () => {
  const home = stack.home('198.51.100.30');
  const { c: parent } = await signInAt(home, 'parent.b', 'red kite flying');
  assert.equal((await parent.get('/api/v1/feed')).status, 200);
  const engaged = await manager.post('/api/v1/lockdown', { reason: 'Tablet lost on a trip', confirm: true });
  assert.equal(engaged.status, 200, engaged.text);
  const refused = await parent.get('/api/v1/feed');
  assert.equal(refused.status, 503);
  assert.equal(refused.json.error, 'lockdown_outside');
  assert.equal((await home.client().get('/api/v1/lockdown')).status, 503, 'not even the notice answers outside');
  assert.equal((await stack.client().get('/api/v1/lockdown')).status, 200, 'the notice answers on the setting\'s network');
  const lifted = await stack.client().post('/api/v1/lockdown/lift', { username: 'manager', password: MANAGER_PASSWORD,
    pin: MANAGER_PIN, fault: 'Tablet lost on a trip', rectification: 'Tablet found and re-enrolled' });
  assert.equal(lifted.status, 200, lifted.text);
  // The lockdown ended every session; the manager signs in again on the setting's network.
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200);
  const again = await signInAt(home, 'parent.b', 'red kite flying');
  assert.equal(again.res.status, 200, again.res.text);
});

test('the throttle blocks one home without blocking another, by the address the relay names', async () => {
  const attacker = stack.home('192.0.2.66');
  let blocked = null;
  for (let i = 0; i < 40 && !blocked; i += 1) {
    const r = await attacker.client().post('/api/v1/auth/sign-in', { username: `guess${i}`, password: 'not the password' });
    if (r.status === 429) blocked = r;
    else assert.equal(r.status, 401, r.text);
  }
  assert.ok(blocked, 'the attacking home is throttled');
  // nginx's limit on the public name or nestboxd's address lockout, whichever comes first.
  assert.ok(['locked', 'too_many_requests'].includes(blocked.json.error), blocked.text);
  const family = await signInAt(stack.home('198.51.100.40'), 'parent.a', 'blue whale singing');
  assert.equal(family.res.status, 200, 'another home signs in meanwhile');
  const failures = (await manager.get('/api/v1/audit?event=NBX_AUTH_SIGNIN_FAILED')).json.entries;
  assert.ok(failures.some((a) => a.address === '192.0.2.66'), 'the box saw the attacker\'s own address');
  assert.ok(!failures.some((a) => a.address === '127.0.0.2'), 'never the relay\'s');
});

test('a PROXY header from anyone but the tunnel\'s peer is refused', async () => {
  // From 127.0.0.1 (not the relay's 127.0.0.2) to the public listener, with a forged header.
  const forged = stack.home('198.51.100.7', { peer: '127.0.0.1' });
  await assert.rejects(forged.client().get('/api/v1/box'), /socket hang up|ECONNRESET/);
  // The same request from the relay's address is answered, so the refusal is the peer check.
  assert.equal((await stack.home('198.51.100.7').client().get('/api/v1/box')).status, 200);
  // And TLS straight to the public listener, with no PROXY header at all, is not served.
  const outcome = await new Promise((resolve) => {
    const socket = tls.connect({ port: stack.outsidePort, host: '127.0.0.1', localAddress: '127.0.0.2',
      servername: stack.publicName, ca: stack.publicCa });
    socket.once('secureConnect', () => { socket.destroy(); resolve('served'); });
    socket.once('error', () => resolve('refused'));
    socket.once('close', () => resolve('refused'));
  });
  assert.equal(outcome, 'refused');
});

test('the setting\'s network answers on IPv6 as well as IPv4', async () => {
  const res = await new Promise((resolve, reject) => {
    https.get({ host: '::1', port: stack.httpsPort, path: '/api/v1/box', ca: stack.ca, servername: 'localhost', agent: false,
      headers: { host: `[::1]:${stack.httpsPort}` } }, (r) => { r.resume(); r.on('end', () => resolve(r)); }).on('error', reject);
  });
  assert.equal(res.statusCode, 200);
});
