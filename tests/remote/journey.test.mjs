// Parents at home through the relay, end to end (issue 31), in network namespaces this test
// makes (netns.mjs; nothing leaves the machine): the real box — nestboxd and nginx from this
// checkout — sits behind a NAT that forwards nothing and keeps a WireGuard tunnel to the relay
// (systemd/relay/*.conf.in as shipped); pebble is the ACME CA on the "internet"; a parent's
// phone is in a "home" namespace and trusts pebble's root alone.
//
// IT support turns remote access on with the box's own command (nestbox-remote, as nestboxctl
// runs it); nestboxd asks for the certificate by its clock and the test plays
// nestbox-acme.path, running `nestboxctl acme` (lego, HTTP-01 through the relay) when asked.
//
// The same journey runs in direct mode: no relay, the setting's router forwards TCP 443 and 80
// to the box (what differs is said where it does).
//
// Run as root: node --test tests/remote/journey.test.mjs (ctest: remote.journey)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { resumedHomePhoto, downloadedExport } from '../integration/home_journey.mjs';
import { Topology, IFACES, captureOnRelay } from './netns.mjs';
import { Stack, twoFamilies, netnsConnection, waitFor, Client, MANAGER_PASSWORD, repoRoot } from '../integration/harness.mjs';

const NAME = 'journal.example.test';
const MARKER = `Mud kitchen soup ${Date.now().toString(36)}`;
let net, A, stack, manager, kate, ids, entry, root, mode;

// The environment under which the box's command runs here: the stack's folders instead of
// /etc and /var/lib, nginx reloaded by signal, the tunnel already up (the topology's), pebble.
const remoteEnv = () => ({
  NESTBOX_REMOTE_ETC: path.join(stack.root, 'remote-etc'),
  NESTBOX_DATA_DIR: stack.dataDir,
  NESTBOX_NGINX_SITE: stack.nginxDir,
  NESTBOX_LIBEXEC: path.join(repoRoot, 'systemd'),
  NESTBOX_REMOTE_SHARE: path.join(repoRoot, 'systemd/relay'),
  NESTBOX_OUTSIDE_TEMPLATE: path.join(repoRoot, 'systemd/nginx/nestbox-outside.conf.in'),
  NESTBOX_WG_DIR: path.join(stack.root, 'wireguard'),
  NESTBOX_WG_UP: 'true',
  NESTBOX_WG_DOWN: 'true',
  NESTBOX_NGINX_RELOAD: `kill -HUP ${stack.nginx.pid}`,
  NESTBOX_ACME_SERVER: net.acmeDirectory,
  LEGO_CA_CERTIFICATES: net.pebbleTlsCa,
  NESTBOX_TEST_CLOCK_OFFSET_FILE: stack.clockFile,
});
const boxCommand = (...args) => net.execAsync('box', path.join(repoRoot, 'systemd/nestbox-remote'), args, { env: remoteEnv(), allowFail: true });

// A phone at home (`source`: one of the home namespace's addresses), through the relay's public
// address as DNS gives it, verifying the box against pebble's root only.
function home(source = A.home.public) {
  return {
    httpsPort: 443, hostName: NAME, get ca() { return root; },
    connect(done) { done(null, tls.connect({ socket: homeStream(source), servername: NAME, ca: root })); },
    client() { return new Client(this); },
    async tablet() { return null; },
  };
}
// Where the public name's DNS points: the relay, or the setting's router (direct mode).
const publicAddress = () => (mode === 'relay' ? A.relay.public : A.lan.public);
function homeStream(source) {
  return netnsConnection(net.ns.home, publicAddress(), `443,bind=${source}`);
}

const certificate = () => fs.readFileSync(path.join(stack.dataDir, 'tls/public/fullchain.pem'), 'utf8');
const certificateInfo = () => new crypto.X509Certificate(certificate());
// nestbox-acme.path: when nestboxd has asked, run `nestboxctl acme` once.
async function answerAcmeRequest() {
  const request = path.join(stack.dataDir, 'remote/acme-request');
  await waitFor(() => fs.existsSync(request), 'nestboxd to ask for a certificate', 30000);
  const r = await boxCommand('acme');
  assert.ok(!fs.existsSync(request), `the request is answered: ${r.stderr}`);
  return r;
}
// The manager at the office. Moving the box's clock by hours ends their session (idle), so
// they sign in again when it has.
async function asManager(method, target, body) {
  let r = await manager.request(method, target, { body });
  if (r.status === 401) {
    assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200);
    r = await manager.request(method, target, { body });
  }
  return r;
}
const summary = async () => (await asManager('GET', '/api/v1/manager/summary')).json.summary;

function journey(theMode) {
  before(async () => {
    mode = theMode;
    net = await Topology.create({ mode });
    A = net.addresses;
    // The phone's second address: another home (the throttle's test).
    net.ip('home', 'addr', 'add', '203.0.113.31/24', 'dev', IFACES.homePublic);
    stack = await Stack.start({ netns: net.ns.box });
    manager = await stack.setUp();
    let parentA;
    ({ kate, parentA, ids } = await twoFamilies(stack, manager));
    assert.ok(parentA);
    entry = (await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: MARKER,
      body: 'Stirred with great care.', next_steps: '', observed_on: '2026-11-30', child_ids: [ids.A], aspect_ids: [] })).json.entry;
    assert.ok(entry);
    assert.equal((await manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4826' })).status, 200);
    root = net.exec('inet', 'curl', ['-sS', '--cacert', net.pebbleTlsCa, `https://${A.inet.public}:${A.pebbleManagementPort}/roots/0`]).stdout;
    assert.match(root, /BEGIN CERTIFICATE/);
  });
  after(async () => {
    if (stack) await stack.stop();
    if (net) await net.destroy();
  });
  
  test(`IT support turns remote access on (${theMode}); the box gets its certificate from the ACME CA, when nestboxd asks`, async () => {
    if (theMode === 'relay') {
      // relay-config: what the relay host needs, with the box's own (new) WireGuard key in it.
      const config = await boxCommand('relay-config', '--public-name', NAME, '--relay-endpoint', A.relay.public);
      assert.equal(config.status, 0, config.stderr);
      const boxPublic = net.exec(null, 'wg', ['pubkey'], { input: fs.readFileSync(path.join(stack.root, 'remote-etc/box.key')) }).stdout.trim();
      assert.ok(config.stdout.includes(`PublicKey = ${boxPublic}`), 'the relay learns the box\'s public key');
      assert.match(config.stdout, new RegExp(`${NAME.replace(/\./g, '\\.')} ${A.box.tunnel.replace(/\./g, '\\.')}:443;`));
      assert.ok(!config.stdout.includes(fs.readFileSync(path.join(stack.root, 'remote-etc/box.key'), 'utf8').trim()), 'never the box\'s private key');
      net.exec(null, 'sh', ['-n', '-c', config.stdout]);
      assert.equal((await boxCommand('relay-config', '--public-name', 'not a name')).status, 2);
  
      // Relay mode, with the relay's key; bad input changes nothing.
      const bad = await boxCommand('remote', 'relay', '--public-name', NAME, '--relay-endpoint', A.relay.public, '--relay-key', 'short');
      assert.equal(bad.status, 2);
      assert.ok(!fs.existsSync(path.join(stack.nginxDir, 'outside/outside.conf')));
      const on = await boxCommand('remote', 'relay', '--public-name', NAME, '--relay-endpoint', A.relay.public, '--relay-key', net.keys.relayPublic);
      assert.equal(on.status, 0, on.stderr);
      const wgConf = fs.readFileSync(path.join(stack.root, 'wireguard/nbx-relay.conf'), 'utf8');
      for (const line of [`PublicKey = ${net.keys.relayPublic}`, `Endpoint = ${A.relay.public}:51820`, `AllowedIPs = ${A.relay.tunnel}/32`,
        'PersistentKeepalive = 25', `Address = ${A.box.tunnel}/32`]) assert.ok(wgConf.includes(line), `the box's tunnel: ${line}`);
  
    } else {
      // Direct: the router forwards the ports; the box serves the name beside the LAN.
      assert.equal((await boxCommand('remote', 'direct', '--public-name', 'Not A Name')).status, 2);
      const on = await boxCommand('remote', 'direct', '--public-name', NAME);
      assert.equal(on.status, 0, on.stderr);
      assert.match(fs.readFileSync(path.join(stack.nginxDir, 'outside/listen-https.inc'), 'utf8'), /^listen 443 ssl http2;$/m);
      assert.doesNotMatch(fs.readFileSync(path.join(stack.nginxDir, 'outside/listen-https.inc'), 'utf8'), /proxy_protocol/);
    }

    // Before the certificate: a placeholder no phone trusts, and the managers are told.
    await waitFor(() => fs.existsSync(path.join(stack.dataDir, 'tls/public/fullchain.pem')), 'the placeholder certificate');
    // (nginx reloads with the new server first: until then the relay finds nothing listening.)
    await waitFor(async () => /self.signed|unable to verify|certificate/i.test(
      await home().client().get('/api/v1/box').then(() => 'answered', (e) => e.message)), 'the placeholder, which the phone refuses');
    assert.equal((await summary()).remote_access.mode, theMode);
    assert.equal((await summary()).remote_access.alert, true);
  
    // nestboxd's hourly job, by its clock, asks; the ACME agent answers.
    stack.advanceClock(3600);
    const acme = await answerAcmeRequest();
    assert.match(fs.readFileSync(path.join(stack.dataDir, 'remote/acme-status'), 'utf8'), /result = ok/, acme.stderr);
    const cert = certificateInfo();
    assert.match(cert.subjectAltName, new RegExp(`DNS:${NAME.replace(/\./g, '\\.')}`));
    await waitFor(async () => (await home().client().get('/api/v1/box').then((r) => r.status, () => 0)) === 200,
      'the box to serve the ACME certificate through the relay');
    stack.advanceClock(3600);
    await waitFor(async () => (await summary()).remote_access.alert === false, 'the managers\' alert to clear');
    assert.equal((await summary()).remote_access.renewal, 'ok');
    const status = await boxCommand('remote', 'status');
    assert.match(status.stdout, new RegExp(`mode: ${theMode}`));
  });
  
  test('from home: a parent signs in, reads the feed, comments, resumes a home photo, downloads an export; the box sees the phone\'s address', async () => {
    const phone = home();
    const parent = phone.client();
    const signIn = await parent.signIn('parent.a', 'blue whale singing');
    assert.equal(signIn.status, 200, signIn.text);
    assert.match(signIn.headers['strict-transport-security'], /max-age=/);
    const feed = await parent.get('/api/v1/feed');
    assert.deepEqual(feed.json.entries.map((e) => e.title), [MARKER]);
    assert.equal((await parent.post(`/api/v1/entries/${entry.id}/threads/${ids.A}`, { body: 'Soup for tea every night now!' })).status, 201);
  
    // A home photo whose upload is cut off half way and resumed; an export downloaded.
    await resumedHomePhoto(parent, ids.A, stack.root);
    await downloadedExport(parent, ids.A);
  
    const audit = (await asManager('GET', '/api/v1/audit?event=NBX_AUTH_SIGNIN_OUTSIDE')).json.entries;
    assert.ok(audit.some((a) => a.address === A.home.public), `the phone's own address, not the relay's: ${JSON.stringify(audit)}`);
  });
  
  test('from home: staff are refused, a manager cannot change settings, closed areas stay closed', async () => {
    const staff = await home().client().signIn('kate', 'green apple orchard');
    assert.equal(staff.status, 403);
    assert.equal(staff.json.error, 'outside_staff');
    const boss = home().client();
    boss.cookie = manager.cookie;
    boss.csrf = manager.csrf;
    const change = await boss.patch('/api/v1/settings', { outside_manager_read: true });
    assert.equal(change.status, 403);
    assert.equal(change.json.error, 'outside_closed');
    assert.equal((await home().client().get('/ca.crt')).status, 404);
    assert.equal((await home().client().get('/api/v1/setup')).json.error, 'outside_closed');
  });
  
  if (theMode === 'relay') test('the relay carries ciphertext only: a capture holds no byte of a journal entry, while a plain request shows its own', async () => {
    const parent = home().client();
    assert.equal((await parent.signIn('parent.a', 'blue whale singing')).status, 200);
    const barrier = `barrier-${Date.now()}`;
    const secure = await captureOnRelay(net, 'https', async () => {
      const feed = await parent.get('/api/v1/feed');
      assert.ok(feed.text.includes(MARKER), 'the entry reached the phone');
      net.exec('home', 'curl', ['-sS', '-o', '/dev/null', `http://${A.relay.public}/.well-known/acme-challenge/${barrier}`, '-H', `Host: ${NAME}`], { allowFail: true });
    }, barrier);
    for (const [iface, bytes] of Object.entries(secure)) assert.ok(!bytes.includes(MARKER), `no plain text of the entry on the relay's ${iface}`);
    // The same capture of a plain request shows its marker: the check can fail.
    const plainMarker = `plain-${MARKER.replace(/ /g, '-')}`;
    const plain = await captureOnRelay(net, 'plain', async () => {
      net.exec('home', 'curl', ['-sS', '-o', '/dev/null', `http://${A.relay.public}/.well-known/acme-challenge/${plainMarker}`, '-H', `Host: ${NAME}`], { allowFail: true });
    }, plainMarker);
    assert.ok(Object.values(plain).some((bytes) => bytes.includes(plainMarker)));
  });
  
  test('the throttle blocks one home without blocking another; a PROXY header from the setting\'s network is refused', async () => {
    let blocked = null;
    for (let i = 0; i < 40 && !blocked; i += 1) {
      const r = await home('203.0.113.31').client().post('/api/v1/auth/sign-in', { username: `guess${i}`, password: 'not it' });
      if (r.status === 429) blocked = r;
    }
    assert.ok(blocked, 'the guessing home is throttled');
    assert.equal((await home(A.home.public).client().signIn('parent.b', 'red kite flying')).status, 200, 'another home is not');
  
    if (theMode !== 'relay') return;  // no PROXY headers in direct mode: the router keeps the address
    // From the LAN router's side of the setting (a device on the setting's network), straight to
    // the box's tunnel-facing listener, claiming to be a parent at home.
    const forged = net.exec('lan', 'node', [path.join(repoRoot, 'tests/remote/forged-proxy-client.mjs'), A.box.tunnel, '443', NAME, '198.51.100.7'], { allowFail: true });
    assert.doesNotMatch(forged.stdout, /^HTTP\/1\.1 2/, `refused: ${forged.stdout.slice(0, 200)} ${forged.stderr}`);
  });
  
  test('a lockdown closes the outside from the next request', async () => {
    const parent = home().client();
    assert.equal((await parent.signIn('parent.b', 'red kite flying')).status, 200);
    assert.equal((await asManager('POST', '/api/v1/lockdown', { reason: 'Tablet lost on a trip', confirm: true })).status, 200);
    const refused = await parent.get('/api/v1/feed');
    assert.equal(refused.status, 503);
    assert.equal(refused.json.error, 'lockdown_outside');
    assert.equal((await stack.client().post('/api/v1/lockdown/lift', { username: 'manager', password: MANAGER_PASSWORD, pin: '4826',
      fault: 'Tablet lost on a trip', rectification: 'Found and re-enrolled' })).status, 200);
    assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200);
  });
  
  // testssl.sh from home against the public name, pebble's root added: TLS 1.2 and 1.3 only,
  // and no finding of severity HIGH or CRITICAL. (Before the renewal test stops pebble.)
  if (theMode === 'relay') test('testssl.sh against the public name: TLS 1.2+ only, nothing HIGH or CRITICAL', async () => {
    const rootFile = path.join(stack.root, 'pebble-root.pem');
    fs.writeFileSync(rootFile, root);
    const json = path.join(stack.root, 'testssl.json');
    const run = await net.execAsync('home', 'testssl', ['--quiet', '--color', '0', '--warnings', 'off', '--add-ca', rootFile,
      '--ip', publicAddress(), '--jsonfile', json, '--protocols', '--std', '--server-defaults', '--vulnerable', `https://${NAME}/`],
    { allowFail: true, timeout: 280000 });
    assert.ok(fs.existsSync(json), `testssl.sh wrote no report: ${run.stderr.slice(-500)} ${run.stdout.slice(-500)}`);
    const findings = JSON.parse(fs.readFileSync(json, 'utf8'));
    const byId = Object.fromEntries(findings.map((f) => [f.id, f]));
    for (const old of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) assert.match(byId[old]?.finding ?? '', /not offered/, `${old}: ${byId[old]?.finding}`);
    for (const current of ['TLS1_2', 'TLS1_3']) assert.match(byId[current]?.finding ?? '', /^offered/, `${current}: ${byId[current]?.finding}`);
    const serious = findings.filter((f) => ['HIGH', 'CRITICAL'].includes(f.severity));
    assert.deepEqual(serious.map((f) => `${f.id}: ${f.finding}`), []);
  });

  test('renewal by the box\'s clock: 30 days before expiry it renews; when the CA cannot be reached, managers are alerted 14 days before', async () => {
    const first = certificateInfo();
    const expires = Date.parse(first.validTo) / 1000;
    const now = () => Math.floor(Date.now() / 1000) + Number(fs.readFileSync(stack.clockFile, 'utf8'));
    stack.advanceClock(Math.ceil(expires - 29 * 86400 - now()));
    await answerAcmeRequest();
    const renewed = certificateInfo();
    assert.notEqual(renewed.serialNumber, first.serialNumber, 'a new certificate');
    await waitFor(async () => (await home().client().get('/api/v1/box').then((r) => r.status, () => 0)) === 200, 'the renewed certificate served');
  
    // The CA is gone: the renewal fails, is retried, and from 14 days before expiry the managers see it.
    net.pebble.kill('SIGKILL');
    await net.pebble.exited;
    const renewedExpires = Date.parse(renewed.validTo) / 1000;
    stack.advanceClock(Math.ceil(renewedExpires - 13 * 86400 - now()));
    await answerAcmeRequest();
    assert.match(fs.readFileSync(path.join(stack.dataDir, 'remote/acme-status'), 'utf8'), /result = failed/);
    await waitFor(async () => (await summary()).remote_access.alert === true, 'the managers\' alert');
    const remote = (await summary()).remote_access;
    assert.equal(remote.renewal, 'failed');
    assert.ok(remote.last_error.length > 0);
    // The failure is audited on nestboxd's next hourly look.
    stack.advanceClock(3600);
    await waitFor(async () => (await asManager('GET', '/api/v1/audit?event=NBX_PUBLIC_CERT_FAILED')).json.entries.length >= 1,
      'the failed renewal in the audit log');
  });
}

describe('relay mode: the box behind a NAT, through WireGuard and the relay', () => journey('relay'));
describe('direct mode: the router forwards 443 and 80 to the box', () => journey('direct'));
