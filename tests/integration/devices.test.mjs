// Registered devices against the real stack (nginx + nestboxd on loopback): staff sign in only
// with a tablet's fresh proof; uploads only from a secure network, where the address is the
// one nginx saw, whatever headers the client adds; the PIN switch needs the tablet; and
// revocation under load — while 50 connections of the device call the API, no request sent
// after the revoke call returns succeeds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, Tablet, daemonBinary, underLoad } from './harness.mjs';

let stack, manager, kateId;
const KATE = ['kate', 'green apple orchard'];

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  kateId = (await stack.addUser(manager, KATE[0], 'staff', KATE[1])).id;
});
after(async () => { await stack.stop(); });

test('staff sign in only with a fresh proof from a registered, un-revoked tablet', async () => {
  const browser = stack.client();
  const refused = await browser.signIn(...KATE, { tablet: null });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error, 'device_required');
  assert.match(refused.json.message, /registered tablets/);
  assert.equal(refused.headers['set-cookie'], undefined, 'no session without the tablet');

  // A signature by a key the box never saw, for the registered tablet's id.
  const tablet = await stack.tablet();
  const impostor = new Tablet(stack, tablet.id);
  const forged = await stack.client().signIn(...KATE, { tablet: impostor });
  assert.equal(forged.status, 403);
  assert.equal(forged.json.error, 'device_not_recognised');

  // A replayed proof.
  const proof = await tablet.proof();
  const first = await stack.client().post('/api/v1/auth/sign-in', { username: KATE[0], password: KATE[1], ...proof });
  assert.equal(first.status, 200);
  assert.equal(first.json.device_id, tablet.id);
  const replayed = await stack.client().post('/api/v1/auth/sign-in', { username: KATE[0], password: KATE[1], ...proof });
  assert.equal(replayed.status, 403);

  // Half a proof is a malformed request.
  const half = await stack.client().post('/api/v1/auth/sign-in', { username: KATE[0], password: KATE[1], device_id: tablet.id });
  assert.equal(half.status, 400);

  // The manager at an office computer: allowed, unbound.
  const office = stack.client();
  const managerIn = await office.signIn('manager', 'Correct horse battery 9', { tablet: null });
  assert.equal(managerIn.status, 200);
  assert.equal(managerIn.json.device_id, null);
});

test('uploads only from the secure networks, by the address nginx saw', async () => {
  const kate = stack.client();
  assert.equal((await kate.signIn(...KATE)).status, 200);
  const tus = (client, headers = {}) => client.request('POST', '/api/v1/uploads', {
    headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', ...headers } });
  assert.equal((await tus(kate)).status, 201, 'loopback is in the default secure networks');

  // The office computer's manager session is not a registered device.
  const office = stack.client();
  await office.signIn('manager', 'Correct horse battery 9', { tablet: null });
  const fromOffice = await tus(office);
  assert.equal(fromOffice.status, 403);
  assert.equal(fromOffice.json.error, 'device_required');

  // Narrowed to the staff Wi-Fi: this address is now "guest Wi-Fi", and a client cannot
  // talk its way onto the staff network with forwarding headers.
  const narrowed = await manager.patch('/api/v1/settings', { secure_subnets: '10.20.0.0/16' });
  assert.equal(narrowed.status, 200, narrowed.text);
  assert.equal(narrowed.json.setting.secure_subnets, '10.20.0.0/16');
  for (const headers of [{}, { 'x-real-ip': '10.20.0.5' }, { 'x-forwarded-for': '10.20.0.5' }]) {
    const res = await tus(kate, headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal(res.json.error, 'insecure_network');
    assert.match(res.json.message, /guest Wi-Fi/);
  }
  const bad = await manager.patch('/api/v1/settings', { secure_subnets: '10.20.0.0/16, staff wifi' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'secure_subnets');
  assert.equal((await manager.patch('/api/v1/settings', { secure_subnets: '127.0.0.0/8, ::1/128' })).status, 200);
  assert.equal((await tus(kate)).status, 201);
  const audit = await manager.get('/api/v1/audit?event=NBX_UPLOAD_REFUSED_NETWORK');
  assert.ok(audit.json.entries.length >= 4);
});

test('the PIN switch works only with the tablet, and five wrong PINs need the password', async () => {
  const kate = stack.client();
  await kate.signIn(...KATE);
  assert.equal((await kate.post('/api/v1/me/pin', { password: KATE[1], pin: '4826' })).status, 200);
  const tablet = await stack.tablet();
  const people = await stack.client().post(`/api/v1/devices/${tablet.id}/people`, await challengeOnly(tablet));
  assert.equal(people.status, 200);
  assert.deepEqual(people.json.people.map((p) => p.id), [kateId]);
  const noProof = await stack.client().post('/api/v1/auth/pin', { user_id: kateId, pin: '4826' });
  assert.equal(noProof.status, 403);
  assert.equal(noProof.json.error, 'device_not_recognised');
  const pinIn = stack.client();
  const ok = await pinIn.post('/api/v1/auth/pin', { user_id: kateId, pin: '4826', ...(await tablet.proof()) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.device_id, tablet.id);
  assert.equal((await pinIn.get('/api/v1/children')).status, 200);
  for (let i = 1; i <= 5; ++i) {
    const wrong = await stack.client().post('/api/v1/auth/pin', { user_id: kateId, pin: '1397', ...(await tablet.proof()) });
    assert.equal(wrong.json.error, i < 5 ? 'wrong_pin' : 'pin_locked', `attempt ${i}`);
  }
  const locked = await stack.client().post('/api/v1/auth/pin', { user_id: kateId, pin: '4826', ...(await tablet.proof()) });
  assert.equal(locked.status, 403);
  assert.equal(locked.json.error, 'pin_locked');
  assert.equal((await stack.client().signIn(...KATE)).status, 200);
  const again = await stack.client().post('/api/v1/auth/pin', { user_id: kateId, pin: '4826', ...(await tablet.proof()) });
  assert.equal(again.status, 200);
});

async function challengeOnly(tablet) {
  const { challenge, signature } = await tablet.proof();
  return { challenge, signature };
}

test('revocation under load: no request sent after the revoke returns succeeds', async (t) => {
  const tablet = await Tablet.enrol(stack, manager, 'Red room iPad');
  // Five sessions on the tablet, ten connections each.
  const sessions = [];
  for (let i = 0; i < 5; ++i) {
    const c = stack.client();
    assert.equal((await c.signIn(...KATE, { tablet })).status, 200);
    sessions.push(c);
  }
  const reporter = stack.client();
  await reporter.signIn(...KATE);  // from the setting's other tablet
  const { results, startedAt: revokeSentAt, doneAt: revokedAt, value: revoke } = await underLoad(stack,
    sessions.map((c) => [c, '/api/v1/children']),
    () => reporter.post(`/api/v1/devices/${tablet.id}/report`, { what: 'stolen', note: 'Taken from the garden' }));
  assert.equal(revoke.status, 200, revoke.text);
  const before = results.filter((r) => r.sentAt < revokedAt);
  const afterRevoke = results.filter((r) => r.sentAt > revokedAt);
  assert.ok(before.filter((r) => r.status === 200).length > 50, `load before the revoke: ${before.length} requests`);
  assert.ok(afterRevoke.length > 50, `load after the revoke: ${afterRevoke.length} requests`);
  const succeeded = afterRevoke.filter((r) => r.status === 200).length;
  t.diagnostic(`${before.length} requests before the revoke (${before.filter((r) => r.status === 200).length} succeeded), ` +
    `${afterRevoke.length} after it (${succeeded} succeeded); revoke took ${Number(revokedAt - revokeSentAt) / 1e6} ms`);
  assert.equal(succeeded, 0, `${succeeded} of ${afterRevoke.length} requests succeeded after the revoke returned`);
  assert.ok(afterRevoke.every((r) => r.status === 401));
  // The device cannot sign in again, and the managers have an alert and a report.
  const again = await stack.client().signIn(...KATE, { tablet });
  assert.equal(again.status, 403);
  const devices = (await manager.get('/api/v1/devices')).json.devices;
  const red = devices.find((d) => d.id === tablet.id);
  assert.equal(red.state, 'revoked');
  assert.equal(red.alert, true);
  const report = (await manager.get('/api/v1/audit?event=NBX_DEVICE_REVOKED')).json.entries[0];
  assert.equal(report.detail.what, 'stolen');
  assert.equal(report.detail.sessions_ended, 5);
  assert.equal(report.detail.last_user, 'kate');
});

test('sign out everywhere ends every session of mine', async () => {
  const a = stack.client();
  const b = stack.client();
  await a.signIn(...KATE);
  await b.signIn(...KATE);
  const res = await a.post('/api/v1/auth/sign-out-everywhere', {});
  assert.equal(res.status, 200);
  assert.ok(res.json.sessions_ended >= 2);
  assert.match(res.headers['set-cookie'][0], /Max-Age=0/);
  assert.equal((await b.get('/api/v1/children')).status, 401);
  assert.equal((await manager.get('/api/v1/children')).status, 200, 'other people stay signed in');
});

test('a manager revokes a device from the box\'s command line while the daemon runs', async () => {
  const tablet = await Tablet.enrol(stack, manager, 'Yellow room iPad');
  const kate = stack.client();
  assert.equal((await kate.signIn(...KATE, { tablet })).status, 200);
  const cli = (...args) => execFileSync(daemonBinary, ['--config', stack.daemon.configPath, ...args], { encoding: 'utf8' });
  const listed = cli('--devices');
  assert.match(listed, new RegExp(`${tablet.id}\\s+active\\s+.*Yellow room iPad`));
  assert.throws(() => cli('--report-device', 'No such iPad', '--what', 'lost'), (e) => e.status === 2 && /no device called/.test(e.stderr));
  const out = cli('--report-device', 'Yellow room iPad', '--what', 'damaged', '--note', 'Dropped in the water tray');
  assert.match(out, /Yellow room iPad .* is revoked/);
  assert.equal((await kate.get('/api/v1/children')).status, 401, 'its session ended at once');
  const report = (await manager.get('/api/v1/audit?event=NBX_DEVICE_REVOKED')).json.entries[0];
  assert.equal(report.actor_name, 'console');
  assert.equal(report.detail.what, 'damaged');
  assert.match(cli('--devices'), new RegExp(`${tablet.id}\\s+revoked`));
});

test('the MDM tier: a client certificate from the box CA stands in for the browser key, until revoked', async () => {
  const created = await manager.post('/api/v1/devices', { name: 'MDM iPad' });
  const id = created.json.device.id;
  const kateOnly = stack.client();
  await kateOnly.signIn(...KATE);
  assert.equal((await kateOnly.post(`/api/v1/devices/${id}/certificate`, {})).status, 403, 'managers only');
  const issued = await manager.post(`/api/v1/devices/${id}/certificate`, {});
  assert.equal(issued.status, 201, issued.text);
  assert.equal(issued.json.device.state, 'active');
  assert.equal(issued.json.device.has_certificate, true);
  assert.match(issued.json.certificate.password, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  const tls = { pfx: Buffer.from(issued.json.certificate.pkcs12_base64, 'base64'), passphrase: issued.json.certificate.password };
  const signIn = (client, options = {}) => client.request('POST', '/api/v1/auth/sign-in',
    { body: { username: KATE[0], password: KATE[1] }, ...options });

  const mdm = stack.client();
  const withCert = await signIn(mdm, { tls });
  assert.equal(withCert.status, 200, withCert.text);
  assert.equal(withCert.json.device_id, id, 'bound to the device the certificate was issued to');
  // Without the certificate, and with the headers nginx would set forged by the client.
  const forged = await signIn(stack.client(), { headers: { 'x-client-verify': 'SUCCESS', 'x-client-fingerprint': issued.json.certificate.sha1 } });
  assert.equal(forged.status, 403);
  assert.equal(forged.json.error, 'device_required');
  // A certificate from another CA is refused by nginx itself.
  const dir = fs.mkdtempSync(path.join(stack.root, 'stranger-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=stranger', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const stranger = await signIn(stack.client(), { tls: { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) } });
  assert.equal(stranger.status, 400);
  // Revoked: the certificate still passes nginx, but the box no longer knows it.
  assert.equal((await manager.post(`/api/v1/devices/${id}/report`, { what: 'stolen' })).status, 200);
  const after = await signIn(stack.client(), { tls });
  assert.equal(after.status, 403);
  assert.equal(after.json.error, 'device_required');
});
