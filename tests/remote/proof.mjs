// Proof that "parents at home" remote access through an SNI-forwarding relay works as designed,
// on a namespace topology (netns.mjs) with the relay running systemd/relay/*.conf.in as
// shipped:
//   - the box, behind a NAT with no port forward, keeps a WireGuard tunnel to the relay;
//   - it gets a real ACME certificate (pebble) by HTTP-01 through the relay (lego, webroot);
//   - a phone at home reaches https://journal.example.test/, verifying only against the
//     ACME CA's root, and the box sees the phone's address (PROXY protocol), not the relay's;
//   - the box believes a PROXY header only from the relay: one forged from the LAN is refused;
//   - the relay never sees plain text: a capture on its public and tunnel interfaces holds no
//     byte of a marker sent over HTTPS, while the same capture does show a marker sent over
//     plain HTTP (so the check is able to fail).
// A last part checks the topology's direct mode (port forward on the router).
//
// Run as root: node --test tests/remote/proof.mjs   (about 10 s; see README of the report)
// NESTBOX_REMOTE_KEEP=1 keeps the run's directory (logs, captures, configs) under /tmp.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Topology, IFACES, renderTemplate, relayTemplateDir, captureOnRelay } from './netns.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// Dumps every process log of the topology when a step fails: the assertion alone rarely says
// which hop (DNS, NAT, tunnel, relay, box) broke.
async function step(net, fn) {
  try {
    return await fn();
  } catch (e) {
    e.message += `\n--- topology logs (${net.dir}) ---\n${net.logTails()}`;
    throw e;
  }
}

// Starts the test-only stand-in of the box's nginx (standin-box-nginx.conf.in) on the box's
// tunnel address, first with a placeholder certificate, as an appliance is before its first
// ACME certificate.
async function startStandinBox(net) {
  const A = net.addresses;
  const run = net.path('standin-box');
  const webroot = path.join(run, 'webroot');
  fs.mkdirSync(webroot, { recursive: true });
  const cert = path.join(run, 'cert.pem');
  const key = path.join(run, 'key.pem');
  net.exec(null, 'openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', '/CN=placeholder', '-keyout', key, '-out', cert]);
  const conf = path.join(run, 'nginx.conf');
  fs.writeFileSync(conf, renderTemplate(fs.readFileSync(path.join(here, 'standin-box-nginx.conf.in'), 'utf8'), {
    RUN_DIR: run,
    BOX_TUNNEL_ADDRESS: A.box.tunnel,
    RELAY_TUNNEL_ADDRESS: A.relay.tunnel,
    CERT: cert,
    KEY: key,
    WEBROOT: webroot,
  }));
  net.exec('box', 'nginx', ['-t', '-q', '-c', conf, '-p', run]);
  const proc = net.spawn('box', 'nginx', ['-c', conf, '-p', run, '-g', 'daemon off;'], { name: 'standin-nginx' });
  await net.waitFor(() => {
    if (proc.exitInfo) throw Object.assign(new Error(`stand-in nginx exited: ${proc.read()}`), { fatal: true });
    return net.canConnect('box', A.box.tunnel, 80) && net.canConnect('box', A.box.tunnel, 443);
  }, 'stand-in box nginx on the tunnel address');
  return { run, webroot, cert, key, proc, accessLog: () => fs.readFileSync(path.join(run, 'access.log'), 'utf8') };
}

// curl from a namespace; returns { status, stdout, stderr } without throwing.
function curl(net, ns, args) {
  return net.exec(ns, 'curl', ['-sS', '--max-time', '10', ...args], { allowFail: true });
}

// The server_name extension of a TLS ClientHello holds the name as: type 0 (host_name),
// 2-byte length, name. Matching that form (rather than the bare name) tells a ClientHello
// apart from an HTTP Host header naming the same host.
function sniBytes(name) {
  return Buffer.concat([Buffer.from([0x00, name.length >> 8, name.length & 0xff]), Buffer.from(name)]);
}

describe('relay mode: a box behind a NAT, reached through the SNI relay', () => {
  let net;
  let box;
  let A;
  let name;
  let rootPem;
  const noCaDir = () => net.path('empty-capath'); // an empty --capath: no system CA can count

  before(async () => {
    net = await Topology.create({ mode: 'relay' });
    A = net.addresses;
    name = net.publicName;
    box = await step(net, () => startStandinBox(net));
    fs.mkdirSync(noCaDir());
  });
  after(async () => {
    if (net) await net.destroy();
  });

  it('brings the tunnel up from behind the NAT, which forwards no port', async () => {
    await step(net, async () => {
      assert.ok(net.handshakeDone(), 'the box completed a WireGuard handshake with the relay');
      // The relay knows the box only by the NAT's address: the box dialled out (MASQUERADE).
      const endpoints = net.exec('relay', 'wg', ['show', IFACES.relayTunnel, 'endpoints']).stdout;
      assert.match(endpoints, new RegExp(`\\s${A.lan.public.replace(/\./g, '\\.')}:\\d+\\s*$`), endpoints);
      assert.ok(net.canConnect('relay', A.box.tunnel, 80), 'the relay reaches the box through the tunnel');
      // Nothing from the internet reaches the box directly.
      assert.equal(net.canConnect('home', A.lan.public, 443), false, 'no port forward on the router');
      assert.equal(net.resolve4('home', name), A.relay.public, 'the public name points at the relay');
    });
  });

  it('gets a certificate from the ACME CA by HTTP-01 through the relay, then serves it', async (t) => {
    await step(net, async () => {
      const legoDir = net.path('lego');
      const t0 = Date.now();
      const lego = await net.execAsync('box', 'lego', [
        '--server', net.acmeDirectory, '--accept-tos', '--email', 'it@example.org',
        '--domains', name, '--http', '--http.webroot', box.webroot, '--path', legoDir, 'run',
      ], { env: { LEGO_CA_CERTIFICATES: net.pebbleTlsCa }, allowFail: true, timeout: 90000 });
      assert.equal(lego.status, 0, `lego failed:\n${lego.stderr}\n--- pebble ---\n${net.pebble.read().slice(-3000)}`);
      t.diagnostic(`lego took ${Date.now() - t0} ms`);
      // The CA validated through the relay: the box served the token to the relay's tunnel address.
      assert.match(box.accessLog(), new RegExp(`peer=${A.relay.tunnel} "GET /\\.well-known/acme-challenge/\\S+ HTTP/1\\.[01]" 200`));

      // Install it as the appliance would: replace the files, tell nginx to reload.
      fs.copyFileSync(path.join(legoDir, 'certificates', `${name}.crt`), box.cert);
      fs.copyFileSync(path.join(legoDir, 'certificates', `${name}.key`), box.key);
      box.proc.kill('SIGHUP');

      // The ACME CA's root, from pebble's management port (pebble makes a new one each start).
      const root = curl(net, 'home', ['--cacert', net.pebbleTlsCa, `https://${A.inet.public}:${A.pebbleManagementPort}/roots/0`]);
      assert.equal(root.status, 0, root.stderr);
      assert.match(root.stdout, /^-----BEGIN CERTIFICATE-----/);
      rootPem = net.path('acme-root.pem');
      fs.writeFileSync(rootPem, root.stdout);

      // Reload done = the box now serves a chain to that root.
      await net.waitFor(() => curl(net, 'home', ['-o', '/dev/null', '--cacert', rootPem, '--capath', noCaDir(), `https://${name}/`]).status === 0,
        'the box serving the ACME certificate', 15000);
    });
  });

  it('serves a phone at home, trusted only through the ACME root, and the box sees the phone', async () => {
    await step(net, () => {
      // The name resolves through challtestsrv's DNS to the relay; no --resolve.
      const r = curl(net, 'home', ['-i', '--cacert', rootPem, '--capath', noCaDir(), `https://${name}/`]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.1 200/);
      assert.match(r.stdout, new RegExp(`^x-nestbox-client: ${A.home.public}\\r?$`, 'im'));
      assert.match(r.stdout, new RegExp(`client=${A.home.public}\\n$`));
      assert.doesNotMatch(r.stdout, new RegExp(`client=(${A.relay.tunnel}|${A.relay.public})`));

      // Control: the same request trusting another CA fails, so the verification is real.
      const wrong = curl(net, 'home', ['-o', '/dev/null', '--cacert', net.pebbleTlsCa, '--capath', noCaDir(), `https://${name}/`]);
      assert.equal(wrong.status, 60, `expected curl's "certificate not trusted", got ${wrong.status}: ${wrong.stderr}`);
    });
  });

  it('closes connections for names it does not relay, and redirects plain HTTP', async () => {
    await step(net, () => {
      const before = box.accessLog();
      // Another name (--resolve sends it to the relay anyway), and no SNI at all (an IP literal).
      const other = curl(net, 'home', ['-o', '/dev/null', '--cacert', rootPem, '--resolve', `other.example.test:443:${A.relay.public}`, 'https://other.example.test/']);
      assert.equal(other.status, 35, `expected a closed TLS handshake, got ${other.status}: ${other.stderr}`);
      const noSni = curl(net, 'home', ['-o', '/dev/null', '-k', `https://${A.relay.public}/`]);
      assert.equal(noSni.status, 35, `expected a closed TLS handshake, got ${noSni.status}: ${noSni.stderr}`);
      assert.equal(box.accessLog(), before, 'the box saw none of them');
      const streamLog = fs.readFileSync(path.join(net.relayNginxDir, 'relay-stream.log'), 'utf8');
      assert.match(streamLog, /sni="other\.example\.test" upstream=unix:/);

      const http = curl(net, 'home', ['-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://${name}/journal?x=1`]);
      assert.equal(http.stdout, `301 https://${name}/journal?x=1`);
      const unknownHost = curl(net, 'home', ['-o', '/dev/null', '-H', 'Host: other.example.test', `http://${A.relay.public}/`]);
      assert.equal(unknownHost.status, 52, `expected an empty reply (444), got ${unknownHost.status}: ${unknownHost.stderr}`);
    });
  });

  it('believes a PROXY header only from the relay: one forged from the LAN is refused', async () => {
    await step(net, () => {
      const client = path.join(here, 'forged-proxy-client.mjs');
      // A device on the setting's LAN can route to the box's tunnel address (the box accepts
      // packets for any of its addresses on any interface), and claims to be the phone.
      net.ip('lan', 'route', 'add', `${A.box.tunnel}/32`, 'via', A.box.private);
      const forged = net.exec('lan', process.execPath, [client, A.box.tunnel, '443', name, A.home.public], { allowFail: true });
      assert.equal(forged.status, 0, forged.stderr);
      assert.match(forged.stdout, /^HTTP\/1\.1 403/);
      assert.match(forged.stdout, new RegExp(`peer ${A.lan.private} is not the relay`));
      assert.doesNotMatch(forged.stdout, /client=/);

      // Control: the very same header from the relay's tunnel address is believed, so the
      // refusal above is the peer check and not a broken header.
      const fromRelay = net.exec('relay', process.execPath, [client, A.box.tunnel, '443', name, '198.51.100.77']);
      assert.match(fromRelay.stdout, /^HTTP\/1\.1 200/);
      assert.match(fromRelay.stdout, /client=198\.51\.100\.77\n$/);
    });
  });

  it('never sees plain text: an HTTPS marker is absent from the relay captures, a plain HTTP one is present', async () => {
    await step(net, async () => {
      const marker = `nestbox-marker-${crypto.randomBytes(8).toString('hex')}`;
      const barrier = `nestbox-barrier-${crypto.randomBytes(8).toString('hex')}`;
      let https;
      const tls = await captureOnRelay(net, 'https', () => {
        https = curl(net, 'home', ['--cacert', rootPem, '--capath', noCaDir(), '-H', `X-Marker: ${marker}`, `https://${name}/private/${marker}`]);
        // A plain request after it, as the barrier (through the tunnel, so on both interfaces).
        curl(net, 'home', ['-o', '/dev/null', `http://${name}/.well-known/acme-challenge/${barrier}`]);
      }, barrier);
      assert.equal(https.status, 0, https.stderr);
      assert.equal(https.stdout, `client=${A.home.public}\n`);
      // nginx writes its log line just after the response: poll rather than race it.
      await net.waitFor(() => box.accessLog().includes(`"GET /private/${marker} HTTP/1.1" 200`), 'the marker request in the box log');
      for (const [iface, bytes] of Object.entries(tls)) {
        assert.ok(bytes.includes(sniBytes(name)), `the HTTPS connection was captured on ${iface} (its ClientHello)`);
        assert.equal(bytes.includes(marker), false, `no plain marker on the relay's ${iface}`);
      }
      // The PROXY header goes in clear inside the tunnel only (WireGuard encrypts it on the wire).
      assert.ok(tls[IFACES.relayTunnel].includes(`PROXY TCP4 ${A.home.public} `));

      // The same capture of plain HTTP carrying the marker does show it, on both interfaces.
      const plainMarker = `nestbox-marker-${crypto.randomBytes(8).toString('hex')}`;
      const plain = await captureOnRelay(net, 'plain', () => {
        curl(net, 'home', ['-o', '/dev/null', `http://${name}/.well-known/acme-challenge/${plainMarker}`]);
      }, plainMarker);
      for (const [iface, bytes] of Object.entries(plain)) assert.ok(bytes.includes(plainMarker), `plain marker visible on ${iface}`);
    });
  });
});

describe('relay templates', () => {
  it('render into a configuration nginx accepts with a Debian host\'s paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-relay-template-'));
    try {
      const conf = path.join(dir, 'nginx.conf');
      fs.writeFileSync(conf, renderTemplate(fs.readFileSync(path.join(relayTemplateDir, 'relay-nginx.conf.in'), 'utf8'), {
        PUBLIC_NAME: 'journal.example.org',
        BOX_TUNNEL_ADDRESS: '10.77.0.2',
        RELAY_TUNNEL_ADDRESS: '10.77.0.1',
        NGINX_USER: 'www-data',
        RUN_DIR: '/run',
        LOG_DIR: '/var/log/nginx',
      }));
      // nginx -t creates the temp directories and opens the logs: in a private mount
      // namespace over empty /run and /var/log/nginx, so this machine's own are untouched.
      const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
        'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/log/nginx && exec nginx -t -c "$1"', 'sh', conf], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /test is successful/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('direct mode: the router forwards 80 and 443 to the box', () => {
  let net;
  before(async () => {
    net = await Topology.create({ mode: 'direct' });
  });
  after(async () => {
    if (net) await net.destroy();
  });

  it('reaches the box through the port forward and keeps the client address', async () => {
    await step(net, async () => {
      const A = net.addresses;
      // A plain TCP stand-in on both forwarded ports that answers with the peer address.
      const server = `for (const p of [80, 443]) require('node:net').createServer((s) => { s.on('error', () => {}); s.end(s.remoteAddress + '\\n'); }).listen(p, '${A.box.private}');`;
      const proc = net.spawn('box', process.execPath, ['-e', server], { name: 'echo' });
      await net.waitFor(() => {
        if (proc.exitInfo) throw Object.assign(new Error(proc.read()), { fatal: true });
        return net.canConnect('box', A.box.private, 80) && net.canConnect('box', A.box.private, 443);
      }, 'the box echo server');
      assert.equal(net.resolve4('home', net.publicName), A.lan.public, 'the public name points at the router');
      for (const port of [80, 443]) {
        const r = net.exec('home', 'bash', ['-c', `exec 3<>/dev/tcp/${net.publicName}/${port}; cat <&3`]);
        assert.equal(r.stdout, `${A.home.public}\n`, `port ${port}`);
      }
    });
  });
});
