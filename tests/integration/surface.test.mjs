// What the box shows to the network: which addresses answer without a session, the plain
// HTTP side, security headers, client addresses, how bad input is refused, the names the
// box answers to, and what nginx itself answers (byte ranges, internal addresses).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { startSetUpStack, tusUpload, mediaReady, waitFor } from './harness.mjs';

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

test('the access log keeps the path without its query string', async () => {
  const marker = `secret-${crypto.randomBytes(6).toString('hex')}`;
  await manager.get(`/api/v1/audit?q=${marker}&event=${marker}`);  // refused (400): logged all the same
  const log = path.join(stack.nginxDir, 'nginx-access.log');
  let line;
  await waitFor(() => {
    line = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"GET /api/v1/audit ')).pop();
    return Boolean(line);
  }, 'nginx to log the request');
  assert.match(line, /^\S+ \[[^\]]+\] "GET \/api\/v1\/audit HTTP\/[\d.]+" 400 \d+ [\d.]+$/);
  assert.ok(!fs.readFileSync(log, 'utf8').includes(marker), 'no query string is written down');
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
    // Strict input (issue 13): parsers disagree on which repeat wins, so a repeat is refused.
    ['repeated key', { raw: '{"username": "new.one", "display_name": "X", "role": "parent", "role": "manager"}' }, 400],
    ['byte-order mark', { raw: '\uFEFF{"username": "new.one", "display_name": "X", "role": "staff"}' }, 400],
    ['direction override in a name', { body: { username: 'new.one', display_name: 'Ava\u202Eevil', role: 'staff' } }, 400],
    ['zero-width space in a name', { body: { username: 'new.one', display_name: 'Ava\u200B', role: 'staff' } }, 400],
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
  const repeated = await manager.request('POST', '/api/v1/users', { raw: '{"username": "a.b", "username": "c.d", "display_name": "X", "role": "staff"}' });
  assert.equal(repeated.json.field, 'username');
  // Persian and Indic names keep the zero-width non-joiner and joiner they need.
  const persian = await manager.post('/api/v1/users', { username: 'maryam', display_name: 'مریم\u200Cزاده', role: 'parent' });
  assert.equal(persian.status, 201, persian.text);
  assert.equal(persian.json.user.display_name, 'مریم\u200Cزاده');
});

test('unknown API addresses and methods answer in JSON', async () => {
  const res = await manager.get('/api/v1/no-such-thing');
  assert.equal(res.status, 404);
  assert.equal(res.json.error, 'not_found');
  const wrongMethod = await manager.request('DELETE', '/api/v1/settings');
  assert.equal(wrongMethod.status, 405);
  assert.match(wrongMethod.headers.allow, /GET/);
});

// One raw request on its own connection (TLS unless `plain`), exactly as written: for
// absolute-form request targets, which no HTTP client here sends. Returns the parsed answer.
function rawRequest(text, { plain = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = plain
      ? net.connect(stack.httpPort, '127.0.0.1')
      : tls.connect({ host: '127.0.0.1', port: stack.httpsPort, ca: stack.ca, servername: 'localhost' });
    const chunks = [];
    socket.once(plain ? 'connect' : 'secureConnect', () => socket.write(text));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const answer = Buffer.concat(chunks).toString('latin1');
      const split = answer.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = answer.slice(0, split).split('\r\n');
      const headers = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      const body = answer.slice(split + 4);
      let json = null;
      try { json = JSON.parse(body); } catch { /* not JSON */ }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, json });
    });
  });
}

// One HTTP/2 request, as browsers make them (:authority, no Host header).
function h2Request(authority, target) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${stack.httpsPort}`, { ca: stack.ca, servername: 'localhost' });
    session.on('error', reject);
    const req = session.request({ ':path': target, ':authority': authority });
    let headers;
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => { headers = h; });
    req.on('data', (d) => { text += d; });
    req.on('end', () => {
      session.close();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: headers[':status'], headers, text, json });
    });
    req.on('error', reject);
    req.end();
  });
}

function assertJsonError(res, status, error, what) {
  assert.equal(res.status, status, `${what}: ${res.text ?? res.body}`);
  assert.match(res.headers['content-type'] || '', /^application\/json/, `${what}: content type`);
  assert.ok(res.json, `${what}: JSON body`);
  assert.equal(res.json.error, error, what);
  assert.ok(res.json.message, `${what}: message`);
}

// A small document, kept byte for byte: nginx serves it from the media folder after the
// daemon has authorised the request.
const PDF = Buffer.from(['%PDF-1.4', '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj', 'trailer << /Root 1 0 R >>', '%%EOF', ''].join('\n'));
let pdfId;
let staff;  // signed in on the setting's registered tablet, which uploads need
async function servedPdf() {
  if (!pdfId) {
    staff = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).client;
    pdfId = await tusUpload(staff, PDF, { filename: 'newsletter.pdf' });
    assert.equal((await mediaReady(staff, pdfId)).state, 'ready');
  }
  return `/api/v1/media/${pdfId}/original`;
}

test('a byte range past the end of a media file is refused by nginx in JSON (416), with Content-Range', async () => {
  const target = await servedPdf();
  const whole = await manager.get(target);
  assert.equal(whole.status, 200);
  assert.equal(Number(whole.headers['content-length']), PDF.length);
  const res = await manager.get(target, { headers: { range: `bytes=${PDF.length + 100}-${PDF.length + 200}` } });
  assertJsonError(res, 416, 'range_not_satisfiable', 'range past the end');
  assert.equal(res.headers['content-range'], `bytes */${PDF.length}`);
  // The security headers once each, as on every answer (not added again by the error page).
  for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) assert.match(res.headers[header] || '', pattern, header);
  assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  // A range inside the file still works.
  const first = await manager.get(target, { headers: { range: 'bytes=0-7' } });
  assert.equal(first.status, 206);
  assert.equal(first.text, '%PDF-1.4');
  assert.equal(first.headers['content-range'], `bytes 0-7/${PDF.length}`);
});

test('many byte ranges get the whole file or one range, never a multipart answer', async () => {
  const target = await servedPdf();
  const twoHundred = Array.from({ length: 200 }, (_, i) => `${i}-${i}`).join(',');
  for (const ranges of [twoHundred, '0-0,2-2', '0-9,20-29', '0-0,0-0,0-0']) {
    const res = await manager.get(target, { headers: { range: `bytes=${ranges}` } });
    const what = `Range: bytes=${ranges.slice(0, 30)}`;
    assert.ok([200, 206].includes(res.status), `${what}: ${res.status}`);
    assert.doesNotMatch(res.headers['content-type'] || '', /multipart/, what);
    assert.match(res.headers['content-type'], /^application\/pdf/, what);
    assert.ok(Buffer.byteLength(res.text, 'latin1') <= PDF.length, `${what}: ${res.text.length} bytes`);
    assert.ok(Number(res.headers['content-length']) <= PDF.length, what);
  }
});

test('the internal media addresses answer like any unknown address: JSON 404, from outside and inside', async () => {
  const target = await servedPdf();
  const hash = stack.sql(`SELECT sha256 FROM media WHERE id = '${pdfId}'`);
  const objectPath = `/_nestbox_media/objects/${hash.slice(0, 2)}/${hash}`;
  for (const address of ['/_nestbox_media/objects/x', '/_nestbox_media/derived/x', objectPath, '/_nestbox_error/400']) {
    for (const client of [stack.client(), manager]) {
      assertJsonError(await client.get(address), 404, 'not_found', address);
    }
  }
  // A file the daemon names but that is gone from the folder: nginx's 404, in JSON too.
  const file = path.join(stack.dataDir, 'media/objects', hash.slice(0, 2), hash);
  fs.renameSync(file, `${file}.away`);
  try {
    assertJsonError(await manager.get(target), 404, 'not_found', 'missing media file');
  } finally {
    fs.renameSync(`${file}.away`, file);
  }
  assert.equal((await manager.get(target)).status, 200);
});

test('nginx refuses a method a static file does not take, and plain HTTP on the HTTPS port, in JSON', async () => {
  assertJsonError(await manager.request('POST', '/', { raw: '{}' }), 405, 'method_not_allowed', 'POST /');
  const plainOnTls = await stack.client().get('/api/v1/box', { plain: true, port: stack.httpsPort });
  assertJsonError(plainOnTls, 400, 'bad_request', 'plain HTTP on the HTTPS port');
});

// The box's own names (with the port as browsers send it) and foreign ones.
const OWN_NAMES = ['localhost', 'nestbox-test', 'nestbox-test.local', 'nestbox-test-2.local', 'NESTBOX-TEST.local',
  '127.0.0.1', '[::1]'];
const FOREIGN_NAMES = ['evil.example', 'nestbox-test.local.evil.example', 'evil.example.local', '127.0.0.1.evil.example',
  'localhost.evil.example'];

test('plain HTTP redirects the box own names to HTTPS under the same name, and serves them the CA', async () => {
  const client = stack.client();
  for (const name of OWN_NAMES) {
    const res = await client.get('/api/v1/setup?x=1', { plain: true, headers: { host: `${name}:${stack.httpPort}` } });
    assert.equal(res.status, 301, name);
    assert.equal(res.headers.location, `https://${name.toLowerCase()}:${stack.httpsPort}/api/v1/setup?x=1`, name);
    const cert = await client.get('/ca.crt', { plain: true, headers: { host: name } });
    assert.equal(cert.status, 200, name);
    assert.equal(cert.text, stack.ca.toString(), name);
    assert.equal((await client.get('/ca.sha256', { plain: true, headers: { host: name } })).status, 200, name);
  }
});

test('plain HTTP never sends a foreign Host back: it redirects to the address the request reached', async () => {
  const client = stack.client();
  const own = `http://127.0.0.1:${stack.httpPort}`;
  for (const name of FOREIGN_NAMES) {
    for (const host of [name, `${name}:${stack.httpPort}`, `${name}:8443`]) {
      for (const target of ['/', '/api/v1/users', '/ca.crt', '/ca.sha256', '//evil.example/x']) {
        const res = await client.get(target, { plain: true, headers: { host } });
        assert.equal(res.status, 301, `${host} ${target}`);
        assert.equal(res.headers.location, `${own}${target}`, `${host} ${target}`);
        assert.doesNotMatch(res.text, /evil/, `${host} ${target}`);
      }
    }
  }
  // A proxy's absolute-form request names the foreign host in the request line instead.
  const absolute = await rawRequest(`GET http://evil.example/ca.crt HTTP/1.1\r\nHost: localhost:${stack.httpPort}\r\n` +
    'Connection: close\r\n\r\n', { plain: true });
  assert.equal(absolute.status, 301);
  assert.equal(absolute.headers.location, `${own}/ca.crt`);
  // Followed, the redirect ends at the box over HTTPS, under its address.
  const next = await client.get('/', { plain: true, headers: { host: `127.0.0.1:${stack.httpPort}` } });
  assert.equal(next.headers.location, `https://127.0.0.1:${stack.httpsPort}/`);
});

test('HTTPS answers a foreign name with a JSON 421 and never passes it to the daemon', async () => {
  const failedSignIns = () => Number(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_AUTH_SIGNIN_FAILED'"));
  const before = failedSignIns();
  const anonymous = stack.client();
  for (const name of FOREIGN_NAMES) {
    for (const host of [name, `${name}:${stack.httpsPort}`]) {
      for (const target of ['/api/v1/box', '/', '/index.html', '/sw.js', '/api/v1/uploads', '/_nestbox_media/objects/x']) {
        assertJsonError(await anonymous.get(target, { headers: { host } }), 421, 'misdirected_request', `${host} ${target}`);
      }
      const signIn = await anonymous.post('/api/v1/auth/sign-in', { username: 'nobody', password: 'wrong password' },
        { headers: { host, origin: `https://${host}` } });
      assertJsonError(signIn, 421, 'misdirected_request', `${host} sign-in`);
      assert.doesNotMatch(signIn.text, /evil/);
      // A signed-in browser tricked into it (DNS rebinding) gets no further.
      assertJsonError(await manager.get('/api/v1/users', { headers: { host } }), 421, 'misdirected_request', `${host} users`);
    }
  }
  // Over HTTP/2, as browsers ask.
  assertJsonError(await h2Request(`evil.example:${stack.httpsPort}`, '/api/v1/box'), 421, 'misdirected_request', 'HTTP/2');
  // The absolute form names the host in the request line, whatever the Host header says.
  for (const [line, host] of [
    ['GET https://evil.example/api/v1/box HTTP/1.1', `localhost:${stack.httpsPort}`],
    [`GET https://evil.example:${stack.httpsPort}/api/v1/box HTTP/1.1`, 'evil.example'],
    [`GET https://localhost:${stack.httpsPort}/api/v1/box HTTP/1.1`, 'evil.example'],
    ['POST https://evil.example/api/v1/auth/sign-in HTTP/1.1', `localhost:${stack.httpsPort}`],
  ]) {
    const body = line.startsWith('POST') ? '{"username":"nobody","password":"wrong password"}' : '';
    const res = await rawRequest(`${line}\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    assertJsonError(res, 421, 'misdirected_request', `${line} / Host: ${host}`);
  }
  assert.equal(failedSignIns(), before, 'no sign-in reached the daemon');
  // The same sign-in under the box's own name does reach it (and is recorded).
  const own = `localhost:${stack.httpsPort}`;
  const signIn = await anonymous.post('/api/v1/auth/sign-in', { username: 'nobody', password: 'wrong password' },
    { headers: { host: own, origin: `https://${own}` } });
  assert.equal(signIn.status, 401, signIn.text);
  assert.equal(failedSignIns(), before + 1);
});

test('HTTPS serves the box under each of its own names, including the absolute form', async () => {
  for (const name of OWN_NAMES) {
    for (const host of [name, `${name}:${stack.httpsPort}`]) {
      const box = await manager.get('/api/v1/box', { headers: { host } });
      assert.equal(box.status, 200, `${host}: ${box.text}`);
      assert.ok(box.json, host);
      assert.equal((await manager.get('/', { headers: { host } })).status, 200, host);
      assert.equal((await manager.get('/api/v1/users', { headers: { host } })).status, 200, host);
    }
  }
  // A state-changing request from the page under another own name passes nginx to the daemon.
  const host = `nestbox-test-2.local:${stack.httpsPort}`;
  const signIn = await stack.client().post('/api/v1/auth/sign-in', { username: 'nobody', password: 'wrong password' },
    { headers: { host, origin: `https://${host}` } });
  assert.equal(signIn.status, 401, signIn.text);
  assert.equal((await h2Request(`nestbox-test.local:${stack.httpsPort}`, '/api/v1/box')).status, 200);
  const absolute = await rawRequest(`GET https://localhost:${stack.httpsPort}/api/v1/box HTTP/1.1\r\n` +
    `Host: localhost:${stack.httpsPort}\r\nConnection: close\r\n\r\n`);
  assert.equal(absolute.status, 200);
  // Refusals made while reading the request stay 400s in JSON (no Host to check yet).
  const badHost = await rawRequest('GET /api/v1/box HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n');
  assert.equal(badHost.status, 400);
  assert.equal(badHost.json?.error, 'bad_request');
});
