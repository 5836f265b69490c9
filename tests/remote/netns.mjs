// A throw-away "internet" of network namespaces for testing Nestbox's remote access (parents
// at home reaching a box that sits behind a NAT), with nothing leaving the machine:
//
//   home (a parent's phone) ─┐
//   relay (VPS) ─────────────┤ inet: a bridge standing in for the internet, with
//   lan (the setting's       │       pebble (ACME CA) and pebble-challtestsrv (DNS) on it
//        NAT router) ────────┘
//        └── LAN ── box (behind the NAT; in relay mode it dials the relay over WireGuard)
//
// Each run gets its own namespace names (prefix nbt-<pid>-<random>), so two runs never
// collide; addresses can repeat between runs because namespaces do not share routes. Nothing
// is created in the root namespace: veth pairs are made inside the namespaces, so a crashed
// run leaves no interface behind on the host, only namespaces that Topology.sweepStale()
// (called by create()) removes once their owner process is gone.
//
// Usage:
//   const net = await Topology.create({ mode: 'relay' });   // or 'direct'
//   try { net.exec('home', 'curl', [...]); } finally { await net.destroy(); }
//
// Needs root, iproute2, nftables (nft), wireguard-go + wireguard-tools (relay mode), pebble,
// pebble-challtestsrv, nginx with libnginx-mod-stream (relay mode), openssl, getent.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const relayTemplateDir = path.join(repoRoot, 'systemd/relay');

// The public name the tests give the box. .test is reserved (RFC 2606): it can never be a real
// name, so a resolver misconfiguration cannot send a request to somebody's server.
export const PUBLIC_NAME = 'journal.example.test';

// The addressing plan, the same every run (namespaces keep runs apart). Public addresses are
// from TEST-NET-3 (RFC 5737), which is never routed on the internet; the inet namespace has
// no route anywhere else anyway.
const PLAN = {
  publicPrefix: 24,
  inet: { public: '203.0.113.1' }, // pebble (ACME :14000, management :15000), DNS :53
  relay: { public: '203.0.113.10', tunnel: '10.77.0.1' },
  lan: { public: '203.0.113.20', private: '192.168.50.1' },
  box: { private: '192.168.50.10', tunnel: '10.77.0.2' },
  home: { public: '203.0.113.30' },
  lanSubnet: '192.168.50.0/24',
  lanPrefix: 24,
  wireguardPort: 51820,
  pebblePort: 14000,
  pebbleManagementPort: 15000,
};

// Interface names inside the namespaces (each namespace has its own, so they repeat freely).
export const IFACES = {
  inetBridge: 'br0',
  relayPublic: 'eth0',
  relayTunnel: 'nbx-box', // the relay's WireGuard interface, named after its peer
  lanWan: 'wan0',
  lanLan: 'lan0',
  boxLan: 'eth0',
  boxTunnel: 'nbx-relay', // the box's WireGuard interface
  homePublic: 'eth0',
};

// Where Debian's libnginx-mod-stream puts the module that relay-nginx.conf.in loads.
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

const ROLES = ['inet', 'relay', 'lan', 'box', 'home'];
const NAME_RE = /^nbt-(\d+)-[0-9a-f]{6}-(?:inet|relay|lan|box|home)$/;

// Quote one word for /bin/sh.
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// `shown` is the command as the caller wrote it (without the namespace prelude), for errors.
function runSync(cmd, args, { input, env, timeout = 60000, allowFail = false, where = '', shown } = {}) {
  const r = spawnSync(cmd, args, { input, env, timeout, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!allowFail && (r.status !== 0 || r.error)) {
    const how = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
    throw new Error(`${where}${shown ?? [cmd, ...args].join(' ')} failed (${how}): ${(r.stderr || '').trim() || (r.stdout || '').trim()}`);
  }
  return r;
}

// Waits for `predicate` (sync or async) to hold, asking every `intervalMs`; fails naming `what`
// after `timeoutMs`. Everything in these tests waits for a state this way, never for a fixed
// time: on a loaded 2-core machine a fixed sleep is either too short (flaky) or wasted.
export async function waitFor(predicate, what, timeoutMs = 15000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Replaces each @NAME@ token of a template, and refuses to leave one unfilled (a missing value
// would otherwise reach nginx or wg as a literal "@NAME@" and fail far from the cause).
export function renderTemplate(text, values) {
  const out = text.replace(/@([A-Z][A-Z0-9_]*)@/g, (m, key) => {
    if (!(key in values)) throw new Error(`template token ${m} has no value`);
    return String(values[key]);
  });
  return out;
}

function processAlive(pid) {
  // A zombie (exited, not yet reaped by node) counts as gone: /proc still lists it.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function netnsPids(nsName) {
  const r = runSync('ip', ['netns', 'pids', nsName], { allowFail: true });
  return (r.stdout || '').split(/\s+/).filter(Boolean).map(Number);
}

function deleteNamespace(nsName) {
  // Processes keep a namespace alive after `ip netns del` (it only removes the name), so every
  // process still inside one is ended first. These are all processes this module started in
  // namespaces it named (nginx workers, wireguard-go, stray children of a test's command).
  for (let round = 0; round < 50; round++) {
    const pids = netnsPids(nsName).filter(processAlive);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    spawnSync('sleep', ['0.02']); // poll interval while the kernel reaps them
  }
  runSync('ip', ['netns', 'del', nsName], { allowFail: true });
}

function listNamespaces() {
  const r = runSync('ip', ['netns', 'list'], { allowFail: true });
  return (r.stdout || '').split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

export class Topology {
  // Removes namespaces left by earlier runs that died without cleaning up (SIGKILL, a machine
  // stop): only names of this module's pattern whose owner pid no longer runs.
  // Their processes (started in their own process groups, so they outlive a killed test) are
  // ended with the namespaces; their run directories (logs, keys) are removed too.
  static sweepStale() {
    for (const name of listNamespaces()) {
      const m = NAME_RE.exec(name);
      if (m && !processAlive(Number(m[1]))) deleteNamespace(name);
    }
    for (const entry of fs.readdirSync(os.tmpdir())) {
      const m = /^nbt-(\d+)-[0-9a-f]{6}-\w{6}$/.exec(entry);
      if (m && !processAlive(Number(m[1]))) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
    }
  }

  // The commands a topology of `mode` needs that this machine lacks (empty = all there).
  static missingTools(mode = 'relay') {
    const tools = ['ip', 'nft', 'sysctl', 'mount', 'timeout', 'bash', 'getent', 'openssl', 'curl', 'pebble', 'pebble-challtestsrv'];
    if (mode === 'relay') tools.push('wireguard-go', 'wg', 'wg-quick', 'nginx', 'tcpdump');
    const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
    if (mode === 'relay' && !fs.existsSync(STREAM_MODULE)) missing.push(`${STREAM_MODULE} (libnginx-mod-stream)`);
    return missing;
  }

  static async create({ mode = 'relay', keepDir = !!process.env.NESTBOX_REMOTE_KEEP } = {}) {
    if (mode !== 'relay' && mode !== 'direct') throw new Error(`unknown mode ${mode}`);
    if (process.getuid() !== 0) throw new Error('network namespaces need root');
    const missing = Topology.missingTools(mode);
    if (missing.length) throw new Error(`missing on this machine: ${missing.join(', ')}`);
    Topology.sweepStale();
    const net = new Topology(mode, keepDir);
    try {
      await net.#build();
    } catch (e) {
      e.message += `\n--- logs ---\n${net.logTails()}`;
      await net.destroy();
      throw e;
    }
    return net;
  }

  constructor(mode, keepDir) {
    this.mode = mode;
    this.keepDir = keepDir;
    this.prefix = `nbt-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
    this.ns = Object.fromEntries(ROLES.map((r) => [r, `${this.prefix}-${r}`]));
    // World-traversable (0755): nginx workers run as www-data and must reach sockets and temp
    // directories below it. Nothing secret lives here except test-only keys.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
    fs.chmodSync(this.dir, 0o755);
    this.addresses = structuredClone(PLAN);
    this.ifaces = IFACES;
    this.publicName = PUBLIC_NAME;
    this.procs = [];
    this.created = [];
    this.binds = {};
    this.destroyed = false;
    // Last resort if the test process exits or is interrupted without calling destroy().
    this.onExit = () => this.destroySync();
    this.onSignal = (sig) => {
      this.destroySync();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    };
    process.on('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  path(...parts) {
    return path.join(this.dir, ...parts);
  }

  // --- running things in a namespace -------------------------------------------------------

  // `ip netns exec` already gives every command a private mount namespace (slave of the host,
  // so nothing mounted there leaks back). The prelude bind-mounts this run's own files there:
  // /etc/resolv.conf (DNS = challtestsrv, never the host's resolver), /etc/hosts, and
  // /run/wireguard, where wireguard-go and wg meet over a unix socket named after the
  // interface: that directory is NOT per network namespace, so without this two runs (or the
  // host) using the same interface name would talk to each other's daemon.
  #argv(ns, cmd, args) {
    if (ns == null) return [cmd, args];
    const nsName = this.ns[ns];
    if (!nsName) throw new Error(`unknown namespace role ${ns}`);
    const binds = this.binds[ns] || [];
    const prelude = binds.map(([src, dst]) => `mount --bind ${shq(src)} ${shq(dst)}`).concat(['exec "$@"']).join(' && ');
    return ['ip', ['netns', 'exec', nsName, '/bin/sh', '-c', prelude, 'sh', cmd, ...args]];
  }

  // Runs to completion (spawnSync-like); throws with stderr unless opts.allowFail. ns null = host.
  exec(ns, cmd, args = [], opts = {}) {
    const [c, a] = this.#argv(ns, cmd, args);
    return runSync(c, a, { ...opts, env: opts.env ? { ...process.env, ...opts.env } : undefined, where: `[${ns ?? 'host'}] `, shown: [cmd, ...args].join(' ') });
  }

  // The same, without blocking node (for long commands such as lego).
  execAsync(ns, cmd, args = [], { env, allowFail = false, timeout = 120000, input } = {}) {
    const [c, a] = this.#argv(ns, cmd, args);
    return new Promise((resolve, reject) => {
      const child = spawn(c, a, { env: env ? { ...process.env, ...env } : undefined, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.procs.push({ child, name: `${ns}:${cmd}`, exited: new Promise((r) => child.once('close', r)) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.end(input);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, timeout);
      child.once('close', (status, signal) => {
        clearTimeout(timer);
        const r = { status, signal, stdout, stderr };
        if (!allowFail && status !== 0) {
          reject(new Error(`[${ns ?? 'host'}] ${cmd} ${args.join(' ')} failed (${signal || `exit ${status}`}): ${stderr.trim() || stdout.trim()}`));
        } else resolve(r);
      });
    });
  }

  // Starts a long-running process, tracked for teardown. Its output goes to a log file rather
  // than a pipe: a pipe nobody drains while node is blocked in a spawnSync would fill and
  // stall the process. Returns { pid, log, read(), kill(sig), exited }.
  spawn(ns, cmd, args = [], { env, name = path.basename(cmd) } = {}) {
    const [c, a] = this.#argv(ns, cmd, args);
    const log = this.path('logs', `${ns ?? 'host'}-${name}.log`);
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const fd = fs.openSync(log, 'a');
    // Own process group, so teardown can signal the whole tree (nginx master and workers).
    const child = spawn(c, a, { env: env ? { ...process.env, ...env } : undefined, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    let exitInfo = null;
    const exited = new Promise((r) =>
      child.once('exit', (code, signal) => {
        exitInfo = { code, signal };
        r(exitInfo);
      }),
    );
    child.once('error', () => {});
    const handle = {
      name: `${ns}:${name}`,
      pid: child.pid,
      child,
      log,
      exited,
      get exitInfo() {
        return exitInfo;
      },
      read: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''),
      kill: (sig = 'SIGTERM') => {
        try {
          process.kill(-child.pid, sig);
        } catch {}
      },
    };
    this.procs.push(handle);
    return handle;
  }

  // Waits for a log line of a spawned process; fails at once if the process died.
  async waitForLog(handle, pattern, what, timeoutMs = 15000) {
    await this.waitFor(() => {
      if (handle.exitInfo) throw Object.assign(new Error(`${handle.name} exited (${JSON.stringify(handle.exitInfo)}): ${handle.read().slice(-2000)}`), { fatal: true });
      return pattern.test(handle.read());
    }, what, timeoutMs);
  }

  async waitFor(predicate, what, timeoutMs, intervalMs) {
    // Like the module's waitFor, but a dead process ends the wait at once instead of at the timeout.
    const deadline = Date.now() + (timeoutMs ?? 15000);
    let lastError;
    for (;;) {
      try {
        if (await predicate()) return;
      } catch (e) {
        if (e.fatal) throw e;
        lastError = e;
      }
      if (Date.now() >= deadline) {
        throw new Error(`timed out after ${timeoutMs ?? 15000} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs ?? 50));
    }
  }

  // Can `ns` open a TCP connection to host:port? (bash's /dev/tcp: no extra tool needed.)
  canConnect(ns, host, port) {
    const r = this.exec(ns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`], { allowFail: true });
    return r.status === 0;
  }

  // What `ns`'s resolver (libc, through the bound resolv.conf) answers for an IPv4 name.
  resolve4(ns, name) {
    const r = this.exec(ns, 'getent', ['ahostsv4', name], { allowFail: true });
    return r.status === 0 ? r.stdout.split('\n')[0].split(/\s+/)[0] : null;
  }

  // --- building ------------------------------------------------------------------------

  async #build() {
    const A = this.addresses;
    const I = IFACES;
    fs.mkdirSync('/run/wireguard', { recursive: true }); // mount point for the per-run binds

    // Per-namespace /etc files and /run/wireguard (see #argv).
    const hosts = this.path('etc', 'hosts');
    fs.mkdirSync(path.dirname(hosts), { recursive: true });
    fs.writeFileSync(hosts, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n');
    const resolv = this.path('etc', 'resolv.conf');
    // challtestsrv is the only DNS of this internet. A short timeout: a DNS server that is
    // not up yet should fail a poll quickly, not hang it for 5 s x 2.
    fs.writeFileSync(resolv, `nameserver ${A.inet.public}\noptions timeout:1 attempts:1\n`);
    for (const role of ROLES) {
      const wgRun = this.path('run-wireguard', role);
      fs.mkdirSync(wgRun, { recursive: true });
      this.binds[role] = [
        [resolv, '/etc/resolv.conf'],
        [hosts, '/etc/hosts'],
        [wgRun, '/run/wireguard'],
      ];
    }

    for (const role of ROLES) {
      runSync('ip', ['netns', 'add', this.ns[role]]);
      this.created.push(this.ns[role]);
      this.ip(role, 'link', 'set', 'lo', 'up');
    }

    // The "internet": a bridge in inet; every public side is a veth port on it.
    this.ip('inet', 'link', 'add', I.inetBridge, 'type', 'bridge');
    this.ip('inet', 'addr', 'add', `${A.inet.public}/${A.publicPrefix}`, 'dev', I.inetBridge);
    this.ip('inet', 'link', 'set', I.inetBridge, 'up');
    const plug = (role, iface, addr) => {
      const port = `p-${role}`;
      // Created inside inet with the peer placed straight into the other namespace: no
      // interface ever exists in the host's namespace, so parallel runs cannot clash on names.
      this.ip('inet', 'link', 'add', port, 'type', 'veth', 'peer', 'name', iface, 'netns', this.ns[role]);
      this.ip('inet', 'link', 'set', port, 'master', I.inetBridge);
      this.ip('inet', 'link', 'set', port, 'up');
      this.ip(role, 'addr', 'add', `${addr}/${A.publicPrefix}`, 'dev', iface);
      this.ip(role, 'link', 'set', iface, 'up');
    };
    plug('relay', I.relayPublic, A.relay.public);
    plug('lan', I.lanWan, A.lan.public);
    plug('home', I.homePublic, A.home.public);

    // The setting's LAN: router (lan) and box.
    this.ip('lan', 'link', 'add', I.lanLan, 'type', 'veth', 'peer', 'name', I.boxLan, 'netns', this.ns.box);
    this.ip('lan', 'addr', 'add', `${A.lan.private}/${A.lanPrefix}`, 'dev', I.lanLan);
    this.ip('lan', 'link', 'set', I.lanLan, 'up');
    this.ip('box', 'addr', 'add', `${A.box.private}/${A.lanPrefix}`, 'dev', I.boxLan);
    this.ip('box', 'link', 'set', I.boxLan, 'up');
    this.ip('box', 'route', 'add', 'default', 'via', A.lan.private);
    this.exec('lan', 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    this.#routerFirewall();

    await this.#startDnsAndAcme();
    if (this.mode === 'relay') {
      await this.#startTunnel();
      await this.#startRelayNginx();
    }
  }

  ip(role, ...args) {
    return runSync('ip', ['-n', this.ns[role], ...args], { where: `[${role}] ` });
  }

  // The NAT router. Outbound from the LAN is masqueraded behind the public address (which is
  // what forces the box to dial out, and what WireGuard's keepalive keeps open). Inbound, only
  // replies pass, like a carrier-grade NAT where no port can be forwarded; direct mode adds
  // the port forward of 80 and 443 to the box that a setting with a public address could do.
  #routerFirewall() {
    const A = this.addresses;
    const I = IFACES;
    const direct = this.mode === 'direct';
    const rules = `
table ip nestbox_router {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ${direct ? `iifname "${I.lanWan}" tcp dport { 80, 443 } dnat to ${A.box.private}` : ''}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${I.lanWan}" ip saddr ${A.lanSubnet} masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "${I.lanLan}" oifname "${I.lanWan}" accept
    ${direct ? `iifname "${I.lanWan}" ct status dnat accept` : ''}
  }
}
`;
    fs.writeFileSync(this.path('router.nft'), rules);
    this.exec('lan', 'nft', ['-f', this.path('router.nft')]);
  }

  async #startDnsAndAcme() {
    const A = this.addresses;
    const target = this.mode === 'relay' ? A.relay.public : A.lan.public;
    // challtestsrv's mock DNS answers every A query with one address: the public name goes to
    // the relay (relay mode) or to the router's port forward (direct mode). Port 53, because
    // /etc/resolv.conf cannot name a port. AAAA is answered empty so that clients do not try
    // the default ::1 first. Its HTTP-01/TLS-ALPN servers are off: the box answers those.
    this.challtestsrv = this.spawn('inet', 'pebble-challtestsrv', [
      '-dns01', `${A.inet.public}:53`,
      '-http01', '', '-https01', '', '-tlsalpn01', '',
      '-management', `${A.inet.public}:8055`,
      '-defaultIPv4', target,
      '-defaultIPv6', '',
    ]);

    // Pebble ships no certificates in Debian: a throw-away CA and a server certificate for its
    // address, which lego is told to trust with LEGO_CA_CERTIFICATES.
    const pki = this.path('pebble');
    fs.mkdirSync(pki);
    const ossl = (...args) => runSync('openssl', args, { where: '[host] ' });
    this.pebbleTlsCa = path.join(pki, 'tls-ca.pem');
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', '/CN=Nestbox test pebble TLS CA', '-keyout', path.join(pki, 'tls-ca.key'), '-out', this.pebbleTlsCa,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    ossl('req', '-x509', '-CA', this.pebbleTlsCa, '-CAkey', path.join(pki, 'tls-ca.key'),
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=pebble',
      '-keyout', path.join(pki, 'key.pem'), '-out', path.join(pki, 'cert.pem'),
      '-addext', `subjectAltName=IP:${A.inet.public},DNS:pebble`, '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'extendedKeyUsage=serverAuth');
    const config = {
      pebble: {
        listenAddress: `${A.inet.public}:${A.pebblePort}`,
        managementListenAddress: `${A.inet.public}:${A.pebbleManagementPort}`,
        certificate: path.join(pki, 'cert.pem'),
        privateKey: path.join(pki, 'key.pem'),
        // The real ports: validation goes to the public name's port 80, i.e. through the relay.
        httpPort: 80,
        tlsPort: 443,
        // An OCSP address in the certificates, as a public CA's carry one (nothing answers there).
        ocspResponderURL: `http://${A.inet.public}:4002`,
        externalAccountBindingRequired: false,
      },
    };
    fs.writeFileSync(path.join(pki, 'config.json'), JSON.stringify(config, null, 2));
    this.pebble = this.spawn('inet', 'pebble', ['-config', path.join(pki, 'config.json'), '-dnsserver', `${A.inet.public}:53`], {
      env: {
        PEBBLE_VA_NOSLEEP: '1', // no random 0-15 s pause before each validation
        PEBBLE_WFE_NONCEREJECT: '0', // no deliberate badNonce errors (lego retries them, but slowly)
      },
    });
    this.acmeDirectory = `https://${A.inet.public}:${A.pebblePort}/dir`;

    await this.waitForLog(this.challtestsrv, /Starting challenge servers/, 'challtestsrv to start');
    await this.waitFor(() => this.resolve4('home', this.publicName) === target, `DNS for ${this.publicName} -> ${target} from home`);
    await this.waitFor(() => this.canConnect('inet', A.inet.public, A.pebblePort) && this.canConnect('inet', A.inet.public, A.pebbleManagementPort), 'pebble to listen');
  }

  // WireGuard between relay and box, with wireguard-go (no kernel module here). The relay's
  // side is systemd/relay/relay-wg.conf.in itself, rendered with this run's keys.
  async #startTunnel() {
    const A = this.addresses;
    const I = IFACES;
    const key = () => runSync('wg', ['genkey']).stdout.trim();
    const pub = (k) => runSync('wg', ['pubkey'], { input: `${k}\n` }).stdout.trim();
    this.keys = { relayPrivate: key(), boxPrivate: key() };
    this.keys.relayPublic = pub(this.keys.relayPrivate);
    this.keys.boxPublic = pub(this.keys.boxPrivate);

    const wgDir = this.path('wireguard');
    fs.mkdirSync(wgDir, { mode: 0o700 });
    // wg-quick format, named after the interface as on a relay host (/etc/wireguard/nbx-box.conf).
    const relayQuick = path.join(wgDir, `${I.relayTunnel}.conf`);
    fs.writeFileSync(
      relayQuick,
      renderTemplate(fs.readFileSync(path.join(relayTemplateDir, 'relay-wg.conf.in'), 'utf8'), {
        RELAY_TUNNEL_ADDRESS: A.relay.tunnel,
        BOX_TUNNEL_ADDRESS: A.box.tunnel,
        RELAY_PRIVATE_KEY: this.keys.relayPrivate,
        BOX_PUBLIC_KEY: this.keys.boxPublic,
        LISTEN_PORT: A.wireguardPort,
      }),
      { mode: 0o600 },
    );
    // wg-quick's own parser turns it into what `wg setconf` takes (it drops Address etc.);
    // wg-quick up itself is not used because it would daemonize wireguard-go out of our sight.
    const relayWg = path.join(wgDir, `${I.relayTunnel}.wg`);
    fs.writeFileSync(relayWg, runSync('wg-quick', ['strip', relayQuick]).stdout, { mode: 0o600 });
    const quick = fs.readFileSync(relayQuick, 'utf8');
    const relayAddresses = [...quick.matchAll(/^\s*Address\s*=\s*(.+)$/gim)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
    const relayAllowed = [...quick.matchAll(/^\s*AllowedIPs\s*=\s*(.+)$/gim)].flatMap((m) => m[1].split(',').map((s) => s.trim()));

    // The box's side, as nestboxd would set it: it dials the relay and keeps the NAT's UDP
    // mapping open with a keepalive (25 s, under the common 30 s UDP timeout of routers).
    const boxWg = path.join(wgDir, `${I.boxTunnel}.wg`);
    fs.writeFileSync(
      boxWg,
      `[Interface]\nPrivateKey = ${this.keys.boxPrivate}\n\n[Peer]\nPublicKey = ${this.keys.relayPublic}\n` +
        `Endpoint = ${A.relay.public}:${A.wireguardPort}\nAllowedIPs = ${A.relay.tunnel}/32\nPersistentKeepalive = 25\n`,
      { mode: 0o600 },
    );

    // -f: stay in the foreground so the process is ours to track and end. The env var also
    // silences its banner telling us to use the kernel module.
    const wgEnv = { WG_PROCESS_FOREGROUND: '1', LOG_LEVEL: 'verbose' };
    this.relayWireguard = this.spawn('relay', 'wireguard-go', ['-f', I.relayTunnel], { env: wgEnv, name: 'wireguard-go' });
    this.boxWireguard = this.spawn('box', 'wireguard-go', ['-f', I.boxTunnel], { env: wgEnv, name: 'wireguard-go' });
    const sock = (role, iface) => this.path('run-wireguard', role, `${iface}.sock`);
    await this.waitFor(() => {
      for (const h of [this.relayWireguard, this.boxWireguard]) {
        if (h.exitInfo) throw Object.assign(new Error(`${h.name} exited: ${h.read()}`), { fatal: true });
      }
      return fs.existsSync(sock('relay', I.relayTunnel)) && fs.existsSync(sock('box', I.boxTunnel));
    }, 'wireguard-go control sockets');

    this.exec('relay', 'wg', ['setconf', I.relayTunnel, relayWg]);
    for (const a of relayAddresses) this.ip('relay', 'addr', 'add', a, 'dev', I.relayTunnel);
    this.ip('relay', 'link', 'set', I.relayTunnel, 'up');
    for (const a of relayAllowed) this.ip('relay', 'route', 'replace', a, 'dev', I.relayTunnel);

    this.ip('box', 'addr', 'add', `${A.box.tunnel}/32`, 'dev', I.boxTunnel);
    this.ip('box', 'link', 'set', I.boxTunnel, 'up');
    this.ip('box', 'route', 'add', `${A.relay.tunnel}/32`, 'dev', I.boxTunnel);
    // Configured last, with the interface up: wireguard-go sends the first keepalive (and so
    // the handshake) when a persistent keepalive is set on a running interface. The box
    // initiates; the relay has no endpoint for it and learns the NAT's mapping from it.
    this.exec('box', 'wg', ['setconf', I.boxTunnel, boxWg]);
    await this.waitFor(() => this.handshakeDone(), 'WireGuard handshake box -> relay across the NAT', 20000);
  }

  // Latest handshake time on the box's side (0 = never).
  handshakeDone() {
    const out = this.exec('box', 'wg', ['show', IFACES.boxTunnel, 'latest-handshakes']).stdout.trim();
    return Number(out.split(/\s+/)[1] || 0) > 0;
  }

  // The relay's nginx: systemd/relay/relay-nginx.conf.in itself, rendered for this run.
  async #startRelayNginx() {
    const A = this.addresses;
    const run = this.path('relay-nginx');
    fs.mkdirSync(run, { mode: 0o755 });
    const conf = path.join(run, 'nginx.conf');
    fs.writeFileSync(
      conf,
      renderTemplate(fs.readFileSync(path.join(relayTemplateDir, 'relay-nginx.conf.in'), 'utf8'), {
        PUBLIC_NAME: this.publicName,
        BOX_TUNNEL_ADDRESS: A.box.tunnel,
        RELAY_TUNNEL_ADDRESS: A.relay.tunnel,
        NGINX_USER: 'www-data',
        RUN_DIR: run,
        LOG_DIR: run,
      }),
    );
    this.relayNginxConf = conf;
    this.relayNginxDir = run;
    this.exec('relay', 'nginx', ['-t', '-q', '-c', conf, '-p', run]);
    this.relayNginx = this.spawn('relay', 'nginx', ['-c', conf, '-p', run, '-g', 'daemon off;'], { name: 'nginx' });
    await this.waitFor(() => {
      if (this.relayNginx.exitInfo) throw Object.assign(new Error(`relay nginx exited: ${this.relayNginx.read()}`), { fatal: true });
      return this.canConnect('home', A.relay.public, 443) && this.canConnect('home', A.relay.public, 80);
    }, 'relay nginx on 80 and 443');
  }

  // --- teardown ------------------------------------------------------------------------

  // The tails of every process log, for a failure message.
  logTails(bytes = 1500) {
    const dir = this.path('logs');
    if (!fs.existsSync(dir)) return '';
    return fs
      .readdirSync(dir)
      .map((f) => `== ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').slice(-bytes)}`)
      .join('\n');
  }

  async destroy() {
    if (this.destroyed) return;
    // Politely first (nginx and tcpdump finish their files), then by force.
    for (const p of [...this.procs].reverse()) {
      if (!p.child || p.child.exitCode !== null || p.child.signalCode !== null) continue;
      try {
        process.kill(-p.child.pid, 'SIGTERM');
      } catch {}
    }
    await Promise.race([
      Promise.all(this.procs.map((p) => p.exited)),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    this.destroySync();
  }

  destroySync() {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of this.procs) {
      if (processAlive(p.child.pid)) {
        try {
          process.kill(-p.child.pid, 'SIGKILL');
        } catch {}
      }
    }
    for (const nsName of this.created) deleteNamespace(nsName); // deleting one end removes the veth pair
    const left = listNamespaces().filter((n) => n.startsWith(`${this.prefix}-`));
    if (!this.keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    if (left.length) throw new Error(`namespaces left behind: ${left.join(', ')}`);
  }
}

// Captures every packet on the relay's public and tunnel interfaces while `action` runs.
// Stops only once `barrier` bytes have reached every capture file: packets are written in
// order, so everything sent before the barrier is in the files too (no fixed wait for
// tcpdump to catch up, and no lost tail).
export async function captureOnRelay(net, label, action, barrier) {
  const caps = [IFACES.relayPublic, IFACES.relayTunnel].map((iface) => {
    const file = net.path(`capture-${label}-${iface}.pcap`);
    // -U: write each packet at once, so the file can be polled. -Z root: tcpdump otherwise
    // drops to user tcpdump, which cannot write into this root-owned run directory.
    const proc = net.spawn('relay', 'tcpdump', ['-i', iface, '-n', '-U', '-s', '0', '-Z', 'root', '-w', file], {
      name: `tcpdump-${label}-${iface}`,
    });
    return { iface, file, proc };
  });
  for (const c of caps) await net.waitForLog(c.proc, /listening on/, `tcpdump on ${c.iface}`);
  await action();
  await net.waitFor(
    () => caps.every((c) => fs.existsSync(c.file) && fs.readFileSync(c.file).includes(barrier)),
    `"${barrier}" in the captures of ${caps.map((c) => c.iface).join(' and ')}`,
  );
  for (const c of caps) c.proc.kill('SIGINT');
  await Promise.all(caps.map((c) => c.proc.exited));
  return Object.fromEntries(caps.map((c) => [c.iface, fs.readFileSync(c.file)]));
}
