// Starts the real stack for a test: nestboxd on a loopback port with a fresh data directory,
// and nginx in front of it with the repository's own template (TLS with the box's CA).
// Time is moved with the daemon's test clock offset file, never with sleeps.

import crypto from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Tablet, tusUpload, mediaReady } from '../../scripts/lib/client.mjs';

export { Client, Tablet, tusUpload, mediaReady };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const daemonBinary = process.env.NESTBOX_DAEMON || path.join(repoRoot, 'build/daemon/nestboxd');
export const webRoot = process.env.NESTBOX_WEB_ROOT || path.join(repoRoot, 'web/dist');
export const nginxBinary = process.env.NESTBOX_NGINX || 'nginx';

// A free loopback port below the kernel's ephemeral range (32768 and up on Linux). Asking the
// kernel for port 0 handed out ephemeral ports, which any outgoing connection on the machine
// (Chromium, restic, the boot test beside us) could take before nestboxd bound it: CI saw
// "cannot listen for uploads". A port from below that range is never taken that way, and one
// handed out by this process is never handed out again.
const portsGiven = new Set();
function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
export async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + crypto.randomInt(12000);
    if (portsGiven.has(port)) continue;
    portsGiven.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

// Waits for `predicate` (sync or async) to hold, asking every `intervalMs`, and fails naming
// `what` after `timeoutMs`. Tests wait for the state or log line they need with it, never for
// a fixed time: a loaded machine takes longer, and a fixed sleep then fails (or proves nothing).
async function waitFor(predicate, what, timeoutMs = 15000, intervalMs = 25) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// The same inside a network namespace (bash's /dev/tcp: no other tool).
function canConnectIn(netns, port) {
  try {
    execFileSync('ip', ['netns', 'exec', netns, 'timeout', '2', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
    return true;
  } catch { return false; }
}

// A byte stream to host:port from inside network namespace `netns`: socat started there, its
// standard input and output as the stream (TLS then runs over it, from this process).
export function netnsConnection(netns, host, port) {
  const child = spawn('ip', ['netns', 'exec', netns, 'socat', 'STDIO', `TCP:${host}:${port}`], { stdio: ['pipe', 'pipe', 'ignore'] });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  stream.once('close', () => child.kill());
  child.once('exit', () => stream.destroy());
  return stream;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

// Remote access in the loopback stack (issue 31): the public name, and the loopback address
// that plays the relay's tunnel address.
export const PUBLIC_NAME = 'journal.example.test';
export const RELAY_PEER = '127.0.0.2';

// A CA standing in for a public one (ACME's, in tests/remote with pebble) and a certificate
// for `name` from it, in `dir` as nginx wants them (fullchain.pem, privkey.pem); returns the
// CA's certificate, the only one a home client trusts.
export function makePublicCertificate(dir, name) {
  fs.mkdirSync(dir, { recursive: true });
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=Test public root', '-keyout', 'root.key', '-out', 'root.pem');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', 'privkey.pem', '-out', 'leaf.csr');
  fs.writeFileSync(path.join(dir, 'leaf.ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
  run('x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'leaf.ext', '-out', 'fullchain.pem');
  return fs.readFileSync(path.join(dir, 'root.pem'));
}

// A connection to the public name's listener as the relay makes one: from `peer`, a PROXY
// protocol v1 header naming the family's `address`, then TLS to `name` verified against `ca`.
// Calls done(error, tlsSocket), as Node's createConnection option expects.
export function relayConnection(port, address, peer, name, ca, done) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: peer });
  const family = address.includes(':') ? 'TCP6' : 'TCP4';
  const local = address.includes(':') ? '::1' : '127.0.0.1';
  socket.once('error', done);
  // The header first, on its own; TLS starts on the socket after it.
  socket.once('connect', () => {
    socket.write(`PROXY ${family} ${address} ${local} ${40000 + Math.floor(Math.random() * 20000)} 443\r\n`);
    socket.removeListener('error', done);
    done(null, tls.connect({ socket, servername: name, ca, ALPNProtocols: ['http/1.1'] }));
  });
}

export class Daemon {
  // `wrap`: a command prefix, e.g. ['ip', 'netns', 'exec', NS] to run it in a namespace.
  constructor(dataDir, configText, wrap = []) {
    this.dataDir = dataDir;
    this.wrap = wrap;
    this.configPath = path.join(dataDir, '..', 'nestboxd.conf');
    fs.writeFileSync(this.configPath, configText);
    this.stdout = '';
    this.stderr = '';
  }

  async start() {
    this.stdout = '';
    this.stderr = '';
    const [command, ...args] = [...this.wrap, daemonBinary, '--config', this.configPath];
    this.process = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout.on('data', (d) => { this.stdout += d; });
    this.process.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    let exitedEarly = false;
    this.exited.then(() => { exitedEarly = true; });
    await waitFor(() => exitedEarly || this.stderr.includes('NBX_DAEMON_READY'), 'nestboxd to be ready');
    if (exitedEarly) throw new Error(`nestboxd exited during start:\n${this.stderr}`);
  }

  // Waits for a line of the daemon's log (stderr) matching `pattern`.
  waitForLog(pattern, timeoutMs = 15000) {
    return waitFor(() => pattern.test(this.stderr), `nestboxd to log ${pattern}`, timeoutMs);
  }

  setupCode() {
    const match = this.stdout.match(/setup code:\s+([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/);
    return match ? match[1] : null;
  }

  async stop(signal = 'SIGTERM') {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return this.exited;
    this.process.kill(signal);
    return this.exited;
  }
}

export class Stack {
  static async start(options = {}) {
    const stack = new Stack();
    await stack.#start(options);
    return stack;
  }

  // `outside`: also serve the public name (issue 31) as the relay mode does — on its own
  // loopback port, every connection opening with a PROXY header believed only from
  // RELAY_PEER — under a certificate from a test "public" CA (this.publicCa); home() talks to it.
  // `outside: 'direct'`: the same name and port without PROXY headers, for a browser.
  // `netns`: run nestboxd and nginx in that network namespace (tests/remote: the box behind
  // its NAT); clients then connect through socat started in it (netnsConnection).
  async #start({ extraConfig = '', outside = false, netns = null } = {}) {
    this.netns = netns;
    const wrap = netns ? ['ip', 'netns', 'exec', netns] : [];
    if (netns) this.connect = (done) => done(null, tls.connect({ socket: netnsConnection(netns, '127.0.0.1', this.httpsPort),
      servername: 'localhost', ca: this.ca }));
    if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
      throw new Error(`no web app at ${webRoot}: build it first with scripts/build-web`);
    }
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-it-'));
    this.dataDir = path.join(this.root, 'data');
    this.clockFile = path.join(this.root, 'clock-offset');
    fs.writeFileSync(this.clockFile, '0');
    this.daemonPort = await freePort();
    this.uploadPort = await freePort();
    this.httpsPort = await freePort();
    this.httpPort = await freePort();
    this.daemon = new Daemon(this.dataDir, [
      `data_dir = ${this.dataDir}`,
      `listen_port = ${this.daemonPort}`,
      `upload_port = ${this.uploadPort}`,
      `public_https_port = ${this.httpsPort}`,
      'hostname = nestbox-test',
      'password_hash_ops = 1',
      'password_hash_mem_kib = 8192',
      'threads = 2',
      `test_clock_offset_file = ${this.clockFile}`,
      `backup_spool = ${path.join(this.root, 'backup-spool')}`,
      // Tests share the machine's avahi-daemon: only the mDNS tests announce (extraConfig).
      'mdns = off',
      extraConfig,
    ].join('\n'), wrap);
    await this.daemon.start();
    const nginxDir = path.join(this.root, 'nginx');
    let outsideOptions = [];
    if (outside) {
      this.outsidePort = await freePort();
      this.outsideHttpPort = await freePort();
      this.publicName = PUBLIC_NAME;
      const certs = path.join(this.root, 'public-tls');
      this.publicCa = makePublicCertificate(certs, PUBLIC_NAME);
      this.acmeWebroot = path.join(this.root, 'acme');
      fs.mkdirSync(path.join(this.acmeWebroot, '.well-known/acme-challenge'), { recursive: true });
      // 'direct': no PROXY headers, the public name on its own port (what a browser can reach).
      this.outsideMode = outside === 'direct' ? 'direct' : 'relay';
      outsideOptions = ['--outside', '--mode', this.outsideMode, '--public-name', PUBLIC_NAME,
        ...(this.outsideMode === 'relay' ? ['--listen', '127.0.0.1', '--peer', RELAY_PEER] : []),
        '--https-port', String(this.outsidePort), '--http-port', String(this.outsideHttpPort),
        '--public-https-port', String(this.outsidePort), '--cert-dir', certs, '--acme-webroot', this.acmeWebroot];
    }
    execFileSync(path.join(repoRoot, 'scripts/nginx-config'), [
      '--out', nginxDir, '--https-port', String(this.httpsPort), '--http-port', String(this.httpPort),
      '--daemon-port', String(this.daemonPort), '--upload-port', String(this.uploadPort),
      '--tls-dir', path.join(this.dataDir, 'tls'), '--media-dir', path.join(this.dataDir, 'media'),
      '--web-root', webRoot, '--standalone', ...outsideOptions,
    ]);
    this.nginxDir = nginxDir;
    const [nginxCommand, ...nginxArgs] = [...wrap, nginxBinary, '-e', path.join(nginxDir, 'startup-error.log'),
      '-c', path.join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'];
    this.nginx = spawn(nginxCommand, nginxArgs, { stdio: 'ignore' });
    await waitFor(() => (netns ? canConnectIn(netns, this.httpsPort) : canConnect(this.httpsPort)), 'nginx to listen');
    this.ca = fs.readFileSync(path.join(this.dataDir, 'tls/ca.crt'));
  }

  // A family at home, at `address`, reaching the public name through the relay (RELAY_PEER
  // sends the PROXY header naming `address`); `peer` another sender, to show it is not believed.
  // Shaped like a stack for Client: client() signs in from there.
  home(address = '198.51.100.7', { peer = RELAY_PEER } = {}) {
    if (this.outsideMode !== 'relay') throw new Error('home() speaks through the relay: start the stack with { outside: true }');
    const stack = this;
    return {
      httpsPort: this.outsidePort, httpPort: this.outsideHttpPort, ca: this.publicCa, hostName: this.publicName,
      address,
      connect(done) { relayConnection(stack.outsidePort, address, peer, stack.publicName, stack.publicCa, done); },
      client() { return new Client(this); },
      async tablet() { return null; },
    };
  }

  // Moves the daemon's clock forward; sessions and lockouts see the new time at once.
  advanceClock(seconds) {
    const current = Number(fs.readFileSync(this.clockFile, 'utf8')) || 0;
    fs.writeFileSync(this.clockFile, String(current + seconds));
  }

  sql(query) {
    // Waits for the daemon's writer (a background job may hold the lock) instead of failing.
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(this.dataDir, 'nestbox.db'), query],
      { encoding: 'utf8' }).trim();
  }

  client() { return new Client(this); }

  // The setting's registered tablet, enrolled by the first manager on first use; none before setup.
  async tablet() {
    if (!this.manager) return null;
    this.defaultTablet ??= Tablet.enrol(this, this.manager);
    return this.defaultTablet;
  }

  // The root-run backup agent (systemd/nestbox-backup agent), answering this stack's requests
  // in a loop as nestbox-backup-agent.path would start it. Folder targets are allowed under
  // the returned `targets`. With `smallDisk` (e.g. '4m'), `${targets}/small` is a tmpfs of that
  // size, seen by the agent only (a private mount namespace): a target that fills up.
  async startBackupAgent({ smallDisk } = {}) {
    this.backupTargets = path.join(this.root, 'targets');
    this.backupSettings = path.join(this.root, 'backup-settings');
    fs.mkdirSync(this.backupTargets, { recursive: true });
    fs.mkdirSync(path.join(this.backupTargets, 'small'), { recursive: true });
    this.backupEnv = {
      ...process.env,
      NESTBOX_CONFIG: this.daemon.configPath,
      NESTBOX_BACKUP_DIR: this.backupSettings,
      NESTBOX_BACKUP_SPOOL: path.join(this.root, 'backup-spool'),
      NESTBOX_BACKUP_ALLOW_DIRS: this.backupTargets,
      NESTBOX_DAEMON: daemonBinary,
      RESTIC_CACHE_DIR: path.join(this.root, 'restic-cache'),
      // The agent dates its results and snapshots by the daemon's (moved) clock.
      NESTBOX_TEST_CLOCK_OFFSET_FILE: this.clockFile,
    };
    const script = path.join(repoRoot, 'systemd/nestbox-backup');
    const loop = `while :; do "${script}" agent; sleep 0.2; done`;
    const command = smallDisk
      ? ['unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${smallDisk} nestbox-small "${this.backupTargets}/small" && ${loop}`]]
      : ['sh', ['-c', loop]];
    this.agentLog = '';
    this.agent = spawn(command[0], command[1], { env: this.backupEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.agent.stdout.on('data', (d) => { this.agentLog += d; });
    this.agent.stderr.on('data', (d) => { this.agentLog += d; });
    return { targets: this.backupTargets };
  }

  // The agent's restic, on this stack's repository `repo` with its key (snapshots, check, ...).
  restic(repo, args) {
    return execFileSync('restic', ['-r', repo, ...args],
      { env: { ...this.backupEnv, RESTIC_PASSWORD_FILE: path.join(this.backupSettings, 'key') }, encoding: 'utf8' });
  }

  stopBackupAgent() {
    if (!this.agent || this.agent.exitCode !== null) return;
    try { process.kill(-this.agent.pid, 'SIGKILL'); } catch { /* gone */ }
    this.agent = null;
  }

  async stop() {
    this.stopBackupAgent();
    if (this.nginx && this.nginx.exitCode === null) {
      const exited = new Promise((r) => this.nginx.once('exit', r));
      this.nginx.kill('SIGQUIT');
      await exited;
    }
    await this.daemon.stop();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  // Creates the setting and first manager; returns a signed-in manager client.
  async setUp() {
    const manager = this.client();
    const res = await manager.post('/api/v1/setup', {
      code: this.daemon.setupCode(), setting_name: 'Rainbow Nursery', framework: 'eyfs',
      username: 'manager', display_name: 'Beth McNerlin', password: MANAGER_PASSWORD,
    });
    if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
    this.manager = manager;
    return manager;
  }

  // Creates an account as `manager` and sets its password with the one-time code.
  async addUser(manager, username, role, password) {
    const created = await manager.post('/api/v1/users', { username, display_name: `Name ${username}`, role });
    if (created.status !== 201) throw new Error(`create failed: ${created.text}`);
    const redeemed = await this.client().post('/api/v1/auth/redeem-code', {
      username, code: created.json.one_time_code.code, new_password: password,
    });
    if (redeemed.status !== 200) throw new Error(`redeem failed: ${redeemed.text}`);
    const user = this.client();
    const signedIn = await user.signIn(username, password);
    if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.text}`);
    return { client: user, id: created.json.user.id };
  }
}

// A started stack that has been set up, with its signed-in manager.
export async function startSetUpStack(options) {
  const stack = await Stack.start(options);
  return { stack, manager: await stack.setUp() };
}

export const MANAGER_PASSWORD = 'Correct horse battery 9';

// Two families in one live room: Ava Ahmed (parent.a) and Ben Brown (parent.b), both with
// consent to everything and the agreement accepted, and Kate (staff, on the tablet).
export async function twoFamilies(stack, manager) {
  const ok = (res, what) => { if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`); return res.json; };
  const kate = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).client;
  const a = await stack.addUser(manager, 'parent.a', 'parent', 'blue whale singing');
  const b = await stack.addUser(manager, 'parent.b', 'parent', 'red kite flying');
  const room = ok(await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' }), 'room').room;
  const child = async (first, last) => ok(await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: room.id, started_on: '2025-09-01' }), first).child;
  const childA = await child('Ava', 'Ahmed');
  const childB = await child('Ben', 'Brown');
  ok(await manager.request('PUT', `/api/v1/children/${childA.id}/carers/${a.id}`), 'link A');
  ok(await manager.request('PUT', `/api/v1/children/${childB.id}/carers/${b.id}`), 'link B');
  for (const c of [childA, childB]) {
    ok(await manager.request('PUT', `/api/v1/children/${c.id}/consent`,
      { body: { own_journal_photos: true, other_journals: true, online_journal_opt_out: false } }), 'consent');
  }
  for (const p of [a.client, b.client]) {
    ok(await p.post('/api/v1/agreement/accept', { version: (await p.get('/api/v1/agreement')).json.version }), 'accept');
  }
  return { kate, parentA: a.client, parentB: b.client, ids: { room: room.id, A: childA.id, B: childB.id } };
}

// Keeps `connections` keep-alive HTTPS connections busy with GETs — `targets` are [client,
// path] pairs taken in turn — from before `action` runs until after it returns. The load is
// counted, not timed (a loaded machine answers fewer a second): `action` runs once `answered`
// requests have been answered, and the load stops once `answered` more, sent after `action`
// returned, have been. Gives every request's send time and status, and when `action` returned.
export async function underLoad(stack, targets, action, { connections = 50, answered = 100, timeoutMs = 60000 } = {}) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: connections, ca: stack.ca });
  const get = ([client, target]) => new Promise((resolve) => {
    const sentAt = process.hrtime.bigint();
    const req = https.request({ host: '127.0.0.1', port: stack.httpsPort, path: target, servername: 'localhost', agent,
      headers: { host: `localhost:${stack.httpsPort}`, cookie: `__Host-nestbox=${client.cookie}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ sentAt, status: res.statusCode }));
    });
    req.on('error', () => resolve({ sentAt, status: 0 }));
    req.end();
  });
  const results = [];
  let stop = false;
  const loops = Array.from({ length: connections }, (_, i) => (async () => {
    while (!stop) results.push(await get(targets[i % targets.length]));
  })());
  try {
    await waitFor(() => results.length >= answered, `${answered} requests of the load answered`, timeoutMs);
    const startedAt = process.hrtime.bigint();
    const value = await action();
    const doneAt = process.hrtime.bigint();
    await waitFor(() => results.filter((r) => r.sentAt > doneAt).length >= answered,
      `${answered} requests of the load sent after the action returned to be answered`, timeoutMs);
    return { results, startedAt, doneAt, value };
  } finally {
    stop = true;
    await Promise.all(loops);
    agent.destroy();
  }
}

// The machine's system bus and avahi-daemon, for the mDNS tests: started here when missing
// (as CI's sandbox has neither; needs root), as PLATFORM-NOTES.md describes. A machine may
// come up with /run left over from another boot: a bus socket that nobody answers on and a
// stale pid file, which would make avahi-daemon exit at once. So the bus is asked, not looked for.
export const avahi = {
  running() {
    try {
      execFileSync('avahi-daemon', ['--check'], { stdio: 'ignore' });
      return true;
    } catch { return false; }
  },
  busAnswers() {
    try {
      execFileSync('busctl', ['--system', 'call', 'org.freedesktop.DBus', '/org/freedesktop/DBus',
        'org.freedesktop.DBus', 'GetId'], { stdio: 'ignore', timeout: 5000 });
      return true;
    } catch { return false; }
  },
  async start() {
    if (!this.busAnswers()) {
      fs.mkdirSync('/run/dbus', { recursive: true });
      for (const stale of ['/run/dbus/system_bus_socket', '/run/dbus/pid']) fs.rmSync(stale, { force: true });
      execFileSync('dbus-daemon', ['--system', '--fork']);
      await waitFor(() => this.busAnswers(), 'the system bus to answer');
    }
    // In the foreground with its messages in a file (so why it fails is in the error, not in
    // syslog), orphaned by the shell as --daemonize would be, so --kill sees it exit. Started
    // again whenever it is not running: one just killed may still look alive for a moment.
    const log = path.join(os.tmpdir(), 'nestbox-test-avahi.log');
    let startedAt = 0;
    try {
      await waitFor(() => {
        if (this.browsable()) return true;
        if (Date.now() - startedAt > 1000 && !this.running()) {
          execFileSync('sh', ['-c', 'avahi-daemon --no-chroot >"$1" 2>&1 &', 'sh', log]);
          startedAt = Date.now();
        }
        return false;
      }, 'avahi-daemon to answer');
    } catch (e) {
      if (startedAt) e.message += `; avahi-daemon said: ${fs.readFileSync(log, 'utf8').trim()}`;
      throw e;
    }
  },
  async stop() {
    if (this.running()) execFileSync('avahi-daemon', ['--kill']);
    await waitFor(() => !this.running(), 'avahi-daemon to stop');
  },
  browsable() {
    try {
      execFileSync('avahi-browse', ['-pt', '_nestbox-none._tcp'], { stdio: 'ignore', timeout: 5000 });
      return true;
    } catch { return false; }
  },
  // Resolved services of a type: [{ name, port, host, txt: {key: value} }], one per name and port.
  browse(type) {
    const out = execFileSync('avahi-browse', ['-rpt', type], { encoding: 'utf8', timeout: 20000 });
    const seen = new Map();
    for (const line of out.split('\n')) {
      const f = line.split(';');
      if (f[0] !== '=') continue;
      const name = f[3].replace(/\\(\d{3})/g, (_, d) => String.fromCharCode(Number(d))).replace(/\\(.)/g, '$1');
      const txt = {};
      for (const m of (f[9] || '').matchAll(/"([^"]*)"/g)) {
        const eq = m[1].indexOf('=');
        if (eq > 0) txt[m[1].slice(0, eq)] = m[1].slice(eq + 1);
      }
      seen.set(`${name}|${f[8]}`, { name, port: Number(f[8]), host: f[6], txt });
    }
    return [...seen.values()];
  },
};

// Another host on the network, for mDNS collisions: a network namespace joined to this one by
// a veth pair, running its own avahi-daemon (no D-Bus, its own /run and services folder in a
// private mount namespace) that publishes `name` as a service of `type` from a static file.
export async function mdnsPeer(name, type) {
  const tag = crypto.randomBytes(3).toString('hex');
  const ns = `nbpeer-${tag}`, here = `nbva${tag}`, there = `nbvb${tag}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-peer-'));
  const ip = (...args) => execFileSync('ip', args);
  ip('netns', 'add', ns);
  ip('link', 'add', here, 'type', 'veth', 'peer', 'name', there);
  ip('link', 'set', there, 'netns', ns);
  ip('addr', 'add', '10.77.0.1/24', 'dev', here);
  ip('link', 'set', here, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', '10.77.0.2/24', 'dev', there);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', there, 'up');
  fs.mkdirSync(path.join(dir, 'services'));
  fs.writeFileSync(path.join(dir, 'avahi.conf'), `[server]\nhost-name=nbpeer-${tag}\nuse-ipv6=no\n` +
    `allow-interfaces=${there}\nenable-dbus=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n`);
  const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  fs.writeFileSync(path.join(dir, 'services/peer.service'), '<?xml version="1.0" standalone="no"?>\n' +
    `<service-group><name>${escaped}</name><service><type>${type}</type><port>9</port></service></service-group>\n`);
  const daemon = spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c',
    `mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && mount --bind ${dir}/services /etc/avahi/services && ` +
    `exec avahi-daemon -f ${dir}/avahi.conf --no-chroot --no-drop-root --no-rlimits`], { stdio: 'ignore' });
  const stop = async () => {
    daemon.kill();
    await new Promise((r) => (daemon.exitCode !== null || daemon.signalCode !== null ? r() : daemon.once('exit', r)));
    try { ip('link', 'del', here); } catch { /* gone with the namespace */ }
    try { ip('netns', 'del', ns); } catch { /* already gone */ }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => avahi.browse(type).some((s) => s.name === name && s.port === 9), `the peer's "${name}"`, 30000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop };
}

export { waitFor };
