// The box on the local network (issue 8), against the machine's real avahi-daemon on the
// system bus: what it announces (_https._tcp and _nestbox._tcp with the CA fingerprint and
// its state), that it announces again after avahi-daemon restarts, takes another name when
// its name is taken (on this host, or by another host on the network), has its certificate
// follow a host rename, and keeps working without avahi at all — saying so in its log and on
// its /api/v1/box page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { Stack, avahi, daemonBinary, mdnsPeer, waitFor } from './harness.mjs';

// Unique per run, so parallel runs on one network do not see each other's boxes.
const tag = crypto.randomBytes(3).toString('hex');
const hostName = `nbt-${tag}`;
let stack, manager, fingerprintHex, originalHostName;

const mine = (type) => avahi.browse(type).filter((s) => s.port === stack.httpsPort);
const stateIn = (type) => mine(type).map((s) => s.txt.state);

before(async () => {
  await avahi.start();
  stack = await Stack.start({ extraConfig: `mdns = avahi\nhostname = ${hostName}` });
  const ca = new crypto.X509Certificate(fs.readFileSync(path.join(stack.dataDir, 'tls/ca.crt')));
  fingerprintHex = ca.fingerprint256.replace(/:/g, '').toLowerCase();
});
after(async () => {
  if (originalHostName) {
    try { execFileSync('avahi-set-host-name', [originalHostName]); } catch { /* avahi may be stopped */ }
  }
  await stack?.stop();
});

test('before setup the box announces both services, its CA fingerprint, box id and state=setup', async () => {
  await waitFor(async () => mine('_nestbox._tcp').length > 0, '_nestbox._tcp to appear');
  const [box] = mine('_nestbox._tcp');
  assert.equal(box.name, `Nestbox on ${hostName}`);
  assert.equal(box.txt.ca_sha256, fingerprintHex);
  assert.equal(box.txt.id, fingerprintHex.slice(0, 16));
  assert.equal(box.txt.state, 'setup');
  assert.equal(box.txt.txtvers, '1');
  assert.match(box.txt.version, /^\d+\.\d+\.\d+$/);
  const https = mine('_https._tcp');
  assert.equal(https.length, 1);
  assert.equal(https[0].name, `Nestbox on ${hostName}`);
  assert.equal(https[0].txt.path, '/');

  await waitFor(async () => (await stack.client().get('/api/v1/box')).json.mdns.state === 'published', 'published');
  const page = (await stack.client().get('/api/v1/box')).json;
  originalHostName = page.host.replace(/\.local$/, '');  // avahi's, restored after the rename test
  assert.equal(page.ca_fingerprint.replace(/:/g, '').toLowerCase(), fingerprintHex);
  assert.equal(page.box_id, box.txt.id);
  assert.equal(page.name, box.name);
  assert.match(stack.daemon.stderr, /NBX_MDNS_PUBLISHED/);
});

test('after setup the setting name is announced, and the state follows a lockdown', async () => {
  manager = await stack.setUp();
  await waitFor(async () => mine('_nestbox._tcp').some((s) => s.name === 'Rainbow Nursery' && s.txt.state === 'ok'),
    'the setting name with state=ok');
  // The same service renamed: avahi withdraws the old name's _https._tcp a moment later.
  await waitFor(async () => mine('_https._tcp').map((s) => s.name).join() === 'Rainbow Nursery',
    '_https._tcp to carry only the setting name');
  assert.deepEqual(mine('_https._tcp').map((s) => s.name), ['Rainbow Nursery']);
  // Engaged on the box's command line, into the running daemon: the announcement follows.
  execFileSync(daemonBinary, ['--config', stack.daemon.configPath, '--lockdown', '--reason', 'mDNS test']);
  await waitFor(async () => stateIn('_nestbox._tcp').includes('lockdown'), 'state=lockdown');
  assert.equal((await stack.client().get('/api/v1/box')).json.state, 'lockdown');
});

test('when avahi-daemon goes away the box works on and says so; when it is back it announces again', async () => {
  await avahi.stop();
  await waitFor(async () => (await stack.client().get('/api/v1/box')).json.mdns.state === 'unavailable',
    'the box to notice avahi is gone');
  assert.match(stack.daemon.stderr, /NBX_MDNS_UNAVAILABLE reason="avahi-daemon is not running/);
  assert.equal((await stack.client().get('/api/v1/lockdown')).status, 200, 'the box still answers');
  await avahi.start();
  await waitFor(async () => stateIn('_nestbox._tcp').includes('lockdown'), 're-announced after the restart');
  await waitFor(async () => (await stack.client().get('/api/v1/box')).json.mdns.state === 'published', 'published again');
});

test('a host rename moves the mDNS name, and the server certificate is re-issued for it', async () => {
  const renamed = `nbr-${tag}`;
  execFileSync('avahi-set-host-name', [renamed]);
  await waitFor(async () => (await stack.client().get('/api/v1/box')).json.host === `${renamed}.local`, 'the new host name');
  const certPath = path.join(stack.dataDir, 'tls/server.crt');
  await waitFor(async () => new crypto.X509Certificate(fs.readFileSync(certPath)).subjectAltName.includes(`DNS:${renamed}.local`),
    'the certificate to carry the new name');
  assert.match(stack.daemon.stderr, new RegExp(`NBX_MDNS_HOST_RENAMED from=\\S+ to=${renamed}.local`));
  assert.match(stack.sql("SELECT event FROM audit_log WHERE event='NBX_TLS_CERT_ISSUED'"), /NBX_TLS_CERT_ISSUED/);
  // What the appliance's path unit does (systemd/nestbox-tls.path): nginx reloads and serves it.
  stack.nginx.kill('SIGHUP');
  await waitFor(async () => {
    // Until nginx has reloaded, the old certificate fails the name check: try again.
    const peer = await new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: stack.httpsPort, servername: `${renamed}.local`, ca: stack.ca },
        () => { resolve(socket.getPeerCertificate()); socket.end(); });
      socket.on('error', () => resolve(null));
    });
    return peer?.subjectaltname.includes(`DNS:${renamed}.local`);
  }, 'nginx to present the re-issued certificate');
  await waitFor(async () => mine('_nestbox._tcp').some((s) => s.host === `${renamed}.local`), 'announced on the new host');
});

test('a name another program on this box already announces makes the box take the next one and log it', async () => {
  const taken = `Nestbox on nbc-${tag}`;
  const squatter = spawn('avahi-publish', ['-s', taken, '_nestbox._tcp', '9'], { stdio: 'ignore' });
  try {
    await waitFor(async () => avahi.browse('_nestbox._tcp').some((s) => s.name === taken && s.port === 9), 'the squatter');
    const other = await Stack.start({ extraConfig: `mdns = avahi\nhostname = nbc-${tag}` });
    try {
      await waitFor(async () => avahi.browse('_nestbox._tcp').some((s) => s.name === `${taken} #2` && s.port === other.httpsPort),
        'the alternative name');
      assert.equal((await other.client().get('/api/v1/box')).json.name, `${taken} #2`);
      assert.match(other.daemon.stderr, /NBX_MDNS_NAME_COLLISION/);
    } finally {
      await other.stop();
    }
  } finally {
    squatter.kill();
  }
});

test('a name another host on the network already announces makes the box take the next one', async () => {
  const taken = `Nestbox on nbn-${tag}`;
  const peer = await mdnsPeer(taken, '_nestbox._tcp');
  try {
    const other = await Stack.start({ extraConfig: `mdns = avahi\nhostname = nbn-${tag}` });
    try {
      await waitFor(async () => avahi.browse('_nestbox._tcp').some((s) => s.name === `${taken} #2` && s.port === other.httpsPort),
        'the alternative name after the network collision');
      // Both services move together: the whole announcement is under one name.
      assert.ok(avahi.browse('_https._tcp').some((s) => s.name === `${taken} #2` && s.port === other.httpsPort));
      await waitFor(async () => (await other.client().get('/api/v1/box')).json.name === `${taken} #2`, 'the page to show it');
      assert.match(other.daemon.stderr, new RegExp(`NBX_MDNS_NAME_COLLISION wanted="${taken}" in_use="${taken} #2"`));
    } finally {
      await other.stop();
    }
  } finally {
    await peer.stop();
  }
});

test('with no system bus at all the box starts, serves, and says mDNS is unavailable', async () => {
  const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = 'unix:path=/nonexistent/nestbox-test-bus';
  let lonely;
  try {
    lonely = await Stack.start({ extraConfig: 'mdns = avahi\ndbus = off' });
    const box = (await lonely.client().get('/api/v1/box')).json;
    assert.equal(box.mdns.state, 'unavailable');
    assert.match(box.mdns.detail, /system bus/);
    assert.match(lonely.daemon.stderr, /NBX_MDNS_UNAVAILABLE/);
    assert.equal((await lonely.client().get('/api/v1/setup')).status, 200, 'setup works without mDNS');
  } finally {
    if (saved === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS; else process.env.DBUS_SYSTEM_BUS_ADDRESS = saved;
    await lonely?.stop();
  }
});
