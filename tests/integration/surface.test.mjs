// What the box shows to the network: which addresses answer without a session, the plain
// HTTP side, security headers, client addresses, and how bad input is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startSetUpStack } from './harness.mjs';

let stack;
let manager;
before(async () => ({ stack, manager } = await startSetUpStack()));
after(() => stack.stop());

const ID = '0123456789abcdef0123456789abcdef';
// Every route of the API (Api::routes in the daemon; the unit tests check that list is
// complete). Only setup, sign-in, code redemption and the CA answer without a session.
const OPEN = [
  ['GET', '/api/v1/setup'], ['POST', '/api/v1/setup'], ['POST', '/api/v1/auth/sign-in'],
  ['POST', '/api/v1/auth/redeem-code'], ['GET', '/api/v1/ca.crt'], ['GET', '/api/v1/ca.sha256'], ['GET', '/api/v1/box'],
];
const PROTECTED = [
  ['GET', '/api/v1/auth/session'], ['POST', '/api/v1/auth/sign-out'], ['GET', '/api/v1/me/sessions'],
  ['DELETE', `/api/v1/me/sessions/${ID}`], ['POST', '/api/v1/me/password'], ['POST', '/api/v1/me/pin'],
  ['GET', '/api/v1/users'], ['POST', '/api/v1/users'], ['GET', `/api/v1/users/${ID}`],
  ['PATCH', `/api/v1/users/${ID}`], ['POST', `/api/v1/users/${ID}/deactivate`],
  ['POST', `/api/v1/users/${ID}/reactivate`], ['POST', `/api/v1/users/${ID}/reset-code`],
  ['PUT', `/api/v1/users/${ID}/pin`], ['GET', '/api/v1/settings'], ['PATCH', '/api/v1/settings'],
  ['GET', '/api/v1/audit'], ['GET', '/api/v1/audit/events'],
];

test('no endpoint answers without a session except setup, sign-in, code redemption and the CA', async () => {
  const anonymous = stack.client();
  for (const [method, target] of PROTECTED) {
    const res = await anonymous.request(method, target, method === 'GET' ? {} : { body: {} });
    assert.equal(res.status, 401, `${method} ${target}`);
    assert.equal(res.json.error, 'session_required');
    assert.ok(res.json.message);
  }
  for (const [method, target] of OPEN) {
    const res = await anonymous.request(method, target, method === 'GET' ? {} : { body: {} });
    assert.notEqual(res.status, 401, `${method} ${target} should be open`);
  }
  // A forged cookie is no session either.
  anonymous.cookie = crypto.randomBytes(32).toString('hex');
  assert.equal((await anonymous.get('/api/v1/users')).status, 401);
});

test('plain HTTP serves the CA certificate and its fingerprint, and redirects everything else', async () => {
  const client = stack.client();
  const cert = await client.get('/ca.crt', { plain: true });
  assert.equal(cert.status, 200);
  assert.match(cert.headers['content-type'], /x509-ca-cert/);
  const x509 = new crypto.X509Certificate(cert.text);
  assert.ok(x509.ca);
  assert.equal(cert.text, stack.ca.toString());
  const fingerprint = await client.get('/ca.sha256', { plain: true });
  assert.equal(fingerprint.text.trim(), `SHA256 Fingerprint=${x509.fingerprint256}`);
  for (const target of ['/', '/api/v1/users', '/api/v1/setup']) {
    const res = await client.get(target, { plain: true });
    assert.equal(res.status, 301, target);
    assert.equal(res.headers.location, `https://localhost:${stack.httpsPort}${target}`);
  }
});

test('the server certificate is issued by the box CA for localhost and the box name', async () => {
  const tls = await import('node:tls');
  const peer = await new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: stack.httpsPort, ca: stack.ca, servername: 'nestbox-test.local' }, () => {
      resolve({ cert: socket.getPeerCertificate(), protocol: socket.getProtocol() });
      socket.end();
    });
    socket.on('error', reject);
  });
  assert.match(peer.cert.subjectaltname, /DNS:localhost/);
  assert.match(peer.cert.subjectaltname, /DNS:nestbox-test\.local/);
  assert.match(peer.cert.subjectaltname, /IP Address:127\.0\.0\.1/);
  assert.ok(['TLSv1.2', 'TLSv1.3'].includes(peer.protocol));
  await assert.rejects(new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: stack.httpsPort, ca: stack.ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, resolve);
    socket.on('error', reject);
  }));
});

const SECURITY_HEADERS = {
  'strict-transport-security': /max-age=\d+/,
  'content-security-policy': /default-src 'self'.*frame-ancestors 'none'/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
};

test('security headers are on API, static and error responses', async () => {
  const client = stack.client();
  const responses = {
    api: await client.get('/api/v1/setup'),
    unauthorised: await client.get('/api/v1/users'),
    static: await client.get('/'),
    nginxError: await client.post('/api/v1/auth/sign-in', undefined, { raw: 'x'.repeat(70 * 1024) }),
  };
  for (const [name, res] of Object.entries(responses)) {
    for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
      assert.match(res.headers[header] || '', pattern, `${name}: ${header}`);
    }
  }
  assert.equal(responses.api.headers['cache-control'], 'no-store');
});

test('a client cannot choose the address the daemon records', async () => {
  const client = stack.client();
  await client.signIn('manager', 'not the password', { headers: { 'x-real-ip': '10.9.8.7' } });
  const spoofed = await client.request('POST', '/api/v1/auth/sign-in', {
    body: { username: 'manager', password: 'still not it' },
    headers: { 'x-real-ip': '10.9.8.7', 'x-forwarded-for': '10.9.8.7', forwarded: 'for=10.9.8.7' },
  });
  assert.equal(spoofed.status, 401);
  const audit = await manager.get('/api/v1/audit?event=NBX_AUTH_SIGNIN_FAILED');
  assert.ok(audit.json.entries.length >= 1);
  for (const entry of audit.json.entries) assert.equal(entry.address, '127.0.0.1');
});

test('bad input gets a 4xx JSON error with a message, and nothing is written', async () => {
  const counts = () => stack.sql('SELECT (SELECT count(*) FROM users) || \'/\' || (SELECT count(*) FROM sessions)');
  const before = counts();
  const cases = [
    ['malformed JSON', { raw: '{"username": "x", "display_name": ' }, 400],
    ['not an object', { raw: '["x"]' }, 400],
    ['wrong type', { body: { username: 42, display_name: 'X', role: 'staff' } }, 400],
    ['unknown field', { body: { username: 'new.one', display_name: 'X', role: 'staff', admin: true } }, 400],
    ['bad role', { body: { username: 'new.one', display_name: 'X', role: 'owner' } }, 400],
    ['control characters', { body: { username: 'new.one', display_name: 'X\u0000Y', role: 'staff' } }, 400],
    ['too long', { body: { username: 'n'.repeat(65), display_name: 'X', role: 'staff' } }, 400],
    ['not JSON', { raw: 'username=x', headers: { 'content-type': 'text/plain' } }, 415],
    ['oversized body', { raw: JSON.stringify({ username: 'big', display_name: 'x'.repeat(100 * 1024), role: 'staff' }) }, 413],
  ];
  for (const [name, options, status] of cases) {
    const res = await manager.request('POST', '/api/v1/users', options);
    assert.equal(res.status, status, `${name}: ${res.text}`);
    assert.ok(res.json, `${name}: JSON body`);
    assert.ok(res.json.error && res.json.message, `${name}: error and message`);
  }
  const hugeHeader = await manager.request('GET', '/api/v1/users', { headers: { 'x-filler': 'y'.repeat(20 * 1024) } });
  assert.equal(hugeHeader.status, 400);
  assert.equal(hugeHeader.json.error, 'bad_request');
  const longUrl = await manager.get(`/api/v1/users?x=${'z'.repeat(20 * 1024)}`);
  assert.ok([400, 414].includes(longUrl.status));
  assert.ok(longUrl.json.message);
  assert.equal(counts(), before);
});

test('unknown API addresses and methods answer in JSON', async () => {
  const res = await manager.get('/api/v1/no-such-thing');
  assert.equal(res.status, 404);
  assert.equal(res.json.error, 'not_found');
  const wrongMethod = await manager.request('DELETE', '/api/v1/settings');
  assert.equal(wrongMethod.status, 405);
  assert.match(wrongMethod.headers.allow, /GET/);
});
